"""The dtype vocabulary: framework-neutral names and their NumPy carriers."""

from __future__ import annotations

import numpy as np

#: Every dtype a case may use, in the order reports list them.
DTYPES: tuple[str, ...] = (
    "bool",
    "uint8",
    "int8",
    "int16",
    "int32",
    "int64",
    "float16",
    "bfloat16",
    "float32",
    "float64",
    "complex64",
    "complex128",
)

# NumPy has no bfloat16: its values travel as float32 already rounded to bfloat16.
_CARRIER = {name: name for name in DTYPES} | {"bfloat16": "float32"}


def carrier(dtype: str) -> np.dtype[np.generic]:
    """The NumPy dtype that holds values of `dtype` exactly."""
    return np.dtype(_CARRIER[dtype])


def dtype_category(dtype: str) -> str:
    """One of bool, int, float, complex."""
    if dtype == "bool":
        return "bool"
    if dtype.startswith(("int", "uint")):
        return "int"
    if dtype.startswith("complex"):
        return "complex"
    return "float"


def round_to_bfloat16(values: np.ndarray) -> np.ndarray:
    """Round float32 values to the nearest bfloat16 (ties to even), kept as float32."""
    values = np.asarray(values, dtype=np.float32)
    bits = values.reshape(-1).view(np.uint32)
    nan = np.isnan(values)
    rounding = ((bits >> 16) & 1) + 0x7FFF
    rounded = ((bits + rounding) & 0xFFFF0000).astype(np.uint32)
    out = rounded.view(np.float32).reshape(values.shape)
    out[nan] = np.copysign(np.float32(np.nan), values[nan])  # NaN keeps its sign bit (torch.signbit)
    return out


def from_numpy_dtype(dtype: np.dtype[np.generic]) -> str:
    """The vocabulary name of a NumPy dtype; raises ValueError for others."""
    name = np.dtype(dtype).name
    if name not in DTYPES:
        raise ValueError(f"dtype {name} is not in apicompat's vocabulary {DTYPES}")
    return name
