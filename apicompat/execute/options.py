"""The settings a session runs with, and the plain records it hands back."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

from apicompat.defaults import DEFAULT_RETRIES, MAX_RETRIES

#: Environment variable: "0" makes RunOptions default to spawning every worker afresh.
FORK_SERVER_ENV = "APICOMPAT_FORK_SERVER"


@dataclass(frozen=True)
class RunOptions:
    """How cases run: per-case time limit, per-worker memory limit, batch size."""

    timeout: float = 60.0  # seconds per case (and per script or signature request)
    memory_mb: int | None = 8192  # resident memory limit per worker; None: no limit
    batch_size: int = 64  # cases per request message
    start_timeout: float = 180.0  # seconds a worker may take to import its framework and load
    # Fork workers from one process per framework that has imported it, instead of
    # starting each worker (and each restart) as a fresh interpreter. APICOMPAT_FORK_SERVER=0
    # in the environment turns it off by default (an escape hatch, e.g. for a driver that
    # misbehaves in forked processes).
    fork_server: bool = field(default_factory=lambda: os.environ.get(FORK_SERVER_ENV, "1") != "0")
    # How many case workers may run at once; None: one per CPU (at most 8). Each (framework,
    # device) always has one; more ("helpers") join the one with the most work left while a
    # CPU is free, when its workers are forked (cheap to start).
    parallel: int | None = None
    # How many times a case, script or request whose worker died or timed out runs again, alone
    # in a fresh worker, before the loss is believed (apicompat/execute/retry.py).
    retries: int = DEFAULT_RETRIES

    def __post_init__(self) -> None:
        if not self.timeout > 0:
            raise ValueError(f"RunOptions.timeout must be positive, got {self.timeout!r}")
        if self.memory_mb is not None and self.memory_mb <= 0:
            raise ValueError(f"RunOptions.memory_mb must be positive or None, got {self.memory_mb!r}")
        if self.batch_size < 1:
            raise ValueError(f"RunOptions.batch_size must be at least 1, got {self.batch_size!r}")
        if self.parallel is not None and self.parallel < 1:
            raise ValueError(f"RunOptions.parallel must be at least 1 or None, got {self.parallel!r}")
        if not 0 <= self.retries <= MAX_RETRIES:
            raise ValueError(f"RunOptions.retries must be between 0 and {MAX_RETRIES}, got {self.retries!r}")
        if not self.start_timeout > 0:
            raise ValueError(f"RunOptions.start_timeout must be positive, got {self.start_timeout!r}")


@dataclass(frozen=True)
class Interpreter:
    """The Python a framework's workers run under, and the import path they start with."""

    executable: str
    path: tuple[str, ...]  # put before the worker's own sys.path (adapters, the apicompat checkout)


def current_interpreter() -> Interpreter:
    """This process's Python and its whole sys.path: a worker imports whatever the session can."""
    return Interpreter(sys.executable, tuple(p or os.getcwd() for p in sys.path))


@dataclass(frozen=True)
class WorkerInfo:
    """Whether a framework loaded on a device, and what it reported about itself."""

    framework: str
    device: str
    available: bool
    version: str | None
    devices: tuple[str, ...]
    message: str | None  # why it is unavailable; None when available


@dataclass(frozen=True)
class ScriptResult:
    """What a standalone script printed, and its error as "ExcType: message" if it raised."""

    stdout: str
    error: str | None
