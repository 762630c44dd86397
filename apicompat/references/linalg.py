"""References for linear algebra NumPy has no single call for: the add-product family (addmm, baddbmm,
addbmm, addmv, addr), cdist, matrix_norm.

The determinant, inverse, slogdet, matrix_power, solve and cholesky are declarative
(`numpy.linalg.*`); these encode torch's extra rules: `beta * input + alpha * product`
with input broadcast to the product's shape and ignored when `beta == 0`, one dtype
for every operand (addr alone promotes), and integer scalars truncated.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from apicompat.records.dtypes import dtype_category
from apicompat.references.core import Result, exact, require_category, widen
from apicompat.references.promotion import result_type

_LINALG_FLOATS = ("float32", "float64", "complex64", "complex128")


def _wide(values: np.ndarray, dtype: str) -> np.ndarray:
    """Values in the type the product is computed in: int64, float64 or complex128."""
    kind = dtype_category(dtype)
    wide = np.int64 if kind in ("int", "bool") else (np.complex128 if kind == "complex" else np.float64)
    return np.asarray(values).astype(wide)


def _one_dtype(api: str, dtypes: dict[str, str], names: Sequence[str]) -> str:
    """The operands' common dtype; torch raises when they differ, and has no bool kernel."""
    found = [dtypes[n] for n in names]
    if len(set(found)) > 1:
        raise RuntimeError(f"{api}: input tensors must have the same dtype, got {', '.join(found)}")
    if dtype_category(found[0]) == "bool":
        raise NotImplementedError(f"\"{api}\" not implemented for 'Bool'")
    return found[0]


def _scaled_sum(
    api: str, input: np.ndarray, product: np.ndarray, beta: float, alpha: float, dtype: str
) -> Result:
    """beta * input + alpha * product in `dtype`; input broadcasts to the product's shape only."""
    if input.ndim > product.ndim or np.broadcast_shapes(input.shape, product.shape) != product.shape:
        raise RuntimeError(
            f"{api}: input of shape {list(input.shape)} does not expand to {list(product.shape)}"
        )
    integral = dtype_category(dtype) in ("int", "bool")
    if integral:
        # torch converts alpha and beta to the integer dtype (0.5 becomes 0).
        beta, alpha = int(beta), int(alpha)
    with np.errstate(all="ignore"):
        scaled = alpha * product
        # beta == 0 ignores input entirely: its NaN and inf do not propagate.
        values = scaled if beta == 0 else beta * _wide(input, dtype) + scaled
        values = np.broadcast_to(values, product.shape)
    return Result(exact(np.asarray(values), dtype) if integral else np.asarray(values), dtype)


def addmm(
    input: np.ndarray,
    mat1: np.ndarray,
    mat2: np.ndarray,
    *,
    beta: float = 1,
    alpha: float = 1,
    dtypes: dict[str, str],
) -> Result:
    """torch.addmm: beta * input + alpha * (mat1 @ mat2) for 2-D mat1 and mat2; input broadcasts to
    the product's shape, every operand has one dtype, bool is not implemented."""
    dtype = _one_dtype("addmm", dtypes, ("input", "mat1", "mat2"))
    if mat1.ndim != 2 or mat2.ndim != 2:
        raise RuntimeError(f"addmm: expected 2-D mat1 and mat2, got {mat1.ndim}-D and {mat2.ndim}-D")
    if mat1.shape[1] != mat2.shape[0]:
        raise RuntimeError(f"addmm: shapes {list(mat1.shape)} and {list(mat2.shape)} cannot be multiplied")
    with np.errstate(all="ignore"):
        product = _wide(mat1, dtype) @ _wide(mat2, dtype)
    return _scaled_sum("addmm", input, product, beta, alpha, dtype)


def baddbmm(
    input: np.ndarray,
    batch1: np.ndarray,
    batch2: np.ndarray,
    *,
    beta: float = 1,
    alpha: float = 1,
    dtypes: dict[str, str],
) -> Result:
    """torch.baddbmm: beta * input + alpha * (batch1 @ batch2) for 3-D batches (b, n, m) @ (b, m, p);
    input broadcasts to (b, n, p), every operand has one dtype, bool is not implemented."""
    dtype = _one_dtype("baddbmm", dtypes, ("input", "batch1", "batch2"))
    if batch1.ndim != 3 or batch2.ndim != 3:
        raise RuntimeError(f"batch1 must be a 3D tensor, got {batch1.ndim}-D and {batch2.ndim}-D")
    if batch1.shape[0] != batch2.shape[0] or batch1.shape[2] != batch2.shape[1]:
        raise RuntimeError(f"Expected compatible batches, got {list(batch1.shape)} and {list(batch2.shape)}")
    with np.errstate(all="ignore"):
        product = np.matmul(_wide(batch1, dtype), _wide(batch2, dtype))
    return _scaled_sum("baddbmm", input, product, beta, alpha, dtype)


