"""End to end on real torch and MindSpore: the cumsum page states what was measured."""

from __future__ import annotations

import json
from typing import Any

import pytest

from apicompat.cli import main

pytest.importorskip("torch")
pytest.importorskip("mindspore")
pytestmark = [pytest.mark.frameworks, pytest.mark.slow]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str]:
    out = tmp_path_factory.mktemp("reports")
    assert main(["report", "specs/cumsum.yaml", "--out", str(out)]) == 0
    data = json.loads((out / "cumsum.json").read_text())
    return data, (out / "cumsum.md").read_text()


def _diffs(data: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    (target,) = [t for t in data["targets"] if t["api"] == "mindspore.ops.cumsum"]
    return [d for d in target["differences"] if d["kind"] == kind]


def test_header_fields(report: tuple[dict[str, Any], str]) -> None:
    data, _ = report
    assert data["spec"] == "cumsum" and data["source"] == "torch.cumsum"
    assert set(data["versions"]) >= {"torch", "mindspore", "numpy"}
    assert data["devices"] == ["cpu"] and data["cases"] >= 100


def test_renamed_and_one_sided_parameters(report: tuple[dict[str, Any], str]) -> None:
    data, md = report
    names = {(d["source_param"], d["target_param"]) for d in _diffs(data, "param_name")}
    assert names == {("input", "x"), ("dim", "axis")}
    (out,) = [d for d in _diffs(data, "param_only_in_one") if d["source_param"] == "out"]
    assert out["cases"], "the cases that pass out= are its evidence"
    assert out["target_param"] is None and out["accepted"]
    assert "| Parameters | Parameter 1 | input | x |" in md


def test_measured_behaviour_differences(report: tuple[dict[str, Any], str]) -> None:
    data, _ = report
    # torch widens integer cumsum to int64; MindSpore keeps the input dtype.
    assert any(d["subject"] == "int64->int8" for d in _diffs(data, "output_dtype"))
    shape = {d["subject"] for d in _diffs(data, "shape_support")}
    assert "target_rejects:0-d tensors" in shape
    # Every behavioural difference carries evidence and a reproducer that was run on both sides.
    for kind in ("output_dtype", "shape_support", "input_dtype_support"):
        for diff in _diffs(data, kind):
            assert (
                diff["cases"] and diff["reproducer"]["source_output"] and diff["reproducer"]["target_output"]
            )


def test_reproducer_output_shows_the_dtype_difference(report: tuple[dict[str, Any], str]) -> None:
    data, _ = report
    (diff,) = [d for d in _diffs(data, "output_dtype") if d["subject"] == "int64->int8"]
    assert "torch.int64" in diff["reproducer"]["source_output"]
    assert "Int8" in diff["reproducer"]["target_output"]


def test_seed_examples_match_their_published_values(report: tuple[dict[str, Any], str]) -> None:
    data, md = report
    (target,) = [t for t in data["targets"] if t["api"] == "mindspore.ops.cumsum"]
    assert len(target["examples"]) == 7
    for example in target["examples"]:
        assert "torch.cumsum: matches" in example["description"]
    assert "### Code Example 1" in md
