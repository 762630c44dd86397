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

from apicompat.classify.behaviour import precision_rows
from apicompat.classify.verdicts import is_not_runnable
from apicompat.compare.outputs import Comparison
from apicompat.records import Case, Difference, DiffKind, Implementation, Severity

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


#: What an output dtype can cause: an int8 sum wraps around where an int64 one does not. Only the
#: overflow rows: other value rows on the same cases (NaN handled otherwise) have causes of their own.
_DTYPE_CONSEQUENCES = frozenset({(DiffKind.SPECIAL_VALUES, "overflow")})


def fold_dtype_consequences(diffs: Sequence[Difference], spec_id: str, target: str) -> list[Difference]:
    """Fold a value row under the output-dtype row(s) its cases all belong to: the narrower result
    dtype is the cause (integer wraparound in int8 sums), the values its consequence."""
    dtype_rows = [d for d in diffs if d.kind is DiffKind.OUTPUT_DTYPE and d.explained_by is None]
    if not dtype_rows:
        return list(diffs)
    covered = set().union(*(set(d.all_cases or d.cases) for d in dtype_rows))
    out = []
    for diff in diffs:
        cases = set(diff.all_cases or diff.cases)
        consequence = (diff.kind, diff.subject.split("@", 1)[0]) in _DTYPE_CONSEQUENCES
        if consequence and diff.explained_by is None and cases and cases <= covered:
            cause = max(dtype_rows, key=lambda d: (len(cases & set(d.all_cases or d.cases)), d.subject))
            diff = dataclasses.replace(diff, explained_by=cause.key(spec_id, target))
        out.append(diff)
    return out


@dataclasses.dataclass(frozen=True)
class DefaultTrial:
    """The re-run of one changed default: which cases were tried, which then agreed with the source."""

    param: str  # canonical name
    value: object  # the source's default, as a canonical value
    tried: frozenset[str]  # differing cases that omit the parameter and could be run with it given
    agreed: frozenset[str]  # those that then agreed with the source
    native: object = None  # the value as the target was passed it (ddof=1 for correction=1)
    # Tried cases that then differed from the source only by precision: float64 results at float32
    # precision (apicompat.classify.precision), or a precision probe still far off the reference where
    # the source is not. The default explains their difference, the precision the rest.
    coarse: frozenset[str] = frozenset()
    # original case id -> (the case as tried, its precision row's subject, the source's and the tried
    # target's error against the reference), for the coarse cases: the evidence of their row.
    coarse_evidence: Mapping[str, tuple[Case, str, Comparison, Comparison]] = dataclasses.field(
        default_factory=dict
    )

    raised: int = 0  # tried cases that raised in the target once given the source's default
    raised_note: str = ""  # the first such error, `ValueError: ...`
    # original case id -> the value the source's default behaves as there (found by running the source
    # with each explicit value), as the target was then passed it: where the default itself raised.
    implied: Mapping[str, object] = dataclasses.field(default_factory=dict)

    @property
    def matched(self) -> frozenset[str]:
        """The cases whose difference the default accounts for: agreed, or agreed up to precision."""
        return self.agreed | self.coarse


def fold_defaults(
    diffs: Sequence[Difference], trials: Mapping[str, DefaultTrial], spec_id: str, target: str
) -> list[Difference]:
    """Fold the rows a changed default explains under it; a default that explains none says what the
    re-run showed ("signature only" only when no case that omits it differs)."""
    out = list(diffs)
    for i, diff in enumerate(diffs):
        if diff.kind is not DiffKind.PARAM_DEFAULT or diff.subject not in trials:
            continue
        trial = trials[diff.subject]
        key = diff.key(spec_id, target)
        explained: list[Difference] = []
        for j, other in enumerate(out):
            if other.kind in STATIC_KINDS or other.explained_by is not None:
                continue
            cases = set(other.all_cases or other.cases)
            if not cases or not cases & trial.matched:
                continue
            if cases <= trial.matched:
                out[j] = dataclasses.replace(other, explained_by=key)
                explained.append(out[j])
            else:
                # Some of its cases are the default's doing, others are not: it stands, and says so.
                share = len(cases & trial.matched)
                note = (
                    f" ({share} of these {len(cases)} cases agree once {_given(diff, trial)} is passed "
                    "explicitly; the others differ for another reason)"
                )
                out[j] = dataclasses.replace(other, summary=other.summary + note)
        touched = [
            o for o in out if o.kind not in STATIC_KINDS and set(o.all_cases or o.cases) & trial.matched
        ]
        out[i] = _judged_default(diff, trial, explained, touched)
    return out


