"""A result measured with other framework versions: its page section, JSON, round trip and index column."""

from __future__ import annotations

import dataclasses
import json

import jsonschema
from test_report_data import cumsum_result

from apicompat.records import Difference, DiffKind, ParamInfo, Severity, SpecResult, VersionRun
from apicompat.report import SCHEMA_PATH, render_index, render_json, render_markdown
from apicompat.report.load import load_result


def _with_older_version() -> SpecResult:
    """cumsum as measured with 2.10.0, and with 2.9.0 where ops.cumsum had one more silent difference
    and its `axis` parameter defaulted to 0."""
    result = cumsum_result()
    ops, method = result.targets
    wrap = Difference(
        DiffKind.VALUE_MISMATCH,
        "int8 sums wrap around",
        "int8 overflow",
        severity=Severity.SILENT,
        case_count=7,
    )
    assert ops.signature is not None
    params = tuple(
        dataclasses.replace(p, default="0") if p.name == "axis" else p for p in ops.signature.params
    )
    old_ops = dataclasses.replace(
        ops,
        differences=(*ops.differences, wrap),
        signature=dataclasses.replace(ops.signature, params=params),
    )
    run = VersionRun(
        framework="mindspore",
        version="2.9.0",
        versions={**result.versions, "mindspore": "2.9.0"},
        cases=result.cases,
        targets=(old_ops, method),
    )
    return dataclasses.replace(result, other_versions=(run,))


def test_the_page_says_what_differs_between_versions() -> None:
    page = render_markdown(_with_older_version())
    section = page[page.index("## Changes between versions") : page.index("## Code Examples")]
    assert "were run with mindspore 2.9.0 besides mindspore 2.10.0" in section
    assert "| Target | mindspore 2.10.0 (installed) | mindspore 2.9.0 |" in section
    assert "### From mindspore 2.9.0 to mindspore 2.10.0" in section
    assert "#### torch.cumsum → mindspore.ops.cumsum (cumsum)" in section
    assert "- default of axis: 0 → (required)" in section
    row = next(line for line in section.splitlines() if "int8 sums wrap around" in line)
    assert row.startswith("| disappeared | silent | value_mismatch | int8 overflow | 7 → - |")
    assert "mindspore.Tensor.cumsum" not in section.split("### From")[1]  # unchanged: not listed


def test_a_result_without_other_versions_has_no_such_section() -> None:
    assert "Changes between versions" not in render_markdown(cumsum_result())
    assert "Changed since" not in render_index([cumsum_result()])


def test_json_records_every_version_and_round_trips() -> None:
    result = _with_older_version()
    text = render_json(result)
    data = json.loads(text)
    jsonschema.validate(data, json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    (run,) = data["other_versions"]
    assert (run["framework"], run["version"], run["versions"]["mindspore"]) == ("mindspore", "2.9.0", "2.9.0")
    assert [t["api"] for t in run["changes"]] == ["mindspore.ops.cumsum"]
    loaded = load_result(data)
    assert loaded.other_versions[0].targets[0].signature is not None
    assert loaded.other_versions[0].targets[0].signature.params == tuple(
        ParamInfo(p.name, p.kind, "0" if p.name == "axis" else p.default)
        for p in result.targets[0].signature.params  # type: ignore[union-attr]
    )
    assert render_json(loaded) == text


def test_the_index_says_what_changed_since_each_version() -> None:
    index = render_index([_with_older_version()])
    header = next(line for line in index.splitlines() if line.startswith("| PyTorch API"))
    assert header.endswith("| Description | Worst severity | Changed since mindspore 2.9.0 |")
    rows = {line.split(" | ")[1]: line for line in index.splitlines() if line.startswith("| torch")}
    assert rows["mindspore.ops.cumsum"].endswith("| 1 disappeared, signature changed |")
    assert rows["mindspore.Tensor.cumsum"].endswith("| no change |")
