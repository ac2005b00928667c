"""`specc fix`: a corrected copy of a spec's data files, changing only what has one meaning.

    fix_spec(spec, out_dir, options) -> Fixed (every change, and what `check` says of the copy)

How: each data file is first copied into the output folder (a whole file that is not UTF-8
but reads as Windows-1252, or that is separated by `;` or tabs where the spec's header says
so, is decoded and re-written as UTF-8 with commas, one record for one record so every line
keeps its number). A copy of the spec that points at those copies is checked with the
library's own `check_spec`, with no limit on findings; only the cells it reports (errors and
warnings) are looked at, and a cell is rewritten only when `propose` finds exactly one reading
of it and the exact check of its property accepts what it would write. Rows with a change are
parsed and written again; every other physical line is copied byte for byte. Last, the copy
is checked again as `specc check` would: what is left is what the user still has to fix.

Fix rules (`propose`), each a `rule` name in the change list: `whitespace`, `date`, `number`,
`percent`, `boolean`, `option`, `checkbox-list`, `domain`; whole files: `encoding`,
`delimiter`. Readings deliberately refused (left, reported as `check` reports them): a date
that reads as a date in two orders (`03/04/2026` under YEAR_MONTH_DAY), `1,200` (one
thousand two hundred, or 1.2 with a decimal comma), fractions of seconds, an option matching
several options, owners and pipelines (the account's lists, not the property's options).

Spreadsheet data files are copied as they are and their findings left: their cells are typed,
and rewriting them is not done yet. Nothing here prints.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from specc.catalog.model import Catalog, Property
from specc.data.values import Kind, TextCheck, checker_for, kind_of
from specc.data.values.base import STRIP_CHARS
from specc.data.values.choices import OptionIndex
from specc.data.values.dates import ORDERS, read_date
from specc.data.values.numbers import PERCENT_HINTS
from specc.diagnostics import Diagnostic, Result, Severity
from specc.errors import InputError, UsageError
from specc.run import Options
from specc.spec.model import Column, DataFile, Spec

WHITESPACE = "whitespace"
DATE = "date"
NUMBER = "number"
PERCENT = "percent"
BOOLEAN = "boolean"
OPTION = "option"
CHECKBOX_LIST = "checkbox-list"
DOMAIN = "domain"
ENCODING = "encoding"
DELIMITER = "delimiter"

BLOCK_BYTES = 8 << 20
# Findings are not cut at --max-errors while looking for cells to fix: every reported cell
# counts. (The final check of the copy keeps the user's limit.)
NO_LIMIT = 1 << 62


@dataclass(frozen=True)
class Change:
    """One rewritten cell (line and column None for a whole-file change)."""

    file: str
    line: int | None
    column: str | None
    before: str
    after: str
    rule: str

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "before": self.before,
            "after": self.after,
            "rule": self.rule,
        }


@dataclass
class Fixed:
    """What `fix_spec` did: the changes, the spec copy, and `check` of the copy (`left`)."""

    changes: list[Change] = field(default_factory=list)
    left: Result = field(default_factory=Result)
    spec_copy: Path | None = None


# --- one value --------------------------------------------------------------------------------


def propose(
    kind: Kind, prop: Property, raw: str, check: TextCheck, date_format: str
) -> tuple[str, str] | None:
    """(the value to write, the rule) for a cell the exact `check` reports; None when the
    check accepts it already or the value has no single reading the check would accept."""
    if check(raw) is None:
        return None  # accepted as it is: never changed
    value = raw.strip(STRIP_CHARS)
    if not value:
        return None
    if check(value) is None:
        return value, WHITESPACE
    found: tuple[str, str] | None = None
    if kind in (Kind.DATE, Kind.DATETIME):
        found = fix_date(value, date_format, with_time=kind is Kind.DATETIME)
    elif kind is Kind.NUMBER:
        found = fix_number(value, percent=prop.number_display_hint in PERCENT_HINTS)
    elif kind is Kind.BOOL:
        found = fix_boolean(value)
    elif kind is Kind.ENUM:
        found = fix_option(value, OptionIndex(prop.options))
    elif kind is Kind.MULTI_ENUM:
        found = fix_checkboxes(value, OptionIndex(prop.options))
    elif kind is Kind.DOMAIN:
        found = fix_domain(value)
    if found is None or found[0] == raw or check(found[0]) is not None:
        return None
    return found


_DATE = re.compile(
    r"([0-9]{1,4}|[A-Za-z]{3,9})([-/.])([0-9]{1,2}|[A-Za-z]{3,9})\2([0-9]{1,4})"
    r"(?:([ T])(.+))?"
)
_TIME = re.compile(
    r"([01][0-9]|2[0-3]):([0-5][0-9])(?::([0-5][0-9]))?(Z|[+-][01][0-9]:?[0-5][0-9])?"
)
_MIDNIGHT = re.compile(r"00:00(?::00)?(?:Z|[+-]00:?00)?")


def date_readings(parts: tuple[str, str, str]) -> set[tuple[int, int, int]]:
    """Every (year, month, day) the three parts are, in any of HubSpot's three orders."""
    found = set()
    for order in ORDERS.values():
        date = read_date(parts, order)
        if not isinstance(date, str):
            found.add(date)
    return found


