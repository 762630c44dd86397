"""Materialize tensor recipes into NumPy arrays, identically in every process."""

from __future__ import annotations

import numpy as np

from apicompat.records.cases import TensorArg
from apicompat.records.dtypes import carrier, dtype_category, round_to_bfloat16


def materialize(arg: TensorArg) -> np.ndarray:
    """Build the array a recipe describes (bfloat16 values in a float32 carrier)."""
    rng = np.random.default_rng(arg.seed)
    shape = arg.shape
    values: np.ndarray
    kind = dtype_category(arg.dtype)
    if arg.fill == "literal":
        values = np.array(arg.data, dtype=np.float64 if kind != "complex" else np.complex128)
        if kind == "bool":
            values = np.array(arg.data, dtype=bool)
        values = values.reshape(shape)
    elif arg.fill == "special":
        values = _special(rng, shape, arg.dtype)
    elif arg.fill == "overflow":
        values = _overflow(rng, shape, arg.dtype)
    elif arg.fill == "range":
        low = 0 if arg.low is None else arg.low
        high = 1 if arg.high is None else arg.high
        values = rng.integers(low, max(high, low + 1), size=shape)
    elif arg.fill == "unique":
        values = rng.permutation(max(1, int(np.prod(shape, dtype=np.int64))))[: int(np.prod(shape))]
        values = values.reshape(shape)
    else:
        values = _random(rng, shape, arg.dtype, positive=arg.fill == "positive")
    out = np.asarray(values).astype(carrier(arg.dtype), copy=False)
    if arg.dtype == "bfloat16":
        out = round_to_bfloat16(out)
    # np.ascontiguousarray would turn a 0-d array into shape (1,).
    return np.asarray(out, order="C")


def _random(rng: np.random.Generator, shape: tuple[int, ...], dtype: str, positive: bool) -> np.ndarray:
    kind = dtype_category(dtype)
    if kind == "bool":
        return rng.integers(0, 2, size=shape).astype(bool)
    if kind == "int":
        low = 0 if dtype == "uint8" or positive else -9
        return rng.integers(low if not positive else 1, 10, size=shape)
    # Quarter steps are exact in every float dtype, so inputs never differ by rounding.
    values = rng.integers(-16, 17, size=shape) / 4.0
    if positive:
        values = np.abs(values) + 0.25
    if kind == "complex":
        return values + 1j * (rng.integers(-16, 17, size=shape) / 4.0)
    return values


_SPECIALS = (np.nan, np.inf, -np.inf, -0.0, 0.0, 1.0, -1.5)


def _special(rng: np.random.Generator, shape: tuple[int, ...], dtype: str) -> np.ndarray:
    kind = dtype_category(dtype)
    if kind in ("int", "bool"):
        return _overflow(rng, shape, dtype)
    n = int(np.prod(shape, dtype=np.int64))
    flat = np.array([_SPECIALS[i % len(_SPECIALS)] for i in range(n)], dtype=np.float64)
    rng.shuffle(flat)
    if kind == "complex":
        # Set parts separately: 1j * inf would give nan + infj.
        values = np.empty(n, dtype=np.complex128)
        values.real, values.imag = flat, np.roll(flat, 1)
        return values.reshape(shape)
    return flat.reshape(shape)


def _overflow(rng: np.random.Generator, shape: tuple[int, ...], dtype: str) -> np.ndarray:
    """Values near the top of the dtype, so sums and products wrap around."""
    kind = dtype_category(dtype)
    if kind == "bool":
        return np.ones(shape, dtype=bool)
    if kind in ("float", "complex"):
        big = float(np.finfo(np.float16).max) if dtype in ("float16",) else 3.0e38
        if dtype == "float64":
            big = 1.0e308
        return np.full(shape, big / 2, dtype=np.float64)
    info = np.iinfo(np.dtype(dtype))
    return rng.integers(info.max // 2, int(info.max) + 1, size=shape)
