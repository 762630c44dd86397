"""Severity: one rule per kind and subject (docs/report-format.md), each pinned by a row here."""

from __future__ import annotations

import pytest

from apicompat.classify.severity import severity_of
from apicompat.records import DiffKind, Severity

SILENT, LOUD, INTERFACE, MINOR = Severity.SILENT, Severity.LOUD, Severity.INTERFACE, Severity.MINOR


@pytest.mark.parametrize(
    ("kind", "subject", "expected"),
    [
        # silent: the target returns something else on valid input, without error
        (DiffKind.OUTPUT_DTYPE, "int64->int8", SILENT),
        (DiffKind.OUTPUT_STRUCTURE, "count:1->2", SILENT),
        (DiffKind.VALUE_MISMATCH, "float32", SILENT),
        (DiffKind.VALUE_MISMATCH, "empty_input", SILENT),
        (DiffKind.VALUE_MISMATCH, "nondeterministic:target", SILENT),
        (DiffKind.PRECISION, "long:float16", SILENT),
        (DiffKind.ORDERING, "order", SILENT),
        (DiffKind.SPECIAL_VALUES, "nan_inf", SILENT),
        (DiffKind.SPECIAL_VALUES, "overflow", SILENT),
        (DiffKind.SHAPE_SUPPORT, "output_shape:dtype_sweep", SILENT),
        (DiffKind.DEVICE_SUPPORT, "gpu:results", SILENT),
        # loud: the target raises where the source returns on valid input
        (DiffKind.INPUT_DTYPE_SUPPORT, "target_rejects:bfloat16", LOUD),
        (DiffKind.SHAPE_SUPPORT, "target_rejects:0-d tensors", LOUD),
        (DiffKind.PARAM_VALUE_SUPPORT, "target_rejects:k=0", LOUD),
        (DiffKind.SPECIAL_VALUES, "target_rejects:nan_inf", LOUD),
        (DiffKind.ERROR_BEHAVIOR, "target_rejects:valid_input", LOUD),
        (DiffKind.ERROR_BEHAVIOR, "target_rejects:after_earlier_calls", LOUD),  # a model calls many ops
        (DiffKind.ERROR_BEHAVIOR, "target_rejects:every_valid_case", LOUD),
        (DiffKind.DEVICE_SUPPORT, "target_rejects_all", LOUD),
        (DiffKind.DEVICE_SUPPORT, "gpu:raises", LOUD),
        (DiffKind.INPUT_DTYPE_SUPPORT, "target_rejects:bfloat16@gpu", LOUD),
        # interface: names, defaults, one-sided optional parameters
        (DiffKind.PARAM_NAME, "dim", INTERFACE),
        (DiffKind.PARAM_ONLY_IN_ONE, "out", INTERFACE),
        (DiffKind.PARAM_DEFAULT, "correction", INTERFACE),
        # minor: exception class on input both reject, leniency, sign of zero
        (DiffKind.ERROR_BEHAVIOR, "error_type:IndexError->ValueError", MINOR),
        (DiffKind.ERROR_BEHAVIOR, "target_accepts_invalid", MINOR),
        (DiffKind.ERROR_BEHAVIOR, "target_rejects_invalid", MINOR),
        (DiffKind.INPUT_DTYPE_SUPPORT, "target_accepts:bool", MINOR),
        (DiffKind.PARAM_VALUE_SUPPORT, "target_accepts:k=0", MINOR),
        (DiffKind.SPECIAL_VALUES, "signed_zero", MINOR),
        (DiffKind.DEVICE_SUPPORT, "gpu:returns", MINOR),
    ],
)
def test_severity_rules(kind: DiffKind, subject: str, expected: Severity) -> None:
    assert severity_of(kind, subject) is expected


def test_every_kind_has_a_rule() -> None:
    for kind in DiffKind:
        assert isinstance(severity_of(kind, "x"), Severity)


def test_rank_orders_hazards_first() -> None:
    ranked = sorted(Severity, key=lambda s: s.rank)
    assert ranked == [SILENT, LOUD, INTERFACE, MINOR]
