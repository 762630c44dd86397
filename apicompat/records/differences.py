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
    INPUT_DTYPE_SUPPORT = "input_dtype_support"
    OUTPUT_DTYPE = "output_dtype"
    SHAPE_SUPPORT = "shape_support"
    VALUE_MISMATCH = "value_mismatch"
    SPECIAL_VALUES = "special_values"
    ERROR_BEHAVIOR = "error_behavior"
    DEVICE_SUPPORT = "device_support"


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
    details: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def key(self, spec_id: str, target: str) -> str:
        """A stable key for baselines: spec, target, kind and subject."""
        return f"{spec_id}::{target}::{self.kind.value}::{self.subject}"
