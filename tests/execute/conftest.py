"""Fixtures for execute tests; makes tests/fake_frameworks.py importable here and in workers."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

TESTS = str(Path(__file__).resolve().parents[1])
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)

from fake_frameworks import FAKE_ADAPTERS, FAST_MEMORY_MB, FAST_TIMEOUT, LOAD_LOG_ENV  # noqa: E402

from apicompat.execute import RunOptions, Session  # noqa: E402


@pytest.fixture
def load_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A file every fake adapter load appends a line to (workers inherit the environment)."""
    path = tmp_path / "loads.txt"
    monkeypatch.setenv(LOAD_LOG_ENV, str(path))
    return path


@pytest.fixture
def session(load_log: Path) -> Iterator[Session]:
    """A session with the fake frameworks registered, closed after the test."""
    with Session(RunOptions(timeout=FAST_TIMEOUT, memory_mb=FAST_MEMORY_MB), adapters=FAKE_ADAPTERS) as s:
        yield s
