"""Fake frameworks for the reliability tests: faults chosen case by case, slow ops, global state.

Specs name them through the adapter registry's environment variable (see
apicompat/commands/running.py), for example from the command line:

    APICOMPAT_ADAPTERS="chaos=chaos_frameworks:ChaosAdapter,calm=chaos_frameworks:ChaosAdapter"

`chaos(input, mode)` behaves as `MODES[mode]`: a spec with an int parameter
`mode` whose values are the indexes of MODES gets one case per fault, and every
fault lands on a known case. `calm(input, mode)` always returns its input, so the
other worker of a run shows that a fault costs only its own worker's case.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from fake_frameworks import FakeAdapter

from apicompat.references.core import Result

#: Faults by index: a spec's `mode` values pick them (keep the order: tests index it).
MODES: tuple[str, ...] = (
    "ok",
    "segfault",
    "abort",
    "exit",
    "hang",
    "memory",
    "raise",
    "deferred",
    "wrong_dtype",
    "wrong_shape",
    "wrong_type",
    "unpicklable",
    "print",
    "threads",
    "default_dtype",
    "reads_default_dtype",
)

#: Seconds `slow_cumsum` sleeps per call (so that a run lasts long enough to be interrupted).
SLOW_ENV = "CHAOS_SLOW_SECONDS"

# The fake framework's "default dtype", like torch.get_default_dtype(): process-global state.
_STATE: dict[str, Any] = {"default_dtype": np.float32}
_PENDING: list[BaseException] = []


def _memory() -> None:
    hoard = [np.ones(16 << 17) for _ in range(128)]  # 2 GiB at most; the session kills it first
    del hoard
    while True:
        time.sleep(1)


def _hang() -> None:
    while True:
        pass


def _raise() -> None:
    # Hostile text: a table pipe, markup, an ANSI colour, a NUL; ArithmeticError sorts first in a report.
    raise ArithmeticError("chaos rejects mode 'raise' | <script>alert(1)</script> \x1b[31mred\x1b[0m\x00.")


def _print() -> None:
    print("chaos: hello on stdout", flush=True)
    print("chaos: hello on stderr", file=sys.stderr, flush=True)
    os.write(1, b"\x80\x05\x95 bytes that look like a pickle frame\n")


def _threads() -> None:
    def spin() -> None:
        while True:
            time.sleep(0.01)

    for _ in range(4):
        threading.Thread(target=spin, daemon=False).start()


_SIDE_EFFECTS: dict[str, Callable[[], None]] = {
    "segfault": lambda: os.kill(os.getpid(), signal.SIGSEGV),
    "abort": os.abort,
    "exit": lambda: os._exit(3),
    "hang": _hang,
    "memory": _memory,
    "raise": _raise,
    "deferred": lambda: _PENDING.append(RuntimeError("deferred failure launched by mode 'deferred'")),
    "print": _print,
    "threads": _threads,
    "default_dtype": lambda: _STATE.__setitem__("default_dtype", np.float64),
}


def chaos(input: np.ndarray, mode: int = 0) -> Any:
    """Misbehave as MODES[mode]; otherwise return the input."""
    name = MODES[mode]
    effect = _SIDE_EFFECTS.get(name)
    if effect is not None:
        effect()
    if name == "wrong_dtype":
        return input.astype(np.float64 if input.dtype != np.float64 else np.float32)
    if name == "wrong_shape":
        return np.concatenate([input.reshape(-1), input.reshape(-1)])
    if name == "wrong_type":
        return {"not": "a tensor"}
    if name == "unpicklable":
        return np.array([lambda: None], dtype=object)
    if name == "reads_default_dtype":
        return np.asarray(input, dtype=_STATE["default_dtype"])
    return np.array(input, copy=True)


def calm(input: np.ndarray, mode: int = 0) -> Any:
    """Return the input, whatever the mode."""
    if MODES[mode] == "reads_default_dtype":
        return np.asarray(input, dtype=_STATE["default_dtype"])
    return np.array(input, copy=True)


def reference(input: np.ndarray, mode: int = 0, *, dtypes: dict[str, str]) -> Result:
    """The NumPy reference of both: the input, unchanged."""
    return Result(np.asarray(input, dtype=np.float64), dtypes["input"])


def slow_cumsum(input: np.ndarray, dim: int) -> Any:
    """np.cumsum after a pause, keeping the input dtype (as MindSpore does)."""
    time.sleep(float(os.environ.get(SLOW_ENV, "0.01")))
    if input.ndim == 0:
        return input.copy()
    return np.cumsum(input, axis=dim, dtype=input.dtype)


class ChaosAdapter(FakeAdapter):
    """The fake framework, with a `reset()` that restores its default dtype before each case."""

    name = "chaos"

    def outputs(self, result: Any) -> Any:
        """Refuse what is not an array, as a real adapter refuses a non-tensor."""
        if isinstance(result, dict):
            raise TypeError(f"cannot read a result of type {type(result).__name__}: expected a tensor")
        return super().outputs(result)

    def synchronize(self) -> None:
        """Raise the error a `deferred` case left behind, as an asynchronous runtime does."""
        if _PENDING:
            raise _PENDING.pop()
        super().synchronize()

    def reset(self) -> None:
        """Undo what an earlier case did to the process's global state."""
        _STATE["default_dtype"] = np.float32


#: The same op under a second name: a run's two implementations need distinct api names.
slow_cumsum_too = slow_cumsum
