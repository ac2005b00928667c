"""The header check: each data file's first row against the spec's `columns`.

Only the header is read, never the rows: for CSV the bytes up to the end of the first record
(a quoted header cell may span lines), for spreadsheets the first row of the first sheet and
the list of sheets. HubSpot joins mappings to columns by name and expects them in header
order (hubspot-domain.md §2.5 R3), so names, order and count are compared, and a difference is
described as precisely as possible: missing, unmapped, renamed, moved or swapped columns, and
names that differ only by invisible characters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from specc.codes import mapping as codes
from specc.diagnostics import DataLocation, Diagnostic, SpecLocation
from specc.inputs import InputRefused
from specc.spec.model import DataFile, Spec
from specc.tables.header import Header, HeaderProblem, read_header

# Characters that look like nothing or like a space, and what to call them in a hint.
ZERO_WIDTH = {
    "\u200b": "zero-width space (U+200B)",
    "\u200c": "zero-width non-joiner (U+200C)",
    "\u200d": "zero-width joiner (U+200D)",
    "\u2060": "word joiner (U+2060)",
    "\ufeff": "byte order mark / zero-width no-break space (U+FEFF)",
    "\u00ad": "soft hyphen (U+00AD)",
}
SPACE_LIKE = {
    "\u00a0": "non-breaking space (U+00A0)",
    "\u202f": "narrow non-breaking space (U+202F)",
    "\u2007": "figure space (U+2007)",
    "\t": "tab",
}
# Reported one by one up to this many per kind; the rest are summed up in one diagnostic.
MAX_LISTED = 10


# --- comparing ----------------------------------------------------------------------------


def _fold(name: str) -> str:
    """A name without the differences people cannot see or do not mean."""
    import unicodedata  # here and below: only a header that differs needs it

    text = "".join(ch for ch in name if ch not in ZERO_WIDTH)
    text = "".join(" " if ch in SPACE_LIKE else ch for ch in text)
    text = unicodedata.normalize("NFC", text)
    return " ".join(text.split()).casefold()


def visible(name: str) -> str:
    """A name quoted, with invisible and space-like characters spelled out."""
    shown = "".join(
        f"\\u{ord(ch):04X}"
        if ch in ZERO_WIDTH or (ch in SPACE_LIKE and ch != "\t")
        else "\\t"
        if ch == "\t"
        else ch
        for ch in name
    )
    return f"'{shown}'"


def describe_difference(expected: str, found: str) -> str:
    """What sets two look-alike names apart, in words."""
    import unicodedata

    parts = []
    for ch, what in ZERO_WIDTH.items():
        if ch in found and ch not in expected:
            parts.append(f"the file's header has a {what}")
        elif ch in expected and ch not in found:
            parts.append(f"the spec's name has a {what}")
    for ch, what in SPACE_LIKE.items():
        if ch in found and ch not in expected:
            parts.append(f"the file's header has a {what} where the spec has a space")
        elif ch in expected and ch not in found:
            parts.append(f"the spec's name has a {what}")
    if found != found.strip():
        parts.append("the file's header has spaces around it")
    if expected != expected.strip():
        parts.append("the spec's name has spaces around it")
    if unicodedata.normalize("NFC", found) == unicodedata.normalize("NFC", expected):
        parts.append("the two are written with different Unicode forms (NFC/NFD)")
    if not parts and " ".join(found.split()) != " ".join(expected.split()):
        parts.append("the spaces inside the name differ")
    plain_found = " ".join(_strip_invisible(found).split())
    plain_expected = " ".join(_strip_invisible(expected).split())
    if plain_found != plain_expected and plain_found.casefold() == plain_expected.casefold():
        parts.append("letter case differs")
    return "; ".join(parts) or "they differ in characters that look alike"


def _strip_invisible(name: str) -> str:
    text = "".join(ch for ch in name if ch not in ZERO_WIDTH)
    return "".join(" " if ch in SPACE_LIKE else ch for ch in text)


class _Pairing:
    """Which header cell each spec column stands for (spec index -> header index)."""

    def __init__(
        self,
        exact: dict[int, int],
        near: dict[int, int],
        renamed: dict[int, int],
        missing: list[int],
        extra: list[int],
    ) -> None:
        self.exact = exact
        self.near = near
        self.renamed = renamed
        self.missing = missing  # spec indexes with no header
        self.extra = extra  # header indexes with no column

    def matched(self) -> dict[int, int]:
        return {**self.exact, **self.near, **self.renamed}


def pair_columns(expected: Sequence[str], found: Sequence[str]) -> _Pairing:
    """Pair spec columns with header cells: same names, then look-alikes, then renames."""
    import difflib

    free = set(range(len(found)))

    def take(test: Callable[[str], bool]) -> int | None:
        """The first header cell not paired yet that passes `test`, now paired."""
        for j in sorted(free):
            if test(found[j]):
                free.discard(j)
                return j
        return None

    exact: dict[int, int] = {}
    for i, name in enumerate(expected):
        j = take(lambda h, name=name: h == name)  # type: ignore[misc]
        if j is not None:
            exact[i] = j
    near: dict[int, int] = {}
    for i, name in enumerate(expected):
        if i in exact:
            continue
        folded = _fold(name)
        j = take(lambda h, folded=folded: _fold(h) == folded)  # type: ignore[misc]
        if j is not None:
            near[i] = j
    # What is left on both sides may be renamed: similar names first, then the same position.
    left = [i for i in range(len(expected)) if i not in exact and i not in near]
    renamed: dict[int, int] = {}
    for i in left:
        options = {found[j]: j for j in sorted(free, reverse=True)}
        close = difflib.get_close_matches(expected[i], list(options), n=1, cutoff=0.75)
        if close:
            renamed[i] = options[close[0]]
            free.discard(options[close[0]])
    for i in left:
        if i not in renamed and i in free and len(expected) == len(found):
            renamed[i] = i
            free.discard(i)
    missing = [i for i in left if i not in renamed]
    return _Pairing(exact, near, renamed, missing, sorted(free))


def _longest_increasing(values: list[int]) -> set[int]:
    """Indexes (into `values`) of one longest strictly increasing subsequence."""
    best: list[int] = []  # best[k]: index of the smallest tail of an increasing run of k+1
    back = [-1] * len(values)
    for n, v in enumerate(values):
        lo, hi = 0, len(best)
        while lo < hi:
            mid = (lo + hi) // 2
            if values[best[mid]] < v:
                lo = mid + 1
            else:
                hi = mid
        back[n] = best[lo - 1] if lo else -1
        if lo == len(best):
            best.append(n)
        else:
            best[lo] = n
    keep: set[int] = set()
    n = best[-1] if best else -1
    while n >= 0:
        keep.add(n)
        n = back[n]
    return keep


def _more_columns(n: int) -> str:
    return f"{n} more column" if n == 1 else f"{n} more columns"


def _are(n: int) -> str:
    return "is" if n == 1 else "are"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class _Report:
    """Builds the diagnostics of one file, with its locations."""

    def __init__(self, spec: Spec, file: DataFile) -> None:
        self.spec = spec
        self.file = file

    def column_at(self, index: int) -> SpecLocation:
        return self.spec.where(self.file.columns[index].pointer)

    def path_at(self) -> SpecLocation:
        pointer = f"{self.file.pointer}/path"
        source = self.spec.source_map
        if pointer in source.keys or pointer in source.values:
            return self.spec.where(pointer, value=True)
        return self.spec.where(self.file.pointer)

    def data(self, column: str | None = None) -> DataLocation:
        return DataLocation(file=self.file.shown_path, line=1, column=column)


def compare_header(spec: Spec, file: DataFile, header: Header) -> Iterator[Diagnostic]:
    """Every way the file's first row differs from the spec's columns."""
    report = _Report(spec, file)
    expected = [c.name for c in file.columns]
    found = header.cells
    if not file.has_header:
        if len(found) != len(expected):
            yield codes.COLUMN_COUNT_DIFFERS.at(
                f"{file.file_name} has {len(found)} column{'' if len(found) == 1 else 's'} in "
                f"its first row, the spec {len(expected)}",
                hint="with `has_header: false` columns are matched by position: list exactly "
                "one column per cell",
                spec=spec.where(f"{file.pointer}/columns"),
                data=report.data(),
            )
        return
    delimiter = other_delimiter(found) if file.format == "CSV" else None
    if delimiter is not None and (found == expected or len(expected) > 1):
        message = (
            f"{file.file_name}'s header is a single column {visible(found[0][:80])}: the file "
            f"separates its columns with {delimiter_name(delimiter)}, HubSpot reads commas"
        )
        if found == expected:
            # The spec copies the whole line as one name (as `specc init` once drafted it):
            # it matches, yet every row would be one cell to HubSpot.
            yield codes.HEADER_UNREADABLE.at(
                message,
                hint=f"{comma_hint(file.shown_path, delimiter)}; then map its columns one by "
                "one (`specc init` drafts them)",
                spec=report.path_at(),
                data=report.data(found[0]),
            )
        else:
            yield codes.COLUMN_NOT_IN_HEADER.at(
                message,
                hint=f"`specc fix` writes a copy with commas (and a spec for it), or "
                f"{comma_hint(file.shown_path, delimiter)}",
                spec=report.path_at(),
                data=report.data(found[0]),
            )
        return
    if found == expected:
        return
    pairing = pair_columns(expected, found)
    yield from _near_misses(report, pairing, expected, found)
    yield from _not_in_header(report, pairing, expected, found)
    yield from _extra(report, pairing, found)
    yield from _order(report, pairing, expected, found)


def _near_misses(
    report: _Report, pairing: _Pairing, expected: Sequence[str], found: Sequence[str]
) -> Iterator[Diagnostic]:
    for i, j in sorted(pairing.near.items()):
        yield codes.HEADER_NEAR_MISS.at(
            f"column {visible(expected[i])} is {visible(found[j])} in "
            f"{report.file.file_name}'s header: {describe_difference(expected[i], found[j])}",
            hint=_near_miss_hint(found[j]),
            spec=report.column_at(i),
            data=report.data(found[j]),
        )


def _near_miss_hint(found: str) -> str:
    if any(ch in ZERO_WIDTH or (ch in SPACE_LIKE and ch != "\t") for ch in found):
        escaped = visible(found)[1:-1].replace('"', '\\"')
        return (
            f"HubSpot compares names exactly: clean the file's header, or write the name "
            f'with escapes in a double-quoted string: "{escaped}"'
        )
    return f"HubSpot compares names exactly: use {visible(found)} in the spec, or fix the header"


def _not_in_header(
    report: _Report, pairing: _Pairing, expected: Sequence[str], found: Sequence[str]
) -> Iterator[Diagnostic]:
    """Columns of the spec the header lacks: the renamed ones (with their likely header)
    first, then the plainly missing; past MAX_LISTED, one diagnostic counts the rest."""
    entries: list[tuple[int, int | None]] = list(sorted(pairing.renamed.items()))
    entries += [(i, None) for i in pairing.missing]
    for i, j in entries[:MAX_LISTED]:
        if j is None:
            yield codes.COLUMN_NOT_IN_HEADER.at(
                f"column {visible(expected[i])} is not in {report.file.file_name}'s header",
                hint="remove it from `columns`, or add it to the file",
                spec=report.column_at(i),
                data=report.data(),
            )
        else:
            yield codes.COLUMN_NOT_IN_HEADER.at(
                f"column {visible(expected[i])} is not in {report.file.file_name}'s header; "
                f"its {_ordinal(j + 1)} column is {visible(found[j])}",
                hint=f"did you mean {visible(found[j])}? Names must match the header exactly",
                spec=report.column_at(i),
                data=report.data(found[j]),
            )
    rest = entries[MAX_LISTED:]
    if rest:
        yield codes.COLUMN_NOT_IN_HEADER.at(
            f"{_more_columns(len(rest))} of the spec {_are(len(rest))} not in "
            f"{report.file.file_name}'s header",
            spec=report.column_at(rest[0][0]),
            data=report.data(),
        )


def _extra(report: _Report, pairing: _Pairing, found: Sequence[str]) -> Iterator[Diagnostic]:
    listed = pairing.extra[:MAX_LISTED]
    for j in listed:
        what = (
            f"{report.file.file_name}'s {_ordinal(j + 1)} column has an empty header"
            if not found[j].strip()
            else f"header {visible(found[j])} ({_ordinal(j + 1)} column of "
            f"{report.file.file_name}) is not in the spec's columns"
        )
        yield codes.HEADER_NOT_MAPPED.at(
            what,
            hint="add it to `columns` (with `ignore: true` to skip it)"
            if found[j].strip()
            else 'add it to `columns` as `"": {ignore: true}` (HubSpot needs a mapping for every '
            "column), or remove the column from the file",
            spec=report.path_at(),
            data=report.data(found[j]),
        )
    rest = pairing.extra[MAX_LISTED:]
    if rest:
        yield codes.HEADER_NOT_MAPPED.at(
            f"{_more_columns(len(rest))} of {report.file.file_name} {_are(len(rest))} not in "
            "the spec's columns",
            spec=report.path_at(),
            data=report.data(),
        )


def _order(
    report: _Report, pairing: _Pairing, expected: Sequence[str], found: Sequence[str]
) -> Iterator[Diagnostic]:
    matched = sorted(pairing.matched().items())  # by spec position
    positions = [j for _, j in matched]
    if positions == sorted(positions):
        return
    keep = _longest_increasing(positions)
    moved = [n for n in range(len(matched)) if n not in keep]
    if len(moved) == 1 or len(moved) == 2:
        # Two columns exchanged show up as one or two out of place; say "swapped" when
        # exchanging a pair puts everything in order.
        swap = _swapped_pair(positions)
        if swap is not None:
            a, b = (matched[n][0] for n in swap)
            yield codes.COLUMN_ORDER_DIFFERS.at(
                f"columns {visible(expected[a])} and {visible(expected[b])} are swapped: "
                f"{report.file.file_name} has {visible(found[matched[swap[1]][1]])} "
                f"{_ordinal(matched[swap[1]][1] + 1)} and {visible(found[matched[swap[0]][1]])} "
                f"{_ordinal(matched[swap[0]][1] + 1)}",
                hint="exchange the two in `columns` to follow the file's header order",
                spec=report.column_at(a),
                data=report.data(found[matched[swap[0]][1]]),
            )
            return
    for n in moved[:MAX_LISTED]:
        i, j = matched[n]
        before = f"after {visible(found[j - 1])}" if j > 0 else "first"
        yield codes.COLUMN_ORDER_DIFFERS.at(
            f"column {visible(expected[i])} is {_ordinal(i + 1)} in `columns` but "
            f"{_ordinal(j + 1)} in {report.file.file_name}'s header",
            hint=f"move it in `columns` to come {before}, as in the file",
            spec=report.column_at(i),
            data=report.data(found[j]),
        )
    if len(moved) > MAX_LISTED:
        yield codes.COLUMN_ORDER_DIFFERS.at(
            f"{_more_columns(len(moved) - MAX_LISTED)} {_are(len(moved) - MAX_LISTED)} out "
            "of the file's order",
            spec=report.column_at(matched[moved[MAX_LISTED]][0]),
            data=report.data(),
        )


def _swapped_pair(positions: list[int]) -> tuple[int, int] | None:
    """The two entries whose exchange sorts `positions`, if there are exactly such two."""
    target = sorted(positions)
    wrong = [n for n, (p, t) in enumerate(zip(positions, target, strict=True)) if p != t]
    if len(wrong) == 2:
        a, b = wrong
        if positions[a] == target[b] and positions[b] == target[a]:
            return a, b
    return None


# --- files that are not comma-separated ----------------------------------------------------

OTHER_DELIMITERS = (";", "\t", "|")


def other_delimiter(header: Sequence[str]) -> str | None:
    """The delimiter a CSV header of one cell really uses (`;`, a tab, `|`): the one that
    splits it into several named cells. None for a header of several cells, or of one that
    none splits. Excel writes `;` where the decimal mark is a comma."""
    if len(header) != 1:
        return None
    from specc.tables.csv import split_record

    for delimiter in OTHER_DELIMITERS:
        if delimiter not in header[0]:
            continue
        named = [cell for cell in split_record(header[0], delimiter) or () if cell.strip()]
        if len(named) > 1:
            return delimiter
    return None


def delimiter_name(delimiter: str) -> str:
    return "tabs" if delimiter == "\t" else f"'{delimiter}'"


def comma_hint(shown: str, delimiter: str) -> str:
    """How to get a comma-separated copy now, as one command to paste."""
    source = shown if shown.isprintable() and "'" not in shown else "FILE.csv"
    target = f"{source[:-4] if source.lower().endswith('.csv') else source}-commas.csv"
    code = "\\t" if delimiter == "\t" else delimiter
    return (
        'convert it to commas: python3 -c "import csv,sys; csv.writer(sys.stdout)'
        f".writerows(csv.reader(sys.stdin, delimiter='{code}'))\" < '{source}' > '{target}'"
    )


# --- the check ----------------------------------------------------------------------------


def check_file(spec: Spec, file: DataFile) -> Iterator[Diagnostic]:
    report = _Report(spec, file)
    try:
        header = read_header(file.path, file.format)
    except InputRefused as refused:
        if refused.kind != "missing":
            yield codes.HEADER_UNREADABLE.at(
                f"cannot read {file.shown_path}: it {refused.reason}",
                hint=refused.hint,
                spec=report.path_at(),
                data=DataLocation(file=file.shown_path),
            )
            return
        yield codes.DATA_FILE_MISSING.at(
            f"data file {file.shown_path} not found",
            hint=f"{refused.hint} (paths are relative to the spec file)"
            if refused.hint
            else "paths are relative to the spec file",
            spec=report.path_at(),
            data=DataLocation(file=file.shown_path),
        )
        return
    except FileNotFoundError:
        yield codes.DATA_FILE_MISSING.at(
            f"data file {file.shown_path} not found",
            hint="paths are relative to the spec file",
            spec=report.path_at(),
            data=DataLocation(file=file.shown_path),
        )
        return
    except HeaderProblem as problem:
        yield codes.HEADER_UNREADABLE.at(
            f"{file.file_name}: {problem.message}",
            hint=problem.hint,
            spec=report.path_at(),
            data=DataLocation(file=file.shown_path, line=1),
            hubspot_error="INVALID_SPREADSHEET" if file.format == "SPREADSHEET" else None,
        )
        return
    except OSError as exc:
        yield codes.HEADER_UNREADABLE.at(
            f"cannot read {file.shown_path}: {exc.strerror or exc}",
            spec=report.path_at(),
            data=DataLocation(file=file.shown_path),
        )
        return
    if header is not None and header.sheets is not None and len(header.sheets) > 1:
        yield codes.TOO_MANY_SHEETS.at(
            f"{file.file_name} has {len(header.sheets)} sheets ({', '.join(header.sheets)}); "
            "HubSpot imports workbooks of one sheet",
            hint="delete the other sheets, or save the first one as CSV UTF-8",
            spec=report.path_at(),
            data=DataLocation(file=file.shown_path),
        )
    if header is None or not header.cells:
        where = "first sheet" if file.format == "SPREADSHEET" else "file"
        yield codes.EMPTY_FILE.at(
            f"{file.file_name}: the {where}'s first row is empty, so there is no header",
            hint="export the data again with its header row in the first row",
            spec=report.path_at(),
            data=DataLocation(file=file.shown_path, line=1),
        )
        return
    yield from compare_header(spec, file, header)


def check_headers(spec: Spec) -> list[Diagnostic]:
    """Every file's header against its columns (reads only the first row of each file)."""
    found: list[Diagnostic] = []
    for file in spec.files:
        found.extend(check_file(spec, file))
    return found
