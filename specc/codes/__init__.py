"""The registry of diagnostic codes: every code is defined once, documented, and explained.

Codes are grouped by the stage that raises them, one module each:

    SPC0xx, SPC1xx  the spec itself: syntax, structure, templates, paths  (codes/spec.py)
    SPC2xx          the mapping against the catalog                       (codes/mapping.py)
    SPC300-349      data file headers                                     (codes/mapping.py)
    SPC350-399      catalog snapshots                                     (codes/catalog.py)
    SPC400-449      cell values                                           (codes/data.py)
    SPC450-499      files, rows and whole columns                         (codes/rows.py)
    SPC5xx          talking to HubSpot                                    (codes/hubspot.py)
    SPC600-649      what `specc plan` finds in the account's records      (codes/plan.py)

A check imports the module of its stage and calls `CODE.at(message, ...)`; `lookup` and
`all_codes` import every stage module, for `specc explain` and the docs.
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass

from specc.diagnostics import DataLocation, Diagnostic, Severity, SpecLocation

_REGISTRY: dict[str, Code] = {}
_STAGE_MODULES = ("spec", "mapping", "catalog", "data", "rows", "hubspot", "plan")


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    title: str
    explanation: str
    hubspot_error: str | None = None
    # The code relays whatever errorType HubSpot reported (each diagnostic carries its own).
    relays_hubspot_error: bool = False

    def at(
        self,
        message: str,
        *,
        hint: str | None = None,
        spec: SpecLocation | None = None,
        data: DataLocation | None = None,
        severity: Severity | None = None,
        hubspot_error: str | None = None,
    ) -> Diagnostic:
        """A diagnostic of this code; severity and HubSpot error default to the code's own."""
        return Diagnostic(
            code=self.code,
            severity=severity or self.severity,
            message=message,
            hint=hint,
            hubspot_error=hubspot_error or self.hubspot_error,
            spec=spec,
            data=data,
        )


def define(
    code: str,
    severity: Severity,
    title: str,
    explanation: str,
    hubspot_error: str | None = None,
    *,
    relays_hubspot_error: bool = False,
) -> Code:
    if code in _REGISTRY:
        raise ValueError(f"diagnostic code {code} is defined twice")
    entry = Code(
        code, severity, title, inspect.cleandoc(explanation), hubspot_error, relays_hubspot_error
    )
    _REGISTRY[code] = entry
    return entry


def _load_all() -> None:
    for name in _STAGE_MODULES:
        importlib.import_module(f"specc.codes.{name}")


def lookup(code: str) -> Code | None:
    _load_all()
    return _REGISTRY.get(code.strip().upper())


def all_codes() -> list[Code]:
    _load_all()
    return [_REGISTRY[c] for c in sorted(_REGISTRY)]
