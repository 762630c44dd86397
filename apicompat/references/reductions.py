"""Reductions with several outputs, which no single NumPy function gives: max with indices,
aminmax, var_mean and std_mean; and torch.dist."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from apicompat.records.dtypes import dtype_category
from apicompat.references.core import Result, cast, check_axes, check_axis, require_category
from apicompat.references.promotion import result_type

Dims = int | Sequence[int] | None

_REAL = {"complex64": "float32", "complex128": "float64"}


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


def aminmax(
    input: np.ndarray, dim: int | None = None, keepdim: bool = False, *, dtypes: dict[str, str]
) -> tuple[Result, Result]:
    """torch.aminmax: (min, max) over `dim`, or over every element when it is None; NaN propagates,
    an empty reduction raises, complex is not implemented."""
    dtype = dtypes["input"]
    require_category("input", dtype, ("bool", "int", "float"), "aminmax()")
    if dim is None:
        if input.size == 0:
            raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension")
        axes: tuple[int, ...] | int = tuple(range(input.ndim))
    else:
        axes = check_axis(dim, input.ndim)
        if input.ndim and input.shape[axes] == 0:
            raise RuntimeError(f"aminmax(): Expected reduction dim {axes} to have non-zero size.")
        if input.ndim == 0:
            return Result(input.copy(), dtype), Result(input.copy(), dtype)
    low = np.min(input, axis=axes, keepdims=keepdim)
    high = np.max(input, axis=axes, keepdims=keepdim)
    return Result(np.asarray(low), dtype), Result(np.asarray(high), dtype)


def _moments(
    name: str, input: np.ndarray, dim: Dims, correction: float | None, keepdim: bool, dtypes: dict[str, str]
) -> tuple[np.ndarray, np.ndarray, str]:
    """(variance, mean, dtype) as torch's var_mean computes them: sum |x - mean|^2 / max(0, N - c)."""
    dtype = dtypes["input"]
    if dtype_category(dtype) not in ("float", "complex"):
        raise RuntimeError(f"{name} only support floating point and complex dtypes")
    axes = check_axes(dim, input.ndim)
    values = cast(input, dtype)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an empty slice or N <= correction gives NaN / inf
        ddof = 1 if correction is None else correction
        variance = np.var(values, axis=axes, ddof=ddof, keepdims=keepdim)
        mean = np.mean(values, axis=axes, keepdims=keepdim)
    return np.asarray(variance), np.asarray(mean), dtype


def var_mean(
    input: np.ndarray,
    dim: Dims = None,
    correction: float | None = None,
    keepdim: bool = False,
    *,
    dtypes: dict[str, str],
) -> tuple[Result, Result]:
    """torch.var_mean: (variance, mean) over `dim` with `correction` (default 1); a complex input
    gives a real variance and a complex mean; integers and bool raise."""
    variance, mean, dtype = _moments("var_mean", input, dim, correction, keepdim, dtypes)
    return Result(variance, _REAL.get(dtype, dtype)), Result(mean, dtype)


def std_mean(
    input: np.ndarray,
    dim: Dims = None,
    correction: float | None = None,
    keepdim: bool = False,
    *,
    dtypes: dict[str, str],
) -> tuple[Result, Result]:
    """torch.std_mean: (standard deviation, mean), the square root of torch.var_mean's variance."""
    variance, mean, dtype = _moments("std_mean", input, dim, correction, keepdim, dtypes)
    with np.errstate(invalid="ignore"):
        return Result(np.sqrt(variance), _REAL.get(dtype, dtype)), Result(mean, dtype)


def dist(input: np.ndarray, other: Any, p: float = 2, *, dtypes: dict[str, str]) -> Result:
    """torch.dist: the p-norm of input - other (broadcast, promoted) over every element; p = 0
    counts nonzeros, p = inf takes the largest; a complex difference gives a real result."""
    tensors = {
        n: (dtypes[n], np.ndim(v))
        for n, v in (("input", input), ("other", other))
        if isinstance(v, np.ndarray)
    }
    promoted = result_type(tensors)
    if dtype_category(promoted) not in ("float", "complex"):
        raise RuntimeError(
            f"norm(): input dtype should be either floating point or complex. Got {promoted} instead."
        )
    with np.errstate(all="ignore"):
        size = np.abs(cast(input, promoted) - cast(other, promoted)).reshape(-1)
        if p == 0:
            norm = np.count_nonzero(size).astype(np.float64)
        elif np.isinf(p):
            norm = (np.max(size) if p > 0 else np.min(size)) if size.size else np.float64(0.0)
        else:
            norm = np.sum(size**p) ** (1.0 / p)
    return Result(np.asarray(norm, dtype=np.float64), _REAL.get(promoted, promoted))
