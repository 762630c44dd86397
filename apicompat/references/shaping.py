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


def squeeze(input: np.ndarray, dim: int | Sequence[int] | None = None, *, dtypes: dict[str, str]) -> Result:
    """torch.squeeze: drops dimensions of size 1 (those named by `dim`); a named larger one is kept."""
    if dim is None:
        return Result(np.squeeze(input), dtypes["input"])
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    axes = {check_axis(d, input.ndim) for d in dims}
    drop = tuple(a for a in sorted(axes) if a < input.ndim and input.shape[a] == 1)
    return Result(np.squeeze(input, axis=drop) if drop else input.copy(), dtypes["input"])


def unsqueeze(input: np.ndarray, dim: int, *, dtypes: dict[str, str]) -> Result:
    """torch.unsqueeze: a size-1 dimension inserted at `dim`, which ranges over ndim + 1 positions."""
    size = input.ndim + 1
    if not -size <= dim < size:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-size}, {size - 1}], but got {dim})"
        )
    return Result(np.expand_dims(input, dim % size), dtypes["input"])


def flatten(input: np.ndarray, start_dim: int = 0, end_dim: int = -1, *, dtypes: dict[str, str]) -> Result:
    """torch.flatten: dimensions start_dim..end_dim merged into one; a 0-d tensor becomes shape (1,)."""
    start, end = check_axis(start_dim, input.ndim), check_axis(end_dim, input.ndim)
    if start > end:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if input.ndim == 0:
        return Result(input.reshape(1), dtypes["input"])
    shape = (*input.shape[:start], int(np.prod(input.shape[start : end + 1])), *input.shape[end + 1 :])
    return Result(input.reshape(shape), dtypes["input"])


def stack(tensors: Sequence[np.ndarray], dim: int = 0, *, dtypes: dict[str, str]) -> Result:
    """torch.stack: tensors of one shape joined along a new dimension (ndim + 1 positions), promoted."""
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    names = [dtypes[f"tensors[{i}]"] for i in range(len(tensors))]
    out = names[0]
    for name in names[1:]:
        out = promote(out, name)
    if any(t.shape != tensors[0].shape for t in tensors):
        raise RuntimeError("stack expects each tensor to be equal size")
    size = tensors[0].ndim + 1
    if not -size <= dim < size:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-size}, {size - 1}], but got {dim})"
        )
    return Result(np.stack([widen(t, out) for t in tensors], axis=dim % size), out)


def _same_dtype_product(name: str, input: np.ndarray, other: np.ndarray, dtypes: dict[str, str]) -> Result:
    """A product torch computes only for two operands of one non-bool dtype, exact for integers."""
    a, b = dtypes["input"], dtypes[name]
    if a != b:
        raise RuntimeError(f"expected both operands to have the same dtype, but got {a} and {b}")
    if dtype_category(a) == "bool":
        raise NotImplementedError("matrix products are not implemented for bool")
    kind = dtype_category(a)
    wide = np.int64 if kind == "int" else (np.complex128 if kind == "complex" else np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        product = np.matmul(input.astype(wide), other.astype(wide))
    return Result(exact(np.asarray(product), a), a)


def mm(input: np.ndarray, mat2: np.ndarray, *, dtypes: dict[str, str]) -> Result:
    """torch.mm: (n, k) @ (k, m), both 2-D and of one dtype (no promotion)."""
    if input.ndim != 2 or mat2.ndim != 2:
        raise RuntimeError(f"mm: both arguments must be 2-D, got {input.ndim}-D and {mat2.ndim}-D")
    if input.shape[1] != mat2.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({input.shape} and {mat2.shape})")
    return _same_dtype_product("mat2", input, mat2, dtypes)


def bmm(input: np.ndarray, mat2: np.ndarray, *, dtypes: dict[str, str]) -> Result:
    """torch.bmm: batches (b, n, k) @ (b, k, m), both 3-D, same batch, one dtype; no broadcasting."""
    if input.ndim != 3 or mat2.ndim != 3:
        raise RuntimeError(f"batch1 must be a 3D tensor and batch2 too, got {input.ndim}-D and {mat2.ndim}-D")
    if input.shape[0] != mat2.shape[0] or input.shape[2] != mat2.shape[1]:
        raise RuntimeError(f"Expected compatible batch shapes, got {input.shape} and {mat2.shape}")
    return _same_dtype_product("mat2", input, mat2, dtypes)


def mv(input: np.ndarray, vec: np.ndarray, *, dtypes: dict[str, str]) -> Result:
    """torch.mv: a 2-D matrix times a 1-D vector, one dtype."""
    if input.ndim != 2 or vec.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got {input.ndim}-D and {vec.ndim}-D")
    if input.shape[1] != vec.shape[0]:
        raise RuntimeError(f"size mismatch, got input {input.shape}, vec {vec.shape}")
    return _same_dtype_product("vec", input, vec, dtypes)


def dot(input: np.ndarray, tensor: np.ndarray, *, dtypes: dict[str, str]) -> Result:
    """torch.dot: the inner product of two 1-D tensors of one size and one dtype (no conjugation)."""
    if input.ndim != 1 or tensor.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.ndim}D and {tensor.ndim}D tensors")
    if input.shape != tensor.shape:
        raise RuntimeError("inconsistent tensor size")
    return _same_dtype_product("tensor", input, tensor, dtypes)
