"""Fake framework adapters for engine tests: NumPy underneath, behaviour chosen by the API name.

`FakeAdapter` resolves `fake.<name>` to one of the functions in `OPS`, so one adapter
serves every test: `fake.ok` returns its input, `fake.segfault` kills the worker with
SIGSEGV, `fake.deferred` leaves an error that surfaces only at `synchronize()` (like
MindSpore PyNative or CUDA), and so on. `fake.dispatch` picks the behaviour from a
string argument, `action`, so one batch can mix faults case by case. Other API names
resolve as import paths, as in a real adapter.

Register them with a session: `Session(options, adapters=FAKE_ADAPTERS)`. Set the
environment variable named by LOAD_LOG_ENV to a file path to have every worker that
loads a fake adapter append a line there (to count starts and restarts).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from apicompat.frameworks.base import Adapter
from apicompat.records import ArgValue, Case, Implementation, OutArg, Output, Resolution, TensorArg
from apicompat.records.dtypes import carrier

#: Framework name -> adapter path, for `Session(adapters=...)`.
FAKE_ADAPTERS: dict[str, str] = {
    "fake": "fake_frameworks:FakeAdapter",  # devices cpu and gpu
    "fake2": "fake_frameworks:FakeAdapter",  # a second framework, for concurrency tests
    "fake_cpu": "fake_frameworks:CpuOnlyAdapter",  # gpu unavailable
    "broken": "fake_frameworks:BrokenAdapter",  # its framework does not import
    "crashing": "fake_frameworks:CrashOnLoadAdapter",  # the worker dies while loading
    "killed_once": "fake_frameworks:KilledOnceOnLoadAdapter",  # killed from outside at its first load
    "stopped_once": "fake_frameworks:StoppedOnceOnLoadAdapter",  # stopped (SIGSTOP) at its first load
}

#: Limits that keep engine tests fast: a hang costs FAST_TIMEOUT seconds.
FAST_TIMEOUT = 2.0
FAST_MEMORY_MB = 300

#: Environment variable: a file each fake load appends "name device pid" to.
LOAD_LOG_ENV = "FAKE_FRAMEWORKS_LOAD_LOG"

#: The chunk `fake.memory` allocates at a time, and where it stops if nothing kills it.
MEMORY_CHUNK_MB = 16
MEMORY_CAP_MB = 2048

# Errors launched by an earlier call that surface later, as in an asynchronous runtime.
_PENDING_SYNC: list[BaseException] = []
_PENDING_READ: list[BaseException] = []


def ok(input: Any, *args: Any, **kwargs: Any) -> Any:
    """Return a copy of the input, ignoring every other argument."""
    return np.array(input, copy=True)


def scaled_cumsum(x: np.ndarray, dim: int, /, *, scale: float = 1.0, dtype: Any = None) -> np.ndarray:
    """Positional-only `x, dim`, keyword-only rest: a wrong calling convention raises TypeError."""
    return np.cumsum(x, axis=dim, dtype=dtype) * scale


def concat(tensors: list[np.ndarray], dim: int = 0) -> np.ndarray:
    """Join a tensor list, like torch.cat."""
    return np.concatenate(tensors, axis=dim)


def fill_out(input: np.ndarray, *, out: np.ndarray) -> np.ndarray:
    """Write into a preallocated output and return it."""
    out[...] = input
    return out


def segfault(input: Any, *args: Any, **kwargs: Any) -> Any:
    """Die with SIGSEGV, like a framework bug in C++."""
    os.kill(os.getpid(), signal.SIGSEGV)
    time.sleep(10)  # the signal is delivered before this returns


def abort(input: Any, *args: Any, **kwargs: Any) -> Any:
    """Die with SIGABRT, like a failed C++ assertion."""
    os.abort()


def exit_process(input: Any, *args: Any, **kwargs: Any) -> Any:
    """Leave the process with status 3, skipping every handler."""
    os._exit(3)


def hang(input: Any, *args: Any, **kwargs: Any) -> Any:
    """Spin forever, holding the CPU."""
    while True:
        pass


def memory(input: Any, *args: Any, **kwargs: Any) -> Any:
    """Allocate (and touch) memory until killed; stop at MEMORY_CAP_MB and hang, never exhausting the host."""
    hoard = []
    for _ in range(MEMORY_CAP_MB // MEMORY_CHUNK_MB):
        hoard.append(np.ones(MEMORY_CHUNK_MB << 17, dtype=np.float64))  # 2**17 float64 = 1 MiB
    while True:
        time.sleep(1)


def deferred(input: Any, *args: Any, **kwargs: Any) -> Any:
    """Return normally but leave an error that raises at the next synchronize()."""
    _PENDING_SYNC.append(RuntimeError("deferred failure launched by fake.deferred"))
    return np.array(input, copy=True)


def deferred_read(input: Any, *args: Any, **kwargs: Any) -> Any:
    """Return normally but leave an error that raises when the result is read back."""
    _PENDING_READ.append(RuntimeError("deferred failure launched by fake.deferred_read"))
    return np.array(input, copy=True)


def wrong_dtype(input: Any, *args: Any, **kwargs: Any) -> Any:
    """Return the input in another dtype (float64, or float32 for float64 input)."""
    values = np.asarray(input)
    return values.astype(np.float32 if values.dtype == np.float64 else np.float64)


def print_garbage(input: Any, *args: Any, **kwargs: Any) -> Any:
    """Print junk to stdout and stderr, at the Python and the file-descriptor level, then return."""
    print("fake.print: hello from stdout", flush=True)
    print("fake.print: hello from stderr", file=sys.stderr, flush=True)
    os.write(1, b"\x80\x05\x95garbage that looks like a pickle frame\n")
    os.write(2, b"\x00\xff\xfe binary junk on fd 2\n")
    return np.array(input, copy=True)


def raise_value_error(input: Any, *args: Any, **kwargs: Any) -> Any:
    """Raise ValueError, as an API rejecting its arguments does."""
    raise ValueError("fake.raise rejects this input")


def change_globals(input: Any, *args: Any, **kwargs: Any) -> Any:
    """Change process state: a non-daemon thread that prints forever, and NumPy error settings."""

    def chatter() -> None:
        while True:
            print("fake.globals: background thread still running", flush=True)
            time.sleep(0.05)

    threading.Thread(target=chatter, name="fake-chatter", daemon=False).start()
    np.seterr(all="ignore")
    return np.array(input, copy=True)


def sleep(input: Any, seconds: float = 0.5, *args: Any, **kwargs: Any) -> Any:
    """Sleep, returning [start, end] wall-clock times (to show two workers overlap)."""
    start = time.time()
    time.sleep(seconds)
    return np.array([start, time.time()])


def pid(input: Any, *args: Any, **kwargs: Any) -> Any:
    """The worker's pid (to show a worker is reused, or was restarted)."""
    return np.array([os.getpid()], dtype=np.int64)


