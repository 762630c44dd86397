"""Causes linked to consequences: a difference another one explains is folded under it.

Two causes are recognised, both from measurements:
- a target that raises on every valid case of a device explains every other behavioural finding on
  that device (they are symptoms of the missing kernel or the unfit signature);
- a default that differs explains the value, dtype and status rows that agree once the cases are run
  again on the target with the source's default passed explicitly (apicompat.run.defaults runs them).
  A changed default that explains nothing it was tested on is `interface`, "signature only".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from apicompat.classify.verdicts import is_not_runnable
from apicompat.records import Difference, DiffKind, Severity

#: Kinds about the interface, found by reading signatures: no device, never a symptom.
STATIC_KINDS = frozenset({DiffKind.PARAM_NAME, DiffKind.PARAM_ONLY_IN_ONE, DiffKind.PARAM_DEFAULT})


def fold_not_runnable(diffs: Sequence[Difference], spec_id: str, target: str) -> list[Difference]:
    """Fold every behavioural finding on a device under the finding that the target cannot run there."""
    blockers = {d.device: d.key(spec_id, target) for d in diffs if is_not_runnable(d) and d.device}
    out = []
    for diff in diffs:
        cause = blockers.get(diff.device or "")
        if (
            cause
            and not is_not_runnable(diff)
            and diff.kind not in STATIC_KINDS
            and diff.explained_by is None
        ):
            diff = dataclasses.replace(diff, explained_by=cause)
        out.append(diff)
    return out


@dataclasses.dataclass(frozen=True)
class DefaultTrial:
    """The re-run of one changed default: which cases were tried, which then agreed with the source."""

    param: str  # canonical name
    value: object  # the source's default, as passed to the target
    tried: frozenset[str]
    agreed: frozenset[str]


def fold_defaults(
    diffs: Sequence[Difference], trials: Mapping[str, DefaultTrial], spec_id: str, target: str
) -> list[Difference]:
    """Fold the rows a changed default explains under it; a default that explains none is signature only."""
    out = list(diffs)
    for i, diff in enumerate(diffs):
        if diff.kind is not DiffKind.PARAM_DEFAULT or diff.subject not in trials:
            continue
        trial = trials[diff.subject]
        key = diff.key(spec_id, target)
        explained = [
            j
            for j, other in enumerate(out)
            if other.kind not in STATIC_KINDS
            and other.explained_by is None
            and other.cases
            and set(other.cases) <= trial.agreed
        ]
        for j in explained:
            out[j] = dataclasses.replace(out[j], explained_by=key)
        out[i] = _judged_default(diff, trial, [out[j] for j in explained])
    return out


def _judged_default(diff: Difference, trial: DefaultTrial, explained: Sequence[Difference]) -> Difference:
    """The default's own row: as bad as what it causes, with that evidence; else signature only."""
    if not explained:
        tried = f"{len(trial.tried)} case(s) that omit it" if trial.tried else "the cases that omit it"
        return dataclasses.replace(
            diff, severity=Severity.INTERFACE, summary=f"{diff.summary} (signature only: {tried} agree)"
        )
    worst = min((d.severity for d in explained), key=lambda s: s.rank)
    cases = tuple(dict.fromkeys(c for d in explained for c in d.cases))
    count = sum(d.case_count for d in explained)
    summary = (
        f"{diff.summary}; passing `{diff.source_param}={trial.value!r}` to the target explicitly makes "
        f"{len(trial.agreed)} differing case(s) agree: it explains {len(explained)} finding(s) folded here"
    )
    labels = explained[0].labels
    return dataclasses.replace(
        diff,
        severity=worst,
        summary=summary,
        cases=cases[:40],
        case_count=count,
        labels=labels,
    )
