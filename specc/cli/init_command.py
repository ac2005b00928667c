"""`specc init DATAFILE`: draft a starting spec for a data file.

`specc init --from-request FILE`: write the spec of an importRequest JSON a script keeps.
"""

from __future__ import annotations

from pathlib import Path

import click

from specc.cli.common import debug_option, handle_errors, output_option, write_atomic
from specc.errors import InputError, UsageError


def register(group: click.Group) -> None:
    group.add_command(init)


@click.command()
@click.argument("datafile", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--from-request",
    "request_path",
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the spec of an importRequest JSON instead; it compiles back to the same request.",
)
@click.option(
    "--object", "object_name", metavar="OBJ", help="The file's object (default: guessed)."
)
@output_option(
    "Where to write the spec (default: DATAFILE's or FILE's name with .yaml; '-' for stdout)."
)
@click.option(
    "--catalog",
    "catalog_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A catalog snapshot to map against (default: HubSpot's default properties).",
)
@click.option("--force", is_flag=True, help="Overwrite an existing spec file.")
@debug_option
@handle_errors
def init(
    datafile: Path | None,
    request_path: Path | None,
    object_name: str | None,
    output: Path | None,
    catalog_path: Path | None,
    force: bool,
    debug: bool,
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
    from specc.catalog.bundled import bundled_catalog
    from specc.catalog.objects import object_names, resolve_object
    from specc.catalog.snapshot import load_snapshot
    from specc.diagnostics import did_you_mean
    from specc.draft import draft_spec
    from specc.inputs import check_regular_file

    # Refused before drafting reads it: a FIFO would hang the draft, a device never end it.
    check_regular_file(datafile)
    if catalog_path is not None:
        catalog, problems = load_snapshot(catalog_path, str(catalog_path))
        if catalog is None:
            raise InputError(
                f"cannot use the catalog {catalog_path}: "
                + "; ".join(p.message for p in problems[:3])
            )
    else:
        catalog = bundled_catalog()
    object_type_id = None
    if object_name:
        # The snapshot's own object names (custom objects) count as names too.
        own = {o.name: oid for oid, o in catalog.objects.items()} if catalog.is_snapshot else {}
        object_type_id = resolve_object(object_name, own)
        if object_type_id is None:
            raise UsageError(
                f"unknown object {object_name!r}",
                hint=did_you_mean(object_name, [*object_names(), *own]),
            )
    target = output or datafile.with_suffix(".yaml")
    to_stdout = str(target) == "-"
    spec_dir = Path.cwd() if to_stdout else target.parent
    draft = draft_spec(datafile, catalog, object_type_id=object_type_id, spec_dir=spec_dir)
    text = draft.text
    if catalog_path is not None:
        relative = _relative(catalog_path, spec_dir)
        text = text.replace("\nfiles:\n", f"\ncatalog: {relative}\nfiles:\n", 1)
    if to_stdout:
        click.echo(text, nl=False)
    else:
        if target.exists() and not force:
            raise UsageError(f"{target} exists", hint="pass --force to overwrite it")
        write_atomic(target, text)
        click.echo(f"wrote {target}", err=True)
    for item in draft.undecided:
        click.echo(f"  to decide: {item}", err=True)
    if not to_stdout:
        report_lint(target)
    return 0


def from_request(request_path: Path, output: Path | None, force: bool) -> int:
    """`init --from-request`: the request's spec, written only when it compiles back to the
    request; the request's problems (schema, or what no spec can say) otherwise, exit 1."""
    from specc.cli.common import show_report
    from specc.from_request import convert_request_file
    from specc.inputs import real_path

    target = output or request_path.with_suffix(".yaml")
    to_stdout = str(target) == "-"
    if not to_stdout:
        if real_path(target) == real_path(request_path):
            raise UsageError(
                f"the spec would overwrite the request {request_path}",
                hint="name the spec with -o SPEC",
            )
        if target.exists() and not force:
            raise UsageError(f"{target} exists", hint="pass --force to overwrite it")
    conversion = convert_request_file(request_path, str(request_path))
    if conversion.result.diagnostics:
        show_report(conversion.result, None, err=True)
    if conversion.spec_text is None:
        return 1
    if to_stdout:
        click.echo(conversion.spec_text, nl=False)
        return 0
    write_atomic(target, conversion.spec_text)
    click.echo(f"wrote {target}", err=True)
    report_lint(target)
    return 0


def report_lint(target: Path) -> None:
    """Say whether the spec just written lints clean, counting what is left."""
    from specc.pipeline import lint
    from specc.report.shared import plural
    from specc.run import Options

    result = lint([target], Options(cwd=Path.cwd()))
    if result.errors or result.warnings:
        click.echo(
            f"{target} does not lint clean yet ({plural(result.errors, 'error')}, "
            f"{plural(result.warnings, 'warning')}): run `specc lint {target}` for the details",
            err=True,
        )
    else:
        click.echo(f"{target} lints clean", err=True)


def _relative(path: Path, base: Path) -> str:
    import os

    return Path(os.path.relpath(path.resolve(), base.resolve())).as_posix()
