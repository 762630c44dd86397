"""Faults from outside, for chaos tests: SIGKILL or SIGSTOP real framework processes at seeded moments.

`framework_processes(root)` finds the processes an apicompat run (or a pytest run)
started, by their process tree and command line: spawned workers
(`-m apicompat.execute.worker --adapter …`), fork servers
(`-m apicompat.execute.forkserver --adapter …`) and the workers forked from them
(children of a fork server, with its command line). `Monkey` sends signals to them
at seeded random moments, as the OOM killer, a CI runner or a person would, and
keeps a log of what it hit. Kills that find no process (the run was done) are
skipped; `injected` says how many landed.

Also here: the comparison of a faulted run's reports with a clean run's, byte for
byte, with the faults record (the JSON field, the page line) normalised away.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import signal
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from apicompat.report.markdown import FAULTS_PREFIX


@dataclass(frozen=True)
class FrameworkProcess:
    """One process of the execute layer: its pid, what it is, and the adapter it runs."""

    pid: int
    role: str  # "worker" (spawned), "forked" (a worker forked by a fork server) or "server"
    adapter: str  # "apicompat.frameworks.torch_adapter:TorchAdapter"
    running: bool  # on a CPU (state R) when listed: a worker in the middle of a case

    @property
    def framework(self) -> str:
        """torch, mindspore, numpy (the adapter module's name, shortened)."""
        module = self.adapter.partition(":")[0].rpartition(".")[2]
        return module.removesuffix("_adapter").removesuffix("_ref")


def _stat(pid: int) -> tuple[int, str] | None:
    """(parent pid, state letter) from /proc, or None when the process is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rpartition(")")[2].split()
    return int(fields[1]), fields[0]


def _cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


def descendants(roots: Sequence[int]) -> list[int]:
    """Every live process below `roots` in the process tree (roots excluded), sorted."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (stat := _stat(int(entry))) is not None and stat[1] != "Z":
            parents[int(entry)] = stat[0]
    found: set[int] = set()
    frontier = set(roots)
    while frontier:
        children = {pid for pid, ppid in parents.items() if ppid in frontier and pid not in found}
        found |= children
        frontier = children
    return sorted(found)


def framework_processes(roots: Sequence[int]) -> list[FrameworkProcess]:
    """The workers and fork servers under `roots`, by command line (sorted by pid)."""
    found = []
    servers: set[int] = set()
    for pid in descendants(roots):
        argv = _cmdline(pid)
        if "--adapter" not in argv or argv.index("--adapter") + 1 >= len(argv):
            continue
        adapter = argv[argv.index("--adapter") + 1]
        stat = _stat(pid)
        if stat is None:
            continue
        running = stat[1] == "R"
        if "apicompat.execute.worker" in argv:
            found.append(FrameworkProcess(pid, "worker", adapter, running))
        elif "apicompat.execute.forkserver" in argv:
            if stat[0] in servers:
                found.append(FrameworkProcess(pid, "forked", adapter, running))
            else:
                servers.add(pid)
                found.append(FrameworkProcess(pid, "server", adapter, running))
    return found


class Monkey(threading.Thread):
    """Send each of `signals` to a seeded choice among the framework processes under `roots()`.

    Each signal waits until `progress()` (results kept so far, say) reaches a seeded number
    drawn from `reach`, then a seeded delay drawn from `delay` seconds: moments tied to the
    run's progress fall inside it however fast the machine is. Targets are `roles` of the
    processes, torch and MindSpore before NumPy, one on a CPU (in a case) before an idle one,
    never one hit before.
    """

    def __init__(
        self,
        roots: Callable[[], Sequence[int]],
        rng: random.Random,
        signals: Sequence[signal.Signals],
        progress: Callable[[], int],
        reach: tuple[int, int],
        delay: tuple[float, float],
        roles: tuple[str, ...] = ("worker", "forked", "server"),
    ) -> None:
        super().__init__(name="chaos-monkey", daemon=True)
        self._roots = roots
        self._rng = rng
        self._progress = progress
        self._plan = sorted((rng.randint(*reach), rng.uniform(*delay), sig) for sig in signals)
        self._roles = roles
        self._done = threading.Event()
        self._hit: set[int] = set()
        self.log: list[tuple[str, str, str]] = []  # (signal, role, framework) of each fault that landed

    @property
    def injected(self) -> int:
        """How many signals reached a process."""
        return len(self.log)

    def run(self) -> None:
        for reach, delay, sig in self._plan:
            while self._progress() < reach:
                if self._done.wait(0.005):
                    return
            if self._done.wait(delay):
                return
            self._strike(sig)

    def _strike(self, sig: signal.Signals) -> None:
        roles = self._roles
        # Faults from outside are independent: never the same process twice.
        found = [p for p in framework_processes(self._roots()) if p.role in roles and p.pid not in self._hit]
        targets = [p for p in found if p.framework != "numpy"] or found
        # A worker on a CPU is in the middle of a case: the fault a case could be blamed for.
        targets = [p for p in targets if p.running] or targets
        if not targets:
            return
        target = self._rng.choice(targets)
        with contextlib.suppress(ProcessLookupError):
            os.kill(target.pid, sig)
            self._hit.add(target.pid)
            self.log.append((sig.name, target.role, target.framework))

    def stop(self) -> None:
        """Stop sending (the run is over)."""
        self._done.set()
        self.join(timeout=5.0)


def case_workers(roots: Sequence[int]) -> int:
    """How many torch or MindSpore workers run under `roots` (progress, for a run without a results file)."""
    processes = framework_processes(roots)
    return sum(1 for p in processes if p.role in ("worker", "forked") and p.framework != "numpy")


_JSON_FAULTS = re.compile(r'^  "faults": \{\n.*?^  \},\n', re.MULTILINE | re.DOTALL)
_PAGE_FAULTS = re.compile(r"\n\n" + re.escape(FAULTS_PREFIX) + r"[^\n]*")


def without_faults(name: str, data: bytes) -> bytes:
    """A report file with its faults record (the JSON field, the page's line) taken out."""
    text = data.decode("utf-8")
    if name.endswith(".json"):
        text = _JSON_FAULTS.sub("", text)
    elif name.endswith(".md"):
        text = _PAGE_FAULTS.sub("", text)
    return text.encode("utf-8")


def faults_retried(files: dict[str, bytes]) -> int:
    """How many executions the JSON reports among `files` say were retried after a fault."""
    import json

    return sum(
        json.loads(data)["faults"]["retried"]
        for name, data in files.items()
        if name.endswith(".json") and name != "index.json"
    )


def differing(got: dict[str, bytes], expected: dict[str, bytes]) -> list[str]:
    """The file names whose contents differ (faults record aside), or that only one side has."""
    names = sorted(set(got) | set(expected))
    return [
        n
        for n in names
        if n not in got or n not in expected or without_faults(n, got[n]) != without_faults(n, expected[n])
    ]
