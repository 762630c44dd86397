"""Reference for torch.nn.functional.grid_sample over 2-D inputs: bilinear and nearest sampling at
normalized grid locations, with torch's three padding modes and both align_corners conventions.

A grid holds (x, y) pairs in [-1, 1]: -1 is the left (top) edge of the input, +1 the right
(bottom). With align_corners they are the centres of the corner pixels, without it the outer
edges of the corner pixels. Locations outside the input read zeros (`zeros`), the nearest edge
pixel (`border`), or the input mirrored at its edges (`reflection`). Computed in float64.
"""

from __future__ import annotations

import numpy as np

from apicompat.records.dtypes import dtype_category
from apicompat.references.core import Result, widen

_MODES = ("bilinear", "nearest", "bicubic")
_PADDINGS = ("zeros", "border", "reflection")


def _unnormalize(coord: np.ndarray, size: int, align_corners: bool) -> np.ndarray:
    """Grid values in [-1, 1] as pixel coordinates along one dimension of `size` pixels."""
    if align_corners:
        return (coord + 1) / 2 * (size - 1)
    return ((coord + 1) * size - 1) / 2


def _reflect(coord: np.ndarray, twice_low: int, twice_high: int) -> np.ndarray:
    """Coordinates mirrored into [twice_low / 2, twice_high / 2], as torch's reflect_coordinates."""
    if twice_low == twice_high:
        return np.zeros_like(coord)
    low, span = twice_low / 2, (twice_high - twice_low) / 2
    coord = np.abs(coord - low)
    extra, flips = np.fmod(coord, span), np.floor(coord / span)
    return np.asarray(np.where(flips % 2 == 0, extra + low, span - extra + low))


def _source_index(coord: np.ndarray, size: int, padding: str, align_corners: bool) -> np.ndarray:
    """Where one grid coordinate reads the input, after the padding mode moves it inside."""
    coord = _unnormalize(coord, size, align_corners)
    if padding == "border":
        coord = np.clip(coord, 0, size - 1)
    elif padding == "reflection":
        coord = _reflect(coord, 0, 2 * (size - 1)) if align_corners else _reflect(coord, -1, 2 * size - 1)
        coord = np.clip(coord, 0, size - 1)
    return coord


def _read(x: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """x[n, c, rows, cols] per batch item, zero where the index is outside the input."""
    n, _, h, w = x.shape
    inside = (rows >= 0) & (rows < h) & (cols >= 0) & (cols < w)
    r, q = np.clip(rows, 0, h - 1).astype(np.int64), np.clip(cols, 0, w - 1).astype(np.int64)
    batch = np.arange(n)[:, None, None]
    values = x[batch, :, r, q]  # (n, ho, wo, c)
    return np.moveaxis(np.where(inside[..., None], values, 0.0), -1, 1)


def grid_sample(
    input: np.ndarray,
    grid: np.ndarray,
    mode: str = "bilinear",
    padding_mode: str = "zeros",
    align_corners: bool | None = None,
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.nn.functional.grid_sample for a 4-D input (N, C, H, W) and grid (N, Ho, Wo, 2):
    (N, C, Ho, Wo); align_corners=None means False; nearest rounds half to even; input and grid
    share one float dtype; bicubic is refused here (not encoded)."""
    dtype = dtypes["input"]
    if mode not in _MODES:
        raise ValueError(
            "nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', "
            f"but got: '{mode}'"
        )
    if padding_mode not in _PADDINGS:
        raise ValueError(
            "nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or 'reflection', "
            f"but got: '{padding_mode}'"
        )
    if dtype_category(dtype) != "float":
        raise NotImplementedError(f'"grid_sampler_2d_cpu_kernel_impl" not implemented for {dtype}')
    if dtypes["grid"] != dtype:
        raise RuntimeError(f"expected scalar type {dtype} but found {dtypes['grid']}")
    if input.ndim != 4 or grid.ndim != 4 or grid.shape[-1] != 2:
        raise RuntimeError(
            f"grid_sampler(): expected 4D input and grid with last dimension 2, got {list(input.shape)} "
            f"and {list(grid.shape)}"
        )
    if input.shape[0] != grid.shape[0]:
        raise RuntimeError(
            "grid_sampler(): expected grid and input to have same batch size, but got input with sizes "
            f"{list(input.shape)} and grid with sizes {list(grid.shape)}"
        )
    if mode == "bicubic":
        raise NotImplementedError("the reference does not encode bicubic sampling")
    corners = bool(align_corners)
    x, g = widen(input, "float64"), widen(grid, "float64")
    h, w = x.shape[2:]
    cols = _source_index(g[..., 0], w, padding_mode, corners)
    rows = _source_index(g[..., 1], h, padding_mode, corners)
    with np.errstate(invalid="ignore"):
        if mode == "nearest":
            return Result(_read(x, np.rint(rows), np.rint(cols)), dtype)
        r0, c0 = np.floor(rows), np.floor(cols)
        dr, dc = (rows - r0)[:, None], (cols - c0)[:, None]
        values = (
            _read(x, r0, c0) * (1 - dr) * (1 - dc)
            + _read(x, r0, c0 + 1) * (1 - dr) * dc
            + _read(x, r0 + 1, c0) * dr * (1 - dc)
            + _read(x, r0 + 1, c0 + 1) * dr * dc
        )
    return Result(values, dtype)
