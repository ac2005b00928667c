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
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from specc.codes import spec as codes
from specc.diagnostics import Diagnostic, SpecLocation
from specc.errors import InputError
from specc.pointer import join_pointer
from specc.spec.model import SourceMap

MAX_SPEC_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
# Every node built counts, including each copy an alias makes: a real spec has a few hundred.
MAX_NODES = 50_000
MAX_ALIASES = 1_000


@dataclass
class Document:
    """A spec file read as data. `data` is None when it could not be read as a mapping."""

    data: Any
    source_map: SourceMap
    text: str
    diagnostics: list[Diagnostic] = field(default_factory=list)


def spec_kind(path: Path) -> str:
    """`toml` for .toml files; YAML for everything else (.yaml, .yml, or any other name)."""
    return "toml" if path.suffix.lower() == ".toml" else "yaml"


def read_spec(path: Path, shown: str) -> Document:
    """Read and parse the spec file at `path`; `shown` is how diagnostics name it."""
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_SPEC_BYTES + 1)
    except IsADirectoryError:
        raise InputError(f"{shown}: is a folder, not a spec file") from None
    except FileNotFoundError:
        raise InputError(f"{shown}: no such spec file") from None
    except OSError as exc:
        raise InputError(f"{shown}: cannot read the spec file ({exc.strerror or exc})") from None
    return parse_spec_bytes(raw, shown, spec_kind(path))


def parse_spec_bytes(raw: bytes, shown: str, kind: str) -> Document:
    """Decode and parse a spec's bytes (`kind` is `yaml` or `toml`)."""
    empty = SourceMap(shown)
    if len(raw) > MAX_SPEC_BYTES:
        return Document(None, empty, "", [codes.TOO_LARGE.at(
            f"the spec file is larger than {MAX_SPEC_BYTES // (1024 * 1024)} MB",
            hint="is this a data file? Data files are named inside the spec, under files:",
            spec=SpecLocation(shown, 1, 1),
        )])
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
        return Document(None, empty, "", [codes.NOT_TEXT.at(
            f"the spec is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
            hint=hint,
            spec=SpecLocation(shown, line, column),
        )])
    return parse_spec_text(text, shown, kind)


def parse_spec_text(text: str, shown: str, kind: str) -> Document:
    """Parse a spec's text (`kind` is `yaml` or `toml`)."""
    nul = text.find("\x00")
    if nul >= 0:
        line, column = _line_col(text, nul)
        return Document(None, SourceMap(shown), text, [codes.NOT_TEXT.at(
            "the spec holds NUL bytes: it looks like a binary file, not a spec",
            hint="check that the command names the spec, not a data file",
            spec=SpecLocation(shown, line, column),
        )])
    if kind == "toml":
        data, source_map, diagnostics = _parse_toml(text, shown)
    else:
        data, source_map, diagnostics = _parse_yaml(text, shown)
    if not diagnostics and not isinstance(data, dict):
        what = "empty" if data is None else f"a single {_type_name(data)}, not a mapping"
        diagnostics.append(codes.NOT_A_MAPPING.at(
            f"the spec is {what}",
            hint="a spec starts with `specc: 1`, `name:` and `files:`",
            spec=SpecLocation(shown, 1, 1),
        ))
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
    """A plain (unquoted, untagged) scalar by YAML 1.2's core schema."""
    if _NULL.match(value):
        return None
    if _BOOL.match(value):
        return value.lower() == "true"
    if _INT10.match(value):
        return int(value)
    if _INT8.match(value):
        return int(value[2:], 8)
    if _INT16.match(value):
        return int(value[2:], 16)
    if _FLOAT.match(value):
        return float(value)
    if _INF.match(value):
        return float("-inf") if value.startswith("-") else float("inf")
    if _NAN.match(value):
        return float("nan")
    return value


def _tagged_scalar(tag: str, value: str) -> Any:
    """A scalar with an explicit core tag; raises ValueError for text the tag cannot take."""
    kind = tag[len(_CORE):]
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


