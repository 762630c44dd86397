"""Shapes and axis values the sweeps use: modest, empty, size-1, large and random."""

from __future__ import annotations

import math

import numpy as np

#: The largest number of elements a random shape may have; keeps random cases fast.
MAX_RANDOM_ELEMENTS = 4096

#: A tensor with at least this many elements counts as large.
LARGE_ELEMENTS = 10_000

# Distinct sizes per dimension, so a framework that reduces or scans along the
# wrong axis produces a result of the wrong shape instead of a lucky match.
_MODEST: dict[int, tuple[int, ...]] = {
    0: (),
    1: (5,),
    2: (3, 4),
    3: (2, 3, 4),
    4: (2, 3, 4, 5),
}

_EMPTY: tuple[tuple[int, ...], ...] = ((0,), (2, 0, 3))
_SIZE1: tuple[tuple[int, ...], ...] = ((1,), (1, 5), (3, 1, 2))


def clamp_rank(rank: int, ranks: tuple[int, int]) -> int:
    """`rank` moved into the closed range `ranks`."""
    low, high = ranks
    return max(low, min(high, rank))


def modest_shape(rank: int) -> tuple[int, ...]:
    """A small shape of `rank` with distinct dimension sizes, e.g. (3, 4)."""
    if rank in _MODEST:
        return _MODEST[rank]
    return _MODEST[4] + (2,) * (rank - 4)


def numel(shape: tuple[int, ...]) -> int:
    """Number of elements of a shape."""
    return math.prod(shape)


def shape_label(shape: tuple[int, ...]) -> str:
    """`3x4`, or `scalar` for a 0-d shape."""
    return "x".join(str(d) for d in shape) if shape else "scalar"


def empty_shapes(ranks: tuple[int, int]) -> list[tuple[int, ...]]:
    """Shapes with a zero dimension, within `ranks` (none when only rank 0 is allowed)."""
    found = [s for s in _EMPTY if ranks[0] <= len(s) <= ranks[1]]
    if found or ranks[1] < 1:
        return found
    rank = max(ranks[0], 1)
    shape = list(modest_shape(rank))
    shape[rank // 2] = 0
    return [tuple(shape)]


def size1_shapes(ranks: tuple[int, int]) -> list[tuple[int, ...]]:
    """Shapes with a dimension of size 1, within `ranks`."""
    found = [s for s in _SIZE1 if ranks[0] <= len(s) <= ranks[1]]
    if found or ranks[1] < 1:
        return found
    rank = max(ranks[0], 1)
    shape = list(modest_shape(rank))
    shape[rank // 2] = 1
    return [tuple(shape)]


def large_shape(rank: int) -> tuple[int, ...] | None:
    """A shape of `rank` with 10**4 to 10**5 elements; None for rank 0."""
    if rank <= 0:
        return None
    if rank == 1:
        return (LARGE_ELEMENTS,)
    if rank == 2:
        return (100, 128)
    side = 2
    while side**rank < LARGE_ELEMENTS:
        side += 1
    return (side,) * rank


def random_shape(rng: np.random.Generator, rank: int) -> tuple[int, ...]:
    """A random shape: dimensions 0..6, zero rarely, one now and then, capped in size."""
    dims: list[int] = []
    for _ in range(rank):
        roll = float(rng.random())
        if roll < 0.05:
            dims.append(0)
        elif roll < 0.2:
            dims.append(1)
        else:
            dims.append(int(rng.integers(2, 7)))
    while numel(tuple(dims)) > MAX_RANDOM_ELEMENTS:
        dims[dims.index(max(dims))] -= 1
    return tuple(dims)


def axis_bound(rank: int) -> int:
    """How many axis values each sign allows: torch treats a 0-d tensor like rank 1."""
    return max(rank, 1)


def valid_axes(rank: int) -> list[int]:
    """Every valid axis value, negatives first: -r..r-1 (-1 and 0 for rank 0)."""
    bound = axis_bound(rank)
    return list(range(-bound, bound))


def axis_is_valid(axis: int, rank: int) -> bool:
    """True when `axis` indexes a dimension of a tensor of `rank`."""
    bound = axis_bound(rank)
    return -bound <= axis < bound


def axes_values(rank: int) -> list[int | tuple[int, ...]]:
    """Values an AXES parameter takes for one rank: each axis, tuples, and `()`."""
    values: list[int | tuple[int, ...]] = list(valid_axes(rank))
    if rank >= 1:
        values.append(tuple(range(rank)))
        values.append(())  # torch reads () as "every axis" and NumPy as "none": worth measuring
    if rank >= 2:
        values.append((0, -1))
    return values
