"""The baseline: differences CI accepts, keyed by spec, target, kind and subject.

The file is JSON, sorted by key and written the same way every time, so a change
of behaviour shows up as a small diff in review. Only the key identifies an
entry; the other fields say what it was when it was accepted.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from apicompat.conformance.units import ANY_DEVICE, unit_of
from apicompat.records import ApicompatError, Difference, DiffKind, SpecResult, TargetResult
from apicompat.report.atomic import write_text_atomic

#: Bumped whenever a key is added, removed or changes meaning.
BASELINE_FORMAT = 1

#: Where `apicompat check` and the pytest plugin look for the baseline by default.
DEFAULT_BASELINE = "reports/baseline.json"

_ABOUT = (
    "Differences that CI accepts: `apicompat check` fails on a measured difference that is not "
    "listed here, and (with --strict, the default) on an entry that is no longer measured. "
    "Written by `apicompat check --update-baseline`; review changes like code."
)
_KINDS = frozenset(k.value for k in DiffKind)
_FIELDS = ("key", "spec", "target", "device", "kind", "subject", "summary", "reason")


@dataclass(frozen=True)
class BaselineEntry:
    """One accepted difference: its key, what it was about, and why it is accepted."""

    key: str
    spec: str
    target: str
    kind: str  # a DiffKind value
    subject: str
    summary: str = ""
    device: str | None = None
    reason: str | None = None  # the spec's (or a reviewer's) reason for accepting it


@dataclass(frozen=True)
class Baseline:
    """Accepted differences, sorted by key, one entry per key."""

    entries: tuple[BaselineEntry, ...] = ()

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.entries, key=lambda e: e.key))
        keys = [e.key for e in ordered]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise ValueError(f"duplicate baseline keys: {', '.join(duplicates)}")
        object.__setattr__(self, "entries", ordered)

    def by_key(self) -> dict[str, BaselineEntry]:
        """Entries by key."""
        return {e.key: e for e in self.entries}

    def for_spec(self, spec_id: str) -> list[BaselineEntry]:
        """The entries of one spec, in key order."""
        return [e for e in self.entries if e.spec == spec_id]


def entry_for(diff: Difference, spec_id: str, target: str) -> BaselineEntry:
    """The baseline entry that accepts a measured difference."""
    return BaselineEntry(
        key=diff.key(spec_id, target),
        spec=spec_id,
        target=target,
        kind=diff.kind.value,
        subject=diff.subject,
        summary=diff.summary,
        device=diff.device,
        reason=diff.accepted,
    )


def measured(result: SpecResult) -> list[tuple[BaselineEntry, Difference, TargetResult]]:
    """Every measured difference of a result with its entry, one per key (the first one measured).

    Two comparers can report the same finding under one key (a parameter missing
    from the signature and the cases that pass it); the key is the identity.
    """
    seen: set[str] = set()
    out = []
    for target in result.targets:
        for diff in target.differences:
            entry = entry_for(diff, result.spec_id, target.api)
            if entry.key not in seen:
                seen.add(entry.key)
                out.append((entry, diff, target))
    return out


def measured_devices(result: SpecResult, target: TargetResult | None) -> set[str]:
    """Devices on which both the source and `target` were measured in this result."""
    # The pipeline records unavailable pairs as "framework:device (why)".
    unavailable = {text.split(" ", 1)[0] for text in result.unavailable_devices}
    frameworks = {result.source.split(".", 1)[0]} | ({target.framework} if target is not None else set())
    return {d for d in result.devices if not any(f"{fw}:{d}" in unavailable for fw in frameworks)}


def in_scope(entry: BaselineEntry, result: SpecResult, devices: Sequence[str]) -> bool:
    """Whether this run measured what `entry` is about, so its absence makes it stale."""
    if entry.spec != result.spec_id:
        return False
    unit = unit_of(entry.spec, entry.target, entry.kind, entry.device, devices)
    if unit is None:
        return False
    if unit.device == ANY_DEVICE:
        return True
    target = next((t for t in result.targets if t.api == entry.target), None)
    return unit.device in measured_devices(result, target)


def updated_baseline(old: Baseline, results: Iterable[SpecResult], devices: Sequence[str]) -> Baseline:
    """The baseline after accepting `results`: what they measured replaces what they could have measured.

    Entries this run could not have seen (other specs, other shards, devices not
    measured) are kept. A reason written into the old baseline is kept when the
    spec gives none.
    """
    results = list(results)
    old_by_key = old.by_key()
    kept = [e for e in old.entries if not any(in_scope(e, r, devices) for r in results)]
    fresh: dict[str, BaselineEntry] = {e.key: e for e in kept}
    for result in results:
        for entry, _, _ in measured(result):
            previous = old_by_key.get(entry.key)
            if entry.reason is None and previous is not None and previous.reason is not None:
                entry = BaselineEntry(**{**_as_dict(entry), "reason": previous.reason})
            fresh[entry.key] = entry
    return Baseline(tuple(fresh.values()))


def render_baseline(baseline: Baseline) -> str:
    """The baseline file's text: fixed field order, entries sorted by key, trailing newline."""
    data = {
        "baseline_format": BASELINE_FORMAT,
        "about": _ABOUT,
        "entries": [{k: v for k, v in _as_dict(e).items() if v is not None} for e in baseline.entries],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def save_baseline(path: str | Path, baseline: Baseline) -> None:
    """Write the baseline atomically (a reader never sees half a file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, render_baseline(baseline))


def load_baseline(path: str | Path, *, missing_ok: bool = False) -> Baseline:
    """Read and validate a baseline file; raises ApicompatError naming the file and the entry."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if missing_ok:
            return Baseline()
        raise ApicompatError(
            f"{path}: no baseline file; write one with `apicompat check --update-baseline --baseline {path}`"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ApicompatError(f"{path}: cannot read the baseline: {exc}") from None
    return parse_baseline(text, str(path))


def parse_baseline(text: str, source: str = "<baseline>") -> Baseline:
    """A Baseline from the file's text; every problem names `source` and the entry."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ApicompatError(f"{source}:{exc.lineno}: the baseline is not valid JSON: {exc.msg}") from None
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise ApicompatError(
            f'{source}: not an apicompat baseline (expected an object with an "entries" list)'
        )
    version = data.get("baseline_format", BASELINE_FORMAT)
    if version != BASELINE_FORMAT:
        raise ApicompatError(
            f"{source}: baseline format {version!r} is not supported (this apicompat reads {BASELINE_FORMAT})"
        )
    entries = [_entry(raw, f"{source}: entries[{i}]") for i, raw in enumerate(data["entries"])]
    seen: dict[str, int] = {}
    for i, entry in enumerate(entries):
        if entry.key in seen:
            raise ApicompatError(
                f"{source}: entries[{i}]: duplicate key {entry.key!r} (see entries[{seen[entry.key]}])"
            )
        seen[entry.key] = i
    return Baseline(tuple(entries))


def split_key(key: str) -> tuple[str, str, str, str]:
    """`spec::target::kind::subject` as its four parts (the subject may hold `::`)."""
    parts = key.split("::", 3)
    if len(parts) != 4 or not all(parts[:3]):
        raise ValueError(f"a key has the form spec::target::kind::subject, got {key!r}")
    return parts[0], parts[1], parts[2], parts[3]


def _entry(raw: Any, where: str) -> BaselineEntry:
    """One entry; only `key` is required, the other identity fields must agree with it."""
    if not isinstance(raw, Mapping):
        raise ApicompatError(f"{where}: expected an object, got {type(raw).__name__}")
    unknown = sorted(set(raw) - set(_FIELDS))
    if unknown:
        raise ApicompatError(f"{where}: unknown field(s) {', '.join(unknown)} (known: {', '.join(_FIELDS)})")
    for name, value in raw.items():
        if not (isinstance(value, str) or (value is None and name in ("device", "reason"))):
            raise ApicompatError(f"{where}: field {name!r} must be a string, got {json.dumps(value)}")
    key = raw.get("key")
    if not key:
        raise ApicompatError(f'{where}: missing "key" (spec::target::kind::subject)')
    try:
        spec, target, kind, subject = split_key(key)
    except ValueError as exc:
        raise ApicompatError(f"{where}: {exc}") from None
    if kind not in _KINDS:
        raise ApicompatError(
            f"{where}: unknown kind {kind!r} in key {key!r} (known: {', '.join(sorted(_KINDS))})"
        )
    implied = {"spec": spec, "target": target, "kind": kind, "subject": subject}
    for name, value in implied.items():
        if name in raw and raw[name] != value:
            raise ApicompatError(f"{where}: {name} {raw[name]!r} does not match the key {key!r}")
    return BaselineEntry(
        key=key,
        spec=spec,
        target=target,
        kind=kind,
        subject=subject,
        summary=raw.get("summary") or "",
        device=raw.get("device"),
        reason=raw.get("reason"),
    )


def _as_dict(entry: BaselineEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in _FIELDS}
