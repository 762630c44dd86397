"""Indexing, scatter and slicing references NumPy has no single function for (index_add, chunk, ...)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from apicompat.records.dtypes import dtype_category
from apicompat.references.core import Result, check_axis, exact, require_category, widen


def take_along_dim(
    input: np.ndarray, indices: np.ndarray, dim: int | None = None, *, dtypes: dict[str, str]
) -> Result:
    """torch.take_along_dim: gather along `dim` after broadcasting the other dimensions.

    torch 2.13 takes indices along `dim` modulo its size (100 on a size-3 dimension reads
    element 1, -1 the last); without `dim` both tensors are flattened and an index outside
    [0, numel) raises, as torch.gather does. Indices must be int64.
    """
    if dtypes["indices"] != "int64":
        raise RuntimeError(
            f"torch.take_along_dim(): dtype of indices should be Long but got {dtypes['indices']}"
        )
    dtype = dtypes["input"]
    if dim is None:
        flat, picks = input.reshape(-1), indices.reshape(-1).astype(np.int64)
        if picks.size and (picks.min() < 0 or picks.max() >= flat.size):
            raise RuntimeError(f"index out of bounds for dimension 0 with size {flat.size}")
        return Result(flat[picks], dtype)
    if input.ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    if input.ndim != indices.ndim:
        raise RuntimeError(
            "torch.take_along_dim(): input and indices should have the same number of dimensions"
        )
    axis = check_axis(dim, input.ndim)
    other = [s for d, s in enumerate(input.shape) if d != axis]
    index_other = [s for d, s in enumerate(indices.shape) if d != axis]
    try:
        common = list(np.broadcast_shapes(tuple(other), tuple(index_other)))
    except ValueError:
        raise RuntimeError(f"shapes {input.shape} and {indices.shape} do not broadcast outside dim") from None
    size = input.shape[axis]
    values = np.broadcast_to(input, (*common[:axis], size, *common[axis:]))
    picks = np.broadcast_to(indices.astype(np.int64), (*common[:axis], indices.shape[axis], *common[axis:]))
    if picks.size and size == 0:
        raise RuntimeError(f"index out of bounds for dimension {axis} with size 0")
    return Result(np.take_along_axis(values, np.mod(picks, max(size, 1)), axis=axis), dtype)


def scatter_add(
    input: np.ndarray, dim: int, index: np.ndarray, src: np.ndarray, *, dtypes: dict[str, str]
) -> Result:
    """torch.scatter_add: input with src[i][j] added at input[index[i][j]][j] (dim=0); repeats add up.

    src has input's dtype; index (int32 or int64) has input's number of dimensions, is no larger
    than src anywhere nor than input outside `dim`, and holds values in [0, size) along `dim`.
    """
    dtype = dtypes["input"]
    if dtypes["src"] != dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    axis = check_axis(dim, input.ndim)
    if index.ndim != input.ndim:
        raise RuntimeError("Index tensor must have the same number of dimensions as self tensor")
    if index.size == 0:
        return Result(input.copy(), dtype)
    out, picks, add = np.atleast_1d(input), np.atleast_1d(index).astype(np.int64), np.atleast_1d(src)
    for d in range(picks.ndim):
        if picks.shape[d] > add.shape[d] or (d != axis and picks.shape[d] > out.shape[d]):
            raise RuntimeError(
                f"Expected index {index.shape} to be no larger than self {input.shape} apart from "
                f"dimension {axis} and to be no larger than src {src.shape}"
            )
    size = out.shape[axis]
    if picks.min() < 0 or picks.max() >= size:
        bad = int(picks.min() if picks.min() < 0 else picks.max())
        raise RuntimeError(f"index {bad} is out of bounds for dimension {axis} with size {size}")
    wide_dtype = "int64" if dtype_category(dtype) in ("int", "bool") else dtype
    wide = widen(out, wide_dtype).copy()
    coords: list[np.ndarray] = list(np.indices(picks.shape))
    coords[axis] = picks
    np.add.at(wide, tuple(coords), widen(add[tuple(slice(0, s) for s in picks.shape)], wide_dtype))
    return Result(exact(wide, dtype).reshape(input.shape), dtype)


def index_add(
    input: np.ndarray,
    dim: int,
    index: np.ndarray,
    source: np.ndarray,
    *,
    alpha: float = 1,
    dtypes: dict[str, str],
) -> Result:
    """torch.index_add: alpha * source[..., i, ...] added to input[..., index[i], ...] along `dim`.

    source has input's dtype and shape but len(index) along `dim`; index is 1-D (or 0-d), int32 or
    int64, with values in [0, size): torch rejects negative ones. Repeated indices accumulate.
    """
    dtype = dtypes["input"]
    if dtypes["source"] != dtype:
        raise RuntimeError(
            f"index_add_(): self ({dtype}) and source ({dtypes['source']}) must have the same scalar type"
        )
    axis = check_axis(dim, input.ndim)
    if index.ndim > 1:
        raise IndexError("index_add_(): Index is supposed to be a vector")
    picks = index.reshape(-1).astype(np.int64)
    out = np.atleast_1d(input)
    # A 0-d input takes a 0-d source (torch compares the shapes as they are, then views both as 1-D).
    add = source.reshape(1) if input.ndim == 0 and source.ndim == 0 else source
    expected = (*out.shape[:axis], picks.size, *out.shape[axis + 1 :])
    if add.shape != expected or source.ndim != input.ndim:
        raise RuntimeError(
            f"source tensor shape must match self tensor shape, excluding the specified dimension. "
            f"Got self.shape = {input.shape} source.shape = {source.shape}"
        )
    size = out.shape[axis]
    if picks.size and (picks.min() < 0 or picks.max() >= size):
        bad = int(picks.min() if picks.min() < 0 else picks.max())
        raise RuntimeError(f"index {bad} is out of bounds for dimension {axis} with size {size}")
    kind = dtype_category(dtype)
    wide_dtype = "int64" if kind in ("int", "bool") else dtype
    wide = widen(out, wide_dtype).copy()
    scaled = widen(add, wide_dtype) * (bool(alpha) if kind == "bool" else alpha)
    moved = np.moveaxis(wide, axis, 0)  # a view: adding into it adds into `wide`
    np.add.at(moved, picks, np.moveaxis(scaled, axis, 0))
    return Result(exact(wide, dtype).reshape(input.shape), dtype)


def index_fill(
    input: np.ndarray, dim: int, index: np.ndarray, value: float, *, dtypes: dict[str, str]
) -> Result:
    """torch.index_fill: input with value written at positions `index` along `dim`.

    index is an int64 vector (or 0-d); negative values count from the end, as in Python
    ([-size, size)); the value is converted to input's dtype (2.7 becomes 2 in an int tensor).
    """
    if dtypes["index"] != "int64":
        raise IndexError("index_fill_(): Expected dtype int64 for index.")
    if index.ndim > 1:
        raise RuntimeError("Index has to be a vector/scalar")
    dtype = dtypes["input"]
    axis = check_axis(dim, input.ndim)
    out = np.atleast_1d(input).copy()
    size = out.shape[axis]
    picks = index.reshape(-1).astype(np.int64)
    if picks.size and (picks.min() < -size or picks.max() >= size):
        bad = int(picks.min() if picks.min() < -size else picks.max())
        raise IndexError(f"index {bad} is out of bounds for dimension {axis} with size {size}")
    fill = widen(np.asarray(value), dtype).astype(out.dtype)
    np.moveaxis(out, axis, 0)[np.mod(picks, max(size, 1))] = fill
    return Result(out.reshape(input.shape), dtype)


def narrow(input: np.ndarray, dim: int, start: int, length: int, *, dtypes: dict[str, str]) -> Result:
    """torch.narrow: `length` elements from `start` along `dim`; start may be negative (from the end)."""
    if input.ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    axis = check_axis(dim, input.ndim)
    size = input.shape[axis]
    if not -size <= start <= size:
        raise IndexError(
            f"start out of range (expected to be in range of [{-size}, {size}], but got {start})"
        )
    begin = start % size if start < 0 else start
    if length < 0 or begin + length > size:
        raise RuntimeError(f"start ({begin}) + length ({length}) exceeds dimension size ({size}).")
    window = tuple(slice(begin, begin + length) if d == axis else slice(None) for d in range(input.ndim))
    return Result(input[window].copy(), dtypes["input"])


def chunk(input: np.ndarray, chunks: int, dim: int = 0, *, dtypes: dict[str, str]) -> tuple[Result, ...]:
    """torch.chunk: pieces of ceil(size / chunks) along `dim`, the last smaller; there may be fewer
    than `chunks` of them (6 elements in 4 chunks give 3 of 2), and an empty dimension gives `chunks`
    empty pieces."""
    if input.ndim == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    axis = check_axis(dim, input.ndim)
    size = input.shape[axis]
    if size == 0:
        return tuple(Result(input.copy(), dtypes["input"]) for _ in range(chunks))
    step = -(-size // chunks)
    return _pieces(input, axis, [min(step, size - i) for i in range(0, size, step)], dtypes["input"])


def split(
    tensor: np.ndarray, split_size_or_sections: int | Sequence[int], dim: int = 0, *, dtypes: dict[str, str]
) -> tuple[Result, ...]:
    """torch.split: pieces of split_size along `dim` (the last smaller), or of the listed sizes,
    which must sum to the dimension's size."""
    if tensor.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    axis = check_axis(dim, tensor.ndim)
    size = tensor.shape[axis]
    if isinstance(split_size_or_sections, int):
        step = split_size_or_sections
        if step < 0 or (step == 0 and size != 0):
            raise RuntimeError(
                f"split_size can only be 0 if dimension size is 0, but got dimension size of {size}"
            )
        if size == 0:
            return (Result(tensor.copy(), dtypes["tensor"]),)
        return _pieces(tensor, axis, [min(step, size - i) for i in range(0, size, step)], dtypes["tensor"])
    sizes = list(split_size_or_sections)
    if any(s < 0 for s in sizes) or sum(sizes) != size:
        raise RuntimeError(
            f"split_with_sizes expects split_sizes to sum exactly to {size} (input tensor's size at "
            f"dimension {axis}), but got split_sizes={sizes}"
        )
    return _pieces(tensor, axis, sizes, dtypes["tensor"])