@dataclass
class _Anchor:
    value: Any
    pointer: str
    entries: list[tuple[str, str, int, int]]
    nodes: int


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
                    raise _Stop(codes.BAD_TAG.at(
                        "the spec holds more than one YAML document",
                        hint="keep one spec per file (remove the `---` line)",
                        spec=self.loc(event.start_mark),
                    ))
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

    def _count(self, n: int, mark: Any) -> None:
        self.nodes += n
        if self.nodes > MAX_NODES:
            raise _Stop(codes.TOO_MANY_ALIASES.at(
                f"the spec expands to more than {MAX_NODES} nodes",
                hint="YAML aliases (*name) repeat their anchor's whole content; write less "
                "repetition",
                spec=self.loc(mark),
            ))

    def _place(self, pointer: str, value: Any, mark: Any) -> None:
        """Put a finished node into its parent (or make it the document)."""
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        if isinstance(frame.value, list):
            self.entries.append((pointer, "k", mark.line + 1, mark.column + 1))
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
            self.diagnostics.append(codes.DUPLICATE_KEY.at(
                f"duplicate key {text!r}",
                hint="for a header that repeats a name, use the list form of columns"
                if frame.pointer.endswith("/columns") else None,
                spec=SpecLocation(
                    self.shown, mark.line + 1, mark.column + 1, join_pointer(frame.pointer, text)
                ),
            ))
            frame.skip = True
        frame.key = text
        frame.key_mark = (mark.line + 1, mark.column + 1)
        if not frame.skip:
            self.entries.append(
                (join_pointer(frame.pointer, text), "k", mark.line + 1, mark.column + 1)
            )

    def scalar(self, event: Any) -> None:
        pointer, wants_key = self._slot(event.start_mark)
        self._count(1, event.start_mark)
        tag = event.tag
        if tag not in (None, "!") and tag not in _SCALAR_TAGS:
            raise _Stop(codes.BAD_TAG.at(
                f"unsupported YAML tag {tag}",
                hint="only the core tags (!!str, !!int, !!float, !!bool, !!null) are allowed; "
                "quote the value if it is text",
                spec=self.loc(event.start_mark),
            ))
        if wants_key:
            # Keys are the text as written: header names like `2024` or `On` stay strings.
            self._take_key(event.value, event.start_mark)
            return
        if tag in _SCALAR_TAGS:
            try:
                value = _tagged_scalar(tag, event.value)
            except ValueError as exc:
                raise _Stop(codes.BAD_TAG.at(
                    f"{tag[len(_CORE):]} tag on a value that is not one: {exc}",
                    spec=self.loc(event.start_mark),
                )) from None
        elif tag is None and event.implicit[0]:
            value = _plain_scalar(event.value)
        else:
            value = event.value
        self.entries.append((pointer, "v", event.start_mark.line + 1, event.start_mark.column + 1))
        if event.anchor:
            self.anchors[event.anchor] = _Anchor(value, pointer, [], 1)
        self._place(pointer, value, event.start_mark)

    def start(self, event: Any, mapping: bool) -> None:
        pointer, wants_key = self._slot(event.start_mark)
        if wants_key:
            raise _Stop(codes.BAD_TAG.at(
                "a mapping key must be plain text, not a list or mapping",
                spec=self.loc(event.start_mark),
            ))
        self._count(1, event.start_mark)
        tag = event.tag
        allowed = (None, "!", _CORE + ("map" if mapping else "seq"))
        if tag not in allowed:
            raise _Stop(codes.BAD_TAG.at(
                f"unsupported YAML tag {tag}",
                hint="only the core tags (!!map, !!seq) are allowed on collections",
                spec=self.loc(event.start_mark),
            ))
        if len(self.stack) >= MAX_DEPTH:
            raise _Stop(codes.TOO_DEEP.at(
                f"the spec nests more than {MAX_DEPTH} levels deep",
                spec=self.loc(event.start_mark),
            ))
        self.entries.append((pointer, "v", event.start_mark.line + 1, event.start_mark.column + 1))
        if event.anchor:
            self.open_anchors.add(event.anchor)
        self.stack.append(_Frame(
            {} if mapping else [], pointer, event.anchor, len(self.entries) - 1, self.nodes,
        ))

    def end(self) -> None:
        frame = self.stack.pop()
        if frame.anchor:
            self.open_anchors.discard(frame.anchor)
            self.anchors[frame.anchor] = _Anchor(
                frame.value, frame.pointer, self.entries[frame.entries_start:],
                self.nodes - frame.nodes_start + 1,
            )
        first = self.entries[frame.entries_start]
        mark = _Mark(first[2] - 1, first[3] - 1)
        self._place(frame.pointer, frame.value, mark)

    def alias(self, event: Any) -> None:
        pointer, wants_key = self._slot(event.start_mark)
        if wants_key:
            raise _Stop(codes.BAD_TAG.at(
                "an alias cannot be a mapping key", spec=self.loc(event.start_mark)
            ))
        self.aliases += 1
        if self.aliases > MAX_ALIASES:
            raise _Stop(codes.TOO_MANY_ALIASES.at(
                f"the spec uses more than {MAX_ALIASES} aliases",
                spec=self.loc(event.start_mark),
            ))
        if event.anchor in self.open_anchors:
            raise _Stop(codes.TOO_MANY_ALIASES.at(
                f"alias *{event.anchor} refers to a node that contains it",
                spec=self.loc(event.start_mark),
            ))
        anchor = self.anchors.get(event.anchor)
        if anchor is None:
            raise _Stop(codes.SYNTAX.at(
                f"alias *{event.anchor} names no anchor (&{event.anchor}) before it",
                spec=self.loc(event.start_mark),
            ))
        self._count(anchor.nodes, event.start_mark)
        line, column = event.start_mark.line + 1, event.start_mark.column + 1
        self.entries.append((pointer, "v", line, column))
        # The alias's inner nodes point at the anchor's text, re-rooted under the alias.
        prefix = len(anchor.pointer)
        for inner, kind, il, ic in anchor.entries:
            if inner.startswith(anchor.pointer + "/"):
                self.entries.append((pointer + inner[prefix:], kind, il, ic))
        self._place(pointer, anchor.value, event.start_mark)


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
        if context is not None and mark is not None and context is not mark and (
            mark.line >= len(text.splitlines())
        ):
            # The parser ran into the end of the file: the line to look at is where the
            # unfinished construct (a flow mapping, a quoted string) began.
            problem += ": the file ends before it is closed"
            mark = context
        if "maximum nesting depth" in problem:
            diagnostics.append(codes.TOO_DEEP.at(
                f"the spec nests more than {MAX_DEPTH} levels deep",
                spec=SpecLocation(shown, mark.line + 1, mark.column + 1) if mark
                else SpecLocation(shown, 1, 1),
            ))
            return None, SourceMap(shown), diagnostics
        hint = None
        lines = text.splitlines()
        at = ""
        if mark and mark.line < len(lines):
            at = lines[mark.line][mark.column:mark.column + 1]
        if at == "\t" or "tab" in problem.lower():
            hint = "indent with spaces; YAML does not allow tabs for indentation"
        diagnostics.append(codes.SYNTAX.at(
            f"invalid YAML: {problem}",
            hint=hint,
            spec=SpecLocation(shown, mark.line + 1, mark.column + 1) if mark
            else SpecLocation(shown, 1, 1),
        ))
    except yaml.YAMLError as exc:
        position = getattr(exc, "position", None)
        line, column = _line_col(text, position) if isinstance(position, int) else (1, 1)
        reason = getattr(exc, "reason", None) or str(exc).splitlines()[0]
        diagnostics.append(codes.SYNTAX.at(
            f"invalid YAML: {reason}", spec=SpecLocation(shown, line, column)
        ))
    except (ValueError, UnicodeError, OverflowError) as exc:
        # libyaml's wrapper reports a few input problems (encodings, huge numbers) this way.
        diagnostics.append(codes.SYNTAX.at(f"invalid YAML: {exc}", spec=SpecLocation(shown, 1, 1)))
    diagnostics.extend(builder.diagnostics)
    return builder.root, _source_map(shown, builder.entries), diagnostics


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


