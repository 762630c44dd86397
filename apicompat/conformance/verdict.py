"""Compare measured differences with the baseline: new, stale and matched, per unit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from apicompat.conformance.baseline import Baseline, BaselineEntry, in_scope, measured, measured_devices
from apicompat.conformance.units import ANY_DEVICE, Unit, plan_units, unit_of
from apicompat.records import Difference, SpecResult


class Outcome(str, Enum):
    """How a difference or baseline entry fared against the baseline."""

    NEW = "new"  # measured, not in the baseline: fails
    STALE = "stale"  # in the baseline, in scope, not measured: fails when strict
    MATCHED = "matched"  # measured and in the baseline: passes


@dataclass(frozen=True)
class Finding:
    """One key's outcome, with the measured difference when there is one."""

    outcome: Outcome
    entry: BaselineEntry  # the measured entry (new, matched) or the baseline's (stale)
    difference: Difference | None = None
    source: str = ""  # the source API, to label reproducers


@dataclass(frozen=True)
class UnitVerdict:
    """What happened in one unit: its findings, or why it was not measured."""

    unit: Unit
    findings: tuple[Finding, ...] = ()
    skipped: str | None = None
    strict: bool = True

    @property
    def failures(self) -> tuple[Finding, ...]:
        """Findings that fail the unit: new ones, and stale ones when strict."""
        return tuple(f for f in self.findings if _fails(f, self.strict))

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """Stale findings that do not fail because strictness is off."""
        return tuple(f for f in self.findings if f.outcome is Outcome.STALE and not self.strict)

    @property
    def matched(self) -> tuple[Finding, ...]:
        """Accepted differences that were measured again."""
        return tuple(f for f in self.findings if f.outcome is Outcome.MATCHED)

    @property
    def failed(self) -> bool:
        """Whether the unit fails."""
        return bool(self.failures)


@dataclass(frozen=True)
class Verdict:
    """The outcome of a conformance run: every unit of every spec that ran."""

    units: tuple[UnitVerdict, ...]
    specs: tuple[str, ...]
    strict: bool = True

    def findings(self, outcome: Outcome) -> list[Finding]:
        """All findings with `outcome`, in unit order."""
        return [f for u in self.units for f in u.findings if f.outcome is outcome]

    @property
    def failures(self) -> list[Finding]:
        """Findings that fail the run."""
        return [f for u in self.units for f in u.failures]

    @property
    def failed(self) -> bool:
        """Whether the run fails (exit 1)."""
        return any(u.failed for u in self.units)


def _fails(finding: Finding, strict: bool) -> bool:
    return finding.outcome is Outcome.NEW or (finding.outcome is Outcome.STALE and strict)


def planned_units(
    spec_id: str, targets: Sequence[str], devices: Sequence[str], baseline: Baseline
) -> tuple[Unit, ...]:
    """The units of a spec, before it runs: what pytest collects and JUnit lists."""
    extra = (unit_of(e.spec, e.target, e.kind, e.device, devices) for e in baseline.for_spec(spec_id))
    return plan_units(spec_id, targets, devices, (u for u in extra if u is not None))


def judge_result(
    result: SpecResult, baseline: Baseline, devices: Sequence[str], *, strict: bool = True
) -> tuple[UnitVerdict, ...]:
    """Every unit of one spec's result, with its findings against the baseline."""
    accepted = baseline.by_key()
    placed: dict[Unit, list[Finding]] = {}
    measured_keys: set[str] = set()
    for entry, diff, _ in measured(result):
        measured_keys.add(entry.key)
        outcome = Outcome.MATCHED if entry.key in accepted else Outcome.NEW
        # A difference always has a unit: one without a configured device goes to the first one.
        unit = unit_of(entry.spec, entry.target, entry.kind, entry.device, devices) or unit_of(
            entry.spec, entry.target, entry.kind, None, devices
        )
        if unit is None:  # no devices configured: keep it visible in a signature-like slot
            unit = Unit(entry.spec, entry.target, ANY_DEVICE, entry.kind)
        placed.setdefault(unit, []).append(Finding(outcome, entry, diff, result.source))
    for entry in baseline.for_spec(result.spec_id):
        if entry.key not in measured_keys and in_scope(entry, result, devices):
            unit = unit_of(entry.spec, entry.target, entry.kind, entry.device, devices)
            assert unit is not None  # in_scope implies a unit
            placed.setdefault(unit, []).append(Finding(Outcome.STALE, entry, None, result.source))
    units = planned_units(result.spec_id, [t.api for t in result.targets], devices, baseline)
    units += tuple(sorted(u for u in placed if u not in set(units)))
    targets = {t.api: t for t in result.targets}
    verdicts = []
    for unit in units:
        findings = tuple(sorted(placed.get(unit, []), key=lambda f: (_ORDER[f.outcome], f.entry.key)))
        skipped = None
        if unit.device != ANY_DEVICE and unit.device not in measured_devices(
            result, targets.get(unit.target)
        ):
            skipped = _not_measured(result, unit)
        verdicts.append(UnitVerdict(unit, findings, skipped if not findings else None, strict))
    return tuple(verdicts)


def judge(
    results: Iterable[SpecResult], baseline: Baseline, devices: Sequence[str], *, strict: bool = True
) -> Verdict:
    """The verdict of a run over `results`; baseline entries of specs that did not run are out of scope."""
    results = list(results)
    units = tuple(u for r in results for u in judge_result(r, baseline, devices, strict=strict))
    return Verdict(units, tuple(r.spec_id for r in results), strict)


_ORDER = {Outcome.NEW: 0, Outcome.STALE: 1, Outcome.MATCHED: 2}


def _not_measured(result: SpecResult, unit: Unit) -> str:
    """Why a unit's device was not measured, from what the pipeline recorded."""
    reasons = [
        text for text in result.unavailable_devices if text.split(" ", 1)[0].endswith(f":{unit.device}")
    ]
    return f"not measured on {unit.device}" + (f": {'; '.join(reasons)}" if reasons else "")