def _pieces(values: np.ndarray, axis: int, sizes: Sequence[int], dtype: str) -> tuple[Result, ...]:
    """Consecutive slices of the given sizes along `axis`."""
    bounds = np.cumsum([0, *sizes])
    return tuple(
        Result(np.take(values, np.arange(bounds[i], bounds[i + 1]), axis=axis), dtype)
        for i in range(len(sizes))
    )


def expand(input: np.ndarray, size: int | Sequence[int], *, dtypes: dict[str, str]) -> Result:
    """torch.Tensor.expand / torch.broadcast_to: size-1 dimensions repeated to `size`, new ones in front;
    -1 keeps a dimension's size (not allowed for a new leading one)."""
    sizes = [size] if isinstance(size, int) else list(size)
    if len(sizes) < input.ndim:
        raise RuntimeError(
            f"expand: the number of sizes provided ({len(sizes)}) must be greater or equal to the "
            f"number of dimensions in the tensor ({input.ndim})"
        )
    lead = len(sizes) - input.ndim
    shape = []
    for i, want in enumerate(sizes):
        if i < lead:
            if want < 0:
                raise RuntimeError(
                    f"The expanded size of the tensor ({want}) isn't allowed in a leading, "
                    f"non-existing dimension {i}"
                )
            shape.append(want)
            continue
        have = input.shape[i - lead]
        if want == -1:
            want = have
        if have != want and have != 1:
            raise RuntimeError(
                f"The expanded size of the tensor ({want}) must match the existing size ({have}) at "
                f"non-singleton dimension {i}.  Target sizes: {sizes}.  Tensor sizes: {list(input.shape)}"
            )
        if want < 0:
            raise RuntimeError(f"expand: invalid size {want} at dimension {i}")
        shape.append(want)
    return Result(np.broadcast_to(input, tuple(shape)).copy(), dtypes["input"])


