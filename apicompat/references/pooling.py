"""References for the 1-D pools and the adaptive max pools (torch.nn.functional), in float64.

A 1-D pool is its 2-D counterpart over a height of 1, as torch computes it: the same output sizes,
the same padding rule and the same divisor. Adaptive windows follow torch's rule: cell i of n over a
length L covers [floor(i * L / n), ceil((i + 1) * L / n)).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from apicompat.references.convolution import _batched, adaptive_avg_pool2d, avg_pool2d, spatial
from apicompat.references.core import Result, require_category, widen

IntOrTuple = int | Sequence[int]


def _one(value: IntOrTuple | None, name: str) -> int | None:
    """A 1-D pool's int argument, which torch also takes as a tuple of one."""
    if value is None or isinstance(value, int):
        return value
    values = tuple(value)
    if len(values) == 0 and name == "stride":
        return None  # torch: an empty stride means kernel_size
    if len(values) != 1:
        raise RuntimeError(f"{name} must be a single int, or a tuple of one int, got {values}")
    return int(values[0])


def _over_height_one(input: np.ndarray, api: str) -> np.ndarray:
    """A (N, C, L) or (C, L) input as (N, C, 1, L) or (C, 1, L)."""
    if input.ndim not in (2, 3):
        raise RuntimeError(f"{api}: expected 2D (unbatched) or 3D (batched) input, got {input.ndim}D")
    return input[..., None, :]


def avg_pool1d(
    input: np.ndarray,
    kernel_size: IntOrTuple,
    stride: IntOrTuple | None = None,
    padding: IntOrTuple = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.nn.functional.avg_pool1d: the mean of each window of a (N, C, L) or (C, L) input; stride
    defaults to kernel_size; with count_include_pad the zero padding counts in the divisor."""
    x = _over_height_one(input, "avg_pool1d")
    k, s, p = _one(kernel_size, "kernel_size"), _one(stride, "stride"), _one(padding, "padding")
    assert k is not None and p is not None
    out = avg_pool2d(
        x,
        (1, k),
        None if s is None else (1, s),
        (0, p),
        ceil_mode,
        count_include_pad,
        dtypes=dtypes,
    )
    return Result(np.asarray(out.values)[..., 0, :], out.dtype)


def adaptive_avg_pool1d(input: np.ndarray, output_size: IntOrTuple, *, dtypes: dict[str, str]) -> Result:
    """torch.nn.functional.adaptive_avg_pool1d: cell i averages input[floor(i*L/n) : ceil((i+1)*L/n)]."""
    size = _one(output_size, "output_size")
    assert size is not None
    out = adaptive_avg_pool2d(_over_height_one(input, "adaptive_avg_pool1d"), (1, size), dtypes=dtypes)
    return Result(np.asarray(out.values)[..., 0, :], out.dtype)


def _adaptive_max(
    input: np.ndarray, sizes: tuple[int, ...], dtypes: dict[str, str], api: str
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Maxima and flat H x W indices of each adaptive cell of a 2-D input, and whether it had a batch."""
    require_category("input", dtypes["input"], ("float",), api)
    x, batched = _batched(widen(input, "float64"), 2, api)
    if min(sizes) < 0:
        raise RuntimeError(f"{api}: output_size must be non-negative")
    height, width = x.shape[2:]
    if 0 in (height, width):
        raise RuntimeError(f"{api}: expected input to have non-zero size for non-batch dimensions")
    out = np.full((x.shape[0], x.shape[1], *sizes), -np.inf)
    where = np.full(out.shape, -1, dtype=np.int64)
    for oy, ox in np.ndindex(*sizes):
        ys = range((oy * height) // sizes[0], -(-((oy + 1) * height) // sizes[0]))
        xs = range((ox * width) // sizes[1], -(-((ox + 1) * width) // sizes[1]))
        for y in ys:
            for xx in xs:
                # torch's CPU kernel: a later value wins when greater or NaN, so the last NaN wins.
                value, current = x[:, :, y, xx], out[:, :, oy, ox]
                take = (value > current) | np.isnan(value) | (where[:, :, oy, ox] < 0)
                out[:, :, oy, ox] = np.where(take, value, current)
                where[:, :, oy, ox] = np.where(take, y * width + xx, where[:, :, oy, ox])
    return out, where, batched


def adaptive_max_pool2d(
    input: np.ndarray, output_size: IntOrTuple, return_indices: bool = False, *, dtypes: dict[str, str]
) -> Result | tuple[Result, Result]:
    """torch.nn.functional.adaptive_max_pool2d: the maximum of each adaptive cell (NaN wins);
    return_indices also returns where it is, as an index into the flattened H x W plane."""
    sizes = spatial(output_size, 2, "output_size")
    out, where, batched = _adaptive_max(input, sizes, dtypes, "adaptive_max_pool2d")
    values = Result(out if batched else out[0], dtypes["input"])
    if not return_indices:
        return values
    return values, Result(where if batched else where[0], "int64")


def adaptive_max_pool1d(
    input: np.ndarray, output_size: IntOrTuple, return_indices: bool = False, *, dtypes: dict[str, str]
) -> Result | tuple[Result, Result]:
    """torch.nn.functional.adaptive_max_pool1d: the maximum of each adaptive cell of a (N, C, L) or
    (C, L) input (NaN wins); return_indices also returns its position along L."""
    size = _one(output_size, "output_size")
    assert size is not None
    x = _over_height_one(input, "adaptive_max_pool1d")
    out, where, batched = _adaptive_max(x, (1, size), dtypes, "adaptive_max_pool1d")
    values = Result((out if batched else out[0])[..., 0, :], dtypes["input"])
    if not return_indices:
        return values
    return values, Result((where if batched else where[0])[..., 0, :], "int64")
