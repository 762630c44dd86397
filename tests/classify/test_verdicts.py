"""Verdicts: the official table's words, earned by the evidence ledger; causes fold their symptoms."""

from __future__ import annotations

from apicompat.classify.causes import DefaultTrial, fold_defaults, fold_not_runnable
from apicompat.classify.verdicts import verdict_for
from apicompat.records import Difference, DiffKind, Evidence, ParamEvidence, Severity, VerdictKind

FULL = Evidence(compared=10, params=(ParamEvidence("input", ("float32",)), ParamEvidence("dim", ("0",))))


def diff(kind: DiffKind, subject: str, severity: Severity, **extra: object) -> Difference:
    return Difference(
        kind=kind, summary=f"{kind.value} {subject}", subject=subject, severity=severity, **extra
    )  # type: ignore[arg-type]


def verdict(diffs: list[Difference], evidence: Evidence | None = FULL) -> tuple[VerdictKind, str]:
    v = verdict_for(diffs, evidence, "PyTorch", "MindSpore")
    return v.kind, v.text


def test_nothing_above_minor_with_full_evidence_is_consistent() -> None:
    minor = diff(DiffKind.ERROR_BEHAVIOR, "error_type:IndexError->ValueError", Severity.MINOR, case_count=9)
    assert verdict([minor]) == (VerdictKind.CONSISTENT, "Consistent")


def test_interface_only_says_what_differs() -> None:
    names = diff(DiffKind.PARAM_NAME, "dim", Severity.INTERFACE, source_param="dim", target_param="axis")
    out = diff(DiffKind.PARAM_ONLY_IN_ONE, "out", Severity.INTERFACE, source_param="out")
    kind, text = verdict([names, out])
    assert kind is VerdictKind.CONSISTENT_INTERFACE
    assert text == "Consistent, but parameter names differ; MindSpore lacks `out`"
    default = diff(DiffKind.PARAM_DEFAULT, "dim", Severity.INTERFACE, source_param="dim")
    assert verdict([default])[1] == "Consistent, but default values differ"


def test_a_gap_in_the_ledger_is_not_consistent() -> None:
    gap = Evidence(compared=4, unexercised=("dims",))
    assert verdict([], gap) == (
        VerdictKind.NOT_MEASURED,
        "Not measured: no case with `dims` ran on both sides",
    )
    assert verdict([], Evidence())[1] == "Not measured: no case returned on both sides"


def test_silent_beats_loud_and_the_headline_names_the_worst() -> None:
    loud = diff(DiffKind.INPUT_DTYPE_SUPPORT, "target_rejects:bfloat16", Severity.LOUD, case_count=30)
    silent = diff(
        DiffKind.OUTPUT_DTYPE,
        "int64->int8",
        Severity.SILENT,
        case_count=2,
        details={"source": "int64", "target": "int8"},
    )
    kind, text = verdict([loud, silent])
    assert kind is VerdictKind.DIFFERS
    assert text == "Differs: returns int8 where PyTorch returns int64 (and 1 more kind of difference)"
    assert verdict([loud])[1] == "Differs: raises on bfloat16 inputs where PyTorch returns"


def test_minor_never_makes_a_target_differ() -> None:
    lenient = diff(DiffKind.INPUT_DTYPE_SUPPORT, "target_accepts:bool", Severity.MINOR, case_count=50)
    zero = diff(DiffKind.SPECIAL_VALUES, "signed_zero", Severity.MINOR)
    assert verdict([lenient, zero])[0] is VerdictKind.CONSISTENT


