"""The naive baseline: one process, every framework imported, every call made in a plain loop.

`python benchmarks/naive.py PLAN.pickle` runs the calls a plan lists (written by
`benchmarks/run.py` from the very cases `apicompat report` generates) and prints a
JSON line of timings. It is what a person would write without apicompat: import
NumPy, torch and MindSpore in one process; for each case build the inputs with
`apicompat.records.arrays.materialize` (once per case, shared by every call), call
the NumPy reference and each implementation the spec names, one after another, and
force each result to complete (`.numpy()` / `.asnumpy()`). No isolation, no
comparison, no reports. A call that raises is counted and the loop goes on; calls
that kill the process in apicompat's run (MindSpore dies with SIGFPE on some empty
tensors) are left out by the plan, since a one-process loop cannot survive them.
Which calls kill the process also depends on what ran before in it, so a call may
kill the naive loop that did not kill apicompat's worker: benchmarks/run.py then
starts the loop again after that call (--start, --skip), and leaves it out from then on.
"""

from __future__ import annotations

import argparse
import importlib
import json
import mmap
import os
import pickle
import sys
import time
from collections.abc import Callable
from typing import Any

STARTED = time.perf_counter()

# Same logging level as apicompat's MindSpore worker: only errors reach stderr.
os.environ.setdefault("GLOG_v", "3")


def main(argv: list[str]) -> int:
    """Run a plan; print {"timings": …, "implementations": …, "seconds": …} as JSON."""
    parser = argparse.ArgumentParser(prog="python benchmarks/naive.py")
    parser.add_argument("plan", help="the calls, as benchmarks/stages.py --plan wrote them")
    parser.add_argument("--start", type=int, default=0, help="the first case to run")
    parser.add_argument("--skip", help="a JSON file of [case, call] pairs to leave out")
    parser.add_argument("--progress", help="a 24-byte file: case and call running, start-up µs")
    args = parser.parse_args(argv)
    with open(args.plan, "rb") as f:
        plan: dict[str, Any] = pickle.load(f)
    skip = set()
    if args.skip:
        with open(args.skip) as f:
            skip = {(int(case), int(call)) for case, call in json.load(f)}
    progress = _Progress(args.progress) if args.progress else None
    from apicompat.records.arrays import materialize  # the inputs apicompat's workers build

    timings: dict[str, float] = {}
    modules: dict[str, Any] = {}
    for framework in plan["frameworks"]:
        began = time.perf_counter()
        modules[framework] = importlib.import_module(framework)
        _configure(framework, modules[framework])
        timings[f"import {framework}"] = time.perf_counter() - began
    impls: list[dict[str, Any]] = plan["impls"]
    targets = [None if impl["method"] else _resolve_or_none(impl["api"]) for impl in impls]
    seconds = [0.0] * len(impls)
    errors = [0] * len(impls)
    calls = [0] * len(impls)
    materialize_seconds = 0.0
    natives = {impl["framework"]: _converter(impl["framework"], modules) for impl in impls}
    timings["start-up"] = time.perf_counter() - STARTED
    if progress is not None:
        progress.started(timings["start-up"])
    for number, case in enumerate(plan["cases"]):
        if number < args.start:
            continue
        began = time.perf_counter()
        arrays = {id(recipe): materialize(recipe) for recipe in case["tensors"]}
        materialize_seconds += time.perf_counter() - began
        for call_number, (index, args_plan, kwargs, receiver, dtypes) in enumerate(case["calls"]):
            if (number, call_number) in skip:
                continue
            if progress is not None:
                progress.running(number, call_number)
            impl = impls[index]
            framework = impl["framework"]
            began = time.perf_counter()
            try:
                native = natives[framework]
                call_args = [native(value, arrays) for value in args_plan]
                call_kwargs = {name: native(value, arrays) for name, value in kwargs.items()}
                if impl["method"]:
                    fn = getattr(native(receiver, arrays), impl["api"].rsplit(".", 1)[-1])
                else:
                    fn = targets[index]
                    if fn is None:
                        raise ImportError(impl["api"])  # apicompat could not call it either
                if framework == "numpy":
                    call_kwargs["dtypes"] = dtypes  # the reference's calling convention
                _force(fn(*call_args, **call_kwargs), framework, modules)
            except Exception:
                errors[index] += 1
            seconds[index] += time.perf_counter() - began
            calls[index] += 1
    per_impl: dict[str, dict[str, float]] = {}  # by API: a suite plan may name one in several specs
    for i, impl in enumerate(impls):
        row = per_impl.setdefault(impl["api"], {"seconds": 0.0, "calls": 0, "errors": 0})
        row["seconds"] += seconds[i]
        row["calls"] += calls[i]
        row["errors"] += errors[i]
    timings["materialize"] = materialize_seconds
    report = {"timings": timings, "implementations": per_impl, "seconds": time.perf_counter() - STARTED}
    print(json.dumps(report))
    return 0


