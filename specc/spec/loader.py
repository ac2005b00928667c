"""Reading a spec file: YAML or TOML into plain data, with the position of every node.

The result is plain Python data (dicts in file order, lists, str, int, float, bool, None) and a
`SourceMap` from RFC 6901 JSON pointers (`/files/0/columns/Email`) to the 1-based line and
column of each key and each value. Nothing here raises for bad content: whatever the bytes,
the caller gets data or diagnostics. Only a file that cannot be opened is an `InputError`.

YAML is read from the parser's events rather than its composer, so that specc decides every
limit itself: nesting depth, alias expansion (a "billion laughs" file stops after a fixed number
of nodes), duplicate keys, and tags (only the core schema's; nothing is ever constructed from an
application tag). Plain scalars follow YAML 1.2's core schema, so `no` stays the text "no"
rather than becoming false, and mapping keys are always the text as written (a header named
`2024` or `On` stays a string).

TOML is parsed with `tomllib`, which reports no positions; `_TomlPositions` recovers them by
scanning the (already validated) text for table headers, keys and values.
"""

from __future__ import annotations

import bisect
import contextlib
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from specc.codes import spec as codes
from specc.diagnostics import Diagnostic, SpecLocation
from specc.errors import InputError
from specc.inputs import InputRefused, open_input
from specc.pointer import join_pointer
from specc.spec.model import SourceMap

MAX_SPEC_BYTES = 5 * 1024 * 1024
# Levels of mappings and lists, the document's own mapping included: a real spec needs about six.
MAX_DEPTH = 64
# Every node built counts, including each copy an alias makes: a real spec has a few hundred.
MAX_NODES = 50_000
MAX_ALIASES = 1_000
# Whole numbers are read up to the 64-bit range of HubSpot's ids and counts. A longer one is
# refused at its line, never converted: Python refuses decimal text of over 4,300 digits, and a
# hex or octal one converts fine but then cannot be printed.
MAX_INT = 2**63 - 1
# Every key and value gets a JSON pointer that repeats its ancestors' keys, so long keys nested
# under many values would cost memory in the square of the file's size; real specs use ~50 KB.
MAX_POINTER_CHARS = 16 * 1024 * 1024


@dataclass
class Document:
    """A spec file read as data. `data` is None when it could not be read as a mapping."""

    data: Any
    source_map: SourceMap
    text: str
    diagnostics: list[Diagnostic] = field(default_factory=list)


def spec_kind(path: Path) -> str:
    """`toml` for .toml files; `json` for .json files (parsed as the YAML they also are, but
    their syntax errors told in JSON's words); YAML for everything else."""
    suffix = path.suffix.lower()
    return "toml" if suffix == ".toml" else "json" if suffix == ".json" else "yaml"


# Data files given where a spec is expected (`specc check leads.csv`): said so, not parsed.
DATA_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xls", ".xlsm")


def read_spec(path: Path, shown: str) -> Document:
    """Read and parse the spec file at `path`; `shown` is how diagnostics name it."""
    try:
        # A FIFO or a device is refused unread; past MAX_SPEC_BYTES is SPC003's to report.
        with open_input(path, shown=shown) as fh:
            raw = fh.read(MAX_SPEC_BYTES + 1)
    except InputRefused as refused:
        reason = "no such spec file" if refused.kind == "missing" else refused.reason
        raise InputError(f"{shown}: {reason}", hint=refused.hint) from None
    except OSError as exc:
        raise InputError(f"{shown}: cannot read the spec file ({exc.strerror or exc})") from None
    if path.suffix.lower() in DATA_SUFFIXES:
        return Document(
            None,
            SourceMap(shown),
            "",
            [
                codes.NOT_A_MAPPING.at(
                    f"{shown} is a data file, not a spec",
                    hint=f"run `specc init {shown}` to draft a spec for it",
                    spec=SpecLocation(shown, 1, 1),
                )
            ],
        )
    return parse_spec_bytes(raw, shown, spec_kind(path))


