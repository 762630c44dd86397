"""References for torch's quantiles and NaN-skipping median: quantile, nanquantile and nanmedian.

torch's quantile sorts each slice (NaN last), takes the rank q * (n - 1), adjusts it for the
interpolation mode and interpolates with torch.lerp. NumPy's quantile differs at the edges: it
interpolates towards the next element even at an integral rank (inf * 0 gives NaN where torch
returns the element), and it accepts an empty input, which torch rejects.
"""

from __future__ import annotations

import numpy as np

from apicompat.references.core import Result, check_axis, require_category, widen

INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def _lerp(start: np.ndarray, end: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """torch.lerp on CPU: from start below a weight of 0.5, from end above (so both ends are exact)."""
    with np.errstate(invalid="ignore"):
        low = start + weight * (end - start)
        high = end - (end - start) * (1 - weight)
    return np.asarray(np.where(weight < 0.5, low, high))


def _quantile(
    input: np.ndarray,
    q: float,
    dim: int | None,
    keepdim: bool,
    interpolation: str,
    dtypes: dict[str, str],
    *,
    ignore_nan: bool,
) -> Result:
    api = "nanquantile()" if ignore_nan else "quantile()"
    dtype = dtypes["input"]
    if dtype not in ("float32", "float64"):
        raise RuntimeError(f"{api} input tensor must be either float or double dtype")
    if input.size == 0:
        raise RuntimeError(f"{api} input tensor must be non-empty")
    if not 0 <= q <= 1:
        raise RuntimeError(f"{api} q must be in the range [0, 1] but got {q}")
    if interpolation not in INTERPOLATIONS:
        raise ValueError(f"{api} interpolation must be one of {', '.join(INTERPOLATIONS)}")
    x = widen(input, "float64")
    if dim is None:
        rows = x.reshape(1, -1)
        out_shape: tuple[int, ...] = (1,) * x.ndim if keepdim else ()
    else:
        axis = check_axis(dim, x.ndim)
        moved = np.moveaxis(np.atleast_1d(x), axis, -1)
        rows = moved.reshape(-1, moved.shape[-1])
        kept = tuple(1 if i == axis else s for i, s in enumerate(x.shape))
        out_shape = kept if keepdim else tuple(s for i, s in enumerate(x.shape) if i != axis)
    ordered = np.sort(rows, axis=-1)  # NaN sorts last, as in torch
    nan = np.isnan(ordered)
    if ignore_nan:
        ranks = np.maximum(q * ((~nan).sum(axis=-1) - 1), 0.0)
    else:
        last = ordered.shape[-1] - 1
        ranks = np.where(nan.any(axis=-1), float(last), q * last)
    if interpolation == "lower":
        ranks = np.floor(ranks)
    elif interpolation == "higher":
        ranks = np.ceil(ranks)
    elif interpolation == "nearest":
        ranks = np.round(ranks)  # half to even, as torch.round
    below = ranks.astype(np.int64)
    values = np.take_along_axis(ordered, below[:, None], axis=-1)[:, 0]
    if interpolation in ("linear", "midpoint"):
        weights = np.full_like(ranks, 0.5) if interpolation == "midpoint" else ranks - below
        above = np.take_along_axis(ordered, np.ceil(ranks).astype(np.int64)[:, None], axis=-1)[:, 0]
        values = _lerp(values, above, weights)
    return Result(values.reshape(out_shape), dtype)


def quantile(
    input: np.ndarray,
    q: float,
    dim: int | None = None,
    keepdim: bool = False,
    *,
    interpolation: str = "linear",
    dtypes: dict[str, str],
) -> Result:
    """torch.quantile with a float q: the q-th quantile of the flattened input or along dim (NaN
    where the slice holds one), interpolated as `interpolation` says; float32 and float64 only, a
    non-empty input, q in [0, 1]."""
    return _quantile(input, q, dim, keepdim, interpolation, dtypes, ignore_nan=False)


def nanquantile(
    input: np.ndarray,
    q: float,
    dim: int | None = None,
    keepdim: bool = False,
    *,
    interpolation: str = "linear",
    dtypes: dict[str, str],
) -> Result:
    """torch.nanquantile with a float q: torch.quantile of the values that are not NaN (NaN where
    all are)."""
    return _quantile(input, q, dim, keepdim, interpolation, dtypes, ignore_nan=True)


def nanmedian(
    input: np.ndarray, dim: int, keepdim: bool = False, *, dtypes: dict[str, str]
) -> tuple[Result, Result]:
    """torch.nanmedian(input, dim, keepdim): the lower median of the values that are not NaN (not
    the mean of the two middle ones) and its index; a slice of NaN only gives NaN (and here the index
    of its first NaN: torch's is whatever its nth_element leaves); an empty dimension raises."""
    dtype = dtypes["input"]
    require_category("input", dtype, ("int", "float"), "nanmedian()")
    axis = check_axis(dim, input.ndim)
    values = np.atleast_1d(input)
    if values.shape[axis] == 0:
        raise IndexError(f"nanmedian(): Expected reduction dim {axis} to have non-zero size.")
    order = np.argsort(values, axis=axis, kind="stable")  # NaN last
    count = (~np.isnan(values)).sum(axis=axis, keepdims=True) if values.dtype.kind == "f" else None
    size = values.shape[axis]
    position = (
        np.maximum((count - 1) // 2, 0) if count is not None else np.full((1,) * values.ndim, (size - 1) // 2)
    )
    position = np.broadcast_to(position, tuple(1 if i == axis else s for i, s in enumerate(values.shape)))
    index = np.take_along_axis(order, position, axis=axis)
    picked = np.take_along_axis(values, index, axis=axis)
    if not keepdim or input.ndim == 0:
        picked, index = np.squeeze(picked, axis=axis), np.squeeze(index, axis=axis)
    if input.ndim == 0:
        picked, index = picked.reshape(()), index.reshape(())
    return Result(widen(picked, dtype), dtype), Result(index.astype(np.int64), "int64")
