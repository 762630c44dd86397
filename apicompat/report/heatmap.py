"""The support heatmap: per API × target, one cell per input dtype and per device, saying how it ended.

A cell is read from the target's evidence ledger (`Evidence.dtypes`: how the valid
cases of each dtype ended) and its differences (each names its dtypes, cases,
device and severity). The worst difference on a dtype decides the cell and is what
the cell links to; without a difference the ledger's counts decide.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from apicompat.records import DTYPES, Difference, DtypeOutcome, Severity, SpecResult, TargetResult
from apicompat.report.escape import clean_text

# A tooltip stays short (the index holds hundreds): the linked article has the rest.
_MAX_CASES = 3  # case ids a tooltip names before "+N more"
_MAX_SUMMARY = 120  # characters of the difference's summary


class Outcome(str, Enum):
    """What one cell shows; the values are CSS class suffixes and filter values."""

    SAME = "same"  # compared on both sides, no difference
    SILENT = "silent"  # a silent difference: returns something else
    LOUD = "loud"  # raises where the source returns
    INTERFACE = "interface"
    MINOR = "minor"
    BOTH_RAISE = "both-raise"  # no valid case of this dtype ran on either side
    NOT_RUN = "not-run"  # no case of this dtype (or device) ran
    UNKNOWN = "unknown"  # the run recorded no evidence ledger

    @property
    def label(self) -> str:
        """The legend's words for the outcome."""
        return _LABELS[self]

    @property
    def symbol(self) -> str:
        """The cell's glyph: the outcome can be told without colour."""
        return _SYMBOLS[self]


_LABELS = {
    Outcome.SAME: "same",
    Outcome.SILENT: "differs silently",
    Outcome.LOUD: "raises where the source returns",
    Outcome.INTERFACE: "differs in the interface only",
    Outcome.MINOR: "minor difference",
    Outcome.BOTH_RAISE: "both raise",
    Outcome.NOT_RUN: "not run",
    Outcome.UNKNOWN: "not recorded",
}
_SYMBOLS = {
    Outcome.SAME: "✓",
    Outcome.SILENT: "≠",
    Outcome.LOUD: "✗",
    Outcome.INTERFACE: "i",
    Outcome.MINOR: "~",
    Outcome.BOTH_RAISE: "–",
    Outcome.NOT_RUN: "·",
    Outcome.UNKNOWN: "?",
}
_BY_SEVERITY = {
    Severity.SILENT: Outcome.SILENT,
    Severity.LOUD: Outcome.LOUD,
    Severity.INTERFACE: Outcome.INTERFACE,
    Severity.MINOR: Outcome.MINOR,
}

#: The legend, in the order it is shown.
LEGEND: tuple[Outcome, ...] = tuple(Outcome)


@dataclass(frozen=True)
class Cell:
    """One heatmap cell: what it shows, its tooltip, and the difference anchor it links to."""

    column: str
    outcome: Outcome
    tooltip: str
    anchor: str | None = None  # id of the difference on the API page


@dataclass(frozen=True)
class HeatmapRow:
    """The cells of one target of one spec, dtype columns first, then device columns."""

    spec_id: str
    source: str
    target: str
    cells: tuple[Cell, ...]


def difference_anchor(diff: Difference, spec_id: str, target: str) -> str:
    """A stable HTML id for a difference: its baseline key slugged, plus a hash so slugs cannot collide."""
    key = diff.key(spec_id, target)
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", key).strip("-")[:60]
    digest = hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"d-{slug}-{digest}"


def dtype_columns(results: Iterable[SpecResult]) -> tuple[str, ...]:
    """Every dtype any target ran or differed on, in DTYPES order (others after, sorted)."""
    seen: set[str] = set()
    for result in results:
        for target in result.targets:
            if target.evidence is not None:
                seen.update(d.dtype for d in target.evidence.dtypes)
            for diff in target.differences:
                seen.update(diff.dtypes)
    return tuple(d for d in DTYPES if d in seen) + tuple(sorted(seen - set(DTYPES)))


def device_columns(results: Iterable[SpecResult]) -> tuple[str, ...]:
    """Every device asked for, measured or unavailable, sorted."""
    return tuple(sorted({d for r in results for d in (*r.devices, *r.unavailable_devices)}))


