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
    SizeArg,
    TensorArg,
    TensorListArg,
)
from apicompat.records.differences import Difference, DiffKind, Reproducer, Severity
from apicompat.records.dtypes import DTYPES, dtype_category
from apicompat.records.errors import ApicompatError, SpecError
from apicompat.records.observations import Observation, Output, Status
from apicompat.records.resolution import Resolution
from apicompat.records.results import (
    DtypeOutcome,
    Evidence,
    Example,
    Faults,
    Overload,
    ParamEvidence,
    ParamInfo,
    ParamRow,
    SignatureInfo,
    SpecResult,
    TargetResult,
    Verdict,
    VerdictKind,
    VersionRun,
)

__all__ = [
    "DTYPES",
    "ApicompatError",
    "ArgValue",
    "Case",
    "DiffKind",
    "Difference",
    "DtypeArg",
    "DtypeOutcome",
    "Evidence",
    "Example",
    "Faults",
    "Implementation",
    "Observation",
    "OutArg",
    "Output",
    "Overload",
    "ParamEvidence",
    "ParamInfo",
    "ParamRow",
    "Reproducer",
    "Resolution",
    "Severity",
    "SignatureInfo",
    "SizeArg",
    "SpecError",
    "SpecResult",
    "Status",
    "TargetResult",
    "TensorArg",
    "TensorListArg",
    "Verdict",
    "VerdictKind",
    "VersionRun",
    "dtype_category",
]
