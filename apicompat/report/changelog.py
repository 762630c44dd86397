"""What changed between two measurements of the same specs: a release's changelog, per API and target.

A pure function of two lists of SpecResult (old, new). Differences are matched by
kind, subject and device (the baseline key plus the device), so a difference that
only changed its case count or severity reads as "changed", not as one gone and one
new. Entries are sorted by hazard: a new `silent` difference first, a difference that
disappeared last.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum

from apicompat.records import (
    Difference,
    DiffKind,
    ParamInfo,
    Severity,
    SignatureInfo,
    SpecResult,
    TargetResult,
    VersionRun,
)
from apicompat.report.counts import case_count


class Change(str, Enum):
    """How an item differs between the old and the new measurement (the JSON vocabulary)."""

    APPEARED = "appeared"
    CHANGED = "changed"
    DISAPPEARED = "disappeared"


class ParamChange(str, Enum):
    """How one parameter of a live signature changed."""

    ADDED = "added"
    REMOVED = "removed"
    RENAMED = "renamed"
    DEFAULT = "default"
    KIND = "kind"  # positional-only, keyword-only, ...


@dataclass(frozen=True)
class DifferenceChange:
    """One difference that appeared, disappeared, or changed its severity, cases or wording."""

    change: Change
    kind: DiffKind
    subject: str
    device: str | None
    severity: Severity  # the new severity; for a difference that disappeared, the old one
    old_severity: Severity | None
    old_cases: int | None  # None where the difference was absent
    new_cases: int | None
    old_summary: str | None
    new_summary: str | None
    fields: tuple[str, ...] = ()  # what changed: "severity", "cases", "summary", "dtypes", "accepted"


@dataclass(frozen=True)
class SignatureChange:
    """One parameter added, removed, renamed or given another default or kind."""

    change: ParamChange
    param: str  # the old name (the new one for an added parameter)
    old: str | None  # the old name, default or kind; None where absent
    new: str | None


@dataclass(frozen=True)
class VerdictChange:
    """A target's verdict before and after (its sentence; None where there was none)."""

    old: str | None
    new: str | None


@dataclass(frozen=True)
class TargetChanges:
    """Everything that changed for one target of one spec."""

    spec_id: str
    source: str
    api: str
    change: Change  # APPEARED / DISAPPEARED for a target measured on one side only
    verdict: VerdictChange | None = None
    signature: tuple[SignatureChange, ...] = ()
    differences: tuple[DifferenceChange, ...] = ()


@dataclass(frozen=True)
class SourceChanges:
    """The source API's signature changes in one spec (a new torch release renames a parameter)."""

    spec_id: str
    api: str
    signature: tuple[SignatureChange, ...]


@dataclass(frozen=True)
class VersionChange:
    """A framework's version on each side (None where it did not run)."""

    framework: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class Changelog:
    """The changes between two report sets, sorted most hazardous first."""

    old_label: str
    new_label: str
    versions: tuple[VersionChange, ...]
    specs_added: tuple[str, ...] = ()
    specs_removed: tuple[str, ...] = ()
    targets: tuple[TargetChanges, ...] = ()
    compared: int = 0  # specs measured on both sides
    counts: dict[str, int] = field(default_factory=dict)  # "<change> <severity>" -> differences
    notes: tuple[str, ...] = ()  # how the two sides were measured differently (seed, devices)
    sources: tuple[SourceChanges, ...] = ()

    @property
    def changed(self) -> bool:
        """True when anything measured differs (framework versions alone do not count)."""
        return bool(self.specs_added or self.specs_removed or self.targets or self.sources)