def spawn_helper(input: Any, *args: Any, **kwargs: Any) -> Any:
    """Start a long-lived helper process (as some runtimes do) and return its pid."""
    helper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    return np.array([helper.pid], dtype=np.int64)


def dtypes_seen(input: Any, *args: Any, dtypes: dict[str, str], **kwargs: Any) -> Any:
    """The `dtypes` mapping the worker passed to Adapter.call, as "name=dtype" strings."""
    return np.array(sorted(f"{k}={v}" for k, v in dtypes.items()))


dtypes_seen.wants_dtypes = True  # type: ignore[attr-defined]


def scripted(input: Any, counter: str, plan: str, **kwargs: Any) -> Any:
    """Behave as the n-th action of `plan` ("kill,ok") on the n-th call, counted in the file `counter`.

    The last action repeats. "kill", "interrupt" and "stop" are SIGKILL, SIGINT and SIGSTOP
    as from outside (the OOM killer, a stray `kill -INT`, a stalled machine); the others are
    `fake.<action>`. Lets a test script faults that do, or do not, repeat.
    """
    with open(counter, "a+", encoding="utf-8") as f:
        f.seek(0)
        calls = len(f.read())
        f.write("x")
    actions = plan.split(",")
    action = actions[min(calls, len(actions) - 1)]
    outside = {"kill": signal.SIGKILL, "interrupt": signal.SIGINT, "stop": signal.SIGSTOP}
    if action in outside:
        os.kill(os.getpid(), outside[action])
        time.sleep(60)  # a signal is delivered at once; this never returns
    return OPS[action](input, **kwargs)


