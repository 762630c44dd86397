"""Fixtures for the whole suite."""

from __future__ import annotations

import pytest
from shipped_suite import ShippedRun, run_once


@pytest.fixture(scope="session")
def shipped_run(tmp_path_factory: pytest.TempPathFactory) -> ShippedRun:
    """`apicompat report specs --html` of every shipped spec (default settings), once per test session
    (across xdist workers too): the reports drift test and the HTML site test share it."""
    return run_once(tmp_path_factory)
