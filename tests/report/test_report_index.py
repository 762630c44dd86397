"""The index page: one row per target, sorted by source API, honest descriptions, escaped text."""

from __future__ import annotations

import re
from dataclasses import replace

from test_report_data import consistent_result, cumsum_result
from test_report_escape import split_row

from apicompat.records import Difference, DiffKind, TargetResult
from apicompat.report import render_index
from apicompat.report.index import describe_target


def rows(page: str) -> list[list[str]]:
    return [split_row(line) for line in page.split("\n") if line.startswith("|")][2:]


def test_header_and_rows_sorted_by_source_api() -> None:
    page = render_index([cumsum_result(), consistent_result()])
    lines = page.split("\n")
    assert lines[0] == "# PyTorch and MindSpore API Mapping"
    assert "| PyTorch API | MindSpore API | Description | Worst severity |" in lines
    table = rows(page)
    assert [(r[0], r[1]) for r in table] == [
        ("torch.abs", "mindspore.ops.abs"),
        ("torch.cumsum", "mindspore.Tensor.cumsum"),
        ("torch.cumsum", "mindspore.ops.cumsum"),
    ]
    assert table[0][2] == "Consistent [diff](abs.md)"
    assert table[2][2].startswith("Differs: param_name (input), param_only_in_one (out, accepted), ")
    assert "output_dtype (int8, int16)" in table[2][2] and table[2][2].endswith("[diff](cumsum.md)")


def test_input_order_does_not_matter() -> None:
    assert render_index([cumsum_result(), consistent_result()]) == render_index(
        [consistent_result(), cumsum_result()]
    )


def test_consistent_only_without_differences() -> None:
    target = TargetResult(
        "m.f", "mindspore", None, (Difference(DiffKind.PARAM_DEFAULT, "d", "x", accepted="ok"),)
    )
    assert describe_target(target) == "Differs: param_default (x, accepted)"
    assert describe_target(replace(target, differences=())) == "Consistent"


def test_long_lists_are_truncated() -> None:
    diff = Difference(
        DiffKind.INPUT_DTYPE_SUPPORT, "rejects", "u", dtypes=("uint16", "uint32", "uint64", "bool")
    )
    target = TargetResult("m.f", "mindspore", None, (diff,))
    assert describe_target(target) == "Differs: input_dtype_support (uint16, uint32, uint64…)"


def test_links_and_escaping() -> None:
    base = consistent_result()
    odd = replace(base, source="torch.a|b<script>", spec_id="a b")
    page = render_index([odd], links={"a b": "pages/a b(1).md"})
    (row,) = rows(page)
    assert len(row) == 4
    assert row[0] == "torch.a\\|b\\<script>"
    assert row[2].endswith("[diff](pages/a%20b%281%29.md)")
    assert re.search(r"(?<!\\)<script", page) is None


def test_result_without_targets_and_mixed_frameworks() -> None:
    empty = replace(consistent_result(), targets=())
    other = replace(
        consistent_result(),
        spec_id="x",
        source="torch.x",
        targets=(TargetResult("paddle.x", "paddle", None, ()),),
    )
    page = render_index([empty, other])
    assert page.startswith("# PyTorch and PaddlePaddle API Mapping\n")
    assert rows(page)[0][1:] == ["-", "No target measured [diff](abs.md)", "-"]
    mixed = render_index([empty, other, cumsum_result()])
    assert mixed.startswith("# PyTorch API Mapping\n")
    assert "| PyTorch API | Target API | Description | Worst severity |" in mixed
    assert len(rows(mixed)) == 4


def test_rows_are_ranked_silent_first_and_index_json_holds_the_same_rows() -> None:
    import json

    from apicompat.records import Severity, Verdict, VerdictKind
    from apicompat.report.index import render_index_json

    base = consistent_result()
    (target,) = base.targets[:1]
    verdicts = [
        ("torch.a", Verdict(VerdictKind.CONSISTENT, "Consistent", Severity.MINOR)),
        ("torch.b", Verdict(VerdictKind.DIFFERS, "Differs: raises on bool inputs", Severity.LOUD)),
        ("torch.c", Verdict(VerdictKind.DIFFERS, "Differs: returns int8", Severity.SILENT)),
        (
            "torch.d",
            Verdict(VerdictKind.CONSISTENT_INTERFACE, "Consistent, but names differ", Severity.INTERFACE),
        ),
    ]
    results = [
        replace(base, spec_id=src.split(".")[1], source=src, targets=(replace(target, verdict=v),))
        for src, v in verdicts
    ]
    page = render_index(results)
    order = [row[0] for row in rows(page)]
    assert order == ["torch.c", "torch.b", "torch.d", "torch.a"]
    assert [row[3] for row in rows(page)] == ["silent", "loud", "interface", "-"]
    data = json.loads(render_index_json(results))
    assert [r["source"] for r in data["rows"]] == order
    assert data["rows"][0]["severity"] == "silent" and data["rows"][-1]["severity"] is None


def test_the_index_opens_with_the_counts() -> None:
    from apicompat.records import Severity, Verdict, VerdictKind
    from apicompat.report.index import coverage_lines

    cumsum = cumsum_result()
    first, *rest = cumsum.targets
    silent = replace(first.differences[0], severity=Severity.SILENT)
    marked = replace(
        first,
        verdict=Verdict(VerdictKind.DIFFERS, "Differs", Severity.SILENT),
        differences=(silent, *first.differences[1:]),
    )
    results = [replace(cumsum, targets=(marked, *rest)), consistent_result()]
    lines = coverage_lines(results)
    targets = sum(len(r.targets) for r in results)
    assert lines[0] == f"Coverage: 2 APIs, {targets} compared targets."
    assert lines[2].startswith("Verdicts: 1 differs, ") and "not classified" in lines[2]
    assert lines[4].startswith("Differences by severity: 1 silent")
    page = render_index(results)
    assert page.split("\n")[2] == lines[0]  # right under the title