def heatmap_rows(result: SpecResult, dtypes: Sequence[str], devices: Sequence[str]) -> tuple[HeatmapRow, ...]:
    """One row per target of the result, with a cell per dtype and per device column."""
    rows = []
    for target in result.targets:
        cells = [_dtype_cell(result, target, dtype) for dtype in dtypes]
        cells += [_device_cell(result, target, device) for device in devices]
        rows.append(HeatmapRow(result.spec_id, target.source or result.source, target.api, tuple(cells)))
    return tuple(rows)


def _worst(diffs: Sequence[Difference]) -> Difference | None:
    """The most severe difference; a cause before what it explains, then the first."""
    if not diffs:
        return None
    return min(diffs, key=lambda d: (d.severity.rank, d.explained_by is not None))


def _dtype_cell(result: SpecResult, target: TargetResult, dtype: str) -> Cell:
    where = f"{target.api} · {dtype}"
    worst = _worst([d for d in target.differences if dtype in d.dtypes])
    counts = _outcome(target, dtype)
    ledger = f" ({_counts_text(counts)})" if counts is not None else ""
    if worst is not None:
        outcome = _BY_SEVERITY[worst.severity]
        tip = f"{where}: {outcome.label}{ledger}. {_diff_text(worst)}"
        return Cell(dtype, outcome, tip, difference_anchor(worst, result.spec_id, target.api))
    if target.evidence is None:
        return Cell(dtype, Outcome.UNKNOWN, f"{where}: no difference measured; no evidence ledger recorded")
    if counts is None:
        return Cell(dtype, Outcome.NOT_RUN, f"{where}: no valid case of this dtype ran")
    if counts.only_target_raised:
        outcome = Outcome.LOUD
    elif counts.compared:
        outcome = Outcome.SAME
    elif counts.only_source_raised:
        outcome = Outcome.MINOR
    elif counts.both_raised:
        outcome = Outcome.BOTH_RAISE
    else:
        outcome = Outcome.NOT_RUN
    return Cell(dtype, outcome, f"{where}: {outcome.label}{ledger}")


def _device_cell(result: SpecResult, target: TargetResult, device: str) -> Cell:
    where = f"{target.api} · {device}"
    if device in result.unavailable_devices:
        return Cell(device, Outcome.NOT_RUN, f"{where}: not run (device unavailable)")
    if device not in result.devices:
        return Cell(device, Outcome.NOT_RUN, f"{where}: not run (device not asked for)")
    worst = _worst([d for d in target.differences if d.device == device])
    if worst is not None:
        outcome = _BY_SEVERITY[worst.severity]
        tip = f"{where}: {outcome.label} on this device. {_diff_text(worst)}"
        return Cell(device, outcome, tip, difference_anchor(worst, result.spec_id, target.api))
    return Cell(device, Outcome.SAME, f"{where}: ran; no difference specific to this device")


def _outcome(target: TargetResult, dtype: str) -> DtypeOutcome | None:
    if target.evidence is None:
        return None
    return next((d for d in target.evidence.dtypes if d.dtype == dtype), None)


def _counts_text(counts: DtypeOutcome) -> str:
    parts = [
        (counts.compared, "compared"),
        (counts.only_target_raised, "raised only on the target"),
        (counts.only_source_raised, "raised only on the source"),
        (counts.both_raised, "raised on both"),
        (counts.not_run, "not run"),
    ]
    return ", ".join(f"{n} {what}" for n, what in parts if n) or "no case"


def _diff_text(diff: Difference) -> str:
    """The difference's kind and summary, and the case ids that showed it."""
    summary = " ".join(clean_text(diff.summary).split())
    if len(summary) > _MAX_SUMMARY:
        summary = summary[: _MAX_SUMMARY - 1].rstrip() + "…"
    text = f"{diff.kind.value}: {summary}"
    if diff.cases:
        shown = ", ".join(diff.cases[:_MAX_CASES])
        more = max(diff.case_count, len(diff.cases)) - min(len(diff.cases), _MAX_CASES)
        text += f" Cases: {shown}" + (f" (+{more} more)" if more > 0 else "")
    return text
