"""The speed-ups of issue 14 never change a report: real specs, with and without them, byte for byte.

On: a spec's cases spread over helper workers, the stability pass targeted (reruns only
where a page shows values) and per framework side by side, one spec assembled while the
next executes, every spec in one session (workers imported once). Off: none of that,
each spec in a session of its own, as before issue 14.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from apicompat.commands.running import load_inputs, run_all
from apicompat.report import write_reports
from apicompat.run.pipeline import RunConfig

pytestmark = pytest.mark.frameworks

ROOT = Path(__file__).resolve().parents[2]
# An empty-input finding (count_nonzero), hand-written examples and SIGFPE crashes on empty
# tensors (cumsum), index inputs (gather): the cases whose handling each mechanism changes.
SPECS = ("count_nonzero", "cumsum", "gather")

FAST = RunConfig()
SLOW = RunConfig(spread=False, overlap=False, rerun_all=True)


def pages(config: RunConfig, out: Path, *, shared: bool) -> dict[str, bytes]:
    """Every report file the specs get under `config`: in one session, or one session per spec."""
    args = argparse.Namespace(
        paths=[str(ROOT / "specs" / f"{s}.yaml") for s in SPECS], cases_dir=ROOT / "cases"
    )
    specs, handwritten = load_inputs(args)
    groups = [specs] if shared else [[spec] for spec in specs]
    for group in groups:
        for result in run_all(group, handwritten, config):
            write_reports(result, out)
    return {path.name: path.read_bytes() for path in sorted(out.iterdir())}


def test_the_speedups_leave_every_report_byte_identical(tmp_path: Path) -> None:
    assert FAST.spread and FAST.overlap and not FAST.rerun_all, "the defaults are the fast path"
    fast = pages(FAST, tmp_path / "fast", shared=True)
    slow = pages(SLOW, tmp_path / "slow", shared=False)
    assert sorted(fast) == sorted(slow) and len(fast) == 2 * len(SPECS)
    assert [name for name in fast if fast[name] != slow[name]] == []
