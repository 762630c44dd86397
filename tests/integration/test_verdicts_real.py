"""Verdicts on real torch and MindSpore: causes folded, precision found, missing kernels named once."""

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
    out = tmp_path_factory.mktemp("verdicts")
    assert (
        main(["report", "specs/std.yaml", "specs/cumsum.yaml", "specs/matmul.yaml", "--out", str(out)]) == 0
    )
    return out


def _target(out: Path, spec: str, api: str) -> dict[str, Any]:
    data = json.loads((out / f"{spec}.json").read_text(encoding="utf-8"))
    (target,) = [t for t in data["targets"] if t["api"] == api]
    return target  # type: ignore[no-any-return]


def test_std_value_rows_are_explained_by_its_default(reports: Path) -> None:
    target = _target(reports, "std", "mindspore.ops.std")
    (default,) = [
        d for d in target["differences"] if d["kind"] == "param_default" and d["subject"] == "correction"
    ]
    assert default["severity"] == "silent"
    explained = [d for d in target["differences"] if d["explained_by"] == default["key"]]
    assert any(d["kind"] == "value_mismatch" for d in explained)
    # A row only some of whose cases the default explains stands, and says how many it explains.
    for row in target["differences"]:
        if row["kind"] == "value_mismatch" and row["explained_by"] is None:
            assert "agree once `ddof=1` is passed explicitly" in row["summary"]
    assert "passing `ddof=1`" in default["summary"]
    page = (reports / "std.md").read_text(encoding="utf-8")
    explains = next(line for line in page.splitlines() if "Explains:" in line)
    assert "values differ on" in explains.partition("Explains:")[2]


def test_cumsum_loses_float16_precision_on_long_inputs(reports: Path) -> None:
    target = _target(reports, "cumsum", "mindspore.ops.cumsum")
    precision = [d for d in target["differences"] if d["kind"] == "precision"]
    assert any(d["subject"] == "long:float16" and d["severity"] == "silent" for d in precision)
    assert target["verdict"]["kind"] == "differs" and target["verdict"]["severity"] == "silent"


def test_a_missing_kernel_is_not_runnable_without_leaking_rows(reports: Path) -> None:
    for spec, api in (("cumsum", "mindspore.mint.cumsum"), ("std", "mindspore.mint.std")):
        target = _target(reports, spec, api)
        assert target["verdict"]["kind"] == "not_runnable"
        assert target["verdict"]["text"].startswith("Not runnable on cpu: RuntimeError: The kernel")
        standing = [
            d
            for d in target["differences"]
            if d["explained_by"] is None
            and d["kind"] not in ("param_name", "param_only_in_one", "param_default")
        ]
        assert [d["subject"] for d in standing] == ["target_rejects_all"]
        assert target["evidence"]["compared"] == 0


def test_every_difference_has_a_severity_and_every_target_a_verdict(reports: Path) -> None:
    for spec in ("std", "cumsum"):
        data = json.loads((reports / f"{spec}.json").read_text(encoding="utf-8"))
        for target in data["targets"]:
            assert target["verdict"]["text"]
            assert all(
                d["severity"] in ("silent", "loud", "interface", "minor") for d in target["differences"]
            )


def test_an_alias_is_named_and_its_table_shown_once(reports: Path) -> None:
    alias = _target(reports, "matmul", "mindspore.mint.matmul")
    assert alias["same_as"] == "mindspore.ops.matmul"
    assert _target(reports, "matmul", "mindspore.ops.matmul")["same_as"] is None
    page = (reports / "matmul.md").read_text(encoding="utf-8")
    assert "Same function as mindspore.ops.matmul: see its table." in page
    assert page.count("| Categories | Subcategories |") == 1


def _kinds_by_case(out: Path, spec: str) -> dict[tuple[str, str], set[tuple[str, str]]]:
    """(target, case id) -> the (kind, subject) of every difference listing all of its cases."""
    data = json.loads((out / f"{spec}.json").read_text(encoding="utf-8"))
    found: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for target in data["targets"]:
        for d in target["differences"]:
            if d["case_count"] <= len(d["cases"]):  # the evidence lists every case
                for case in d["cases"]:
                    found.setdefault((target["api"], case), set()).add((d["kind"], d["subject"]))
    return found


def test_a_finding_keeps_its_kind_whatever_the_number_of_cases(
    reports: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    more = tmp_path_factory.mktemp("more-cases")
    assert main(["report", "specs/cumsum.yaml", "--cases", "300", "--out", str(more)]) == 0
    base, extended = _kinds_by_case(reports, "cumsum"), _kinds_by_case(more, "cumsum")
    shared = base.keys() & extended.keys()
    assert len(shared) > 50
    assert {k: base[k] for k in shared} == {k: extended[k] for k in shared}
