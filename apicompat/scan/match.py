"""Which shipped spec measures each traced API, and what that spec's report says of each candidate."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from apicompat.records import ApicompatError, Severity, SpecResult, TargetResult
from apicompat.records.scan import ApiCategory, ApiReadiness, ApiUse, CandidateReadiness
from apicompat.report.load import load_result
from apicompat.scan.names import aliases, init_command
from apicompat.spec import Spec


@dataclass(frozen=True)
class Match:
    """A spec that measures a traced API, and how it was found."""

    spec: Spec
    how: str  # "source", "method", or "as <api>" for an alias (a method measured by the function's spec)


def _api(path: str) -> str:
    """`pkg.mod:func` written as the dotted name a trace reports."""
    return path.replace(":", ".")


def spec_index(specs: Sequence[Spec]) -> dict[str, tuple[Spec, str]]:
    """Every name a spec's source answers to: its function, and its method form when it has one."""
    index: dict[str, tuple[Spec, str]] = {}
    for spec in sorted(specs, key=lambda s: s.id):
        index.setdefault(_api(spec.source.api), (spec, "source"))
        if spec.source_method is not None:
            index.setdefault(_api(spec.source_method.api), (spec, "method"))
    return index


def find_spec(name: str, index: Mapping[str, tuple[Spec, str]]) -> Match | None:
    """The spec for a traced name: by the name itself, else by the first alias a spec's source has."""
    for alias in aliases(name):
        found = index.get(alias)
        if found is not None:
            spec, how = found
            return Match(spec, how if alias == name else f"as {alias}")
    return None


def read_results(reports: Path, spec_ids: Sequence[str]) -> tuple[dict[str, SpecResult], dict[str, str]]:
    """The report of each spec found in `reports` (id -> result), and why any other could not be read."""
    results: dict[str, SpecResult] = {}
    problems: dict[str, str] = {}
    for spec_id in sorted(set(spec_ids)):
        path = reports / f"{spec_id}.json"
        if not path.is_file():
            problems[spec_id] = f"no {spec_id}.json"
            continue
        try:
            results[spec_id] = load_result(path)
        except ApicompatError as exc:
            problems[spec_id] = str(exc)
    return results, problems


def worst_severity(target: TargetResult) -> Severity | None:
    """The verdict's severity, else the worst among differences no other one explains.

    A report written before verdicts existed holds every difference at the default severity,
    which says nothing: without a verdict, the severity is unknown (None).
    """
    if target.verdict is None:
        return None
    if target.verdict.severity is not None:
        return target.verdict.severity
    own = [d.severity for d in target.differences if d.explained_by is None and d.accepted is None]
    return min(own, key=lambda s: s.rank) if own else None


def candidates(
    spec: Spec, result: SpecResult | None, page: str | None, problem: str | None
) -> tuple[CandidateReadiness, ...]:
    """Each MindSpore target of the spec, with its verdict and worst severity from the report."""
    by_api = {t.api: t for t in result.targets} if result is not None else {}
    rows = []
    for impl in spec.targets:
        if impl.framework != "mindspore":
            continue
        target = by_api.get(impl.api)
        if target is None:
            text = "no report" if problem else "not in the report"
            rows.append(CandidateReadiness(impl.api, None, text, None, 0, None))
            continue
        verdict = target.verdict
        rows.append(
            CandidateReadiness(
                api=impl.api,
                verdict=verdict.kind if verdict is not None else None,
                verdict_text=verdict.text if verdict is not None else _plain_verdict(target),
                severity=worst_severity(target),
                differences=len(target.differences),
                page=page,
            )
        )
    return tuple(rows)


def _plain_verdict(target: TargetResult) -> str:
    """A verdict from the difference count, for a report written before verdicts existed."""
    count = len(target.differences)
    return "no differences measured" if count == 0 else f"{count} difference(s) measured"


def readiness_rows(
    apis: Sequence[ApiUse], specs: Sequence[Spec], reports: Path, out: Path
) -> tuple[tuple[ApiReadiness, ...], tuple[tuple[str, str], ...]]:
    """One row per traced API (its spec and candidates, or the init line that would start one),
    and why any matched spec's report could not be read."""
    index = spec_index(specs)
    matches = {use.name: find_spec(use.name, index) for use in apis}
    compared = [use for use in apis if use.category is ApiCategory.OPERATION]
    spec_ids = [m.spec.id for use in compared if (m := matches[use.name]) is not None]
    results, problems = read_results(reports, spec_ids)
    rows = []
    for use in apis:
        match = matches[use.name]
        if use.category is not ApiCategory.OPERATION:
            rows.append(ApiReadiness(use, match.spec.id if match else None, match.how if match else ""))
            continue
        if match is None:
            rows.append(ApiReadiness(use, None, "", init_command=init_command(use.name)))
            continue
        spec_id = match.spec.id
        result = results.get(spec_id)
        page = _relative(reports / f"{spec_id}.md", out) if result is not None else None
        found = candidates(match.spec, result, page, problems.get(spec_id))
        rows.append(ApiReadiness(use, spec_id, match.how, candidates=found))
    return tuple(rows), tuple(sorted(problems.items()))


def _relative(path: Path, start: Path) -> str:
    """`path` relative to the directory the readiness page is written in, with forward slashes."""
    return Path(os.path.relpath(path.absolute(), start.absolute())).as_posix()
