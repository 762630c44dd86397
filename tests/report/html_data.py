"""SpecResults with severities, verdicts and evidence ledgers set, for the HTML site's tests.

The classify layer fills these fields; these records set them by hand so that every
cell of the heatmap and every verdict of the index occurs (imported by basename).
"""

from __future__ import annotations

from dataclasses import replace

from test_report_data import consistent_result, cumsum_result

from apicompat.records import (
    Difference,
    DiffKind,
    DtypeOutcome,
    Evidence,
    ParamEvidence,
    Severity,
    SpecResult,
    TargetResult,
    Verdict,
    VerdictKind,
)

_SEVERITIES = {
    DiffKind.PARAM_NAME: Severity.INTERFACE,
    DiffKind.PARAM_ONLY_IN_ONE: Severity.INTERFACE,
    DiffKind.INPUT_DTYPE_SUPPORT: Severity.LOUD,
    DiffKind.OUTPUT_DTYPE: Severity.SILENT,
    DiffKind.VALUE_MISMATCH: Severity.SILENT,
    DiffKind.ERROR_BEHAVIOR: Severity.MINOR,
}

#: The ledger of mindspore.ops.cumsum: per dtype, how its valid cases ended.
OPS_DTYPES = (
    DtypeOutcome("bool", both_raised=4),
    DtypeOutcome("int8", compared=10),
    DtypeOutcome("int16", compared=10),
    DtypeOutcome("uint16", only_target_raised=6),
    DtypeOutcome("float16", compared=12),
    DtypeOutcome("float32", compared=20),
    DtypeOutcome("complex64", not_run=3),
)


def graded_cumsum() -> SpecResult:
    """cumsum_result with severities, verdicts and ledgers: silent, loud, interface and minor cells."""
    base = cumsum_result()
    ops, method = base.targets
    ops = replace(
        ops,
        differences=tuple(replace(d, severity=_SEVERITIES[d.kind]) for d in ops.differences),
        verdict=Verdict(VerdictKind.DIFFERS, "Differs: int8 and int16 sums are promoted", Severity.SILENT),
        evidence=Evidence(
            compared=52,
            both_raised=4,
            only_target_raised=6,
            not_run=3,
            params=(ParamEvidence("dim", ("0", "-1")), ParamEvidence("dtype", ())),
            unexercised=("dtype",),
            dtypes=OPS_DTYPES,
        ),
    )
    method = replace(
        method,
        verdict=Verdict(VerdictKind.CONSISTENT_INTERFACE, "Consistent, but parameter names differ"),
        evidence=Evidence(
            compared=60, dtypes=(DtypeOutcome("float32", compared=40), DtypeOutcome("int8", compared=20))
        ),
    )
    return replace(base, targets=(ops, method))


def graded_results() -> list[SpecResult]:
    """A small suite: cumsum (graded), abs (consistent, no verdict) and a loud-only softmax."""
    softmax = SpecResult(
        spec_id="softmax",
        title="softmax",
        summary="Softmax along one dimension.",
        source="torch.nn.functional.softmax",
        source_signature=None,
        versions={"torch": "2.13.0", "mindspore": "2.10.0"},
        devices=("cpu",),
        unavailable_devices=("gpu",),
        seed=0,
        cases=30,
        targets=(
            TargetResult(
                api="mindspore.mint.nn.functional.softmax",
                framework="mindspore",
                signature=None,
                differences=(
                    Difference(
                        kind=DiffKind.INPUT_DTYPE_SUPPORT,
                        summary="MindSpore rejects float64 inputs on cpu",
                        subject="float64",
                        dtypes=("float64",),
                        cases=("softmax-0000000007", "softmax-0000000008"),
                        labels=("input=float64[2, 3] dim=1",),
                        device="cpu",
                        severity=Severity.LOUD,
                        case_count=9,
                    ),
                ),
                verdict=Verdict(VerdictKind.DIFFERS, "Differs: float64 raises", Severity.LOUD),
                evidence=Evidence(
                    compared=21,
                    only_target_raised=9,
                    dtypes=(
                        DtypeOutcome("float32", compared=21),
                        DtypeOutcome("float64", only_target_raised=9),
                    ),
                ),
            ),
        ),
    )
    return [graded_cumsum(), consistent_result(), softmax]
