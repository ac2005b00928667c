"""JSON from the user: the one bounded way specc reads a JSON file (or text) it is given.

    read_json(path, bounds, shown=..., roots=...)  -> JsonDocument   a file, via specc.inputs
    parse_json(data, bounds, shown)                -> JsonDocument   bytes or text already read
    JsonBounds(max_bytes, max_values, max_depth, max_integer_digits)

Catalog snapshots, saved importRequests (`specc diff --against`, `specc init --from-request`)
and any other JSON a user hands specc go through here, so that each is held to the same
bounds and refused in the same words, at a line and column:

- size: at most `max_bytes` bytes are read (specc.inputs.read_input);
- memory: at most `max_values` values (parsed, a value costs up to ~90 bytes: 63 MiB of
  `[{},{},...]` are 21 million values, which json.loads needs 1.6 GiB for);
- depth: nesting deeper than `max_depth` is refused before parsing, so that neither json's C
  scanner (RecursionError at the interpreter's limit) nor any later walk recurses without bound;
- integers: more than `max_integer_digits` digits are refused (converting digits to an int
  takes time that grows with the square of their count);
- text: UTF-8 only (a BOM is allowed), and the JSON of RFC 8259 only. `NaN`, `Infinity` and
  `-Infinity`, which Python's json reads but no other JSON reader does, are refused, and so is
  a number too large for a double (`1e999`, which would read as infinity).

Duplicate keys in one object are refused (`JsonRefused`, kind "duplicate_key", at the second
one): JSON leaves their meaning open, readers disagree (Python's json and HubSpot's keep the
last, others the first or refuse), and a hand-edited file that names `dateFormat` twice was
almost certainly meant to say one thing. specc would rather ask than guess.

Refusals are `JsonRefused`, an `InputError` (exit 2 when nothing catches it) whose `kind`,
`problem` (a predicate whose subject is the file), `line` and `column` let a caller turn it
into a diagnostic of its own. A file that cannot be read at all is `InputRefused`, as for any
input. Nothing here raises RecursionError, MemoryError or ValueError for any input.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from specc.errors import InputError
from specc.inputs import read_input

Kind = Literal[
    "not_utf8",
    "too_many_values",
    "too_deep",
    "long_number",
    "not_finite",
    "duplicate_key",
    "syntax",
]

# Python's own limit for turning digits into an int (sys.get_int_max_str_digits's default),
# fixed here so the environment cannot lift it.
DEFAULT_MAX_INTEGER_DIGITS = 4300
# Catalog snapshots and importRequests nest six levels deep.
DEFAULT_MAX_DEPTH = 64
# 5 million of the smallest values take json.loads under 500 MiB.
DEFAULT_MAX_VALUES = 5_000_000


@dataclass(frozen=True)
class JsonBounds:
    """What one kind of JSON input may hold (see the module doc)."""

    max_bytes: int
    max_values: int = DEFAULT_MAX_VALUES
    max_depth: int = DEFAULT_MAX_DEPTH
    max_integer_digits: int = DEFAULT_MAX_INTEGER_DIGITS


@dataclass(frozen=True)
class JsonDocument:
    """A JSON input: its text (for positions and carets) and its value."""

    text: str
    value: Any


class JsonRefused(InputError):
    """JSON specc will not read: not UTF-8, not JSON, or beyond its bounds.

    `problem` completes a sentence whose subject is the file ("is not valid JSON: expecting
    value"); `line` and `column` (1-based) say where, `kind` which refusal it is. The text is
    kept (`text`, "" when it is not UTF-8) so that a caller can show the line.
    """

    def __init__(
        self,
        shown: str,
        kind: Kind,
        problem: str,
        line: int,
        column: int,
        text: str = "",
        hint: str | None = None,
    ) -> None:
        where = f" (line {line}, column {column})" if kind != "too_many_values" else ""
        super().__init__(f"{shown} {problem}{where}", hint)
        self.shown = shown
        self.kind: Kind = kind
        self.problem = problem
        self.line = line
        self.column = column
        self.text = text


def read_json(
    path: Path,
    bounds: JsonBounds,
    *,
    shown: str | None = None,
    roots: Sequence[Path] | None = None,
    size_hint: str | None = None,
) -> JsonDocument:
    """The JSON file at `path`: InputRefused when it cannot be read (missing, not a regular
    file, outside `roots`, over `bounds.max_bytes`), JsonRefused when it is not JSON within
    the bounds."""
    shown = str(path) if shown is None else shown
    data = read_input(
        path, max_bytes=bounds.max_bytes, roots=roots, shown=shown, size_hint=size_hint
    )
    return parse_json(data, bounds, shown)


def parse_json(data: bytes | str, bounds: JsonBounds, shown: str) -> JsonDocument:
    """The JSON of `data` (UTF-8 bytes, or text already decoded), within `bounds`;
    JsonRefused otherwise. `shown` names the input in messages."""
    text = decode_utf8(data, shown) if isinstance(data, bytes) else data
    del data  # json.loads may need the memory
    _check_before_parsing(text, bounds, shown)
    scanner = _Scanner(bounds.max_integer_digits)
    try:
        value = json.loads(
            text,
            parse_int=scanner.integer,
            parse_float=scanner.real,
            parse_constant=scanner.constant,
            object_pairs_hook=scanner.members,
        )
    except _Refusal as refusal:
        raise refusal.placed(text, shown, bounds) from None
    except json.JSONDecodeError as exc:
        problem, line, column = _syntax_problem(exc)
        raise JsonRefused(
            shown, "syntax", f"is not valid JSON: {problem}", line, column, text
        ) from None
    except RecursionError:  # unbalanced brackets the depth check let by; not expected
        raise JsonRefused(
            shown, "too_deep", _too_deep_words(bounds), 1, 1, text, _DEEP_HINT
        ) from None
    return JsonDocument(text, value)


def decode_utf8(data: bytes, shown: str) -> str:
    """`data` as UTF-8 text (a BOM dropped); JsonRefused, at the first bad byte, otherwise."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problem = f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        hint = "save it as UTF-8"
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            hint = "it is UTF-16 text: save it as UTF-8"
        raise JsonRefused(shown, "not_utf8", problem, line, column, hint=hint) from None


def line_column(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of `text[index]`."""
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


# --- bounds checked before parsing -----------------------------------------------------------

_DEEP_HINT = "look for an unclosed run of [ or {"
# Everything but brackets and quotes goes; {} become [] (mismatched pairs are json's to report).
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'[]{}"')
_ONE_BRACKET_KIND = bytes.maketrans(b"{}", b"[]")
# Possessive quantifiers keep these linear: no backtracking into a run.
_STRING = r'"[^"\\]*+(?:\\.[^"\\]*+)*+"'
_STRING_OR_BRACKET = re.compile(_STRING + r"|[\[\]{}]")
_STRING_OR_CONSTANT = re.compile(_STRING + r"|-?Infinity|NaN")
_STRING_OR_NUMBER = re.compile(_STRING + r"|-?[0-9]++(?:\.[0-9]++)?(?:[eE][-+]?[0-9]++)?")


def _too_deep_words(bounds: JsonBounds) -> str:
    return f"nests arrays and objects deeper than {bounds.max_depth} levels"


def _check_before_parsing(text: str, bounds: JsonBounds, shown: str) -> None:
    raw = text.encode("utf-8", "surrogatepass")
    # Every value but the first of each array or object follows a comma: this counts each
    # value at least once (commas and brackets inside strings count too, which only adds).
    values = raw.count(b",") + raw.count(b"[") + raw.count(b"{")
    if values > bounds.max_values:
        raise JsonRefused(
            shown,
            "too_many_values",
            f"holds more than {bounds.max_values:,} JSON values",
            1,
            1,
            text,
        )
    if depth_within(raw, bounds.max_depth):
        return
    del raw
    deep_at = first_too_deep(text, bounds.max_depth)
    if deep_at is None:
        return  # unbalanced brackets, not deep ones: json.loads says where
    raise JsonRefused(
        shown, "too_deep", _too_deep_words(bounds), *line_column(text, deep_at), text, _DEEP_HINT
    )


def depth_within(raw: bytes, limit: int) -> bool:
    """Whether brackets outside strings balance and nest at most `limit` deep.

    Done with bytes operations only (a Python loop over a 64 MiB text takes seconds): strip
    escaped quotes, keep only quotes and brackets, drop strings, then remove innermost `[]`
    pairs; each round takes one level away.
    """
    if b'\\"' in raw:
        raw = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    # Two quotes side by side enclose no bracket: dropping them keeps every other quote's
    # parity. What quotes remain enclose the rare strings holding brackets.
    structure = raw.translate(_ONE_BRACKET_KIND, _NOT_STRUCTURE).replace(b'""', b"")
    if b'"' in structure:
        structure = b"".join(structure.split(b'"')[0::2])
    for _ in range(limit):
        if not structure:
            return True
        inner_removed = structure.replace(b"[]", b"")
        if len(inner_removed) == len(structure):
            return False
        structure = inner_removed
    return not structure


def first_too_deep(text: str, limit: int) -> int | None:
    """The index of the first bracket past `limit` levels, outside strings; None if none is."""
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return match.start()
        elif token in "]}":
            depth -= 1
    return None


# --- bounds checked while parsing ------------------------------------------------------------


class _Refusal(Exception):
    """Raised inside json.loads's hooks, which know what but not where; placed afterwards."""

    def __init__(self, kind: Kind, problem: str, token: str = "") -> None:
        super().__init__(problem)
        self.kind: Kind = kind
        self.problem = problem
        self.token = token

    def placed(self, text: str, shown: str, bounds: JsonBounds) -> JsonRefused:
        """The refusal, at the first place in `text` that breaks the bound."""
        index: int | None = None
        if self.kind == "duplicate_key":
            from specc.catalog.jsonpos import JsonPositions  # walks only this rare text

            duplicate = JsonPositions(text).first_duplicate
            if duplicate is not None:
                index, key = duplicate
                self.problem = f"names the key {_shown_key(key)} twice in one object"
        elif self.kind == "not_finite" and not self.token[-1:].isdigit():
            found = (m for m in _STRING_OR_CONSTANT.finditer(text) if m.group()[0] != '"')
            index = next((m.start() for m in found), None)
        else:
            numbers = (m for m in _STRING_OR_NUMBER.finditer(text) if m.group()[0] != '"')
            index = next((m.start() for m in numbers if _refused(m.group(), bounds)), None)
        line, column = line_column(text, index) if index is not None else (1, 1)
        return JsonRefused(shown, self.kind, self.problem, line, column, text, _HINTS[self.kind])


_HINTS: dict[Kind, str | None] = {
    "long_number": "no field specc reads holds such a number",
    "not_finite": "JSON has no NaN or infinity: write the number, or null",
    "duplicate_key": "JSON readers disagree on which of the two counts: keep one",
    "not_utf8": None,
    "too_many_values": None,
    "too_deep": _DEEP_HINT,
    "syntax": None,
}


def _shown_key(key: str) -> str:
    """A key as JSON writes it, cut short: a key may be megabytes long."""
    quoted = json.dumps(key, ensure_ascii=False)
    return quoted if len(quoted) <= 80 else quoted[:76] + '..."'


def _refused(number: str, bounds: JsonBounds) -> bool:
    """Whether a number's text breaks the bounds: too many digits, or beyond a double."""
    if not any(c in number for c in ".eE"):
        return len(number.lstrip("-")) > bounds.max_integer_digits
    return math.isinf(float(number))


class _Scanner:
    """json.loads's hooks: each value kind checked as it is parsed."""

    def __init__(self, max_integer_digits: int) -> None:
        self.max_integer_digits = max_integer_digits

    def integer(self, digits: str) -> int:
        count = len(digits.lstrip("-"))
        if count > self.max_integer_digits:
            raise _Refusal(
                "long_number",
                f"holds a number of {count:,} digits; specc reads integers of up to "
                f"{self.max_integer_digits:,} digits",
            )
        return int(digits)

    def real(self, text: str) -> float:
        value = float(text)
        if math.isinf(value):
            shown = text if len(text) <= 24 else f"a number of {len(text):,} characters"
            raise _Refusal("not_finite", f"holds {shown}, too large for a double", text)
        return value

    def constant(self, name: str) -> Any:
        raise _Refusal("not_finite", f"holds {name}, which is not JSON", name)

    def members(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        found = dict(pairs)
        if len(found) != len(pairs):
            # Which key, and where, is found afterwards in text order (JsonPositions).
            raise _Refusal("duplicate_key", "names a key twice in one object")
        return found


def _syntax_problem(exc: json.JSONDecodeError) -> tuple[str, int, int]:
    """json's message and position, with the commonest hand-editing slip named."""
    before = exc.doc[: exc.pos].rstrip()
    if before.endswith(",") and exc.doc[exc.pos : exc.pos + 1] in ("]", "}"):
        line, column = line_column(exc.doc, len(before) - 1)
        return "a comma before the closing bracket (JSON allows no trailing comma)", line, column
    return exc.msg[:1].lower() + exc.msg[1:], exc.lineno, exc.colno
