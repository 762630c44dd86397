"""Indexing pages on real torch and MindSpore: list outputs, index dtypes and wrapped indices."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from apicompat.cli import main

pytest.importorskip("torch")
pytest.importorskip("mindspore")
pytestmark = [pytest.mark.frameworks, pytest.mark.slow]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("indexing")
    specs = ["specs/chunk.yaml", "specs/index_add.yaml", "specs/take_along_dim.yaml"]
    assert main(["report", *specs, "--out", str(out)]) == 0
    return out


def _target(out: Path, spec: str, api: str) -> dict[str, Any]:
    data = json.loads((out / f"{spec}.json").read_text(encoding="utf-8"))
    (target,) = [t for t in data["targets"] if t["api"] == api]
    return target  # type: ignore[no-any-return]


def test_fewer_chunks_of_an_empty_input_is_a_count_row_with_its_pieces_shown(reports: Path) -> None:
    target = _target(reports, "chunk", "mindspore.ops.chunk")
    (row,) = [d for d in target["differences"] if d["kind"] == "output_structure"]
    assert row["subject"] == "count:2->1" and row["severity"] == "silent"
    assert not [d for d in target["differences"] if d["subject"] == "empty_input"]
    # The pieces of an empty input hold no values: the reproducer prints what MindSpore returned.
    assert row["reproducer"]["target_output"].count("Float32") == 1
    assert _target(reports, "chunk", "mindspore.mint.chunk")["verdict"]["kind"] == "consistent"


def test_an_int32_only_target_is_told_by_the_index_dtype(reports: Path) -> None:
    target = _target(reports, "index_add", "mindspore.ops.index_add")
    rejected = [d["subject"] for d in target["differences"] if d["kind"] == "input_dtype_support"]
    assert rejected == ["target_rejects:index=int64"], rejected


def test_an_index_torch_wraps_is_valid_input(reports: Path) -> None:
    """torch.take_along_dim takes positions modulo the size; gather_elements refuses one past the end."""
    target = _target(reports, "take_along_dim", "mindspore.ops.gather_elements")
    subjects = {d["subject"] for d in target["differences"]}
    assert "target_rejects:indices=past_end" in subjects
    assert not any("reference rejects" in d["summary"] for d in target["differences"])