def addbmm(
    input: np.ndarray,
    batch1: np.ndarray,
    batch2: np.ndarray,
    *,
    beta: float = 1,
    alpha: float = 1,
    dtypes: dict[str, str],
) -> Result:
    """torch.addbmm: beta * input + alpha * sum over the batch of batch1[i] @ batch2[i]; input
    broadcasts to (n, p), every operand has one dtype, bool is not implemented."""
    dtype = _one_dtype("addbmm", dtypes, ("input", "batch1", "batch2"))
    if batch1.ndim != 3 or batch2.ndim != 3:
        raise RuntimeError(f"batch1 must be a 3D tensor, got {batch1.ndim}-D and {batch2.ndim}-D")
    if batch1.shape[0] != batch2.shape[0] or batch1.shape[2] != batch2.shape[1]:
        raise RuntimeError(f"Expected compatible batches, got {list(batch1.shape)} and {list(batch2.shape)}")
    with np.errstate(all="ignore"):
        product = np.matmul(_wide(batch1, dtype), _wide(batch2, dtype)).sum(axis=0)
    return _scaled_sum("addbmm", input, product, beta, alpha, dtype)


def addmv(
    input: np.ndarray,
    mat: np.ndarray,
    vec: np.ndarray,
    *,
    beta: float = 1,
    alpha: float = 1,
    dtypes: dict[str, str],
) -> Result:
    """torch.addmv: beta * input + alpha * (mat @ vec) for a 2-D mat and a 1-D vec; input broadcasts
    to (n,), every operand has one dtype, bool is not implemented."""
    dtype = _one_dtype("addmv", dtypes, ("input", "mat", "vec"))
    if mat.ndim != 2 or vec.ndim != 1 or mat.shape[1] != vec.shape[0]:
        raise RuntimeError(f"vector + matrix @ vector expected, got {list(mat.shape)} and {list(vec.shape)}")
    with np.errstate(all="ignore"):
        product = _wide(mat, dtype) @ _wide(vec, dtype)
    return _scaled_sum("addmv", input, product, beta, alpha, dtype)


def addr(
    input: np.ndarray,
    vec1: np.ndarray,
    vec2: np.ndarray,
    *,
    beta: float = 1,
    alpha: float = 1,
    dtypes: dict[str, str],
) -> Result:
    """torch.addr: beta * input + alpha * outer(vec1, vec2); unlike its siblings it promotes the
    three dtypes (bool stays bool: or of and), and integer results refuse a float alpha or beta."""
    if vec1.ndim != 1 or vec2.ndim != 1:
        raise RuntimeError(f"addr: Expected 1-D arguments vec1 and vec2, got {vec1.ndim}-D and {vec2.ndim}-D")
    dtype = result_type(
        {n: (dtypes[n], a.ndim) for n, a in (("input", input), ("vec1", vec1), ("vec2", vec2))}, []
    )
    if dtype_category(dtype) in ("int", "bool"):
        for name, value in (("beta", beta), ("alpha", alpha)):
            if isinstance(value, float):
                raise RuntimeError(
                    f"For integral input tensors, argument {name} must not be a floating point number."
                )
    with np.errstate(all="ignore"):
        product = np.outer(_wide(vec1, dtype), _wide(vec2, dtype))
    return _scaled_sum("addr", input, product, beta, alpha, dtype)


