"""Parameters the target requires where the source makes them optional: measure the calls with them.

`torch.nn.functional.batch_norm(x, mean, var)` takes `weight=None, bias=None`;
`mindspore.ops.batch_norm` requires both, so every case that omits them raises TypeError there and
the target would read "Not runnable". That raise is a fact about the signature (a `param_default`
row, "required"); the behaviour is measured on copies of those cases with the parameters given
(apicompat.generate.fill), run on the source, the target and the reference, and the target's
pairing uses the copies in place of the originals. Only where some copy returns on the target
where its original raised: otherwise the parameters were not what stopped it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from apicompat.classify.behaviour import error_note
from apicompat.classify.signatures import live_params
from apicompat.compare.names import display_name
from apicompat.execute import Session
from apicompat.generate.fill import with_given
from apicompat.records import Case, Difference, DiffKind, Implementation, Observation, SignatureInfo
from apicompat.spec import Spec

Observations = dict[tuple[str, str], list[Observation]]


@dataclass(frozen=True)
class RequiredTrial:
    """The target's view of the cases once the parameters it requires are given."""

    params: tuple[str, ...]  # canonical names: optional in the source, required in the target
    copies: Mapping[str, Case]  # original case id -> the copy with them given
    raised: Mapping[str, tuple[str, ...]]  # canonical -> ids of cases omitting it that raised only there
    error: str  # the target's first such error, `TypeError: ... missing 2 required ...`
    cases: tuple[Case, ...]  # each case, or its copy
    observations: Observations  # per job of this pair (and the reference): the view's observations


def required_params(
    params: Sequence[str],
    source: Implementation,
    target: Implementation,
    source_sig: SignatureInfo | None,
    target_sig: SignatureInfo | None,
) -> tuple[str, ...]:
    """Canonical parameters with a default in the source's live signature and none in the target's."""
    s_defaults = {p.name: p.default for p in live_params(source_sig)}
    t_defaults = {p.name: p.default for p in live_params(target_sig)}
    found = []
    for canonical in params:
        sp, tp = source.name_of.get(canonical, canonical), target.name_of.get(canonical, canonical)
        if sp in s_defaults and s_defaults[sp] is not None and tp in t_defaults and t_defaults[tp] is None:
            found.append(canonical)
    return tuple(found)


def required_trial(
    session: Session,
    spec: Spec,
    jobs: Sequence[tuple[Implementation, str]],
    needed: Sequence[str],
    cases: Sequence[Case],
    observations: Observations,
) -> RequiredTrial | None:
    """Run the cases that omit a `needed` parameter again with it given, on `jobs` (the reference,
    then the source and the target on each device; the first device decides); None where no copy
    returns on the target where its original raised."""
    copies = {
        c.id: copy
        for c in cases
        if any(n not in c.arg_dict for n in needed) and (copy := with_given(spec, c, needed)) is not None
    }
    if not needed or not copies:
        return None
    ran = session.run(jobs, list(copies.values()))
    (source, device), (target, _) = jobs[1], jobs[2]
    by_id = {c.id: i for i, c in enumerate(cases)}
    s_was, t_was = observations[(source.api, device)], observations[(target.api, device)]
    t_now = dict(zip(copies, ran[(target.api, device)], strict=True))
    if not any(t_now[cid].ok and not t_was[by_id[cid]].ok for cid in copies):
        return None
    raised = {
        name: tuple(
            c.id
            for c in cases
            if c.id in copies
            and name not in c.arg_dict
            and s_was[by_id[c.id]].ok
            and not t_was[by_id[c.id]].ok
        )
        for name in needed
    }
    first = next((t_was[by_id[cid]] for ids in raised.values() for cid in ids), None)
    position = {cid: i for i, cid in enumerate(copies)}
    view = {
        job: [
            ran[job][position[c.id]] if c.id in copies else o
            for c, o in zip(cases, observations[job], strict=True)
        ]
        for job in ran
    }
    return RequiredTrial(
        tuple(needed),
        copies,
        raised,
        error_note(first) if first is not None else "",
        tuple(copies.get(c.id, c) for c in cases),
        view,
    )


def required_rows(
    diffs: Sequence[Difference],
    trial: RequiredTrial | None,
    by_id: Mapping[str, Case],
    source: Implementation,
    target: Implementation,
) -> list[Difference]:
    """Each `param_default` row of a required parameter with the cases that raised for it as its
    evidence (a reproducer shows the raise), and what the run did about them."""
    if trial is None:
        return list(diffs)
    s_name, t_name = display_name(source.framework), display_name(target.framework)
    out = []
    for diff in diffs:
        ids = trial.raised.get(diff.subject, ()) if diff.kind is DiffKind.PARAM_DEFAULT else ()
        if ids:
            name = diff.target_param or diff.subject
            summary = (
                f"{diff.summary}: {len(ids)} case(s) that omit `{name}` raise in {t_name} where {s_name} "
                f"returns ({trial.error}); the cases are measured with it given"
            )
            diff = dataclasses.replace(
                diff,
                summary=summary,
                cases=ids[:40],
                labels=tuple(by_id[c].label for c in ids[:3]),
                case_count=len(ids),
            )
        out.append(diff)
    return out
