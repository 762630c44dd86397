"""Differences: the fixed vocabulary of what can differ between two implementations."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class DiffKind(str, Enum):
    """Kinds of difference; the values are the JSON vocabulary."""

    PARAM_NAME = "param_name"
    PARAM_ONLY_IN_ONE = "param_only_in_one"
    PARAM_DEFAULT = "param_default"
    PARAM_VALUE_SUPPORT = "param_value_support"
    INPUT_DTYPE_SUPPORT = "input_dtype_support"
    OUTPUT_DTYPE = "output_dtype"
    OUTPUT_STRUCTURE = "output_structure"
    SHAPE_SUPPORT = "shape_support"
    VALUE_MISMATCH = "value_mismatch"
    PRECISION = "precision"
    ORDERING = "ordering"
    SPECIAL_VALUES = "special_values"
    ERROR_BEHAVIOR = "error_behavior"
    DEVICE_SUPPORT = "device_support"


class Severity(str, Enum):
    """What a difference does to a port; the values are the JSON vocabulary (docs/report-format.md)."""

    SILENT = "silent"  # returns something different on valid input, with no error
    LOUD = "loud"  # raises where the source returns on valid input
    INTERFACE = "interface"  # names, defaults, one-sided optional parameters: no measured effect
    MINOR = "minor"  # exception class or message on input both reject, leniency, sign of zero

    @property
    def rank(self) -> int:
        """0 for the worst (silent) to 3 for the mildest (minor): sort keys put hazards first."""
        return _SEVERITY_ORDER.index(self)


_SEVERITY_ORDER = (Severity.SILENT, Severity.LOUD, Severity.INTERFACE, Severity.MINOR)


@dataclass(frozen=True)
class Reproducer:
    """One short runnable script per side, and what each printed when it was run."""

    source: str
    target: str
    source_output: str | None = None
    target_output: str | None = None


@dataclass(frozen=True)
class Difference:
    """One measured difference between the source API and a target, with evidence."""

    kind: DiffKind
    summary: str
    subject: str  # what it is about: a parameter, a dtype set, a case facet; keys baselines
    source_param: str | None = None
    target_param: str | None = None
    dtypes: tuple[str, ...] = ()
    cases: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    device: str | None = None
    reproducer: Reproducer | None = None
    accepted: str | None = None  # the spec's reason, when this difference is accepted
    severity: Severity = Severity.MINOR  # set by apicompat.classify.severity
    explained_by: str | None = None  # the key of the difference that causes this one
    case_count: int = 0  # every case that showed it; `cases` lists at most a few dozen
    # Every case id, for linking causes within one run (not written to reports: `cases` is the evidence).
    all_cases: tuple[str, ...] = field(default=(), compare=False, repr=False)
    details: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def key(self, spec_id: str, target: str) -> str:
        """A stable key for baselines: spec, target, kind and subject."""
        return f"{spec_id}::{target}::{self.kind.value}::{self.subject}"
