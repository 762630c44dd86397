"""References for normalization layers: batch, layer, group and local response norm, in float64.

Each normalizes with the biased variance (divided by n, not n - 1), as torch does in
the forward pass, and returns the input's dtype.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from apicompat.records.dtypes import dtype_category
from apicompat.references.core import Result, check_axis, check_same_dtype, require_category, widen

_PARAMS = ("input", "running_mean", "running_var", "weight", "bias")


def _affine(
    values: np.ndarray, weight: np.ndarray | None, bias: np.ndarray | None, shape: tuple[int, ...]
) -> np.ndarray:
    """values * weight + bias, each broadcast along `shape` (None leaves that step out)."""
    if weight is not None:
        values = values * widen(weight, "float64").reshape(shape)
    if bias is not None:
        values = values + widen(bias, "float64").reshape(shape)
    return values


def _check_same(dtypes: dict[str, str], api: str) -> str:
    dtype = dtypes["input"]
    require_category("input", dtype, ("float",), api)
    check_same_dtype(dtypes, _PARAMS, api, low_with_float32=True)
    return dtype


def batch_norm(
    input: np.ndarray,
    running_mean: np.ndarray | None,
    running_var: np.ndarray | None,
    weight: np.ndarray | None = None,
    bias: np.ndarray | None = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.nn.functional.batch_norm: per channel (dim 1), (x - mean) / sqrt(var + eps) * weight + bias.

    In training the batch's own mean and biased variance are used (the running statistics are
    updated in place, which this output-only reference does not model); in eval the running ones.
    """
    api = "batch_norm"
    dtype = _check_same(dtypes, api)
    x = widen(input, "float64")
    if x.ndim < 2:
        raise ValueError(f"{api}: expected 2D or more input (N, C, ...), got {x.ndim}D")
    channels = x.shape[1]
    shape = (1, channels) + (1,) * (x.ndim - 2)
    for name, value in (("running_mean", running_mean), ("running_var", running_var)):
        if value is not None and value.shape != (channels,):
            raise RuntimeError(f"{api}: {name} should contain {channels} elements, not {value.size}")
    axes = (0, *range(2, x.ndim))
    if training:
        if x.size // channels <= 1:
            raise ValueError(f"{api}: expected more than 1 value per channel when training")
        mean, var = x.mean(axis=axes).reshape(shape), x.var(axis=axes).reshape(shape)
    else:
        if running_mean is None or running_var is None:
            raise RuntimeError(f"{api}: running_mean and running_var must be defined in evaluation mode")
        mean = widen(running_mean, "float64").reshape(shape)
        var = widen(running_var, "float64").reshape(shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        normalized = (x - mean) / np.sqrt(var + eps)
    return Result(_affine(normalized, weight, bias, shape), dtype)


def layer_norm(
    input: np.ndarray,
    normalized_shape: Sequence[int],
    weight: np.ndarray | None = None,
    bias: np.ndarray | None = None,
    eps: float = 1e-5,
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.nn.functional.layer_norm: normalize over the trailing `normalized_shape` dimensions."""
    api = "layer_norm"
    dtype = _check_same(dtypes, api)
    x = widen(input, "float64")
    if isinstance(normalized_shape, int):
        # torch.nn.functional.layer_norm takes a tuple only (nn.LayerNorm wraps an int itself).
        raise TypeError("layer_norm(): argument 'normalized_shape' must be tuple of ints, not int")
    dims = tuple(normalized_shape)
    if not dims or x.ndim < len(dims) or tuple(x.shape[x.ndim - len(dims) :]) != dims:
        raise RuntimeError(f"{api}: normalized_shape {list(dims)} does not match the input's trailing shape")
    for name, value in (("weight", weight), ("bias", bias)):
        if value is not None and tuple(value.shape) != dims:
            raise RuntimeError(f"{api}: expected {name} of shape {list(dims)}, got {list(value.shape)}")
    axes = tuple(range(x.ndim - len(dims), x.ndim))
    mean, var = x.mean(axis=axes, keepdims=True), x.var(axis=axes, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        normalized = (x - mean) / np.sqrt(var + eps)
    return Result(_affine(normalized, weight, bias, dims), dtype)


def group_norm(
    input: np.ndarray,
    num_groups: int,
    weight: np.ndarray | None = None,
    bias: np.ndarray | None = None,
    eps: float = 1e-5,
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.nn.functional.group_norm: channels (dim 1) split into `num_groups`, each normalized over
    its channels and every spatial element; weight and bias are per channel."""
    api = "group_norm"
    dtype = _check_same(dtypes, api)
    x = widen(input, "float64")
    if x.ndim < 2:
        raise RuntimeError(f"{api}: expected at least 2 dimensions for input, got {x.ndim}")
    batch, channels = x.shape[:2]
    if num_groups <= 0 or channels % num_groups:
        raise RuntimeError(
            f"{api}: expected number of channels {channels} to be divisible by num_groups={num_groups}"
        )
    grouped = x.reshape(batch, num_groups, -1)
    mean, var = grouped.mean(axis=2, keepdims=True), grouped.var(axis=2, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        normalized = ((grouped - mean) / np.sqrt(var + eps)).reshape(x.shape)
    return Result(_affine(normalized, weight, bias, (1, channels) + (1,) * (x.ndim - 2)), dtype)


def local_response_norm(
    input: np.ndarray,
    size: int,
    alpha: float = 1e-4,
    beta: float = 0.75,
    k: float = 1.0,
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.nn.functional.local_response_norm: x / (k + alpha / size * s) ** beta, s the sum of x^2
    over `size` neighbouring channels (dim 1: size // 2 before, (size - 1) // 2 after, zero padded);
    3-D or higher inputs; an empty one is returned as it is."""
    api = "local_response_norm"
    dtype = dtypes["input"]
    require_category("input", dtype, ("float",), api)
    if input.ndim < 3:
        raise ValueError(f"Expected 3D or higher dimensionality input (got {input.ndim} dimensions)")
    if input.ndim > 3 and dtype in ("float16", "bfloat16"):
        # torch pools a 4-D or larger input with avg_pool3d, which has no CPU kernel for them.
        raise NotImplementedError(f'"avg_pool3d_out_frame" not implemented for {dtype}')
    x = widen(input, "float64")
    if x.size == 0:
        return Result(x, dtype)
    squares = np.moveaxis(x * x, 1, 0)
    padded = np.concatenate(
        [np.zeros((size // 2, *squares.shape[1:])), squares, np.zeros(((size - 1) // 2, *squares.shape[1:]))]
    )
    window = sum(padded[i : i + squares.shape[0]] for i in range(size))
    with np.errstate(all="ignore"):
        divisor = (k + alpha * np.moveaxis(np.asarray(window), 0, 1) / size) ** beta
        return Result(x / divisor, dtype)


def renorm(input: np.ndarray, p: float, dim: int, maxnorm: float, *, dtypes: dict[str, str]) -> Result:
    """torch.renorm: each slice input.select(dim, i) whose p-norm exceeds maxnorm scaled by
    maxnorm / (norm + 1e-7); other slices unchanged. Floating and complex inputs only; p > 0 and
    maxnorm >= 0, at least 2 dimensions, else RuntimeError."""
    dtype = dtypes["input"]
    if dtype_category(dtype) not in ("float", "complex"):
        raise RuntimeError(
            f"linalg.vector_norm: Expected a floating point or complex tensor as input. Got {dtype}"
        )
    if input.ndim < 2:
        raise RuntimeError(f"renorm: input needs at least 2 dimensions, got {input.ndim} dimensions")
    if p <= 0:
        raise RuntimeError(f"renorm: non-positive-norm not supported, got p={p}")
    if maxnorm < 0:
        raise RuntimeError(f"renorm: expected maxnorm to be >= 0 but got {maxnorm}")
    axis = check_axis(dim, input.ndim)
    values = widen(np.atleast_1d(input), dtype)
    others = tuple(d for d in range(values.ndim) if d != axis)
    norms = np.sum(np.abs(values) ** p, axis=others, keepdims=True) ** (1.0 / p)
    factor = np.where(norms > maxnorm, maxnorm / (norms + 1e-7), 1.0)
    return Result((values * factor).reshape(input.shape), dtype)
