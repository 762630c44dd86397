"""What every reference shares: the Result type, widening, axis checks, reduction dtypes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from apicompat.records.dtypes import carrier, dtype_category, round_to_bfloat16


class Result(NamedTuple):
    """A reference output: high-precision values and the expected dtype name."""

    values: np.ndarray
    dtype: str


def widen(values: np.ndarray, dtype: str) -> np.ndarray:
    """Cast to the precision the reference computes in for an output of `dtype`."""
    kind = dtype_category(dtype)
    if kind == "complex":
        return np.asarray(values).astype(np.complex128)
    if kind == "float":
        values = np.asarray(values)
        # A complex input cast to a real dtype keeps its real part, as torch's .to() does.
        return (values.real if values.dtype.kind == "c" else values).astype(np.float64)
    values = np.asarray(values)
    if values.dtype.kind in "fc":
        values = np.trunc(values.real)  # float -> int conversion truncates toward zero
    if dtype == "bool":
        return np.asarray(values != 0)
    with np.errstate(invalid="ignore"):
        if values.dtype.kind == "f":
            # Out-of-range float -> int is undefined in C; wrap through int64 like torch's CPU casts.
            values = np.nan_to_num(values, nan=0, posinf=0, neginf=0).astype(np.int64)
        return values.astype(np.dtype(dtype))


def cast(values: np.ndarray, dtype: str) -> np.ndarray:
    """Values as torch holds them after `.to(dtype)` (rounded to `dtype`), at the reference's precision.

    torch converts every operand to the promoted dtype before it computes, so an int32
    near 2**31 becomes float32 first; this does the same, then widens.
    """
    array = np.asarray(values)
    if dtype_category(dtype) in ("float", "complex"):
        if array.dtype.kind == "c" and dtype_category(dtype) == "float":
            array = array.real
        with np.errstate(over="ignore", invalid="ignore"):
            rounded = array.astype(carrier(dtype))
        if dtype == "bfloat16":
            rounded = round_to_bfloat16(rounded)
        return widen(rounded, dtype)
    return widen(array, dtype)


def exact(values: np.ndarray, dtype: str) -> np.ndarray:
    """Values computed in a wide type, brought into `dtype`: exact (wrapping) for integers."""
    kind = dtype_category(dtype)
    if kind == "bool":
        return np.asarray(np.asarray(values) != 0)
    if kind == "int":
        return np.asarray(values).astype(np.int64).astype(np.dtype(dtype))
    return np.asarray(values)


def sum_dtype(dtype: str) -> str:
    """The dtype torch's sum-like reductions produce: integers and bool widen to int64."""
    return "int64" if dtype_category(dtype) in ("bool", "int") else dtype


def check_axis(axis: int, ndim: int) -> int:
    """Normalize an axis as torch does (a 0-d tensor accepts -1 and 0)."""
    size = max(ndim, 1)
    if not -size <= axis < size:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-size}, {size - 1}], but got {axis})"
        )
    return axis % size


def check_axes(dim: int | Sequence[int] | None, ndim: int) -> tuple[int, ...]:
    """The normalized axes a reduction runs over: None and () mean every axis, as in torch."""
    if dim is None:
        return tuple(range(ndim))
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    if not dims:
        return tuple(range(ndim))
    seen: list[int] = []
    for d in dims:
        axis = check_axis(d, ndim)
        if axis in seen:
            raise RuntimeError(f"dim {axis} appears multiple times in the list of dims")
        seen.append(axis)
    # A 0-d tensor has no axis to reduce; -1 and 0 name the tensor itself.
    return tuple(a for a in seen if a < ndim)


def require_category(name: str, dtype: str, allowed: Sequence[str], api: str) -> None:
    """Raise as torch does when an input's dtype category is not supported by `api`."""
    if dtype_category(dtype) not in allowed:
        raise NotImplementedError(f"{api}: {name} of dtype {dtype} is not supported")


def is_tensor(value: object) -> bool:
    """Whether an argument arrived as a tensor (a NumPy carrier) rather than a Python number."""
    return isinstance(value, np.ndarray)


def check_same_dtype(
    dtypes: dict[str, str], names: Sequence[str], api: str, *, low_with_float32: bool = False
) -> None:
    """Raise as torch does when a tensor's dtype differs from the input's (layers never promote).

    `low_with_float32`: a float16 or bfloat16 input may take float32 parameters (torch's CPU
    normalization kernels accept that one mix).
    """
    first = dtypes[names[0]]
    for name in names[1:]:
        other = dtypes.get(name)
        if other is None or other == first:
            continue
        if low_with_float32 and first in ("float16", "bfloat16") and other == "float32":
            continue
        raise RuntimeError(f"{api}: expected {name} of dtype {first} (as {names[0]}), but got {other}")
