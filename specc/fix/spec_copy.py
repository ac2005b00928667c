"""The copy of the spec that `specc fix` writes beside the fixed files: the same text, with
each data file's path leading to its copy and the catalog's to the catalog."""

from __future__ import annotations

import os
from pathlib import Path

from specc.errors import InputError
from specc.spec.model import Spec


def write_spec_copy(text: str, spec: Spec, target: Path, out: Path, names: dict[str, str]) -> None:
    """The spec's text with each data file's path set to its copy's name (`names`, by the
    file's pointer) and the catalog's to where it is from `out`; nothing else changes
    (comments, order, quoting)."""
    edits: list[tuple[int, int, str]] = []
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    targets = [(f"{f.pointer}/path", names[f.pointer]) for f in spec.files]
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
