"""The row of a target that fails after earlier calls in the same process (found by apicompat.run.fresh).

A case the target failed in its run, where the source and the reference returned, but that returned
when run again in a fresh worker, is reported by its fresh observation; that its outcome depends on
the calls before it is a porting hazard of its own (a model calls many ops in one process), so it is
one `error_behavior` row, `target_rejects:after_earlier_calls`: `loud`, as every target_rejects row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from apicompat.classify.behaviour import MAX_EVIDENCE, error_note, size_then_id
from apicompat.classify.severity import severity_of
from apicompat.compare.names import display_name
from apicompat.records import Case, Difference, DiffKind, Implementation
from apicompat.records.history import AFTER_CALLS, AfterCalls


def after_calls_row(
    source: Implementation,
    target: Implementation,
    finding: AfterCalls,
    cases: Mapping[str, Case],
    device: str,
) -> Difference:
    """The row that says `target` fails after earlier calls, with the case the page reproduces first."""
    s, t = display_name(source.framework), display_name(target.framework)
    rest = sorted((cases[c] for c in finding.cases if c != finding.probe), key=size_then_id)
    ordered = [cases[finding.probe], *rest]
    # What the page shows is the failure as reproduced in a fresh worker where it could be (the
    # same in every run); the first run's error only where it could not.
    error = finding.reproduced or finding.first[finding.probe]
    note = error_note(error)
    if finding.trigger is not None:
        of = f" of {finding.trigger_api}" if finding.trigger_api not in (None, target.api) else ""
        how = f"right after one earlier call{of} ({cases[finding.trigger].label})"
    elif finding.preceding:
        how = f"after a sequence of {finding.preceding} earlier calls, no single one of them enough"
    else:
        how = (
            "only after a sequence of calls (not reproduced in a fresh process from the calls of "
            "this spec that ran before it)"
        )
    count = len(finding.cases)
    summary = (
        f"{t} fails after earlier calls in the same process, where {s} returns: it raised "
        f"{error.error_type or 'an error'} {how}; alone, in a fresh process, the same call returns "
        f"({count} case(s))"
    )
    firsts = Counter(error_note(o) for o in finding.first.values())
    details: dict[str, object] = {
        "source": "returns",
        "target": f"{note} (after earlier calls; returns in a fresh process)",
        "notes": sorted(firsts, key=lambda n: (-firsts[n], n)),
        "trigger": finding.trigger,
        "trigger_api": finding.trigger_api,
        "preceding_calls": finding.preceding,
    }
    dtypes = tuple(sorted({c.facet_dict["dtype"] for c in ordered if "dtype" in c.facet_dict}))
    return Difference(
        kind=DiffKind.ERROR_BEHAVIOR,
        summary=summary,
        subject=AFTER_CALLS if device == "cpu" else f"{AFTER_CALLS}@{device}",
        dtypes=dtypes,
        cases=tuple(c.id for c in ordered[:MAX_EVIDENCE]),
        all_cases=tuple(c.id for c in ordered),
        labels=tuple(c.label for c in ordered[:3]),
        device=device,
        severity=severity_of(DiffKind.ERROR_BEHAVIOR, AFTER_CALLS),
        case_count=count,
        details=details,
    )
