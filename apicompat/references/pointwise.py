"""Elementwise operations whose torch rules NumPy has no function for.

torch.div with a rounding mode, the fused addcmul / addcdiv / lerp and nan_to_num (xlogy is a formula):
each promotes its operands as torch does (`promotion.result_type`), applies torch's checks
on dtypes and scalar arguments, and computes at float64 / complex128 (integers exactly,
wrapping into the result dtype).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from apicompat.records.dtypes import dtype_category
from apicompat.references.core import Result, cast, exact, is_tensor
from apicompat.references.declarative import result_dtypes
from apicompat.references.promotion import result_type

#: The largest finite value of each float dtype: torch.nan_to_num's default for +inf.
_FLOAT_MAX = {
    "float16": 65504.0,
    "bfloat16": 3.3895313892515355e38,
    "float32": float(np.finfo(np.float32).max),
    "float64": float(np.finfo(np.float64).max),
}
_REAL = {"complex64": "float32", "complex128": "float64"}


def _promoted(named: dict[str, Any], dtypes: dict[str, str]) -> str:
    """torch's result dtype of the tensors and Python numbers given by name (None ones skipped)."""
    tensors = {n: (dtypes[n], np.ndim(v)) for n, v in named.items() if is_tensor(v)}
    scalars = [v for v in named.values() if v is not None and not is_tensor(v)]
    return result_type(tensors, scalars)


def _wide(values: Any, dtype: str) -> np.ndarray:
    """`values` converted to `dtype` as torch converts operands, then held in int64 or float64."""
    converted = cast(np.asarray(values), dtype)
    return converted.astype(np.int64) if dtype_category(dtype) == "int" else converted


def _scalar_as(value: Any, dtype: str) -> Any:
    """A Python scalar argument as torch converts it to the result dtype (integers truncate)."""
    kind = dtype_category(dtype)
    if kind == "int":
        return int(value.real if isinstance(value, complex) else value)
    if kind == "bool":
        return bool(value)
    return value


def div(input: np.ndarray, other: Any, rounding_mode: str | None = None, *, dtypes: dict[str, str]) -> Result:
    """torch.div(input, other, rounding_mode=...): true division (integers give float32) without a
    mode; with 'trunc' or 'floor', the rounded quotient in the promoted dtype, where an integer
    zero divisor raises and bool or complex operands are not implemented."""
    promoted = _promoted({"input": input, "other": other}, dtypes)
    if rounding_mode is None:
        compute, out = result_dtypes("int_to_float", promoted, promoted)
        with np.errstate(all="ignore"):
            return Result(_wide(input, compute) / _wide(other, compute), out)
    if rounding_mode not in ("trunc", "floor"):
        raise RuntimeError(
            f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{rounding_mode}'"
        )
    kind = dtype_category(promoted)
    if kind in ("bool", "complex"):
        raise NotImplementedError(f'"div_{rounding_mode}_cpu" not implemented for {promoted}')
    a, b = np.broadcast_arrays(_wide(input, promoted), _wide(other, promoted))
    if kind == "int":
        if np.any(b == 0):
            raise RuntimeError("ZeroDivisionError")
        with np.errstate(all="ignore"):
            quotient = np.floor_divide(a, b)
            if rounding_mode == "trunc":  # round toward zero: floor, plus one where the signs differ
                quotient = quotient + ((np.remainder(a, b) != 0) & ((a < 0) != (b < 0)))
        return Result(exact(quotient, promoted), promoted)
    with np.errstate(all="ignore"):
        if rounding_mode == "trunc":
            return Result(np.trunc(a / b), promoted)
        # NumPy's float floor_divide is Python's (and torch's) floor division; x / 0 is +-inf or NaN.
        return Result(np.where(b == 0, a / b, np.floor_divide(a, b)), promoted)


def addcmul(
    input: np.ndarray, tensor1: np.ndarray, tensor2: np.ndarray, value: Any = 1, *, dtypes: dict[str, str]
) -> Result:
    """torch.addcmul: input + value * tensor1 * tensor2, broadcast and promoted; bool is not
    implemented, and a float value with an integer result truncates toward zero (no error)."""
    promoted = _promoted({"input": input, "tensor1": tensor1, "tensor2": tensor2}, dtypes)
    if promoted == "bool":
        raise NotImplementedError("\"addcmul_cpu_out\" not implemented for 'Bool'")
    scale = _scalar_as(value, promoted)
    a, b, c = (_wide(t, promoted) for t in (input, tensor1, tensor2))
    with np.errstate(all="ignore"):
        return Result(exact(np.asarray(a + scale * (b * c)), promoted), promoted)


