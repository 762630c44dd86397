"""Judging a published page against measured records (constructed here with severities set)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from apicompat.author.audit import (
    CONFIRMED,
    CONTRADICTED,
    NOT_MEASURED,
    PRINT_MARKER,
    Audit,
    audit_dict,
    instrumented,
    judge_outputs,
    judge_rows,
    render_audit,
    unmentioned,
)
from apicompat.author.page import parse_page
from apicompat.records import Difference, DiffKind, ParamRow, Severity, TargetResult

PAGE = parse_page((Path(__file__).parent / "fixtures" / "cumsum_page_flat.txt").read_text(), "cumsum.txt")


def diff(kind: DiffKind, subject: str, severity: Severity, summary: str, **extra: object) -> Difference:
    return Difference(kind=kind, summary=summary, subject=subject, severity=severity, **extra)  # type: ignore[arg-type]


# What apicompat measures for torch.cumsum -> mindspore.ops.cumsum (severities as issue 9 assigns them).
MEASURED = TargetResult(
    api="mindspore.ops.cumsum",
    framework="mindspore",
    signature=None,
    param_rows=(
        ParamRow("input", "input", "x", "Same function, different parameter names", "call"),
        ParamRow("dim", "dim", "axis", "Same function, different parameter names", "call"),
        ParamRow("dtype", "dtype", "dtype", "-", "call"),
        ParamRow("out", "out", None, "Not involved: PyTorch only", "signature"),
    ),
    differences=(
        diff(DiffKind.PARAM_NAME, "input", Severity.INTERFACE, "PyTorch `input` is called `x` in MindSpore"),
        diff(
            DiffKind.PARAM_ONLY_IN_ONE,
            "out",
            Severity.INTERFACE,
            "`out` exists only in PyTorch",
            source_param="out",
        ),
        diff(
            DiffKind.OUTPUT_DTYPE,
            "int64->int8",
            Severity.SILENT,
            "MindSpore returns int8 where PyTorch returns int64 (inputs: int8)",
            dtypes=("int8",),
        ),
        diff(
            DiffKind.INPUT_DTYPE_SUPPORT,
            "target_rejects:bool",
            Severity.LOUD,
            "MindSpore raises on bool inputs where PyTorch returns",
            dtypes=("bool",),
        ),
        diff(
            DiffKind.SHAPE_SUPPORT,
            "target_rejects:0-d tensors",
            Severity.LOUD,
            "MindSpore raises on 0-d tensors",
        ),
        diff(
            DiffKind.SHAPE_SUPPORT,
            "target_rejects:empty tensors",
            Severity.LOUD,
            "MindSpore raises on empty tensors",
        ),
        diff(
            DiffKind.ERROR_BEHAVIOR,
            "error_type:IndexError->ValueError",
            Severity.MINOR,
            "both raise, but with other exception types",
        ),
        diff(
            DiffKind.SPECIAL_VALUES,
            "overflow",
            Severity.SILENT,
            "results differ on values that overflow",
            explained_by="mindspore.ops.cumsum::output_dtype::int64->int8",
        ),
    ),
)


def test_the_documented_rows_are_confirmed_with_their_evidence() -> None:
    findings = judge_rows(PAGE, MEASURED)
    assert [f.verdict for f in findings] == [CONFIRMED] * 4
    assert findings[0].evidence == "measured input ↔ x (names verified by a call)"
    assert findings[1].evidence == "measured dim ↔ axis (names verified by a call)"
    assert findings[3].evidence.endswith("; `out` exists only in PyTorch")


def test_a_row_the_live_target_names_otherwise_is_contradicted() -> None:
    rows = (ParamRow("input", "input", "input", "-", "signature"), *MEASURED.param_rows[1:])
    findings = judge_rows(PAGE, dataclasses.replace(MEASURED, param_rows=rows))
    assert findings[0].verdict == CONTRADICTED and "input ↔ input" in findings[0].evidence


def test_names_taken_from_the_spec_only_are_not_measured() -> None:
    rows = tuple(r._replace(checked="") for r in MEASURED.param_rows)
    findings = judge_rows(PAGE, dataclasses.replace(MEASURED, param_rows=rows[:3]))
    assert [f.verdict for f in findings] == [NOT_MEASURED] * 4
    assert "the measurement has no parameter `out`" in findings[3].evidence


def test_the_silent_and_loud_differences_the_page_omits() -> None:
    missing = unmentioned(PAGE, MEASURED)
    assert [d.subject for d in missing] == [
        "int64->int8",  # integer promotion: silent first
        "target_rejects:bool",
        "target_rejects:0-d tensors",
        "target_rejects:empty tensors",
    ]


def test_a_difference_the_page_mentions_is_not_missing() -> None:
    page = dataclasses.replace(PAGE, prose=PAGE.prose + " Empty tensors and 0-d tensors are not supported.")
    subjects = {d.subject for d in unmentioned(page, MEASURED)}
    assert "target_rejects:empty tensors" not in subjects and "target_rejects:0-d tensors" not in subjects
    assert "int64->int8" in subjects  # "int8" in the dtype example is not a word about promotion


def test_printed_outputs_are_checked_against_the_published_comments() -> None:
    snippet = PAGE.snippets[3]  # MindSpore, Code Example 2
    script = instrumented(snippet)
    assert script.count("apicompat audit: print") == 2 and "print(y.dtype)" in script
    stdout = (
        f"{PRINT_MARKER.format(0)}\n[[ 3  4  6 10]\n [ 4 10 13 19]\n [ 8 13 21 26]\n [ 9 16 28 35]]\n"
        f"{PRINT_MARKER.format(1)}\nInt32\n"
    )
    first, second = judge_outputs(snippet, stdout, None)
    assert first.verdict == "matches" and second.verdict == "differs" and second.printed == "Int32"
    (lost, unrun) = judge_outputs(snippet, f"{PRINT_MARKER.format(0)}\n[[ 3  4  6 10]]\n", "TypeError: boom")
    assert (
        lost.verdict == "differs"
        and unrun.verdict == "not run"
        and unrun.printed == "(raised TypeError: boom)"
    )


def test_the_audit_fails_on_a_missing_silent_difference_and_says_why() -> None:
    audit = Audit(
        "cumsum.txt",
        "cumsum",
        "mindspore.ops.cumsum",
        judge_rows(PAGE, MEASURED),
        unmentioned(PAGE, MEASURED),
        (),
    )
    assert audit.failed
    text = render_audit(audit)
    assert "Parameter 2: dim | axis | Same function, different parameter names: confirmed" in text
    assert "[silent] output_dtype: MindSpore returns int8 where PyTorch returns int64" in text
    assert text.endswith("FAILED: the page contradicts the measurement")
    data = audit_dict(audit)
    rows = data["rows"]
    assert (
        data["failed"] is True and isinstance(rows, list) and [r["verdict"] for r in rows] == [CONFIRMED] * 4
    )


def test_loud_differences_alone_are_listed_but_do_not_fail() -> None:
    loud = tuple(d for d in MEASURED.differences if d.severity is not Severity.SILENT)
    measured = dataclasses.replace(MEASURED, differences=loud)
    audit = Audit(
        "p", "cumsum", "mindspore.ops.cumsum", judge_rows(PAGE, measured), unmentioned(PAGE, measured), ()
    )
    assert len(audit.missing) == 3 and not audit.failed