def test_a_missing_kernel_is_not_runnable_and_hides_its_symptoms() -> None:
    blocked = diff(
        DiffKind.DEVICE_SUPPORT,
        "target_rejects_all",
        Severity.LOUD,
        device="cpu",
        details={"notes": ["RuntimeError: The kernel Std unregistered."]},
    )
    symptom = diff(DiffKind.ERROR_BEHAVIOR, "error_type:IndexError->ValueError", Severity.MINOR, device="cpu")
    other = diff(DiffKind.INPUT_DTYPE_SUPPORT, "target_rejects:bfloat16", Severity.LOUD, device="cpu")
    static = diff(DiffKind.PARAM_NAME, "dim", Severity.INTERFACE)
    folded = fold_not_runnable([static, blocked, symptom, other], "std", "mindspore.mint.std")
    key = blocked.key("std", "mindspore.mint.std")
    assert [d.explained_by for d in folded] == [None, None, key, key]
    kind, text = verdict(folded)
    assert kind is VerdictKind.NOT_RUNNABLE
    assert text == "Not runnable on cpu: RuntimeError: The kernel Std unregistered."


def test_a_default_explains_the_rows_it_causes() -> None:
    default = diff(
        DiffKind.PARAM_DEFAULT,
        "correction",
        Severity.INTERFACE,
        source_param="correction",
        target_param="ddof",
    )
    values = diff(DiffKind.VALUE_MISMATCH, "float32", Severity.SILENT, cases=("a", "b"), case_count=2)
    dtype_row = diff(DiffKind.VALUE_MISMATCH, "float64", Severity.SILENT, cases=("c",), case_count=1)
    trial = DefaultTrial("correction", 1, frozenset({"a", "b", "c"}), frozenset({"a", "b"}))
    folded = fold_defaults([default, values, dtype_row], {"correction": trial}, "std", "t")
    judged, explained, standing = folded
    assert explained.explained_by == judged.key("std", "t") and standing.explained_by is None
    assert judged.severity is Severity.SILENT and judged.case_count == 2 and judged.cases == ("a", "b")
    assert "passing `ddof=1`" in judged.summary  # the parameter as the target names it


def test_a_row_the_default_explains_only_in_part_stands_and_says_so() -> None:
    default = diff(DiffKind.PARAM_DEFAULT, "correction", Severity.INTERFACE, source_param="correction")
    values = diff(
        DiffKind.VALUE_MISMATCH, "float32", Severity.SILENT, cases=("a", "b"), all_cases=("a", "b", "c")
    )
    trial = DefaultTrial("correction", 1, frozenset({"a", "b", "c"}), frozenset({"a", "b"}), native=1)
    judged, standing = fold_defaults([default, values], {"correction": trial}, "std", "t")
    assert standing.explained_by is None
    assert "2 of these 3 cases agree once `correction=1` is passed explicitly" in standing.summary
    assert judged.severity is Severity.SILENT and "makes 2 of 3 differing case(s)" in judged.summary


def test_a_default_whose_trial_fails_is_not_called_signature_only() -> None:
    default = diff(DiffKind.PARAM_DEFAULT, "dim", Severity.INTERFACE, source_param="dim")
    values = diff(DiffKind.VALUE_MISMATCH, "float32", Severity.SILENT, cases=("a",))
    trial = DefaultTrial("dim", None, frozenset({"a"}), frozenset())
    judged, _ = fold_defaults([default, values], {"dim": trial}, "s", "t")
    assert "signature only" not in judged.summary and "did not make the 1 differing case(s)" in judged.summary


def test_a_default_that_explains_nothing_is_signature_only() -> None:
    default = diff(DiffKind.PARAM_DEFAULT, "dim", Severity.INTERFACE, source_param="dim")
    trial = DefaultTrial("dim", None, frozenset(), frozenset())
    (judged,) = fold_defaults([default], {"dim": trial}, "s", "t")
    assert judged.severity is Severity.INTERFACE and "signature only" in judged.summary


