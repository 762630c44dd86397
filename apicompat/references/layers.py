"""References for linear, embedding, padding, resizing and attention layers, computed in float64."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from apicompat.references.core import Result, check_same_dtype, require_category, widen
from apicompat.references.elementwise import softmax


def linear(
    input: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None, *, dtypes: dict[str, str]
) -> Result:
    """torch.nn.functional.linear: input @ weight.T + bias over the last dimension; dtypes must agree."""
    dtype = dtypes["input"]
    require_category("input", dtype, ("float",), "linear")
    check_same_dtype(dtypes, ("input", "weight", "bias"), "linear")
    x, w = widen(input, "float64"), widen(weight, "float64")
    if x.ndim == 0 or w.ndim not in (1, 2) or x.shape[-1] != w.shape[-1]:
        raise RuntimeError(f"linear: shapes {list(x.shape)} and {list(w.shape)} cannot be multiplied")
    out = x @ w.T
    if bias is not None:
        out = out + widen(bias, "float64")
    return Result(np.asarray(out), dtype)


def embedding(
    input: np.ndarray,
    weight: np.ndarray,
    padding_idx: int | None = None,
    max_norm: float | None = None,
    norm_type: float = 2.0,
    scale_grad_by_freq: bool = False,
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.nn.functional.embedding: rows of weight picked by integer indices (any shape).

    padding_idx and scale_grad_by_freq change only the gradient. With max_norm, each looked-up
    row whose norm_type-norm exceeds max_norm is scaled by max_norm / (norm + 1e-7) (torch
    renormalizes those rows of weight in place before the lookup).
    """
    if dtypes["input"] not in ("int32", "int64"):
        raise RuntimeError(f"embedding: expected indices of dtype int32 or int64, got {dtypes['input']}")
    if weight.ndim != 2:
        raise RuntimeError("embedding: weight must be 2-D")
    rows = weight.shape[0]
    if padding_idx is not None and not -rows <= padding_idx < rows:
        raise AssertionError("embedding: padding_idx must be within num_embeddings")
    if input.size and (input.min() < 0 or input.max() >= rows):
        raise IndexError("embedding: index out of range in self")
    picked = widen(weight, dtypes["weight"])[input.astype(np.int64)]
    if max_norm is not None:
        with np.errstate(over="ignore", invalid="ignore"):
            norms = np.sum(np.abs(picked) ** norm_type, axis=-1, keepdims=True) ** (1.0 / norm_type)
            picked = np.where(norms > max_norm, picked * (max_norm / (norms + 1e-7)), picked)
    return Result(picked, dtypes["weight"])


