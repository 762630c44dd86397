"""The one listing of conformance findings, shared by the CLI, JUnit and the pytest plugin.

Every place that tells a person what changed calls these functions, so a
difference reads the same in a terminal, a CI dashboard and a pytest failure.
"""

from __future__ import annotations

from collections.abc import Sequence

from apicompat.conformance.verdict import Finding, Outcome, UnitVerdict, Verdict
from apicompat.records import Difference, Reproducer
from apicompat.report.escape import clean_text

#: Lines of captured output shown per side before the rest is elided.
MAX_OUTPUT_LINES = 20
#: Case ids shown as evidence; the count is always complete.
MAX_CASES = 3

_INDENT = "      "
_HEADS = {Outcome.NEW: "NEW  ", Outcome.STALE: "STALE", Outcome.MATCHED: "OK   "}


def format_finding(finding: Finding, *, reproducer: bool = True) -> str:
    """One finding as a block: key, where, what, and (unless told not to) the reproducer for each side."""
    entry = finding.entry
    lines = [_head(finding)]
    if finding.outcome is Outcome.STALE:
        lines.append("accepted in the baseline, but not measured in this run")
        if entry.summary:
            lines.append(f"accepted as: {entry.summary}")
        if entry.reason:
            lines.append(f"reason: {entry.reason}")
    elif finding.difference is not None:
        lines += _measured(finding.difference, finding.outcome)
        if reproducer and finding.difference.reproducer is not None:
            lines += _reproducer(finding.difference.reproducer, finding.source, entry.target)
    body = [clean_text(line) for text in lines[1:] for line in text.split("\n")]
    return "\n".join([lines[0], *(_INDENT + line if line else "" for line in body)])


def format_findings(findings: Sequence[Finding], *, reproducer: bool = True) -> str:
    """Findings as blocks separated by blank lines."""
    return "\n\n".join(format_finding(f, reproducer=reproducer) for f in findings)


def format_unit(verdict: UnitVerdict) -> str:
    """What fails in one unit (the JUnit failure text and the pytest failure report)."""
    return format_findings(verdict.failures)


def unit_message(verdict: UnitVerdict) -> str:
    """A one-line summary of a unit's failures (the JUnit failure message)."""
    new = [f.entry.subject for f in verdict.failures if f.outcome is Outcome.NEW]
    stale = [f.entry.subject for f in verdict.failures if f.outcome is Outcome.STALE]
    parts = []
    if new:
        parts.append(f"{_count(len(new), 'new difference')}: {', '.join(new)}")
    if stale:
        parts.append(
            f"{_count(len(stale), 'stale baseline entry', 'stale baseline entries')}: {', '.join(stale)}"
        )
    return clean_text("; ".join(parts)).replace("\n", " ")


def format_summary(verdict: Verdict) -> str:
    """One line: how many specs and checks, and how many new, stale and accepted differences."""
    checks = [u for u in verdict.units if u.skipped is None]
    skipped = len(verdict.units) - len(checks)
    new, stale = verdict.findings(Outcome.NEW), verdict.findings(Outcome.STALE)
    parts = [
        _count(len(verdict.specs), "spec"),
        _count(len(checks), "check") + (f" ({skipped} not measured)" if skipped else ""),
        _count(len(new), "new difference"),
        _count(len(stale), "stale baseline entry", "stale baseline entries")
        + ("" if verdict.strict else " (not strict)"),
        _count(len(verdict.findings(Outcome.MATCHED)), "accepted difference") + " matched",
    ]
    return ("FAILED: " if verdict.failed else "passed: ") + ", ".join(parts)


def format_verdict(verdict: Verdict) -> str:
    """The full listing: an overview of the failing keys, each finding in full, then the summary line."""
    failures = sorted(verdict.failures, key=lambda f: _ORDER[f.outcome])  # new ones first
    warnings = [f for u in verdict.units for f in u.warnings]
    blocks = []
    if failures:
        blocks.append("\n".join(_head(f) for f in failures))
        blocks += [format_finding(f) for f in failures]
    if warnings:
        blocks.append("Stale entries (not failing: strictness is off):\n\n" + format_findings(warnings))
    blocks.append(format_summary(verdict))
    return "\n\n".join(blocks)


_ORDER = {Outcome.NEW: 0, Outcome.STALE: 1, Outcome.MATCHED: 2}


def _head(finding: Finding) -> str:
    """The first line of a finding's block: outcome, key and device."""
    entry = finding.entry
    where = f" ({entry.device})" if entry.device else ""
    return clean_text(f"{_HEADS[finding.outcome]} {entry.key}{where}").replace("\n", " ")


def _measured(diff: Difference, outcome: Outcome) -> list[str]:
    lines = [f"{diff.kind.value}: {diff.summary.strip() or diff.subject}"]
    evidence = []
    if diff.cases:
        total = max(diff.case_count, len(diff.cases))  # `cases` lists only the first few dozen
        shown = ", ".join(diff.cases[:MAX_CASES]) + (", …" if total > MAX_CASES else "")
        evidence.append(f"{_count(total, 'case')} ({shown})")
    if diff.dtypes:
        evidence.append("dtypes " + ", ".join(diff.dtypes))
    if diff.labels:
        evidence.append(f"e.g. {diff.labels[0]}")
    if evidence:
        lines.append("measured on " + "; ".join(evidence))
    if diff.accepted is not None and outcome is Outcome.NEW:
        lines.append(f"the spec accepts it ({diff.accepted}), but the baseline does not list it")
    elif diff.accepted is not None:
        lines.append(f"reason: {diff.accepted}")
    return lines


def _reproducer(rep: Reproducer, source: str, target: str) -> list[str]:
    lines = ["reproducer:"]
    for api, code, output in (
        (source or "source", rep.source, rep.source_output),
        (target, rep.target, rep.target_output),
    ):
        lines.append(f"  # {api}")
        lines += ["  " + line for line in code.strip("\n").split("\n")]
        lines += ["  " + line for line in _output_lines(output)]
    return lines


def _output_lines(output: str | None) -> list[str]:
    """Captured output as comments, the way the report pages show it; long outputs are cut."""
    if output is None:
        return ["# (not run)"]
    text = output.rstrip("\n").split("\n") if output.strip() else ["(no output)"]
    if len(text) > MAX_OUTPUT_LINES:
        more = len(text) - MAX_OUTPUT_LINES
        text = [*text[:MAX_OUTPUT_LINES], f"… ({more} more line{'s' if more != 1 else ''})"]
    return ["# " + line if line else "#" for line in text]


def _count(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {plural or word + 's'}"
