"""What a run of one spec produced, in the form every report writer consumes."""

from __future__ import annotations

from dataclasses import dataclass, field

from apicompat.records.differences import Difference


@dataclass(frozen=True)
class ParamInfo:
    """One parameter of a live signature."""

    name: str
    kind: str  # inspect's kind name: POSITIONAL_ONLY, POSITIONAL_OR_KEYWORD, KEYWORD_ONLY, VAR_*
    default: str | None  # repr of the default; None when required


@dataclass(frozen=True)
class SignatureInfo:
    """A callable's signature and where it was read from (inspect, docstring, spec)."""

    api: str
    params: tuple[ParamInfo, ...]
    origin: str  # "inspect" | "docstring" | "spec"
    text: str  # e.g. "torch.cumsum(input, dim, *, dtype=None, out=None)"


@dataclass(frozen=True)
class Example:
    """A code example that was run: the script and what it printed, per side."""

    title: str
    description: str
    source_code: str
    target_code: str
    source_output: str
    target_output: str


@dataclass(frozen=True)
class TargetResult:
    """Differences measured between the source API and one target."""

    api: str
    framework: str
    signature: SignatureInfo | None
    differences: tuple[Difference, ...]
    param_rows: tuple[tuple[str, str | None, str | None, str], ...] = ()  # canonical, src, tgt, note
    examples: tuple[Example, ...] = ()
    drift: tuple[str, ...] = ()  # where the spec disagrees with a live signature
    source: str | None = None  # the source API it was compared with, when not the spec's (methods)


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