def cdist(
    x1: np.ndarray,
    x2: np.ndarray,
    p: float = 2.0,
    compute_mode: str = "use_mm_for_euclid_dist_if_necessary",
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.cdist: the p-norm distance between each row of x1 (..., P, M) and each of x2 (..., R, M),
    batch dimensions broadcast; float32 and float64 only, one dtype, p >= 0 (p=0 counts differences)."""
    for name in ("x1", "x2"):
        if dtypes[name] not in ("float32", "float64"):
            raise RuntimeError(f"cdist only supports floating-point dtypes, {name} got: {dtypes[name]}")
    if dtypes["x1"] != dtypes["x2"]:
        raise RuntimeError(f"expected scalar type {dtypes['x1']} but found {dtypes['x2']}")
    if x1.ndim < 2 or x2.ndim < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, got {x1.ndim}D and {x2.ndim}D")
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(
            f"X1 and X2 must have the same number of columns, got {x1.shape[-1]} and {x2.shape[-1]}"
        )
    if p < 0:
        raise RuntimeError("cdist only supports non-negative p values")
    diff = np.abs(widen(x1, "float64")[..., :, None, :] - widen(x2, "float64")[..., None, :, :])
    with np.errstate(all="ignore"):
        if p == 0:
            values = (diff != 0).sum(axis=-1).astype(np.float64)
        elif np.isinf(p):
            values = diff.max(axis=-1, initial=0.0)
        else:
            values = (diff**p).sum(axis=-1) ** (1.0 / p)
    return Result(np.asarray(values), dtypes["x1"])


def matrix_norm(
    A: np.ndarray,
    ord: str | float = "fro",
    dim: Sequence[int] = (-2, -1),
    keepdim: bool = False,
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.linalg.matrix_norm: the Frobenius, nuclear or induced norm over two dimensions of a
    float or complex tensor, as a real tensor; 'fro' takes float16/bfloat16, the others do not, and
    an empty matrix has norm 0."""
    given = dtypes["A"]
    require_category("A", given, ("float", "complex"), "linalg.matrix_norm")
    if A.ndim < 2:
        raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 dimensions.")
    if ord != "fro" and given in ("float16", "bfloat16"):
        raise RuntimeError(f"linalg.matrix_norm: Low precision dtypes not supported. Got {given}")
    real = {"complex64": "float32", "complex128": "float64"}.get(given, given)
    axes = tuple(int(d) % A.ndim for d in dim)
    values = widen(A, given)
    if values.size == 0:
        # NumPy's SVD refuses an empty matrix; torch's nuclear norm of one is 0, as the Frobenius is.
        values = np.zeros(tuple(1 if i in axes else s for i, s in enumerate(values.shape)))
        values = values if keepdim else values.sum(axis=axes)
        return Result(values, real)
    order: Any = ord  # an option string ('fro', 'nuc') or a number, as NumPy takes it
    with np.errstate(all="ignore"):
        norm = np.linalg.norm(values, ord=order, axis=axes, keepdims=keepdim)
    return Result(np.abs(np.asarray(norm)).astype(np.float64), real)


def solve(A: np.ndarray, B: np.ndarray, *, dtypes: dict[str, str]) -> Result:
    """torch.linalg.solve (left=True): X with A X = B; B is a vector, or a batch of vectors, when it
    is 1-D or has A's shape without the last dimension (NumPy 2 reads the latter as matrices); A and
    B share one float32/float64/complex dtype; a singular A raises."""
    dtype = dtypes["A"]
    if dtype_category(dtype) in ("bool", "int"):
        raise RuntimeError(f"linalg.solve: Expected a floating point or complex tensor as input. Got {dtype}")
    if dtype not in _LINALG_FLOATS:
        raise NotImplementedError(f'"lu_cpu" not implemented for {dtype}')
    if dtypes["B"] != dtype:
        raise RuntimeError(
            f"linalg.solve: Expected A and B to have the same dtype, got {dtype} and {dtypes['B']}"
        )
    if A.ndim < 2 or A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"linalg.solve: A must be batches of square matrices, got {list(A.shape)}")
    vector = B.ndim == 1 or (B.ndim == A.ndim - 1 and B.shape == A.shape[:-1])
    a, b = widen(A, dtype), widen(B, dtype)
    if vector:
        return Result(np.linalg.solve(a, b[..., None])[..., 0], dtype)
    return Result(np.linalg.solve(a, b), dtype)


def logdet(input: np.ndarray, *, dtypes: dict[str, str]) -> Result:
    """torch.logdet: log(det(A)) of a square matrix or each of a batch: NaN for a negative real
    determinant, -inf for a singular matrix, log|det| + i arg(det) for complex ones; float32,
    float64 and complex only (others raise RuntimeError, as torch's linalg checks do)."""
    dtype = dtypes["input"]
    if dtype not in _LINALG_FLOATS:
        raise RuntimeError(f"logdet: Expected a floating point or complex tensor as input. Got {dtype}")
    if input.ndim < 2 or input.shape[-1] != input.shape[-2]:
        raise RuntimeError(f"logdet: A must be batches of square matrices, got {list(input.shape)}")
    sign, logabs = np.linalg.slogdet(widen(input, dtype))
    if dtype_category(dtype) == "complex":
        with np.errstate(divide="ignore"):
            return Result(np.asarray(logabs + np.log(sign)), dtype)
    return Result(np.asarray(np.where(sign < 0, np.nan, logabs)), dtype)