def kthvalue(
    input: np.ndarray, k: int, dim: int = -1, keepdim: bool = False, *, dtypes: dict[str, str]
) -> tuple[Result, Result]:
    """torch.kthvalue: the k-th smallest element along `dim` (k counts from 1) and its index;
    NaN sorts above every number. Bool and complex inputs are not implemented."""
    dtype = dtypes["input"]
    require_category("input", dtype, ("int", "float"), "kthvalue()")
    return _order_statistic(input, dim, keepdim, dtype, lambda size: _check_k(k, size, "kthvalue()") - 1)


def median(
    input: np.ndarray, dim: int, keepdim: bool = False, *, dtypes: dict[str, str]
) -> tuple[Result, Result]:
    """torch.median(input, dim, keepdim): the lower of the two middle values (not their mean) and
    its index; a slice holding NaN gives NaN and the index of its first NaN."""
    dtype = dtypes["input"]
    require_category("input", dtype, ("int", "float"), "median()")
    return _order_statistic(input, dim, keepdim, dtype, lambda size: (size - 1) // 2, nan_first=True)


def _check_k(k: int, size: int, api: str) -> int:
    if not 1 <= k <= max(size, 1):
        raise RuntimeError(f"{api}: selected number k out of range for dimension")
    return k


def _order_statistic(
    input: np.ndarray,
    dim: int,
    keepdim: bool,
    dtype: str,
    rank: Callable[[int], int],
    *,
    nan_first: bool = False,
) -> tuple[Result, Result]:
    """The element of sorted position rank(size) along `dim`, and its index (a stable sort: ties
    give the first index); with `nan_first`, a slice holding NaN gives its first NaN instead."""
    axis = check_axis(dim, input.ndim)
    values = np.atleast_1d(input)
    size = values.shape[axis]
    if size == 0:
        raise IndexError(f"Expected reduction dim {axis} to have non-zero size.")
    position = int(rank(size))
    order = np.argsort(values, axis=axis, kind="stable")  # NaN sorts last, as in torch
    index = np.take(order, [position], axis=axis)
    if nan_first and values.dtype.kind == "f":
        has_nan = np.isnan(values).any(axis=axis, keepdims=True)
        first_nan = np.argmax(np.isnan(values), axis=axis, keepdims=True)
        index = np.where(has_nan, first_nan, index)
    picked = np.take_along_axis(values, index, axis=axis)
    if not keepdim or input.ndim == 0:
        picked, index = picked.squeeze(axis), index.squeeze(axis)
    if input.ndim == 0:
        picked, index = picked.reshape(()), index.reshape(())
    return Result(picked, dtype), Result(index.astype(np.int64), "int64")


def cummax(input: np.ndarray, dim: int, *, dtypes: dict[str, str]) -> tuple[Result, Result]:
    """torch.cummax: the running maximum along `dim` and where it was last reached (ties move the
    index forward); each NaN becomes the running value and takes the index."""
    return _running(input, dim, dtypes["input"], np.greater_equal, "cummax")


def cummin(input: np.ndarray, dim: int, *, dtypes: dict[str, str]) -> tuple[Result, Result]:
    """torch.cummin: the running minimum along `dim` and where it was last reached (ties move the
    index forward); each NaN becomes the running value and takes the index."""
    return _running(input, dim, dtypes["input"], np.less_equal, "cummin")


def _running(input: np.ndarray, dim: int, dtype: str, better: np.ufunc, api: str) -> tuple[Result, Result]:
    """torch's cummax_cummin_helper: take the element when it is NaN, or when the running value is
    not NaN and the element compares `better` (>= for cummax)."""
    require_category("input", dtype, ("bool", "int", "float"), f"{api}()")
    axis = check_axis(dim, input.ndim)
    values = np.moveaxis(np.atleast_1d(input), axis, 0)
    out = values.copy()
    index = np.zeros(values.shape, dtype=np.int64)
    if values.shape[0]:
        best, where = values[0].copy(), np.zeros(values.shape[1:], dtype=np.int64)
        for i in range(values.shape[0]):
            current = values[i]
            with np.errstate(invalid="ignore"):
                take = _isnan(current) | (~_isnan(best) & better(current, best))
            best = np.where(take, current, best)
            where = np.where(take, i, where)
            out[i], index[i] = best, where
    shaped = np.moveaxis(out, 0, axis).reshape(input.shape)
    return Result(shaped, dtype), Result(np.moveaxis(index, 0, axis).reshape(input.shape), "int64")


def _isnan(values: np.ndarray) -> np.ndarray:
    return np.isnan(values) if values.dtype.kind in "fc" else np.zeros(values.shape, dtype=bool)
