"""Compare two observations of the same case: status, dtype, shape and values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from apicompat.compare.tolerance import looser, tolerance_for
from apicompat.records import Observation, Output, Status


@dataclass(frozen=True)
class Comparison:
    """What differs between two observations; all False means they agree."""

    status: bool = False  # one returned, the other did not
    error_type: bool = False  # both raised, with different exception types
    count: bool = False  # different numbers of outputs
    dtype: bool = False
    shape: bool = False
    values: bool = False
    max_abs: float = 0.0
    max_rel: float = 0.0
    mismatched: int = 0  # elements outside tolerance (NaN placement included)
    signed_zeros: int = 0  # zeros whose sign differs: equal under the tolerance, reported apart
    nonfinite: int = 0  # mismatched elements where NaN or an infinity stands against something else

    @property
    def agree(self) -> bool:
        """True when nothing differs."""
        return not (self.status or self.error_type or self.count or self.dtype or self.shape or self.values)


def compare_observations(
    a: Observation, b: Observation, overrides: Mapping[str, tuple[float, float]] | None = None
) -> Comparison:
    """Compare `b` against `a` (a is the side taken as expected)."""
    if a.ok != b.ok:
        return Comparison(status=True)
    if not a.ok:
        both_raised = a.status is Status.ERROR and b.status is Status.ERROR
        return Comparison(error_type=both_raised and a.error_type != b.error_type)
    if len(a.outputs) != len(b.outputs):
        return Comparison(count=True)
    result = Comparison()
    for x, y in zip(a.outputs, b.outputs, strict=False):
        result = _merge(result, compare_outputs(x, y, overrides))
    return result


def compare_outputs(
    x: Output, y: Output, overrides: Mapping[str, tuple[float, float]] | None = None
) -> Comparison:
    """Compare output `y` against `x`; values are compared even when dtypes differ."""
    dtype = x.dtype != y.dtype
    if x.shape != y.shape:
        return Comparison(dtype=dtype, shape=True)
    if x.values.size == 0 or _same_bits(x.values, y.values):
        # Identical bits agree under any tolerance, with no error and no sign of zero apart:
        # the full comparison below would find exactly this. Most target-source pairs end here.
        return Comparison(dtype=dtype)
    if x.values.dtype.kind in "biu" and y.values.dtype.kind in "biu":
        # Integers compare exactly (int64 holds every integer dtype of the vocabulary).
        a, b = x.values.astype(np.int64), y.values.astype(np.int64)
        wrong = a != b
        mismatched = int(np.count_nonzero(wrong))
        if not mismatched:
            return Comparison(dtype=dtype)
        # The integer error itself (wraparound shows as a large one), in exact arithmetic.
        gap = np.abs(a[wrong].astype(object) - b[wrong].astype(object))
        scale = np.abs(a[wrong].astype(object))
        rel = max((float(g) / float(s) for g, s in zip(gap, scale, strict=True) if s), default=0.0)
        return Comparison(
            dtype=dtype, values=True, max_abs=float(max(gap)), max_rel=rel, mismatched=mismatched
        )
    rtol, atol = tolerance_for(looser(x.dtype, y.dtype), overrides)
    expected, actual = _common(x.values), _common(y.values)
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.abs(expected - actual)
        same_nan = np.isnan(expected) & np.isnan(actual)
        same_inf = np.isinf(expected) & (expected == actual)
        # The tolerance applies only between finite values: rtol * inf would excuse anything.
        both_finite = np.isfinite(expected) & np.isfinite(actual)
        close = (both_finite & (diff <= atol + rtol * np.abs(expected))) | same_nan | same_inf
        finite = np.isfinite(diff)
        max_abs = float(np.max(diff[finite], initial=0.0))
        denom = np.abs(expected[finite])
        rel = np.divide(diff[finite], denom, out=np.zeros_like(denom, dtype=np.float64), where=denom > 0)
        max_rel = float(np.max(rel, initial=0.0))
    mismatched = int(close.size - np.count_nonzero(close))
    nonfinite = int(np.count_nonzero(~close & ~both_finite))
    zeros = (expected == 0) & (actual == 0)
    signed = int(np.count_nonzero(zeros & (np.signbit(expected.real) != np.signbit(actual.real))))
    return Comparison(
        dtype=dtype,
        values=mismatched > 0,
        max_abs=max_abs,
        max_rel=max_rel,
        mismatched=mismatched,
        signed_zeros=signed,
        nonfinite=nonfinite,
    )


def _same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    """True when two arrays have one dtype, one shape and the same bytes."""
    return a.dtype == b.dtype and a.shape == b.shape and not a.dtype.hasobject and a.tobytes() == b.tobytes()


def _common(values: np.ndarray) -> np.ndarray:
    """Widen to a dtype both sides can be compared in without loss."""
    if values.dtype.kind == "c":
        return values.astype(np.complex128)
    return values.astype(np.float64)


def _merge(a: Comparison, b: Comparison) -> Comparison:
    return Comparison(
        count=a.count or b.count,
        dtype=a.dtype or b.dtype,
        shape=a.shape or b.shape,
        values=a.values or b.values,
        max_abs=max(a.max_abs, b.max_abs),
        max_rel=max(a.max_rel, b.max_rel),
        mismatched=a.mismatched + b.mismatched,
        signed_zeros=a.signed_zeros + b.signed_zeros,
        nonfinite=a.nonfinite + b.nonfinite,
    )
