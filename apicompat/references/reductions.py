"""Reductions: sum, mean, max with indices, argmax, std."""

from __future__ import annotations

import builtins
from collections.abc import Sequence

import numpy as np

from apicompat.records.dtypes import dtype_category
from apicompat.references.core import Result, check_axes, check_axis, require_category, sum_dtype, widen

Dims = int | Sequence[int] | None


def sum(
    input: np.ndarray,
    dim: Dims = None,
    keepdim: bool = False,
    dtype: str | None = None,
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.sum: integers and bool accumulate in int64 unless `dtype` says otherwise."""
    out_dtype = dtype or sum_dtype(dtypes["input"])
    axes = check_axes(dim, input.ndim)
    values = widen(input, out_dtype)
    if out_dtype == "bool":
        return Result(np.any(values, axis=axes, keepdims=keepdim), out_dtype)
    with np.errstate(over="ignore"):
        total = np.sum(values, axis=axes, keepdims=keepdim, dtype=values.dtype)
    return Result(np.asarray(total), out_dtype)


def mean(
    input: np.ndarray,
    dim: Dims = None,
    keepdim: bool = False,
    dtype: str | None = None,
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.mean: defined for float and complex results only (an int input needs `dtype`)."""
    out_dtype = dtype or dtypes["input"]
    if dtype_category(out_dtype) not in ("float", "complex"):
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point "
            f"or complex dtype. Got: {out_dtype}"
        )
    axes = check_axes(dim, input.ndim)
    values = widen(input, out_dtype)
    with np.errstate(invalid="ignore", divide="ignore"):
        return Result(np.asarray(np.mean(values, axis=axes, keepdims=keepdim)), out_dtype)


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


def argmax(
    input: np.ndarray, dim: int | None = None, keepdim: bool = False, *, dtypes: dict[str, str]
) -> Result:
    """torch.argmax: the first index of the maximum, over the flattened tensor when `dim` is None."""
    require_category("input", dtypes["input"], ("int", "float"), "argmax()")
    if dim is None:
        if input.size == 0:
            raise IndexError("argmax(): Expected reduction dim to be specified for input.numel() == 0.")
        flat = _first_max(input.reshape(-1), 0)
        shape = (1,) * input.ndim if keepdim else ()
        return Result(np.asarray(flat, dtype=np.int64).reshape(shape), "int64")
    axis = check_axis(dim, input.ndim)
    if input.ndim == 0:
        return Result(np.array(0, dtype=np.int64), "int64")
    if input.shape[axis] == 0:
        raise IndexError(f"argmax(): Expected reduction dim {axis} to have non-zero size.")
    index = _first_max(input, axis)
    if keepdim:
        index = np.expand_dims(index, axis)
    return Result(np.asarray(index, dtype=np.int64), "int64")


_REAL = {"complex64": "float32", "complex128": "float64"}


def std(
    input: np.ndarray,
    dim: Dims = None,
    unbiased: bool | None = None,
    keepdim: bool = False,
    correction: int | float | None = None,
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.std: sqrt(sum |x - mean|^2 / max(0, N - correction)); `unbiased` means correction 1 or 0.

    A complex input gives a real result of the matching precision.
    """
    dtype = dtypes["input"]
    require_category("input", dtype, ("float", "complex"), "std()")
    if unbiased is not None and correction is not None:
        raise TypeError("std() takes either `unbiased` or `correction`, not both")
    if correction is None:
        correction = 0 if unbiased is False else 1
    axes = check_axes(dim, input.ndim)
    values = widen(input, dtype)
    count = int(np.prod([input.shape[a] for a in axes], dtype=np.int64)) if input.ndim else 1
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = np.mean(values, axis=axes, keepdims=True) if values.size else np.zeros_like(values)
        squares = np.sum(np.abs(values - centre) ** 2, axis=axes, keepdims=keepdim)
        result = np.sqrt(squares / np.float64(builtins.max(count - correction, 0)))
    return Result(np.asarray(result, dtype=np.float64), _REAL.get(dtype, dtype))


def _first_min(values: np.ndarray, axis: int) -> np.ndarray:
    """Index of the first minimum along `axis`; a NaN counts as the minimum (torch propagates it)."""
    if values.dtype.kind != "f":
        return np.asarray(np.argmin(values, axis=axis))
    nan = np.isnan(values)
    best = np.argmin(np.where(nan, np.inf, values), axis=axis)
    return np.asarray(np.where(nan.any(axis=axis), np.argmax(nan, axis=axis), best))


def argmin(
    input: np.ndarray, dim: int | None = None, keepdim: bool = False, *, dtypes: dict[str, str]
) -> Result:
    """torch.argmin: the first index of the minimum (NaN counts as it), over the flattened tensor when
    `dim` is None."""
    require_category("input", dtypes["input"], ("int", "float"), "argmin()")
    if dim is None:
        if input.size == 0:
            raise IndexError("argmin(): Expected reduction dim to be specified for input.numel() == 0.")
        flat = _first_min(input.reshape(-1), 0)
        shape = (1,) * input.ndim if keepdim else ()
        return Result(np.asarray(flat, dtype=np.int64).reshape(shape), "int64")
    axis = check_axis(dim, input.ndim)
    if input.ndim == 0:
        return Result(np.array(0, dtype=np.int64), "int64")
    if input.shape[axis] == 0:
        raise IndexError(f"argmin(): Expected reduction dim {axis} to have non-zero size.")
    index = _first_min(input, axis)
    if keepdim:
        index = np.expand_dims(index, axis)
    return Result(np.asarray(index, dtype=np.int64), "int64")


def var(
    input: np.ndarray,
    dim: Dims = None,
    unbiased: bool | None = None,
    keepdim: bool = False,
    correction: int | float | None = None,
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.var: sum |x - mean|^2 / max(0, N - correction), the square of torch.std (same rules)."""
    result = std(input, dim, unbiased, keepdim, correction, dtypes=dtypes)
    with np.errstate(over="ignore"):
        return Result(np.asarray(result.values) ** 2, result.dtype)


def logsumexp(input: np.ndarray, dim: Dims, keepdim: bool = False, *, dtypes: dict[str, str]) -> Result:
    """torch.logsumexp: log(sum(exp(x))) over `dim`, computed stably; integer inputs give float32."""
    dtype = dtypes["input"]
    require_category("input", dtype, ("bool", "int", "float"), "logsumexp()")
    out = "float32" if dtype_category(dtype) in ("bool", "int") else dtype
    axes = check_axes(dim, input.ndim)
    values = widen(input, out)
    with np.errstate(all="ignore"):
        if values.size == 0:
            return Result(np.log(np.sum(np.exp(values), axis=axes, keepdims=keepdim)), out)
        top = np.max(values, axis=axes, keepdims=True)
        top = np.where(np.isfinite(top), top, 0.0)
        total = np.log(np.sum(np.exp(values - top), axis=axes, keepdims=True)) + top
        return Result(total if keepdim else np.squeeze(total, axis=axes), out)
