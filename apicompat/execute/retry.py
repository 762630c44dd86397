"""Retry before believing: a lost worker is re-run until its outcome repeats; faults that did not are tallied.

A case (or a script, or a signature read) whose worker died or timed out may have
lost it to something outside the case: the kernel's OOM killer, a CI runner's
signal, a person's `kill`, a machine that stalled. So it runs again, alone, in a
fresh worker. With `retries` N a loss is believed (recorded as the case's crash or
timeout) only once the same loss (status and error type) has happened N + 1
times, a bare SIGKILL N + 3 times (`KILL_EXTRA_RUNS`); the first run that
completes normally (a return or an exception of the API) is believed at once. A
case runs at most 2N + 3 times (once with N = 0): where no loss has repeated by
then, the most frequent one (the latest of a tie, a kill last) is recorded. A
segfault or an abort of the case's own making repeats, and is recorded as before;
a kill from outside does not, and is only counted (`FaultLog`).
"""

from __future__ import annotations

import collections
import contextlib
import contextvars
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

from apicompat.records import Faults, Status

T = TypeVar("T")

#: Whose faults a thread's losses count toward (a spec's id; "" outside any scope). Threads the
#: session starts for a run carry their caller's scope, so that one spec's execution can overlap
#: the previous spec's assembly and each spec's record still holds its own faults only.
FAULT_SCOPE: contextvars.ContextVar[str] = contextvars.ContextVar("apicompat_fault_scope", default="")


@contextlib.contextmanager
def fault_scope(name: str) -> Iterator[None]:
    """Count the faults of what runs in this thread (and the threads it starts) toward `name`."""
    token = FAULT_SCOPE.set(name)
    try:
        yield
    finally:
        FAULT_SCOPE.reset(token)


#: How a lost run's (status, error type) reads in the faults record.
_REASONS = {"SIGKILL": "worker killed", "Timeout": "timeout", "MemoryLimit": "memory limit"}


def fault_reason(status: Status, error_type: str | None) -> str:
    """The faults record's words for a loss: "worker killed", "timeout", "worker died with SIGSEGV"."""
    if error_type in _REASONS:
        return _REASONS[error_type]
    if status is Status.TIMEOUT:
        return "timeout"
    if error_type and error_type.startswith("SIG"):
        return f"worker died with {error_type}"
    if error_type and error_type.startswith("ExitCode"):
        return f"worker exited with code {error_type.removeprefix('ExitCode')}"
    return f"worker lost ({error_type or 'unknown'})"


#: How many more runs a bare SIGKILL needs than another loss before it is believed (with retries).
#: A case can hardly kill itself that way: the OOM killer, a CI runner or a person sends it (the
#: session's own kills read as Timeout or MemoryLimit). Kills arrive in bursts, and one can land on a
#: case's run and then on its retry, or on a worker's start and on the next; they must not be believed.
KILL_EXTRA_RUNS = 2


def _is_kill(loss: tuple[Status, str | None] | None) -> bool:
    return loss is not None and loss[1] == "SIGKILL"


#: Signals a process gets from its own execution (a bad address, an arithmetic fault, an abort).
_OWN_SIGNALS = frozenset({"SIGSEGV", "SIGFPE", "SIGBUS", "SIGILL", "SIGABRT", "SIGTRAP", "SIGSYS"})


def from_outside(error_type: str | None) -> bool:
    """Whether a loss can come from outside the case (a kill, a stall, a signal from another process)."""
    return error_type not in _OWN_SIGNALS


def settle(
    first: T,
    again: Callable[[], T],
    loss_of: Callable[[T], tuple[Status, str | None] | None],
    retries: int,
) -> tuple[T, list[T]]:
    """Run `again` until an outcome is believed: (that outcome, the lost runs that were not believed).

    `first` is a lost run; `loss_of` gives a run's (status, error type), None for one that
    completed normally.
    """
    extra = KILL_EXTRA_RUNS if retries else 0
    runs = [first]
    while True:
        loss = loss_of(runs[-1])
        needed = retries + 1 + (extra if _is_kill(loss) else 0)
        if loss is None or sum(loss_of(r) == loss for r in runs) >= needed:
            chosen = runs[-1]
            break
        if len(runs) >= 2 * retries + 1 + extra:
            # No loss repeated often enough: the most frequent one, the latest of a tie; a kill
            # (most likely from outside) only when nothing else was seen.
            counts = collections.Counter(loss_of(r) for r in runs)
            chosen = max(reversed(runs), key=lambda r: (not _is_kill(loss_of(r)), counts[loss_of(r)]))
            break
        runs.append(again())
    believed = loss_of(chosen)
    return chosen, [r for r in runs if loss_of(r) != believed]


class FaultLog:
    """A session's tally of lost runs: those not believed (faults) per fault scope, and all of them
    (for stability)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._retried: collections.Counter[str] = collections.Counter()  # scope -> executions re-run
        self._reasons: dict[str, collections.Counter[str]] = {}  # scope -> reason -> losses
        self._losses = 0

    def lost(self) -> None:
        """A run lost its worker (believed or not)."""
        with self._lock:
            self._losses += 1

    def survived(self, losses: list[tuple[Status, str | None]]) -> None:
        """One execution was re-run after `losses` (status, error type) that did not repeat.

        Only faults from outside count: a crash of the process's own execution (SIGSEGV,
        SIGFPE, …) that did not repeat in a fresh worker depends on what the worker ran
        before (MindSpore's SIGFPE on some empty tensors does), which varies with how a run
        spreads its cases; counted, it would make two clean runs' pages differ.
        """
        reasons = [
            fault_reason(status, error_type) for status, error_type in losses if from_outside(error_type)
        ]
        if not reasons:
            return
        scope = FAULT_SCOPE.get()
        with self._lock:
            self._retried[scope] += 1
            self._reasons.setdefault(scope, collections.Counter()).update(reasons)

    @property
    def losses(self) -> int:
        """How many runs have lost their worker so far in this session."""
        with self._lock:
            return self._losses

    def take(self) -> Faults:
        """The faults tallied in the current scope since its last take (sorted by reason), and start
        a new tally."""
        scope = FAULT_SCOPE.get()
        with self._lock:
            reasons = self._reasons.pop(scope, collections.Counter())
            return Faults(self._retried.pop(scope, 0), tuple(sorted(reasons.items())))
