"""Run again, in a fresh worker, each case only the target failed: a page describes the API, not the
calls its worker happened to run before.

MindSpore 2.10's SearchSorted kernel on CPU keeps state from one call to the next: after
`searchsorted(..., out_int32=True)`, a call with `out_int32=False` on inputs of the same dtype
raises ("the dimension of `v` and output must be equal"), and the other way round, while in a
fresh process each call returns. The case worker runs a whole spec (and every spec before it), so
which cases fail there depends on the process's history. Before a target-only failure (the target
raised where the source and the reference returned) is reported, it runs again:

1. every such case of a spec, in one fresh worker per (framework, device) (forked: a tenth of a
   second), the implementations in turn, at most MAX_RERUN per implementation;
2. where that shows the implementation depends on what ran before (a case now returns, or fails
   with another error), each case that failed again runs alone in a worker of its own (at most
   MAX_ALONE per implementation): in the shared fresh worker it still ran after other calls;
3. for the smallest case that returned, the shortest run of the calls that preceded it in the case
   worker (the framework's earlier implementations over the spec's cases, then its own earlier
   cases) after which it fails again is found by bisection, each try in a fresh worker, and then
   whether the one call that starts it is enough: the page's reproducer.

The fresh observation is what the page reports. A case that failed first and returned fresh is
recorded (`AfterCalls`) and becomes a row of its own, "fails after earlier calls in the same
process" (apicompat.classify.history). A crash or timeout needs none of this: the session already
runs it again alone in a fresh worker (apicompat.execute.retry). Every run here is on fixed cases in
fresh workers, so what the pass finds from a given first run is the same every time.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from apicompat.classify.behaviour import error_note, size_then_id
from apicompat.execute import Session
from apicompat.execute.session import FreshWorkers
from apicompat.records import Case, Implementation, Observation, Status
from apicompat.records.history import AfterCalls, FreshRuns
from apicompat.spec import Spec

#: Target-only failures of one implementation on one device run again, at most (the first ones).
MAX_RERUN = 256
#: Cases of one implementation run alone, each in a worker of its own, at most.
MAX_ALONE = 32
#: Earlier cases the search for a trigger starts from, at most (the ones right before the case).
MAX_PRECEDING = 512

Observations = Mapping[tuple[str, str], Sequence[Observation]]


@dataclass(frozen=True)
class _Job:
    """The target-only failures of one implementation on one device."""

    impl: Implementation
    device: str
    failed: tuple[Case, ...]


def target_only_failures(
    spec: Spec, cases: Sequence[Case], observations: Observations, devices: Sequence[str]
) -> list[tuple[Implementation, str, tuple[Case, ...]]]:
    """(target, device, cases) where the target raised and both its source and the reference returned."""
    ref = {o.case_id: o for o in observations.get((spec.reference, "cpu"), ())}
    found = []
    for target in spec.targets:
        source = spec.source_for(target)
        for device in devices:
            tgt, src = observations.get((target.api, device)), observations.get((source.api, device))
            if tgt is None or src is None:
                continue
            failed = tuple(
                case
                for case, s, t in zip(cases, src, tgt, strict=True)
                if t.status is Status.ERROR and s.ok and (r := ref.get(case.id)) is not None and r.ok
            )
            if failed:
                found.append((target, device, failed))
    return found


def fresh_pass(
    session: Session,
    spec: Spec,
    cases: Sequence[Case],
    observations: Observations,
    devices: Sequence[str],
) -> FreshRuns:
    """Each target-only failure of `cases` run again in a fresh worker, and what that showed."""
    groups: dict[tuple[str, str], list[_Job]] = {}
    for impl, device, failed in target_only_failures(spec, cases, observations, devices):
        groups.setdefault((impl.framework, device), []).append(_Job(impl, device, failed[:MAX_RERUN]))
    if not groups:
        return FreshRuns()
    # The case worker of a (framework, device) runs its implementations in this order, each over
    # every case (Session.run): what ran before a case there.
    order = {key: [i for i in spec.implementations if i.framework == key[0]] for key in groups}
    first = {
        (job.impl.api, job.device): {o.case_id: o for o in observations[(job.impl.api, job.device)]}
        for jobs in groups.values()
        for job in jobs
    }
    parts = session.side_by_side(
        [
            functools.partial(_rerun_group, session, jobs, cases, first, order[key])
            for key, jobs in groups.items()
        ]
    )
    settled: dict[tuple[str, str], dict[str, Observation]] = {}
    after: dict[tuple[str, str], AfterCalls] = {}
    executions = 0
    for part, count in parts:
        executions += count
        for key, fresh, finding in part:
            settled[key] = fresh
            if finding is not None:
                after[key] = finding
    return FreshRuns(settled, after, executions)


_Found = tuple[tuple[str, str], dict[str, Observation], AfterCalls | None]


def _rerun_group(
    session: Session,
    jobs: Sequence[_Job],
    cases: Sequence[Case],
    first: Mapping[tuple[str, str], Mapping[str, Observation]],
    order: Sequence[Implementation],
) -> tuple[list[_Found], int]:
    """The jobs of one (framework, device): one fresh worker for all, then alone where needed."""
    with session.fresh_workers() as fresh:
        batches = [_run(session, job.impl, job.device, job.failed, fresh) for job in jobs]
    executions = sum(len(job.failed) for job in jobs)
    found: list[_Found] = []
    for job, batch in zip(jobs, batches, strict=True):
        key = (job.impl.api, job.device)
        earlier = first[key]
        settled = {o.case_id: o for o in batch}
        if any(_history_shows(earlier[o.case_id], o) for o in batch):
            # The implementation depends on what ran before: a case that failed again in the shared
            # fresh worker still ran after other calls there, so it runs alone.
            again = [c for c in job.failed if settled[c.id].status is Status.ERROR][:MAX_ALONE]
            for case in again:
                settled[case.id] = _run(session, job.impl, job.device, [case], True)[0]
            executions += len(again)
        returned = [c for c in job.failed if settled[c.id].ok]
        finding = None
        if returned:
            probe = min(returned, key=size_then_id)
            calls = _calls_before(order, job.impl, cases, probe)
            trigger, preceding, reproduced, runs = _search(session, job.impl, job.device, calls, probe)
            executions += runs
            finding = AfterCalls(
                cases=tuple(c.id for c in returned),
                first={c.id: earlier[c.id] for c in returned},
                probe=probe.id,
                trigger=trigger[1].id if trigger is not None else None,
                trigger_api=trigger[0].api if trigger is not None else None,
                preceding=preceding,
                reproduced=reproduced,
            )
        found.append((key, settled, finding))
    return found, executions


def _history_shows(first: Observation, fresh: Observation) -> bool:
    """Whether a fresh run of a failed case shows that its outcome depends on the calls before it."""
    if fresh.ok:
        return True
    return fresh.status is not first.status or error_note(fresh) != error_note(first)


Call = tuple[Implementation, Case]


def _calls_before(
    order: Sequence[Implementation], impl: Implementation, cases: Sequence[Case], probe: Case
) -> list[Call]:
    """What ran before `probe` in the case worker: the earlier implementations over every case, then
    `impl` over the cases before it (the last MAX_PRECEDING calls)."""
    index = next(i for i, c in enumerate(cases) if c.id == probe.id)
    earlier = order[: next(i for i, o in enumerate(order) if o.api == impl.api)]
    calls = [(other, case) for other in earlier for case in cases]
    calls += [(impl, case) for case in cases[:index]]
    return calls[-MAX_PRECEDING:]


def _search(
    session: Session, impl: Implementation, device: str, before: Sequence[Call], probe: Case
) -> tuple[Call | None, int, Observation | None, int]:
    """The earlier calls after which `probe` fails again in a fresh worker: (the one call that is
    enough, or None; how many calls the shortest failing run held, 0 when none failed; the failure
    it gave; the executions spent).

    Bisection on where the run starts, assuming that a run that fails still fails with more calls
    before it: about log2(n) fresh workers of at most n calls each.
    """
    spent = 0

    def failure(preceding: Sequence[Call]) -> Observation | None:
        nonlocal spent
        spent += len(preceding) + 1
        with session.fresh_workers() as fresh:
            for other, segment in _segments(preceding):
                _run(session, other, device, segment, fresh)
            last = _run(session, impl, device, [probe], fresh)[0]
        return last if last.status is Status.ERROR else None

    seen = failure(before) if before else None
    if seen is None:
        return None, 0, None, spent
    lo, hi = 0, len(before)  # before[lo:] then probe fails; before[hi:] then probe returns
    while hi - lo > 1:
        mid = (lo + hi) // 2
        got = failure(before[mid:])
        if got is not None:
            lo, seen = mid, got
        else:
            hi = mid
    if len(before) - lo == 1:
        return before[lo], 1, seen, spent
    alone = failure([before[lo]])
    if alone is not None:
        return before[lo], 1, alone, spent
    return None, len(before) - lo, seen, spent


def _segments(calls: Sequence[Call]) -> list[tuple[Implementation, list[Case]]]:
    """Consecutive calls of one implementation, as one run each (in order)."""
    out: list[tuple[Implementation, list[Case]]] = []
    for impl, case in calls:
        if out and out[-1][0].api == impl.api:
            out[-1][1].append(case)
        else:
            out.append((impl, [case]))
    return out


def _run(
    session: Session, impl: Implementation, device: str, cases: Sequence[Case], fresh: FreshWorkers | bool
) -> list[Observation]:
    return list(session.run([(impl, device)], cases, fresh=fresh)[(impl.api, device)])
