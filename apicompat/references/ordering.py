"""Ordering: sort, topk and unique. NaN sorts as the largest value, as in torch."""

from __future__ import annotations

from typing import Literal

import numpy as np

from apicompat.records.dtypes import dtype_category
from apicompat.references.core import Result, check_axis, require_category


def order(values: np.ndarray, axis: int, descending: bool) -> np.ndarray:
    """Stable sorting indices along `axis`, NaN counted as larger than every number."""
    if values.dtype.kind == "f":
        nan = np.isnan(values)
        main = np.where(nan, 0.0, values).astype(np.float64)
    else:
        nan = np.zeros(values.shape, dtype=bool)
        main = values.astype(np.int64)
    if descending:
        main, nan = -main, ~nan  # NaN first; -x keeps ties in their original order
    # np.lexsort sorts by its last key first: NaN-ness, then the value.
    return np.lexsort((main, nan), axis=axis)


def sort(
    input: np.ndarray,
    dim: int = -1,
    descending: bool = False,
    stable: bool = False,
    *,
    dtypes: dict[str, str],
) -> tuple[Result, Result]:
    """torch.sort: (values, indices); always stable here (torch promises it only with stable=True)."""
    dtype = dtypes["input"]
    require_category("input", dtype, ("bool", "int", "float"), "sort()")
    axis = check_axis(dim, input.ndim)
    if input.ndim == 0:
        return Result(input.copy(), dtype), Result(np.array(0, dtype=np.int64), "int64")
    index = order(input, axis, descending)
    return Result(np.take_along_axis(input, index, axis=axis), dtype), Result(index.astype(np.int64), "int64")


def topk(
    input: np.ndarray,
    k: int,
    dim: int | None = None,
    largest: bool = True,
    sorted: bool = True,
    *,
    dtypes: dict[str, str],
) -> tuple[Result, Result]:
    """torch.topk: the k largest (or smallest) along `dim` (default: the last), as (values, indices).

    The reference always returns them sorted; with sorted=False torch leaves the order unspecified.
    """
    dtype = dtypes["input"]
    require_category("input", dtype, ("int", "float"), "topk()")
    axis = check_axis(-1 if dim is None else dim, input.ndim)
    size = input.shape[axis] if input.ndim else 1
    if not 0 <= k <= size:
        raise RuntimeError(f"selected index k out of range (k={k}, size {size})")
    if input.ndim == 0:
        values = input.reshape(1)[:k].reshape(() if k else (0,))
        return Result(values.copy(), dtype), Result(np.zeros(values.shape, dtype=np.int64), "int64")
    index = np.take(order(input, axis, largest), np.arange(k), axis=axis)
    return Result(np.take_along_axis(input, index, axis=axis), dtype), Result(index.astype(np.int64), "int64")


def unique(
    input: np.ndarray,
    sorted: bool = True,
    return_inverse: bool = False,
    return_counts: bool = False,
    dim: int | None = None,
    *,
    dtypes: dict[str, str],
) -> Result | tuple[Result, ...]:
    """torch.unique: the sorted distinct values (each NaN distinct), then inverse indices and counts
    when asked for; a single tensor when neither is."""
    dtype = dtypes["input"]
    require_category("input", dtype, ("bool", "int", "float"), "unique()")
    if dim is None:
        flat = input.reshape(-1)
        values, inverse, counts = np.unique(flat, return_inverse=True, return_counts=True, equal_nan=False)
        inverse = inverse.reshape(input.shape)
    else:
        axis = check_axis(dim, input.ndim)
        if input.ndim == 0:
            raise IndexError("unique(): a 0-d tensor has no dimension to take unique slices along")
        if any(size == 0 for d, size in enumerate(input.shape) if d != axis):
            raise RuntimeError(
                "There are 0 sized dimensions, and they aren't selected, so unique cannot be applied"
            )
        values, inverse, counts = np.unique(
            input, return_inverse=True, return_counts=True, axis=axis, equal_nan=False
        )
        inverse = inverse.reshape(-1)
    outputs = [Result(values, dtype)]
    if return_inverse:
        outputs.append(Result(inverse.astype(np.int64), "int64"))
    if return_counts:
        outputs.append(Result(counts.astype(np.int64), "int64"))
    return outputs[0] if len(outputs) == 1 else tuple(outputs)


