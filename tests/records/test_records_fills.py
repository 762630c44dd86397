"""The fills that draw generated tensor values."""

from __future__ import annotations

import numpy as np

from apicompat.records import TensorArg
from apicompat.records.arrays import materialize


def test_the_unit_fill_draws_probabilities_exact_in_every_dtype() -> None:
    for dtype in ("float16", "bfloat16", "float32", "float64", "complex64"):
        values = materialize(TensorArg(dtype, (200,), fill="unit", seed=3)).astype(np.complex128)
        assert set(np.unique(values.real)) == {0.0, 0.25, 0.5, 0.75, 1.0}
        assert not values.imag.any()
    for dtype in ("int8", "uint8", "bool"):
        values = materialize(TensorArg(dtype, (50,), fill="unit", seed=3)).astype(np.int64)
        assert set(np.unique(values)) == {0, 1}


def test_the_sign_fill_draws_labels_of_one_and_minus_one() -> None:
    for dtype in ("float16", "bfloat16", "float32", "float64", "int8", "int64", "complex64"):
        values = materialize(TensorArg(dtype, (100,), fill="sign", seed=3)).astype(np.complex128)
        assert set(np.unique(values.real)) == {-1.0, 1.0}
        assert not values.imag.any()
    for dtype in ("uint8", "bool"):
        values = materialize(TensorArg(dtype, (50,), fill="sign", seed=3)).astype(np.int64)
        assert set(np.unique(values)) == {0, 1}
