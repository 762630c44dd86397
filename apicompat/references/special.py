"""Elementwise functions NumPy lacks (rsqrt, sigmoid, erf, erfc, logit, lgamma, mvlgamma), torch's
INT_TO_FLOAT.

Each takes one tensor, converts integer and bool inputs to float32 as torch does
(ELEMENTWISE_TYPE_PROMOTION_KIND.INT_TO_FLOAT), and computes at float64 / complex128.
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


def rsqrt(input: np.ndarray, *, dtypes: dict[str, str]) -> Result:
    """torch.rsqrt: 1 / sqrt(x); integer inputs give float32, 0 gives inf and negatives NaN."""
    return _unary_float(input, dtypes, lambda x: 1.0 / np.sqrt(x), "rsqrt()", real=False)


def sigmoid(input: np.ndarray, *, dtypes: dict[str, str]) -> Result:
    """torch.sigmoid: 1 / (1 + exp(-x)), written so that large |x| neither overflows nor loses 0 or 1."""

    def logistic(x: np.ndarray) -> np.ndarray:
        if x.dtype.kind == "c":
            return np.asarray(1.0 / (1.0 + np.exp(-x)))
        positive = 1.0 / (1.0 + np.exp(-np.abs(x)))
        return np.asarray(np.where(x >= 0, positive, 1.0 - positive))

    return _unary_float(input, dtypes, logistic, "sigmoid()", real=False)


_ERF = np.vectorize(math.erf, otypes=[np.float64])
_ERFC = np.vectorize(math.erfc, otypes=[np.float64])


def erf(input: np.ndarray, *, dtypes: dict[str, str]) -> Result:
    """torch.erf: the error function of real inputs (complex raises, as in torch); ints give float32."""
    return _unary_float(input, dtypes, lambda x: _ERF(x) if x.size else x, "erf()", real=True)


def erfc(input: np.ndarray, *, dtypes: dict[str, str]) -> Result:
    """torch.erfc: 1 - erf(x) without cancellation, of real inputs; ints give float32."""
    return _unary_float(input, dtypes, lambda x: _ERFC(x) if x.size else x, "erfc()", real=True)


def _sign_real(x: np.ndarray) -> np.ndarray:
    """(0 < x) - (x < 0): torch's sign, which gives 0 (not NaN) for NaN and keeps bool as is."""
    if x.dtype == np.bool_:
        return x.copy()
    return np.asarray((x > 0).astype(np.int64) - (x < 0).astype(np.int64)).astype(
        np.float64 if x.dtype.kind == "f" else np.int64
    )


def sign(input: np.ndarray, *, dtypes: dict[str, str]) -> Result:
    """torch.sign: -1, 0 or 1 in the input's dtype; NaN gives 0; bool stays bool; complex raises."""
    dtype = dtypes["input"]
    require_category("input", dtype, ("bool", "int", "float"), "sign()")
    values = cast(input, dtype) if dtype != "bool" else np.asarray(input)
    result = _sign_real(values)
    return Result(result.astype(values.dtype) if values.dtype.kind in "biu" else result, dtype)


def sgn(input: np.ndarray, *, dtypes: dict[str, str]) -> Result:
    """torch.sgn: torch.sign for real inputs; x / |x| for complex ones (0 for 0)."""
    dtype = dtypes["input"]
    if dtype.startswith("complex"):
        values = cast(input, dtype)
        size = np.abs(values)
        with np.errstate(all="ignore"):
            return Result(np.where(size == 0, 0, values / np.where(size == 0, 1, size)), dtype)
    return sign(input, dtypes=dtypes)


def frac(input: np.ndarray, *, dtypes: dict[str, str]) -> Result:
    """torch.frac: x - trunc(x), keeping the sign; floating inputs only (others raise, as in torch)."""
    dtype = dtypes["input"]
    require_category("input", dtype, ("float",), "frac()")
    values = cast(input, dtype)
    with np.errstate(invalid="ignore"):
        return Result(values - np.trunc(values), dtype)


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


def lgamma(input: np.ndarray, *, dtypes: dict[str, str]) -> Result:
    """torch.lgamma: log |gamma(x)| of real inputs, inf at the poles (0, negative integers) and at
    both infinities; integers and bool give float32; complex is not implemented."""
    return _unary_float(input, dtypes, _lgamma, "lgamma", real=True)


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
