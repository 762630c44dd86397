"""Counting references: torch.bincount and torch.histc, whose dtypes and edge rules NumPy's lack."""

from __future__ import annotations

import numpy as np

from apicompat.records.dtypes import dtype_category
from apicompat.references.core import Result


def bincount(
    input: np.ndarray, weights: np.ndarray | None = None, minlength: int = 0, *, dtypes: dict[str, str]
) -> Result:
    """torch.bincount: how often each value 0..max occurs in a 1-D non-negative integer tensor.

    Without weights the counts are int64; with weights, the weights summed per value, float32 for
    float32 weights and float64 for every other dtype (torch's CPU kernel). A float or bool input,
    a negative value or a negative minlength raises RuntimeError.
    """
    if input.ndim != 1 or dtype_category(dtypes["input"]) != "int":
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    values = input.astype(np.int64)
    if values.size and values.min() < 0:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if weights is None:
        return Result(np.bincount(values, minlength=minlength).astype(np.int64), "int64")
    if weights.shape != input.shape:
        raise RuntimeError("weights should be 1-d and have the same length as input")
    out_dtype = "float32" if dtypes["weights"] == "float32" else "float64"
    wide = weights.real.astype(np.float64)
    return Result(np.bincount(values, weights=wide, minlength=minlength), out_dtype)


def histc(
    input: np.ndarray, bins: int = 100, min: float = 0, max: float = 0, *, dtypes: dict[str, str]
) -> Result:
    """torch.histc: counts of the elements in `bins` equal-width bins over [min, max], in the input's
    float dtype; min == max means the data's own range (widened by 1 each way if it is one value).
    Elements outside the range are ignored; the last bin includes max. Integer inputs, bins <= 0,
    min > max and a non-finite range raise RuntimeError."""
    dtype = dtypes["input"]
    if dtype_category(dtype) != "float":
        raise RuntimeError(f"\"histogram_cpu\" not implemented for '{dtype}'")
    if bins <= 0:
        raise RuntimeError(f"torch.histc(): bins must be > 0, but got {bins} for dimension 0")
    if min > max:
        raise RuntimeError("torch.histc(): max must be larger than min")
    low, high = float(min), float(max)
    values = input.reshape(-1).astype(np.float64)
    if low == high and values.size:
        low, high = float(values.min()), float(values.max())
    if low == high:
        low, high = low - 1, high + 1
    if not (np.isfinite(low) and np.isfinite(high)):
        raise RuntimeError(f"torch.histc(): range of [{low}, {high}] is not finite")
    kept = values[(values >= low) & (values <= high)]
    counts, _ = np.histogram(kept, bins=bins, range=(low, high))
    return Result(counts.astype(np.float64), dtype)
