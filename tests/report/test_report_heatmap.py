"""The support heatmap's cells: the worst difference on a dtype decides, else the evidence ledger."""

from __future__ import annotations

from dataclasses import replace

import pytest
from html_data import graded_cumsum, graded_results
from test_report_data import consistent_result

from apicompat.records import DiffKind, Severity
from apicompat.report.heatmap import (
    Outcome,
    device_columns,
    difference_anchor,
    dtype_columns,
    heatmap_rows,
)


def cells(result_index: int = 0, target: int = 0) -> dict[str, Outcome]:
    results = graded_results()
    rows = heatmap_rows(results[result_index], dtype_columns(results), device_columns(results))
    return {c.column: c.outcome for c in rows[target].cells}


def test_columns_are_every_dtype_seen_in_dtype_order_and_every_device() -> None:
    results = graded_results()
    assert dtype_columns(results) == (
        "bool", "int8", "int16", "float16", "float32", "float64", "complex64", "uint16",
    )  # fmt: skip
    assert device_columns(results) == ("cpu", "gpu")


@pytest.mark.parametrize(
    ("column", "outcome"),
    [
        ("int8", Outcome.SILENT),  # output_dtype (silent) names int8 and int16
        ("int16", Outcome.SILENT),
        ("uint16", Outcome.LOUD),  # input_dtype_support: MindSpore raises
        ("float16", Outcome.SILENT),  # value_mismatch on gpu
        ("float32", Outcome.SAME),  # compared, no difference
        ("bool", Outcome.BOTH_RAISE),
        ("complex64", Outcome.NOT_RUN),  # the ledger says not run
        ("float64", Outcome.NOT_RUN),  # the ledger does not list it
        ("cpu", Outcome.SAME),
        ("gpu", Outcome.SILENT),  # the value mismatch was measured on gpu
    ],
)
def test_cell_outcome_from_differences_and_ledger(column: str, outcome: Outcome) -> None:
    assert cells()[column] is outcome


def test_a_target_without_ledger_is_not_recorded_and_an_unavailable_device_not_run() -> None:
    abs_cells = cells(result_index=1)
    assert abs_cells["float32"] is Outcome.UNKNOWN
    assert abs_cells["gpu"] is Outcome.NOT_RUN and abs_cells["cpu"] is Outcome.SAME


def test_worst_severity_wins_and_the_cell_links_to_it() -> None:
    result = graded_cumsum()
    ops = result.targets[0]
    # Make the error_behavior difference (minor) also name int8: output_dtype (silent) still wins.
    diffs = tuple(
        replace(d, dtypes=("int8",)) if d.kind is DiffKind.ERROR_BEHAVIOR else d for d in ops.differences
    )
    result = replace(result, targets=(replace(ops, differences=diffs), *result.targets[1:]))
    row = heatmap_rows(result, ("int8",), ())[0]
    silent = next(d for d in diffs if d.kind is DiffKind.OUTPUT_DTYPE)
    assert row.cells[0].outcome is Outcome.SILENT
    assert row.cells[0].anchor == difference_anchor(silent, "cumsum", "mindspore.ops.cumsum")


def test_tooltip_names_the_difference_its_case_ids_and_the_counts() -> None:
    row = heatmap_rows(graded_cumsum(), ("int8", "uint16", "float32"), ())[0]
    int8, uint16, float32 = row.cells
    assert "output_dtype" in int8.tooltip and "cumsum-0000000001, cumsum-0000000002" in int8.tooltip
    assert "10 compared" in int8.tooltip
    assert "cumsum-0000000003" in uint16.tooltip and "6 raised only on the target" in uint16.tooltip
    assert float32.anchor is None and "20 compared" in float32.tooltip


def test_tooltip_counts_cases_beyond_those_listed() -> None:
    softmax = graded_results()[2]
    cell = heatmap_rows(softmax, ("float64",), ())[0].cells[0]
    assert "softmax-0000000007, softmax-0000000008 (+7 more)" in cell.tooltip


def test_tooltip_is_short_whatever_the_summary() -> None:
    result = graded_cumsum()
    ops = result.targets[0]
    long = tuple(
        replace(d, summary="x" * 500, cases=tuple(f"c-{i}" for i in range(40))) for d in ops.differences
    )
    result = replace(result, targets=(replace(ops, differences=long), *result.targets[1:]))
    cell = heatmap_rows(result, ("int8",), ())[0].cells[0]
    assert len(cell.tooltip) < 300 and "c-0, c-1, c-2 (+37 more)" in cell.tooltip and "…" in cell.tooltip


def test_anchor_is_stable_safe_and_distinct() -> None:
    diffs = graded_cumsum().targets[0].differences
    anchors = [difference_anchor(d, "cumsum", "mindspore.ops.cumsum") for d in diffs]
    assert len(set(anchors)) == len(anchors)
    assert all(a.replace("-", "").replace("_", "").isalnum() for a in anchors)
    assert anchors == [difference_anchor(d, "cumsum", "mindspore.ops.cumsum") for d in diffs]
    # Keys that slug alike ("a b" and "a-b") still get different anchors.
    one, other = replace(diffs[0], subject="a b"), replace(diffs[0], subject="a-b")
    assert difference_anchor(one, "s", "t") != difference_anchor(other, "s", "t")


def test_every_severity_has_an_outcome_with_its_own_symbol() -> None:
    symbols = [o.symbol for o in Outcome]
    assert len(set(symbols)) == len(symbols)
    assert {o.value for o in Outcome} >= {s.value for s in Severity}
    assert consistent_result().targets[0].evidence is None  # the fixture the "not recorded" case relies on