def write_date(date: tuple[int, int, int], date_format: str) -> str:
    year, month, day = date
    if date_format == "YEAR_MONTH_DAY":
        return f"{year:04d}-{month:02d}-{day:02d}"
    if date_format == "DAY_MONTH_YEAR":
        return f"{day:02d}/{month:02d}/{year:04d}"
    return f"{month:02d}/{day:02d}/{year:04d}"


def fix_date(value: str, date_format: str, *, with_time: bool) -> tuple[str, str] | None:
    """A date (ISO or any order) that is one date in exactly one order, in the spec's order;
    a date-time's `hh:mm[:ss]` kept and a `Z` written `+00:00`."""
    m = _DATE.fullmatch(value)
    if m is None:
        return None
    readings = date_readings((m.group(1), m.group(3), m.group(4)))
    if len(readings) != 1:
        return None
    text = write_date(next(iter(readings)), date_format)
    time = m.group(6)
    if time is None:
        return text, DATE
    if not with_time:
        # Only the midnight exports add to plain dates is dropped; another time is a question.
        return (text, DATE) if _MIDNIGHT.fullmatch(time) else None
    t = _TIME.fullmatch(time)
    if t is None:
        return None  # fractions of seconds, 12-hour clocks, zone names: left
    hh_mm = f"{t.group(1)}:{t.group(2)}" + (f":{t.group(3)}" if t.group(3) else "")
    zone = t.group(4)
    if zone is None:
        return f"{text} {hh_mm}", DATE
    if zone == "Z":
        zone = "+00:00"
    elif ":" not in zone:
        zone = f"{zone[:3]}:{zone[3:]}"
    return f"{text} {hh_mm} {zone}", DATE


_CURRENCY = re.compile(
    r"(?:[$€£¥₹₩₽¢]|(?:USD|EUR|GBP|JPY|CHF|CAD|AUD|INR|CNY|SEK|NOK|DKK|PLN|BRL|MXN)\b)", re.I
)
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_PLAIN = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")


def read_number(value: str) -> tuple[Decimal, bool] | None:
    """The one number `value` is (a sign, one currency symbol or code before or after,
    thousands commas with a decimal part or several groups, a trailing %), and whether it had
    a percent sign; None when it has no reading or two (`1,200`: 1200 or 1.2)."""
    text = value.strip()
    percent = text.endswith("%")
    if percent:
        text = text[:-1].rstrip()
    sign = ""
    if text[:1] in ("+", "-"):
        sign, text = text[0], text[1:].lstrip()
    m = _CURRENCY.match(text)
    if m is not None:
        text = text[m.end() :].lstrip()
    else:
        m = _CURRENCY.search(text)
        if m is not None and m.end() == len(text):
            text = text[: m.start()].rstrip()
    if not sign and text[:1] in ("+", "-"):
        sign, text = text[0], text[1:]
    if _GROUPED.fullmatch(text):
        if "." not in text and text.count(",") == 1:
            return None  # 1,200: a thousands separator or a decimal comma
        text = text.replace(",", "")
    elif not _PLAIN.fullmatch(text):
        return None
    try:
        number = Decimal(sign + text)
    except InvalidOperation:
        return None
    return number, percent


