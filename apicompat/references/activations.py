"""References for activation functions (torch.nn.functional): relu, gelu, silu, selu, the hard and soft
variants, and the parametrized ones (leaky_relu, elu, celu, softplus, hardtanh), computed in float64."""

from __future__ import annotations

import math

import numpy as np

from apicompat.references.core import Result, check_axis, require_category, widen
from apicompat.references.elementwise import softmax_dim
from apicompat.references.promotion import promote

_erf = np.vectorize(math.erf, otypes=[np.float64])


def relu(input: np.ndarray, inplace: bool = False, *, dtypes: dict[str, str]) -> Result:
    """torch.nn.functional.relu: 0 where x < 0, else x, in the input's dtype (integers too): NaN and
    -0.0 pass through unchanged."""
    dtype = dtypes["input"]
    require_category("input", dtype, ("float", "int"), "relu")
    values = widen(input, dtype)
    with np.errstate(invalid="ignore"):
        return Result(np.where(values < 0, np.zeros_like(values), values), dtype)


def gelu(input: np.ndarray, approximate: str = "none", *, dtypes: dict[str, str]) -> Result:
    """torch.nn.functional.gelu: x * Phi(x) with the exact erf (`none`), or torch's tanh approximation."""
    dtype = dtypes["input"]
    require_category("input", dtype, ("float",), "gelu")
    x = widen(input, "float64")
    with np.errstate(invalid="ignore", over="ignore"):
        if approximate == "none":
            values = 0.5 * x * (1 + _erf(x / math.sqrt(2)))
        elif approximate == "tanh":
            values = 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))
        else:
            raise RuntimeError(f"approximate argument must be either none or tanh, got {approximate!r}")
    # gelu(-inf) is NaN in torch at every dtype and in both modes (-inf * 0), and so it is here;
    # gelu(+inf) is +inf (torch's float16/bfloat16/float32 erf kernel returns NaN: a deviation).
    return Result(np.where(np.isposinf(x), np.inf, values), dtype)


def silu(input: np.ndarray, inplace: bool = False, *, dtypes: dict[str, str]) -> Result:
    """torch.nn.functional.silu: x * sigmoid(x)."""
    dtype = dtypes["input"]
    require_category("input", dtype, ("float",), "silu")
    x = widen(input, "float64")
    with np.errstate(over="ignore", invalid="ignore"):
        return Result(x / (1 + np.exp(-x)), dtype)


def _float64(input: np.ndarray, dtypes: dict[str, str], api: str) -> tuple[np.ndarray, str]:
    """The input widened to float64 and its dtype, after torch's float-only check."""
    dtype = dtypes["input"]
    require_category("input", dtype, ("float",), api)
    return widen(input, "float64"), dtype


def _softplus(x: np.ndarray) -> np.ndarray:
    """log(1 + exp(x)) without overflow."""
    return np.asarray(np.logaddexp(0.0, x))


#: torch.nn.functional.selu's constants (Klambauer et al., 2017), as torch spells them.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def selu(input: np.ndarray, inplace: bool = False, *, dtypes: dict[str, str]) -> Result:
    """torch.nn.functional.selu: scale * (x for x > 0, else alpha * (exp(x) - 1)), torch's constants."""
    x, dtype = _float64(input, dtypes, "selu")
    with np.errstate(all="ignore"):
        return Result(SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(x)), dtype)


def relu6(input: np.ndarray, inplace: bool = False, *, dtypes: dict[str, str]) -> Result:
    """torch.nn.functional.relu6: hardtanh(x, 0, 6); NaN stays NaN."""
    x, dtype = _float64(input, dtypes, "relu6")
    return Result(np.clip(x, 0.0, 6.0), dtype)


def hardswish(input: np.ndarray, inplace: bool = False, *, dtypes: dict[str, str]) -> Result:
    """torch.nn.functional.hardswish: x * relu6(x + 3) / 6."""
    x, dtype = _float64(input, dtypes, "hardswish")
    with np.errstate(all="ignore"):
        return Result(x * np.clip(x + 3.0, 0.0, 6.0) / 6.0, dtype)


def hardsigmoid(input: np.ndarray, inplace: bool = False, *, dtypes: dict[str, str]) -> Result:
    """torch.nn.functional.hardsigmoid: relu6(x + 3) / 6."""
    x, dtype = _float64(input, dtypes, "hardsigmoid")
    with np.errstate(all="ignore"):
        return Result(np.clip(x + 3.0, 0.0, 6.0) / 6.0, dtype)


def mish(input: np.ndarray, inplace: bool = False, *, dtypes: dict[str, str]) -> Result:
    """torch.nn.functional.mish: x * tanh(softplus(x))."""
    x, dtype = _float64(input, dtypes, "mish")
    with np.errstate(all="ignore"):
        return Result(x * np.tanh(_softplus(x)), dtype)