def _toml_depth(text: str) -> tuple[int, int]:
    """The deepest bracket nesting outside strings and comments, and where it is reached.

    Run before tomllib, whose recursive parser would otherwise hit Python's recursion limit on
    a file of thousands of `[`.
    """
    depth = deepest = where = 0
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if c in "\"'":
            triple = text.startswith(c * 3, i)
            delim = c * 3 if triple else c
            j = i + len(delim)
            while j < n:
                if c == '"' and text[j] == "\\":
                    j += 2
                    continue
                if text.startswith(delim, j):
                    break
                if not triple and text[j] == "\n":
                    break
                j += 1
            i = j + len(delim)
            continue
        if c in "[{":
            depth += 1
            if depth > deepest:
                deepest, where = depth, i
        elif c in "]}":
            depth = max(0, depth - 1)
        i += 1
    return deepest, where


def _parse_toml(text: str, shown: str) -> tuple[Any, SourceMap, list[Diagnostic]]:
    import tomllib

    deepest, where = _toml_depth(text)
    if deepest > MAX_DEPTH:
        line, column = _line_col(text, where)
        return None, SourceMap(shown), [codes.TOO_DEEP.at(
            f"the spec nests more than {MAX_DEPTH} levels deep",
            spec=SpecLocation(shown, line, column),
        )]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _TOML_AT.search(message)
        line, column = (int(found.group(1)), int(found.group(2))) if found else (
            text.count("\n") + 1, 1)
        if found:
            message = message[: found.start()]
        return None, SourceMap(shown), [codes.SYNTAX.at(
            f"invalid TOML: {message}", spec=SpecLocation(shown, line, column)
        )]
    except RecursionError:
        return None, SourceMap(shown), [codes.TOO_DEEP.at(
            "the spec nests too deeply", spec=SpecLocation(shown, 1, 1)
        )]
    scanner = _TomlPositions(text)
    # Positions are a convenience: tomllib accepted the text, so on a scanner surprise keep what
    # was found and let the rest fall back to the nearest ancestor's position.
    with contextlib.suppress(IndexError, ValueError, RecursionError):
        scanner.scan()
    return _plain_toml(data), SourceMap(shown, scanner.keys, scanner.values), []


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
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\",
            "e": "\x1b"}