def fix_number(value: str, *, percent: bool) -> tuple[str, str] | None:
    read = read_number(value)
    if read is None:
        return None
    number, has_percent = read
    if has_percent:
        if percent:
            return None  # a percentage property takes 25% itself; what is wrong is not this
        return _plain(number / 100), PERCENT
    m = _GROUPED.search(value) or _PLAIN.search(value)
    digits = m.group(0).replace(",", "") if m is not None else _plain(number)
    sign = "-" if number < 0 or (number == 0 and "-" in value) else ""
    return sign + digits, NUMBER


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


_TRUE = frozenset({"1", "y", "t", "on", "checked"})
_FALSE = frozenset({"0", "n", "f", "off", "unchecked"})


def fix_boolean(value: str) -> tuple[str, str] | None:
    folded = value.casefold()
    if folded in _TRUE:
        return "true", BOOLEAN
    if folded in _FALSE:
        return "false", BOOLEAN
    return None


def option_value(item: str, index: OptionIndex) -> str | None:
    """The internal value of the one option `item` names (exactly, else ignoring case)."""
    item = item.strip(STRIP_CHARS)
    found = index.exact.get(item)
    if found is None:
        found = index.folded.get(item.casefold())
    if found is None or len(found) != 1:
        return None
    return index.options[found[0]].value


def fix_option(value: str, index: OptionIndex) -> tuple[str, str] | None:
    found = option_value(value, index)
    return None if found is None else (found, OPTION)


def fix_checkboxes(value: str, index: OptionIndex) -> tuple[str, str] | None:
    """Each item as its option's internal value; items split on commas only when the value
    has no semicolon and is not itself an option (a label may hold a comma)."""
    rule = OPTION
    if ";" not in value and "," in value and option_value(value, index) is None:
        items, rule = value.split(","), CHECKBOX_LIST
    else:
        items = value.split(";")
    lead = ""
    if len(items) > 1 and items[0] == "" and rule == OPTION:
        lead, items = ";", items[1:]
    values = [option_value(item, index) for item in items]
    if any(v is None for v in values):
        return None
    return lead + ";".join(v for v in values if v is not None), rule


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_PORT = re.compile(r":[0-9]{1,5}$")


def fix_domain(value: str) -> tuple[str, str] | None:
    """The host of a URL-like value: what HubSpot keeps of it."""
    if "@" in value:
        return None
    host = value
    scheme = _SCHEME.match(host)
    if scheme is not None:
        host = host[scheme.end() :]
    cut = min((i for i in (host.find(c) for c in "/?#") if i >= 0), default=len(host))
    host = _PORT.sub("", host[:cut])
    if host.endswith(".") and not host.endswith(".."):
        host = host[:-1]
    return (host, DOMAIN) if host and host != value else None


# --- the whole run ----------------------------------------------------------------------------


def fix_spec(spec_path: Path, out_dir: Path, options: Options, *, force: bool = False) -> Fixed:
    """Write the fixed copy of `spec_path`'s data files and the spec into `out_dir`.

    Raises UsageError when `out_dir` holds a source or a file it would replace (without
    `force`), InputError when a source cannot be read. A spec that does not load is not
    copied: its diagnostics are `left`."""
    from specc.pipeline import _take, check_spec, load_spec

    fixed = Fixed()
    loaded = load_spec(spec_path, options)
    if loaded.spec is None or loaded.has_errors:
        _take(fixed.left, loaded)
        return fixed
    spec = loaded.spec
    out = _prepare_out(spec, out_dir, force)

    copies: dict[str, DataFile] = {}  # shown path of the copy -> the source's DataFile
    for data_file in spec.files:
        target = out / data_file.file_name
        if data_file.format == "CSV":
            fixed.changes.extend(_copy_csv(data_file, target, options))
        else:
            with _open_source(data_file, options) as source, open(target, "wb") as sink:
                shutil.copyfileobj(source, sink)
    spec_copy = out / spec.source.name
    _write_spec_copy(loaded.text, spec, spec_copy, out)
    fixed.spec_copy = out_dir / spec.source.name  # as the user named the folder

    # The original spec's folder stays an allowed root: its catalog may live there.
    copy_options = replace(
        options,
        data_roots=(*options.data_roots, spec.source.parent),
        max_errors=NO_LIMIT,
        rejects=None,
    )
    copy = load_spec(spec_copy, copy_options)
    if copy.spec is None or copy.has_errors:
        raise InputError(f"the copy of the spec at {spec_copy} does not load")
    for copied in copy.spec.files:
        copies[copied.shown_path] = copied
    findings = check_spec(copy.spec, copy_options)
    catalog = _catalog(copy.spec)
    cells = _cell_fixes(copy.spec, catalog, findings.diagnostics)
    for shown, by_line in cells.items():
        data_file = copies[shown]
        fixed.changes.extend(_rewrite_csv(data_file, by_line))

    final_options = replace(options, data_roots=copy_options.data_roots, rejects=None)
    left = Result()
    final = load_spec(spec_copy, final_options)
    _take(left, final)
    if final.spec is not None:
        left.files += len(final.spec.files)
        found = check_spec(final.spec, final_options)
        left.extend(found.diagnostics)
        left.rows_checked += found.rows_checked
        left.errors_by_type.update(found.errors_by_type)
    fixed.left = left
    return fixed


