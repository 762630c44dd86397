"""Shape operations whose torch rules NumPy lacks: cat (1-D empties), gather, squeeze, flatten."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from apicompat.references.core import Result, check_axis, widen
from apicompat.references.promotion import promote


def cat(tensors: Sequence[np.ndarray], dim: int = 0, *, dtypes: dict[str, str]) -> Result:
    """torch.cat: join along `dim`, promoting dtypes; 1-D empty tensors are skipped (torch's legacy rule)."""
    if not tensors:
        raise RuntimeError("torch.cat(): expected a non-empty list of Tensors")
    names = [dtypes[f"tensors[{i}]"] for i in range(len(tensors))]
    out = names[0]
    for name in names[1:]:
        out = promote(out, name)
    if any(t.ndim == 0 for t in tensors):
        raise RuntimeError("zero-dimensional tensor cannot be concatenated")
    kept = [t for t in tensors if t.shape != (0,)]
    if not kept:
        return Result(widen(np.zeros((0,)), out), out)
    axis = check_axis(dim, kept[0].ndim)
    first = kept[0].shape
    for i, t in enumerate(kept):
        if t.ndim != len(first) or any(t.shape[d] != first[d] for d in range(len(first)) if d != axis):
            raise RuntimeError(
                f"Sizes of tensors must match except in dimension {axis} (tensor {i}: {t.shape})"
            )
    return Result(np.concatenate([widen(t, out) for t in kept], axis=axis), out)


def gather(input: np.ndarray, dim: int, index: np.ndarray, *, dtypes: dict[str, str]) -> Result:
    """torch.gather: out[i][j] = input[i][index[i][j]] along `dim`; index no larger than input elsewhere."""
    if dtypes["index"] not in ("int64", "int32"):
        raise RuntimeError(f"gather(): Expected dtype int32/int64 for index, got {dtypes['index']}")
    if index.ndim != input.ndim:
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    axis = check_axis(dim, input.ndim)
    dtype = dtypes["input"]
    if input.ndim == 0:
        if index.item() != 0:
            raise RuntimeError(f"index {index.item()} is out of bounds for a 0-d tensor")
        return Result(input.copy(), dtype)
    for d in range(input.ndim):
        if d != axis and index.shape[d] > input.shape[d]:
            raise RuntimeError(
                f"Size does not match at dimension {d}: index {index.shape} vs input {input.shape}"
            )
    size = input.shape[axis]
    if index.size and (index.min() < 0 or index.max() >= size):
        raise RuntimeError(f"index out of bounds for dimension {axis} with size {size}")
    window = tuple(slice(None) if d == axis else slice(0, index.shape[d]) for d in range(input.ndim))
    return Result(np.take_along_axis(input[window], index.astype(np.int64), axis=axis), dtype)


def squeeze(input: np.ndarray, dim: int | Sequence[int] | None = None, *, dtypes: dict[str, str]) -> Result:
    """torch.squeeze: drops dimensions of size 1 (those named by `dim`); a named larger one is kept."""
    if dim is None:
        return Result(np.squeeze(input), dtypes["input"])
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    axes = {check_axis(d, input.ndim) for d in dims}
    drop = tuple(a for a in sorted(axes) if a < input.ndim and input.shape[a] == 1)
    return Result(np.squeeze(input, axis=drop) if drop else input.copy(), dtypes["input"])


def flatten(input: np.ndarray, start_dim: int = 0, end_dim: int = -1, *, dtypes: dict[str, str]) -> Result:
    """torch.flatten: dimensions start_dim..end_dim merged into one; a 0-d tensor becomes shape (1,)."""
    start, end = check_axis(start_dim, input.ndim), check_axis(end_dim, input.ndim)
    if start > end:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if input.ndim == 0:
        return Result(input.reshape(1), dtypes["input"])
    shape = (*input.shape[:start], int(np.prod(input.shape[start : end + 1])), *input.shape[end + 1 :])
    return Result(input.reshape(shape), dtypes["input"])


def _factor(factor: int, name: str, api: str) -> int:
    if factor <= 0:
        raise RuntimeError(f"{api} expects a positive {name}, but got {factor}")
    return factor


def pixel_shuffle(input: np.ndarray, upscale_factor: int, *, dtypes: dict[str, str]) -> Result:
    """torch.nn.functional.pixel_shuffle: (*, C r^2, H, W) to (*, C, H r, W r), each group of r^2
    channels spread over an r x r block; any dtype, kept."""
    api = "pixel_shuffle"
    r = _factor(upscale_factor, "upscale_factor", api)
    if input.ndim < 3:
        raise RuntimeError(
            f"{api} expects input to have at least 3 dimensions, but got input with {input.ndim}"
        )
    *batch, channels, height, width = input.shape
    if channels % (r * r):
        raise RuntimeError(f"{api} expects its input's 'channel' dimension to be divisible by {r * r}")
    c = channels // (r * r)
    n = len(batch)
    blocks = input.reshape(*batch, c, r, r, height, width)
    order = (*range(n), n, n + 3, n + 1, n + 4, n + 2)  # (*, C, H, r, W, r)
    return Result(np.transpose(blocks, order).reshape(*batch, c, height * r, width * r), dtypes["input"])


def pixel_unshuffle(input: np.ndarray, downscale_factor: int, *, dtypes: dict[str, str]) -> Result:
    """torch.nn.functional.pixel_unshuffle: (*, C, H r, W r) to (*, C r^2, H, W), the inverse of
    pixel_shuffle; any dtype, kept."""
    api = "pixel_unshuffle"
    r = _factor(downscale_factor, "downscale_factor", api)
    if input.ndim < 3:
        raise RuntimeError(
            f"{api} expects input to have at least 3 dimensions, but got input with {input.ndim}"
        )
    *batch, channels, height, width = input.shape
    if height % r or width % r:
        raise RuntimeError(f"{api} expects height and width to be divisible by downscale_factor {r}")
    n = len(batch)
    blocks = input.reshape(*batch, channels, height // r, r, width // r, r)
    order = (*range(n), n, n + 2, n + 4, n + 1, n + 3)  # (*, C, r, r, H, W)
    out = np.transpose(blocks, order).reshape(*batch, channels * r * r, height // r, width // r)
    return Result(out, dtypes["input"])