def logsigmoid(input: np.ndarray, *, dtypes: dict[str, str]) -> Result:
    """torch.nn.functional.logsigmoid: log(1 / (1 + exp(-x))), as torch's kernel computes it,
    min(x, 0) - log1p(exp(-|x|)): stable for large |x|, and +inf gives 0.0."""
    x, dtype = _float64(input, dtypes, "logsigmoid")
    with np.errstate(all="ignore"):
        return Result(np.minimum(x, 0.0) - np.log1p(np.exp(-np.abs(x))), dtype)


def softsign(input: np.ndarray, *, dtypes: dict[str, str]) -> Result:
    """torch.nn.functional.softsign: x / (1 + |x|)."""
    x, dtype = _float64(input, dtypes, "softsign")
    with np.errstate(all="ignore"):
        return Result(x / (1.0 + np.abs(x)), dtype)


def tanhshrink(input: np.ndarray, *, dtypes: dict[str, str]) -> Result:
    """torch.nn.functional.tanhshrink: x - tanh(x)."""
    x, dtype = _float64(input, dtypes, "tanhshrink")
    with np.errstate(all="ignore"):
        return Result(x - np.tanh(x), dtype)


def leaky_relu(
    input: np.ndarray, negative_slope: float = 0.01, inplace: bool = False, *, dtypes: dict[str, str]
) -> Result:
    """torch.nn.functional.leaky_relu: x for x > 0, else negative_slope * x (default 0.01)."""
    x, dtype = _float64(input, dtypes, "leaky_relu")
    with np.errstate(all="ignore"):
        return Result(np.where(x > 0, x, x * negative_slope), dtype)


def elu(input: np.ndarray, alpha: float = 1.0, inplace: bool = False, *, dtypes: dict[str, str]) -> Result:
    """torch.nn.functional.elu: x for x > 0, else alpha * (exp(x) - 1)."""
    x, dtype = _float64(input, dtypes, "elu")
    with np.errstate(all="ignore"):
        return Result(np.where(x > 0, x, alpha * np.expm1(x)), dtype)


def celu(input: np.ndarray, alpha: float = 1.0, inplace: bool = False, *, dtypes: dict[str, str]) -> Result:
    """torch.nn.functional.celu: max(0, x) + min(0, alpha * (exp(x / alpha) - 1)); alpha=0 raises."""
    x, dtype = _float64(input, dtypes, "celu")
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha of celu must not be 0")
    with np.errstate(all="ignore"):
        return Result(np.where(x > 0, x, alpha * np.expm1(x / alpha)), dtype)


def softplus(
    input: np.ndarray, beta: float = 1.0, threshold: float = 20.0, *, dtypes: dict[str, str]
) -> Result:
    """torch.nn.functional.softplus: log(1 + exp(beta * x)) / beta, but x where beta * x > threshold."""
    x, dtype = _float64(input, dtypes, "softplus")
    with np.errstate(all="ignore"):
        return Result(np.where(x * beta > threshold, x, _softplus(beta * x) / beta), dtype)


def hardtanh(
    input: np.ndarray,
    min_val: float = -1.0,
    max_val: float = 1.0,
    inplace: bool = False,
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.nn.functional.hardtanh: x clamped to [min_val, max_val]; min_val > max_val raises."""
    x, dtype = _float64(input, dtypes, "hardtanh")
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return Result(np.clip(x, min_val, max_val), dtype)


def hardshrink(input: np.ndarray, lambd: float = 0.5, *, dtypes: dict[str, str]) -> Result:
    """torch.nn.functional.hardshrink: 0 where -lambd <= x <= lambd, else x (NaN stays NaN)."""
    x, dtype = _float64(input, dtypes, "hardshrink")
    with np.errstate(invalid="ignore"):
        return Result(np.where((x >= -lambd) & (x <= lambd), 0.0, x), dtype)


def softshrink(input: np.ndarray, lambd: float = 0.5, *, dtypes: dict[str, str]) -> Result:
    """torch.nn.functional.softshrink: x - lambd above lambd, x + lambd below -lambd, else x * 0
    (NaN stays NaN, -0.0 for small negatives); a negative lambd raises. (torch's vectorized loop
    gives 0.0 where its scalar loop gives -0.0; this follows the scalar one, which short tensors
    and every tensor's tail take.)"""
    x, dtype = _float64(input, dtypes, "softshrink")
    if lambd < 0:
        raise RuntimeError(f"lambda must be greater or equal to 0, but found to be {lambd}.")
    with np.errstate(invalid="ignore"):
        middle = x * 0.0
        return Result(np.where(x > lambd, x - lambd, np.where(x < -lambd, x + lambd, middle)), dtype)


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


def threshold(
    input: np.ndarray, threshold: float, value: float, inplace: bool = False, *, dtypes: dict[str, str]
) -> Result:
    """torch.nn.functional.threshold: value where x <= threshold, else x (NaN stays), in the input's
    dtype, integers too (value converted to it); bool and complex are not implemented."""
    dtype = dtypes["input"]
    require_category("input", dtype, ("float", "int"), "threshold")
    x = widen(input, dtype)
    fill = int(value) if x.dtype.kind in "iu" else value
    with np.errstate(invalid="ignore"):
        return Result(np.where(x <= threshold, fill, x), dtype)
