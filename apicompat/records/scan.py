"""What `apicompat scan` records about a script's torch calls, and the readiness of each API.

A trace holds names, counts and argument *descriptions* (dtypes, shapes, small
non-tensor values), never a tensor's data.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Union

from apicompat.records.differences import Severity
from apicompat.records.results import VerdictKind


@dataclass(frozen=True)
class TensorSeen:
    """A tensor argument as the trace describes it: dtype and shape only."""

    dtype: str
    shape: tuple[int, ...]

    def describe(self) -> str:
        """`float32[4,3,16,16]`."""
        return f"{self.dtype}[{','.join(str(d) for d in self.shape)}]"


@dataclass(frozen=True)
class DtypeSeen:
    """A dtype passed as an argument (`dtype=torch.float32`)."""

    name: str

    def describe(self) -> str:
        """`torch.float32`."""
        return f"torch.{self.name}"


@dataclass(frozen=True)
class OtherSeen:
    """An argument the trace does not describe further (a module, a generator, a callable)."""

    type_name: str

    def describe(self) -> str:
        """`<Generator>`."""
        return f"<{self.type_name}>"


#: One argument as recorded: a tensor's description, a plain value, a tuple of them, or a type name.
ArgSeen = Union[TensorSeen, DtypeSeen, OtherSeen, int, float, bool, str, None, tuple["ArgSeen", ...]]  # noqa: UP007


def describe_seen(value: ArgSeen) -> str:
    """A short label for a recorded argument."""
    if isinstance(value, (TensorSeen, DtypeSeen, OtherSeen)):
        return value.describe()
    if isinstance(value, tuple):
        inner = ", ".join(describe_seen(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    return repr(value)


@dataclass(frozen=True)
class CallSeen:
    """One distinct call signature of an API and how many times the script made it."""

    positional: tuple[ArgSeen, ...]
    keywords: tuple[tuple[str, ArgSeen], ...]
    count: int

    def describe(self) -> str:
        """`(float32[4,3,16,16], float32[8,3,3,3], None, 1, 1, 1, 1)` with keywords after."""
        parts = [describe_seen(v) for v in self.positional]
        parts += [f"{k}={describe_seen(v)}" for k, v in self.keywords]
        return "(" + ", ".join(parts) + ")"


class ApiCategory(str, Enum):
    """What part a traced call plays; only operations and random ones are compared."""

    OPERATION = "operation"  # computes something from its inputs: what a port must map
    RANDOM = "random"  # draws random numbers (dropout, randn in forward): reported, not compared
    CREATION = "creation"  # builds tensors or parameters (empty, zeros, nn.init.*): setup, not compute
    ATTRIBUTE = "attribute"  # reads metadata (shape, dtype, dim(), size()) or converts (item())
    AUTOGRAD = "autograd"  # backward, grad mode switches


@dataclass(frozen=True)
class ApiUse:
    """One public torch API the script called."""

    name: str  # e.g. torch.nn.functional.conv2d, torch.Tensor.add
    category: ApiCategory
    calls: int
    in_forward: int  # calls made while an nn.Module's forward ran
    signatures: tuple[CallSeen, ...]  # distinct ones, most frequent first, at most MAX_SIGNATURES
    lowers_to: tuple[str, ...] = ()  # the ATen operators it dispatched to, sorted


#: Distinct signatures kept per API: enough for a model's layers, bounded for a loop.
MAX_SIGNATURES = 16


@dataclass(frozen=True)
class Trace:
    """Everything the script's run showed: the APIs in first-call order."""

    script: str  # as the user named it
    apis: tuple[ApiUse, ...]
    torch_version: str


@dataclass(frozen=True)
class CandidateReadiness:
    """One MindSpore candidate of a spec, with what its report says."""

    api: str
    verdict: VerdictKind | None  # None: no report read, or the report has no verdict
    verdict_text: str
    severity: Severity | None  # the worst among its differences
    differences: int
    page: str | None  # relative link to the spec's page, when a report was found


@dataclass(frozen=True)
class CallOutcome:
    """How one recorded call signature behaved when run with generated values (`scan --measure`)."""

    call: str  # CallSeen.describe()
    target: str
    outcome: str  # "consistent", "differs: ...", "target raises: ...", "both raise: ...", "not run: ..."
    severity: Severity | None = None


@dataclass(frozen=True)
class ApiReadiness:
    """One traced API: which spec measures it (if any), and each candidate's standing."""

    use: ApiUse
    spec_id: str | None
    matched_as: str  # how the spec was found: "source", "method", "same name", "" when unmatched
    candidates: tuple[CandidateReadiness, ...] = ()
    init_command: str | None = None  # for an operation no spec measures
    measured_calls: tuple[CallOutcome, ...] = ()


@dataclass(frozen=True)
class Readiness:
    """The readiness of one script: every traced API, and what the report is built from."""

    trace: Trace
    apis: tuple[ApiReadiness, ...]
    reports_dir: str  # where verdicts were read (as given), for the page links
    measured_run: bool  # whether `--measure` ran the script's own call signatures
    report_problems: tuple[tuple[str, str], ...] = ()  # spec id -> why its report could not be read
