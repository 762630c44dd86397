"""Where the time of one apicompat run goes, stage by stage, and the plan for the naive baseline.

`python benchmarks/stages.py SPEC... --cases N --json OUT [--plan PLAN]` runs the
specs through apicompat's own pipeline in this process, with timers wrapped around
its stages (by name, so the pipeline itself is not changed), writes the reports to
a temporary directory, and writes OUT: per spec the seconds of each stage, the
execution time inside each framework, and the cases that killed a worker. With
--plan it also writes the calls the naive baseline makes (benchmarks/naive.py) for
every spec run: the same cases, the same arguments as each worker builds.

Stages (all measured in the main process):

- generation: building the cases (`pipeline.spec_cases`);
- start-up: starting the workers, until each framework has loaded (`pipeline._devices`);
- execution: `Session.run`, wall time; inside it, per framework, the seconds the
  calls took in the worker (`Observation.seconds`: building the inputs, the call,
  reading the result back), worker restarts, and the rest ("transport": the request
  and reply messages, the worker's loop, and waiting);
- stability: running cases again to find outputs that change from run to run
  (`pipeline.stability`, apicompat/run/stability.py);
- comparison: classification, device comparison, the static check and the
  reference deviations;
- signatures, and reproducers and examples (scripts run in the script workers,
  `pipeline.ScriptQueue.run`);
- reporting: writing the Markdown, JSON and index files.
"""

from __future__ import annotations

import argparse
import functools
import json
import pickle
import resource
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from apicompat.commands import running
from apicompat.defaults import DEFAULT_SEED
from apicompat.execute import RunOptions, Session
from apicompat.execute import invoke as invoke_module
from apicompat.execute.pool import WorkerSlot
from apicompat.frameworks.base import Adapter
from apicompat.records import Case, Implementation, Observation, Output, Status
from apicompat.report import render_index, write_reports, write_text_atomic
from apicompat.run import pipeline

#: pipeline functions timed, and the stage each one's time goes to.
STAGES = {
    "spec_cases": "generation",
    "_devices": "start-up",
    "stability": "stability",
    "classify": "comparison",
    "classify_devices": "comparison",
    "static_check": "comparison",
    "_off_reference": "comparison",
    "_signature": "signatures",
}


