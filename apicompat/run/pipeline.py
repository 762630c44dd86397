"""Run one spec end to end: generate, execute, compare, classify, reproduce.

A composition root (like the CLI): it may import every layer.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from apicompat.classify.behaviour import Pairing, classify
from apicompat.classify.calls import CallCheck, is_keyword_case, keyword_check
from apicompat.classify.causes import (
    fold_coarse_defaults,
    fold_defaults,
    fold_dtype_consequences,
    fold_not_runnable,
)
from apicompat.classify.devices import classify_devices
from apicompat.classify.evidence import evidence_ledger
from apicompat.classify.history import after_calls_row
from apicompat.classify.signatures import select_overloads, static_check
from apicompat.classify.verdicts import verdict_for
from apicompat.compare.names import display_name
from apicompat.compare.outputs import compare_observations
from apicompat.defaults import DEFAULT_SEED
from apicompat.execute import RunOptions, ScriptResult, Session
from apicompat.frameworks.scripts import identity_script, render_calls, render_script, writes_scripts_for
from apicompat.generate import generate_cases
from apicompat.generate.calls import keyword_cases
from apicompat.records import (
    ApicompatError,
    Case,
    Difference,
    Evidence,
    Example,
    Implementation,
    Observation,
    ParamInfo,
    ParamRow,
    Reproducer,
    SignatureInfo,
    SpecResult,
    Status,
    TargetResult,
)
from apicompat.records.history import AFTER_CALLS
from apicompat.run.defaults import default_trials
from apicompat.run.fresh import fresh_pass
from apicompat.run.preflight import preflight, receiver, refuse, required
from apicompat.run.required import RequiredTrial, required_params, required_rows, required_trial
from apicompat.run.stability import UNDEFINED, VARIES, Stability, has_empty_input, stability_pass
from apicompat.spec import ParamKind, Spec


@dataclass(frozen=True)
class RunConfig:
    """What to run: seed, devices, case budget, and worker limits."""

    seed: int = DEFAULT_SEED
    devices: tuple[str, ...] = ("cpu",)
    budget: int | None = None
    options: RunOptions = field(default_factory=RunOptions)
    allow_drift: bool = False  # run a spec whose names a live signature contradicts (pages say so)
    # How fast, never what: each of these leaves the reports byte for byte as they are
    # (tests/run/test_speedups_same_reports.py runs them on and off).
    spread: bool = True  # a spec's own cases may share a free CPU through a helper worker
    rerun_all: bool = False  # the stability pass reruns every returned case, not only those off the reference
    overlap: bool = True  # run_all assembles a spec while the next one executes


Observations = dict[tuple[str, str], list[Observation]]


def reference_implementation(spec: Spec) -> Implementation:
    """The NumPy reference as an implementation: canonical names, no `out`."""
    params = tuple((p.name, None if p.kind is ParamKind.OUT else p.name) for p in spec.params)
    canonical = tuple(o.canonical for o in spec.outputs) if any(o.canonical for o in spec.outputs) else ()
    return Implementation(framework="numpy", api=spec.reference, params=params, canonical=canonical)


def spec_cases(spec: Spec, config: RunConfig, handwritten: Sequence[Case] = ()) -> list[Case]:
    """Generated cases followed by the hand-written ones, without duplicate ids."""
    seen: set[str] = set()
    cases = []
    generated = generate_cases(spec, config.seed, config.budget)
    for case in [*generated, *keyword_cases(spec, generated), *handwritten]:
        if case.id not in seen:
            seen.add(case.id)
            cases.append(case)
    return cases


@dataclass(frozen=True)
class SpecPlan:
    """What a run of one spec executes: its cases, its jobs, and where its frameworks loaded."""

    cases: tuple[Case, ...]
    jobs: tuple[tuple[Implementation, str], ...]  # (implementation, device), the reference first
    available: frozenset[tuple[str, str]]  # (framework, device) pairs that loaded
    unavailable: tuple[str, ...]
    versions: dict[str, str]


def plan_spec(spec: Spec, session: Session, config: RunConfig, handwritten: Sequence[Case] = ()) -> SpecPlan:
    """The cases and jobs of `spec` (starting the workers, to learn what is available)."""
    # The frameworks' imports (seconds) overlap with each other and with case generation.
    session.prestart([("numpy", "cpu"), *((f, d) for f in spec.frameworks for d in config.devices)])
    return plan_cases(spec, session, config, spec_cases(spec, config, handwritten))


def plan_cases(spec: Spec, session: Session, config: RunConfig, cases: Sequence[Case]) -> SpecPlan:
    """The jobs that run exactly `cases` of `spec` (`scan --measure` runs a script's own calls)."""
    reference = reference_implementation(spec)
    available, unavailable, versions = _devices(spec, session, config.devices)
    # Before any case runs: a path that resolves to nothing, or a mapping the live signature
    # contradicts, refuses the spec (file:line and key), never a confident wrong page.
    refuse(spec, preflight(spec, session), allow_drift=config.allow_drift)
    jobs = [(reference, "cpu")] + [
        (impl, device)
        for impl in spec.implementations
        for device in config.devices
        if (impl.framework, device) in available
    ]
    return SpecPlan(tuple(cases), tuple(jobs), frozenset(available), tuple(unavailable), versions)


def run_spec(
    spec: Spec,
    session: Session,
    config: RunConfig,
    handwritten: Sequence[Case] = (),
    on_result: Callable[[Observation], None] | None = None,
) -> SpecResult:
    """Measure every target of `spec` against its source and write the result record."""
    plan = plan_spec(spec, session, config, handwritten)
    observations = session.run(plan.jobs, plan.cases, on_result, spread=config.spread)
    return assemble_plan(spec, session, config, plan, observations)


def stability(
    spec: Spec, session: Session, config: RunConfig, cases: Sequence[Case], observations: Observations
) -> Stability:
    """Which cases' outputs change from run to run (apicompat.run.stability), keyword copies aside.

    The last step of a spec that runs its cases; `assemble` runs it when not given its result.
    First, each case only a target failed runs again in a fresh worker (apicompat.run.fresh): the
    pass then sees what the page will report.
    """
    fresh = fresh_pass(session, spec, cases, observations, config.devices)
    observations = {(api, dev): fresh.settle(api, dev, obs) for (api, dev), obs in observations.items()}
    cases, observations = _without_keyword_cases(cases, observations)
    found = stability_pass(
        session,
        spec.implementations,
        cases,
        observations,
        reference=None if config.rerun_all else observations[(spec.reference, "cpu")],
        overrides=dict(spec.tolerances),
    )
    return dataclasses.replace(found, fresh=fresh)


def assemble_plan(
    spec: Spec,
    session: Session,
    config: RunConfig,
    plan: SpecPlan,
    observations: Observations,
    stable: Stability | None = None,
) -> SpecResult:
    """`assemble` for the observations of a plan's jobs (a resumed run passes some from a checkpoint)."""
    return assemble(
        spec,
        session,
        config,
        plan.cases,
        observations,
        set(plan.available),
        plan.unavailable,
        plan.versions,
        stable,
    )


def assemble(
    spec: Spec,
    session: Session,
    config: RunConfig,
    cases: Sequence[Case],
    observations: Observations,
    available: set[tuple[str, str]],
    unavailable: Sequence[str],
    versions: dict[str, str],
    stable: Stability | None = None,
) -> SpecResult:
    """Turn observations into a SpecResult: differences, reproducers, examples.

    `stable` is what `stability` found (computed here when not given).
    """
    overrides = dict(spec.tolerances)
    by_id = {c.id: c for c in cases}
    arity = _arity(observations, cases)
    # Cases that pass a positional parameter by keyword check names only (apicompat.classify.calls);
    # behaviour is classified, and compared with the reference, without them.
    # Outputs that change from run to run (uninitialized memory) are reported as such, never by value;
    # a case with an empty input is reported as it ran in a known state.
    if stable is None:
        stable = stability(spec, session, config, cases, observations)
    unstable = stable.unstable
    # A target-only failure that returned in a fresh worker is reported as it ran there.
    observations = {
        (api, device): stable.settle(api, fresh) if device == "cpu" else fresh
        for (api, device), obs in observations.items()
        for fresh in [stable.fresh.settle(api, device, obs)]
    }
    every_case, every_observation = cases, observations
    cases, observations = _without_keyword_cases(cases, observations)
    ref_obs = observations[(spec.reference, "cpu")]
    if spec.outputs:  # an API with several outputs: scripts print whatever each side returns
        arity = {case_id: max(n, 2) for case_id, n in arity.items()}
    params = tuple(p.name for p in spec.params)
    source_sig = _signature(session, spec.source, spec)
    output_names = {c.id: spec.output_names(c.arg_dict) for c in cases} if spec.outputs else {}
    aliases = same_callables(session, spec.targets)
    impls = {impl.api: impl for impl in spec.implementations}
    scripts = ScriptQueue()
    pending = []
    for target in spec.targets:
        # A method target is measured against the source's method form (x.cumsum(dim)).
        source = spec.source_for(target)
        pair_sig = source_sig if source is spec.source else _signature(session, source, spec)
        target_sig = _signature(session, target, spec)
        static = static_check(params, source, target, pair_sig, target_sig)
        # A parameter neither side of the pair takes (out= of two methods) is no difference.
        diffs: list[Difference] = [d for d in static.differences if d.source_param or d.target_param]
        trial = _required(
            spec, session, config, available, source, target, pair_sig, target_sig, cases, observations
        )
        view_cases, view_obs = cases, observations
        if trial is not None:
            # The pair is measured on copies of the cases with the parameters the target requires.
            view_cases, view_obs = trial.cases, {**observations, **trial.observations}
            by_id.update({copy.id: copy for copy in trial.copies.values()})
            arity.update({copy.id: arity[original] for original, copy in trial.copies.items()})
            if spec.outputs:
                output_names.update({c.id: spec.output_names(c.arg_dict) for c in trial.copies.values()})
        for device in config.devices:
            if {(source.framework, device), (target.framework, device)} <= available:
                pairing = Pairing(
                    view_cases,
                    view_obs[(source.api, device)],
                    view_obs[(target.api, device)],
                    view_obs[(spec.reference, "cpu")],
                    output_names,
                    unstable.get(source.api, frozenset()) if device == "cpu" else frozenset(),
                    unstable.get(target.api, frozenset()) if device == "cpu" else frozenset(),
                )
                diffs += classify(source, target, pairing, device, overrides)
                history = stable.fresh.after_calls.get((target.api, device))
                if history is not None:
                    diffs.append(after_calls_row(source, target, history, by_id, device))
            if device != "cpu" and (target.framework, device) in available:
                diffs += classify_devices(
                    target,
                    view_cases,
                    view_obs[(target.api, "cpu")],
                    view_obs[(target.api, device)],
                    device,
                    overrides,
                )
        called = _names_called(source, target, every_case, every_observation, config, available, overrides)
        diffs += called.differences
        diffs = required_rows(_merge_static_evidence(diffs), trial, by_id, source, target)
        diffs, evidence, tried = _judge(
            spec, session, config, source, target, pair_sig, diffs, view_cases, view_obs
        )
        # A row measured on a default's re-run (float64 at float32 precision) shows the call as tried.
        by_id.update({case.id: case for case, _ in tried})
        arity.update({case.id: arity[original] for case, original in tried})
        # Reproducers and examples are queued: every script of the spec runs at the end, each
        # framework's in its order, the frameworks side by side (Session.run_scripts).
        reproduced = [
            _reproduce(scripts, source, target, d, by_id, arity, impls, unstable)
            for d in _annotate(spec, target, diffs)
        ]
        examples = [
            _example(scripts, source, target, c, observations, arity[c.id])
            for c in cases
            if c.origin != "generated"
        ]
        pending.append((source, target, target_sig, static, called, evidence, reproduced, examples))
    scripts.run(session)
    targets = []
    for source, target, target_sig, static, called, evidence, reproduced, examples in pending:
        diffs = [finish() for finish in reproduced]
        targets.append(
            TargetResult(
                api=target.api,
                framework=target.framework,
                signature=target_sig,
                differences=tuple(diffs),
                param_rows=_checked_by_calls(value_map_notes(static.rows, source, target), called.verified),
                examples=tuple(finish() for finish in examples),
                drift=static.drift,
                source=source.api if source.api != spec.source.api else None,
                verdict=verdict_for(
                    diffs, evidence, display_name(source.framework), display_name(target.framework)
                ),
                evidence=evidence,
                same_as=aliases.get(target.api),
            )
        )
    deviations = {
        impl.api: _off_reference(ref_obs, observations[(impl.api, "cpu")], overrides, unstable.get(impl.api))
        for impl in spec.implementations
        if (impl.api, "cpu") in observations
    }
    return SpecResult(
        spec_id=spec.id,
        title=spec.title,
        summary=spec.summary,
        source=spec.source.api,
        source_signature=source_sig,
        versions=versions,
        devices=tuple(d for d in config.devices if any(dev == d for _, dev in available)),
        unavailable_devices=tuple(unavailable),
        seed=config.seed,
        cases=len(cases),
        targets=tuple(targets),
        reference_deviations=deviations,
        faults=session.take_faults(),  # every execution of this spec so far: its run, reruns, scripts
    )


def _required(
    spec: Spec,
    session: Session,
    config: RunConfig,
    available: set[tuple[str, str]],
    source: Implementation,
    target: Implementation,
    source_sig: SignatureInfo | None,
    target_sig: SignatureInfo | None,
    cases: Sequence[Case],
    observations: Observations,
) -> RequiredTrial | None:
    """The cases again with the parameters the target requires and the source does not given."""
    needed = required_params([p.name for p in spec.params], source, target, source_sig, target_sig)
    jobs = [
        (impl, device)
        for device in config.devices
        if {(source.framework, device), (target.framework, device)} <= available
        for impl in (source, target)
    ]
    if not needed or not jobs:
        return None
    return required_trial(
        session, spec, [(reference_implementation(spec), "cpu"), *jobs], needed, cases, observations
    )


def _judge(
    spec: Spec,
    session: Session,
    config: RunConfig,
    source: Implementation,
    target: Implementation,
    source_sig: SignatureInfo | None,
    diffs: list[Difference],
    cases: Sequence[Case],
    observations: Observations,
) -> tuple[list[Difference], Evidence | None, list[tuple[Case, str]]]:
    """Link causes to consequences (a changed default, a missing kernel) and count the evidence;
    with the cases a default's re-run tried that a row now cites, each with the case it copies."""
    by_id = {c.id: c for c in cases}
    measured = [d for d in config.devices if {(source.api, d), (target.api, d)} <= observations.keys()]
    device = measured[0] if measured else None
    if device is None:
        return fold_not_runnable(diffs, spec.id, target.api), None, []
    trials = default_trials(
        session,
        spec,
        source,
        target,
        source_sig,
        diffs,
        by_id,
        observations[(source.api, device)],
        device,
        observations[(spec.reference, "cpu")],
    )
    diffs = fold_defaults(fold_not_runnable(diffs, spec.id, target.api), trials, spec.id, target.api)
    diffs = fold_coarse_defaults(diffs, trials, source, target, device)
    diffs = fold_dtype_consequences(diffs, spec.id, target.api)
    pairing = Pairing(
        cases,
        observations[(source.api, device)],
        observations[(target.api, device)],
        observations[(spec.reference, "cpu")],
    )
    tried = [
        (evidence[0], original)
        for trial in trials.values()
        for original, evidence in sorted(trial.coarse_evidence.items())
    ]
    return diffs, evidence_ledger(pairing, [p.name for p in spec.params], source, target), tried


def same_callables(session: Session, targets: Sequence[Implementation]) -> dict[str, str]:
    """target api -> an earlier target of the same framework that is the very same callable."""
    found: dict[str, str] = {}
    for i, impl in enumerate(targets):
        for earlier in targets[:i]:
            if earlier.framework != impl.framework or earlier.api in found or impl.api in found:
                continue
            result = session.run_script(impl.framework, "cpu", identity_script(earlier.api, impl.api))
            if not result.error and result.stdout.strip() == "True":
                found[impl.api] = earlier.api
    return found


def value_map_notes(
    rows: tuple[ParamRow, ...], source: Implementation, target: Implementation
) -> tuple[ParamRow, ...]:
    """Say on a parameter's row how its values translate, where a spec maps them (unbiased -> ddof);
    leave out parameters neither side takes."""
    maps = {name: pairs for impl in (source, target) for name, pairs in impl.value_map}
    out = []
    for row in rows:
        if row.source is None and row.target is None:
            continue  # a parameter neither side of this pair takes
        if row.canonical in maps:
            pairs = ", ".join(f"{before!r} -> {after!r}" for before, after in maps[row.canonical])
            extra = f"Values differ in meaning: {pairs}"
            row = row._replace(note=extra if row.note in ("", "-") else f"{row.note}; {extra}")
        out.append(row)
    return tuple(out)


def _without_keyword_cases(
    cases: Sequence[Case], observations: Observations
) -> tuple[Sequence[Case], Observations]:
    """The cases (and each job's observations of them) that are not keyword copies."""
    keep = [i for i, c in enumerate(cases) if not is_keyword_case(c)]
    if len(keep) == len(cases):
        return cases, observations
    return [cases[i] for i in keep], {job: [obs[i] for i in keep] for job, obs in observations.items()}


def _names_called(
    source: Implementation,
    target: Implementation,
    cases: Sequence[Case],
    observations: Observations,
    config: RunConfig,
    available: set[tuple[str, str]],
    overrides: dict[str, tuple[float, float]],
) -> CallCheck:
    """What the keyword cases showed on the first device both sides ran on."""
    for device in config.devices:
        if {(source.framework, device), (target.framework, device)} <= available:
            src, tgt = observations[(source.api, device)], observations[(target.api, device)]
            return keyword_check(source, target, cases, src, tgt, device, overrides)
    return CallCheck((), frozenset())


def _checked_by_calls(rows: tuple[ParamRow, ...], verified: frozenset[str]) -> tuple[ParamRow, ...]:
    """A row whose names a call verified says so; the others keep what the signatures said."""
    return tuple(r._replace(checked="call") if r.canonical in verified else r for r in rows)


def _merge_static_evidence(diffs: list[Difference]) -> list[Difference]:
    """Fold cases that could not run into the static difference about the same parameter."""
    static = {(d.kind, d.subject): i for i, d in enumerate(diffs) if not d.cases}
    out: list[Difference | None] = list(diffs)
    for i, d in enumerate(diffs):
        j = static.get((d.kind, d.subject))
        if d.cases and j is not None and d.device == "cpu":
            base = diffs[j]
            evidence = {**d.details, **base.details}
            out[j] = dataclasses.replace(base, cases=d.cases, labels=d.labels, details=evidence)
            out[i] = None
    return [d for d in out if d is not None]


def _devices(
    spec: Spec, session: Session, devices: Sequence[str]
) -> tuple[set[tuple[str, str]], list[str], dict[str, str]]:
    """Which (framework, device) pairs can run; the rest are reported, not errors."""
    available: set[tuple[str, str]] = set()
    unavailable: list[str] = []
    versions: dict[str, str] = {}
    for framework in ("numpy", *spec.frameworks):
        for device in ("cpu",) if framework == "numpy" else devices:
            info = session.worker_info(framework, device)
            if info.version:
                versions[framework] = info.version
            if info.available:
                available.add((framework, device))
            elif framework != "numpy":
                unavailable.append(f"{framework}:{device} ({info.message or 'unavailable'})")
    if ("numpy", "cpu") not in available:
        raise ApicompatError("the NumPy reference worker could not start; is numpy installed?")
    for framework in spec.frameworks:
        if not any((framework, d) in available for d in devices):
            why = "; ".join(u for u in unavailable if u.startswith(f"{framework}:"))
            raise ApicompatError(
                f"{framework} is not available on {', '.join(devices)} ({why}); if it is not installed, "
                "install the frameworks with `pip install -c constraints.txt -e '.[frameworks]'`"
            )
    return available, unavailable, versions


def _signature(session: Session, impl: Implementation, spec: Spec) -> SignatureInfo:
    """The live signature with its overloads marked covered or not, or one built from the spec
    when it cannot be read."""
    params = tuple(p.name for p in spec.params)
    try:
        return select_overloads(session.signature(impl), impl, receiver(spec), required(spec))
    except ApicompatError:
        names = [n for p in params if (n := impl.name_of.get(p, p)) is not None]
        infos = tuple(ParamInfo(n, "POSITIONAL_OR_KEYWORD", None) for n in names)
        return SignatureInfo(impl.api, infos, "spec", f"{impl.api}({', '.join(names)})")


def _annotate(spec: Spec, target: Implementation, diffs: list[Difference]) -> list[Difference]:
    """Mark differences the spec accepts; acceptance never creates a difference."""
    out = []
    for diff in diffs:
        for known in spec.known_differences:
            if known.kind != diff.kind.value or (known.target and known.target != target.api):
                continue
            if known.param and known.param not in (diff.subject, diff.source_param, diff.target_param):
                continue
            if known.dtypes and not set(known.dtypes) & set(diff.dtypes):
                continue
            diff = dataclasses.replace(diff, accepted=known.reason)
            break
        out.append(diff)
    return out


def _arity(observations: Observations, cases: Sequence[Case]) -> dict[str, int]:
    """How many outputs each case returns (the most any implementation returned; 1 if none did)."""
    arity = {c.id: 1 for c in cases}
    for obs in observations.values():
        for o in obs:
            if o.ok and len(o.outputs) > 1:
                arity[o.case_id] = max(arity[o.case_id], len(o.outputs))
    return arity


class ScriptQueue:
    """Scripts (reproducers, examples) queued while a spec is assembled, run together at its end."""

    def __init__(self) -> None:
        self._scripts: list[tuple[str, str, str]] = []
        self._fresh: set[int] = set()
        self._results: list[ScriptResult] = []

    def add(self, framework: str, device: str, code: str, *, fresh: bool = False) -> Callable[[], str]:
        """Queue a script (with `fresh`, to run in a worker of its own); what it printed, once `run`
        has run (`_printed`)."""
        index = len(self._scripts)
        self._scripts.append((framework, device, code))
        if fresh:
            self._fresh.add(index)
        return lambda: _printed(self._results[index])

    def run(self, session: Session) -> None:
        """Run every queued script: each (framework, device) in order, side by side."""
        self._results = session.run_scripts(self._scripts, frozenset(self._fresh)) if self._scripts else []


#: The reproducer's output, not shown, of a target that returned on NaN or infinities the source refuses.
UNDEFINED_FROM_SPECIALS = (
    "(output not shown: computed from NaN or infinities the source refuses, it is defined by nothing and "
    "can change from one process to the next)"
)


def _reproduce(
    scripts: ScriptQueue,
    source: Implementation,
    target: Implementation,
    diff: Difference,
    by_id: dict[str, Case],
    arity: dict[str, int],
    impls: Mapping[str, Implementation],
    unstable: Mapping[str, frozenset[str]] | None = None,
) -> Callable[[], Difference]:
    """Attach a minimal reproducer (the smallest case of the evidence), run on both sides; the
    difference, once the queued scripts have run. A side whose output on that case changes from
    run to run (`unstable`: case ids by api) is not captured."""
    if not diff.cases or not (writes_scripts_for(source.framework) and writes_scripts_for(target.framework)):
        return lambda: diff  # an adapter registered without script syntax (a test's fake) gets no reproducer
    case = by_id[diff.cases[0]]
    device = diff.device or "cpu"
    n = arity[case.id]
    if diff.subject.removesuffix(f"@{device}") == AFTER_CALLS:
        return _reproduce_after_calls(scripts, source, target, diff, by_id, arity, impls)
    src_code = render_script(source, case, device=device, outputs=n)
    tgt_code = render_script(target, case, device=device, outputs=n)
    # A side whose output changes from run to run is not captured: the page would change with it.
    varies = diff.subject.removesuffix(f"@{device}").removeprefix("nondeterministic:")
    # A different number of outputs on an empty input is structure, not values: the stability pass
    # found the target's results stable there (torch.chunk's pieces), so they are shown.
    structural = "target_rejects" in diff.subject or diff.subject.startswith("count:")
    if varies == "empty_input" or (has_empty_input(case) and not structural):
        # Values computed from no element may read memory nothing defined (MindSpore on CPU): stable
        # in one process, not in another, so a page that showed them would not be reproducible.
        varies, hidden = "target", UNDEFINED
    else:
        hidden = VARIES
        # Any row's smallest case may be one whose output changes (MindSpore's svd of NaN, a row
        # about accepting invalid input): what it printed once would not be the page next time.
        changing = unstable or {}
        if varies not in ("source", "target"):
            if case.id in changing.get(target.api, frozenset()):
                varies = "target"
            elif case.id in changing.get(source.api, frozenset()):
                varies = "source"
            elif varies.startswith("target_accepts_invalid") and case.facet_dict.get("special"):
                # What a target computes from NaN or infinities the source refuses is defined by
                # nothing (LAPACK on NaN): it need not repeat in another process, so it is not shown.
                varies, hidden = "target", UNDEFINED_FROM_SPECIALS
    shown: Callable[[], str] = functools.partial(str, hidden)
    src_out = shown if varies == "source" else scripts.add(source.framework, device, src_code)
    tgt_out = shown if varies == "target" else scripts.add(target.framework, device, tgt_code)
    return lambda: dataclasses.replace(diff, reproducer=Reproducer(src_code, tgt_code, src_out(), tgt_out()))


def _reproduce_after_calls(
    scripts: ScriptQueue,
    source: Implementation,
    target: Implementation,
    diff: Difference,
    by_id: dict[str, Case],
    arity: dict[str, int],
    impls: Mapping[str, Implementation],
) -> Callable[[], Difference]:
    """The reproducer of a failure that follows from an earlier call: that call, then the case, on
    each side, in a worker of its own (so no script run before can change what it prints); without
    a trigger, the case alone, which returns there."""
    case = by_id[diff.cases[0]]
    device = diff.device or "cpu"
    trigger, api = diff.details.get("trigger"), diff.details.get("trigger_api")
    before = [by_id[trigger]] if isinstance(trigger, str) else []
    n = max(arity.get(c.id, 1) for c in [*before, case])
    # The earlier call as it ran in the case worker (another target's, maybe); PyTorch makes the
    # same calls with the source.
    first = impls.get(api, target) if isinstance(api, str) else target
    src_code = render_calls([*((source, c) for c in before), (source, case)], device=device, outputs=n)
    tgt_code = render_calls([*((first, c) for c in before), (target, case)], device=device, outputs=n)
    src_out = scripts.add(source.framework, device, src_code, fresh=True)
    tgt_out = scripts.add(target.framework, device, tgt_code, fresh=True)
    return lambda: dataclasses.replace(diff, reproducer=Reproducer(src_code, tgt_code, src_out(), tgt_out()))


def _example(
    scripts: ScriptQueue,
    source: Implementation,
    target: Implementation,
    case: Case,
    observations: Observations,
    outputs: int,
) -> Callable[[], Example]:
    """A hand-written case as a code example, run on both sides, checked against its published values;
    the example, once the queued scripts have run."""
    src_code = render_script(source, case, outputs=outputs)
    tgt_code = render_script(target, case, outputs=outputs)
    src_out = scripts.add(source.framework, "cpu", src_code)
    tgt_out = scripts.add(target.framework, "cpu", tgt_code)
    verdicts = []
    for impl in (source, target):
        obs = next(o for o in observations[(impl.api, "cpu")] if o.case_id == case.id)
        verdicts.append(f"{impl.api}: {_published_verdict(case, obs)}")
    facets = case.facet_dict
    return lambda: Example(
        title=facets.get("name", case.id),
        description=f"{case.origin.split('#')[0].removeprefix('handwritten:')} — {case.label}. "
        f"Published output checked against: {'; '.join(verdicts)}.",
        source_code=src_code,
        target_code=tgt_code,
        source_output=src_out(),
        target_output=tgt_out(),
    )


def _published_verdict(case: Case, obs: Observation) -> str:
    """Does an observation reproduce the values (and dtype) a document published?"""
    if case.expected is None:
        return "no published output"
    if obs.status is Status.NOT_RUN:
        return f"not run ({obs.error_message or 'a parameter has no counterpart'})"
    if not obs.ok:
        return f"{obs.status.value} {obs.error_type or ''} (published: returns)".replace("  ", " ")
    out = obs.outputs[0]
    expected = np.asarray(case.expected, dtype=np.float64)
    same_values = out.values.shape == expected.shape and bool(
        np.allclose(out.values.astype(np.float64), expected)
    )
    same_dtype = case.expected_dtype in (None, out.dtype)
    if same_values and same_dtype:
        return "matches"
    problems = [] if same_values else ["values differ"]
    if not same_dtype:
        problems.append(f"dtype {out.dtype}, published {case.expected_dtype}")
    return "; ".join(problems)


def _printed(result: ScriptResult) -> str:
    """What a script printed, and the exception it ended with (type and first informative line)."""
    stdout = result.stdout.rstrip("\n")
    if not result.error:
        return stdout
    etype, _, message = result.error.partition(":")
    lines = [ln.strip() for ln in message.splitlines() if ln.strip() and not ln.lstrip().startswith("-")]
    raised = f"{etype}: {lines[0]}" if lines else etype
    return f"{stdout}\n{raised}".strip()


def _off_reference(
    ref: Sequence[Observation],
    obs: Sequence[Observation],
    overrides: dict[str, tuple[float, float]],
    unstable: frozenset[str] | None = None,
) -> int:
    """Cases where an implementation disagrees with the reference (status, dtype, shape or values);
    a case whose outputs change from run to run counts as off, whatever one run returned."""
    count = 0
    for r, o in zip(ref, obs, strict=True):
        if Status.NOT_RUN in (r.status, o.status) or o.status is Status.UNAVAILABLE:
            continue
        if unstable and o.case_id in unstable:
            count += 1
            continue
        c = compare_observations(r, o, overrides)
        if c.status or c.count or c.dtype or c.shape or c.values:
            count += 1
    return count
