"""Load specs and hand-written cases, and run them in one worker session, resumably.

A run keeps each finished observation in `<out>/.apicompat-partial/<spec>.jsonl`
(see apicompat.run.checkpoint). Ctrl-C or SIGTERM stops the workers and says how many
results were kept; the same command with `--resume` runs only what is missing and
writes the reports an uninterrupted run would have written. A run that finishes
removes its partial results.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import functools
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from apicompat.commands.progress import RunProgress
from apicompat.execute import RunOptions, Session
from apicompat.execute.options import Interpreter
from apicompat.generate.handwritten import load_case_dir
from apicompat.records import ApicompatError, Case, Observation, SpecResult, VersionRun
from apicompat.run.checkpoint import PARTIAL_DIR, Checkpoint, JobKey, fingerprint
from apicompat.run.pipeline import (
    Observations,
    RunConfig,
    SpecPlan,
    assemble_plan,
    plan_spec,
    spec_cases,
    stability,
)
from apicompat.run.preflight import SpecRefused
from apicompat.run.stability import Stability
from apicompat.spec import Spec, load_specs
from apicompat.spec.loader import KNOWN_FRAMEWORKS

#: Environment variable registering extra framework adapters, for tests and experiments:
#: `APICOMPAT_ADAPTERS="fake=fake_frameworks:FakeAdapter,fake2=fake_frameworks:FakeAdapter"`.
#: Specs may then name those frameworks; their workers import the adapter by path.
ADAPTERS_ENV = "APICOMPAT_ADAPTERS"


@dataclass(frozen=True)
class CommandConfig(RunConfig):
    """A RunConfig plus where the command keeps partial results, and whether it resumes them."""

    partial_dir: Path | None = None
    resume: bool = False
    # Whether run_all removes the partial results when it reaches its end; a command that
    # writes more afterwards (an index) removes them itself, once that is written too.
    cleanup: bool = True
    # Other framework versions to measure each spec with too (`report --with`), in order.
    other_versions: tuple[OtherVersion, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class OtherVersion:
    """One framework version to measure besides the installed one, and the Python that has it."""

    framework: str
    version: str
    interpreter: Interpreter


class Interrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM stopped the run; the message says what was kept and how to resume."""


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread so that it unwinds exactly as Ctrl-C does."""


def extra_adapters() -> dict[str, str]:
    """Framework name -> "module:Class" from APICOMPAT_ADAPTERS (empty when unset)."""
    text = os.environ.get(ADAPTERS_ENV, "").strip()
    found: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, eq, path = (s.strip() for s in item.partition("="))
        module, colon, cls = path.partition(":")
        if not (eq and colon and name.isidentifier() and module and cls):
            raise ApicompatError(f"{ADAPTERS_ENV}: expected name=module:Class[,...], got {item!r}")
        found[name] = path
    return found


def config_from(args: argparse.Namespace) -> CommandConfig:
    """The run configuration the command-line options describe."""
    options = RunOptions(timeout=args.timeout, memory_mb=args.memory_mb, retries=args.retries)
    return CommandConfig(
        seed=args.seed,
        devices=tuple(args.device),
        budget=args.cases,
        options=options,
        partial_dir=_partial_dir(args),
        resume=bool(getattr(args, "resume", False)),
        allow_drift=bool(getattr(args, "allow_drift", False)),
    )


def _partial_dir(args: argparse.Namespace) -> Path | None:
    """Partial results live in the output directory (check without --out: next to its baseline)."""
    out = getattr(args, "out", None)
    if out:
        return Path(out) / PARTIAL_DIR
    baseline = getattr(args, "baseline", None)
    return Path(baseline).parent / PARTIAL_DIR if baseline else None


def load_inputs(args: argparse.Namespace) -> tuple[list[Spec], dict[str, list[Case]]]:
    """Specs from the given paths (default specs/) and their hand-written cases."""
    frameworks = (*KNOWN_FRAMEWORKS, *extra_adapters())
    specs = load_specs(args.paths or ["specs"], frameworks=frameworks)
    handwritten: dict[str, list[Case]] = {}
    cases_dir = Path(args.cases_dir)
    if cases_dir.is_dir():
        # Running a subset of specs skips case files of the others; a full run flags unknown ids.
        subset = bool(args.paths)
        for case in load_case_dir(cases_dir, {s.id: s for s in specs}, skip_unknown=subset):
            handwritten.setdefault(case.spec_id, []).append(case)
    return specs, handwritten


def run_all(
    specs: list[Spec],
    handwritten: dict[str, list[Case]],
    config: RunConfig,
    progress: RunProgress | None = None,
    *,
    refused: list[SpecRefused] | None = None,
) -> Iterator[SpecResult]:
    """Run each spec in turn, reusing the workers; yields results as they finish.

    `progress` is told when each spec starts (default: the one-line-per-spec log on stderr);
    the caller reports when it finishes. A spec the live frameworks refuse (an API path that
    resolves to nothing, a mapping the live signature contradicts) is printed and collected in
    `refused`, and the others still run; without that list the first refusal is raised.

    With a CommandConfig, finished observations are kept as partial results, an
    interruption raises `Interrupted` saying how to resume, and a run that reaches
    the end removes the partial results.
    """
    checkpoint = _checkpoint(config)
    if checkpoint is not None and checkpoint.resume:
        # Refuse a checkpoint from another run before any worker starts.
        for spec in specs:
            cases = spec_cases(spec, config, handwritten.get(spec.id, []))
            checkpoint.check_early(spec.id, _fingerprint(config, cases))
    progress = progress if progress is not None else RunProgress()
    with _sigterm_as_interrupt():
        try:
            with contextlib.ExitStack() as stack:
                assembling: list[_Assembly] = []  # at most one: the spec before the one executing
                stack.callback(_abandon, assembling)  # last: after the sessions have stopped
                session = stack.enter_context(Session(config.options, adapters=extra_adapters()))
                others = [
                    (other, stack.enter_context(_version_session(config, other))) for other in _others(config)
                ]
                stack.callback(session.cancel)  # first, on the way out: no background run goes on

                def finished(assembly: _Assembly) -> SpecResult:
                    assembling.remove(assembly)
                    spec = assembly.spec
                    result = assembly.result()
                    return _with_versions(spec, result, others, config, handwritten.get(spec.id, []))

                for spec in specs:
                    progress.spec_started(spec.id, spec.source.api)
                    try:
                        with session.fault_scope(spec.id):
                            executed = _execute_spec(
                                spec, session, config, handwritten.get(spec.id, []), checkpoint
                            )
                    except SpecRefused as exc:
                        if refused is None:
                            raise
                        print(f"apicompat: {exc}", file=sys.stderr)
                        refused.append(exc)
                        continue
                    except Exception:
                        # This spec cannot run (a framework that does not load): the spec before
                        # it still gets its pages, as it would have without the overlap.
                        if assembling:
                            yield finished(assembling[0])
                        raise
                    # The next spec's cases run while this one is compared, classified and
                    # reproduced (both cores busy); results still come out in the specs' order.
                    previous = assembling[0] if assembling else None
                    if previous is not None:
                        previous.wait()
                    assembling.append(_Assembly(spec, session, config, executed, background=config.overlap))
                    if previous is not None:
                        yield finished(previous)
                    if not config.overlap:
                        yield finished(assembling[0])
                if assembling:
                    yield finished(assembling[0])
        except KeyboardInterrupt as exc:
            raise interrupted(config, specs, exc) from None
    if isinstance(config, CommandConfig) and config.cleanup:
        remove_partial(config, specs)


@dataclass
class _Executed:
    """A spec's cases, run: the plan, every job's observations, and the stability pass's findings."""

    plan: SpecPlan
    observations: Observations
    stable: Stability