def addcdiv(
    input: np.ndarray, tensor1: np.ndarray, tensor2: np.ndarray, value: Any = 1, *, dtypes: dict[str, str]
) -> Result:
    """torch.addcdiv: input + value * tensor1 / tensor2, broadcast and promoted; two integral
    (integer or bool) divisor tensors raise, as torch no longer divides integers here."""
    if all(dtype_category(dtypes[n]) in ("bool", "int") for n in ("tensor1", "tensor2")):
        raise RuntimeError(
            "Integer division with addcdiv is no longer supported, and in a future release addcdiv will "
            "perform a true division of tensor1 and tensor2."
        )
    promoted = _promoted({"input": input, "tensor1": tensor1, "tensor2": tensor2}, dtypes)
    a, b, c = (_wide(t, promoted) for t in (input, tensor1, tensor2))
    with np.errstate(all="ignore"):
        return Result(np.asarray(a + value * (b / c)), promoted)


def lerp(input: np.ndarray, end: np.ndarray, weight: Any, *, dtypes: dict[str, str]) -> Result:
    """torch.lerp: input + weight * (end - input) in input's dtype; end, and a weight tensor with
    dimensions, must have input's dtype (a 0-d weight is taken as a number); floats and complex only."""
    dtype = dtypes["input"]
    if dtype_category(dtype) not in ("float", "complex"):
        raise NotImplementedError(f'"lerp_kernel_scalar" not implemented for {dtype}')
    for name, value in (("end", end), ("weight", weight)):
        if is_tensor(value) and (name == "end" or np.ndim(value) > 0) and dtypes[name] != dtype:
            raise RuntimeError(f"expected dtype {dtype} for `{name}` but got dtype {dtypes[name]}")
    start, stop = _wide(input, dtype), _wide(end, dtype)
    w = np.asarray(weight).astype(np.complex128 if dtype_category(dtype) == "complex" else np.float64)
    with np.errstate(all="ignore"):
        return Result(np.asarray(start + w * (stop - start)), dtype)


def nan_to_num(
    input: np.ndarray,
    nan: float | None = 0.0,
    posinf: float | None = None,
    neginf: float | None = None,
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.nan_to_num: NaN, +inf and -inf replaced (by 0 and the dtype's largest and smallest
    finite values unless given), in the real and imaginary parts of complex inputs; integers and
    bool are returned as they are."""
    dtype = dtypes["input"]
    kind = dtype_category(dtype)
    if kind in ("bool", "int"):
        return Result(np.asarray(input).copy(), dtype)
    real = _REAL.get(dtype, dtype)
    top = _FLOAT_MAX[real]

    def replace(part: np.ndarray) -> np.ndarray:
        fills = (
            0.0 if nan is None else nan,
            top if posinf is None else posinf,
            -top if neginf is None else neginf,
        )
        fixed = np.where(np.isnan(part), fills[0], part)
        fixed = np.where(np.isposinf(part), fills[1], fixed)
        fixed = np.where(np.isneginf(part), fills[2], fixed)
        return cast(fixed, real)  # a replacement is rounded to the dtype (1e10 becomes inf in float16)

    values = cast(input, dtype)
    if kind == "complex":
        return Result(replace(values.real) + 1j * replace(values.imag), dtype)
    return Result(replace(values), dtype)


def _next_bfloat16(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """nextafter in bfloat16 (the top half of a float32): one step of its 16-bit pattern."""
    bits = x.astype(np.float32).view(np.uint32) >> 16
    up = (y > x) == (x > 0)  # away from zero when heading further out, else toward it
    stepped = np.where(up, bits + 1, bits - 1).astype(np.uint32)
    tiny = np.where(y > 0, 0x0001, 0x8001).astype(np.uint32)  # the smallest subnormal, signed
    stepped = np.where(x == 0, tiny, stepped)
    out = (stepped << 16).view(np.float32).astype(np.float64)
    return np.asarray(np.where(np.isnan(x) | np.isnan(y), np.nan, np.where(x == y, y, out)))


def nextafter(input: Any, other: Any, *, dtypes: dict[str, str]) -> Result:
    """torch.nextafter: the next value after input towards other in the promoted floating dtype
    itself (float16, bfloat16, float32, float64), not in a wider one; integer, bool and complex
    operands are not implemented."""
    promoted = _promoted({"input": input, "other": other}, dtypes)
    if dtype_category(promoted) != "float":
        raise NotImplementedError(f'"nextafter_cpu" not implemented for {promoted}')
    x, y = np.broadcast_arrays(cast(np.asarray(input), promoted), cast(np.asarray(other), promoted))
    if promoted == "bfloat16":
        return Result(_next_bfloat16(x, y), promoted)
    carrier = {"float16": np.float16, "float32": np.float32, "float64": np.float64}[promoted]
    values = np.nextafter(x.astype(carrier), y.astype(carrier)).astype(np.float64)
    return Result(np.asarray(values), promoted)
