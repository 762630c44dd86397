"""Fixtures for the whole suite."""

from __future__ import annotations

import pytest
from shipped_suite import ShippedRun, run_once, small_baseline_once


@pytest.fixture(scope="session")
def shipped_run(tmp_path_factory: pytest.TempPathFactory) -> ShippedRun:
    """`apicompat report specs --html` of every shipped spec (default settings), once per test session
    (across xdist workers too): the reports drift test and the HTML site test share it."""
    return run_once(tmp_path_factory)


@pytest.fixture(scope="session")
def small_baseline(tmp_path_factory: pytest.TempPathFactory) -> ShippedRun:
    """A baseline of every shipped spec at 20 cases (`check --update-baseline`), once per test
    session: the check round trip and the pytest-plugin test both start from it."""
    return small_baseline_once(tmp_path_factory)
