"""Elementwise and normalizing operations: clamp, softmax."""

from __future__ import annotations

from typing import Any

import numpy as np

from apicompat.references.core import Result, check_axis, is_tensor, require_category, widen
from apicompat.references.promotion import result_type


def _operands(named: dict[str, Any], dtypes: dict[str, str]) -> str:
    """torch's result dtype for tensors and Python numbers given by name (None ones skipped)."""
    tensors = {n: (dtypes[n], v.ndim) for n, v in named.items() if is_tensor(v)}
    scalars = [v for v in named.values() if v is not None and not is_tensor(v)]
    return result_type(tensors, scalars)


def clamp(
    input: np.ndarray,
    min: np.ndarray | float | None = None,
    max: np.ndarray | float | None = None,
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.clamp: min(max(input, min), max), broadcast, promoted; NaN anywhere gives NaN."""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if min is not None and max is not None and is_tensor(min) != is_tensor(max):
        # torch's overloads take two Tensor bounds or two Numbers, never one of each.
        raise TypeError("clamp() received an invalid combination of arguments (a Number and a Tensor bound)")
    require_category("input", dtypes["input"], ("bool", "int", "float"), "clamp()")
    out = _operands({"input": input, "min": min, "max": max}, dtypes)
    values = widen(input, out)
    with np.errstate(invalid="ignore"):
        if min is not None:
            values = np.maximum(values, widen(np.asarray(min), out))
        if max is not None:
            values = np.minimum(values, widen(np.asarray(max), out))
    return Result(np.asarray(values), out)


def softmax_dim(ndim: int) -> int:
    """The dimension torch.nn.functional.softmax picks when `dim` is None (with a deprecation warning)."""
    return 0 if ndim in (0, 1, 3) else 1


def softmax(
    input: np.ndarray, dim: int | None = None, dtype: str | None = None, *, dtypes: dict[str, str]
) -> Result:
    """torch.nn.functional.softmax: exp(x - max) / sum along `dim`, after casting to `dtype`."""
    out = dtype or dtypes["input"]
    require_category("input" if dtype is None else "dtype", out, ("float",), "softmax()")
    axis = check_axis(softmax_dim(input.ndim) if dim is None else dim, input.ndim)
    values = widen(input, out)
    if values.ndim == 0 or values.size == 0:
        with np.errstate(invalid="ignore"):
            return Result(np.exp(values - values), out)
    with np.errstate(invalid="ignore", over="ignore"):
        shifted = values - np.max(values, axis=axis, keepdims=True)
        exps = np.exp(shifted)
        return Result(exps / np.sum(exps, axis=axis, keepdims=True), out)
