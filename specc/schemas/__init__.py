"""The bundled JSON Schemas, read with importlib.resources so installed wheels find them."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from specc.errors import InputError

SCHEMA_NAMES = ("spec", "request", "diagnostics", "catalog")


def schema_text(name: str) -> str:
    """The schema's file as shipped (`spec`, `request`, `diagnostics` or `catalog`); an
    InputError (exit 2) when this installation lacks it."""
    # Imported here: the CLI names SCHEMA_NAMES at start-up, and importlib.resources (with
    # tempfile, shutil, random) is not needed by a `specc lint`.
    from importlib import resources

    if name not in SCHEMA_NAMES:
        raise KeyError(name)
    try:
        return resources.files("specc.schemas").joinpath(f"{name}.schema.json").read_text("utf-8")
    except FileNotFoundError as exc:
        raise InputError(f"the bundled {name} schema is missing from this installation") from exc


@cache
def load_schema(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(schema_text(name))
    return data
