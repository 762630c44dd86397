"""One run of every shipped spec, shared by the tests that check it (the `shipped_run` fixture).

`apicompat report specs --html` over every shipped spec costs minutes of CPU with real
frameworks; the reports drift test and the HTML site test both need exactly that run, so
it runs once per test session — once in all, across pytest-xdist workers too (the first
worker to need it runs it under a file lock; the others read what it wrote).
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


@dataclass(frozen=True)
class ShippedRun:
    """What `apicompat report specs --html --quiet --out OUT` did: its output directory and exit."""

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


def run_once(tmp_path_factory: pytest.TempPathFactory) -> ShippedRun:
    """`apicompat report specs --html` of every shipped spec (default settings), run once per session."""
    shared = _shared_directory(tmp_path_factory)
    out, record = shared / "reports", shared / "run.json"
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other worker waits here while the run is made
        if not record.exists():
            env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
            command = [
                sys.executable,
                "-m",
                "apicompat",
                "report",
                "specs",
                "--html",
                "--quiet",
                "--out",
                str(out),
            ]
            done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=1800)
            record.write_text(
                json.dumps({"returncode": done.returncode, "stdout": done.stdout, "stderr": done.stderr}),
                encoding="utf-8",
            )
        made = json.loads(record.read_text(encoding="utf-8"))
    return ShippedRun(out, made["returncode"], made["stdout"], made["stderr"])
