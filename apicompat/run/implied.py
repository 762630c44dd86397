"""The value a source's default stands for, found by running the source with each explicit value.

torch's `softmax(x)` picks a dimension from the rank (dim=None is "implicit", 0 or 1), so passing
`axis=None` to `mindspore.ops.softmax` raises and proves nothing. What the default *means* is
measured instead: the source runs the case once per value the parameter can take there (each axis
of the tensor, both booleans, the spec's listed values); the value whose result equals the omitted
call's is the one the default behaves as, and the target is run again with it.
"""

from __future__ import annotations

from collections.abc import Mapping

from apicompat.compare.outputs import compare_observations
from apicompat.execute import Session
from apicompat.records import Case, Implementation, Observation, TensorArg
from apicompat.spec import ParamKind, Spec
from apicompat.spec.model import Param


def candidate_values(spec: Spec, case: Case, param: Param) -> list[object]:
    """The explicit values `param` can take in `case` (axes of its tensor, booleans, listed values)."""
    if param.kind in (ParamKind.AXIS, ParamKind.AXES):
        tensors = [v for n, v in case.args if isinstance(v, TensorArg) and (param.of in (None, n))]
        return list(range(len(tensors[0].shape))) if tensors else []
    if param.kind is ParamKind.BOOL:
        return [False, True]
    return list(param.values or ())


def implied_values(
    session: Session,
    spec: Spec,
    source: Implementation,
    target: Implementation,
    device: str,
    given: Mapping[str, Mapping[object, Case]],
    source_obs: Mapping[str, Observation],
) -> tuple[dict[str, object], set[str]]:
    """For each case (id -> its copies with each candidate value): the first value whose source result
    equals the omitted call's, and which cases agree with the source once the target is given it."""
    tolerances = dict(spec.tolerances)
    tries = [(cid, value, copy) for cid, copies in given.items() for value, copy in copies.items()]
    if not tries:
        return {}, set()
    ran = session.run([(source, device)], [copy for _, _, copy in tries])[(source.api, device)]
    implied: dict[str, tuple[object, Case]] = {}
    for (cid, value, copy), obs in zip(tries, ran, strict=True):
        if cid not in implied and obs.ok and compare_observations(source_obs[cid], obs, tolerances).agree:
            implied[cid] = (value, copy)
    if not implied:
        return {}, set()
    retried = session.run([(target, device)], [copy for _, copy in implied.values()])[(target.api, device)]
    agreed = {
        cid
        for cid, obs in zip(implied, retried, strict=True)
        if compare_observations(source_obs[cid], obs, tolerances).agree
    }
    return {cid: value for cid, (value, _) in implied.items()}, agreed