class _Assembly:
    """One spec's assembly (comparison, classification, reproducers) in a background thread, or at once.

    It counts its faults toward its spec (`Session.fault_scope`), so the next spec's
    execution, running meanwhile, cannot change this spec's faults record.
    """

    def __init__(
        self, spec: Spec, session: Session, config: RunConfig, executed: _Executed, *, background: bool
    ) -> None:
        self.spec = spec
        self._work = functools.partial(
            assemble_plan, spec, session, config, executed.plan, executed.observations, executed.stable
        )
        self._session = session
        self._result: SpecResult | None = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        if background:
            self._thread = threading.Thread(
                target=self._run, name=f"apicompat-assemble-{spec.id}", daemon=True
            )
            self._thread.start()
        else:
            self._run()

    def _run(self) -> None:
        try:
            with self._session.fault_scope(self.spec.id):
                self._result = self._work()
        except BaseException as exc:  # re-raised in the main thread, by result()
            self._error = exc

    def wait(self, timeout: float | None = None) -> None:
        """Until the assembly has ended (or `timeout` seconds); short joins keep Ctrl-C responsive."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self._thread is not None and self._thread.is_alive():
            if deadline is not None and time.monotonic() >= deadline:
                return
            self._thread.join(0.2)

    def result(self) -> SpecResult:
        """The spec's result (waiting for it), or the exception its assembly raised."""
        self.wait()
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result


