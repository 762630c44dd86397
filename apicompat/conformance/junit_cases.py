"""A conformance verdict as JUnit testsuites: one suite per spec, one testcase per unit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from apicompat.conformance.listing import format_findings, format_unit, unit_message
from apicompat.conformance.verdict import UnitVerdict, Verdict
from apicompat.records import SpecResult
from apicompat.report.junit import JUnitCase, JUnitSuite


def junit_case(verdict: UnitVerdict) -> JUnitCase:
    """One unit as a testcase; accepted differences and stale warnings go to system-out."""
    notes = []
    if verdict.matched:
        notes.append(
            "Accepted differences (in the baseline):\n\n" + format_findings(verdict.matched, reproducer=False)
        )
    if verdict.warnings:
        notes.append(
            "Stale baseline entries (not failing: strictness is off):\n\n" + format_findings(verdict.warnings)
        )
    return JUnitCase(
        name=verdict.unit.name,
        classname=verdict.unit.classname,
        failure_message=unit_message(verdict) if verdict.failed else None,
        failure_text=format_unit(verdict) if verdict.failed else None,
        skipped=verdict.skipped,
        system_out="\n\n".join(notes) or None,
    )


def junit_suites(
    verdict: Verdict,
    results: Sequence[SpecResult] = (),
    durations: Mapping[str, float] | None = None,
) -> list[JUnitSuite]:
    """One testsuite per spec, in run order, with its run time and the versions it ran against."""
    by_spec = {r.spec_id: r for r in results}
    suites = []
    for spec in verdict.specs:
        result = by_spec.get(spec)
        properties: list[tuple[str, str]] = []
        if result is not None:
            properties += [(f"version.{fw}", v) for fw, v in sorted(result.versions.items())]
            properties += [("seed", str(result.seed)), ("cases", str(result.cases))]
        suites.append(
            JUnitSuite(
                name=f"apicompat.{spec}",
                cases=tuple(junit_case(u) for u in verdict.units if u.unit.spec == spec),
                time=(durations or {}).get(spec, 0.0),
                properties=tuple(properties),
            )
        )
    return suites
