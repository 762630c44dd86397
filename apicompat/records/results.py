"""What a run of one spec produced, in the form every report writer consumes."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple

from apicompat.records.differences import Difference, Severity


@dataclass(frozen=True)
class ParamInfo:
    """One parameter of a live signature."""

    name: str
    kind: str  # inspect's kind name: POSITIONAL_ONLY, POSITIONAL_OR_KEYWORD, KEYWORD_ONLY, VAR_*
    default: str | None  # repr of the default; None when required


@dataclass(frozen=True)
class Overload:
    """One overload of a callable (torch documents `max(input)` and `max(input, dim, ...)` apart)."""

    text: str  # e.g. "torch.max(input, dim, keepdim=False, *, out=None) -> (Tensor, LongTensor)"
    params: tuple[ParamInfo, ...]
    origin: str  # "docstring" | "schema" (an ATen schema torch registers)
    covered: bool = True  # whether the spec's cases exercise it (set by the pipeline)


@dataclass(frozen=True)
class SignatureInfo:
    """A callable's signature and where it was read from (inspect, docstring, spec)."""

    api: str
    params: tuple[ParamInfo, ...]
    origin: str  # "inspect" | "docstring" | "spec"
    text: str  # e.g. "torch.cumsum(input, dim, *, dtype=None, out=None)"
    overloads: tuple[Overload, ...] = ()  # empty: one form; else every form, `params` the general one


@dataclass(frozen=True)
class Example:
    """A code example that was run: the script and what it printed, per side."""

    title: str
    description: str
    source_code: str
    target_code: str
    source_output: str
    target_output: str


class ParamRow(NamedTuple):
    """One row of a page's parameter table: a canonical parameter as each side names it."""

    canonical: str
    source: str | None
    target: str | None
    note: str
    checked: str = ""  # how the names were verified: "call" (a keyword call ran), "signature", or ""


class VerdictKind(str, Enum):
    """The official mapping table's vocabulary, as JSON values."""

    CONSISTENT = "consistent"
    CONSISTENT_INTERFACE = "consistent_interface"  # only names, defaults or a one-sided parameter differ
    DIFFERS = "differs"
    NOT_RUNNABLE = "not_runnable"  # the target raises on every valid case on a device
    NOT_MEASURED = "not_measured"  # nothing above minor, but the evidence ledger has gaps


@dataclass(frozen=True)
class Verdict:
    """A target's verdict in one sentence, and the worst severity among its unexplained differences."""

    kind: VerdictKind
    text: str  # e.g. "Consistent, but parameter names differ" or "Differs: int8 sums wrap around"
    severity: Severity | None = None


@dataclass(frozen=True)
class ParamEvidence:
    """Which values of one parameter ran in cases where both sides returned."""

    name: str  # canonical name
    values: tuple[str, ...]  # e.g. ("omitted", "0", "-1"); empty when none ran on both sides


@dataclass(frozen=True)
class DtypeOutcome:
    """How the valid cases of one input dtype ended: the cells of a support heatmap."""

    dtype: str
    compared: int = 0  # both returned
    only_target_raised: int = 0  # the target raises where the source returns
    only_source_raised: int = 0
    both_raised: int = 0
    not_run: int = 0


@dataclass(frozen=True)
class Evidence:
    """What a verdict rests on: how the valid-or-not cases of one target ended on both sides."""

    compared: int = 0  # both returned, and the outputs were compared
    both_raised: int = 0
    only_source_raised: int = 0
    only_target_raised: int = 0
    not_run: int = 0  # a parameter one side lacks, or a device that is absent
    params: tuple[ParamEvidence, ...] = ()
    unexercised: tuple[str, ...] = ()  # parameters both sides have that no compared case exercised
    dtypes: tuple[DtypeOutcome, ...] = ()  # valid cases per input dtype, in DTYPES order


@dataclass(frozen=True)
class Faults:
    """Executions that failed from outside the case (a killed or stalled worker) and were retried."""

    retried: int = 0
    reasons: tuple[tuple[str, int], ...] = ()  # ("worker killed", 2), ("timeout", 1)


@dataclass(frozen=True)
class TargetResult:
    """Differences measured between the source API and one target."""

    api: str
    framework: str
    signature: SignatureInfo | None
    differences: tuple[Difference, ...]
    param_rows: tuple[ParamRow, ...] = ()
    examples: tuple[Example, ...] = ()
    drift: tuple[str, ...] = ()  # where the spec disagrees with a live signature
    source: str | None = None  # the source API it was compared with, when not the spec's (methods)
    verdict: Verdict | None = None
    evidence: Evidence | None = None
    same_as: str | None = None  # another target of the spec that is the very same callable

    def __post_init__(self) -> None:
        # Plain (canonical, source, target, note) tuples are accepted and become named rows.
        rows = tuple(r if isinstance(r, ParamRow) else ParamRow(*r) for r in self.param_rows)
        object.__setattr__(self, "param_rows", rows)


@dataclass(frozen=True)
class VersionRun:
    """The same spec measured once more with another version of one framework (`report --with`)."""

    framework: str  # the framework whose version differs from the main run's
    version: str  # the version its worker reported
    versions: dict[str, str]  # framework -> version of every framework in that run
    cases: int
    targets: tuple[TargetResult, ...]
    unavailable_devices: tuple[str, ...] = ()
    source_signature: SignatureInfo | None = None  # the source's, when that run read it (None: not kept)


@dataclass(frozen=True)
class SpecResult:
    """Everything measured for one spec; reports are pure functions of it."""

    spec_id: str
    title: str
    summary: str
    source: str  # e.g. "torch.cumsum"
    source_signature: SignatureInfo | None
    versions: dict[str, str]
    devices: tuple[str, ...]
    unavailable_devices: tuple[str, ...]
    seed: int
    cases: int
    targets: tuple[TargetResult, ...]
    reference_deviations: dict[str, int] = field(default_factory=dict)  # api -> cases off the reference
    faults: Faults = field(default_factory=Faults)
    other_versions: tuple[VersionRun, ...] = ()  # the spec measured with other framework versions