class _Progress:
    """Which call runs now, in a small shared file: if MindSpore kills this process, the
    benchmark restarts it after that call (run.py), as apicompat restarts a worker."""

    def __init__(self, path: str) -> None:
        self._file = open(path, "r+b")  # noqa: SIM115 (open for the life of the process)
        self._map = mmap.mmap(self._file.fileno(), 24)
        self._cells = memoryview(self._map).cast("q")

    def started(self, seconds: float) -> None:
        """Imports are done, `seconds` after the start."""
        self._cells[2] = int(seconds * 1e6)

    def running(self, case: int, call: int) -> None:
        """This call runs now."""
        self._cells[0] = case
        self._cells[1] = call


def _configure(framework: str, module: Any) -> None:
    """Set a framework up as apicompat's workers do, so both measure the same framework work.

    One CPU thread each, deterministic kernels, and MindSpore in PyNative mode with
    blocking launches. Left at its defaults, MindSpore starts 25 kernel threads on
    this 2-core machine and runs these calls about 3x slower, which would flatter apicompat.
    """
    if framework == "torch":
        module.set_num_threads(1)
        module.set_num_interop_threads(1)
        module._C._set_deterministic_algorithms(True, warn_only=True)
    elif framework == "mindspore":
        module.set_context(mode=module.PYNATIVE_MODE)
        module.set_device("CPU")
        module.device_context.cpu.op_tuning.threads_num(1)
        module.set_deterministic(True)
        module.runtime.launch_blocking()


def _resolve_or_none(api: str) -> Callable[..., Any] | None:
    """`_resolve`, or None for a path that does not resolve (apicompat records it as not runnable)."""
    try:
        return _resolve(api)
    except (ImportError, AttributeError):
        return None


def _resolve(api: str) -> Callable[..., Any]:
    """`pkg.mod.func` or `pkg.mod:func`: import the longest module prefix, walk the rest."""
    parts = api.replace(":", ".").split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj  # type: ignore[no-any-return]
    raise ImportError(api)


def _converter(framework: str, modules: dict[str, Any]) -> Callable[[Any, dict[int, Any]], Any]:
    """A function turning a plan value (tagged tuple or plain value) into this framework's argument."""

    def native(value: Any, arrays: dict[int, Any]) -> Any:
        if isinstance(value, list):  # a tensor list (torch.cat's `tensors`)
            return [native(item, arrays) for item in value]
        if not isinstance(value, tuple) or len(value) != 2 or value[0] not in _TAGS:
            return value
        tag, payload = value
        if tag == "tensor":
            array = arrays[id(payload)]
            if framework == "torch":
                torch = modules["torch"]
                tensor = torch.tensor(array)
                return tensor.to(torch.bfloat16) if payload.dtype == "bfloat16" else tensor
            if framework == "mindspore":
                ms = modules["mindspore"]
                return ms.Tensor(array, dtype=getattr(ms, payload.dtype))
            return array.copy()
        if tag == "dtype":
            return payload if framework == "numpy" else getattr(modules[framework], payload)
        # "out": a preallocated output tensor
        if framework == "torch":
            torch = modules["torch"]
            return torch.empty(payload.shape, dtype=getattr(torch, payload.dtype))
        ms = modules["mindspore"]
        return ms.ops.zeros(payload.shape, getattr(ms, payload.dtype))

    return native


_TAGS = ("tensor", "dtype", "out")


def _force(result: Any, framework: str, modules: dict[str, Any]) -> None:
    """Read every tensor in `result` back to NumPy, which waits for the computation to finish."""
    if framework == "numpy":
        return  # NumPy computes eagerly: the reference's arrays are complete already
    if isinstance(result, (tuple, list)):
        for item in result:
            _force(item, framework, modules)
    elif framework == "torch" and isinstance(result, modules["torch"].Tensor):
        tensor = result.detach()
        if tensor.dtype == modules["torch"].bfloat16:
            tensor = tensor.float()
        tensor.resolve_conj().resolve_neg().numpy()
    elif framework == "mindspore" and isinstance(result, modules["mindspore"].Tensor):
        ms = modules["mindspore"]
        (result.astype(ms.float32) if result.dtype == ms.bfloat16 else result).asnumpy()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