def _abandon(assembling: list[_Assembly]) -> None:
    """After an interruption: give an assembly still running a moment to end (its workers are gone)."""
    for assembly in assembling:
        assembly.wait(timeout=5.0)


def _others(config: RunConfig) -> tuple[OtherVersion, ...]:
    return config.other_versions if isinstance(config, CommandConfig) else ()


def _version_session(config: RunConfig, other: OtherVersion) -> Session:
    """A session whose workers of `other.framework` run under that version's environment."""
    return Session(
        config.options, adapters=extra_adapters(), interpreters={other.framework: other.interpreter}
    )


def _with_versions(
    spec: Spec,
    result: SpecResult,
    others: Sequence[tuple[OtherVersion, Session]],
    config: RunConfig,
    handwritten: Sequence[Case],
) -> SpecResult:
    """The result with the spec measured again under each other version of a framework it uses.

    The same cases run again in a second session, with the same isolation, batching and
    attribution; only that framework's workers run under the other environment.
    """
    runs = []
    for other, session in others:
        frameworks = {spec.source.framework, *(t.framework for t in spec.targets)}
        if other.framework not in frameworks:
            continue
        print(f"apicompat: running {spec.id} with {other.framework} {other.version}", file=sys.stderr)
        measured = _run_spec(spec, session, config, handwritten, None)
        version = measured.versions.get(other.framework, f"{other.version} (did not load)")
        runs.append(
            VersionRun(
                framework=other.framework,
                version=version,
                versions=dict(measured.versions),
                cases=measured.cases,
                targets=measured.targets,
                unavailable_devices=measured.unavailable_devices,
                source_signature=measured.source_signature,
            )
        )
    return dataclasses.replace(result, other_versions=tuple(runs)) if runs else result


def refusal(refused: Sequence[SpecRefused]) -> ApicompatError:
    """One error naming every refused spec (the command exits 2 after the others' pages)."""
    ids = ", ".join(r.spec_id for r in refused)
    return ApicompatError(
        f"{len(refused)} spec(s) refused ({ids}); no page was written for them:\n"
        + "\n".join(str(r) for r in refused)
    )


def remove_partial(config: RunConfig, specs: Sequence[Spec]) -> None:
    """Remove the partial results of these specs: the run is complete."""
    checkpoint = _checkpoint(config)
    if checkpoint is not None:
        checkpoint.remove(s.id for s in specs)


