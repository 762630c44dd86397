"""References for matrix decompositions whose factors torch defines only up to sign: QR and SVD.

NumPy computes the factors (LAPACK, as torch does); the specs mark Q's columns, R's rows
and the singular vectors `up_to_sign`, so every side is put in one canonical sign before
it is compared (apicompat.records.canonical). What these add is torch's shapes for each
mode, its dtype rules (float and complex only; S is real) and its errors.
"""

from __future__ import annotations

import numpy as np

from apicompat.records.dtypes import dtype_category
from apicompat.references.core import Result, widen

_NAMES = {"float16": "Half", "bfloat16": "BFloat16"}


def _matrix_input(api: str, kernel: str, A: np.ndarray, dtype: str) -> np.ndarray:
    """A batch of matrices in float64 or complex128, after torch's dtype and rank checks."""
    kind = dtype_category(dtype)
    if kind not in ("float", "complex"):
        raise RuntimeError(f"{api}: Expected a floating point or complex tensor as input. Got {dtype}")
    if dtype in _NAMES:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_NAMES[dtype]}'")
    if A.ndim < 2:
        raise RuntimeError(f"{api}: The input tensor A must have at least 2 dimensions.")
    return widen(A, dtype)


def linalg_qr(A: np.ndarray, mode: str = "reduced", *, dtypes: dict[str, str]) -> tuple[Result, Result]:
    """torch.linalg.qr: Q, R with A = Q @ R. 'reduced': Q (m, k), R (k, n) with k = min(m, n);
    'complete': Q (m, m), R (m, n); 'r': R as 'reduced' gives it and an empty Q of shape (0,)."""
    dtype = dtypes["A"]
    if mode not in ("reduced", "complete", "r"):
        raise RuntimeError(
            f"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), "
            "'r', or 'complete'"
        )
    x = _matrix_input("linalg.qr", "geqrf_cpu", A, dtype)
    q, r = np.linalg.qr(x, mode="complete" if mode == "complete" else "reduced")
    if mode == "r":
        q = np.zeros((0,), dtype=x.dtype)
    return Result(q, dtype), Result(r, dtype)


def qr(input: np.ndarray, some: bool = True, *, dtypes: dict[str, str]) -> tuple[Result, Result]:
    """torch.qr (deprecated): torch.linalg.qr with mode 'reduced' when some, else 'complete'."""
    return linalg_qr(input, "reduced" if some else "complete", dtypes={"A": dtypes["input"]})


def svd(
    input: np.ndarray, some: bool = True, compute_uv: bool = True, *, dtypes: dict[str, str]
) -> tuple[Result, Result, Result]:
    """torch.svd (deprecated for torch.linalg.svd): U, S, V (not Vh) with input = U @ diag(S) @ V^H,
    S real and descending; some gives the reduced factors; compute_uv=False still returns U (m, m)
    and V (n, n), zero-filled, beside S."""
    dtype = dtypes["input"]
    x = _matrix_input("linalg.svd", "linalg_svd_cpu", input, dtype)
    real = {"complex64": "float32", "complex128": "float64"}.get(dtype, dtype)
    if not compute_uv:
        s = np.linalg.svd(x, compute_uv=False)
        m, n = x.shape[-2:]
        u = np.zeros((*x.shape[:-2], m, m), dtype=x.dtype)
        v = np.zeros((*x.shape[:-2], n, n), dtype=x.dtype)
    else:
        u, s, vh = np.linalg.svd(x, full_matrices=not some)
        v = np.conj(np.swapaxes(vh, -1, -2))
    return Result(u, dtype), Result(s, real), Result(v, dtype)
