"""References for convolution and pooling layers: direct loops over kernel offsets, clarity over speed.

Each computes in float64 and returns the input's dtype, as torch does for float inputs.
Spatial arguments (stride, padding, dilation, kernel_size) take an int or a tuple, as
in torch; an int stands for every spatial dimension.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from apicompat.references.core import Result, check_same_dtype, require_category, widen

IntOrTuple = int | Sequence[int]


def spatial(value: IntOrTuple, nd: int, name: str) -> tuple[int, ...]:
    """An int or tuple argument as one int per spatial dimension (torch's `_pair`, checked)."""
    values = (value,) * nd if isinstance(value, int) else tuple(value)
    if len(values) == 1:
        values = values * nd
    if len(values) != nd:
        raise RuntimeError(f"expected {name} to be a single integer value or a list of {nd} values")
    return values


def _batched(x: np.ndarray, nd: int, api: str) -> tuple[np.ndarray, bool]:
    """The input with a batch dimension (torch takes unbatched (C, *spatial) too), and whether it had one."""
    if x.ndim == nd + 1:
        return x[None], False
    if x.ndim != nd + 2:
        raise RuntimeError(
            f"{api}: expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input, got {x.ndim}D"
        )
    return x, True


def _conv(
    input: np.ndarray,
    weight: np.ndarray,
    bias: np.ndarray | None,
    stride: IntOrTuple,
    padding: IntOrTuple,
    dilation: IntOrTuple,
    groups: int,
    nd: int,
    dtypes: dict[str, str],
) -> Result:
    api = f"conv{nd}d"
    out_dtype = dtypes["input"]
    require_category("input", out_dtype, ("float",), api)
    check_same_dtype(dtypes, ("input", "weight", "bias"), api)
    x, batched = _batched(widen(input, "float64"), nd, api)
    w = widen(weight, "float64")
    s, p, d = (
        spatial(stride, nd, "stride"),
        spatial(padding, nd, "padding"),
        spatial(dilation, nd, "dilation"),
    )
    if min(s) <= 0 or min(d) <= 0 or min(p) < 0:
        raise RuntimeError(f"{api}: stride and dilation must be positive, padding non-negative")
    if w.ndim != nd + 2:
        raise RuntimeError(f"{api}: expected a {nd + 2}D weight, got {w.ndim}D")
    channels, out_channels, group_channels = x.shape[1], w.shape[0], w.shape[1]
    if groups <= 0 or out_channels % groups or group_channels * groups != channels:
        raise RuntimeError(
            f"{api}: expected {group_channels * groups} input channels for groups={groups}, got {channels}"
        )
    x = np.pad(x, [(0, 0), (0, 0), *((q, q) for q in p)])
    kernel = w.shape[2:]
    sizes = [(x.shape[2 + i] - d[i] * (kernel[i] - 1) - 1) // s[i] + 1 for i in range(nd)]
    if min(sizes) <= 0:
        raise RuntimeError(f"{api}: kernel size can't be greater than the (padded) input size")
    out = np.zeros((x.shape[0], out_channels, *sizes))
    per_group = out_channels // groups
    for g in range(groups):
        xs = x[:, g * group_channels : (g + 1) * group_channels]
        ws = w[g * per_group : (g + 1) * per_group]
        for offset in np.ndindex(*kernel):
            # The input elements each output position multiplies by weight[..., offset].
            window = tuple(
                slice(offset[i] * d[i], offset[i] * d[i] + s[i] * (sizes[i] - 1) + 1, s[i]) for i in range(nd)
            )
            patch = xs[(slice(None), slice(None), *window)]
            out[:, g * per_group : (g + 1) * per_group] += np.einsum(
                "nc...,oc->no...", patch, ws[(slice(None), slice(None), *offset)]
            )
    if bias is not None:
        out += widen(bias, "float64").reshape((1, -1) + (1,) * nd)
    return Result(out if batched else out[0], out_dtype)


def _conv_nd(nd: int, doc: str) -> Callable[..., Result]:
    """The reference for torch's `conv{nd}d`: its signature (canonical names, torch's defaults)."""

    def conv(
        input: np.ndarray,
        weight: np.ndarray,
        bias: np.ndarray | None = None,
        stride: IntOrTuple = 1,
        padding: IntOrTuple = 0,
        dilation: IntOrTuple = 1,
        groups: int = 1,
        *,
        dtypes: dict[str, str],
    ) -> Result:
        return _conv(input, weight, bias, stride, padding, dilation, groups, nd, dtypes)

    conv.__name__ = conv.__qualname__ = f"conv{nd}d"
    conv.__doc__ = doc
    return conv


conv1d = _conv_nd(
    1, "torch.nn.functional.conv1d: cross-correlation of (N, C, L) with (O, C/groups, k), plus bias."
)
conv2d = _conv_nd(
    2, "torch.nn.functional.conv2d: cross-correlation (not flipped), zero padding, per-group channels."
)


def pool_size(length: int, kernel: int, stride: int, pad: int, dilation: int, ceil_mode: bool) -> int:
    """torch's pooling output size: floor (or ceil) division, and a last window must start inside."""
    span = length + 2 * pad - dilation * (kernel - 1) - 1
    size = (math.ceil(span / stride) if ceil_mode else span // stride) + 1
    if ceil_mode and (size - 1) * stride >= length + pad:
        size -= 1  # the last window would start in the right padding only
    return size


def _pool_args(
    kernel_size: IntOrTuple,
    stride: IntOrTuple | None,
    padding: IntOrTuple,
    dilation: tuple[int, ...],
    api: str,
) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    k = spatial(kernel_size, 2, "kernel_size")
    s = (
        k
        if stride is None or (not isinstance(stride, int) and len(stride) == 0)
        else spatial(stride, 2, "stride")
    )
    p = spatial(padding, 2, "padding")
    if min(k) <= 0 or min(s) <= 0:
        raise RuntimeError(f"{api}: kernel_size and stride must be greater than zero")
    if min(dilation) <= 0:
        raise RuntimeError(f"{api}: dilation must be greater than zero")
    # torch's rule: pad <= effective kernel size / 2, where the effective size counts the dilation.
    if any(p[i] < 0 or 2 * p[i] > (k[i] - 1) * dilation[i] + 1 for i in range(2)):
        raise RuntimeError(f"{api}: pad should be at most half of effective kernel size")
    return k, s, p


def max_pool2d(
    input: np.ndarray,
    kernel_size: IntOrTuple,
    stride: IntOrTuple | None = None,
    padding: IntOrTuple = 0,
    dilation: IntOrTuple = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
    *,
    dtypes: dict[str, str],
) -> Result | tuple[Result, Result]:
    """torch.nn.functional.max_pool2d: the maximum of each (dilated) window; padding never wins (it
    is -inf); stride defaults to kernel_size. As torch's CPU kernel scans a window row by row, a
    later value replaces the maximum only when greater, or when it is NaN (so the last NaN wins);
    return_indices also returns where each maximum is, as an index into the flattened H x W plane."""
    api = "max_pool2d"
    dtype = dtypes["input"]
    require_category("input", dtype, ("float",), api)
    x, batched = _batched(widen(input, "float64"), 2, api)
    d = spatial(dilation, 2, "dilation")
    k, s, p = _pool_args(kernel_size, stride, padding, d, api)
    height, width = x.shape[2:]
    sizes = [pool_size(x.shape[2 + i], k[i], s[i], p[i], d[i], ceil_mode) for i in range(2)]
    if min(sizes) <= 0:
        raise RuntimeError(f"{api}: output size is too small")
    out = np.full((x.shape[0], x.shape[1], *sizes), -np.inf)
    where = np.full(out.shape, -1, dtype=np.int64)
    for oy, ox in np.ndindex(*sizes):
        for ky, kx in np.ndindex(*k):
            y, xx = oy * s[0] - p[0] + ky * d[0], ox * s[1] - p[1] + kx * d[1]
            if not (0 <= y < height and 0 <= xx < width):
                continue  # padding
            value = x[:, :, y, xx]
            current = out[:, :, oy, ox]
            take = (value > current) | np.isnan(value) | (where[:, :, oy, ox] < 0)
            out[:, :, oy, ox] = np.where(take, value, current)
            where[:, :, oy, ox] = np.where(take, y * width + xx, where[:, :, oy, ox])
    values = Result(out if batched else out[0], dtype)
    if not return_indices:
        return values
    return values, Result(where if batched else where[0], "int64")


def avg_pool2d(
    input: np.ndarray,
    kernel_size: IntOrTuple,
    stride: IntOrTuple | None = None,
    padding: IntOrTuple = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.nn.functional.avg_pool2d: window sums divided by the window's size; with
    count_include_pad the zero padding counts in it, but a ceil_mode window's part past the
    padding never does; divisor_override replaces it."""
    api = "avg_pool2d"
    dtype = dtypes["input"]
    require_category("input", dtype, ("float",), api)
    x, batched = _batched(widen(input, "float64"), 2, api)
    k, s, p = _pool_args(kernel_size, stride, padding, (1, 1), api)
    if divisor_override is not None and divisor_override <= 0:
        raise RuntimeError(f"{api}: divisor must be not zero")
    lengths = x.shape[2:]
    sizes = [pool_size(lengths[i], k[i], s[i], p[i], 1, ceil_mode) for i in range(2)]
    out = np.zeros((x.shape[0], x.shape[1], *sizes))
    for oy, ox in np.ndindex(*sizes):
        starts = (oy * s[0] - p[0], ox * s[1] - p[1])
        ends = [min(starts[i] + k[i], lengths[i] + p[i]) for i in range(2)]  # clipped to the padded input
        divisor = (ends[0] - starts[0]) * (ends[1] - starts[1])
        lo = [max(starts[i], 0) for i in range(2)]
        hi = [min(ends[i], lengths[i]) for i in range(2)]
        region = x[:, :, lo[0] : hi[0], lo[1] : hi[1]]
        if not count_include_pad:
            divisor = (hi[0] - lo[0]) * (hi[1] - lo[1])
        if divisor_override is not None:
            divisor = divisor_override
        out[:, :, oy, ox] = region.sum(axis=(2, 3)) / divisor
    return Result(out if batched else out[0], dtype)


def adaptive_avg_pool2d(input: np.ndarray, output_size: IntOrTuple, *, dtypes: dict[str, str]) -> Result:
    """torch.nn.functional.adaptive_avg_pool2d: cell i averages input[floor(i*L/n) : ceil((i+1)*L/n)]."""
    api = "adaptive_avg_pool2d"
    dtype = dtypes["input"]
    require_category("input", dtype, ("float",), api)
    x, batched = _batched(widen(input, "float64"), 2, api)
    sizes = spatial(output_size, 2, "output_size")
    if min(sizes) < 0:
        raise RuntimeError(f"{api}: output_size must be non-negative")
    if 0 in x.shape[2:] and min(sizes) > 0:
        raise RuntimeError(f"{api}: expected input to have non-zero size for non-batch dimensions")
    lengths = x.shape[2:]
    out = np.zeros((x.shape[0], x.shape[1], *sizes))
    for oy, ox in np.ndindex(*sizes):
        ys = (oy * lengths[0]) // sizes[0], -(-((oy + 1) * lengths[0]) // sizes[0])
        xs = (ox * lengths[1]) // sizes[1], -(-((ox + 1) * lengths[1]) // sizes[1])
        out[:, :, oy, ox] = x[:, :, ys[0] : ys[1], xs[0] : xs[1]].mean(axis=(2, 3))
    return Result(out if batched else out[0], dtype)
