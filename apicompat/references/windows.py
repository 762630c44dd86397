"""Window functions (torch.hann_window, ...): NumPy's symmetric windows, made periodic as torch's are.

torch's default `periodic=True` window of length N is the symmetric window of length N + 1 without
its last value (the form a DFT wants); NumPy (numpy.hanning, ...) gives the symmetric one only.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from apicompat.records.dtypes import dtype_category
from apicompat.references.core import Result
from apicompat.references.declarative import DEFAULT_DTYPE


def bartlett_window(
    window_length: int, periodic: bool = True, *, dtype: str | None = None, dtypes: dict[str, str]
) -> Result:
    """torch.bartlett_window: the triangular window 1 - |2n / (N - 1) - 1|, periodic by default."""
    return _window(np.bartlett, window_length, periodic, dtype, "bartlett_window")


def blackman_window(
    window_length: int, periodic: bool = True, *, dtype: str | None = None, dtypes: dict[str, str]
) -> Result:
    """torch.blackman_window: 0.42 - 0.5 cos(2 pi n / (N - 1)) + 0.08 cos(4 pi n / (N - 1)), periodic."""
    return _window(np.blackman, window_length, periodic, dtype, "blackman_window")


def hann_window(
    window_length: int, periodic: bool = True, *, dtype: str | None = None, dtypes: dict[str, str]
) -> Result:
    """torch.hann_window: 0.5 - 0.5 cos(2 pi n / (N - 1)), periodic by default."""
    return _window(np.hanning, window_length, periodic, dtype, "hann_window")


def hamming_window(
    window_length: int, periodic: bool = True, *, dtype: str | None = None, dtypes: dict[str, str]
) -> Result:
    """torch.hamming_window with its default alpha=0.54, beta=0.46: 0.54 - 0.46 cos(2 pi n / (N - 1))."""
    return _window(np.hamming, window_length, periodic, dtype, "hamming_window")


def _window(
    symmetric: Callable[[int], np.ndarray], length: int, periodic: bool, dtype: str | None, api: str
) -> Result:
    """The window in torch's dtype (float32 by default; floating dtypes only).

    A negative length raises; length 0 is empty and length 1 is [1.0], periodic or not.
    """
    out_dtype = dtype or DEFAULT_DTYPE
    if dtype_category(out_dtype) != "float":
        raise RuntimeError(f"{api} expects floating point dtypes, got: {out_dtype}")
    if length < 0:
        raise RuntimeError(f"{api} requires non-negative window_length, got window_length={length}")
    if length <= 1:
        return Result(np.ones(length, dtype=np.float64), out_dtype)
    values = symmetric(length + 1)[:-1] if periodic else symmetric(length)
    return Result(np.asarray(values, dtype=np.float64), out_dtype)
