"""Elementwise functions neither a NumPy callable nor a formula can write as torch computes them:
torch.sgn (torch.sign for real inputs, x / |x| for complex ones), and logit and mvlgamma, torch's
INT_TO_FLOAT functions whose clamping and domains NumPy and SciPy treat otherwise.

(rsqrt, sigmoid, erf, erfc, sign, frac and lgamma are formulas in their specs: docs/spec-format.md.)
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from apicompat.references.core import Result, cast, require_category
from apicompat.references.declarative import result_dtypes


def _unary_float(
    input: np.ndarray, dtypes: dict[str, str], fn: Callable[[np.ndarray], np.ndarray], api: str, real: bool
) -> Result:
    """`fn` applied at high precision to `input` converted to torch's INT_TO_FLOAT result dtype."""
    if real:
        require_category("input", dtypes["input"], ("bool", "int", "float"), api)
    compute, out = result_dtypes("int_to_float", dtypes["input"], dtypes["input"])
    with np.errstate(all="ignore"):
        return Result(np.asarray(fn(cast(input, compute))), out)


def sgn(input: np.ndarray, *, dtypes: dict[str, str]) -> Result:
    """torch.sgn: x / |x| for complex inputs (0 for 0, NaN stays NaN); for real ones torch.sign:
    -1, 0 or 1 in the input's dtype, 0 for NaN, bool kept as bool."""
    dtype = dtypes["input"]
    if dtype.startswith("complex"):
        values = cast(input, dtype)
        size = np.abs(values)
        with np.errstate(all="ignore"):
            return Result(np.where(size == 0, 0, values / np.where(size == 0, 1, size)), dtype)
    if dtype == "bool":
        return Result(np.asarray(input).copy(), dtype)
    values = cast(input, dtype)
    signs = (values > 0).astype(np.int64) - (values < 0).astype(np.int64)
    return Result(signs.astype(np.float64 if values.dtype.kind == "f" else values.dtype), dtype)


def logit(input: np.ndarray, eps: float | None = None, *, dtypes: dict[str, str]) -> Result:
    """torch.logit: log(x / (1 - x)), with x first clamped to [eps, 1 - eps] when eps is given
    (so 0 and 1 stay finite); integers and bool give float32; complex is not implemented."""

    def clamped(x: np.ndarray) -> np.ndarray:
        z = x if eps is None else np.clip(x, eps, 1 - eps)
        return np.asarray(np.log(z / (1 - z)))

    return _unary_float(input, dtypes, clamped, "logit", real=True)


_LGAMMA = np.vectorize(math.lgamma, otypes=[np.float64])


def _lgamma(x: np.ndarray) -> np.ndarray:
    """log |gamma(x)| as torch computes it: inf at the poles (0 and the negative integers) and at
    both infinities (scipy's gammaln gives -inf at -inf)."""
    poles = (x <= 0) & (x == np.floor(x))
    infinite = poles | np.isinf(x)
    safe = np.where(infinite | np.isnan(x), 1.0, x)
    values = _LGAMMA(safe) if safe.size else safe
    return np.asarray(np.where(infinite, np.inf, np.where(np.isnan(x), np.nan, values)))


def mvlgamma(input: np.ndarray, p: int, *, dtypes: dict[str, str]) -> Result:
    """torch.mvlgamma: p (p - 1) / 4 log(pi) + sum over j < p of lgamma(x - j / 2), elementwise; p
    must be at least 1; unlike scipy's multigammaln (and older torch) the domain x > (p - 1) / 2 is
    not checked: lgamma's poles give inf; integers give float32, bool raises."""
    if dtypes["input"] == "bool":
        raise RuntimeError("The input tensor may not be a boolean tensor.")
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")

    def multigamma(x: np.ndarray) -> np.ndarray:
        terms = sum(_lgamma(x - j / 2) for j in range(p))
        return np.asarray(p * (p - 1) / 4 * math.log(math.pi) + terms)

    return _unary_float(input, dtypes, multigamma, "mvlgamma", real=True)
