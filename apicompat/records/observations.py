"""Observations: what one callable did on one case on one device."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

import numpy as np


class Status(str, Enum):
    """How a call ended."""

    OK = "ok"  # returned; outputs hold the results
    ERROR = "error"  # raised an exception (attributed to this case, even if deferred)
    CRASH = "crash"  # the worker process died on this case (segfault, abort, exit)
    TIMEOUT = "timeout"  # the case passed its time limit; the worker was restarted
    NOT_RUN = "not_run"  # a parameter the case gives has no counterpart here
    UNAVAILABLE = "unavailable"  # the device (or framework) is not available


@dataclass(frozen=True, eq=False)
class Output:
    """One output tensor: its dtype name, shape, and values in a NumPy carrier."""

    dtype: str
    shape: tuple[int, ...]
    values: np.ndarray

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Output):
            return NotImplemented
        return (
            self.dtype == other.dtype
            and self.shape == other.shape
            and np.array_equal(self.values, other.values, equal_nan=self.values.dtype.kind in "fc")
        )

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Observation:
    """The result of running one case with one callable on one device."""

    case_id: str
    target: str  # implementation key, e.g. "mindspore.ops.cumsum"
    device: str
    status: Status
    outputs: tuple[Output, ...] = ()
    error_type: str | None = None
    error_message: str | None = None
    seconds: float = field(default=0.0, compare=False)

    @property
    def ok(self) -> bool:
        """True when the call returned."""
        return self.status is Status.OK