def _catalog(spec: Spec) -> Catalog:
    from specc.catalog.load import load_catalog

    return load_catalog(spec)[0]


def _prepare_out(spec: Spec, out_dir: Path, force: bool) -> Path:
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{out_dir} is not a folder", hint="give -o a folder for the copies")
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir.resolve()
    sources = [spec.source, *(f.path for f in spec.files)]
    if spec.catalog_path is not None:
        sources.append(spec.catalog_path)
    for source in sources:
        if source.resolve().parent == out:
            raise UsageError(
                f"{out_dir} holds {source.name}, a source of the spec; fix never writes over "
                "its sources",
                hint="write the fixed copy into another folder",
            )
    names = [f.file_name for f in spec.files] + [spec.source.name]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise UsageError(
                f"two files of the spec are named {name}; their copies would share "
                f"{out_dir / name}",
                hint="rename one of the data files",
            )
        seen.add(name)
        if (out / name).exists() and not force:
            raise UsageError(
                f"{out_dir / name} exists; fix keeps existing files",
                hint="pass --force to replace them, or write into an empty folder",
            )
    return out


def _open_source(data_file: DataFile, options: Options) -> IO[bytes]:
    from specc.inputs import open_input

    return open_input(data_file.path, shown=data_file.shown_path)


# --- whole files ------------------------------------------------------------------------------


def _physical_lines(stream: IO[bytes]) -> Iterator[bytes]:
    """The file's lines with their ends (`\\n`, `\\r\\n`, a lone `\\r`), read in blocks."""
    carry = b""
    while True:
        block = stream.read(BLOCK_BYTES)
        data = carry + block if carry else block
        if not data:
            return
        if block:
            # Never cut between \r and the \n that may follow it.
            cut = max(data.rfind(b"\n"), data.rfind(b"\r", 0, len(data) - 1)) + 1
            if cut == 0:
                carry = data
                continue
        else:
            cut = len(data)
        yield from data[:cut].splitlines(keepends=True)
        carry = data[cut:]


def _records(lines: Iterator[bytes]) -> Iterator[tuple[int, bytes]]:
    """(first line number, raw bytes) of each record: lines joined while a quote is open.
    (A record with misplaced quotes may swallow lines; the cells of a record are checked
    against what `check` read before anything in it is changed.)"""
    line = 1
    parts: list[bytes] = []
    quotes = 0
    start = 1
    for raw in lines:
        if not parts:
            start = line
        parts.append(raw)
        quotes += raw.count(b'"')
        line += 1
        if quotes % 2 == 0:
            yield start, b"".join(parts)
            parts, quotes = [], 0
    if parts:
        yield start, b"".join(parts)


def _ending(raw: bytes) -> bytes:
    for end in (b"\r\n", b"\n", b"\r"):
        if raw.endswith(end):
            return end
    return b""


def _encoding_of(data_file: DataFile, options: Options) -> str | None:
    """ "utf-8", "windows-1252" (not UTF-8, but every byte a Windows-1252 character), or
    None (NUL bytes, or neither: left for `check` to report)."""
    utf8 = codecs.getincrementaldecoder("utf-8")("strict")
    ok = True
    with _open_source(data_file, options) as source:
        while block := source.read(BLOCK_BYTES):
            if b"\x00" in block:
                return None
            if ok:
                try:
                    utf8.decode(block)
                except UnicodeDecodeError:
                    ok = False
        if ok:
            try:
                utf8.decode(b"", final=True)
                return "utf-8"
            except UnicodeDecodeError:
                pass
        source.seek(0)
        cp1252 = codecs.getincrementaldecoder("cp1252")("strict")
        try:
            while block := source.read(BLOCK_BYTES):
                cp1252.decode(block)
        except UnicodeDecodeError:
            return None
    return "windows-1252"


