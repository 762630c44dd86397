"""A changelog as Markdown (for people) and JSON (for tools): pure functions of a Changelog."""

from __future__ import annotations

import json
from typing import Any

from apicompat.report.changelog import (
    Change,
    Changelog,
    DifferenceChange,
    ParamChange,
    SignatureChange,
    SourceChanges,
    TargetChanges,
    VersionChange,
)
from apicompat.report.escape import md_cell, md_inline
from apicompat.report.json_report import to_jsonable

#: The `format` value of a JSON changelog, and its version (bumped when a key changes).
CHANGELOG_FORMAT = "apicompat-changelog"
CHANGELOG_VERSION = 1


def changelog_dict(log: Changelog) -> dict[str, Any]:
    """The changelog as plain JSON data."""
    data: dict[str, Any] = to_jsonable(log)
    return {"format": CHANGELOG_FORMAT, "format_version": CHANGELOG_VERSION, "changed": log.changed, **data}


def render_changelog_json(log: Changelog) -> str:
    """The JSON changelog: sorted keys, indent 2, trailing newline."""
    return (
        json.dumps(changelog_dict(log), sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    )


def render_changelog(log: Changelog, heading: str = "#") -> str:
    """The Markdown changelog: versions, a summary line, then one section per changed target."""
    lines = [f"{heading} Changes from {md_inline(log.old_label)} to {md_inline(log.new_label)}", ""]
    lines += [md_inline(version_line(log.versions)), ""]
    for note in log.notes:
        lines += [md_inline(note), ""]
    lines += [md_inline(summary_line(log)), ""]
    if log.specs_added:
        lines += [md_inline("Specs measured only in the new set: " + ", ".join(log.specs_added)), ""]
    if log.specs_removed:
        lines += [md_inline("Specs measured only in the old set: " + ", ".join(log.specs_removed)), ""]
    for target in log.targets:
        lines += target_section(target, heading + "#")
    for source in log.sources:
        lines += source_section(source, heading + "#")
    return "\n".join(lines).rstrip("\n") + "\n"


def version_line(versions: tuple[VersionChange, ...]) -> str:
    """`Framework versions: mindspore 2.9.0 → 2.10.0; torch 2.13.0 (unchanged).`"""
    parts = []
    for v in versions:
        if v.old == v.new:
            parts.append(f"{v.framework} {v.old} (unchanged)")
        else:
            parts.append(f"{v.framework} {v.old or '(not run)'} → {v.new or '(not run)'}")
    return "Framework versions: " + ("; ".join(parts) if parts else "none recorded") + "."


def summary_line(log: Changelog) -> str:
    """How many specs were compared and what changed, worst first; "No changes" when nothing did."""
    specs = f"{log.compared} spec{'s' if log.compared != 1 else ''} compared"
    if not log.changed:
        return f"{specs}: no changes."
    counts = [f"{n} {key}" for key, n in sorted(log.counts.items(), key=_count_order)]
    targets = f"{len(log.targets)} target{'s' if len(log.targets) != 1 else ''} changed"
    return f"{specs}, {targets}" + (f": {', '.join(counts)} difference(s)." if counts else ".")


def _count_order(item: tuple[str, int]) -> tuple[int, int]:
    change, _, severity = item[0].partition(" ")
    order = [c.value for c in Change]
    ranks = ["silent", "loud", "interface", "minor"]
    return (order.index(change), ranks.index(severity) if severity in ranks else len(ranks))


def target_section(target: TargetChanges, heading: str = "##") -> list[str]:
    """One target's changes: its verdict, its signature, then a table of its differences."""
    title = f"{heading} {md_inline(target.source)} → {md_inline(target.api)} ({md_inline(target.spec_id)})"
    lines = [title, ""]
    if target.change is Change.APPEARED:
        return [*lines, "Target measured only in the new set.", ""]
    if target.change is Change.DISAPPEARED:
        return [*lines, "Target measured only in the old set: it vanished.", ""]
    if target.verdict is not None:
        old = target.verdict.old or "(none)"
        new = target.verdict.new or "(none)"
        lines += [md_inline(f"Verdict: {old} → {new}"), ""]
    if target.signature:
        lines += ["Signature:", ""]
        lines += [f"- {md_inline(signature_text(s))}" for s in target.signature]
        lines.append("")
    if target.differences:
        lines += [
            "| Change | Severity | Kind | Subject | Cases | Difference |",
            "| --- | --- | --- | --- | --- | --- |",
            *(_difference_row(d) for d in target.differences),
            "",
        ]
    return lines


def source_section(source: SourceChanges, heading: str = "##") -> list[str]:
    """The source API's signature changes in one spec."""
    lines = [
        f"{heading} {md_inline(source.api)} (source of {md_inline(source.spec_id)})",
        "",
        "Signature:",
        "",
    ]
    return [*lines, *(f"- {md_inline(signature_text(s))}" for s in source.signature), ""]


def signature_text(change: SignatureChange) -> str:
    """One parameter change in words, e.g. "`axis` renamed to `dim`"."""
    if change.change is ParamChange.ADDED:
        return f"parameter {change.param} added"
    if change.change is ParamChange.REMOVED:
        return f"parameter {change.param} removed"
    if change.change is ParamChange.RENAMED:
        return f"parameter {change.old} renamed to {change.new}"
    what = "default" if change.change is ParamChange.DEFAULT else "kind"
    return f"{what} of {change.param}: {change.old or '(required)'} → {change.new or '(required)'}"


def _difference_row(diff: DifferenceChange) -> str:
    severity = diff.severity.value
    if diff.old_severity is not None and diff.old_severity != diff.severity:
        severity = f"{diff.old_severity.value} → {diff.severity.value}"
    cases = f"{_count(diff.old_cases)} → {_count(diff.new_cases)}"
    change = diff.change.value
    if diff.fields:
        change += f" ({', '.join(diff.fields)})"
    subject = diff.subject + (f" on {diff.device}" if diff.device else "")
    if "summary" in diff.fields:
        text = f"{diff.old_summary} → {diff.new_summary}"
    else:
        text = diff.new_summary if diff.new_summary is not None else (diff.old_summary or "")
    cells = [change, severity, diff.kind.value, subject, cases, text]
    return "| " + " | ".join(md_cell(c) for c in cells) + " |"


def _count(n: int | None) -> str:
    # 0: a difference read from signatures, not counted in cases.
    return "-" if not n else str(n)