# What the history-dependent fakes remember within one worker process.
_LAST_FLAG: list[bool] = []
_CALLS: list[int] = [0]


def last_flag(input: Any, *args: Any, flag: bool = False, **kwargs: Any) -> Any:
    """Like MindSpore 2.10's SearchSorted kernel: a call whose `flag` differs from the call before it
    in this process raises (every call, failed or not, leaves its flag behind); a fresh one returns."""
    before = _LAST_FLAG[-1] if _LAST_FLAG else flag
    _LAST_FLAG[:] = [bool(flag)]
    if before != bool(flag):
        raise RuntimeError(f"kernel built for flag={before}, called with flag={flag}")
    return np.array(input, copy=True)


def tired(input: Any, *args: Any, **kwargs: Any) -> Any:
    """Raise once three calls have run before it in this process; no single earlier call is enough."""
    _CALLS[0] += 1
    if _CALLS[0] > 3:
        raise RuntimeError(f"tired after {_CALLS[0] - 1} calls")
    return np.array(input, copy=True)


def reference_copy(input: np.ndarray, *args: Any, dtypes: dict[str, str], **kwargs: Any) -> Any:
    """A NumPy reference for the fakes that return their input."""
    from apicompat.references import Result

    return Result(np.asarray(input, dtype=np.float64), dtypes["input"])


#: `fake.<name>` -> behaviour.
OPS: dict[str, Callable[..., Any]] = {
    "last_flag": last_flag,
    "tired": tired,
    "ok": ok,
    "scaled_cumsum": scaled_cumsum,
    "concat": concat,
    "fill_out": fill_out,
    "segfault": segfault,
    "abort": abort,
    "exit": exit_process,
    "hang": hang,
    "memory": memory,
    "deferred": deferred,
    "deferred_read": deferred_read,
    "wrong_dtype": wrong_dtype,
    "print": print_garbage,
    "raise": raise_value_error,
    "globals": change_globals,
    "sleep": sleep,
    "pid": pid,
    "spawn_helper": spawn_helper,
    "dtypes": dtypes_seen,
    "scripted": scripted,
}


def dispatch(input: Any, action: str = "ok", **kwargs: Any) -> Any:
    """Behave as `fake.<action>`: lets one batch mix faults, case by case."""
    return OPS[action](input, **kwargs)


OPS["dispatch"] = dispatch


def documented(input: Any, dim: int, *, dtype: Any = None, out: Any = None) -> Any:
    """A plain Python function with a signature like torch.cumsum, for signature tests."""
    return input


class FakeAdapter(Adapter):
    """A NumPy-backed framework named "fake" whose API behaviours live in `OPS`."""

    name = "fake"
    DEVICES: tuple[str, ...] = ("cpu", "gpu")

    def load(self) -> None:
        """Accept only the devices in DEVICES."""
        note_load(self)
        if self.device not in self.DEVICES:
            raise RuntimeError(f"device '{self.device}' is not available in {self.name} (has {self.DEVICES})")

    def version(self) -> str:
        """A fixed fake version."""
        return "1.0.fake"

    def available_devices(self) -> list[str]:
        """The devices in DEVICES."""
        return list(self.DEVICES)

    def resolve(self, api: str) -> Callable[..., Any]:
        """`fake.<name>` from OPS; anything else as an import path."""
        if api.startswith("fake."):
            op = api.removeprefix("fake.")
            if op not in OPS:
                raise AttributeError(f"module 'fake' has no attribute '{op}'")
            return OPS[op]
        return super().resolve(api)

    def locate(self, api: str) -> Resolution:
        """`fake.<name>` is found in OPS (with the names it offers); anything else as an import path."""
        if api.startswith("fake."):
            op = api.removeprefix("fake.")
            if op not in OPS:
                return Resolution(
                    api, ok=False, owner="module 'fake'", missing=op, candidates=tuple(sorted(OPS))
                )
            return Resolution(api, ok=True)
        return super().locate(api)

    def tensor(self, values: np.ndarray, dtype: str) -> Any:
        """A copy of the carrier array."""
        return np.array(values, copy=True)

    def dtype(self, name: str) -> Any:
        """The NumPy dtype; the fake has no bfloat16."""
        if name == "bfloat16":
            raise TypeError("fake has no bfloat16 dtype")
        return np.dtype(name)

    def out(self, arg: OutArg) -> Any:
        """A zeroed array of the requested dtype and shape."""
        return np.zeros(arg.shape, dtype=carrier(arg.dtype))

    def call(
        self, fn: Callable[..., Any], args: list[Any], kwargs: dict[str, Any], dtypes: dict[str, str]
    ) -> Any:
        """Call `fn`, passing `dtypes` to functions that ask for it (as the NumPy reference does)."""
        if getattr(fn, "wants_dtypes", False):
            kwargs = {**kwargs, "dtypes": dtypes}
        return fn(*args, **kwargs)

    def outputs(self, result: Any) -> tuple[Output, ...]:
        """Arrays (or a tuple of them) as Outputs; raises errors left for read-back."""
        if _PENDING_READ:
            raise _PENDING_READ.pop()
        items = result if isinstance(result, (tuple, list)) else (result,)
        outputs = []
        for item in items:
            values = np.asarray(item)
            name = "str" if values.dtype.kind == "U" else values.dtype.name
            outputs.append(Output(name, tuple(values.shape), values))
        return tuple(outputs)

    def synchronize(self) -> None:
        """Raise an error an earlier call left pending, as an asynchronous runtime does."""
        if _PENDING_SYNC:
            raise _PENDING_SYNC.pop()