def argsort(
    input: np.ndarray,
    dim: int = -1,
    descending: bool = False,
    stable: bool = False,
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.argsort: the indices torch.sort returns (stable here; NaN sorts as the largest)."""
    return sort(input, dim, descending, stable, dtypes=dtypes)[1]


def msort(input: np.ndarray, *, dtypes: dict[str, str]) -> Result:
    """torch.msort: the values sorted along dimension 0 (torch.sort(input, dim=0).values)."""
    return sort(input, 0, dtypes=dtypes)[0]


def searchsorted(
    sorted_sequence: np.ndarray,
    values: np.ndarray | float,
    out_int32: bool = False,
    right: bool = False,
    side: str | None = None,
    sorter: np.ndarray | None = None,
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.searchsorted: per value, the index where it would be inserted into the last dimension of
    `sorted_sequence` to keep it sorted (the first such index; the last with `right=True` or
    `side='right'`, which may not contradict each other); int64 indices, int32 with `out_int32`.

    A 1-D sequence serves every value; an N-D one must share the values' leading dimensions. Bool and
    complex are rejected (no kernel), a 0-d sequence or a scalar value with an N-D sequence too.
    """
    api = "torch.searchsorted()"
    # The two are promoted together: a bool tensor of values is searched in a float sequence.
    kinds = {dtype_category(dtypes[n]) for n in ("sorted_sequence", "values") if n in dtypes}
    if not isinstance(values, np.ndarray):
        kinds.add("float" if isinstance(values, float) else "int")
    if "complex" in kinds or kinds == {"bool"}:
        raise NotImplementedError(f"{api}: no kernel for {', '.join(sorted(kinds))} inputs")
    if side is not None and side not in ("left", "right"):
        raise RuntimeError(f"{api}: side can only be 'left' or 'right', got {side}")
    if right and side == "left":
        raise RuntimeError(f"{api}: side and right can't be set to opposites")
    which: Literal["left", "right"] = "right" if right or side == "right" else "left"
    # Compared in int64 when both sides are integers (exact near the int64 limits), else in float64.
    integers = np.asarray(sorted_sequence).dtype.kind in "iu" and np.asarray(values).dtype.kind in "iu"
    wide = np.int64 if integers else np.float64
    seq = np.asarray(sorted_sequence, dtype=wide)
    if sorter is not None:
        seq = np.take_along_axis(seq, np.asarray(sorter, dtype=np.int64), axis=-1)
    points = np.asarray(values, dtype=wide)
    if seq.ndim == 0 or (seq.ndim > 1 and (points.ndim != seq.ndim or points.shape[:-1] != seq.shape[:-1])):
        raise RuntimeError(f"{api}: boundaries should be 1-D or share the first N-1 dimensions of input")
    if seq.ndim == 1:
        index = np.searchsorted(seq, points, side=which)
    else:
        rows = seq.reshape(-1, seq.shape[-1])
        flat = points.reshape(-1, points.shape[-1])
        index = np.stack([np.searchsorted(r, v, side=which) for r, v in zip(rows, flat, strict=True)])
        index = index.reshape(points.shape)
    dtype = "int32" if out_int32 else "int64"
    return Result(np.asarray(index, dtype=np.int64), dtype)


def bucketize(
    input: np.ndarray | float,
    boundaries: np.ndarray,
    out_int32: bool = False,
    right: bool = False,
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.bucketize: per value, the index of its bucket among the 1-D `boundaries` (searchsorted
    with the roles of the arguments swapped; `right=True` puts a value equal to a boundary in the
    bucket above); int64 indices, int32 with `out_int32`. Only a 1-D `boundaries` is accepted."""
    if np.ndim(boundaries) != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim({np.ndim(boundaries)})")
    renamed = {"values" if name == "input" else name: dtype for name, dtype in dtypes.items()}
    return searchsorted(boundaries, input, out_int32, right, dtypes=renamed)
