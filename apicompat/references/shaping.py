"""Operations that move or combine elements: cat, gather, transpose, matmul."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from apicompat.records.dtypes import dtype_category
from apicompat.references.core import Result, check_axis, exact, widen
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


def transpose(input: np.ndarray, dim0: int, dim1: int, *, dtypes: dict[str, str]) -> Result:
    """torch.transpose: swap two dimensions (a 0-d tensor accepts 0 and -1 and is returned as is)."""
    a, b = check_axis(dim0, input.ndim), check_axis(dim1, input.ndim)
    if input.ndim == 0:
        return Result(input.copy(), dtypes["input"])
    return Result(np.swapaxes(input, a, b).copy(), dtypes["input"])


def matmul(input: np.ndarray, other: np.ndarray, *, dtypes: dict[str, str]) -> Result:
    """torch.matmul: dot, matrix-vector, matrix and batched (broadcast) products; no dtype promotion."""
    a, b = dtypes["input"], dtypes["other"]
    if a != b:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {a} != {b}")
    if dtype_category(a) == "bool":
        raise NotImplementedError("matmul is not implemented for bool")
    if input.ndim == 0 or other.ndim == 0:
        raise RuntimeError("both arguments to matmul need to be at least 1D")
    kind = dtype_category(a)
    wide = np.int64 if kind == "int" else (np.complex128 if kind == "complex" else np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        product = np.matmul(input.astype(wide), other.astype(wide))
    return Result(exact(np.asarray(product), a), a)
