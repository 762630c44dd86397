"""References for activation layers: relu, gelu (exact and tanh), silu, computed in float64."""

from __future__ import annotations

import math

import numpy as np

from apicompat.references.core import Result, require_category, widen

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
