"""The fresh pass: a target-only failure runs again in a fresh worker, and a failure that came from
the calls before it is reported by its fresh observation plus a row of its own."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import pytest

from apicompat.cli import main
from apicompat.commands.running import ADAPTERS_ENV
from apicompat.records.history import AFTER_CALLS

ADAPTERS = "fake=fake_frameworks:FakeAdapter,fake2=fake_frameworks:FakeAdapter"

SPEC = """\
apicompat: 1
id: history
title: history
summary: The input, unchanged; the targets' kernels remember what ran before them.
params:
  - {name: input, kind: tensor, ranks: [1, 2], dtypes: [float32, float64]}
  - {name: flag, kind: bool, required: false, default: false, keyword_only: true}
reference: fake_frameworks:reference_copy
source: {framework: fake2, api: fake_frameworks.ok, positional: [input]}
targets:
  - {framework: fake, api: fake_frameworks.last_flag, positional: [input]}
  - {framework: fake, api: fake_frameworks.tired, positional: [input]}
  - {framework: fake, api: fake_frameworks.raise_value_error, positional: [input]}
"""


def _report(tmp: Path, name: str) -> dict[str, Any]:
    spec = tmp / "history.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    err = io.StringIO()
    with pytest.MonkeyPatch.context() as mp, contextlib.redirect_stderr(err):
        mp.setenv(ADAPTERS_ENV, ADAPTERS)
        code = main(["report", str(spec), "--out", str(tmp / name), "--cases-dir", str(tmp / "none")])
    assert code == 0, err.getvalue()
    data: dict[str, Any] = json.loads((tmp / name / "history.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict[str, Any]]]:
    tmp = tmp_path_factory.mktemp("fresh")
    data = _report(tmp, "one")
    _report(tmp, "two")
    return tmp, {t["api"]: t for t in data["targets"]}


def _row(target: dict[str, Any]) -> dict[str, Any] | None:
    rows = [d for d in target["differences"] if d["subject"] == AFTER_CALLS]
    assert len(rows) <= 1
    return rows[0] if rows else None


def test_a_failure_after_one_earlier_call_is_reported_fresh_with_its_trigger(runs: Any) -> None:
    _, targets = runs
    target = targets["fake_frameworks.last_flag"]
    row = _row(target)
    assert row is not None, [d["subject"] for d in target["differences"]]
    assert row["kind"] == "error_behavior" and row["severity"] == "loud"
    assert row["details"]["trigger"] is not None and row["details"]["preceding_calls"] == 1
    assert "fails after earlier calls in the same process" in row["summary"]
    assert "right after one earlier call" in row["summary"]
    assert "kernel built for flag=" in row["details"]["target"]
    # The page reports the fresh observations: no case is left raising only in the target.
    assert target["evidence"]["only_target_raised"] == 0
    assert target["verdict"]["text"].startswith("Differs: fails after earlier calls in the same process")


def test_a_failure_after_a_sequence_of_calls_says_so(runs: Any) -> None:
    _, targets = runs
    row = _row(targets["fake_frameworks.tired"])
    assert row is not None
    assert row["details"]["trigger"] is None and row["details"]["preceding_calls"] == 3
    assert "after a sequence of 3 earlier calls, no single one of them enough" in row["summary"]
    assert targets["fake_frameworks.tired"]["evidence"]["only_target_raised"] == 0


def test_a_failure_that_repeats_in_a_fresh_worker_stays_and_gets_no_row(runs: Any) -> None:
    _, targets = runs
    target = targets["fake_frameworks.raise_value_error"]
    assert _row(target) is None
    assert target["evidence"]["compared"] == 0 and target["evidence"]["only_target_raised"] > 0


def test_the_same_seed_gives_the_same_bytes(runs: Any) -> None:
    tmp, _ = runs
    for name in ("history.json", "history.md"):
        assert (tmp / "one" / name).read_bytes() == (tmp / "two" / name).read_bytes()


@pytest.mark.frameworks
def test_real_searchsorted_fails_after_a_call_with_the_other_out_int32(tmp_path: Path) -> None:
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["report", "specs/searchsorted.yaml", "--out", str(tmp_path)])
    assert code == 0, err.getvalue()
    data = json.loads((tmp_path / "searchsorted.json").read_text(encoding="utf-8"))
    target = next(t for t in data["targets"] if t["api"] == "mindspore.ops.searchsorted")
    row = _row(target)
    assert row is not None, [d["subject"] for d in target["differences"]]
    assert row["details"]["trigger"] is not None
    assert "For 'SearchSorted', the dimension of `v` and output must be equal" in row["details"]["target"]
    reproducer = row["reproducer"]
    # The trigger, then the case: MindSpore raises at the second call, PyTorch returns both times.
    assert reproducer["target"].count("mindspore.ops.searchsorted(") == 2
    assert reproducer["target_output"].splitlines()[-1].startswith("RuntimeError: For 'SearchSorted'")
    assert "Error" not in reproducer["source_output"]
