"""torch.sgn, which a formula cannot write: torch.sign for real inputs, x / |x| for complex ones.

(rsqrt, sigmoid, erf, erfc, sign and frac are formulas in their specs: docs/spec-format.md.)
"""

from __future__ import annotations

import numpy as np

from apicompat.references.core import Result, cast


def sgn(input: np.ndarray, *, dtypes: dict[str, str]) -> Result:
    """torch.sgn: x / |x| for complex inputs (0 for 0, NaN stays NaN); for real ones torch.sign:
    -1, 0 or 1 in the input's dtype, 0 for NaN, bool kept as bool."""
    dtype = dtypes["input"]
    if dtype.startswith("complex"):
        values = cast(input, dtype)
        size = np.abs(values)
        with np.errstate(all="ignore"):
            return Result(np.where(size == 0, 0, values / np.where(size == 0, 1, size)), dtype)
    if dtype == "bool":
        return Result(np.asarray(input).copy(), dtype)
    values = cast(input, dtype)
    signs = (values > 0).astype(np.int64) - (values < 0).astype(np.int64)
    return Result(signs.astype(np.float64 if values.dtype.kind == "f" else values.dtype), dtype)
