"""`specc diff SPEC (--against FILE | --against-import ID)`: what the spec changes in the request.

Options -> the baseline request (a saved file, or a past import's `importRequestJson`) -> the
spec's compiled request -> specc.diff -> one line per change (or a JSON document, both
from specc.report.diff) -> exit code:
0 the same request as HubSpot reads it (a new name alone is minor), 1 different (or errors in
the spec or the saved request), 2 nothing to compare with.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from specc.cli.common import Account, SpecArgs, echo_out, spec_command
from specc.errors import SpeccError, UsageError

DIFF_FORMATS = ("text", "json", "github")


@spec_command(
    "diff",
    click.option(
        "--against",
        "against_file",
        metavar="FILE",
        type=click.Path(path_type=Path),
        help="A saved importRequest JSON (as `specc compile -o FILE` writes it).",
    ),
    click.option(
        "--against-import",
        "against_import",
        metavar="ID",
        help="A past import, by id: its importRequestJson (needs HUBSPOT_ACCESS_TOKEN).",
    ),
    formats=DIFF_FORMATS,
    connection="last",
)
def diff_command(args: SpecArgs, against_file: Path | None, against_import: str | None) -> int:
    """What SPEC changes in the importRequest, against a saved one or a past import's.

    Compares the requests as HubSpot reads them and lists the changes in the spec's terms.
    Exits 0 when they are the same request (a new import name alone is minor), 1 when they
    differ or the spec has errors, 2 when there is nothing to compare with.
    """
    if (against_file is None) == (against_import is None):
        raise UsageError(
            "give one of --against FILE or --against-import ID",
            hint="--against compares with a saved request, --against-import with a past import",
        )
    path = args.path
    from specc.diff import (
        diff_requests,
        differ,
        import_request,
        object_names,
        read_saved_request,
        spec_location,
    )
    from specc.pipeline import compile_loaded, load_spec
    from specc.report.diff import render_diff_json, render_diff_text

    saved_diagnostics = []
    against: dict[str, Any] = {}
    if against_file is not None:
        saved = read_saved_request(against_file)
        baseline, saved_diagnostics = saved.request, saved.diagnostics
        against["file"] = str(against_file)
    elif against_import is not None:
        baseline = import_request(_fetch_import(against_import, args.account), against_import)
        against["import"] = against_import.strip()

    loaded = load_spec(path, args.options())
    request, result = compile_loaded(loaded)
    # Located in the saved file (file:line:col), not added to the sources: it is no spec.
    result.extend(saved_diagnostics)
    result = result.strict_view(args.strict)
    if result.diagnostics:
        # As `compile` does: stdout keeps only the comparison.
        args.report(result, err=True)
    if request is None or loaded.spec is None or not result.ok():
        return 1

    changes = diff_requests(baseline, request, loaded.spec.aliases)
    located = [(c, spec_location(c, loaded.spec)) for c in changes]
    same = not differ(changes)
    if args.format == "json":
        echo_out(render_diff_json(located, same, against))
    else:
        names = object_names(loaded.spec)
        echo_out(render_diff_text(located, names, against, github=args.format == "github"))
    return 0 if same else 1


def _fetch_import(import_id: str, account: Account) -> Any:
    """GET the import; any failure to get it means there is nothing to compare with (exit 2),
    never "different" (exit 1), which a pipeline would read as a change."""
    from specc.errors import HubSpotRefused

    try:
        with account.client() as client:
            return client.get_import(import_id)
    except HubSpotRefused as exc:
        raise SpeccError(f"cannot compare: {exc.message}", hint=exc.hint) from None


COMMANDS = (diff_command,)  # what specc.cli adds to the `specc` group