def _pad_pairs(pad: Sequence[int], ndim: int) -> list[tuple[int, int]]:
    """torch's pad order (last dimension first, (left, right) pairs) as np.pad's per-dimension pairs."""
    if len(pad) % 2 or len(pad) // 2 > ndim:
        raise RuntimeError(f"pad: padding length must be even and at most 2 * {ndim}, got {len(pad)}")
    pairs = [(0, 0)] * ndim
    for i in range(len(pad) // 2):
        pairs[ndim - 1 - i] = (pad[2 * i], pad[2 * i + 1])
    return pairs


def pad(
    input: np.ndarray,
    pad: Sequence[int],
    mode: str = "constant",
    value: float | None = None,
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.nn.functional.pad: constant (value, default 0) padding of any rank; reflect, replicate and
    circular pad the last 1-3 dimensions of a (batched) input of rank len(pad)/2 + 1 or + 2."""
    dtype = dtypes["input"]
    pairs = _pad_pairs(tuple(pad), input.ndim)
    if min(min(p) for p in pairs) < 0:
        raise NotImplementedError("pad: negative padding (cropping) is not modelled by this reference")
    x = widen(input, dtype)
    if mode == "constant":
        return Result(np.pad(x, pairs, constant_values=0 if value is None else value), dtype)
    if mode not in ("reflect", "replicate", "circular"):
        raise NotImplementedError(f"pad: unknown padding mode {mode!r}")
    if value is not None and value != 0:
        raise RuntimeError(f"pad: padding mode {mode!r} doesn't take in a value argument")
    padded = len(pad) // 2
    if input.ndim not in (padded + 1, padded + 2) or padded > 3:
        raise NotImplementedError(
            f"pad: {mode} padding of {padded} dimensions needs a {padded + 1}D or {padded + 2}D input"
        )
    for (left, right), size in zip(pairs, input.shape, strict=True):
        if mode == "reflect" and max(left, right) >= max(size, 1) and (left or right):
            raise RuntimeError("pad: padding size should be less than the corresponding input dimension")
        if mode == "circular" and max(left, right) > size:
            raise RuntimeError("pad: padding value causes wrapping around more than once")
        if mode == "replicate" and size == 0 and (left or right):
            raise RuntimeError("pad: cannot replicate-pad an empty dimension")
    if mode == "reflect":
        return Result(np.pad(x, pairs, mode="reflect"), dtype)
    return Result(np.pad(x, pairs, mode="edge" if mode == "replicate" else "wrap"), dtype)


def _source_index(out: int, size: int, align_corners: bool | None, ratio: float) -> np.ndarray:
    """Where each output position samples the input, in input coordinates (torch's linear modes)."""
    positions = np.arange(out, dtype=np.float64)
    if align_corners:
        return positions * ((size - 1) / (out - 1)) if out > 1 else np.zeros(out)
    return np.maximum((positions + 0.5) * ratio - 0.5, 0.0)


def _linear_axis(x: np.ndarray, axis: int, out: int, align_corners: bool | None, ratio: float) -> np.ndarray:
    size = x.shape[axis]
    src = _source_index(out, size, align_corners, ratio)
    low = np.minimum(np.floor(src).astype(np.int64), size - 1)
    high = np.minimum(low + 1, size - 1)
    frac = (src - low).reshape([-1 if i == axis else 1 for i in range(x.ndim)])
    blended: np.ndarray = np.take(x, low, axis=axis) * (1 - frac) + np.take(x, high, axis=axis) * frac
    return blended


def interpolate(
    input: np.ndarray,
    size: int | Sequence[int] | None = None,
    scale_factor: float | None = None,
    mode: str = "nearest",
    align_corners: bool | None = None,
    recompute_scale_factor: bool | None = None,
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.nn.functional.interpolate: `nearest` takes input[floor(i * r)]; `linear` / `bilinear`
    blend the two neighbours of (i + 0.5) * r - 0.5, or of i * (in - 1) / (out - 1) with
    align_corners=True, which only those modes accept. With `size`, r = in / out; with
    `scale_factor`, out = floor(in * scale) and r = 1 / scale (in / out when
    recompute_scale_factor is true)."""
    dtype = dtypes["input"]
    require_category("input", dtype, ("float",), "interpolate")
    spatial = input.ndim - 2
    if spatial < 1:
        raise ValueError(f"interpolate: expected a 3D, 4D or 5D input, got {input.ndim}D")
    if (size is None) == (scale_factor is None):
        raise ValueError("interpolate: only one of size or scale_factor should be defined")
    ratios: list[float | None] = [None] * spatial
    if size is not None:
        if recompute_scale_factor:
            raise ValueError("interpolate: recompute_scale_factor is not meaningful with an explicit size")
        sizes = (size,) * spatial if isinstance(size, int) else tuple(size)
        if len(sizes) != spatial:
            raise ValueError(f"interpolate: size must have {spatial} values for a {input.ndim}D input")
    else:
        assert scale_factor is not None
        sizes = tuple(math.floor(n * scale_factor) for n in input.shape[2:])
        if not recompute_scale_factor:
            ratios = [1.0 / scale_factor] * spatial
    linear_modes = {"linear": 1, "bilinear": 2, "trilinear": 3}
    if mode in linear_modes and linear_modes[mode] != spatial:
        raise NotImplementedError(f"interpolate: mode {mode!r} needs a {linear_modes[mode] + 2}D input")
    if mode not in linear_modes and align_corners is not None:
        raise ValueError("interpolate: align_corners can only be set with the linear modes")
    if mode not in linear_modes and mode != "nearest":
        raise NotImplementedError(f"interpolate: mode {mode!r} is not modelled by this reference")
    x = widen(input, "float64")
    for i, out in enumerate(sizes):
        axis = 2 + i
        given = ratios[i]
        ratio = given if given is not None else x.shape[axis] / out
        if mode == "nearest":
            index = np.minimum(np.floor(np.arange(out) * ratio).astype(np.int64), x.shape[axis] - 1)
            x = np.take(x, index, axis=axis)
        else:
            x = _linear_axis(x, axis, out, align_corners, ratio)
    return Result(x, dtype)


def scaled_dot_product_attention(
    query: np.ndarray,
    key: np.ndarray,
    value: np.ndarray,
    attn_mask: np.ndarray | None = None,
    is_causal: bool = False,
    scale: float | None = None,
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.nn.functional.scaled_dot_product_attention without dropout: softmax(q k^T * scale + mask) v,
    scale 1/sqrt(E) by default; is_causal masks out keys after the query's position (top-left aligned)."""
    dtype = dtypes["query"]
    require_category("query", dtype, ("float",), "scaled_dot_product_attention")
    check_same_dtype(dtypes, ("query", "key", "value"), "scaled_dot_product_attention")
    if dtypes.get("attn_mask") not in (None, "bool", dtype):
        raise RuntimeError(
            "scaled_dot_product_attention: expected attn_mask dtype to be bool or the query's dtype"
        )
    q, k, v = (widen(t, "float64") for t in (query, key, value))
    if q.shape[-1] != k.shape[-1] or k.shape[-2] != v.shape[-2]:
        raise RuntimeError("scaled_dot_product_attention: query, key and value shapes do not match")
    factor = 1 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = (q @ np.swapaxes(k, -1, -2)) * factor
    if is_causal:
        if attn_mask is not None:
            raise RuntimeError(
                "scaled_dot_product_attention: explicit attn_mask should not be set when is_causal=True"
            )
        allowed = np.tril(np.ones(scores.shape[-2:], dtype=bool))
        scores = np.where(allowed, scores, -np.inf)
    elif attn_mask is not None:
        if dtypes.get("attn_mask") == "bool":
            scores = np.where(attn_mask, scores, -np.inf)
        else:
            scores = scores + widen(attn_mask, "float64")
    weights = softmax(scores, -1, dtypes={"input": "float64"}).values
    return Result(weights @ v, dtype)
