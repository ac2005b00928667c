"""Checks of a resolved spec that read no data rows: the mapping against the catalog, and
each data file's header against the spec's columns.

Each rule is a small function `rule(ctx) -> Iterator[Diagnostic]` in the module of its
subject (properties, operations, files, associations); `check_mapping` runs them all in a
fixed order, so the same spec always gives the same diagnostics in the same order.
"""

from __future__ import annotations

from specc.catalog.model import Catalog
from specc.diagnostics import Diagnostic
from specc.rules import associations, files, operations, properties
from specc.rules.context import Context
from specc.rules.headers import check_headers
from specc.spec.model import Spec

RULES = (*files.RULES, *properties.RULES, *operations.RULES, *associations.RULES)


def check_mapping(spec: Spec, catalog: Catalog) -> list[Diagnostic]:
    """Every mapping rule (SPC2xx) on one spec."""
    ctx = Context(spec, catalog)
    found: list[Diagnostic] = []
    for rule in RULES:
        found.extend(rule(ctx))
    return found


__all__ = ["RULES", "check_headers", "check_mapping"]
