"""`csv_copy`: the bytes of untouched lines copied as they are, whatever the blocks.

The copier reads a file in blocks and passes over lines stretch by stretch; these tests
make both tiny, so that every line break, `\\r\\n` and quoted record falls across a
boundary somewhere, and compare with the file split in one piece.
"""

from __future__ import annotations

import io
import random
import re
from pathlib import Path

import pytest

from specc.fix import csv_copy

_BREAK = re.compile(rb"\r\n?|\n")


def _lines(data: bytes) -> list[bytes]:
    """The physical lines of `data`, each with its break, as the readers count them."""
    lines: list[bytes] = []
    start = 0
    for match in _BREAK.finditer(data):
        lines.append(data[start : match.end()])
        start = match.end()
    if start < len(data):
        lines.append(data[start:])
    return lines


def _messy_file(rng: random.Random, endings: list[bytes]) -> bytes:
    rows: list[bytes] = []
    for n in range(rng.randint(1, 60)):
        cells = [f"r{n}c{k}{'x' * rng.randint(0, 12)}".encode() for k in range(3)]
        if rng.random() < 0.15:
            cells[1] = b'"two' + rng.choice(endings) + b'lines"'
        rows.append(b",".join(cells) + rng.choice(endings))
    data = b"".join(rows)
    return data if rng.random() < 0.7 else data.rstrip(b"\r\n")


@pytest.mark.parametrize("endings", [[b"\n"], [b"\r\n"], [b"\n", b"\r\n", b"\r"]])
@pytest.mark.parametrize("block", [1, 2, 3, 7, 64])
@pytest.mark.parametrize("few", [0, 2])
def test_copy_to_and_take_record_keep_every_byte(
    monkeypatch: pytest.MonkeyPatch, endings: list[bytes], block: int, few: int
) -> None:
    monkeypatch.setattr(csv_copy, "BLOCK_BYTES", block)
    monkeypatch.setattr(csv_copy, "STRETCH_BYTES", 5)
    monkeypatch.setattr(csv_copy, "FEW_LINES", few)  # lines passed one by one below that
    rng = random.Random(block * 31 + len(endings))
    for _ in range(40):
        data = _messy_file(rng, endings)
        lines = _lines(data)
        # The records as csv_copy.records joins them (it reads in blocks of its own).
        records = dict(csv_copy.records(io.BytesIO(data)))
        wanted = sorted(rng.sample(sorted(records), min(len(records), rng.randint(0, 5))))
        sink = io.BytesIO()
        copier = csv_copy.LineCopier(io.BytesIO(data), sink)
        expected = b""  # the same copy, made from the lines split in one piece
        next_line = 1
        for line in wanted:
            if line < copier.line:
                continue  # inside a record taken before
            copier.copy_to(line)
            assert copier.line == line
            expected += b"".join(lines[next_line - 1 : line - 1])
            assert sink.getvalue() == expected
            raw, count = copier.take_record()
            assert raw == records[line]
            assert raw == b"".join(lines[line - 1 : line - 1 + count])
            sink.write(b"<" + raw + b">")
            expected += b"<" + raw + b">"
            next_line = line + count
        copier.copy_rest()
        assert sink.getvalue() == expected + b"".join(lines[next_line - 1 :])


def test_copy_to_past_the_end_copies_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_copy, "BLOCK_BYTES", 4)
    monkeypatch.setattr(csv_copy, "STRETCH_BYTES", 3)
    data = b"a,b\r\nc,d\r\ne,f\r"
    sink = io.BytesIO()
    copier = csv_copy.LineCopier(io.BytesIO(data), sink)
    copier.copy_to(10)
    assert copier.line == 4
    copier.copy_rest()
    assert sink.getvalue() == data


@pytest.mark.parametrize("block", [1, 16, 17, 18, 19, 1 << 20])
def test_encoding_of_utf8_latin1_and_nul(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    monkeypatch.setattr(csv_copy, "BLOCK_BYTES", block)
    path = tmp_path / "data.csv"
    cases = {
        b"a,b\nplain ascii\n": "utf-8",
        "name\nJosé Müller, Zoë ✓\n".encode(): "utf-8",
        "name\nJosé Müller\n".encode("cp1252"): "windows-1252",
        b"name\nJos\xc3": "windows-1252",  # a UTF-8 character cut short at the end
        # Characters of 1 to 4 bytes, cut by the blocks at every place.
        b"name\n" + "aé✓😀,".encode() * 40: "utf-8",
        b"name\n" + "aé✓😀,".encode() * 20 + b"\xe2\x9c" + "é".encode() * 9: "windows-1252",
        # Neither: 0x81 is no Windows-1252 character.
        b"name\n" + "aé✓😀,".encode() * 20 + b"\x81": None,
        b"name\n" + "aé✓😀,".encode() * 20 + b"\xf0\x9f\x98": "windows-1252",
        b"name\nab\x00c\n": None,
        "name\nJosé\x00\n".encode(): None,
    }
    for data, encoding in cases.items():
        path.write_bytes(data)
        assert csv_copy.encoding_of(path, "data.csv") == encoding, data
