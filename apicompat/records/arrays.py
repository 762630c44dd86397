"""Materialize tensor recipes into NumPy arrays, identically in every process."""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from apicompat.records.cases import CONSTANT, TensorArg
from apicompat.records.dtypes import carrier, dtype_category, round_to_bfloat16

#: What the cache of recent arrays may hold, and the largest array it keeps.
CACHE_BYTES = 32 << 20
_CACHE_ITEM_BYTES = 1 << 20


class _RecentArrays:
    """The arrays of the most recent recipes, least recently used first out.

    A worker that runs several implementations (torch.cumsum and torch.Tensor.cumsum)
    builds each case's inputs once per implementation; the session sends their batches
    one after the other, so the second finds the arrays here. Building one costs
    20–40 µs, most of it seeding the generator; a copy from here costs under 1 µs.
    """

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._bytes = 0
        self._items: OrderedDict[TensorArg, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, arg: TensorArg) -> np.ndarray | None:
        """A private copy of the array of `arg`, if it is here."""
        with self._lock:
            values = self._items.get(arg)
            if values is None:
                return None
            self._items.move_to_end(arg)
        return values.copy()

    def put(self, arg: TensorArg, values: np.ndarray) -> None:
        """Keep a copy of `values` for `arg`, forgetting the oldest arrays beyond the capacity."""
        if values.nbytes > _CACHE_ITEM_BYTES:
            return
        kept = values.copy()  # the caller may write into its array; ours stays as built
        with self._lock:
            if arg in self._items:
                return
            self._items[arg] = kept
            self._bytes += kept.nbytes + _OVERHEAD_BYTES
            while self._bytes > self._capacity and self._items:
                _, old = self._items.popitem(last=False)
                self._bytes -= old.nbytes + _OVERHEAD_BYTES


_OVERHEAD_BYTES = 200  # an entry's own memory, roughly, beyond its array's data
_recent = _RecentArrays(CACHE_BYTES)


def materialize(arg: TensorArg) -> np.ndarray:
    """Build the array a recipe describes (bfloat16 values in a float32 carrier).

    Always a new array the caller owns; recent recipes are served from a cache.
    """
    try:
        cached = _recent.get(arg)
    except TypeError:  # a literal recipe holds lists, which do not hash: build it each time
        return _build(arg)
    if cached is not None:
        return cached
    values = _build(arg)
    _recent.put(arg, values)
    return values


def _build(arg: TensorArg) -> np.ndarray:
    """The array of a recipe, built from its seed."""
    rng = np.random.default_rng(arg.seed)
    shape = arg.shape
    values: np.ndarray
    kind = dtype_category(arg.dtype)
    if arg.fill == "literal":
        values = np.array(arg.data, dtype=np.float64 if kind != "complex" else np.complex128)
        if kind == "bool":
            values = np.array(arg.data, dtype=bool)
        values = values.reshape(shape)
    elif arg.fill == CONSTANT:  # one value everywhere: a probe's data, as a recipe, not a list
        carrier_kind = bool if kind == "bool" else np.complex128 if kind == "complex" else np.float64
        values = np.full(shape, arg.data, dtype=carrier_kind)
    elif arg.fill == "special":
        values = _special(rng, shape, arg.dtype)
    elif arg.fill == "overflow":
        values = _overflow(rng, shape, arg.dtype)
    elif arg.fill == "range":
        low = 0 if arg.low is None else arg.low
        high = 1 if arg.high is None else arg.high
        values = rng.integers(low, max(high, low + 1), size=shape)
    elif arg.fill == "offset" and kind in ("float", "complex"):
        values = offset_values(rng, shape)
    elif arg.fill == "unit":
        values = unit_values(rng, shape, arg.dtype)
    elif arg.fill == "sign":
        values = sign_values(rng, shape, arg.dtype)
    elif arg.fill == "distinct":
        values = distinct_values(rng, shape, int(arg.data or 0), 1 if arg.high is None else arg.high)
    elif arg.fill == "unique":
        values = rng.permutation(max(1, int(np.prod(shape, dtype=np.int64))))[: int(np.prod(shape))]
        values = values.reshape(shape)
    elif arg.fill == "sorted":  # ascending along the last axis (torch.searchsorted's sorted_sequence)
        values = _random(rng, shape, arg.dtype, positive=False)
        values = np.sort(values, axis=-1) if values.ndim else values
    else:
        values = _random(rng, shape, arg.dtype, positive=arg.fill == "positive")
    out = np.asarray(values).astype(carrier(arg.dtype), copy=False)
    if arg.dtype == "bfloat16":
        out = round_to_bfloat16(out)
    # np.ascontiguousarray would turn a 0-d array into shape (1,).
    return np.asarray(out, order="C")


#: The large offset of the `offset` fill, and its step: multiples of 8 near 1e8 are exact in float32.
OFFSET, OFFSET_STEP = 1.0e8, 8.0


def offset_values(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """1e8 plus small exact steps: sums lose digits and variances cancel where precision runs out."""
    return OFFSET + rng.integers(-16, 17, size=shape) * OFFSET_STEP


def distinct_values(rng: np.random.Generator, shape: tuple[int, ...], axis: int, high: int) -> np.ndarray:
    """Integers in [0, high) that never repeat along `axis` (each slice a prefix of a permutation).

    An index for torch.scatter: a position written twice would take either value. A slice longer
    than `high` cannot be distinct; its values wrap around.
    """
    if not shape:
        return np.zeros((), dtype=np.int64)
    moved = (*shape[:axis], *shape[axis + 1 :], max(high, 1))
    permutations = np.argsort(rng.random(moved), axis=-1)
    length = shape[axis]
    taken = np.take(permutations, np.arange(length) % max(high, 1), axis=-1)
    return np.moveaxis(taken, -1, axis)


def unit_values(rng: np.random.Generator, shape: tuple[int, ...], dtype: str) -> np.ndarray:
    """Values in [0, 1] (probabilities): 0, 0.25, 0.5, 0.75 and 1, exact in every float dtype; 0 or 1
    for integer and bool dtypes."""
    if dtype_category(dtype) in ("int", "bool"):
        return rng.integers(0, 2, size=shape)
    return rng.integers(0, 5, size=shape) / 4.0


def sign_values(rng: np.random.Generator, shape: tuple[int, ...], dtype: str) -> np.ndarray:
    """1 and -1 (the labels of margin losses: hinge_embedding_loss's target); 0 or 1 for uint8 and
    bool, which hold no -1."""
    draws = rng.integers(0, 2, size=shape)
    return draws if dtype in ("uint8", "bool") else draws * 2 - 1


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
