"""Scans: running results along one dimension."""

from __future__ import annotations

import numpy as np

from apicompat.references.core import Result, check_axis, sum_dtype, widen


def cumsum(input: np.ndarray, dim: int, dtype: str | None = None, *, dtypes: dict[str, str]) -> Result:
    """torch.cumsum: the running sum along `dim`."""
    out_dtype = dtype or sum_dtype(dtypes["input"])
    if out_dtype == "bool":
        raise NotImplementedError("\"cumsum_out_cpu\" not implemented for 'Bool'")
    axis = check_axis(dim, input.ndim)
    values = widen(input, out_dtype)
    if values.ndim == 0:
        return Result(values.copy(), out_dtype)
    with np.errstate(over="ignore"):
        return Result(np.cumsum(values, axis=axis, dtype=values.dtype), out_dtype)
