"""The catalog a spec is checked against: its snapshot, or the bundled default properties."""

from __future__ import annotations

import logging
import os
from dataclasses import replace
from pathlib import Path

from specc.catalog.bundled import bundled_catalog
from specc.catalog.model import Catalog
from specc.catalog.snapshot import load_snapshot
from specc.diagnostics import Diagnostic
from specc.spec.model import Spec

# (path, shown) -> ((mtime_ns, size), what load_snapshot returned): several specs often
# share one snapshot.
_CACHE: dict[tuple[Path, str], tuple[tuple[int, int], tuple[Catalog | None, list[Diagnostic]]]]
_CACHE = {}

_log = logging.getLogger(__name__)


def load_catalog(spec: Spec) -> tuple[Catalog, list[Diagnostic]]:
    """The spec's catalog and the problems of loading it.

    A snapshot that cannot be used (missing, unreadable, broken) is reported and replaced by
    the bundled catalog, so the other checks still run, with their bundled-catalog severities.
    """
    if spec.catalog_path is None:
        _log.debug("%s: checked against the bundled catalog (no `catalog:`)", spec.source)
        return bundled_catalog(), []
    catalog, found = cached_snapshot(spec.catalog_path, shown_path(spec.catalog_path))
    where = spec.where("/catalog", value=True)
    # Problems without a place in the snapshot (missing, unreadable) belong to the spec's key.
    diagnostics = [d if d.spec is not None else replace(d, spec=where) for d in found]
    if catalog is None:
        fallback = "specc checks against its bundled catalog of HubSpot's default properties"
        diagnostics = [
            replace(d, hint=f"{d.hint}; until then {fallback}" if d.hint else fallback)
            for d in diagnostics
        ]
        _log.info(
            "%s: the snapshot %s cannot be used; checked against the bundled catalog",
            spec.source,
            spec.catalog_path,
        )
        return bundled_catalog(), diagnostics
    _log.debug("%s: checked against the snapshot %s", spec.source, spec.catalog_path)
    return catalog, diagnostics


def cached_snapshot(path: Path, shown: str) -> tuple[Catalog | None, list[Diagnostic]]:
    """load_snapshot, remembered until the file changes (by modification time and size)."""
    try:
        stat = os.stat(path)
        stamp = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        return load_snapshot(path, shown)  # missing or unreadable: cheap, and never cached
    key = (path, shown)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] == stamp:
        catalog, found = hit[1]
        return catalog, list(found)
    result = load_snapshot(path, shown)
    _CACHE[key] = (stamp, result)
    return result[0], list(result[1])


def shown_path(path: Path) -> str:
    """The path as diagnostics show it: relative to the working directory when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
