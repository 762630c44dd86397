"""References for the torch.nn.functional activations a formula cannot write, computed in float64:
the softmax-like ones along a dimension, glu's halves, normalize and cosine_similarity. (relu, gelu,
silu, selu, the hard and soft variants and the parametrized ones are formulas in their specs.)"""

from __future__ import annotations

import numpy as np

from apicompat.references.core import Result, check_axis, require_category, widen
from apicompat.references.elementwise import softmax_dim
from apicompat.references.promotion import promote


def _float64(input: np.ndarray, dtypes: dict[str, str], api: str) -> tuple[np.ndarray, str]:
    """The input widened to float64 and its dtype, after torch's float-only check."""
    dtype = dtypes["input"]
    require_category("input", dtype, ("float",), api)
    return widen(input, "float64"), dtype


def _log_softmax(values: np.ndarray, axis: int) -> np.ndarray:
    """x - logsumexp(x) along `axis`, stable for large values; a 0-d or empty input passes through."""
    if values.ndim == 0 or values.size == 0:
        return np.asarray(values - values)
    with np.errstate(invalid="ignore", over="ignore"):
        # As torch: shift by the maximum, so a slice holding +inf (or only -inf) becomes NaN.
        shifted = values - np.max(values, axis=axis, keepdims=True)
        return np.asarray(shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True)))


def log_softmax(
    input: np.ndarray, dim: int | None = None, dtype: str | None = None, *, dtypes: dict[str, str]
) -> Result:
    """torch.nn.functional.log_softmax: x - log(sum(exp(x))) along `dim`, after casting to `dtype`;
    dim=None picks a dimension from the rank as softmax does (0 for ranks 0, 1 and 3, else 1)."""
    out = dtype or dtypes["input"]
    require_category("input" if dtype is None else "dtype", out, ("float",), "log_softmax()")
    axis = check_axis(softmax_dim(input.ndim) if dim is None else dim, input.ndim)
    return Result(_log_softmax(widen(input, out), axis), out)


def softmin(
    input: np.ndarray, dim: int | None = None, dtype: str | None = None, *, dtypes: dict[str, str]
) -> Result:
    """torch.nn.functional.softmin: softmax(-x) along `dim` (dim=None as softmax picks it)."""
    out = dtype or dtypes["input"]
    require_category("input" if dtype is None else "dtype", out, ("float",), "softmin()")
    axis = check_axis(softmax_dim(input.ndim) if dim is None else dim, input.ndim)
    with np.errstate(invalid="ignore", over="ignore"):
        return Result(np.exp(_log_softmax(-widen(input, out), axis)), out)


def glu(input: np.ndarray, dim: int = -1, *, dtypes: dict[str, str]) -> Result:
    """torch.nn.functional.glu: a * sigmoid(b) for the two halves a, b of `dim`; an odd size or a
    0-d input raises."""
    x, dtype = _float64(input, dtypes, "glu")
    if x.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    axis = check_axis(dim, x.ndim)
    if x.shape[axis] % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {axis} is size {x.shape[axis]}")
    a, b = np.split(x, 2, axis=axis)
    with np.errstate(all="ignore"):
        return Result(a / (1.0 + np.exp(-b)), dtype)


def normalize(
    input: np.ndarray, p: float = 2.0, dim: int = 1, eps: float = 1e-12, *, dtypes: dict[str, str]
) -> Result:
    """torch.nn.functional.normalize: x / max(||x||_p, eps) along `dim` (keeping it)."""
    dtype = dtypes["input"]
    require_category("input", dtype, ("float", "complex"), "normalize")
    x = widen(input, dtype)
    axis = check_axis(dim, x.ndim)
    shaped = x.reshape(1) if x.ndim == 0 else x
    with np.errstate(all="ignore"):
        norm = np.linalg.norm(shaped, ord=p, axis=axis, keepdims=True) if shaped.size else np.zeros(())
        values = shaped / np.maximum(norm, eps)
    return Result(values.reshape(x.shape), dtype)


def cosine_similarity(
    x1: np.ndarray, x2: np.ndarray, dim: int = 1, eps: float = 1e-8, *, dtypes: dict[str, str]
) -> Result:
    """torch.nn.functional.cosine_similarity: sum((x1 / max(||x1||, eps)) * (x2 / max(||x2||, eps)))
    along `dim`, after broadcasting x1 with x2; the dtypes promote (float only)."""
    dtype = promote(dtypes["x1"], dtypes["x2"])
    require_category("x1", dtype, ("float",), "cosine_similarity")
    a, b = np.broadcast_arrays(widen(x1, "float64"), widen(x2, "float64"))
    axis = check_axis(dim, a.ndim)
    with np.errstate(all="ignore"):
        na = np.maximum(np.sqrt((a * a).sum(axis=axis, keepdims=True)), eps)
        nb = np.maximum(np.sqrt((b * b).sum(axis=axis, keepdims=True)), eps)
        return Result(((a / na) * (b / nb)).sum(axis=axis), dtype)


def prelu(input: np.ndarray, weight: np.ndarray, *, dtypes: dict[str, str]) -> Result:
    """torch.nn.functional.prelu: x where x > 0, else weight * x (so -0.0 becomes weight * -0.0), with
    one weight for every channel
    (dim 1; dim 0 of a 1-D input has one channel) or a single one; input and weight share a float
    dtype (torch does not promote them)."""
    api = "prelu"
    dtype = dtypes["input"]
    require_category("input", dtype, ("float",), api)
    if dtypes["weight"] != dtype:
        raise RuntimeError(f"{api}: Type promoting not supported. Got {dtype} and {dtypes['weight']}")
    x, w = widen(input, "float64"), widen(weight, "float64").reshape(-1)
    channels = x.shape[1] if x.ndim >= 2 else 1
    if w.size != 1 and w.size != channels:
        raise RuntimeError(
            f"Mismatch of parameter numbers and input channel size. Found parameter numbers = {w.size} "
            f"and channel size = {channels}."
        )
    if w.size > 1:
        w = w.reshape((1, -1) + (1,) * (x.ndim - 2))
    with np.errstate(invalid="ignore"):
        return Result(np.where(x > 0, x, w * x), dtype)
