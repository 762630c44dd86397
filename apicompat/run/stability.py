"""Find outputs that change from run to run (uninitialized memory, races), so reports never show them.

MindSpore 2.10 on CPU returns uninitialized memory for some reductions over empty
dimensions (mindspore.ops.sum of a (2, 0, 3) tensor along dim 1): the values are
whatever an earlier op left there. A report must not depend on them. So each case
with an empty input is run twice more, each time right after a different large
"dirty" call: an output that reads memory left behind by the call before it then
differs between the two, every time. Cases with inputs run once more only where a
report would show their values: where they are off the NumPy reference (or the
reference did not return); an output that matches the reference was computed from
the inputs, and what a page says of it cannot change from run to run. Those cases
are reported as nondeterministic, never by their values.

The frameworks run side by side (one thread each; the implementations of one
framework in turn, so that a probe still runs right after its dirty call), and the
dirty calls are recipes (a constant fill), not literal tensors.

A rerun of a case with inputs makes a finding only where it returned too (one that raised depends on
the calls before it, not on memory; apicompat.run.fresh). A finding is made only from runs that all
completed normally: a rerun whose worker
was lost (and stayed lost when the session retried it) decides nothing, and a probe
sequence during which any worker was lost runs again whole, since the case after a
lost call ran in a fresh worker, not right after its dirty call.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from apicompat.compare.outputs import compare_observations
from apicompat.execute import Session
from apicompat.execute.session import FreshWorkers
from apicompat.records import (
    Case,
    Implementation,
    Observation,
    Status,
    TensorArg,
    TensorListArg,
    dtype_category,
)
from apicompat.records.cases import CONSTANT
from apicompat.records.history import FreshRuns

#: What a report shows instead of the captured output of a nondeterministic call.
VARIES = "(output not shown: it changes from run to run, as the memory left by earlier calls does)"

#: What it shows instead of values computed from an input with no elements, which such a
#: kernel reads from memory nothing defined: in another process they would differ.
UNDEFINED = (
    "(output not shown: computed from an input with no elements, its values are not stable from run to run)"
)

#: The values of the two dirty calls that precede the probes of a case with empty inputs: of
#: opposite signs, so a result computed from leftover memory (a sum, its sign) differs between them.
_DIRTY_VALUES = (2.5, -3.5)

#: What the pass finds for one implementation: unstable case ids, and settled observations.
Found = tuple[frozenset[str], dict[str, Observation]]


def same_outputs(a: Observation, b: Observation) -> bool:
    """Whether two runs of one case ended alike and returned identical outputs (NaN equal to NaN)."""
    if a.status is not b.status or a.error_type != b.error_type:
        return False
    return len(a.outputs) == len(b.outputs) and all(x == y for x, y in zip(a.outputs, b.outputs, strict=True))


def completed(observation: Observation) -> bool:
    """Whether a run ended by itself (returned or raised), not with its worker lost."""
    return observation.status not in (Status.CRASH, Status.TIMEOUT)


def has_empty_input(case: Case) -> bool:
    """Whether some tensor argument holds no elements (nothing for a kernel to read)."""
    for _, value in case.args:
        items = value.items if isinstance(value, TensorListArg) else (value,)
        if any(isinstance(t, TensorArg) and t.size == 0 for t in items):
            return True
    return False


def filled(case: Case, value: float, tag: int) -> Case:
    """`case` with every tensor holding `value` (cast to its dtype): the same call on other data.

    `tag` makes each copy a distinct case (ids are hashes of the arguments), and is harmless:
    it sits in an unused `low` of the recipe.
    """
    args = []
    for name, arg in case.args:
        if isinstance(arg, TensorArg):
            arg = _constant(arg, value, tag)
        elif isinstance(arg, TensorListArg):
            arg = TensorListArg(tuple(_constant(t, value, tag) for t in arg.items))
        args.append((name, arg))
    return Case(case.spec_id, tuple(args), case.facets, origin="stability")


def _constant(arg: TensorArg, value: float, tag: int) -> TensorArg:
    """A tensor of `arg`'s dtype and shape whose every element is `value` in that dtype.

    A recipe (one value), not a literal list: a list of every element cost the main
    process memory (350 MB at 10,000 cases) and the time to hash it into a case id.
    """
    if arg.fill == "range":  # index tensors keep valid indices
        return replace(arg, seed=tag)
    kind = dtype_category(arg.dtype)
    element: object = value if kind in ("float", "complex") else (value > 0 if kind == "bool" else int(value))
    return TensorArg(arg.dtype, arg.shape, fill=CONSTANT, data=element, low=tag)


@dataclass(frozen=True)
class Stability:
    """What the stability pass found on one device."""

    unstable: dict[str, frozenset[str]]  # api -> cases whose outputs changed between runs
    # api -> case id -> the observation of a case with empty inputs taken in a known state (a
    # fresh worker, right after a dirty call): reported instead of the first run's, whose values
    # depend on whatever ran before it in its worker.
    settled: dict[str, dict[str, Observation]]
    # Target-only failures run again in fresh workers (apicompat.run.fresh), on every device.
    fresh: FreshRuns = field(default_factory=FreshRuns)

    def settle(self, api: str, observations: Sequence[Observation]) -> list[Observation]:
        """`observations` of `api` with its settled ones in their place."""
        settled = self.settled.get(api, {})
        return [settled.get(o.case_id, o) for o in observations]


def stability_pass(
    session: Session,
    implementations: Sequence[Implementation],
    cases: Sequence[Case],
    observations: Mapping[tuple[str, str], Sequence[Observation]],
    device: str = "cpu",
    *,
    reference: Sequence[Observation] | None = None,
    overrides: Mapping[str, tuple[float, float]] | None = None,
) -> Stability:
    """Which cases' outputs change between runs on `device`, and the settled observations.

    With `reference` (the NumPy reference's observations of `cases`), a case with inputs
    runs again only where its outputs are off the reference (`needs_rerun`); without it,
    every case that returned does.
    """
    by_framework: dict[str, list[Implementation]] = {}
    for impl in implementations:
        if (impl.api, device) in observations:
            by_framework.setdefault(impl.framework, []).append(impl)
    ref = {o.case_id: o for o in reference} if reference is not None else None

    def one_framework(impls: list[Implementation]) -> Callable[[], list[tuple[str, Found]]]:
        def measure() -> list[tuple[str, Found]]:
            # One fresh worker per framework for the probes of all its implementations, in turn.
            with session.fresh_workers() as fresh:
                return [
                    (
                        impl.api,
                        _unstable(
                            session,
                            impl,
                            device,
                            cases,
                            observations[(impl.api, device)],
                            ref,
                            overrides,
                            fresh,
                        ),
                    )
                    for impl in impls
                ]

        return measure

    found = dict(
        pair
        for part in session.side_by_side([one_framework(i) for i in by_framework.values()])
        for pair in part
    )
    apis = [impl.api for impl in implementations if impl.api in found]
    return Stability({api: found[api][0] for api in apis}, {api: found[api][1] for api in apis})


def unstable_cases(
    session: Session,
    implementations: Sequence[Implementation],
    cases: Sequence[Case],
    observations: Mapping[tuple[str, str], Sequence[Observation]],
    device: str = "cpu",
) -> dict[str, frozenset[str]]:
    """api -> ids of the cases whose outputs changed between runs on `device` (every returned case rerun)."""
    return stability_pass(session, implementations, cases, observations, device).unstable


def needs_rerun(
    observation: Observation,
    reference: Observation | None,
    overrides: Mapping[str, tuple[float, float]] | None = None,
) -> bool:
    """Whether a page could show this returned output's values: it is off the reference's (values,
    shape, number of outputs), or the reference did not return and nothing vouches for them.

    An output that matches the reference was computed from the inputs; an output dtype
    that differs while the values agree says nothing about the values.
    """
    if reference is None or not reference.ok:
        return True
    comparison = compare_observations(reference, observation, overrides)
    return comparison.count or comparison.shape or comparison.values


def _unstable(
    session: Session,
    impl: Implementation,
    device: str,
    cases: Sequence[Case],
    observed: Sequence[Observation],
    reference: Mapping[str, Observation] | None,
    overrides: Mapping[str, tuple[float, float]] | None,
    fresh: FreshWorkers,
) -> Found:
    """The cases of one implementation whose outputs changed between runs, and the observations of
    its cases with empty inputs in a known state (`_probe_empty`)."""
    first = {o.case_id: o for o in observed}
    returned = [c for c in cases if c.id in first and first[c.id].ok]
    # Cases with empty inputs are decided by the probes alone: a plain rerun of a call that
    # reads leftover memory may or may not differ, and the report must not depend on luck.
    rerun = [
        c
        for c in returned
        if not has_empty_input(c)
        and (reference is None or needs_rerun(first[c.id], reference.get(c.id), overrides))
    ]
    # A rerun that raised where the first run returned says that the call depends on what ran
    # before it in the worker (apicompat.run.fresh), not that its values change: no finding.
    flagged = {
        o.case_id
        for o in _run(session, impl, device, rerun)
        if o.ok and not same_outputs(first[o.case_id], o)
    }
    probed, settled = _probe_empty(session, impl, device, returned, first, fresh)
    return frozenset(flagged | probed), settled


def _holds_elements(observation: Observation) -> bool:
    """Whether some output of a run holds at least one element."""
    return any(output.values.size for output in observation.outputs)


def _elements(case: Case) -> int:
    return sum(getattr(v, "size", 0) for _, v in case.args)


def _run(
    session: Session,
    impl: Implementation,
    device: str,
    cases: Sequence[Case],
    *,
    fresh: FreshWorkers | bool = False,
) -> list[Observation]:
    return list(session.run([(impl, device)], cases, fresh=fresh)[(impl.api, device)]) if cases else []


def _probe_empty(
    session: Session,
    impl: Implementation,
    device: str,
    returned: Sequence[Case],
    first: Mapping[str, Observation],
    fresh: FreshWorkers,
) -> tuple[set[str], dict[str, Observation]]:
    """Cases with empty inputs whose outputs follow whatever the call before them left in memory,
    and each such case's observation in a known state (to report instead of the first run's).

    Both probe sequences run in `fresh`, the framework's fresh worker for this spec (its other
    implementations' probes before them): what its memory holds then depends on this spec's
    probes alone, not on the specs, batches or helpers before them, so the observation after
    the first dirty call is the same in every run of apicompat.
    """
    # Only outputs that hold elements can hold undefined values (a reduction over an empty
    # dimension): an empty output's dtype and shape are the kernel's, not memory's.
    empty = [c for c in returned if has_empty_input(c) and _holds_elements(first[c.id])]
    if not empty:
        return set(), {}
    # The largest and the smallest calls that returned fill the allocator's big and small blocks
    # with their data; each probe uses other data.
    sized = sorted((c for c in returned if not has_empty_input(c)), key=_elements)
    templates = [sized[-1], sized[0]] if sized else []
    order: list[Case] = []
    probe_at: list[list[int]] = []  # per dirty value: where each empty case runs in `order`
    for value in _DIRTY_VALUES:
        positions = []
        for n, case in enumerate(empty):
            order += [filled(template, value, n) for template in templates]
            positions.append(len(order))
            order.append(case)
        probe_at.append(positions)
    observations = _run_unbroken(session, impl, device, order, fresh)
    flagged: set[str] = set()
    settled: dict[str, Observation] = {}
    for i, case in enumerate(empty):
        after_a, after_b = (observations[positions[i]] for positions in probe_at)
        if not (completed(after_a) and completed(after_b)):
            continue
        if not same_outputs(after_a, after_b):
            flagged.add(case.id)
        settled[case.id] = after_a
    return flagged, settled


def _run_unbroken(
    session: Session, impl: Implementation, device: str, order: Sequence[Case], fresh: FreshWorkers
) -> list[Observation]:
    """Run `order` in one worker from start to end: again (up to the session's retries) while a worker
    is lost, since a call after a lost one ran in a fresh worker; a loss every time (a case's own
    crash) keeps the last run, where only the calls that completed decide."""
    where: FreshWorkers | bool = fresh
    for _ in range(session.options.retries):
        losses = session.losses
        observations = _run(session, impl, device, order, fresh=where)
        if session.losses == losses:
            return observations
        where = True  # again in a worker of its own: the shared one lost a call mid-sequence
    return _run(session, impl, device, order, fresh=where)
