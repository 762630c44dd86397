"""The "Changes between versions" section of a page: the spec measured under each framework version."""

from __future__ import annotations

from apicompat.records import DiffKind, SpecResult, TargetResult
from apicompat.report.changelog import version_changelog
from apicompat.report.changelog_page import source_section, target_section
from apicompat.report.escape import md_cell, md_inline


def versions_section(result: SpecResult) -> list[str]:
    """Page paragraphs: each target's outcome per version, then what changed from each other version."""
    if not result.other_versions:
        return []
    frameworks = sorted({run.framework for run in result.other_versions})
    main = ", ".join(f"{fw} {result.versions.get(fw, '?')}" for fw in frameworks)
    others = ", ".join(f"{run.framework} {run.version}" for run in result.other_versions)
    intro = (
        f"The same {result.cases} cases (seed {result.seed}) were run with {others} besides {main} "
        "(the installed version, which the sections above describe)."
    )
    header = [
        "Target",
        f"{main} (installed)",
        *(f"{run.framework} {run.version}" for run in result.other_versions),
    ]
    rows = [
        "| " + " | ".join(md_cell(h) for h in header) + " |",
        "| " + " | ".join("---" for _ in header) + " |",
    ]
    for target in result.targets:
        cells = [target.api, _outcome(target)]
        for run in result.other_versions:
            other = next((t for t in run.targets if (t.source, t.api) == (target.source, target.api)), None)
            cells.append(_outcome(other) if other is not None else "not measured")
        rows.append(_row(cells))
    parts = ["## Changes between versions", md_inline(intro), "\n".join(rows)]
    for run in result.other_versions:
        log = version_changelog(result, run)
        parts.append(f"### From {md_inline(log.old_label)} to {md_inline(log.new_label)}")
        if not log.changed:
            parts.append(
                md_inline(f"No change measured: the same differences in {run.cases} executed cases.")
            )
            continue
        for entry in log.targets:
            parts.append("\n".join(target_section(entry, "####")).rstrip("\n"))
        for source in log.sources:
            parts.append("\n".join(source_section(source, "####")).rstrip("\n"))
    return parts


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(md_cell(c) for c in cells) + " |"


def _outcome(target: TargetResult) -> str:
    """A target's verdict, or its difference kinds when it has none yet."""
    if target.verdict is not None:
        return target.verdict.text
    if not target.differences:
        return "Consistent"
    kinds = sorted({d.kind for d in target.differences}, key=list(DiffKind).index)
    return f"Differs: {', '.join(k.value for k in kinds)}"
