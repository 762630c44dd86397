"""Integer division (remainder, fmod, floor_divide): torch raises on an integer zero divisor.

NumPy returns 0 there, so these wrap the declarative engine with that one check.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from apicompat.records.dtypes import dtype_category
from apicompat.references.core import Result, cast, exact, is_tensor
from apicompat.references.declarative import Declaration, DeclaredReference, Rejection
from apicompat.references.promotion import result_type

# torch rejects a bool or complex promoted dtype, not a bool operand beside a float one.
_REJECT = (Rejection(("bool", "complex64", "complex128"), "NotImplementedError", promoted=True),)


def _division(numpy: str, input: np.ndarray, other: Any, dtypes: dict[str, str]) -> Result:
    """`numpy`'s division at torch's promoted dtype; an integer result with a zero divisor raises."""
    reference = DeclaredReference(
        Declaration(
            numpy=numpy, args=(("input", 0), ("other", 1)), operands=("input", "other"), rejects=_REJECT
        )
    )
    tensors = {n: (dtypes[n], v.ndim) for n, v in (("input", input), ("other", other)) if is_tensor(v)}
    promoted = result_type(tensors, [other] if not is_tensor(other) else [])
    if dtype_category(promoted) == "int" and np.any(np.asarray(other) == 0):
        raise RuntimeError("ZeroDivisionError")
    result = reference(input=input, other=other, dtypes=dtypes)
    assert isinstance(result, Result)
    return result


def remainder(input: np.ndarray, other: Any, *, dtypes: dict[str, str]) -> Result:
    """torch.remainder: Python's modulus (the sign of the divisor); integer zero divisors raise."""
    return _division("numpy.remainder", input, other, dtypes)


def fmod(input: np.ndarray, other: Any, *, dtypes: dict[str, str]) -> Result:
    """torch.fmod: C's fmod (the sign of the dividend); integer zero divisors raise."""
    return _division("numpy.fmod", input, other, dtypes)


def floor_divide(input: np.ndarray, other: Any, *, dtypes: dict[str, str]) -> Result:
    """torch.floor_divide: floor(input / other) in the promoted dtype; integer zero divisors raise."""
    return _division("numpy.floor_divide", input, other, dtypes)


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


def _scaled(input: np.ndarray, other: Any, alpha: Any, dtypes: dict[str, str], sign: int, api: str) -> Result:
    """input + sign * alpha * other in torch's promoted dtype, with torch's checks on alpha."""
    tensors = {n: (dtypes[n], v.ndim) for n, v in (("input", input), ("other", other)) if is_tensor(v)}
    promoted = result_type(tensors, [other] if not is_tensor(other) else [])
    kind = dtype_category(promoted)
    if sign < 0 and any(dtype == "bool" for dtype, _ in tensors.values()):
        raise RuntimeError(f"{api}: subtraction with a bool tensor is not supported")
    if alpha is not None:
        if kind in ("bool", "int") and isinstance(alpha, float):
            raise RuntimeError(
                "For integral input tensors, argument alpha must not be a floating point number."
            )
        if kind == "bool" and not isinstance(alpha, bool):
            raise RuntimeError("Boolean alpha only supported for Boolean results.")
    scale = 1 if alpha is None else alpha
    a, b = cast(np.asarray(input), promoted), cast(np.asarray(other), promoted)
    if kind == "int":  # integers add in int64 and wrap into the promoted dtype (`exact`)
        a, b = a.astype(np.int64), b.astype(np.int64)
    if kind == "bool":  # True + True is True: bool addition is a logical or
        return Result(np.logical_or(a, np.logical_and(b, bool(scale))), promoted)
    with np.errstate(all="ignore"):
        total = a + sign * (b * scale)
    return Result(exact(np.asarray(total), promoted), promoted)


def add(input: np.ndarray, other: Any, alpha: Any = None, *, dtypes: dict[str, str]) -> Result:
    """torch.add: input + alpha * other, broadcast and promoted; a float alpha with integer
    operands raises, and bool operands take only a bool alpha (True + True is True)."""
    return _scaled(input, other, alpha, dtypes, 1, "add")


def sub(input: np.ndarray, other: Any, alpha: Any = None, *, dtypes: dict[str, str]) -> Result:
    """torch.sub: input - alpha * other, broadcast and promoted; any bool tensor operand raises."""
    return _scaled(input, other, alpha, dtypes, -1, "sub")
