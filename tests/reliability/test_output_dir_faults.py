"""An output directory that fills up, or cannot be written at all: a clear error, and nothing lost.

- A disk that fills up (ENOSPC) while a page is written leaves every earlier file
  intact and no temporary file behind; the command exits 2 with one line naming the
  file and saying how to finish, and `--resume` then writes the very reports of an
  uninterrupted run.
- A read-only output directory is refused before any worker starts (exit 2).

The faults are injected in the writer's system calls (portable: no tmpfs, no root), and
an unwritable directory is also made for real (permissions; as root, a read-only tmpfs).
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_frameworks import LOAD_LOG_ENV, loads
from resume_helpers import ADAPTERS, visible_files, write_specs

import apicompat.report.atomic as atomic
from apicompat.cli import EXIT_OK, EXIT_USAGE, main
from apicompat.commands.running import ADAPTERS_ENV
from apicompat.run.checkpoint import PARTIAL_DIR

TESTS = Path(__file__).resolve().parents[1]


@pytest.fixture
def specs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Two small specs on fake frameworks, registered for in-process runs."""
    monkeypatch.setenv(ADAPTERS_ENV, ADAPTERS)
    monkeypatch.setenv("CHAOS_SLOW_SECONDS", "0")
    monkeypatch.setenv(LOAD_LOG_ENV, str(tmp_path / "loads.txt"))
    paths = os.pathsep.join([str(TESTS / "reliability"), str(TESTS), os.environ.get("PYTHONPATH", "")])
    monkeypatch.setenv("PYTHONPATH", paths)
    return write_specs(tmp_path / "specs")


def report(specs: list[str], out: Path, *extra: str) -> int:
    return main(["report", *specs, "--out", str(out), "--cases-dir", str(out.parent / "none"), *extra])


def test_a_disk_that_fills_up_keeps_earlier_files_and_resume_finishes(
    specs: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    reference = tmp_path / "reference"
    assert report(specs, reference) == EXIT_OK
    capsys.readouterr()

    out = tmp_path / "out"
    write_all = atomic._write_all
    written: list[int] = []

    def fill_up(fd: int, data: bytes) -> None:
        # The write check and the first spec's two files fit; the next page meets a full disk.
        if len(written) >= 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        written.append(fd)
        write_all(fd, data)

    monkeypatch.setattr(atomic, "_write_all", fill_up)
    assert report(specs, out) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"apicompat: cannot write {out / 'slow_b.md'}: No space left on device" in err, err
    assert "run the same command with --resume to finish" in err
    expected = visible_files(reference)
    assert visible_files(out) == {n: expected[n] for n in ("slow_a.json", "slow_a.md")}
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]  # no temporary file left

    monkeypatch.setattr(atomic, "_write_all", write_all)
    assert report(specs, out, "--resume") == EXIT_OK
    assert visible_files(out) == expected
    assert not (out / PARTIAL_DIR).exists()


def _refuse_writes_under(directory: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make `directory` read-only for apicompat's writer, as a read-only mount would (EROFS)."""
    real_open = os.open

    def read_only(path: str | os.PathLike[str], flags: int, *args: int, **kwargs: int) -> int:
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT) and Path(path).is_relative_to(directory):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(atomic.os, "open", read_only)


@pytest.mark.parametrize("command", ["report", "check"])
def test_a_read_only_output_directory_is_refused_before_any_case_runs(
    specs: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
) -> None:
    out = tmp_path / "read-only"
    out.mkdir()
    _refuse_writes_under(out, monkeypatch)
    extra = ["--baseline", str(tmp_path / "baseline.json"), "--update-baseline"] if command == "check" else []
    code = main([command, *specs, "--out", str(out), "--cases-dir", str(tmp_path / "none"), *extra])
    err = capsys.readouterr().err
    assert code == EXIT_USAGE, err
    assert f"apicompat: cannot write into the output directory {out}: Read-only file system" in err
    assert "choose a writable directory with --out" in err and "Traceback" not in err
    assert loads(tmp_path / "loads.txt") == []  # no worker started
    assert list(out.iterdir()) == []


@contextlib.contextmanager
def unwritable_directory(tmp_path: Path) -> Iterator[Path]:
    """A directory this process cannot write into, for real (no injected fault).

    Not root: a directory without write permission. Root writes through permissions, so
    root gets a read-only tmpfs mounted for the test where it may mount, else /sys (sysfs
    refuses new files even to root).
    """
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o555)
        try:
            yield locked
        finally:
            locked.chmod(0o755)
        return
    mount = tmp_path / "read-only-mount"
    mount.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(mount)], capture_output=True
    )
    if mounted.returncode != 0:
        yield Path("/sys")
        return
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


@pytest.mark.skipif(sys.platform != "linux", reason="unwritable directories are made the Linux way")
def test_an_unwritable_output_directory_is_refused_for_real(
    specs: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with unwritable_directory(tmp_path) as out:
        before = sorted(p.name for p in out.iterdir())
        assert report(specs, out) == EXIT_USAGE
        assert sorted(p.name for p in out.iterdir()) == before  # not even the probe file is left
    err = capsys.readouterr().err
    assert f"apicompat: cannot write into the output directory {out}" in err and "Traceback" not in err
    assert loads(tmp_path / "loads.txt") == []
