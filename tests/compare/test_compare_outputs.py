"""Comparison of two observations: status, dtype, shape, values, NaN placement."""

from __future__ import annotations

import numpy as np
import pytest

from apicompat.compare import compare_observations, tolerance_for
from apicompat.compare.tolerance import looser
from apicompat.records import Observation, Output, Status


def obs(
    values: object, dtype: str = "float32", status: Status = Status.OK, error: str | None = None
) -> Observation:
    if status is not Status.OK:
        return Observation("c", "api", "cpu", status, error_type=error, error_message="boom")
    arr = np.asarray(values)
    return Observation("c", "api", "cpu", status, (Output(dtype, arr.shape, arr),))


def test_identical_outputs_agree() -> None:
    assert compare_observations(obs([1.0, 2.0]), obs([1.0, 2.0])).agree


def test_within_float32_tolerance_agrees_but_beyond_does_not() -> None:
    assert compare_observations(obs([1.0]), obs([1.0 + 1e-7])).agree
    result = compare_observations(obs([1.0]), obs([1.001]))
    assert result.values and result.mismatched == 1
    assert result.max_abs == pytest.approx(0.001)


def test_float16_uses_its_looser_tolerance() -> None:
    assert compare_observations(obs([1.0], "float16"), obs([1.0005], "float16")).agree
    assert not compare_observations(obs([1.0], "float32"), obs([1.0005], "float32")).agree


def test_nan_where_nan_and_infinities_match() -> None:
    assert compare_observations(obs([np.nan, np.inf, -np.inf]), obs([np.nan, np.inf, -np.inf])).agree
    assert compare_observations(obs([np.nan, 1.0]), obs([1.0, 1.0])).values
    assert compare_observations(obs([np.inf]), obs([-np.inf])).values


def test_dtype_difference_is_reported_and_values_still_compared() -> None:
    result = compare_observations(
        obs(np.array([1, 3, 6], np.int64), "int64"), obs(np.array([1, 3, 6], np.int8), "int8")
    )
    assert result.dtype and not result.values
    wrapped = compare_observations(
        obs(np.array([200], np.int64), "int64"), obs(np.array([-56], np.int8), "int8")
    )
    assert wrapped.dtype and wrapped.values


def test_large_int64_values_compare_exactly() -> None:
    a = np.array([2**62 + 1], dtype=np.int64)
    b = np.array([2**62], dtype=np.int64)
    assert compare_observations(obs(a, "int64"), obs(b, "int64")).values


def test_shape_and_status_and_error_types() -> None:
    assert compare_observations(obs([1.0, 2.0]), obs([[1.0, 2.0]])).shape
    assert compare_observations(obs([1.0]), obs(None, status=Status.ERROR, error="ValueError")).status
    both = compare_observations(
        obs(None, status=Status.ERROR, error="IndexError"), obs(None, status=Status.ERROR, error="ValueError")
    )
    assert both.error_type and not both.status
    same = compare_observations(
        obs(None, status=Status.ERROR, error="ValueError"), obs(None, status=Status.ERROR, error="ValueError")
    )
    assert same.agree


def test_empty_outputs_agree_and_complex_compares() -> None:
    assert compare_observations(obs(np.zeros((0, 3))), obs(np.zeros((0, 3)))).agree
    assert not compare_observations(obs([1 + 1j], "complex64"), obs([1 - 1j], "complex64")).agree


def test_tolerance_table_and_overrides() -> None:
    assert tolerance_for("float32") == (1.3e-6, 1e-5)
    assert tolerance_for("int8") == (0.0, 0.0)
    assert tolerance_for("float32", {"float32": (1e-3, 1e-3)}) == (1e-3, 1e-3)
    assert looser("float16", "float32") == "float16"
    assert looser("float64", "bfloat16") == "bfloat16"


def test_signed_zero_is_counted_but_within_tolerance() -> None:
    result = compare_observations(obs([-0.0, 1.0]), obs([0.0, 1.0]))
    assert result.agree and result.signed_zeros == 1
    assert compare_observations(obs([-0.0]), obs([-0.0])).signed_zeros == 0


def test_nan_placement_is_counted_apart_from_the_error_sizes() -> None:
    """xlogy(0, -3.75): 0 in torch, NaN in MindSpore; the finite elements agree, so no error size says it."""
    result = compare_observations(obs([0.0, 1.0, 2.0]), obs([float("nan"), 1.0, 2.0]))
    assert result.values and result.mismatched == 1 and result.nonfinite == 1
    assert result.max_abs == 0.0
    mixed = compare_observations(obs([0.0, 1.0, 2.0]), obs([float("nan"), 1.5, 2.0]))
    assert mixed.mismatched == 2 and mixed.nonfinite == 1 and mixed.max_abs == pytest.approx(0.5)
