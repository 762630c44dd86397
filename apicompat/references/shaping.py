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


def expand_as(input: np.ndarray, other: np.ndarray, *, dtypes: dict[str, str]) -> Result:
    """torch.Tensor.expand_as: input broadcast to other's shape (a size-1 dimension repeats, new ones
    are added in front); other's values and dtype play no part. A shape it cannot reach raises."""
    try:
        values = np.broadcast_to(input, other.shape)
    except ValueError:
        raise RuntimeError(
            f"The expanded size of the tensor must match the existing size: {input.shape} to {other.shape}"
        ) from None
    return Result(np.array(values), dtypes["input"])


def block_diag(tensors: Sequence[np.ndarray], *, dtypes: dict[str, str]) -> Result:
    """torch.block_diag(*tensors): the tensors on the diagonal of one matrix, zeros elsewhere.

    A 0-d tensor is a 1x1 block and a 1-D one a single row; more than 2 dimensions raise. The
    result dtype is the promoted dtype of every tensor.
    """
    names = [dtypes[f"tensors[{i}]"] for i in range(len(tensors))]
    out = names[0] if names else "float32"
    for name in names[1:]:
        out = promote(out, name)
    blocks = []
    for i, t in enumerate(tensors):
        if t.ndim > 2:
            raise RuntimeError(
                "torch.block_diag: Input tensors must have 2 or fewer dimensions. "
                f"Input {i} has {t.ndim} dimensions"
            )
        blocks.append(widen(t.reshape(1, -1) if t.ndim < 2 else t, out))
    rows = sum(b.shape[0] for b in blocks)
    cols = sum(b.shape[1] for b in blocks)
    values = widen(np.zeros((rows, cols)), out)
    r = c = 0
    for b in blocks:
        values[r : r + b.shape[0], c : c + b.shape[1]] = b
        r, c = r + b.shape[0], c + b.shape[1]
    return Result(values, out)


def cartesian_prod(tensors: Sequence[np.ndarray], *, dtypes: dict[str, str]) -> Result:
    """torch.cartesian_prod(*tensors): every combination of one element from each 1-D tensor, one row
    each (itertools.product's order); a single tensor comes back as it is. The tensors must be 1-D
    and of one dtype (torch builds it from meshgrid)."""
    names = [dtypes[f"tensors[{i}]"] for i in range(len(tensors))]
    bad = next((t.shape for t in tensors if t.ndim != 1), None)
    if bad is not None:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(bad)}")
    if len(set(names)) > 1:
        raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    if len(tensors) == 1:
        return Result(tensors[0].copy(), names[0])
    grids = np.meshgrid(*tensors, indexing="ij")
    return Result(np.stack([g.reshape(-1) for g in grids], axis=1), names[0])
