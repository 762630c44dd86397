"""NumPy references: the oracle every implementation is compared with.

A reference takes the canonical arguments (tensors as NumPy carriers, dtypes as
names), plus `dtypes`, the vocabulary dtype of each tensor argument. It computes
at high precision (float64 / complex128), or exactly in an integer output dtype
with its wraparound, and returns `Result`s carrying the dtype the source API is
documented to produce. Raising means the call is invalid.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from apicompat.records.dtypes import dtype_category


class Result(NamedTuple):
    """A reference output: high-precision values and the expected dtype name."""

    values: np.ndarray
    dtype: str


def widen(values: np.ndarray, dtype: str) -> np.ndarray:
    """Cast to the precision the reference computes in for an output of `dtype`."""
    kind = dtype_category(dtype)
    if kind == "complex":
        return values.astype(np.complex128)
    if kind == "float":
        return values.astype(np.float64)
    if values.dtype.kind in "fc":
        values = np.trunc(values.real)  # float -> int conversion truncates toward zero
    with np.errstate(invalid="ignore"):
        return values.astype(np.dtype(dtype))


def sum_dtype(dtype: str) -> str:
    """The dtype torch's sum-like reductions produce: integers and bool widen to int64."""
    return "int64" if dtype_category(dtype) in ("bool", "int") else dtype


def check_axis(axis: int, ndim: int) -> int:
    """Normalize an axis as torch does (a 0-d tensor accepts -1 and 0)."""
    size = max(ndim, 1)
    if not -size <= axis < size:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-size}, {size - 1}], but got {axis})"
        )
    return axis % size


def cumsum(input: np.ndarray, dim: int, dtype: str | None = None, *, dtypes: dict[str, str]) -> Result:
    """torch.cumsum: the running sum along `dim`."""
    out_dtype = dtype or sum_dtype(dtypes["input"])
    axis = check_axis(dim, input.ndim)
    values = widen(input, out_dtype)
    if values.ndim == 0:
        return Result(values.copy(), out_dtype)
    with np.errstate(over="ignore"):
        return Result(np.cumsum(values, axis=axis, dtype=values.dtype), out_dtype)