class Timers:
    """Seconds per stage, and per framework inside execution; safe to add to from worker threads."""

    def __init__(self) -> None:
        self.stages: dict[str, float] = defaultdict(float)
        self.batch_wall: dict[str, float] = defaultdict(float)  # framework -> Σ run_cases wall
        self.starts: dict[str, list[float]] = defaultdict(list)  # framework -> worker start seconds
        self.observations: dict[tuple[str, str], list[Observation]] = {}
        self.main_run = False  # True while the spec's own cases run (not the stability pass)
        self.lock = threading.Lock()
        self._depth = threading.local()

    def timed(self, stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        """`fn`, adding its time to `stage` (only the outermost call counts when they nest)."""

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            depth = getattr(self._depth, stage, 0)
            setattr(self._depth, stage, depth + 1)
            began = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                setattr(self._depth, stage, depth)
                if depth == 0:
                    with self.lock:
                        self.stages[stage] += time.perf_counter() - began

        return wrapper


@contextmanager
def instrumented(timers: Timers) -> Iterator[None]:
    """Wrap the pipeline's stages and the worker slots' batches with timers, then unwrap them."""
    saved: list[tuple[Any, str, Any]] = []

    def patch(owner: Any, name: str, value: Any) -> None:
        saved.append((owner, name, getattr(owner, name)))
        setattr(owner, name, value)

    for name, stage in STAGES.items():
        if hasattr(pipeline, name):  # a renamed pipeline function is simply not timed
            patch(pipeline, name, timers.timed(stage, getattr(pipeline, name)))
    patch(pipeline.ScriptQueue, "run", timers.timed("scripts", pipeline.ScriptQueue.run))
    run_cases = WorkerSlot.run_cases
    ensure = WorkerSlot._ensure

    def timed_run_cases(slot: WorkerSlot, *args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return run_cases(slot, *args, **kwargs)
        finally:
            if timers.main_run:
                with timers.lock:
                    timers.batch_wall[slot.framework] += time.perf_counter() - began

    def timed_ensure(slot: WorkerSlot) -> Any:
        starting = slot._process is None
        began = time.perf_counter()
        process = ensure(slot)
        if starting and slot.role.startswith("cases") and (timers.main_run or not timers.observations):
            with timers.lock:
                timers.starts[slot.framework].append(time.perf_counter() - began)
        return process

    patch(WorkerSlot, "run_cases", timed_run_cases)
    patch(WorkerSlot, "_ensure", timed_ensure)
    try:
        yield
    finally:
        for owner, name, value in reversed(saved):
            setattr(owner, name, value)


def run_specs(paths: list[str], cases: int | None, plan_path: str | None) -> dict[str, Any]:
    """Run every spec in `paths` in one session; the stage timings of each, and the naive plan."""
    args = argparse.Namespace(paths=paths, cases_dir="cases")
    specs, handwritten = running.load_inputs(args)
    config = pipeline.RunConfig(seed=DEFAULT_SEED, devices=("cpu",), budget=cases, options=RunOptions())
    out: dict[str, Any] = {"specs": []}
    began = time.perf_counter()
    planned: list[dict[str, Any]] = []  # per spec: its impls and the calls of its cases
    with tempfile.TemporaryDirectory(prefix="apicompat-bench-") as tmp, Session(config.options) as session:
        results = []
        for spec in specs:
            timers = Timers()
            run = session.run

            def recording_run(*a: Any, _run: Any = run, _timers: Timers = timers, **k: Any) -> Any:
                # The first run is the spec's cases; later ones (the stability pass runs cases
                # again) count in their own stage.
                if _timers.observations:
                    return _run(*a, **k)
                began = time.perf_counter()
                _timers.main_run = True
                try:
                    observations = _run(*a, **k)
                finally:
                    _timers.main_run = False
                _timers.stages["execution"] += time.perf_counter() - began
                _timers.observations.update(observations)
                return observations

            session.run = recording_run  # type: ignore[method-assign]
            spec_began = time.perf_counter()
            with instrumented(timers):
                result = pipeline.run_spec(spec, session, config, handwritten.get(spec.id, []))
            session.run = run  # type: ignore[method-assign]
            report_began = time.perf_counter()
            write_reports(result, Path(tmp))
            results.append(result)
            timers.stages["reporting"] += time.perf_counter() - report_began
            total = time.perf_counter() - spec_began
            out["specs"].append(_spec_summary(spec.id, result.cases, total, timers, spec.implementations))
            if plan_path is not None:
                cases_run = pipeline.spec_cases(spec, config, handwritten.get(spec.id, []))
                impls = [pipeline.reference_implementation(spec), *spec.implementations]
                planned.append(_plan_calls(cases_run, impls, timers.observations))
        index_began = time.perf_counter()
        write_text_atomic(Path(tmp) / "index.md", render_index(results, {r.spec_id: "" for r in results}))
        if out["specs"]:
            out["specs"][-1]["stages"]["reporting"] += time.perf_counter() - index_began
    out["seconds"] = time.perf_counter() - began
    if plan_path is not None:
        _write_plan(plan_path, planned)
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _spec_summary(
    spec_id: str, cases: int, total: float, timers: Timers, impls: tuple[Implementation, ...]
) -> dict[str, Any]:
    """The stage timings of one spec, and per framework: calls, time in the worker, restarts."""
    frameworks: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    crashed: list[tuple[str, str]] = []
    framework_of = {impl.api: impl.framework for impl in impls}
    for (api, _device), observations in timers.observations.items():
        framework = framework_of.get(api, "numpy")
        row = frameworks[framework]
        for o in observations:
            row["calls"] += 1
            row["in_worker"] += o.seconds
            if o.status in (Status.CRASH, Status.TIMEOUT):
                crashed.append((o.case_id, api))
                row["lost_seconds"] += o.seconds
    for framework, row in frameworks.items():
        starts = timers.starts.get(framework, [])
        row["restarts"] = max(0, len(starts) - 1)
        row["start_seconds"] = sum(starts)
        row["batch_wall"] = timers.batch_wall.get(framework, 0.0)
        # What the session waited for beyond the calls themselves: messages, the worker's
        # loop, restarts after a crash (their start-up is inside the batch that crashed).
        row["transport"] = max(0.0, row["batch_wall"] - row["in_worker"])
    return {
        "spec": spec_id,
        "cases": cases,
        "seconds": total,
        "stages": dict(timers.stages),
        "frameworks": {k: dict(v) for k, v in frameworks.items()},
        "crashed": crashed,
    }


class _Recorder(Adapter):
    """An adapter that builds nothing: build_call through it gives the call as plan values."""

    name = "plan"

    def load(self) -> None:
        """Nothing to load."""

    def version(self) -> str:
        """No version."""
        return ""

    def available_devices(self) -> list[str]:
        """Only the CPU."""
        return ["cpu"]

    def tensor(self, values: Any, dtype: str) -> Any:
        """The recipe itself (materialize is bypassed while planning)."""
        return ("tensor", values)

    def dtype(self, name: str) -> Any:
        """The dtype by name."""
        return ("dtype", name)

    def out(self, arg: Any) -> Any:
        """The output recipe."""
        return ("out", arg)

    def outputs(self, result: Any) -> tuple[Output, ...]:
        """Never called."""
        return ()


def _plan_calls(
    cases: list[Case],
    impls: list[Implementation],
    observations: dict[tuple[str, str], list[Observation]],
) -> dict[str, Any]:
    """One spec's calls for the naive baseline: what each worker passed, minus calls apicompat did
    not make (a parameter with no counterpart) or that killed the process (a crash, a hang)."""
    skip = {
        (o.case_id, api)
        for (api, _device), obs in observations.items()
        for o in obs
        if o.status in (Status.CRASH, Status.TIMEOUT, Status.NOT_RUN, Status.UNAVAILABLE)
    }
    recorder = _Recorder()
    # While planning, a tensor argument stays its recipe: the naive loop materializes it itself.
    materialize = getattr(invoke_module, "materialize")  # noqa: B009 (not exported; patched here only)
    setattr(invoke_module, "materialize", lambda recipe: recipe)  # noqa: B010
    try:
        planned = []
        for case in cases:
            calls = []
            tensors: dict[int, Any] = {}
            for index, impl in enumerate(impls):
                if (case.id, impl.api) in skip or invoke_module.unsupported_parameter(impl, case):
                    continue
                try:
                    call = invoke_module.build_call(recorder, impl, case)
                except Exception:  # apicompat records an error here; the naive loop has no call to make
                    continue
                for value in [*call.args, *call.kwargs.values(), call.receiver]:
                    _collect_tensors(value, tensors)
                calls.append((index, call.args, call.kwargs, call.receiver, call.dtypes))
            planned.append({"tensors": list(tensors.values()), "calls": calls})
    finally:
        setattr(invoke_module, "materialize", materialize)  # noqa: B010
    return {"impls": impls, "cases": planned}


def _write_plan(path: str, specs: list[dict[str, Any]]) -> None:
    """The naive baseline's plan: every spec's calls, one after the other, in one list of cases."""
    impls: list[Implementation] = []
    cases: list[dict[str, Any]] = []
    for spec in specs:
        offset = len(impls)
        impls += spec["impls"]
        for case in spec["cases"]:
            calls = [(offset + index, *rest) for index, *rest in case["calls"]]
            cases.append({"tensors": case["tensors"], "calls": calls})
    frameworks = sorted({impl.framework for impl in impls} - {"numpy"})
    plan = {
        "frameworks": ["numpy", *frameworks],
        "impls": [{"framework": i.framework, "api": i.api, "method": i.method} for i in impls],
        "cases": cases,
    }
    with open(path, "wb") as f:
        pickle.dump(plan, f, protocol=pickle.HIGHEST_PROTOCOL)


def _collect_tensors(value: Any, tensors: dict[int, Any]) -> None:
    """Every tensor recipe in a plan value, once each (the naive loop materializes each once)."""
    if isinstance(value, tuple) and len(value) == 2 and value[0] == "tensor":
        tensors[id(value[1])] = value[1]
    elif isinstance(value, list):
        for item in value:
            _collect_tensors(item, tensors)


def main(argv: list[str] | None = None) -> int:
    """Command line: run the specs, write the timings (and the naive plan)."""
    parser = argparse.ArgumentParser(prog="python benchmarks/stages.py")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--cases", type=int, default=None)
    parser.add_argument("--json", required=True)
    parser.add_argument("--plan", default=None)
    args = parser.parse_args(argv)
    summary = run_specs(args.paths, args.cases, args.plan)
    Path(args.json).write_text(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
