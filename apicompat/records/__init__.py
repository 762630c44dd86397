"""Plain data shared by every layer: cases, observations, differences, errors.

The records layer imports only the standard library and NumPy.
"""

from __future__ import annotations

from apicompat.records.cases import (
    ArgValue,
    Case,
    DtypeArg,
    Implementation,
    OutArg,
    TensorArg,
    TensorListArg,
)
from apicompat.records.differences import Difference, DiffKind, Reproducer
from apicompat.records.dtypes import DTYPES, dtype_category
from apicompat.records.errors import ApicompatError, SpecError
from apicompat.records.observations import Observation, Output, Status
from apicompat.records.results import Example, ParamInfo, SignatureInfo, SpecResult, TargetResult

__all__ = [
    "DTYPES",
    "ApicompatError",
    "ArgValue",
    "Case",
    "DiffKind",
    "Difference",
    "DtypeArg",
    "Example",
    "Implementation",
    "Observation",
    "OutArg",
    "Output",
    "ParamInfo",
    "Reproducer",
    "SignatureInfo",
    "SpecError",
    "SpecResult",
    "Status",
    "TargetResult",
    "TensorArg",
    "TensorListArg",
    "dtype_category",
]
