"""Replacing a file: readers see the old one or the new one, never half of one, and nothing
is left behind whatever fails. One mechanism (`specc.atomic.replacing`) serves the table
writers (`specc fix`'s copies) and every text file specc writes."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from specc import atomic
from specc.atomic import replacing, write_text_atomic
from specc.tables import write
from specc.tables.write import write_csv, write_xlsx


@pytest.fixture
def umask_022() -> Iterator[None]:
    before = os.umask(0o022)
    yield
    os.umask(before)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_the_table_writers_replace_files_through_the_one_mechanism() -> None:
    assert write.replacing is atomic.replacing


def test_a_table_written_through_replacing_takes_the_files_place(
    tmp_path: Path, umask_022: None
) -> None:
    target = tmp_path / "leads.csv"
    target.write_text("old\n")
    os.chmod(target, 0o600)
    with replacing(target) as temp:
        assert temp.parent == tmp_path  # a rename is atomic only within one file system
        assert target.read_text() == "old\n"  # readers see the old file until the end
        write_csv(temp, [["Email"], ["ada@example.com"]])
    assert target.read_bytes() == b"Email\r\nada@example.com\r\n"
    # What a plain open() gives a new file, not mkstemp's 0600 nor the old file's bits.
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert leftovers(tmp_path) == []


def test_a_failure_while_writing_keeps_the_old_file_and_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "leads.xlsx"
    target.write_bytes(b"the old workbook")

    def rows() -> Iterator[list[str]]:
        yield ["Email"]
        raise RuntimeError("the source broke halfway")

    with pytest.raises(RuntimeError, match="halfway"), replacing(target) as temp:
        temp.write_bytes(b"PK\x03\x04")  # the new workbook, begun
        write_xlsx(temp, list(rows()))
    assert target.read_bytes() == b"the old workbook"
    assert leftovers(tmp_path) == []


def test_a_failing_rename_leaves_nothing_behind(tmp_path: Path) -> None:
    """The target is a folder: the rename fails after the new file was written and synced."""
    target = tmp_path / "out.csv"
    target.mkdir()
    with pytest.raises(OSError), replacing(target) as temp:
        temp.write_text("new\n")
    assert target.is_dir()
    assert leftovers(tmp_path) == []


def test_text_is_written_through_replacing_with_the_mode_asked(tmp_path: Path) -> None:
    target = tmp_path / "catalog.json"
    write_text_atomic(target, '{"a": 1}\n', mode=0o600)
    assert target.read_text() == '{"a": 1}\n'
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert leftovers(tmp_path) == []
