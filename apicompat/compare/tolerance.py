"""Tolerances chosen by the compared dtype, after torch.testing.assert_close's defaults."""

from __future__ import annotations

from collections.abc import Mapping

from apicompat.records.dtypes import DTYPES

# (rtol, atol) per dtype, as torch.testing.assert_close uses them; integers are exact.
DEFAULT_TOLERANCES: dict[str, tuple[float, float]] = {
    "float16": (1e-3, 1e-5),
    "bfloat16": (1.6e-2, 1e-5),
    "float32": (1.3e-6, 1e-5),
    "float64": (1e-7, 1e-7),
    "complex64": (1.3e-6, 1e-5),
    "complex128": (1e-7, 1e-7),
}

_PRECISION_ORDER = {name: i for i, name in enumerate(DTYPES)}


def tolerance_for(
    dtype: str, overrides: Mapping[str, tuple[float, float]] | None = None
) -> tuple[float, float]:
    """(rtol, atol) for values compared in `dtype`; a spec's overrides win."""
    if overrides and dtype in overrides:
        return overrides[dtype]
    return DEFAULT_TOLERANCES.get(dtype, (0.0, 0.0))


def looser(a: str, b: str) -> str:
    """Of two dtypes, the one whose tolerance is looser (compare at the coarser precision)."""
    ta, tb = tolerance_for(a), tolerance_for(b)
    if ta != tb:
        return a if ta > tb else b
    return a if _PRECISION_ORDER.get(a, 0) <= _PRECISION_ORDER.get(b, 0) else b
