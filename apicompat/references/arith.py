"""Arithmetic NumPy computes otherwise: integer powers with negative exponents, complex logaddexp."""

from __future__ import annotations

from typing import Any

import numpy as np

from apicompat.records.dtypes import dtype_category
from apicompat.references.core import Result, cast, is_tensor
from apicompat.references.declarative import Declaration, DeclaredReference, Rejection
from apicompat.references.promotion import result_type


def _integer_power(base: np.ndarray, exponent: np.ndarray) -> np.ndarray:
    """base ** exponent in int64 with wraparound; a negative exponent gives 0, except for bases 1 and -1."""
    base, exponent = np.broadcast_arrays(base.astype(np.int64), exponent.astype(np.int64))
    result = np.ones(base.shape, dtype=np.int64)
    square, left = base.copy(), np.where(exponent > 0, exponent, 0)
    with np.errstate(over="ignore"):
        while np.any(left):
            result = np.where(left & 1, result * square, result)
            square, left = square * square, left >> 1
    negative = exponent < 0
    odd = (exponent % 2) != 0
    inverse = np.where(base == 1, 1, np.where(base == -1, np.where(odd, -1, 1), 0))
    return np.asarray(np.where(negative, inverse, result))


def pow(input: np.ndarray, exponent: Any, *, dtypes: dict[str, str]) -> Result:
    """torch.pow: input ** exponent in the promoted dtype; integer powers wrap, and a negative integer
    exponent gives 0 (1 and -1 stay +-1) where NumPy raises; two bool operands are rejected."""
    tensors = {n: (dtypes[n], v.ndim) for n, v in (("input", input), ("exponent", exponent)) if is_tensor(v)}
    promoted = result_type(tensors, [exponent] if not is_tensor(exponent) else [])
    if promoted == "bool":
        raise NotImplementedError("\"pow\" not implemented for 'Bool'")
    if dtype_category(promoted) == "int":
        values = _integer_power(np.asarray(input), np.asarray(exponent))
        return Result(values.astype(np.dtype(promoted)), promoted)
    reference = DeclaredReference(
        Declaration(numpy="numpy.power", args=(("exponent", 1), ("input", 0)), operands=("input", "exponent"))
    )
    result = reference(input=input, exponent=exponent, dtypes=dtypes)
    assert isinstance(result, Result)
    return result


def logaddexp(input: np.ndarray, other: Any, *, dtypes: dict[str, str]) -> Result:
    """torch.logaddexp: log(exp(input) + exp(other)) for floating operands, and torch's
    max + log1p(exp(min - max)) for complex ones (NumPy has no complex loop); a bool or integer
    promoted dtype raises, as in torch."""
    declared = DeclaredReference(
        Declaration(
            numpy="numpy.logaddexp",
            args=(("input", 0), ("other", 1)),
            operands=("input", "other"),
            rejects=(
                Rejection(
                    ("bool", "uint8", "int8", "int16", "int32", "int64"), "NotImplementedError", promoted=True
                ),
            ),
        )
    )
    tensors = {n: (dtypes[n], v.ndim) for n, v in (("input", input), ("other", other)) if is_tensor(v)}
    promoted = result_type(tensors, [other] if not is_tensor(other) else [])
    if dtype_category(promoted) != "complex":
        result = declared(input=input, other=other, dtypes=dtypes)
        assert isinstance(result, Result)
        return result
    a, b = np.broadcast_arrays(cast(np.asarray(input), promoted), cast(np.asarray(other), promoted))
    # torch's form: the operand with the larger real part plus log1p(exp(difference)); its imaginary
    # part is not brought back into (-pi, pi], so it can differ from log(exp(a) + exp(b)) by 2 pi.
    high = np.where(a.real >= b.real, a, b)
    low = np.where(a.real >= b.real, b, a)
    with np.errstate(all="ignore"):
        return Result(high + np.log1p(np.exp(low - high)), promoted)