def _delimiter_of(header: str, data_file: DataFile) -> str:
    """`,` unless the first record splits into the spec's columns on `;` or a tab only."""
    names = [c.name.strip().casefold() for c in data_file.columns]
    if len(names) < 2 or len(_split(header, ",")) != 1:
        return ","
    for delimiter in (";", "\t"):
        cells = _split(header, delimiter)
        if len(cells) != len(names):
            continue
        if not data_file.has_header or [c.strip().casefold() for c in cells] == names:
            return delimiter
    return ","


def _split(record: str, delimiter: str) -> list[str]:
    from specc.tables.csv import split_record  # CSV is parsed in specc.tables only

    return split_record(record, delimiter) or []


def _serialize(cells: list[str], ending: str) -> str:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator=ending).writerow(cells)
    return out.getvalue()


def _copy_csv(data_file: DataFile, target: Path, options: Options) -> list[Change]:
    """Copy a CSV file into `target`: byte for byte, or decoded to UTF-8 and re-written with
    commas, record for record (so each record keeps its line)."""
    shown = data_file.shown_path
    encoding = _encoding_of(data_file, options)
    if encoding is None:
        with _open_source(data_file, options) as source, open(target, "wb") as sink:
            shutil.copyfileobj(source, sink)
        return []
    with _open_source(data_file, options) as source:
        first = next(_records(_physical_lines(source)), (1, b""))[1]
    header = first.decode(encoding).removeprefix("\ufeff").rstrip("\r\n")
    delimiter = _delimiter_of(header, data_file)
    if encoding == "utf-8" and delimiter == ",":
        with _open_source(data_file, options) as source, open(target, "wb") as sink:
            shutil.copyfileobj(source, sink)
        return []
    changes = []
    if encoding != "utf-8":
        changes.append(Change(shown, None, None, encoding, "utf-8", ENCODING))
    if delimiter != ",":
        changes.append(Change(shown, None, None, delimiter, ",", DELIMITER))
    with _open_source(data_file, options) as source, open(target, "wb") as sink:
        for _, raw in _records(_physical_lines(source)):
            text = raw.decode(encoding)
            if delimiter != ",":
                ending = _ending(raw).decode()
                body = text[: len(text) - len(ending)] if ending else text
                cells = _split(body, delimiter)
                # A record csv cannot split stays as it was (check reports it).
                text = _serialize(cells, ending) if cells or not body else text
            sink.write(text.encode("utf-8"))
    return changes


# --- cells ------------------------------------------------------------------------------------

# shown path of a copy -> line -> column index -> (column name, before, after, rule)
CellFixes = dict[str, dict[int, dict[int, tuple[str, str, str, str]]]]


def _cell_fixes(spec: Spec, catalog: Catalog, diagnostics: list[Diagnostic]) -> CellFixes:
    files = {f.shown_path: f for f in spec.files if f.format == "CSV"}
    checkers: dict[tuple[str, int], tuple[Kind, Property, TextCheck] | None] = {}
    fixes: CellFixes = {}
    for d in diagnostics:
        at = d.data
        if d.severity is Severity.INFO or at is None or at.line is None or at.value is None:
            continue
        data_file = files.get(at.file)
        if data_file is None:
            continue
        indexes = [j for j, c in enumerate(data_file.columns) if c.name == at.column]
        if len(indexes) != 1:
            continue
        j = indexes[0]
        key = (at.file, j)
        if key not in checkers:
            checkers[key] = _checker(spec, catalog, data_file.columns[j])
        found = checkers[key]
        if found is None:
            continue
        kind, prop, check = found
        proposed = propose(kind, prop, at.value, check, spec.date_format)
        if proposed is None:
            continue
        after, rule = proposed
        fixes.setdefault(at.file, {}).setdefault(at.line, {})[j] = (
            data_file.columns[j].name,
            at.value,
            after,
            rule,
        )
    return fixes


