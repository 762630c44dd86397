"""Ordering: sort, topk and unique. NaN sorts as the largest value, as in torch."""

from __future__ import annotations

import numpy as np

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