class _TomlPositions:
    """Positions of keys and values in valid TOML text, by pointer."""

    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0
        self.n = len(text)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.keys: dict[str, tuple[int, int]] = {}
        self.values: dict[str, tuple[int, int]] = {}
        self.array_tables: dict[str, int] = {}  # pointer of an array of tables -> last index

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
            pointer = join_pointer(pointer, name)
            self.keys.setdefault(pointer, self.pos(start))
            last = position == len(path) - 1
            if last and array:
                index = self.array_tables.get(pointer, -1) + 1
                self.array_tables[pointer] = index
                self.values.setdefault(pointer, self.pos(start))
                pointer = join_pointer(pointer, index)
                self.keys[pointer] = self.values[pointer] = self.pos(start)
            elif pointer in self.array_tables:
                pointer = join_pointer(pointer, self.array_tables[pointer])
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
                name = self.s[self.i + 1:end]
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
                    out.append(chr(int(s[i + 2:i + 2 + width], 16)))
                    i += 2 + width
                    continue
                if code == "x":
                    out.append(chr(int(s[i + 2:i + 4], 16)))
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
            pointer = join_pointer(pointer, name)
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
                item = join_pointer(pointer, index)
                self.keys[item] = self.pos(self.i)
                self.value(item)
                index += 1
                self.skip_space(newlines=True)
                if s[self.i] == ",":
                    self.i += 1
        elif c in "\"'":
            self.string(c)
        else:
            j = self.i
            while j < self.n and s[j] not in ",]}\n#":
                j += 1
            self.i = j

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