def _given(diff: Difference, trial: DefaultTrial) -> str:
    """`ddof=1`: the parameter as the target names it, with the source's default as it was passed;
    where that raised, the values the default behaves as, and why they were passed instead."""
    name = diff.target_param or diff.source_param
    value = trial.native if trial.native is not None else trial.value
    given = f"`{name}={value!r}`"
    if not trial.implied:
        return given
    values = " or ".join(f"`{name}={v}`" for v in sorted({repr(v) for v in trial.implied.values()}))
    return (
        f"{values} (the value the source's default behaves as in each case, found by running the source "
        f"with each value, since {given} itself raises in the target: {trial.raised_note})"
    )


def _judged_default(
    diff: Difference, trial: DefaultTrial, explained: Sequence[Difference], touched: Sequence[Difference]
) -> Difference:
    """The default's own row: as bad as what it causes, with that evidence; else what the re-run showed."""
    if not explained and trial.matched:
        worst = min((d.severity for d in touched), key=lambda s: s.rank, default=Severity.INTERFACE)
        summary = (
            f"{diff.summary}; passing {_given(diff, trial)} to the target explicitly makes "
            f"{len(trial.matched)} of {len(trial.tried)} differing case(s) that omit it agree "
            "(the rows they are in differ for other reasons too)"
        )
        return dataclasses.replace(diff, severity=worst, summary=summary)
    if not explained:
        if not trial.tried and diff.cases:
            return diff  # its evidence is its own (cases that raise for a parameter only the target requires)
        if not trial.tried:
            summary = f"{diff.summary} (signature only: no case that omits it differs)"
        elif trial.raised == len(trial.tried) and not trial.implied:
            summary = (
                f"{diff.summary} (the trial could not run: passing {_given(diff, trial)} raises in the "
                f"target ({trial.raised_note}) on the {len(trial.tried)} differing case(s) that omit it, "
                "and no explicit value reproduces the source's default there)"
            )
        else:
            summary = (
                f"{diff.summary} (passing {_given(diff, trial)} explicitly did not make the "
                f"{len(trial.tried)} differing case(s) that omit it agree: not the cause)"
            )
        return dataclasses.replace(diff, severity=Severity.INTERFACE, summary=summary)
    worst = min((d.severity for d in explained), key=lambda s: s.rank)
    cases = tuple(dict.fromkeys(c for d in explained for c in d.cases))
    count = sum(d.case_count for d in explained)
    summary = (
        f"{diff.summary}; passing {_given(diff, trial)} to the target explicitly makes "
        f"{len(trial.matched)} differing case(s) agree: it explains {len(explained)} finding(s) folded here"
    )
    return dataclasses.replace(
        diff, severity=worst, summary=summary, cases=cases[:40], case_count=count, labels=explained[0].labels
    )


def fold_coarse_defaults(
    diffs: Sequence[Difference],
    trials: Mapping[str, DefaultTrial],
    source: Implementation,
    target: Implementation,
    device: str,
) -> list[Difference]:
    """A precision row for the cases a changed default explains only up to precision: once `ddof=1`
    is passed, MindSpore's float64 std is still off by float32's epsilon, and its float32 variance of
    a long large-offset input still far off: the precision it computes at, not the default. Merged
    into a precision row the cases already gave."""
    out = list(diffs)
    for name, trial in sorted(trials.items()):
        if not trial.coarse:
            continue
        diff = next(d for d in diffs if d.kind is DiffKind.PARAM_DEFAULT and d.subject == name)
        found = [trial.coarse_evidence[c] for c in sorted(trial.coarse)]
        note = (
            f" (measured with {_given(diff, trial)} passed: the default explains the rest of the difference)"
        )
        for row in precision_rows(source, target, device, found):
            row = dataclasses.replace(row, summary=row.summary + note)
            same = next((i for i, d in enumerate(out) if d.key("", "") == row.key("", "")), None)
            if same is None:
                out.append(row)
            else:
                # Still off once the default is passed: the merged row is not the default's doing.
                out[same] = dataclasses.replace(_merged(out[same], row), explained_by=None)
    return out


def _merged(row: Difference, more: Difference) -> Difference:
    """One row with the cases of both (the first's summary, and how many cases the second added)."""
    cases = tuple(dict.fromkeys((*row.cases, *more.cases)))
    summary = f"{row.summary}; {more.case_count} more case(s): {more.summary}"
    return dataclasses.replace(
        row, cases=cases[:40], case_count=row.case_count + more.case_count, summary=summary
    )
