"""The shortcuts comparison takes must give exactly what the full comparison gives."""

from __future__ import annotations

import numpy as np
import pytest

from apicompat.compare.outputs import Comparison, _same_bits, compare_outputs
from apicompat.records import Output

ARRAYS = [
    np.array([1.0, -0.0, np.nan, np.inf, -np.inf, 3.5], dtype=np.float32),
    np.array([[1 + 1j, np.nan + 0j], [-0.0 - 0.0j, np.inf + 1j]], dtype=np.complex64),
    np.array([0, -5, 2**62], dtype=np.int64),
    np.array(2.5, dtype=np.float64),
    np.array([True, False]),
]


@pytest.mark.parametrize("values", ARRAYS, ids=["float", "complex", "int", "0-d", "bool"])
def test_identical_arrays_compare_as_the_full_path_does(values: np.ndarray) -> None:
    x = Output(str(values.dtype), tuple(values.shape), values)
    y = Output(str(values.dtype), tuple(values.shape), values.copy())
    assert _same_bits(x.values, y.values)
    assert compare_outputs(x, y) == Comparison()
    # The full path, reached with a copy in another layout (same values, different bytes order):
    if values.ndim == 2:
        z = Output(x.dtype, x.shape, np.asfortranarray(values))
        assert compare_outputs(x, z) == Comparison()


def test_a_sign_of_zero_is_not_the_same_bits() -> None:
    x = Output("float32", (2,), np.array([0.0, 1.0], dtype=np.float32))
    y = Output("float32", (2,), np.array([-0.0, 1.0], dtype=np.float32))
    assert not _same_bits(x.values, y.values)
    assert compare_outputs(x, y).signed_zeros == 1


def test_same_bits_in_other_dtypes_take_the_full_path() -> None:
    x = Output("float32", (2,), np.array([1.0, 2.0], dtype=np.float32))
    y = Output("bfloat16", (2,), np.array([1.0, 2.0], dtype=np.float32))
    assert compare_outputs(x, y) == Comparison(dtype=True)
    assert not _same_bits(np.zeros(2, np.float32), np.zeros(2, np.float64))