def parse_spec_bytes(raw: bytes, shown: str, kind: str) -> Document:
    """Decode and parse a spec's bytes (`kind` is `yaml`, `json` or `toml`)."""
    empty = SourceMap(shown)
    if len(raw) > MAX_SPEC_BYTES:
        return Document(
            None,
            empty,
            "",
            [
                codes.TOO_LARGE.at(
                    f"the spec file is larger than {MAX_SPEC_BYTES // (1024 * 1024)} MB",
                    hint="is this a data file? Data files are named inside the spec, under files:",
                    spec=SpecLocation(shown, 1, 1),
                )
            ],
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        hint = "save the spec as UTF-8"
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            hint = "the file is UTF-16; save it as UTF-8"
        return Document(
            None,
            empty,
            "",
            [
                codes.NOT_TEXT.at(
                    f"the spec is not valid UTF-8"
                    f" (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
                    hint=hint,
                    spec=SpecLocation(shown, line, column),
                )
            ],
        )
    return parse_spec_text(text, shown, kind)


def parse_spec_text(text: str, shown: str, kind: str) -> Document:
    """Parse a spec's text (`kind` is `yaml`, `json` or `toml`)."""
    nul = text.find("\x00")
    if nul >= 0:
        line, column = _line_col(text, nul)
        return Document(
            None,
            SourceMap(shown),
            text,
            [
                codes.NOT_TEXT.at(
                    "the spec holds NUL bytes: it looks like a binary file, not a spec",
                    hint="check that the command names the spec, not a data file",
                    spec=SpecLocation(shown, line, column),
                )
            ],
        )
    if kind == "toml":
        data, source_map, diagnostics = _parse_toml(text, shown)
    else:
        data, source_map, diagnostics = _parse_yaml(text, shown)
        if kind == "json":
            diagnostics = [_in_json_words(d, text) for d in diagnostics]
    if not diagnostics and not isinstance(data, dict):
        what = "empty" if data is None else f"a single {_type_name(data)}, not a mapping"
        diagnostics.append(
            codes.NOT_A_MAPPING.at(
                f"the spec is {what}",
                hint="a spec starts with `specc: 1`, `name:` and `files:`",
                spec=SpecLocation(shown, 1, 1),
            )
        )
    if diagnostics:
        data = None
    return Document(data, source_map, text, diagnostics)


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return "null"


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


class _Stop(Exception):
    """Parsing ends here, with this diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def _too_many_pointer_chars(location: SpecLocation) -> _Stop:
    return _Stop(
        codes.TOO_LARGE.at(
            f"the spec's keys are too long for how often they repeat: the paths to its values "
            f"would take more than {MAX_POINTER_CHARS // (1024 * 1024)} MB",
            hint="shorten the long keys: a real spec's keys are a few dozen characters",
            spec=location,
        )
    )


# --- numbers -------------------------------------------------------------------------------


class NumberTooLarge(ValueError):
    """A number beyond what specc reads (see MAX_INT); raised before its text is converted."""


# The most significant digits a number within MAX_INT can have, by base.
_MAX_DIGITS = {2: 63, 8: 21, 10: 19, 16: 16}


def _bounded_int(sign: str, digits: str, base: int) -> int:
    significant = digits.lstrip("0")
    if len(significant) > _MAX_DIGITS[base]:
        raise NumberTooLarge(digits)
    value = int(significant or "0", base)
    if sign == "-":
        value = -value
    if not -MAX_INT - 1 <= value <= MAX_INT:
        raise NumberTooLarge(digits)
    return value


def _bounded_float(text: str) -> float:
    """float(text) for finite number text; `.inf` and `inf` are spelt out and never come here."""
    value = float(text)
    if math.isinf(value):
        raise NumberTooLarge(text)
    return value


def whole_number(text: str) -> int | None:
    """The whole number that `text` spells in ASCII digits (a template's output), else None.

    Raises NumberTooLarge past MAX_INT, before converting: a template can print 5,000 digits.
    """
    if not (text.isascii() and text.isdigit()):
        return None
    return _bounded_int("", text, 10)


def number_too_large(text: str, location: SpecLocation) -> Diagnostic:
    """The diagnostic for a number out of range, quoting at most a few dozen of its characters."""
    shown = text if len(text) <= 30 else f"{text[:16]}…{text[-6:]} ({len(text):,} characters)"
    return codes.NUMBER_TOO_LARGE.at(
        f"the number {shown} is out of range: specc reads whole numbers from -2^63 to 2^63-1 "
        "and decimals up to about 1.8e308",
        hint="quote it if it is text (an id, a code, a phone number)",
        spec=location,
    )


# --- YAML ----------------------------------------------------------------------------------

_CORE = "tag:yaml.org,2002:"
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT10 = re.compile(r"^[-+]?[0-9]+$")
_INT8 = re.compile(r"^0o[0-7]+$")
_INT16 = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")


def _plain_scalar(value: str) -> Any:
    """A plain (unquoted, untagged) scalar by YAML 1.2's core schema.

    Raises NumberTooLarge for a number out of range.
    """
    if _NULL.match(value):
        return None
    if _BOOL.match(value):
        return value.lower() == "true"
    if _INT10.match(value):
        sign = value[0] if value[0] in "+-" else ""
        return _bounded_int(sign, value[len(sign) :], 10)
    if _INT8.match(value):
        return _bounded_int("", value[2:], 8)
    if _INT16.match(value):
        return _bounded_int("", value[2:], 16)
    if _FLOAT.match(value):
        return _bounded_float(value)
    if _INF.match(value):
        return float("-inf") if value.startswith("-") else float("inf")
    if _NAN.match(value):
        return float("nan")
    return value


def _tagged_scalar(tag: str, value: str) -> Any:
    """A scalar with an explicit core tag; raises ValueError for text the tag cannot take."""
    kind = tag[len(_CORE) :]
    if kind == "str":
        return value
    if kind == "null":
        if not _NULL.match(value):
            raise ValueError(f"{value!r} is not null")
        return None
    if kind == "bool":
        if not _BOOL.match(value):
            raise ValueError(f"{value!r} is not true or false")
        return value.lower() == "true"
    if kind == "int":
        parsed = _plain_scalar(value)
        if not isinstance(parsed, int) or isinstance(parsed, bool):
            raise ValueError(f"{value!r} is not an integer")
        return parsed
    if kind == "float":
        if _INT10.match(value):  # `!!float 1234`: read as a float, not as a whole number first
            return _bounded_float(value)
        parsed = _plain_scalar(value)
        if not isinstance(parsed, int | float) or isinstance(parsed, bool):
            raise ValueError(f"{value!r} is not a number")
        return float(parsed)
    raise KeyError(tag)


_SCALAR_TAGS = {_CORE + k for k in ("str", "null", "bool", "int", "float")}


@dataclass
class _Frame:
    """A mapping or sequence being built."""

    value: dict[str, Any] | list[Any]
    pointer: str
    anchor: str | None
    entries_start: int
    nodes_start: int
    key: str | None = None  # mappings: the key whose value comes next
    key_mark: tuple[int, int] | None = None
    skip: bool = False  # the value under construction belongs to a duplicate key
    height: int = 1  # levels of collections in this one, itself included (grows with children)


@dataclass
class _Anchor:
    value: Any
    pointer: str
    entries: list[tuple[str, str, int, int]]
    nodes: int
    height: int  # levels of collections: 0 for a scalar


class _YamlBuilder:
    """Plain data and positions from a stream of YAML events."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.stack: list[_Frame] = []
        # (pointer, "k" or "v", line, column), in document order; aliases replay slices of it.
        self.entries: list[tuple[str, str, int, int]] = []
        self.anchors: dict[str, _Anchor] = {}
        self.open_anchors: set[str] = set()
        self.nodes = 0
        self.aliases = 0
        self.pointer_chars = 0
        self.root: Any = None
        self.documents = 0
        self.diagnostics: list[Diagnostic] = []

    def loc(self, mark: Any) -> SpecLocation:
        return SpecLocation(self.shown, mark.line + 1, mark.column + 1)

    def run(self, events: Iterator[Any]) -> None:
        import yaml

        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                self.documents += 1
                if self.documents > 1:
                    raise _Stop(
                        codes.BAD_TAG.at(
                            "the spec holds more than one YAML document",
                            hint="keep one spec per file (remove the `---` line)",
                            spec=self.loc(event.start_mark),
                        )
                    )
            elif isinstance(event, yaml.ScalarEvent):
                self.scalar(event)
            elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                self.start(event, isinstance(event, yaml.MappingStartEvent))
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                self.end()
            elif isinstance(event, yaml.AliasEvent):
                self.alias(event)

    # Where the next node goes: its pointer, and whether a mapping key is expected instead.
    def _slot(self, mark: Any) -> tuple[str, bool]:
        if not self.stack:
            return "", False
        frame = self.stack[-1]
        if isinstance(frame.value, list):
            return join_pointer(frame.pointer, len(frame.value)), False
        if frame.key is None:
            return "", True
        if frame.skip:
            return "\x00", False  # built, then thrown away: its positions are dropped too
        return join_pointer(frame.pointer, frame.key), False

    def _entry(self, pointer: str, kind: str, line: int, column: int) -> None:
        self.pointer_chars += len(pointer)
        if self.pointer_chars > MAX_POINTER_CHARS:
            raise _too_many_pointer_chars(SpecLocation(self.shown, line, column))
        self.entries.append((pointer, kind, line, column))

    def _count(self, n: int, mark: Any) -> None:
        self.nodes += n
        if self.nodes > MAX_NODES:
            raise _Stop(
                codes.TOO_MANY_ALIASES.at(
                    f"the spec expands to more than {MAX_NODES} nodes",
                    hint="YAML aliases (*name) repeat their anchor's whole content; write less "
                    "repetition",
                    spec=self.loc(mark),
                )
            )

    def _place(self, pointer: str, value: Any, mark: Any, height: int = 0) -> None:
        """Put a finished node (of `height` levels of collections) into its parent."""
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        frame.height = max(frame.height, height + 1)
        if isinstance(frame.value, list):
            self._entry(pointer, "k", mark.line + 1, mark.column + 1)
            frame.value.append(value)
            return
        if not frame.skip and frame.key is not None:
            frame.value[frame.key] = value
        frame.key = None
        frame.key_mark = None
        frame.skip = False

    def _take_key(self, text: str, mark: Any) -> None:
        frame = self.stack[-1]
        assert isinstance(frame.value, dict)
        if text in frame.value:
            self.diagnostics.append(
                codes.DUPLICATE_KEY.at(
                    f"duplicate key {text!r}",
                    hint="for a header that repeats a name, use the list form of columns"
                    if frame.pointer.endswith("/columns")
                    else None,
                    spec=SpecLocation(
                        self.shown,
                        mark.line + 1,
                        mark.column + 1,
                        join_pointer(frame.pointer, text),
                    ),
                )
            )
            frame.skip = True
        frame.key = text
        frame.key_mark = (mark.line + 1, mark.column + 1)
        if not frame.skip:
            self._entry(join_pointer(frame.pointer, text), "k", mark.line + 1, mark.column + 1)

    def scalar(self, event: Any) -> None:
        pointer, wants_key = self._slot(event.start_mark)
        self._count(1, event.start_mark)
        tag = event.tag
        if tag not in (None, "!") and tag not in _SCALAR_TAGS:
            raise _Stop(
                codes.BAD_TAG.at(
                    f"unsupported YAML tag {tag}",
                    hint="only the core tags (!!str, !!int, !!float, !!bool, !!null) are allowed; "
                    "quote the value if it is text",
                    spec=self.loc(event.start_mark),
                )
            )
        if wants_key:
            # Keys are the text as written: header names like `2024` or `On` stay strings.
            self._take_key(event.value, event.start_mark)
            return
        try:
            if tag in _SCALAR_TAGS:
                try:
                    value = _tagged_scalar(tag, event.value)
                except NumberTooLarge:
                    raise
                except ValueError as exc:
                    raise _Stop(
                        codes.BAD_TAG.at(
                            f"{tag[len(_CORE) :]} tag on a value that is not one: {exc}",
                            spec=self.loc(event.start_mark),
                        )
                    ) from None
            elif tag is None and event.implicit[0]:
                value = _plain_scalar(event.value)
            else:
                value = event.value
        except NumberTooLarge:
            # Reported, and the reading goes on so that every such number is shown at once.
            self.diagnostics.append(number_too_large(event.value, self.loc(event.start_mark)))
            value = event.value
        self._entry(pointer, "v", event.start_mark.line + 1, event.start_mark.column + 1)
        if event.anchor:
            self.anchors[event.anchor] = _Anchor(value, pointer, [], 1, 0)
        self._place(pointer, value, event.start_mark)

    def start(self, event: Any, mapping: bool) -> None:
        pointer, wants_key = self._slot(event.start_mark)
        if wants_key:
            raise _Stop(
                codes.BAD_TAG.at(
                    "a mapping key must be plain text, not a list or mapping",
                    spec=self.loc(event.start_mark),
                )
            )
        self._count(1, event.start_mark)
        tag = event.tag
        allowed = (None, "!", _CORE + ("map" if mapping else "seq"))
        if tag not in allowed:
            raise _Stop(
                codes.BAD_TAG.at(
                    f"unsupported YAML tag {tag}",
                    hint="only the core tags (!!map, !!seq) are allowed on collections",
                    spec=self.loc(event.start_mark),
                )
            )
        if len(self.stack) >= MAX_DEPTH:
            raise _Stop(
                codes.TOO_DEEP.at(
                    f"the spec nests more than {MAX_DEPTH} levels deep",
                    spec=self.loc(event.start_mark),
                )
            )
        self._entry(pointer, "v", event.start_mark.line + 1, event.start_mark.column + 1)
        if event.anchor:
            self.open_anchors.add(event.anchor)
        self.stack.append(
            _Frame(
                {} if mapping else [],
                pointer,
                event.anchor,
                len(self.entries) - 1,
                self.nodes,
            )
        )

    def end(self) -> None:
        frame = self.stack.pop()
        if frame.anchor:
            self.open_anchors.discard(frame.anchor)
            self.anchors[frame.anchor] = _Anchor(
                frame.value,
                frame.pointer,
                self.entries[frame.entries_start :],
                self.nodes - frame.nodes_start + 1,
                frame.height,
            )
        first = self.entries[frame.entries_start]
        mark = _Mark(first[2] - 1, first[3] - 1)
        self._place(frame.pointer, frame.value, mark, frame.height)

    def alias(self, event: Any) -> None:
        pointer, wants_key = self._slot(event.start_mark)
        if wants_key:
            raise _Stop(
                codes.BAD_TAG.at(
                    "an alias cannot be a mapping key", spec=self.loc(event.start_mark)
                )
            )
        self.aliases += 1
        if self.aliases > MAX_ALIASES:
            raise _Stop(
                codes.TOO_MANY_ALIASES.at(
                    f"the spec uses more than {MAX_ALIASES} aliases",
                    spec=self.loc(event.start_mark),
                )
            )
        if event.anchor in self.open_anchors:
            raise _Stop(
                codes.TOO_MANY_ALIASES.at(
                    f"alias *{event.anchor} refers to a node that contains it",
                    spec=self.loc(event.start_mark),
                )
            )
        anchor = self.anchors.get(event.anchor)
        if anchor is None:
            raise _Stop(
                codes.SYNTAX.at(
                    f"alias *{event.anchor} names no anchor (&{event.anchor}) before it",
                    spec=self.loc(event.start_mark),
                )
            )
        if len(self.stack) + anchor.height > MAX_DEPTH:
            # An alias copies its anchor's levels in: nesting aliases would multiply the depth.
            raise _Stop(
                codes.TOO_DEEP.at(
                    f"alias *{event.anchor} makes the spec nest more than {MAX_DEPTH} levels deep",
                    spec=self.loc(event.start_mark),
                )
            )
        self._count(anchor.nodes, event.start_mark)
        line, column = event.start_mark.line + 1, event.start_mark.column + 1
        self._entry(pointer, "v", line, column)
        # The alias's inner nodes point at the anchor's text, re-rooted under the alias.
        prefix = len(anchor.pointer)
        for inner, kind, il, ic in anchor.entries:
            if inner.startswith(anchor.pointer + "/"):
                self._entry(pointer + inner[prefix:], kind, il, ic)
        self._place(pointer, anchor.value, event.start_mark, anchor.height)


@dataclass(frozen=True)
class _Mark:
    line: int
    column: int


def _parse_yaml(text: str, shown: str) -> tuple[Any, SourceMap, list[Diagnostic]]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    builder = _YamlBuilder(shown)
    diagnostics: list[Diagnostic] = []
    try:
        builder.run(yaml.parse(text, Loader=loader))
    except _Stop as stop:
        diagnostics.append(stop.diagnostic)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            problem = f"{exc.problem} ({exc.context})"
        context = exc.context_mark
        if (
            context is not None
            and mark is not None
            and context is not mark
            and (mark.line >= len(text.splitlines()))
        ):
            # The parser ran into the end of the file: the line to look at is where the
            # unfinished construct (a flow mapping, a quoted string) began.
            problem += ": the file ends before it is closed"
            mark = context
        if "maximum nesting depth" in problem:
            diagnostics.append(
                codes.TOO_DEEP.at(
                    f"the spec nests more than {MAX_DEPTH} levels deep",
                    spec=SpecLocation(shown, mark.line + 1, mark.column + 1)
                    if mark
                    else SpecLocation(shown, 1, 1),
                )
            )
            return None, SourceMap(shown), diagnostics
        hint = None
        lines = text.splitlines()
        at = ""
        if mark and mark.line < len(lines):
            at = lines[mark.line][mark.column : mark.column + 1]
        if at == "\t" or "tab" in problem.lower():
            hint = "indent with spaces; YAML does not allow tabs for indentation"
        elif "mapping values are not allowed" in problem and mark and mark.line < len(lines):
            hint = _quote_hint(lines[mark.line])
        diagnostics.append(
            codes.SYNTAX.at(
                f"invalid YAML: {problem}",
                hint=hint,
                spec=SpecLocation(shown, mark.line + 1, mark.column + 1)
                if mark
                else SpecLocation(shown, 1, 1),
            )
        )
    except yaml.YAMLError as exc:
        position = getattr(exc, "position", None)
        line, column = _line_col(text, position) if isinstance(position, int) else (1, 1)
        reason = getattr(exc, "reason", None) or str(exc).splitlines()[0]
        diagnostics.append(
            codes.SYNTAX.at(f"invalid YAML: {reason}", spec=SpecLocation(shown, line, column))
        )
    except (ValueError, UnicodeError, OverflowError) as exc:
        # libyaml's wrapper reports a few input problems (encodings, huge numbers) this way.
        diagnostics.append(codes.SYNTAX.at(f"invalid YAML: {exc}", spec=SpecLocation(shown, 1, 1)))
    diagnostics.extend(builder.diagnostics)
    return builder.root, _source_map(shown, builder.entries), diagnostics


def _quote_hint(line: str) -> str | None:
    """`name: Import: March` reads as a mapping inside a value: the value wants quotes."""
    match = re.match(r"^(\s*(?:- )?[^\s:#'\"][^:#]*?):\s+(.*?)\s*$", line)
    if match is None or ": " not in match.group(2) + " ":
        return None
    key, value = match.groups()
    quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"a value holding ': ' must be quoted: {key.strip()}: {quoted}"


def _in_json_words(diagnostic: Diagnostic, text: str) -> Diagnostic:
    """A .json spec's syntax error as JSON's parser words it, at its position (YAML's words,
    "while parsing a flow node", mean nothing to someone writing JSON)."""
    import json
    from dataclasses import replace

    if diagnostic.code != codes.SYNTAX.code:
        return diagnostic
    shown = diagnostic.spec.file if diagnostic.spec else ""
    # Read only for the message: the YAML reader (bounded) has refused the text already.
    # Numbers stay text, so no digit limit applies; a nesting too deep ends in RecursionError.
    try:
        json.loads(text, parse_int=str, parse_float=str, parse_constant=str)
    except json.JSONDecodeError as exc:
        message = exc.msg[:1].lower() + exc.msg[1:]
        return replace(
            diagnostic,
            message=f"invalid JSON: {message}",
            hint=None,
            spec=SpecLocation(shown, exc.lineno, exc.colno),
        )
    except (RecursionError, ValueError):
        pass
    return replace(
        diagnostic, message=diagnostic.message.replace("invalid YAML", "invalid JSON", 1)
    )


def _source_map(shown: str, entries: list[tuple[str, str, int, int]]) -> SourceMap:
    keys: dict[str, tuple[int, int]] = {}
    values: dict[str, tuple[int, int]] = {}
    for pointer, kind, line, column in entries:
        if pointer.startswith("\x00"):
            continue
        table = keys if kind == "k" else values
        table.setdefault(pointer, (line, column))
    return SourceMap(shown, keys, values)


# --- TOML ----------------------------------------------------------------------------------

_TOML_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
# Where the shape scan next has something to do, by what it is reading: a key (dots add levels),
# a value (a comma ends an inline table's entry) or an array (brackets, strings, commas).
_KEY_STOPS = re.compile(r"[#\"'\[\]{}.=,\n]")
_VALUE_STOPS = re.compile(r"[#\"'\[\]{},\n]")
_ARRAY_STOPS = re.compile(r"[#\"'\[\]{},]")


def _toml_string_end(text: str, i: int) -> int:
    """Just past the TOML string whose opening quote is at `i` (unclosed: the end of its line)."""
    quote = text[i]
    delim = quote * 3 if text.startswith(quote * 3, i) else quote
    j = i + len(delim)
    while True:
        k = text.find(delim, j)
        if len(delim) == 1:
            eol = text.find("\n", j)
            if eol >= 0 and (k < 0 or eol < k):
                return eol
        if k < 0:
            return len(text)
        if quote == '"':
            slashes = 0
            while k - 1 - slashes >= j and text[k - 1 - slashes] == "\\":
                slashes += 1
            if slashes % 2:
                j = k + 1
                continue
        end = k + len(delim)
        while len(delim) == 3 and end < len(text) and text[end] == quote and end - k < 5:
            end += 1
        return end


def _toml_depth(text: str) -> tuple[int, int, int]:
    """(level, index, values): the first level past MAX_DEPTH and where it is reached, else 0.

    Values (keys, tables, array items) are counted on the way, and the scan stops at the one past
    MAX_NODES: tomllib takes seconds over a 5 MB file of tiny values, and a spec has hundreds.

    Levels are counted as the parsed data will have them: the document's table is level 1, each
    part of a table header or dotted key adds one (`[[a]]` two: the array and its table, and so
    does `a` in a later `[a.b]`), and so does each `[` and `{` of a value. Run before tomllib,
    whose recursive parser would hit Python's recursion limit on thousands of `[`, and which
    would build a dotted key of thousands of parts that no later walk could descend.
    """
    n = len(text)
    table = 1  # the level of the table the last header opened
    stack: list[tuple[str, int]] = []  # the `[` and `{` open in a value, with their levels
    key = True  # reading a key: at a line's start, or after `{` or `,` in an inline table
    header = 0  # inside a table header: 1 in `[table]`, 2 in `[[array of tables]]`
    dots = 0  # the dots of the key or header read so far
    parent = 1  # the level of the table the value being read goes into
    arrays: set[tuple[str, ...]] = set()  # the headers of arrays of tables, as key paths
    path: list[str] = []  # the parts of the header being read
    part = 0  # where the current part of a key or header starts
    values = 0
    i = 0
    while True:
        if key or header:
            stops = _KEY_STOPS
        elif stack and stack[-1][0] == "[":
            stops = _ARRAY_STOPS
        else:
            stops = _VALUE_STOPS
        found = stops.search(text, i)
        if found is None:
            return 0, 0, values
        i = found.start()
        c = text[i]
        level, at = 0, part
        if c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if c in "\"'":
            i = _toml_string_end(text, i)
            continue
        if c == "\n":
            if not stack:
                key, header, dots, part = True, 0, 0, i + 1
        elif header:
            if c in ".]":
                name = text[part:i].strip()
                path.append(name[1:-1] if name[:1] in "\"'" else name)
                part = i + 1
                # Each array of tables the header passes through is a level of its own.
                dots += 1 + (c == "." and tuple(path) in arrays)
                level = header + dots
                if c == "]":
                    table = level
                    values += 1
                    if header == 2:
                        arrays.add(tuple(path))
                    i += header - 1  # past the second `]` of `]]`
                    header, dots = 0, 0
        elif key and c == "[" and not stack:
            header = 2 if text.startswith("[[", i) else 1
            i += header
            path, part = [], i
            continue
        elif c in "[{":
            level, at = (stack[-1][1] if stack and stack[-1][0] == "[" else parent) + 1, i
            values += 1
            stack.append((c, level))
            key, dots, part = c == "{", 0, i + 1
        elif c in "]}":
            if stack:
                stack.pop()
            key = False
        elif c == ",":
            values += 1
            if stack and stack[-1][0] == "{":
                key, dots, part = True, 0, i + 1
        elif key and c == ".":
            dots += 1
            level = (stack[-1][1] if stack else table) + dots
            part = i + 1
        elif key and c == "=":
            parent = (stack[-1][1] if stack else table) + dots
            key, dots = False, 0
            values += 1
        if level > MAX_DEPTH:
            while at < i and text[at] in " \t":
                at += 1
            return level, at, values  # the key, `[` or `{` that is one level too deep
        if values > MAX_NODES:
            return 0, i, values
        i += 1


def _parse_toml(text: str, shown: str) -> tuple[Any, SourceMap, list[Diagnostic]]:
    import tomllib

    deepest, where, values = _toml_depth(text)
    if values > MAX_NODES:
        line, column = _line_col(text, where)
        return (
            None,
            SourceMap(shown),
            [
                codes.TOO_LARGE.at(
                    f"the spec holds more than {MAX_NODES:,} values; a real spec has a few hundred",
                    hint="is this a data file? Data files are named inside the spec, under files:",
                    spec=SpecLocation(shown, line, column),
                )
            ],
        )
    if deepest > MAX_DEPTH:
        line, column = _line_col(text, where)
        return (
            None,
            SourceMap(shown),
            [
                codes.TOO_DEEP.at(
                    f"the spec nests more than {MAX_DEPTH} levels deep",
                    hint="each part of a table header or dotted key is a level"
                    if text[where] not in "[{"
                    else None,
                    spec=SpecLocation(shown, line, column),
                )
            ],
        )
    scanner = _TomlPositions(text, shown)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _TOML_AT.search(message)
        line, column = (
            (int(found.group(1)), int(found.group(2))) if found else (text.count("\n") + 1, 1)
        )
        if found:
            message = message[: found.start()]
        return (
            None,
            SourceMap(shown),
            [codes.SYNTAX.at(f"invalid TOML: {message}", spec=SpecLocation(shown, line, column))],
        )
    except ValueError as exc:
        # tomllib converts decimal numbers with int(), which refuses over 4,300 digits. The text
        # before that number was valid, so the scanner reaches it and says where it is.
        with contextlib.suppress(IndexError, ValueError, RecursionError, _Stop):
            scanner.scan()
        return (
            None,
            SourceMap(shown),
            scanner.problems[:1]
            or [codes.SYNTAX.at(f"invalid TOML: {exc}", spec=SpecLocation(shown, 1, 1))],
        )
    except RecursionError:
        return (
            None,
            SourceMap(shown),
            [codes.TOO_DEEP.at("the spec nests too deeply", spec=SpecLocation(shown, 1, 1))],
        )
    try:
        # Positions are a convenience: tomllib accepted the text, so on a scanner surprise keep
        # what was found and let the rest fall back to the nearest ancestor's position.
        with contextlib.suppress(IndexError, ValueError, RecursionError):
            scanner.scan()
    except _Stop as stop:
        return None, SourceMap(shown), [stop.diagnostic]
    source_map = SourceMap(shown, scanner.keys, scanner.values)
    problems = scanner.problems or _toml_data_problems(data, source_map)
    if problems:
        return None, source_map, problems
    return _plain_toml(data), source_map, []


def _toml_data_problems(data: dict[str, Any], source_map: SourceMap) -> list[Diagnostic]:
    """Depth and numbers out of range, checked on the data in case the scans missed them."""
    # (value, level, path) with the path as nested (parent, key) pairs: pointers are only built
    # for a problem, as building one for every node would cost the square of the depth.
    pending: list[tuple[Any, int, Any]] = [(data, 1, None)]
    while pending:
        value, level, path = pending.pop()
        children: Any = ()
        if isinstance(value, dict):
            children = value.items()
        elif isinstance(value, list):
            children = enumerate(value)
        elif (
            isinstance(value, int)
            and not isinstance(value, bool)
            and (not -MAX_INT - 1 <= value <= MAX_INT)
        ):
            return [number_too_large(hex(value), source_map.where(_path_pointer(path), value=True))]
        for key, child in children:
            if isinstance(child, dict | list) and level + 1 > MAX_DEPTH:
                return [
                    codes.TOO_DEEP.at(
                        f"the spec nests more than {MAX_DEPTH} levels deep",
                        spec=source_map.where(_path_pointer((path, key)), value=True),
                    )
                ]
            pending.append((child, level + 1, (path, key)))
    return []


def _path_pointer(path: Any) -> str:
    keys: list[Any] = []
    while path is not None:
        path, key = path
        keys.append(key)
    pointer = ""
    for key in reversed(keys):
        pointer = join_pointer(pointer, key)
    return pointer


def _plain_toml(value: Any) -> Any:
    """TOML dates and times become their ISO text, as they would be written in YAML."""
    if isinstance(value, dict):
        return {k: _plain_toml(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_toml(v) for v in value]
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_BARE_VALUE_END = re.compile(r"[,\]}\n#]")
_TOML_INT = re.compile(
    r"(?P<sign>[+-]?)(?:0x(?P<x>[0-9A-Fa-f_]+)|0o(?P<o>[0-7_]+)|0b(?P<b>[01_]+)|(?P<d>[0-9_]+))"
)
_TOML_FLOAT = re.compile(r"[+-]?[0-9_]+(?:\.[0-9_]+)?(?:[eE][+-]?[0-9_]+)?")
_TOML_BASES = {"x": 16, "o": 8, "b": 2, "d": 10}
_ESCAPES = {
    "b": "\b",
    "t": "\t",
    "n": "\n",
    "f": "\f",
    "r": "\r",
    '"': '"',
    "\\": "\\",
    "e": "\x1b",
}


class _TomlPositions:
    """Positions of keys and values in valid TOML text, by pointer; numbers out of range."""

    def __init__(self, text: str, shown: str = "") -> None:
        self.shown = shown
        self.s = text
        self.i = 0
        self.n = len(text)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.keys: dict[str, tuple[int, int]] = {}
        self.values: dict[str, tuple[int, int]] = {}
        self.array_tables: dict[str, int] = {}  # pointer of an array of tables -> last index
        self.problems: list[Diagnostic] = []  # numbers out of range, in file order
        self.pointer_chars = 0

    def join(self, pointer: str, token: str | int, index: int) -> str:
        """join_pointer, within MAX_POINTER_CHARS in all (`index`: where the key is)."""
        joined = join_pointer(pointer, token)
        self.pointer_chars += len(joined)
        if self.pointer_chars > MAX_POINTER_CHARS:
            line, column = self.pos(index)
            raise _too_many_pointer_chars(SpecLocation(self.shown, line, column))
        return joined

    def number(self, token: str, index: int) -> None:
        """Record a number out of range (tomllib converts hex, octal and binary of any size)."""
        try:
            found = _TOML_INT.fullmatch(token)
            if found:
                base = next(k for k in _TOML_BASES if found.group(k) is not None)
                _bounded_int(
                    found.group("sign"), found.group(base).replace("_", ""), _TOML_BASES[base]
                )
            elif _TOML_FLOAT.fullmatch(token):
                _bounded_float(token.replace("_", ""))
        except NumberTooLarge:
            line, column = self.pos(index)
            self.problems.append(number_too_large(token, SpecLocation(self.shown, line, column)))

    def pos(self, index: int) -> tuple[int, int]:
        row = bisect.bisect_right(self.line_starts, index) - 1
        return row + 1, index - self.line_starts[row] + 1

    def skip_space(self, newlines: bool) -> None:
        s, n = self.s, self.n
        while self.i < n:
            c = s[self.i]
            if c in " \t\r" or (newlines and c == "\n"):
                self.i += 1
            elif c == "#":
                end = s.find("\n", self.i)
                self.i = n if end < 0 else end
            else:
                return

    def scan(self) -> None:
        table = ""
        while True:
            self.skip_space(newlines=True)
            if self.i >= self.n:
                return
            if self.s.startswith("[[", self.i):
                self.i += 2
                table = self.header(self.key_path(), array=True)
                self.i = self.s.index("]]", self.i) + 2
            elif self.s[self.i] == "[":
                self.i += 1
                table = self.header(self.key_path(), array=False)
                self.i = self.s.index("]", self.i) + 1
            else:
                self.key_value(table)

    def header(self, path: list[tuple[str, int]], array: bool) -> str:
        pointer = ""
        for position, (name, start) in enumerate(path):
            pointer = self.join(pointer, name, start)
            self.keys.setdefault(pointer, self.pos(start))
            last = position == len(path) - 1
            if last and array:
                index = self.array_tables.get(pointer, -1) + 1
                self.array_tables[pointer] = index
                self.values.setdefault(pointer, self.pos(start))
                pointer = self.join(pointer, index, start)
                self.keys[pointer] = self.values[pointer] = self.pos(start)
            elif pointer in self.array_tables:
                pointer = self.join(pointer, self.array_tables[pointer], start)
            elif last:
                self.values.setdefault(pointer, self.pos(start))
        return pointer

    def key_path(self) -> list[tuple[str, int]]:
        path: list[tuple[str, int]] = []
        while True:
            self.skip_space(newlines=False)
            start = self.i
            c = self.s[self.i]
            if c == '"':
                name = self.basic_string()
            elif c == "'":
                end = self.s.index("'", self.i + 1)
                name = self.s[self.i + 1 : end]
                self.i = end + 1
            else:
                found = _BARE_KEY.match(self.s, self.i)
                if not found:
                    raise ValueError("not a key")
                name = found.group()
                self.i = found.end()
            path.append((name, start))
            self.skip_space(newlines=False)
            if self.i < self.n and self.s[self.i] == ".":
                self.i += 1
                continue
            return path

    def basic_string(self) -> str:
        out: list[str] = []
        i = self.i + 1
        s = self.s
        while s[i] != '"':
            if s[i] == "\\":
                code = s[i + 1]
                if code in "uU":
                    width = 4 if code == "u" else 8
                    out.append(chr(int(s[i + 2 : i + 2 + width], 16)))
                    i += 2 + width
                    continue
                if code == "x":
                    out.append(chr(int(s[i + 2 : i + 4], 16)))
                    i += 4
                    continue
                out.append(_ESCAPES.get(code, code))
                i += 2
                continue
            out.append(s[i])
            i += 1
        self.i = i + 1
        return "".join(out)

    def key_value(self, base: str) -> None:
        path = self.key_path()
        pointer = base
        for name, start in path:
            pointer = self.join(pointer, name, start)
            self.keys.setdefault(pointer, self.pos(start))
        self.skip_space(newlines=False)
        if self.s[self.i] != "=":
            raise ValueError("expected =")
        self.i += 1
        self.skip_space(newlines=False)
        self.value(pointer)

    def value(self, pointer: str) -> None:
        s = self.s
        self.values[pointer] = self.pos(self.i)
        c = s[self.i]
        if c == "{":
            self.i += 1
            while True:
                self.skip_space(newlines=True)
                if s[self.i] == "}":
                    self.i += 1
                    return
                self.key_value(pointer)
                self.skip_space(newlines=True)
                if s[self.i] == ",":
                    self.i += 1
        elif c == "[":
            self.i += 1
            index = 0
            while True:
                self.skip_space(newlines=True)
                if s[self.i] == "]":
                    self.i += 1
                    return
                item = self.join(pointer, index, self.i)
                self.keys[item] = self.pos(self.i)
                self.value(item)
                index += 1
                self.skip_space(newlines=True)
                if s[self.i] == ",":
                    self.i += 1
        elif c in "\"'":
            self.string(c)
        else:
            found = _BARE_VALUE_END.search(s, self.i)
            end = found.start() if found else self.n
            self.number(s[self.i : end].strip(), self.i)
            self.i = end

    def string(self, quote: str) -> None:
        s = self.s
        if s.startswith(quote * 3, self.i):
            j = self.i + 3
            while True:
                if quote == '"' and s[j] == "\\":
                    j += 2
                    continue
                if s.startswith(quote * 3, j):
                    k = j
                    while k < self.n and s[k] == quote and k - j < 5:
                        k += 1
                    self.i = k
                    return
                j += 1
        if quote == '"':
            self.basic_string()
        else:
            self.i = s.index("'", self.i + 1) + 1