def changelog(
    old: Sequence[SpecResult], new: Sequence[SpecResult], old_label: str = "old", new_label: str = "new"
) -> Changelog:
    """The changelog from `old` to `new`, matched by spec id and then target API."""
    old_by_id = {r.spec_id: r for r in old}
    new_by_id = {r.spec_id: r for r in new}
    both = sorted(old_by_id.keys() & new_by_id.keys())
    targets: list[TargetChanges] = []
    sources: list[SourceChanges] = []
    for spec_id in both:
        before, after = old_by_id[spec_id], new_by_id[spec_id]
        targets += _spec_changes(before, after)
        source = param_changes(before.source_signature, after.source_signature)
        if source:
            sources.append(SourceChanges(spec_id, after.source, tuple(source)))
    targets.sort(key=_target_order)
    counts: dict[str, int] = {}
    for target in targets:
        for diff in target.differences:
            key = f"{diff.change.value} {diff.severity.value}"
            counts[key] = counts.get(key, 0) + 1
    return Changelog(
        old_label=old_label,
        new_label=new_label,
        versions=_versions(old, new),
        specs_added=tuple(sorted(new_by_id.keys() - old_by_id.keys())),
        specs_removed=tuple(sorted(old_by_id.keys() - new_by_id.keys())),
        targets=tuple(targets),
        compared=len(both),
        counts=dict(sorted(counts.items())),
        notes=_setting_notes([old_by_id[s] for s in both], [new_by_id[s] for s in both]),
        sources=tuple(sources),
    )


def _setting_notes(old: Sequence[SpecResult], new: Sequence[SpecResult]) -> tuple[str, ...]:
    """Options that differ between the sides: their changes may come from other cases, not the frameworks."""
    notes = []
    settings: tuple[tuple[str, Callable[[SpecResult], str]], ...] = (
        ("seed", lambda r: str(r.seed)),
        ("devices", lambda r: ",".join(r.devices) or "none"),
    )
    for name, read in settings:
        before = sorted({read(r) for r in old})
        after = sorted({read(r) for r in new})
        if before != after:
            notes.append(
                f"The {name} differs ({', '.join(before)} → {', '.join(after)}): other cases ran, "
                "so some changes may come from the cases rather than the frameworks."
            )
    return tuple(notes)


def version_result(result: SpecResult, run: VersionRun) -> SpecResult:
    """The spec's result as measured in `run` (another framework version), for a changelog."""
    return dataclasses.replace(
        result,
        versions=dict(run.versions),
        source_signature=run.source_signature or result.source_signature,
        cases=run.cases,
        targets=run.targets,
        unavailable_devices=run.unavailable_devices,
        other_versions=(),
    )


def version_changelog(result: SpecResult, run: VersionRun) -> Changelog:
    """What differs from `run`'s framework version to the main run's, for one spec."""
    main = result.versions.get(run.framework, "?")
    return changelog(
        [version_result(result, run)],
        [dataclasses.replace(result, other_versions=())],
        old_label=f"{run.framework} {run.version}",
        new_label=f"{run.framework} {main}",
    )


def _versions(old: Sequence[SpecResult], new: Sequence[SpecResult]) -> tuple[VersionChange, ...]:
    """Each framework's versions on each side; several versions in one set are listed joined by ', '."""

    def collect(results: Sequence[SpecResult]) -> dict[str, str]:
        found: dict[str, set[str]] = {}
        for result in results:
            for framework, version in result.versions.items():
                found.setdefault(framework, set()).add(version)
        return {fw: ", ".join(sorted(vs)) for fw, vs in found.items()}

    before, after = collect(old), collect(new)
    return tuple(
        VersionChange(fw, before.get(fw), after.get(fw)) for fw in sorted(before.keys() | after.keys())
    )


def _target_key(target: TargetResult) -> tuple[str, str]:
    # Method targets share an API name with the function target but name their own source.
    return (target.source or "", target.api)