def interrupted(config: RunConfig, specs: Sequence[Spec], exc: KeyboardInterrupt) -> Interrupted:
    """The exception to leave with after Ctrl-C or SIGTERM: what was kept, and how to resume."""
    if isinstance(exc, Interrupted):
        return exc
    how = "terminated (SIGTERM)" if isinstance(exc, _Terminated) else "interrupted"
    checkpoint = _checkpoint(config)
    if checkpoint is None:
        return Interrupted(how)
    kept = checkpoint.kept(s.id for s in specs)
    if not kept:
        return Interrupted(f"{how} before any result was kept; run the same command again")
    return Interrupted(
        f"{how}: {kept} finished case result(s) kept in {checkpoint.directory}; "
        "run the same command with --resume to finish"
    )


def _checkpoint(config: RunConfig) -> Checkpoint | None:
    if isinstance(config, CommandConfig) and config.partial_dir is not None:
        return Checkpoint(config.partial_dir, config.resume)
    return None


def _fingerprint(config: RunConfig, cases: Sequence[Case], plan: SpecPlan | None = None) -> dict[str, object]:
    """What a spec's observations depend on; without a plan, what is known before workers start."""
    return fingerprint(
        seed=config.seed,
        budget=config.budget,
        devices=config.devices,
        timeout=config.options.timeout,
        memory_mb=config.options.memory_mb,
        case_ids=[c.id for c in cases],
        jobs=plan.jobs if plan is not None else None,
        versions=plan.versions if plan is not None else None,
    )


def _run_spec(
    spec: Spec,
    session: Session,
    config: RunConfig,
    handwritten: Sequence[Case],
    checkpoint: Checkpoint | None,
) -> SpecResult:
    """run_spec, keeping observations in the checkpoint and reusing those a resumed run finds there."""
    executed = _execute_spec(spec, session, config, handwritten, checkpoint)
    return assemble_plan(spec, session, config, executed.plan, executed.observations, executed.stable)


def _execute_spec(
    spec: Spec,
    session: Session,
    config: RunConfig,
    handwritten: Sequence[Case],
    checkpoint: Checkpoint | None,
) -> _Executed:
    """Run a spec's cases (those a resumed run lacks) and its stability pass: what uses its case workers."""
    plan = plan_spec(spec, session, config, handwritten)
    keys: list[JobKey] = [(impl.api, device) for impl, device in plan.jobs]
    if checkpoint is None:
        observations = session.run(plan.jobs, plan.cases, spread=config.spread)
        return _Executed(plan, observations, stability(spec, session, config, plan.cases, observations))
    run = _fingerprint(config, plan.cases, plan)
    recorder, kept = checkpoint.open_spec(spec.id, run, keys, (c.id for c in plan.cases))
    with recorder if recorder is not None else contextlib.nullcontext():
        # A case runs again on every job if any job lacks it: the workers still run side by
        # side, and a kept observation wins over the new one (they are the same; a run is
        # deterministic), so the reports do not depend on where the run was cut.
        todo = [c for c in plan.cases if any(c.id not in kept.get(key, {}) for key in keys)]
        if kept:
            total = len(keys) * len(plan.cases)
            print(
                f"apicompat: resuming {spec.id}: {sum(len(v) for v in kept.values())} of {total} "
                f"case results kept, {len(todo)} case(s) to run",
                file=sys.stderr,
            )
        fresh = (
            session.run(
                plan.jobs, todo, recorder.record if recorder is not None else None, spread=config.spread
            )
            if todo
            else {}
        )
    observations = _merge(plan, keys, kept, fresh)
    return _Executed(plan, observations, stability(spec, session, config, plan.cases, observations))


def _merge(
    plan: SpecPlan, keys: list[JobKey], kept: dict[JobKey, dict[str, Observation]], fresh: Observations
) -> Observations:
    """Each job's observations in case order: kept ones first, fresh ones for the rest."""
    merged: Observations = {}
    for key in keys:
        new = {o.case_id: o for o in fresh.get(key, [])}
        old = kept.get(key, {})
        merged[key] = [old[c.id] if c.id in old else new[c.id] for c in plan.cases]
    return merged


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Treat SIGTERM like Ctrl-C while a run is under way (main thread only), then restore it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum: int, frame: FrameType | None) -> None:
        raise _Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
