"""Test whether a changed default causes what differs: run the cases again, the source's default given.

When `torch.std` divides by N - 1 by default and `mindspore.ops.std` by N, every case that omits
the parameter differs in value. Passing the source's default to the target explicitly and seeing
those cases agree is the measurement that links the default to its consequences
(apicompat.classify.causes folds the rows under it).
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence

from apicompat.classify.behaviour import error_note, precision_errors
from apicompat.classify.causes import STATIC_KINDS, DefaultTrial
from apicompat.classify.precision import SUBJECT as SINGLE_SUBJECT
from apicompat.classify.precision import single_precision_pair
from apicompat.compare.outputs import Comparison, compare_observations
from apicompat.execute import Session
from apicompat.records import Case, Difference, DiffKind, Implementation, Observation, SignatureInfo
from apicompat.run.implied import candidate_values, implied_values
from apicompat.run.stability import has_empty_input
from apicompat.spec import Spec

_NO_VALUE = object()


def default_trials(
    session: Session,
    spec: Spec,
    source: Implementation,
    target: Implementation,
    source_sig: SignatureInfo | None,
    diffs: Sequence[Difference],
    cases: Mapping[str, Case],
    source_obs: Sequence[Observation],
    device: str = "cpu",
    reference_obs: Sequence[Observation] = (),
) -> dict[str, DefaultTrial]:
    """canonical parameter -> the trial of its changed default on `device`."""
    by_case = {o.case_id: o for o in source_obs}
    reference = {o.case_id: o for o in reference_obs}
    behaviour = [d for d in diffs if d.kind not in STATIC_KINDS and d.device == device]
    trials: dict[str, DefaultTrial] = {}
    for diff in diffs:
        if diff.kind is not DiffKind.PARAM_DEFAULT or diff.source_param is None:
            continue
        canonical = diff.subject
        value = _source_default(source_sig, diff.source_param, source, canonical)
        if value is _NO_VALUE:
            continue
        # Not cases with an empty input: what they compute can be whatever memory held, so their
        # agreeing on a re-run proves nothing.
        omitted = sorted(
            {
                cid
                for d in behaviour
                for cid in (d.all_cases or d.cases)
                if canonical not in cases[cid].arg_dict and not has_empty_input(cases[cid])
            }
        )
        trial_cases = {}
        for cid in omitted:
            given = _with_param(spec, cases[cid], canonical, value)
            if given is not None:
                trial_cases[cid] = given
        agreed: set[str] = set()
        coarse: dict[str, tuple[Case, str, Comparison, Comparison]] = {}
        raised: dict[str, Observation] = {}
        if trial_cases:
            observed = session.run([(target, device)], list(trial_cases.values()))[(target.api, device)]
            tolerances = dict(spec.tolerances)
            for (original, tried), obs in zip(trial_cases.items(), observed, strict=True):
                if compare_observations(by_case[original], obs, tolerances).agree:
                    agreed.add(original)
                elif not obs.ok and by_case[original].ok:
                    raised[original] = obs
                elif original in reference:
                    found = _precision_left(tried, by_case[original], obs, reference[original], tolerances)
                    if found is not None:
                        coarse[original] = (tried, *found)
        # Where the default itself is refused (axis=None raises on every case tried that returns on
        # the source), try the value it stands for; one that raises on some only is not the reason.
        if len(raised) < sum(by_case[cid].ok for cid in trial_cases):
            raised = {}
        copies = {
            cid: {
                v: c
                for v in candidate_values(spec, cases[cid], spec.param(canonical))
                if (c := _with_param(spec, cases[cid], canonical, v))
            }
            for cid in sorted(raised)
        }
        implied, implied_agreed = implied_values(session, spec, source, target, device, copies, by_case)
        first = next(iter(raised.values()), None)
        trials[canonical] = DefaultTrial(
            canonical,
            value,
            frozenset(trial_cases),
            frozenset(agreed | implied_agreed),
            _native(target, canonical, value),
            coarse=frozenset(coarse),
            coarse_evidence=coarse,
            raised=len(raised),
            raised_note=error_note(first) if first is not None else "",
            implied={cid: _native(target, canonical, v) for cid, v in implied.items()},
        )
    return trials


def _precision_left(
    case: Case,
    source: Observation,
    target: Observation,
    reference: Observation,
    tolerances: dict[str, tuple[float, float]],
) -> tuple[str, Comparison, Comparison] | None:
    """(precision row subject, source error, target error) when a tried case still differs only by
    the target's precision: float64 at float32's epsilon, or a probe far off where the source is not."""
    errors = single_precision_pair(reference, source, target, tolerances)
    if errors is not None and errors[0].agree:  # the target is the coarse side
        return f"{SINGLE_SUBJECT}:{target.outputs[0].dtype}", *errors
    far = precision_errors(case, source, target, reference, tolerances)
    if far is not None and far[1].max_rel > far[0].max_rel:
        facets = case.facet_dict
        return f"{facets.get('probe', 'large')}:{facets.get('dtype')}", *far
    return None


def _source_default(sig: SignatureInfo | None, name: str, source: Implementation, canonical: str) -> object:
    """The source's default for a parameter as a canonical value, or _NO_VALUE when it is not a literal."""
    if sig is None:
        return _NO_VALUE
    param = next((p for p in sig.params if p.name == name), None)
    if param is None or param.default is None:
        return _NO_VALUE
    try:
        native = ast.literal_eval(param.default)
    except (ValueError, SyntaxError):
        return _NO_VALUE
    for mapped, pairs in source.value_map:
        if mapped == canonical:
            # The canonical value whose source form is the default (value maps go canonical -> native).
            found = [before for before, after in pairs if type(after) is type(native) and after == native]
            return found[0] if found else _NO_VALUE
    return native


def _native(target: Implementation, canonical: str, value: object) -> object:
    try:
        return target.native_value(canonical, value)
    except ValueError:
        return value


def _with_param(spec: Spec, case: Case, canonical: str, value: object) -> Case | None:
    """`case` with the parameter given; None when it would clash with a parameter the case gives."""
    param = spec.param(canonical)
    given = case.arg_dict
    if any(other in given for other in param.excludes) or any(
        canonical in spec.param(other).excludes for other in given
    ):
        return None
    order = [p.name for p in spec.params]
    args = sorted([*case.args, (canonical, value)], key=lambda kv: order.index(kv[0]))
    return Case(case.spec_id, tuple(args), case.facets, origin="default-trial")  # type: ignore[arg-type]
