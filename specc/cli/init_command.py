"""`specc init DATAFILE`: draft a starting spec for a data file.

`specc init --from-request FILE`: write the spec of an importRequest JSON a script keeps.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import click

from specc.cli.common import command, echo_pieces, output_option, show_report
from specc.errors import UsageError


@command(
    None,
    click.argument("datafile", required=False, type=click.Path(dir_okay=False, path_type=Path)),
    click.option(
        "--from-request",
        "request_path",
        metavar="FILE",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Write the spec of an importRequest JSON instead; it compiles back to the same "
        "request.",
    ),
    click.option(
        "--object", "object_name", metavar="OBJ", help="The file's object (default: guessed)."
    ),
    output_option(
        "Where to write the spec (default: DATAFILE's or FILE's name with .yaml; '-' for stdout)."
    ),
    click.option(
        "--catalog",
        "catalog_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help="A catalog snapshot to map against (default: HubSpot's default properties).",
    ),
    click.option("--force", is_flag=True, help="Overwrite an existing spec file."),
)
def init(
    datafile: Path | None,
    request_path: Path | None,
    object_name: str | None,
    output: Path | None,
    catalog_path: Path | None,
    force: bool,
) -> int:
    """Write a starting spec for DATAFILE, mapping each header to the likeliest property.

    With --from-request FILE, write the spec of the importRequest JSON in FILE instead.
    """
    if request_path is not None:
        if datafile is not None:
            raise UsageError(
                "give DATAFILE or --from-request FILE, not both",
                hint="a request names its own data files",
            )
        for given, flag in ((object_name, "--object"), (catalog_path, "--catalog")):
            if given is not None:
                raise UsageError(f"{flag} drafts from a data file; --from-request takes none")
        return from_request(request_path, output, force)
    if datafile is None:
        raise UsageError(
            "name a data file to draft a spec for, or an importRequest with --from-request FILE"
        )
    from specc.draft import draft_to

    draft, target = draft_to(
        datafile, output, force=force, catalog_path=catalog_path, object_name=object_name
    )
    deliver(draft.text, target, draft.undecided)
    return 0


def from_request(request_path: Path, output: Path | None, force: bool) -> int:
    """`init --from-request`: the request's spec, written only when it compiles back to the
    request; the request's problems (schema, or what no spec can say) otherwise, exit 1."""
    from specc.draft import request_target
    from specc.from_request import convert_request_file

    target = request_target(request_path, output, force)
    conversion = convert_request_file(request_path, str(request_path))
    show_report(conversion.result, None, err=True)
    if conversion.spec_text is None:
        return 1
    deliver(conversion.spec_text, target)
    return 0


def deliver(text: str, target: Path | None, undecided: Iterable[str] = ()) -> None:
    """The spec written to `target` and then linted (specc.draft.lint_written), or on stdout
    (None); what is left to decide in between."""
    from specc.draft import lint_written
    from specc.report.drafts import draft_written, lint_verdict

    echo_pieces([text], target)
    said = draft_written(target, undecided)
    if said:
        click.echo(said, err=True)
    if target is not None:
        click.echo(lint_verdict(target, lint_written(target)), err=True)


COMMANDS = (init,)  # what specc.cli adds to the `specc` group
