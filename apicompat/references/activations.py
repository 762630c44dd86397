"""References for activation layers: relu, gelu (exact and tanh), silu, computed in float64."""

from __future__ import annotations

import math

import numpy as np

from apicompat.references.core import Result, require_category, widen

_erf = np.vectorize(math.erf, otypes=[np.float64])


def relu(input: np.ndarray, inplace: bool = False, *, dtypes: dict[str, str]) -> Result:
    """torch.nn.functional.relu: max(x, 0) in the input's dtype (integers too; NaN stays NaN)."""
    dtype = dtypes["input"]
    require_category("input", dtype, ("float", "int"), "relu")
    values = widen(input, dtype)
    with np.errstate(invalid="ignore"):
        return Result(np.where(values > 0, values, np.where(np.isnan(values), values, 0 * values)), dtype)


def gelu(input: np.ndarray, approximate: str = "none", *, dtypes: dict[str, str]) -> Result:
    """torch.nn.functional.gelu: x * Phi(x) with the exact erf (`none`), or torch's tanh approximation."""
    dtype = dtypes["input"]
    require_category("input", dtype, ("float",), "gelu")
    x = widen(input, "float64")
    with np.errstate(invalid="ignore", over="ignore"):
        if approximate == "none":
            return Result(0.5 * x * (1 + _erf(x / math.sqrt(2))), dtype)
        if approximate == "tanh":
            inner = math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)
            return Result(0.5 * x * (1 + np.tanh(inner)), dtype)
    raise RuntimeError(f"approximate argument must be either none or tanh, got {approximate!r}")


def silu(input: np.ndarray, inplace: bool = False, *, dtypes: dict[str, str]) -> Result:
    """torch.nn.functional.silu: x * sigmoid(x)."""
    dtype = dtypes["input"]
    require_category("input", dtype, ("float",), "silu")
    x = widen(input, "float64")
    with np.errstate(over="ignore", invalid="ignore"):
        return Result(x / (1 + np.exp(-x)), dtype)
