"""Rules about the files of an import: names, formats, sizes of the mapping."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePath

from specc.codes import mapping as codes
from specc.diagnostics import Diagnostic
from specc.rules.context import Context

# KB: "Be a .csv, .xlsx, or .xls file."
FORMAT_BY_EXTENSION = {".csv": "CSV", ".xlsx": "SPREADSHEET", ".xls": "SPREADSHEET"}
# KB: "Contain fewer than 1,000 columns."
MAX_COLUMNS = 999
# No documented maximum, but every documented import has one or two files.
DOCUMENTED_FILES = 2


def repeated_headers(ctx: Context) -> Iterator[Diagnostic]:
    """SPC220: header names are unique within a file (`columnName` is the join key)."""
    for file in ctx.spec.files:
        seen: set[str] = set()
        for column in file.columns:
            if column.name in seen:
                yield codes.REPEATED_HEADER_NAME.at(
                    f"header '{column.name}' appears more than once in {file.file_name}",
                    hint="rename one of the headers, in the data file and in the spec",
                    spec=ctx.at(column.pointer),
                )
            seen.add(column.name)


def duplicate_file_names(ctx: Context) -> Iterator[Diagnostic]:
    """SPC221: each file of the import has its own file name."""
    first: dict[str, str] = {}
    for file in ctx.spec.files:
        if file.file_name in first:
            yield codes.DUPLICATE_FILE_NAME.at(
                f"{file.shown_path} and {first[file.file_name]} have the same file name "
                f"'{file.file_name}'; HubSpot matches uploads to files by name",
                hint="rename one of the data files",
                spec=ctx.at(file.pointer, "path", value=True),
            )
        else:
            first[file.file_name] = file.shown_path


def format_matches_extension(ctx: Context) -> Iterator[Diagnostic]:
    """SPC222: .csv files are CSV, .xlsx/.xls files SPREADSHEET, and no other extension."""
    for file in ctx.spec.files:
        extension = PurePath(file.file_name).suffix.lower()
        expected = FORMAT_BY_EXTENSION.get(extension)
        if expected is None:
            if not file.format_known:
                continue  # no format to go by: loading already refused the file (SPC026)
            yield codes.FORMAT_EXTENSION_MISMATCH.at(
                f"HubSpot imports .csv, .xlsx and .xls files, not '{file.file_name}'",
                hint="save the data as .csv (UTF-8) or .xlsx",
                spec=ctx.at(file.pointer, "path", value=True),
            )
        elif expected != file.format:
            yield codes.FORMAT_EXTENSION_MISMATCH.at(
                f"'{file.file_name}' is sent as {file.format}, but its extension makes it "
                f"{expected}",
                hint=f"remove `format:` or rename the file to match {file.format}",
                spec=ctx.at(file.pointer, "format", value=True),
            )


def column_count(ctx: Context) -> Iterator[Diagnostic]:
    """SPC223: fewer than 1,000 columns per file."""
    for file in ctx.spec.files:
        if len(file.columns) > MAX_COLUMNS:
            yield codes.TOO_MANY_COLUMNS.at(
                f"{file.file_name} has {len(file.columns):,} columns; HubSpot takes fewer "
                "than 1,000",
                hint="split the file, or drop columns that are not imported",
                spec=ctx.at(file.pointer, "columns"),
            )


def header_row(ctx: Context) -> Iterator[Diagnostic]:
    """SPC224: files have a header row."""
    for file in ctx.spec.files:
        if not file.has_header:
            yield codes.NO_HEADER_ROW.at(
                f"{file.file_name} has no header row; its columns are matched by position only",
                hint="add a header row to the file and remove `has_header: false`",
                spec=ctx.at(file.pointer, "has_header"),
            )


def file_count(ctx: Context) -> Iterator[Diagnostic]:
    """SPC225: one or two files, as HubSpot documents."""
    if len(ctx.spec.files) > DOCUMENTED_FILES:
        yield codes.MANY_FILES.at(
            f"the import has {len(ctx.spec.files)} files; HubSpot documents imports of one or two",
            hint="split it into imports of one or two files",
            spec=ctx.at("/files"),
        )


RULES = (
    repeated_headers,
    duplicate_file_names,
    format_matches_extension,
    column_count,
    header_row,
    file_count,
)
