"""torch.addmm: a matrix product added to a scaled input, beta * input + alpha * (mat1 @ mat2).

NumPy's matmul computes the product; these add torch's checks (one dtype for every
operand, the operands' ranks) and its scalar rules (beta = 0 ignores input, NaN included;
integer results truncate float scales).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from apicompat.records.dtypes import dtype_category
from apicompat.references.core import Result, cast, exact


def _scaled_product(
    api: str,
    input: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    ranks: tuple[int, int],
    beta: Any,
    alpha: Any,
    dtypes: dict[str, str],
    names: tuple[str, str],
) -> Result:
    """beta * input + alpha * (left @ right) in the operands' one dtype, as torch computes it."""
    dtype = dtypes["input"]
    for name in names:
        if dtypes[name] != dtype:
            raise RuntimeError(
                f"{api}: self and {name} must have the same dtype, but got {dtype} and {dtypes[name]}"
            )
    if dtype_category(dtype) == "bool":
        raise NotImplementedError(f"\"{api}_impl_cpu_\" not implemented for 'Bool'")
    if (left.ndim, right.ndim) != ranks:
        raise RuntimeError(
            f"{api}: expected {ranks[0]}-D and {ranks[1]}-D operands, got {left.ndim}-D and {right.ndim}-D"
        )
    if left.shape[1] != right.shape[0]:
        raise RuntimeError(f"{api}: shapes {left.shape} and {right.shape} cannot be multiplied")
    integer = dtype_category(dtype) == "int"
    # torch converts the scales to the result's type: an integer result truncates 0.5 to 0.
    b, a = (int(s) if integer else s for s in (beta, alpha))
    wide = (lambda v: np.asarray(v).astype(np.int64)) if integer else (lambda v: cast(v, dtype))
    with np.errstate(all="ignore"):
        product = a * np.matmul(wide(left), wide(right))
        shape = product.shape
        try:
            base = np.broadcast_to(wide(input), shape)
        except ValueError:
            raise RuntimeError(f"{api}: input of shape {input.shape} does not broadcast to {shape}") from None
        total = product if b == 0 else product + b * base  # beta = 0: input is not read (NaN ignored)
    return Result(exact(np.asarray(total), dtype), dtype)


def addmm(
    input: np.ndarray,
    mat1: np.ndarray,
    mat2: np.ndarray,
    beta: Any = 1,
    alpha: Any = 1,
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.addmm: beta * input + alpha * (mat1 @ mat2) for 2-D mat1 and mat2; input broadcasts to
    the product's shape, every operand has one dtype, bool is not implemented."""
    return _scaled_product("addmm", input, mat1, mat2, (2, 2), beta, alpha, dtypes, ("mat1", "mat2"))
