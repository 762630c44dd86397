"""Parameter names verified by calls: what the cases that pass a parameter by keyword showed.

A keyword case copies a positional one (apicompat.generate.calls). Where the copy
raises and the positional call returned, the side does not take that name as a
keyword; where both return but the results differ, the name and the position
reach different parameters (the spec's positional order is not the live one).
Every case where a parameter went by keyword to both sides and both returned
verifies that parameter's names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from apicompat.compare.names import display_name
from apicompat.compare.outputs import compare_observations
from apicompat.records import (
    Case,
    Difference,
    DiffKind,
    Implementation,
    Observation,
    Severity,
    TensorArg,
)


@dataclass(frozen=True)
class CallCheck:
    """Differences the keyword cases measured, and the canonical parameters calls verified."""

    differences: tuple[Difference, ...]
    verified: frozenset[str]


def is_keyword_case(case: Case) -> bool:
    """Whether a case exists to pass a positional parameter by keyword."""
    return bool(case.by_keyword) and "copies" in case.facet_dict


def keyword_check(
    source: Implementation,
    target: Implementation,
    cases: Sequence[Case],
    source_obs: Sequence[Observation],
    target_obs: Sequence[Observation],
    device: str,
    overrides: Mapping[str, tuple[float, float]] | None = None,
) -> CallCheck:
    """Compare each keyword case with the positional case it copies, on both sides."""
    by_id = {c.id: i for i, c in enumerate(cases)}
    verified: set[str] = set()
    found: dict[str, Difference] = {}
    for i, case in enumerate(cases):
        s, t = source_obs[i], target_obs[i]
        if s.ok and t.ok:
            verified |= _by_keyword_on_both(case, source, target)
        base = by_id.get(case.facet_dict.get("copies", "")) if is_keyword_case(case) else None
        if base is None:
            continue
        name = case.by_keyword[0]
        for impl, obs, was, is_source in (
            (source, s, source_obs[base], True),
            (target, t, target_obs[base], False),
        ):
            diff = _difference(impl, is_source, name, obs, was, device, overrides)
            if diff is not None:
                _add(found, diff, case)
    return CallCheck(tuple(found.values()), frozenset(verified))


def _by_keyword_on_both(case: Case, source: Implementation, target: Implementation) -> set[str]:
    """Canonical parameters this case passed by keyword to both sides (never a method's receiver)."""
    out = set()
    receiver = next((c for c, v in case.args if isinstance(v, TensorArg)), None)  # as invoke does
    for canonical, _ in case.args:
        if all(_by_keyword(impl, canonical, case, receiver) for impl in (source, target)):
            out.add(canonical)
    return out


def _by_keyword(impl: Implementation, canonical: str, case: Case, receiver: str | None) -> bool:
    if impl.name_of.get(canonical, canonical) is None or (impl.method and canonical == receiver):
        return False
    return canonical in case.by_keyword or canonical not in impl.positional


def _difference(
    impl: Implementation,
    is_source: bool,
    canonical: str,
    keyword: Observation,
    positional: Observation,
    device: str,
    overrides: Mapping[str, tuple[float, float]] | None,
) -> Difference | None:
    """What one side did with a name it was given by keyword, against the same call by position."""
    name = impl.name_of.get(canonical, canonical)
    if name is None or not positional.ok:
        return None
    who = display_name(impl.framework)
    prefix = "source_" if is_source else ""  # one baseline key per side
    if not keyword.ok:
        summary = (
            f"{who} ({impl.api}) raises {keyword.error_type or 'an error'} when `{name}` is passed "
            "by keyword, where the same call by position returns"
        )
        return _name_difference(impl, is_source, name, f"{prefix}keyword:{canonical}", summary, device)
    c = compare_observations(positional, keyword, overrides)
    if c.status or c.count or c.dtype or c.shape or c.values:
        summary = (
            f"{who} ({impl.api}) returns other results when `{name}` is passed by keyword than "
            "by position: the spec's positional order is not the names' order"
        )
        return _name_difference(impl, is_source, name, f"{prefix}order:{canonical}", summary, device)
    return None


def _name_difference(
    impl: Implementation, is_source: bool, name: str, subject: str, summary: str, device: str
) -> Difference:
    """A `param_name` difference about one side's `name`: loud when the keyword raises, else silent."""
    sp, tp = (name, None) if is_source else (None, name)
    loud = subject.removeprefix("source_").startswith("keyword:")
    return Difference(
        kind=DiffKind.PARAM_NAME,
        summary=summary,
        subject=subject,
        device=device,
        severity=Severity.LOUD if loud else Severity.SILENT,
        details={"side": impl.api},
        source_param=sp,
        target_param=tp,
    )


def _add(found: dict[str, Difference], diff: Difference, case: Case) -> None:
    """Merge the evidence of one keyword case into the difference about the same parameter."""
    key = diff.subject
    old = found.get(key, diff)
    found[key] = Difference(
        kind=old.kind,
        summary=old.summary,
        subject=old.subject,
        source_param=old.source_param,
        target_param=old.target_param,
        cases=(*old.cases, case.id),
        labels=(*old.labels, case.label),
        device=old.device,
        severity=old.severity,
        case_count=old.case_count + 1,
        details=old.details,
    )
