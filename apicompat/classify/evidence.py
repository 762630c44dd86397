"""The evidence ledger: what a target's verdict rests on, counted from the executed cases."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from apicompat.classify.behaviour import Pairing
from apicompat.records import (
    DTYPES,
    ArgValue,
    DtypeArg,
    DtypeOutcome,
    Evidence,
    Implementation,
    OutArg,
    ParamEvidence,
    SizeArg,
    Status,
    TensorArg,
    TensorListArg,
)

#: Values listed per parameter; the ledger says "…" past that.
MAX_VALUES = 12

OMITTED = "omitted"


def evidence_ledger(
    pairing: Pairing, params: Sequence[str], source: Implementation, target: Implementation
) -> Evidence:
    """Count how the cases ended on both sides, and which parameter values ran where both returned."""
    compared = both_raised = only_source = only_target = not_run = 0
    seen: dict[str, set[str]] = {p: set() for p in params}
    per_dtype: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = zip(pairing.cases, pairing.source, pairing.target, pairing.reference, strict=True)
    for case, s, t, r in rows:
        valid = r.status is not Status.ERROR and case.facet_dict.get("expect_error") != "true"
        dtype = case.facet_dict.get("dtype")
        outcome: str
        if Status.NOT_RUN in (s.status, t.status) or Status.UNAVAILABLE in (s.status, t.status):
            not_run += 1
            outcome = "not_run"
        elif s.ok and t.ok:
            compared += 1
            outcome = "compared"
            given = case.arg_dict
            for name in params:
                seen[name].add(value_label(given[name]) if name in given else OMITTED)
        elif not s.ok and not t.ok:
            both_raised += 1
            outcome = "both_raised"
        elif s.ok:
            only_target += 1
            outcome = "only_target_raised"
        else:
            only_source += 1
            outcome = "only_source_raised"
        if valid and dtype is not None:
            per_dtype[dtype][outcome] += 1
    shared = [p for p in params if source.supports(p) and target.supports(p)]
    return Evidence(
        compared=compared,
        both_raised=both_raised,
        only_source_raised=only_source,
        only_target_raised=only_target,
        not_run=not_run,
        params=tuple(ParamEvidence(p, _ordered(seen[p])) for p in shared),
        unexercised=tuple(p for p in shared if not seen[p] - {OMITTED}),
        dtypes=tuple(DtypeOutcome(d, **per_dtype[d]) for d in DTYPES if d in per_dtype),
    )


def value_label(value: ArgValue) -> str:
    """A parameter value in a word: a tensor by its dtype, a number or flag by its repr."""
    if isinstance(value, TensorArg):
        return value.dtype
    if isinstance(value, TensorListArg):
        return f"list of {len(value.items)}"
    if isinstance(value, DtypeArg):
        return value.name
    if isinstance(value, OutArg):
        return "out tensor"
    if isinstance(value, SizeArg):
        return value.describe()
    return repr(value)


def _ordered(values: set[str]) -> tuple[str, ...]:
    """Values in a stable order, `omitted` first, at most MAX_VALUES of them and then `…`."""
    ordered = sorted(values - {OMITTED}, key=lambda v: (len(v), v))
    if OMITTED in values:
        ordered.insert(0, OMITTED)
    return tuple(ordered[:MAX_VALUES]) + (("…",) if len(ordered) > MAX_VALUES else ())
