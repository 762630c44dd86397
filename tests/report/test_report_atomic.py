"""Atomic writes: the old file or the new one, never a part of either, and no temp files left."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from test_report_data import consistent_result, cumsum_result

from apicompat.report import render_json, render_markdown, write_reports, write_text_atomic


def test_writes_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "page.md"
    write_text_atomic(target, "first\n")
    write_text_atomic(target, "second ✓\r\n")
    assert target.read_bytes() == "second ✓\r\n".encode()  # bytes as given, no newline translation
    assert os.listdir(tmp_path) == ["page.md"]


def test_failed_replace_keeps_old_file_and_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "page.md"
    target.write_text("old\n")

    def broken_replace(src: Any, dst: Any) -> None:
        raise OSError("disk on fire")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk on fire"):
        write_text_atomic(target, "new\n")
    assert target.read_text() == "old\n"
    assert os.listdir(tmp_path) == ["page.md"]


def test_failure_mid_write_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "page.json"
    target.write_text("{}\n")
    real_write = os.write

    def half_then_fail(fd: int, data: Any) -> int:
        real_write(fd, bytes(data[: len(data) // 2]))
        raise KeyboardInterrupt  # even an interrupt must not leave a torn file

    monkeypatch.setattr(os, "write", half_then_fail)
    with pytest.raises(KeyboardInterrupt):
        write_text_atomic(target, "x" * 10_000)
    assert target.read_text() == "{}\n"
    assert os.listdir(tmp_path) == ["page.json"]


def test_short_writes_are_completed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, bytes(data[:7])))
    write_text_atomic(tmp_path / "f.txt", "0123456789" * 5)
    assert (tmp_path / "f.txt").read_text() == "0123456789" * 5


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_keeps_existing_permissions(tmp_path: Path) -> None:
    target = tmp_path / "page.md"
    target.write_text("old")
    target.chmod(0o640)
    write_text_atomic(target, "new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_write_reports_writes_both_files(tmp_path: Path) -> None:
    out = tmp_path / "reports" / "nested"
    paths = write_reports(cumsum_result(), out)
    assert paths == [out / "cumsum.md", out / "cumsum.json"]
    assert paths[0].read_text(encoding="utf-8") == render_markdown(cumsum_result())
    assert paths[1].read_text(encoding="utf-8") == render_json(cumsum_result())
    before = [p.read_bytes() for p in paths]
    write_reports(cumsum_result(), out)
    assert [p.read_bytes() for p in paths] == before
    assert sorted(os.listdir(out)) == ["cumsum.json", "cumsum.md"]


@pytest.mark.parametrize("bad_id", ["../escape", "a/b", "", ".hidden", "c:\\x"])
def test_write_reports_refuses_ids_that_are_not_file_names(tmp_path: Path, bad_id: str) -> None:
    from dataclasses import replace

    with pytest.raises(ValueError, match="file name"):
        write_reports(replace(consistent_result(), spec_id=bad_id), tmp_path)
    assert os.listdir(tmp_path) == []
