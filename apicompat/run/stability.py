"""Find outputs that change from run to run (uninitialized memory, races), so reports never show them.

MindSpore 2.10 on CPU returns uninitialized memory for some reductions over empty
dimensions (mindspore.ops.sum of a (2, 0, 3) tensor along dim 1): the values are
whatever an earlier op left there. A report must not depend on them. So each case
that returned is run again, and each case with an empty input is run twice more,
each time right after a different large "dirty" call: an output that reads memory
left behind by the call before it then differs between the two, every time. Those
cases are reported as nondeterministic, never by their values.

A finding is made only from runs that all completed normally: a rerun whose worker
was lost (and stayed lost when the session retried it) decides nothing, and a probe
sequence during which any worker was lost runs again whole, since the case after a
lost call ran in a fresh worker, not right after its dirty call.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np

from apicompat.execute import Session
from apicompat.records import (
    Case,
    Implementation,
    Observation,
    Status,
    TensorArg,
    TensorListArg,
    dtype_category,
)

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
    """A literal tensor of `arg`'s dtype and shape whose every element is `value` in that dtype."""
    if arg.fill == "range":  # index tensors keep valid indices
        return replace(arg, seed=tag)
    kind = dtype_category(arg.dtype)
    element: object = value if kind in ("float", "complex") else (value > 0 if kind == "bool" else int(value))
    data = np.full(arg.shape, element).tolist()
    return TensorArg(arg.dtype, arg.shape, fill="literal", data=data, low=tag)


def unstable_cases(
    session: Session,
    implementations: Sequence[Implementation],
    cases: Sequence[Case],
    observations: Mapping[tuple[str, str], Sequence[Observation]],
    device: str = "cpu",
) -> dict[str, frozenset[str]]:
    """api -> ids of the cases whose outputs changed between runs on `device`."""
    found: dict[str, frozenset[str]] = {}
    for impl in implementations:
        key = (impl.api, device)
        if key not in observations:
            continue
        first = {o.case_id: o for o in observations[key]}
        returned = [c for c in cases if c.id in first and first[c.id].ok]
        # Cases with empty inputs are decided by the probes alone: a plain rerun of a call that
        # reads leftover memory may or may not differ, and the report must not depend on luck.
        rerun = [c for c in returned if not has_empty_input(c)]
        flagged = {
            o.case_id
            for o in _run(session, impl, device, rerun)
            if completed(o) and not same_outputs(first[o.case_id], o)
        }
        flagged |= _probe_empty(session, impl, device, returned, first)
        found[impl.api] = frozenset(flagged)
    return found


def _elements(case: Case) -> int:
    return sum(getattr(v, "size", 0) for _, v in case.args)


def _run(session: Session, impl: Implementation, device: str, cases: Sequence[Case]) -> list[Observation]:
    return list(session.run([(impl, device)], cases)[(impl.api, device)]) if cases else []


def _probe_empty(
    session: Session,
    impl: Implementation,
    device: str,
    returned: Sequence[Case],
    first: Mapping[str, Observation],
) -> set[str]:
    """Cases with empty inputs whose outputs follow whatever the call before them left in memory."""
    empty = [c for c in returned if has_empty_input(c)]
    if not empty:
        return set()
    # The largest and the smallest calls that returned fill the allocator's big and small blocks
    # with their data; each probe uses other data.
    sized = sorted((c for c in returned if not has_empty_input(c)), key=_elements)
    templates = [sized[-1], sized[0]] if sized else []
    probes: list[dict[str, Observation]] = []
    for value in _DIRTY_VALUES:
        order: list[Case] = []
        for n, case in enumerate(empty):
            order += [filled(template, value, n) for template in templates] + [case]
        observations = _run_unbroken(session, impl, device, order)
        probes.append({o.case_id: o for o in observations if o.case_id in first})
    return {
        c.id
        for c in empty
        if completed(probes[0][c.id])
        and completed(probes[1][c.id])
        and not same_outputs(probes[0][c.id], probes[1][c.id])
    }


def _run_unbroken(
    session: Session, impl: Implementation, device: str, order: Sequence[Case]
) -> list[Observation]:
    """Run `order` in one worker from start to end: again (up to the session's retries) while a worker
    is lost, since a call after a lost one ran in a fresh worker; a loss every time (a case's own
    crash) keeps the last run, where only the calls that completed decide."""
    for _ in range(session.options.retries):
        losses = session.losses
        observations = _run(session, impl, device, order)
        if session.losses == losses:
            return observations
    return _run(session, impl, device, order)