def _spec_changes(old: SpecResult, new: SpecResult) -> list[TargetChanges]:
    old_targets = {_target_key(t): t for t in old.targets}
    new_targets = {_target_key(t): t for t in new.targets}
    changes: list[TargetChanges] = []
    for key in sorted(old_targets.keys() | new_targets.keys()):
        before, after = old_targets.get(key), new_targets.get(key)
        source = key[0] or new.source
        if before is None or after is None:
            present = after if after is not None else before
            assert present is not None
            change = Change.APPEARED if after is not None else Change.DISAPPEARED
            changes.append(TargetChanges(new.spec_id, source, present.api, change))
            continue
        verdict = _verdict_change(before, after)
        signature = signature_changes(before, after)
        differences = difference_changes(before.differences, after.differences)
        if verdict or signature or differences:
            changes.append(
                TargetChanges(
                    new.spec_id,
                    source,
                    after.api,
                    Change.CHANGED,
                    verdict,
                    tuple(signature),
                    tuple(differences),
                )
            )
    return changes


def _verdict_change(old: TargetResult, new: TargetResult) -> VerdictChange | None:
    before = old.verdict.text if old.verdict is not None else None
    after = new.verdict.text if new.verdict is not None else None
    old_kind = old.verdict.kind if old.verdict is not None else None
    new_kind = new.verdict.kind if new.verdict is not None else None
    if before == after and old_kind == new_kind:
        return None
    return VerdictChange(before, after)


def _match_key(diff: Difference) -> tuple[str, str, str]:
    return (diff.kind.value, diff.subject, diff.device or "")


def difference_changes(old: Sequence[Difference], new: Sequence[Difference]) -> list[DifferenceChange]:
    """Differences that appeared, disappeared or changed between two measurements of one target."""
    before = {_match_key(d): d for d in old}
    after = {_match_key(d): d for d in new}
    found: list[DifferenceChange] = []
    for key in sorted(before.keys() | after.keys()):
        was, now = before.get(key), after.get(key)
        if now is not None and was is None:
            found.append(_entry(Change.APPEARED, now, None, now))
        elif was is not None and now is None:
            found.append(_entry(Change.DISAPPEARED, was, was, None))
        elif was is not None and now is not None and (fields := _changed_fields(was, now)):
            found.append(_entry(Change.CHANGED, now, was, now, fields))
    found.sort(key=_difference_order)
    return found


def _entry(
    change: Change,
    diff: Difference,
    old: Difference | None,
    new: Difference | None,
    fields: tuple[str, ...] = (),
) -> DifferenceChange:
    return DifferenceChange(
        change=change,
        kind=diff.kind,
        subject=diff.subject,
        device=diff.device,
        severity=diff.severity,
        old_severity=old.severity if old is not None else None,
        old_cases=case_count(old) if old is not None else None,
        new_cases=case_count(new) if new is not None else None,
        old_summary=old.summary if old is not None else None,
        new_summary=new.summary if new is not None else None,
        fields=fields,
    )


def _changed_fields(old: Difference, new: Difference) -> tuple[str, ...]:
    fields = []
    if old.severity != new.severity:
        fields.append("severity")
    if case_count(old) != case_count(new):
        fields.append("cases")
    # A summary that differs only in its numbers ("(8 case(s))") says nothing the counts do not.
    if _DIGITS.sub("#", old.summary) != _DIGITS.sub("#", new.summary):
        fields.append("summary")
    if old.dtypes != new.dtypes:
        fields.append("dtypes")
    if old.accepted != new.accepted:
        fields.append("accepted")
    return tuple(fields)


_DIGITS = re.compile(r"\d+")
_CHANGE_ORDER = {Change.APPEARED: 0, Change.CHANGED: 1, Change.DISAPPEARED: 2}
_KIND_ORDER = {kind: n for n, kind in enumerate(DiffKind)}
_LAST = len(Severity)  # ranks past every severity: what disappeared is good news, listed last


def _difference_order(diff: DifferenceChange) -> tuple[int, int, int, str, str]:
    rank = diff.severity.rank if diff.change is not Change.DISAPPEARED else _LAST + diff.severity.rank
    return (rank, _CHANGE_ORDER[diff.change], _KIND_ORDER[diff.kind], diff.subject, diff.device or "")


