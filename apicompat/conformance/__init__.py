"""CI conformance: the accepted-difference baseline, verdicts against it, and the one listing.

Used by `apicompat check`, `apicompat merge` and the pytest plugin. It sits
below those composition roots and above the report layer (whose atomic writer,
escaping and JUnit writer it uses); it runs nothing itself.
"""

from __future__ import annotations

from apicompat.conformance.baseline import (
    BASELINE_FORMAT,
    DEFAULT_BASELINE,
    Baseline,
    BaselineEntry,
    entry_for,
    load_baseline,
    parse_baseline,
    render_baseline,
    save_baseline,
    updated_baseline,
)
from apicompat.conformance.junit_cases import junit_case, junit_suites
from apicompat.conformance.listing import (
    format_finding,
    format_findings,
    format_summary,
    format_unit,
    format_verdict,
    unit_message,
)
from apicompat.conformance.units import ANY_DEVICE, Unit, plan_units
from apicompat.conformance.verdict import (
    Finding,
    Outcome,
    UnitVerdict,
    Verdict,
    judge,
    judge_result,
    planned_units,
)

__all__ = [
    "ANY_DEVICE",
    "BASELINE_FORMAT",
    "DEFAULT_BASELINE",
    "Baseline",
    "BaselineEntry",
    "Finding",
    "Outcome",
    "Unit",
    "UnitVerdict",
    "Verdict",
    "entry_for",
    "format_finding",
    "format_findings",
    "format_summary",
    "format_unit",
    "format_verdict",
    "judge",
    "judge_result",
    "junit_case",
    "junit_suites",
    "load_baseline",
    "parse_baseline",
    "plan_units",
    "planned_units",
    "render_baseline",
    "save_baseline",
    "unit_message",
    "updated_baseline",
]
