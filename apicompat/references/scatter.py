"""torch.scatter and torch.scatter_reduce: values written (or reduced) into a copy of the input."""

from __future__ import annotations

import numpy as np

from apicompat.records.dtypes import dtype_category
from apicompat.references.core import Result, check_axis, exact, widen

#: torch.scatter's `reduce=`: NumPy's in-place ufunc for each.
SCATTER_REDUCE: dict[str, np.ufunc] = {"add": np.add, "multiply": np.multiply}

#: torch.scatter_reduce's `reduce`: how repeated positions combine (mean divides afterwards).
REDUCE_UFUNCS: dict[str, np.ufunc] = {
    "sum": np.add,
    "mean": np.add,
    "prod": np.multiply,
    "amax": np.maximum,
    "amin": np.minimum,
}


def scatter(
    input: np.ndarray,
    dim: int,
    index: np.ndarray,
    src: np.ndarray,
    reduce: str | None = None,
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.scatter(input, dim, index, src): src[i][j] written at input[index[i][j]][j] (dim=0).

    src has input's dtype; index has input's number of dimensions and is no larger than src, nor
    than input outside `dim`. A position written twice takes either value (the spec keeps index
    values distinct along `dim`). `reduce='add'` or `'multiply'` combines instead of writing.
    """
    dtype = dtypes["input"]
    if dtypes["src"] != dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    return _scatter(input, dim, index, src, dtype, _combine(reduce))


def scatter_reduce(
    input: np.ndarray,
    dim: int,
    index: np.ndarray,
    src: np.ndarray,
    reduce: str,
    *,
    include_self: bool = True,
    dtypes: dict[str, str],
) -> Result:
    """torch.scatter_reduce: src reduced into input at the positions index names along `dim`.

    `reduce` is sum, prod, mean, amax or amin; repeated positions combine. With
    `include_self=False` the input's own value at a scattered position takes no part. `mean`
    divides by the number of values combined; integers divide with floor rounding, as torch does.
    """
    dtype = dtypes["input"]
    if reduce not in REDUCE_UFUNCS:
        raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}")
    if dtypes["src"] != dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    ufunc = REDUCE_UFUNCS[reduce]
    wide_dtype = "int64" if dtype_category(dtype) in ("int", "bool") else dtype
    target = _targets(input, dim, index, src.shape)
    if target is None:
        return Result(input.copy(), dtype)
    coords, picked = target
    out = widen(np.atleast_1d(input), wide_dtype).copy()
    values = widen(np.atleast_1d(src)[picked], wide_dtype)
    if not include_self:
        # Scattered positions start from the reduction's identity, so only src values combine.
        out[coords] = _identity(reduce, out.dtype)
    ufunc.at(out, coords, values)
    if reduce == "mean":
        hit = np.zeros(out.shape, dtype=np.int64)
        np.add.at(hit, coords, 1)
        counts = np.where(hit > 0, hit + (1 if include_self else 0), 1)
        integral = dtype_category(dtype) in ("int", "bool")
        out = np.floor_divide(out, counts) if integral else out / counts
    return Result(exact(out, dtype).reshape(input.shape), dtype)


def _combine(reduce: str | None) -> np.ufunc | None:
    """The ufunc for torch.scatter's `reduce=`, or None to write."""
    if reduce is None:
        return None
    if reduce not in SCATTER_REDUCE:
        raise RuntimeError(f"reduce argument must be either add or multiply, got {reduce}")
    return SCATTER_REDUCE[reduce]


def _scatter(
    input: np.ndarray, dim: int, index: np.ndarray, src: np.ndarray, dtype: str, combine: np.ufunc | None
) -> Result:
    """Write (or combine with `combine`) src's values at the positions index names along `dim`."""
    target = _targets(input, dim, index, np.shape(src))
    if target is None:
        return Result(input.copy(), dtype)
    coords, picked = target
    wide_dtype = "int64" if dtype_category(dtype) in ("int", "bool") else dtype
    out = widen(np.atleast_1d(input), wide_dtype).copy()
    values = widen(np.atleast_1d(src)[picked], wide_dtype)
    if combine is None:
        out[coords] = values
    else:
        combine.at(out, coords, values)
    return Result(exact(out, dtype).reshape(input.shape), dtype)


def _targets(
    input: np.ndarray, dim: int, index: np.ndarray, src_shape: tuple[int, ...]
) -> tuple[tuple[np.ndarray, ...], tuple[slice, ...]] | None:
    """The positions written (coordinates into input seen as at least 1-D) and the src slice read.

    None when the index is empty (torch returns the input unchanged). Raises as torch does for
    an index of another rank, one larger than src or than input outside `dim`, or out of range.
    """
    axis = check_axis(dim, input.ndim)
    if index.ndim != input.ndim:
        raise RuntimeError("Index tensor must have the same number of dimensions as self tensor")
    if index.size == 0:
        return None
    out_shape = np.atleast_1d(input).shape
    picks = np.atleast_1d(index).astype(np.int64)
    src_dims = tuple(src_shape) or (1,)
    for d in range(picks.ndim):
        if picks.shape[d] > src_dims[d] or (d != axis and picks.shape[d] > out_shape[d]):
            raise RuntimeError(
                f"Expected index {index.shape} to be no larger than self {input.shape} apart from "
                f"dimension {axis} and to be no larger than src {tuple(src_shape)}"
            )
    size = out_shape[axis]
    if picks.min() < 0 or picks.max() >= size:
        bad = int(picks.min() if picks.min() < 0 else picks.max())
        raise RuntimeError(f"index {bad} is out of bounds for dimension {axis} with size {size}")
    coords: list[np.ndarray] = list(np.indices(picks.shape))
    coords[axis] = picks
    return tuple(coords), tuple(slice(0, s) for s in picks.shape)


def _identity(reduce: str, wide: np.dtype[np.generic]) -> float | int:
    """The value a reduction starts from: 0 for sums, 1 for products, -inf / inf for extremes.

    Integers compute in int64 (the infinities become its extremes), complex in complex128.
    """
    if reduce in ("sum", "mean"):
        return 0
    if reduce == "prod":
        return 1
    if np.issubdtype(wide, np.integer):
        info = np.iinfo(np.int64)
        return int(info.min) if reduce == "amax" else int(info.max)
    return -np.inf if reduce == "amax" else np.inf


def masked_scatter(
    input: np.ndarray, mask: np.ndarray, source: np.ndarray, *, dtypes: dict[str, str]
) -> Result:
    """torch.masked_scatter: input's elements where the bool mask is True replaced, in row-major
    order, by source's first elements; input and mask broadcast, source has input's dtype and at
    least as many elements as the mask holds True values."""
    dtype = dtypes["input"]
    if dtypes["mask"] != "bool":
        raise RuntimeError(
            f"masked_scatter_ only supports boolean masks, but got mask with dtype {dtypes['mask']}"
        )
    if dtypes["source"] != dtype:
        raise RuntimeError(
            "masked_scatter: expected self and source to have same dtypes but got "
            f"{dtype} and {dtypes['source']}"
        )
    try:
        out, where = np.broadcast_arrays(input, mask)
    except ValueError:
        raise RuntimeError(f"the shapes {input.shape} and {mask.shape} do not broadcast") from None
    wide_dtype = "int64" if dtype_category(dtype) in ("int", "bool") else dtype
    result = widen(np.array(out), wide_dtype)
    count = int(np.count_nonzero(where))
    flat = source.reshape(-1)
    if flat.size < count:
        raise RuntimeError(
            "masked_scatter: expected source to have at least as many elements as ones in mask"
        )
    result[where] = widen(flat[:count], wide_dtype)
    return Result(exact(result, dtype), dtype)
