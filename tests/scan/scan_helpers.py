"""Records for scan tests: a traced script, spec results with verdicts and severities set."""

from __future__ import annotations

from pathlib import Path

from apicompat.records import (
    Difference,
    DiffKind,
    Severity,
    SpecResult,
    TargetResult,
    Verdict,
    VerdictKind,
)
from apicompat.records.scan import ApiCategory, ApiUse, CallSeen, TensorSeen
from apicompat.report import write_reports

REPO = Path(__file__).resolve().parents[2]


def use(name: str, category: ApiCategory = ApiCategory.OPERATION, *, calls: int = 1, forward: int = 1,
        signatures: tuple[CallSeen, ...] = ()) -> ApiUse:  # fmt: skip
    """One traced API."""
    return ApiUse(name, category, calls, forward, signatures)


def softmax_call() -> CallSeen:
    """`x.softmax(dim=-1)` on a float32 (2, 3) tensor."""
    return CallSeen((TensorSeen("float32", (2, 3)),), (("dim", -1),), 3)


def result(spec_id: str, source: str, targets: dict[str, tuple[VerdictKind, Severity | None]]) -> SpecResult:
    """A spec result whose targets carry the verdicts and severities given."""
    rows = []
    for api, (kind, severity) in targets.items():
        diffs = ()
        if severity is not None:
            diffs = (Difference(DiffKind.VALUE_MISMATCH, "results differ", "values", severity=severity),)
        verdict = Verdict(
            kind, "Consistent" if kind is VerdictKind.CONSISTENT else "Differs: values", severity
        )
        rows.append(
            TargetResult(api=api, framework="mindspore", signature=None, differences=diffs, verdict=verdict)
        )
    return SpecResult(
        spec_id=spec_id, title=spec_id, summary="", source=source, source_signature=None,
        versions={}, devices=("cpu",), unavailable_devices=(), seed=1, cases=3, targets=tuple(rows),
    )  # fmt: skip


def write(result: SpecResult, reports: Path) -> None:
    """The report files `apicompat report` would write for it."""
    write_reports(result, reports)
