"""The committed reports/ are what `apicompat report specs` writes: a test that fails when they drift."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import pytest
from shipped_suite import ShippedRun

from apicompat.spec import load_specs
from apicompat.spec.imports import package_installed

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reliability"))
from chaos_monkey import without_faults

REPO = Path(__file__).resolve().parents[2]
REPORTS = REPO / "reports"
# Spec ids, not file names: a family file holds several specs.
SPECS = sorted(s.id for s in load_specs([REPO / "specs"], check_imports=False))

pytestmark = [pytest.mark.frameworks, pytest.mark.slow]


def _written(directory: Path) -> dict[str, str]:
    """The files `apicompat report` writes (pages, JSON, index), by name, without the faults record:
    which executions a run had to retry (a worker that died from outside, a flaky kernel crash that did
    not repeat) is that run's story, not the measurement (docs/reliability.md)."""
    return {
        p.name: without_faults(p.name, p.read_bytes()).decode("utf-8")
        for p in sorted(directory.glob("*.md")) + sorted(directory.glob("*.json"))
        if p.name != "baseline.json"
    }


def test_committed_reports_match_a_fresh_run(shipped_run: ShippedRun) -> None:
    """The fresh run is the session's one `apicompat report specs` (tests/conftest.py), shared with
    the HTML site test: the suite runs once per CI job, not once per test that needs it."""
    if not (package_installed("torch") and package_installed("mindspore")):
        pytest.skip("needs torch and MindSpore")
    assert shipped_run.returncode == 0, shipped_run.stderr[-3000:]
    fresh, committed = _written(shipped_run.out), _written(REPORTS)
    expected = {"index.md", "index.json"} | {f"{s}.md" for s in SPECS} | {f"{s}.json" for s in SPECS}
    assert set(fresh) == expected, "the report command writes a page and a JSON per spec, and the index"
    assert set(committed) == expected, "regenerate with `apicompat report specs --out reports`"
    drifted = []
    for name in sorted(expected):
        if fresh[name] != committed[name]:
            diff = difflib.unified_diff(
                committed[name].splitlines(), fresh[name].splitlines(), "committed", "fresh", lineterm="", n=0
            )
            drifted.append(f"{name}:\n" + "\n".join(list(diff)[:12]))
    assert not drifted, "reports/ drifted from `apicompat report specs --out reports`:\n" + "\n".join(drifted)
