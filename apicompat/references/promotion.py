"""torch's type promotion (`torch.result_type`), written for vocabulary dtype names.

Operands rank by priority: tensors with dimensions, then 0-d tensors, then Python
numbers. The result holds every dimensioned tensor; a lower-priority operand
changes it only when its category (bool < int < float < complex) is higher,
and then 0-d tensors bring their own dtype while Python numbers bring the
default dtype of their category (int64, float32, complex64).
See https://pytorch.org/docs/stable/tensor_attributes.html#type-promotion-doc.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from apicompat.records.dtypes import dtype_category

_CATEGORY_RANK = {"bool": 0, "int": 1, "float": 2, "complex": 3}
_INT_WIDTH = {"uint8": 8, "int8": 8, "int16": 16, "int32": 32, "int64": 64}
_FLOAT_ORDER = ("float16", "bfloat16", "float32", "float64")
_COMPLEX_FOR = {
    "float16": "complex64",
    "bfloat16": "complex64",
    "float32": "complex64",
    "float64": "complex128",
}


def promote(a: str, b: str) -> str:
    """The dtype two tensors of the same priority promote to (torch.promote_types)."""
    if a == b:
        return a
    ka, kb = dtype_category(a), dtype_category(b)
    if _CATEGORY_RANK[ka] != _CATEGORY_RANK[kb]:
        high, low = (a, b) if _CATEGORY_RANK[ka] > _CATEGORY_RANK[kb] else (b, a)
        if dtype_category(high) == "complex" and dtype_category(low) == "float":
            # complex64 with float64 needs complex128 to hold the float's precision.
            return "complex128" if low == "float64" else high
        return high
    if ka == "int":
        if "uint8" in (a, b):
            other = b if a == "uint8" else a
            return "int16" if other == "int8" else other
        return a if _INT_WIDTH[a] >= _INT_WIDTH[b] else b
    if ka == "float":
        if {a, b} == {"float16", "bfloat16"}:
            return "float32"
        return max(a, b, key=_FLOAT_ORDER.index)
    return "complex128"  # two different complex dtypes


def _scalar_dtype(value: Any) -> str:
    """The category default a Python number stands for."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float32"
    if isinstance(value, complex):
        return "complex64"
    raise TypeError(f"not a Python number: {value!r}")


def _promote_all(dtypes: Iterable[str]) -> str | None:
    result: str | None = None
    for dtype in dtypes:
        result = dtype if result is None else promote(result, dtype)
    return result


def result_type(tensors: Mapping[str, tuple[str, int]], scalars: Iterable[Any] = ()) -> str:
    """The dtype of an elementwise result: `tensors` maps a name to (dtype, ndim); `scalars`
    are Python numbers."""
    dimensioned = _promote_all(d for d, ndim in tensors.values() if ndim > 0)
    zero_dim = _promote_all(d for d, ndim in tensors.values() if ndim == 0)
    numbers = [_scalar_dtype(v) for v in scalars]
    result = dimensioned
    if zero_dim is not None:
        if result is None:
            result = zero_dim
        elif _CATEGORY_RANK[dtype_category(zero_dim)] > _CATEGORY_RANK[dtype_category(result)]:
            result = _lift(result, zero_dim)
    for number in numbers:
        if result is None:
            result = number
        elif _CATEGORY_RANK[dtype_category(number)] > _CATEGORY_RANK[dtype_category(result)]:
            result = _lift(result, number)
    if result is None:
        raise ValueError("result_type needs at least one operand")
    return result


def _lift(current: str, higher: str) -> str:
    """`current` raised to the category of `higher` (a 0-d tensor's dtype, or a number's default)."""
    if dtype_category(higher) == "complex" and dtype_category(current) == "float":
        # A complex operand with a float tensor keeps the tensor's precision: float64 -> complex128.
        return _COMPLEX_FOR[current]
    return higher
