"""Double precision computed in single: float64 results whose errors sit at float32's epsilon level.

`mindspore.ops.std` returns float64, but off the float64 reference by about 1e-7 relative on every
float64 input: the value float32's epsilon (1.2e-7) predicts, a million times what float64 rounding
gives. Such a result is beyond the float64 tolerance and within the float32 one; where the other side
matches the reference, the difference is the precision the computation ran at, not another formula.
"""

from __future__ import annotations

from collections.abc import Mapping

from apicompat.compare.outputs import Comparison, compare_observations
from apicompat.compare.tolerance import tolerance_for
from apicompat.records import Observation

#: A double-precision dtype -> the single-precision one whose epsilon its errors would show.
SINGLE = {"float64": "float32", "complex128": "complex64"}

#: The subject prefix of such a precision row (`single:float64`).
SUBJECT = "single"


def single_precision_error(
    reference: Observation, obs: Observation, overrides: Mapping[str, tuple[float, float]] | None = None
) -> Comparison | None:
    """`obs`'s error against the reference when its outputs are double precision and off it beyond
    the double tolerance but within the single one; None otherwise."""
    if not (reference.ok and obs.ok and obs.outputs) or any(o.dtype not in SINGLE for o in obs.outputs):
        return None
    strict = compare_observations(reference, obs, overrides)
    if not strict.values or strict.count or strict.shape or strict.dtype:
        return None
    single = {**(overrides or {}), **{d: tolerance_for(s) for d, s in SINGLE.items()}}
    return strict if compare_observations(reference, obs, single).agree else None


def single_precision_pair(
    reference: Observation,
    source: Observation,
    target: Observation,
    overrides: Mapping[str, tuple[float, float]] | None = None,
) -> tuple[Comparison, Comparison] | None:
    """(source error, target error) against the reference when exactly one side computes double
    precision at single precision and the other matches the reference."""
    s_err, t_err = (
        compare_observations(reference, source, overrides),
        compare_observations(reference, target, overrides),
    )
    if s_err.agree and single_precision_error(reference, target, overrides) is not None:
        return s_err, t_err
    if t_err.agree and single_precision_error(reference, source, overrides) is not None:
        return s_err, t_err
    return None


def subject_for(obs: Observation) -> str:
    """`single:float64`: the row of the dtype the outputs were computed in."""
    return f"{SUBJECT}:{obs.outputs[0].dtype}"