def _checker(
    spec: Spec, catalog: Catalog, column: Column
) -> tuple[Kind, Property, TextCheck] | None:
    """The column's kind, property and exact check, built as `check` builds them."""
    if not column.is_property or column.object_type_id is None or column.property is None:
        return None
    prop = catalog.property(column.object_type_id, column.property)
    if prop is None:
        return None
    column_type = None
    if column.id:
        column_type = (
            "HUBSPOT_OBJECT_ID" if column.property == "hs_object_id" else "HUBSPOT_ALTERNATE_ID"
        )
    oid = column.object_type_id
    kind = kind_of(prop, column_type=column_type, object_type_id=oid)
    if kind in (Kind.ENUM, Kind.MULTI_ENUM) and _account_list(prop, catalog, oid):
        return None  # owners and pipelines: the account's lists, not the property's options
    check = checker_for(
        prop,
        date_format=spec.date_format,
        snapshot=catalog.is_snapshot,
        column_type=column_type,
        object_type_id=oid,
        catalog=catalog,
    )
    return kind, prop, check


def _account_list(prop: Property, catalog: Catalog, object_type_id: str) -> bool:
    from specc.data.values.account import account_check

    return account_check(prop, catalog, object_type_id) is not None


def _rewrite_csv(
    data_file: DataFile, by_line: dict[int, dict[int, tuple[str, str, str, str]]]
) -> list[Change]:
    """Rewrite the rows at the lines in `by_line` (the copy, in place); every other line is
    copied as it is. A change is made only where the row still reads as `check` read it."""
    changes: list[Change] = []
    path = data_file.path
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with open(path, "rb") as source, os.fdopen(fd, "wb") as sink:
            for line, raw in _records(_physical_lines(source)):
                cells_fix = by_line.get(line)
                if cells_fix is None:
                    sink.write(raw)
                    continue
                text = raw.decode("utf-8")
                ending = _ending(raw).decode()
                bom = "\ufeff" if line == 1 and text.startswith("\ufeff") else ""
                body = text[len(bom) : len(text) - len(ending)]
                cells = _split(body, ",")
                if len(cells) != len(data_file.columns):
                    sink.write(raw)
                    continue
                for j, (name, before, after, rule) in sorted(cells_fix.items()):
                    if cells[j] == before:
                        cells[j] = after
                        changes.append(
                            Change(data_file.shown_path, line, name, before, after, rule)
                        )
                sink.write((bom + _serialize(cells, ending)).encode("utf-8"))
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return changes


# --- the spec's copy --------------------------------------------------------------------------


def _write_spec_copy(text: str, spec: Spec, target: Path, out: Path) -> None:
    """The spec's text with each data file's path set to its copy's name and the catalog's
    to where it is from `out`; nothing else changes (comments, order, quoting)."""
    edits: list[tuple[int, int, str]] = []
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    targets = [(f"{f.pointer}/path", f.file_name) for f in spec.files]
    if spec.catalog_path is not None:
        targets.append(("/catalog", os.path.relpath(spec.catalog_path, out)))
    for pointer, value in targets:
        where = spec.source_map.values.get(pointer)
        if where is None:
            raise InputError(f"cannot find {pointer} in {spec.source}")
        begin = starts[where[0] - 1] + where[1] - 1
        end = _scalar_end(text, begin)
        edits.append((begin, end, _quote(value)))
    for begin, end, value in sorted(edits, reverse=True):
        text = text[:begin] + value + text[end:]
    from specc.atomic import write_text_atomic

    write_text_atomic(target, text)


def _scalar_end(text: str, begin: int) -> int:
    quote = text[begin : begin + 1]
    if quote == '"':
        i = begin + 1
        while i < len(text) and text[i] != '"':
            i += 2 if text[i] == "\\" else 1
        return i + 1
    if quote == "'":
        i = begin + 1
        while i < len(text):
            if text[i] == "'":
                if text[i + 1 : i + 2] == "'":
                    i += 2
                    continue
                return i + 1
            i += 1
        return i
    line_end = text.find("\n", begin)
    line_end = len(text) if line_end < 0 else line_end
    line_start = text.rfind("\n", 0, begin) + 1
    flow = "{" in text[line_start:begin] or "[" in text[line_start:begin]
    end = line_end
    comment = text.find(" #", begin, line_end)
    if comment >= 0:
        end = comment
    if flow:
        for stop in ",}]":
            at = text.find(stop, begin, end)
            if at >= 0:
                end = at
    return len(text[begin:end].rstrip()) + begin


def _quote(value: str) -> str:
    """A double-quoted string both YAML and TOML read as `value`."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