def _target_order(target: TargetChanges) -> tuple[int, int, str, str, str]:
    """A target sorts by its most hazardous change; a vanished target ranks as loud (a port breaks)."""
    if target.change is Change.DISAPPEARED:
        first = (Severity.LOUD.rank, 0)
    elif target.change is Change.APPEARED:
        first = (Severity.INTERFACE.rank, 0)
    else:
        ranks = [_difference_order(d)[:2] for d in target.differences]
        if target.signature:
            ranks.append((Severity.INTERFACE.rank, 1))
        if target.verdict is not None:
            ranks.append((Severity.MINOR.rank, 1))
        first = min(ranks)
    return (*first, target.spec_id, target.source, target.api)


def signature_changes(old: TargetResult, new: TargetResult) -> list[SignatureChange]:
    """Parameters added, removed, renamed, or with another default or kind, between two signatures.

    A rename is recognised where the spec's parameter rows map one canonical parameter
    to another target name, or, failing that, where one parameter was removed and one
    added at the same position with the same kind and default.
    """
    rows_before = {r.canonical: r.target for r in old.param_rows}
    rows_after = {r.canonical: r.target for r in new.param_rows}
    return param_changes(old.signature, new.signature, rows_before, rows_after)


def param_changes(
    old: SignatureInfo | None,
    new: SignatureInfo | None,
    rows_before: Mapping[str, str | None] | None = None,
    rows_after: Mapping[str, str | None] | None = None,
) -> list[SignatureChange]:
    """`signature_changes` of two signatures; the rows map canonical names to each side's names."""
    if old is None or new is None:
        return []
    before = {p.name: p for p in old.params}
    after = {p.name: p for p in new.params}
    removed = [p.name for p in old.params if p.name not in after]
    added = [p.name for p in new.params if p.name not in before]
    renames = _renames(old, new, removed, added, rows_before or {}, rows_after or {})
    changes: list[SignatureChange] = []
    for name in removed:
        if name in renames:
            changes.append(SignatureChange(ParamChange.RENAMED, name, name, renames[name]))
            _param_details(changes, name, before[name], after[renames[name]])
        else:
            changes.append(SignatureChange(ParamChange.REMOVED, name, name, None))
    renamed_to = set(renames.values())
    for name in added:
        if name not in renamed_to:
            changes.append(SignatureChange(ParamChange.ADDED, name, None, name))
    for p in old.params:
        if p.name in after:
            _param_details(changes, p.name, p, after[p.name])
    return changes


def _param_details(changes: list[SignatureChange], name: str, old: ParamInfo, new: ParamInfo) -> None:
    if old.default != new.default:
        changes.append(SignatureChange(ParamChange.DEFAULT, name, old.default, new.default))
    if old.kind != new.kind:
        changes.append(SignatureChange(ParamChange.KIND, name, old.kind, new.kind))


def _renames(
    old: SignatureInfo,
    new: SignatureInfo,
    removed: list[str],
    added: list[str],
    rows_before: Mapping[str, str | None],
    rows_after: Mapping[str, str | None],
) -> dict[str, str]:
    renames: dict[str, str] = {}
    for canonical, now in rows_after.items():
        was = rows_before.get(canonical)
        if was in removed and now in added and now not in renames.values():
            assert was is not None and now is not None
            renames[was] = now
    positions = _positions(new)
    for index, p in enumerate(old.params):
        if p.name in removed and p.name not in renames:
            other = positions.get(index)
            if (
                other is not None
                and other.name in added
                and other.name not in renames.values()
                and (other.kind, other.default) == (p.kind, p.default)
            ):
                renames[p.name] = other.name
    return renames


def _positions(sig: SignatureInfo) -> Mapping[int, ParamInfo]:
    return dict(enumerate(sig.params))
