"""torch.max(input, dim): the values and indices NumPy gives by no single function."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from apicompat.references.core import Result, check_axis, require_category

Dims = int | Sequence[int] | None


def _first_max(values: np.ndarray, axis: int) -> np.ndarray:
    """Index of the first maximum along `axis`; a NaN counts as the maximum (torch propagates it)."""
    if values.dtype.kind != "f":
        return np.asarray(np.argmax(values, axis=axis))
    nan = np.isnan(values)
    best = np.argmax(np.where(nan, -np.inf, values), axis=axis)
    return np.asarray(np.where(nan.any(axis=axis), np.argmax(nan, axis=axis), best))


def max(
    input: np.ndarray, dim: int, keepdim: bool = False, *, dtypes: dict[str, str]
) -> tuple[Result, Result]:
    """torch.max(input, dim, keepdim): the named tuple (values, indices); ties give the first index."""
    dtype = dtypes["input"]
    require_category("input", dtype, ("bool", "int", "float"), "max()")
    axis = check_axis(dim, input.ndim)
    if input.ndim == 0:
        return Result(input.copy(), dtype), Result(np.array(0, dtype=np.int64), "int64")
    if input.shape[axis] == 0:
        raise IndexError(f"max(): Expected reduction dim {axis} to have non-zero size.")
    index = np.expand_dims(_first_max(input, axis), axis)
    values = np.take_along_axis(input, index, axis=axis)
    if not keepdim:
        values, index = values.squeeze(axis), index.squeeze(axis)
    return Result(values, dtype), Result(index.astype(np.int64), "int64")