def test_wraparound_values_are_folded_under_the_narrower_output_dtype() -> None:
    from apicompat.classify.causes import fold_dtype_consequences

    int8 = diff(DiffKind.OUTPUT_DTYPE, "int64->int8", Severity.SILENT, cases=("a", "b"))
    int16 = diff(DiffKind.OUTPUT_DTYPE, "int64->int16", Severity.SILENT, cases=("c",))
    overflow = diff(DiffKind.SPECIAL_VALUES, "overflow", Severity.SILENT, cases=("a", "c"))
    other = diff(DiffKind.VALUE_MISMATCH, "float32", Severity.SILENT, cases=("d",))
    folded = fold_dtype_consequences([int8, int16, overflow, other], "cumsum", "t")
    assert folded[2].explained_by == int8.key("cumsum", "t") and folded[3].explained_by is None


def test_cases_a_default_explains_up_to_float32_precision_fold_and_get_a_precision_row() -> None:
    # mindspore.ops.var: with ddof=1 passed its float64 result is still ~3e-7 relative off.
    from apicompat.classify.causes import fold_coarse_defaults
    from apicompat.compare.outputs import Comparison
    from apicompat.records import Case, Implementation, TensorArg

    default = diff(
        DiffKind.PARAM_DEFAULT,
        "correction",
        Severity.INTERFACE,
        source_param="correction",
        target_param="ddof",
    )
    values = diff(DiffKind.VALUE_MISMATCH, "float64", Severity.SILENT, cases=("a", "b"), case_count=2)
    tried = Case(
        "var", (("input", TensorArg("float64", (3, 4), seed=1)), ("correction", 1)), (("dtype", "float64"),)
    )
    coarse = (
        tried,
        "single:float64",
        Comparison(),
        Comparison(values=True, max_abs=1e-6, max_rel=3e-7, mismatched=2),
    )
    trial = DefaultTrial(
        "correction",
        1,
        frozenset({"a", "b"}),
        frozenset({"a"}),
        1,
        coarse=frozenset({"b"}),
        coarse_evidence={"b": coarse},
    )
    judged, explained = fold_defaults([default, values], {"correction": trial}, "var", "t")
    assert explained.explained_by == judged.key("var", "t")  # b agrees once its precision is allowed for
    source = Implementation("torch", "torch.var", (("correction", "correction"),))
    target = Implementation("mindspore", "mindspore.ops.var", (("correction", "ddof"),))
    rows = fold_coarse_defaults([judged, explained], {"correction": trial}, source, target, "cpu")
    precision = rows[-1]
    assert (precision.kind, precision.subject, precision.cases) == (
        DiffKind.PRECISION,
        "single:float64",
        (tried.id,),
    )
    assert (
        "computes float64 at float32 precision" in precision.summary
        and "`ddof=1` passed" in precision.summary
    )
    # A precision row the cases already gave, folded under the default, takes them in and stands:
    # they are still off once the default is passed (mindspore.ops.std's large-offset probes).
    import dataclasses

    folded = dataclasses.replace(precision, explained_by=judged.key("var", "t"))
    (merged,) = [
        d
        for d in fold_coarse_defaults(
            [judged, explained, folded], {"correction": trial}, source, target, "cpu"
        )
        if d.kind is DiffKind.PRECISION
    ]
    assert merged.explained_by is None and "1 more case(s)" in merged.summary
    assert fold_coarse_defaults(
        [judged],
        {"correction": DefaultTrial("correction", 1, frozenset(), frozenset())},
        source,
        target,
        "cpu",
    ) == [judged]


def test_every_call_raising_type_error_is_a_misfit_not_a_missing_kernel() -> None:
    misfit = diff(
        DiffKind.ERROR_BEHAVIOR,
        "target_rejects:every_valid_case",
        Severity.LOUD,
        device="cpu",
        details={"notes": ["TypeError: input arguments[end, start] must be all tensor"]},
    )
    kind, text = verdict([misfit])
    assert kind is VerdictKind.NOT_RUNNABLE
    assert (
        text
        == "Not runnable with PyTorch's arguments: TypeError: input arguments[end, start] must be all tensor"
    )
