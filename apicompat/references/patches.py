"""References for sliding-block extraction and its adjoint: torch.nn.functional.unfold (im2col) and
fold (col2im), over 2-D spatial inputs.

unfold lays each kernel_size block out as a column: channel-major, then the kernel offsets in
row-major order; columns follow the blocks' row-major order. fold sums each column back into
its block, so overlapping blocks add up. Both take a batch dimension or none; float, complex
and bool inputs (bool overlaps combine with OR); torch has no integer kernel.
"""

from __future__ import annotations

import numpy as np

from apicompat.records.dtypes import dtype_category
from apicompat.references.convolution import IntOrTuple, spatial
from apicompat.references.core import Result, widen

Ints = tuple[int, ...]


def _kernel_dtype(dtypes: dict[str, str], kernel: str) -> str:
    """The input's dtype, after torch's check that a kernel exists for it."""
    dtype = dtypes["input"]
    if dtype_category(dtype) not in ("float", "complex", "bool"):
        raise NotImplementedError(f'"{kernel}_out_cpu" not implemented for {dtype}')
    return dtype


def _blocks(size: tuple[int, ...], k: Ints, d: Ints, p: Ints, s: Ints) -> tuple[int, int]:
    """The number of blocks along each spatial dimension, as torch computes it."""
    rows, cols = ((size[i] + 2 * p[i] - d[i] * (k[i] - 1) - 1) // s[i] + 1 for i in range(2))
    return rows, cols


def _arguments(
    kernel_size: IntOrTuple, dilation: IntOrTuple, padding: IntOrTuple, stride: IntOrTuple
) -> tuple[Ints, Ints, Ints, Ints]:
    k, d, p, s = (
        spatial(kernel_size, 2, "kernel_size"),
        spatial(dilation, 2, "dilation"),
        spatial(padding, 2, "padding"),
        spatial(stride, 2, "stride"),
    )
    if min(k) <= 0 or min(d) <= 0 or min(s) <= 0 or min(p) < 0:
        raise RuntimeError(
            f"kernel_size, dilation and stride must be positive and padding non-negative, got "
            f"kernel_size={k}, dilation={d}, padding={p}, stride={s}"
        )
    return k, d, p, s


def unfold(
    input: np.ndarray,
    kernel_size: IntOrTuple,
    dilation: IntOrTuple = 1,
    padding: IntOrTuple = 0,
    stride: IntOrTuple = 1,
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.nn.functional.unfold: (N, C, H, W) or (C, H, W) to (N, C*kh*kw, L) or (C*kh*kw, L),
    L the number of blocks; a zero-sized dimension other than the batch raises."""
    dtype = _kernel_dtype(dtypes, "im2col")
    k, d, p, s = _arguments(kernel_size, dilation, padding, stride)
    if input.ndim not in (3, 4) or 0 in input.shape[-3:]:
        raise RuntimeError(
            "Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero "
            f"dimensions for input, but got: {list(input.shape)}"
        )
    x = widen(input, dtype)
    batched = x.ndim == 4
    x = x if batched else x[None]
    n, c, h, w = x.shape
    oh, ow = _blocks((h, w), k, d, p, s)
    if oh < 1 or ow < 1:
        raise RuntimeError(f"Given input with spatial size ({h}, {w}) and kernel_size={k}: no block fits")
    padded = np.pad(x, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])))
    columns = np.empty((n, c, k[0], k[1], oh, ow), dtype=x.dtype)
    for i in range(k[0]):
        for j in range(k[1]):
            rows = slice(i * d[0], i * d[0] + s[0] * (oh - 1) + 1, s[0])
            cols = slice(j * d[1], j * d[1] + s[1] * (ow - 1) + 1, s[1])
            columns[:, :, i, j] = padded[:, :, rows, cols]
    out = columns.reshape(n, c * k[0] * k[1], oh * ow)
    return Result(out if batched else out[0], dtype)


def fold(
    input: np.ndarray,
    output_size: IntOrTuple,
    kernel_size: IntOrTuple,
    dilation: IntOrTuple = 1,
    padding: IntOrTuple = 0,
    stride: IntOrTuple = 1,
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.nn.functional.fold: (N, C*kh*kw, L) or (C*kh*kw, L) to (N, C, H, W) or (C, H, W),
    overlapping blocks summed; input.size(-2) must be a multiple of kh*kw and L the number of
    blocks output_size holds."""
    dtype = _kernel_dtype(dtypes, "col2im")
    k, d, p, s = _arguments(kernel_size, dilation, padding, stride)
    size = spatial(output_size, 2, "output_size")
    if input.ndim not in (2, 3) or 0 in input.shape[-2:]:
        raise RuntimeError(
            "Expected 2D or 3D (batch mode) tensor with possibly 0 batch size and non-zero dimensions "
            f"for input, but got: {list(input.shape)}"
        )
    x = widen(input, "float64" if dtype == "bool" else dtype)
    batched = x.ndim == 3
    x = x if batched else x[None]
    n, ck, length = x.shape
    if ck % (k[0] * k[1]):
        raise RuntimeError(
            "Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got "
            f"input.size(1)={ck} and kernel_size={k}"
        )
    oh, ow = _blocks((size[0], size[1]), k, d, p, s)
    if oh * ow != length or oh < 1 or ow < 1:
        raise RuntimeError(
            f"expected size of input's dimension 2 to match the calculated number of sliding blocks "
            f"{oh} * {ow} = {oh * ow}, but got input.size(2)={length}"
        )
    c = ck // (k[0] * k[1])
    columns = x.reshape(n, c, k[0], k[1], oh, ow)
    out = np.zeros((n, c, size[0] + 2 * p[0], size[1] + 2 * p[1]), dtype=x.dtype)
    for i in range(k[0]):
        for j in range(k[1]):
            rows = slice(i * d[0], i * d[0] + s[0] * (oh - 1) + 1, s[0])
            cols = slice(j * d[1], j * d[1] + s[1] * (ow - 1) + 1, s[1])
            out[:, :, rows, cols] += columns[:, :, i, j]
    out = out[:, :, p[0] : p[0] + size[0], p[1] : p[1] + size[1]]
    if dtype == "bool":
        out = out != 0
    return Result(out if batched else out[0], dtype)
