"""Real torch and MindSpore runs of cumsum: reproducible byte for byte, and resumable after Ctrl-C.

- Two runs with the same seed and versions write byte-identical JSON and Markdown.
- A run interrupted by Ctrl-C at a (seeded) random point, then finished
  with `--resume`, writes the very same bytes.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from resume_helpers import partial_lines, visible_files

from apicompat.cli import EXIT_INTERRUPTED, EXIT_OK, main
from apicompat.run.checkpoint import PARTIAL_DIR

pytest.importorskip("torch")
pytest.importorskip("mindspore")
pytestmark = [pytest.mark.frameworks, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SPEC = str(ROOT / "specs" / "cumsum.yaml")
CASES = str(ROOT / "cases")


def report(out: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "apicompat",
        "report",
        SPEC,
        "--cases-dir",
        CASES,
        "--out",
        str(out),
        *extra,
    ]


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """An uninterrupted run with the default settings."""
    out = tmp_path_factory.mktemp("first")
    assert main(["report", SPEC, "--cases-dir", CASES, "--out", str(out)]) == EXIT_OK
    files = visible_files(out)
    assert set(files) == {"cumsum.json", "cumsum.md", "index.json", "index.md"}
    return files


def test_two_runs_write_identical_bytes(first: dict[str, bytes], tmp_path: Path) -> None:
    assert main(["report", SPEC, "--cases-dir", CASES, "--out", str(tmp_path)]) == EXIT_OK
    second = visible_files(tmp_path)
    for name in first:
        assert second[name] == first[name], f"{name} differs between two runs with the same seed"


def test_interrupted_then_resumed_writes_identical_bytes(first: dict[str, bytes], tmp_path: Path) -> None:
    sig = signal.SIGINT  # SIGTERM takes the same path (tests/reliability/test_interrupt_signals.py)
    out = tmp_path / "out"
    process = subprocess.Popen(report(out), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Somewhere within cumsum's cases (4 jobs x 123 cases), chosen by a seeded draw.
    after = random.Random(sig.name).randrange(20, 400)
    deadline = time.monotonic() + 120
    while process.poll() is None and partial_lines(out) < after and time.monotonic() < deadline:
        time.sleep(0.01)
    assert process.poll() is None, "the run ended before it could be interrupted"
    process.send_signal(sig)
    _, err = process.communicate(timeout=120)
    assert process.returncode == EXIT_INTERRUPTED, err
    assert "run the same command with --resume to finish" in err and "Traceback" not in err
    assert partial_lines(out) >= after
    resumed = subprocess.run(report(out, "--resume"), capture_output=True, text=True, timeout=300)
    assert resumed.returncode == EXIT_OK, resumed.stderr
    assert "apicompat: resuming cumsum:" in resumed.stderr
    assert visible_files(out) == first
    assert not (out / PARTIAL_DIR).exists()