class CpuOnlyAdapter(FakeAdapter):
    """A fake framework without a gpu."""

    name = "fake_cpu"
    DEVICES = ("cpu",)


class BrokenAdapter(FakeAdapter):
    """A fake framework that is not installed."""

    name = "broken"

    def load(self) -> None:
        """Fail as a missing framework does."""
        note_load(self)
        raise ImportError("No module named 'brokenframework'")


class CrashOnLoadAdapter(FakeAdapter):
    """A fake framework whose import kills the process (a bad native library)."""

    name = "crashing"

    def load(self) -> None:
        """Die with SIGSEGV."""
        note_load(self)
        print("crashing: loading the native library", flush=True)
        os.kill(os.getpid(), signal.SIGSEGV)
        time.sleep(10)


#: Environment variable: a file whose absence makes KilledOnceOnLoadAdapter's load kill its worker.
KILLED_ONCE_ENV = "FAKE_FRAMEWORKS_KILLED_ONCE"


class KilledOnceOnLoadAdapter(FakeAdapter):
    """A fake framework whose first load is killed with SIGKILL (as from outside); later ones load."""

    name = "killed_once"
    SIGNAL = signal.SIGKILL

    def load(self) -> None:
        """Receive SIGNAL unless the marker file exists (and create it)."""
        note_load(self)
        marker = os.environ[KILLED_ONCE_ENV]
        if not os.path.exists(marker):
            with open(marker, "w", encoding="utf-8"):
                pass
            os.kill(os.getpid(), self.SIGNAL)
        super().load()


class StoppedOnceOnLoadAdapter(KilledOnceOnLoadAdapter):
    """A fake framework whose first load is stopped with SIGSTOP (a stalled machine, a debugger)."""

    name = "stopped_once"
    SIGNAL = signal.SIGSTOP


def note_load(adapter: Adapter) -> None:
    """Append "name device pid" to the file named by LOAD_LOG_ENV, if set."""
    path = os.environ.get(LOAD_LOG_ENV)
    if path:
        with open(path, "a") as f:
            f.write(f"{adapter.name} {adapter.device} {os.getpid()}\n")


def loads(path: str | os.PathLike[str]) -> list[str]:
    """The lines note_load wrote (empty if none)."""
    try:
        with open(path) as f:
            return f.read().splitlines()
    except FileNotFoundError:
        return []


def make_impl(
    api: str,
    framework: str = "fake",
    params: dict[str, str | None] | None = None,
    positional: tuple[str, ...] = ("input",),
    method: bool = False,
) -> Implementation:
    """An Implementation of a fake (or any) API; `params` maps canonical -> target names."""
    return Implementation(framework, api, tuple((params or {}).items()), positional, method)


def make_case(seed: int = 0, dtype: str = "float32", shape: tuple[int, ...] = (3,), **args: ArgValue) -> Case:
    """A case whose `input` is a small random tensor, plus any other canonical arguments."""
    return Case("fake", (("input", TensorArg(dtype, shape, seed=seed)), *args.items()))
