"""`scan --measure`: the script's own call signatures as cases of the matching spec, run on both sides.

A recorded call says dtypes, shapes and non-tensor values; the case built from it
has the same dtypes, shapes and values, with generated tensor contents (never the
model's data). The cases run through the normal pipeline (workers, reference,
classification), so each call gets the outcome the spec's page would give it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from apicompat.generate.build import derive_seed, seed_tensors
from apicompat.records import (
    DTYPES,
    ArgValue,
    Case,
    DtypeArg,
    Observation,
    SpecResult,
    TensorArg,
    TensorListArg,
)
from apicompat.records.scan import (
    ApiUse,
    ArgSeen,
    CallOutcome,
    CallSeen,
    DtypeSeen,
    OtherSeen,
    TensorSeen,
    describe_seen,
)
from apicompat.spec import Param, ParamKind, Spec

#: Index-like tensors get values in range: torch.embedding's input, cross_entropy's target.
_INDEX_FILLS = ("range", "unique")
#: Recorded tensors with more elements are not re-run: a model's activations can be large, and
#: what a call's outcome turns on is its dtypes, shapes and arguments, measured on smaller ones.
MAX_ELEMENTS = 1 << 20


_CASE_COUNT = re.compile(r" \(\d+ case\(s\)\)$")


class Unsupported(Exception):
    """A recorded call that cannot become a case of the spec (said why, in the outcome)."""


@dataclass(frozen=True)
class CallCase:
    """One recorded call of an API and the case built from it (None: why not)."""

    api: str
    call: CallSeen
    case: Case | None
    why_not: str = ""


def bind(spec: Spec, call: CallSeen) -> dict[str, ArgSeen]:
    """Recorded arguments by canonical name: positionals in the source's order, keywords by name.

    A method's receiver is its first positional argument, as the spec's first parameter is the
    function's first (`x.softmax(1)` binds like `softmax(x, 1)`).
    """
    positional_params = [p for p in spec.params if not p.keyword_only]
    if any(not _off(v) for v in call.positional[len(positional_params) :]):
        raise Unsupported(
            f"{len(call.positional)} positional arguments, the spec has {len(positional_params)}"
        )
    bound: dict[str, ArgSeen] = {p.name: v for p, v in zip(positional_params, call.positional, strict=False)}
    names = {p.name for p in spec.params}
    for key, value in call.keywords:
        if key in names:
            bound[key] = value
        elif not _off(value):
            raise Unsupported(f"argument {key}={describe_seen(value)} is not a parameter of spec {spec.id}")
    return bound


def _off(value: ArgSeen) -> bool:
    """An argument the spec does not model, at torch's off value (size_average=None, sparse=False):
    the call is the same without it."""
    return value is None or value is False


def _tensor(param: Param, seen: TensorSeen, bound: dict[str, ArgSeen], spec: Spec) -> TensorArg:
    if seen.dtype not in DTYPES:
        raise Unsupported(f"dtype {seen.dtype} of {param.name} is outside the compared dtypes")
    size = 1
    for d in seen.shape:
        size *= d
    if size > MAX_ELEMENTS:
        raise Unsupported(f"{param.name} has {size} elements (more than {MAX_ELEMENTS} are not re-run)")
    if param.fill in _INDEX_FILLS:
        # Values must index the primary tensor (embedding's weight rows, cross_entropy's classes).
        other = [v for k, v in bound.items() if isinstance(v, TensorSeen) and k != param.name]
        dims = [d for t in other for d in t.shape[:2] if d > 0]
        return TensorArg(seen.dtype, seen.shape, fill="range", low=0, high=min(dims, default=1))
    return TensorArg(seen.dtype, seen.shape, fill=param.fill if param.fill != "literal" else "random")


def argument(param: Param, seen: ArgSeen, bound: dict[str, ArgSeen], spec: Spec) -> ArgValue:
    """A case argument with the recorded dtype, shape or value (generated tensor values)."""
    if isinstance(seen, TensorSeen):
        if param.kind not in (ParamKind.TENSOR, ParamKind.TENSOR_OR_SCALAR, ParamKind.INDEX):
            raise Unsupported(f"{param.name} is a tensor here, but kind '{param.kind.value}' in the spec")
        return _tensor(param, seen, bound, spec)
    if isinstance(seen, tuple) and seen and all(isinstance(v, TensorSeen) for v in seen):
        return TensorListArg(tuple(_tensor(param, v, bound, spec) for v in seen if isinstance(v, TensorSeen)))
    if isinstance(seen, DtypeSeen):
        return DtypeArg(seen.name)
    if isinstance(seen, OtherSeen) or (isinstance(seen, tuple) and not _plain(seen)):
        raise Unsupported(f"{param.name} is {_label(seen)}, which a case cannot carry")
    return seen  # plain values (and tuples of them) pass as they are


def _plain(value: tuple[ArgSeen, ...]) -> bool:
    return all(isinstance(v, (int, float, bool, str)) or v is None for v in value)


def _label(seen: ArgSeen) -> str:
    return seen.describe() if isinstance(seen, OtherSeen) else type(seen).__name__


def call_case(spec: Spec, use: ApiUse, call: CallSeen, index: int) -> CallCase:
    """The case for one recorded call, or why it cannot be one."""
    try:
        bound = bind(spec, call)
        args = [(p.name, argument(p, bound[p.name], bound, spec)) for p in spec.params if p.name in bound]
        missing = [p.name for p in spec.params if p.required and p.name not in bound]
        if missing:
            raise Unsupported(f"the call gives no {', '.join(missing)}")
    except Unsupported as exc:
        return CallCase(use.name, call, None, str(exc))
    seeded = seed_tensors(args, ("scan", use.name, index, derive_seed(call.describe())))
    facets = (("group", "scan"), ("api", use.name))
    return CallCase(use.name, call, Case(spec_id=spec.id, args=seeded, facets=facets))


def call_cases(spec: Spec, use: ApiUse) -> list[CallCase]:
    """A case per distinct recorded call of `use`."""
    return [call_case(spec, use, call, i) for i, call in enumerate(use.signatures)]


def outcomes(
    spec: Spec,
    calls: Sequence[CallCase],
    result: SpecResult | None,
    observations: dict[tuple[str, str], list[Observation]],
) -> list[CallOutcome]:
    """Per call and MindSpore candidate: consistent, the difference it shows, or who raised."""
    found: list[CallOutcome] = []
    for entry in calls:
        label = entry.call.describe()
        for target in spec.targets:
            if target.framework != "mindspore":
                continue
            if entry.case is None:
                found.append(CallOutcome(label, target.api, f"not run: {entry.why_not}"))
                continue
            found.append(_outcome(spec, entry.case, label, target.api, result, observations))
    return found


def _observation(
    observations: dict[tuple[str, str], list[Observation]], api: str, case_id: str
) -> Observation | None:
    return next((o for o in observations.get((api, "cpu"), []) if o.case_id == case_id), None)


def _outcome(
    spec: Spec,
    case: Case,
    label: str,
    target_api: str,
    result: SpecResult | None,
    observations: dict[tuple[str, str], list[Observation]],
) -> CallOutcome:
    impl = next(t for t in spec.targets if t.api == target_api)
    source = _observation(observations, spec.source_for(impl).api, case.id)
    target = _observation(observations, target_api, case.id)
    if source is None or target is None:
        return CallOutcome(label, target_api, "not run")
    targets = result.targets if result is not None else ()
    target_result = next((t for t in targets if t.api == target_api), None)
    diffs = [d for d in (target_result.differences if target_result else ()) if case.id in d.cases]
    if diffs:
        worst = min(diffs, key=lambda d: d.severity.rank)
        # The summary counts every case of the difference; this row is about one call.
        summary = _CASE_COUNT.sub("", worst.summary)
        return CallOutcome(label, target_api, f"differs: {summary}", worst.severity)
    if source.ok and target.ok:
        return CallOutcome(label, target_api, "consistent")
    if source.ok:
        return CallOutcome(label, target_api, f"MindSpore raises {target.error_type}")
    if target.ok:
        return CallOutcome(label, target_api, f"PyTorch raises {source.error_type}")
    return CallOutcome(label, target_api, f"both raise ({source.error_type} / {target.error_type})")
