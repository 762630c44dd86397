"""Runs of every shipped spec, each made once and shared by the tests that check it.

With real frameworks, a run over every shipped spec costs minutes of CPU, and several tests
need the same one: `apicompat report specs --html` (the `shipped_run` fixture: the reports
drift test and the HTML site test), and `apicompat check specs --update-baseline --cases 20`
(the `small_baseline` fixture: the check round trip and the pytest-plugin test). Each runs
once per test session, across pytest-xdist workers too: the first worker to need it runs it
under a file lock of its own; the others read what it wrote.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

#: The small budget the check round trip and the plugin test run every spec with.
SMALL_CASES = ["--cases", "20", "--cases-dir", str(REPO / "cases")]


@dataclass(frozen=True)
class ShippedRun:
    """What one run over the shipped specs did: what it wrote (`out`) and how it exited."""

    out: Path
    returncode: int
    stdout: str
    stderr: str


def _shared_directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory every xdist worker of this session sees (this session's own, never an earlier one's)."""
    base = tmp_path_factory.getbasetemp()
    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if os.environ.get("PYTEST_XDIST_WORKER") and run_id:
        shared = base.parent / f"shared-{run_id}"
    else:
        shared = base / "shared"
    shared.mkdir(parents=True, exist_ok=True)
    return shared


def _once(tmp_path_factory: pytest.TempPathFactory, name: str, args: list[str], out: str) -> ShippedRun:
    """`apicompat <args>` run once per session, writing to `<shared>/<name>/<out>`."""
    shared = _shared_directory(tmp_path_factory) / name
    shared.mkdir(exist_ok=True)
    record = shared / "run.json"
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another worker waits here while the run is made
        if not record.exists():
            env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
            command = [sys.executable, "-m", "apicompat", *args, str(shared / out)]
            done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=1800)
            record.write_text(
                json.dumps({"returncode": done.returncode, "stdout": done.stdout, "stderr": done.stderr}),
                encoding="utf-8",
            )
        made = json.loads(record.read_text(encoding="utf-8"))
    return ShippedRun(shared / out, made["returncode"], made["stdout"], made["stderr"])


def run_once(tmp_path_factory: pytest.TempPathFactory) -> ShippedRun:
    """`apicompat report specs --html` of every shipped spec (default settings), run once per session."""
    return _once(tmp_path_factory, "reports", ["report", "specs", "--html", "--quiet", "--out"], "reports")


def small_baseline_once(tmp_path_factory: pytest.TempPathFactory) -> ShippedRun:
    """`apicompat check specs --update-baseline --cases 20` of every shipped spec, run once per
    session; `out` is the baseline it wrote."""
    args = ["check", "specs", "--update-baseline", *SMALL_CASES, "--baseline"]
    return _once(tmp_path_factory, "small-baseline", args, "baseline.json")
