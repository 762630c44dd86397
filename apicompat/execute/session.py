"""The session: long-lived workers per (framework, device), run concurrently, closed cleanly."""

from __future__ import annotations

import collections
import contextlib
import contextvars
import functools
import os
import shutil
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import TypeVar

from apicompat.execute import protocol
from apicompat.execute.forkserver import ForkServer
from apicompat.execute.options import Interpreter, RunOptions, ScriptResult, WorkerInfo
from apicompat.execute.pool import Cancelled, WorkerSlot
from apicompat.execute.process import EXIT_GRACE_SECONDS, Lost
from apicompat.execute.retry import FaultLog, fault_scope
from apicompat.frameworks import ADAPTERS
from apicompat.records import (
    ApicompatError,
    Case,
    Faults,
    Implementation,
    Observation,
    Resolution,
    SignatureInfo,
)

T = TypeVar("T")

# Cases run in one worker per (framework, device); scripts (reproducers, examples) in a
# second one, so a script that changes global state (a default dtype, a seed, a thread)
# can never change what a later case measures.
CASES = "cases"
SCRIPTS = "scripts"


#: A helper worker joins a (framework, device) only when its estimated work left is at
#: least this long: forking and loading a helper costs tens of milliseconds.
HELPER_MIN_SECONDS = 0.5
#: Case workers at once by default: one per CPU, but no more than this (each is a framework
#: process of a few hundred MB).
DEFAULT_PARALLEL_LIMIT = 8
_ESTIMATE_POLL_SECONDS = 0.05
#: Fork servers started per adapter in a session at most: the first, and replacements of lost ones.
SERVER_STARTS = 4


class Session:
    """Owns the workers; a context manager whose exit stops them all."""

    def __init__(
        self,
        options: RunOptions | None = None,
        adapters: Mapping[str, str] | None = None,
        interpreters: Mapping[str, Interpreter] | None = None,
    ) -> None:
        self.options = options if options is not None else RunOptions()
        self._adapters = {**ADAPTERS, **(adapters or {})}
        # Framework -> the Python its workers run under (another version's environment);
        # frameworks not named run under this process's own Python.
        self._interpreters = dict(interpreters or {})
        self._log_dir = tempfile.mkdtemp(prefix="apicompat-workers-")
        self._slots: dict[tuple[str, str, str], WorkerSlot] = {}
        self._servers = _Servers(self._log_dir, self.options.fork_server)
        self._lock = threading.Lock()
        self._faults = FaultLog()  # lost workers, believed or not, across every slot
        self._stops: set[Callable[[], None]] = set()  # how to stop each run in flight (cancel())
        self._cancelled = False
        self._fresh = 0  # fresh workers started so far (each gets a slot role of its own)
        # Runs on close(), on garbage collection, or at interpreter exit, whichever is first.
        # Its arguments must not refer to the session, or the session would never be collected.
        self._finalizer = weakref.finalize(self, _shutdown, self._slots, self._log_dir, self._servers)

    def __enter__(self) -> Session:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _slot(self, framework: str, device: str, role: str = CASES) -> WorkerSlot:
        with self._lock:
            if not self._finalizer.alive:
                raise RuntimeError("the session is closed")
            key = (framework, device, role)
            if key not in self._slots:
                path = self._adapters.get(framework)
                unknown = None
                if path is None:
                    known = ", ".join(sorted(self._adapters))
                    unknown = f"no adapter registered for framework '{framework}' (known: {known})"
                interpreter = self._interpreters.get(framework)
                server = None if path is None else functools.partial(self._servers.get, path, interpreter)
                self._slots[key] = WorkerSlot(
                    framework,
                    device,
                    path,
                    self.options,
                    self._log_dir,
                    role,
                    unknown,
                    server,
                    interpreter=interpreter,
                    faults=self._faults,
                )
            return self._slots[key]

    def worker_info(self, framework: str, device: str) -> WorkerInfo:
        """Whether `framework` loads on `device` (starting its worker), its version and devices."""
        return self._slot(framework, device).info()

    def take_faults(self) -> Faults:
        """Executions re-run since the last call after losing their worker to a loss that did not repeat
        (those of the current fault scope: `fault_scope`)."""
        return self._faults.take()

    @staticmethod
    def fault_scope(name: str) -> contextlib.AbstractContextManager[None]:
        """Count the faults of what this thread runs (and the threads the session starts for it)
        toward `name`, so that `take_faults` in that scope returns only those."""
        return fault_scope(name)

    @property
    def losses(self) -> int:
        """How many runs (cases, scripts, requests) have lost their worker so far, believed or not."""
        return self._faults.losses

    def worker_pid(self, framework: str, device: str) -> int | None:
        """The pid of the running case worker for (framework, device), if any (for diagnostics)."""
        slot = self._slots.get((framework, device, CASES))
        return slot.pid if slot is not None else None

    def prestart(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Start the workers of these (framework, device) pairs in the background, without waiting.

        A worker's start is mostly its framework's import (seconds); called before case
        generation, the imports of every framework overlap with it and with each other,
        instead of running one after another in `worker_info`.
        """
        for framework, device in pairs:
            slot = self._slot(framework, device)
            if slot.started:
                continue  # a later spec of the same run: its worker is already there
            threading.Thread(
                target=_in_context(_quietly),
                args=(slot.info,),
                name=f"apicompat-start-{framework}-{device}",
                daemon=True,
            ).start()

    def run(
        self,
        jobs: Sequence[tuple[Implementation, str]],
        cases: Sequence[Case],
        on_result: Callable[[Observation], None] | None = None,
        *,
        spread: bool = False,
        fresh: bool | FreshWorkers = False,
    ) -> dict[tuple[str, str], list[Observation]]:
        """Run every case with every (implementation, device): one observation per case and job, in order.

        Each (framework, device) has its worker, and the workers run side by side. By
        default a job's cases run in order in that one worker (a restart after a crash
        aside), so a caller may rely on what ran before a case in its process. With
        `spread`, a CPU left free (RunOptions.parallel) starts a helper worker for the
        (framework, device) with the most work left, and the two share its batches:
        faster, for cases whose results do not depend on what ran before them. With
        `fresh`, each (framework, device) runs in a worker of its own, started for this
        run (forked: milliseconds) and stopped after it, so that nothing run before (other
        specs, the order batches were spread in) can shape what it returns. Given the
        `FreshWorkers` of `fresh_workers()` instead, it runs in those workers, which live
        until that block ends: several runs then share one fresh start.
        """
        if spread and fresh:
            raise ValueError("a run is either spread over helpers or fresh, not both")
        cases = list(cases)
        slots: dict[tuple[str, str], list[Implementation]] = {}
        for impl, device in jobs:
            slots.setdefault((impl.framework, device), []).append(impl)
        keys = [(impl.api, device) for impl, device in jobs]
        if len(set(keys)) != len(keys):
            duplicate = next(k for k in keys if keys.count(k) > 1)
            raise ValueError(f"two jobs share the result key {duplicate!r}")
        plan = _Plan(slots, cases, self.options.batch_size)
        emit_lock = threading.Lock()

        def emit(observation: Observation) -> None:
            if on_result is not None:
                with emit_lock:
                    on_result(observation)

        cancelled = threading.Event()
        failures: list[BaseException] = []
        busy: list[WorkerSlot] = []  # every slot a lane has used in this run (to interrupt)
        parallel = self.options.parallel or min(os.cpu_count() or 1, DEFAULT_PARALLEL_LIMIT)
        if not spread:
            parallel = 1  # no helpers, no spare lanes: each job in its one worker
        lanes = _Lanes(max(len(plan.groups), parallel), parallel)

        def stop() -> None:
            # Workers are killed so that no thread waits out a case's timeout.
            cancelled.set()
            for slot in list(busy):
                slot.interrupt()

        if self._cancelled:
            raise Cancelled("the session's runs were cancelled")

        def drive(group: _Group | None) -> None:
            # A lane runs its own (framework, device) batches in order, then, while a CPU
            # is free, helps the group with the most work left in a helper worker. A spare
            # lane (more CPUs than groups) starts out helping.
            try:
                slot = None
                if group is not None:
                    role = fresh.role if isinstance(fresh, FreshWorkers) else CASES
                    slot = self._slot(*group.key, role=self._fresh_role() if fresh is True else role)
                    busy.append(slot)
                while True:
                    taken = group.take() if group is not None else None
                    if taken is None:
                        helped = lanes.finish_or_help(plan, self._can_help, cancelled)
                        if helped is None:
                            return
                        group, index = helped
                        slot = self._slot(group.key[0], group.key[1], f"{CASES}+{index}")
                        busy.append(slot)
                        if not slot.info().available:  # never record a case unavailable for its sake
                            lanes.leave()
                            return
                        continue
                    assert slot is not None and group is not None
                    impl, start, batch = taken
                    began = time.monotonic()
                    observations = slot.run_cases(impl, batch, emit, cancelled)
                    group.done(impl, start, observations, time.monotonic() - began)
            except Cancelled:
                pass
            except BaseException as exc:  # a bug or a failing on_result: stop the others, re-raise below
                failures.append(exc)
                stop()

        spare: list[_Group | None] = [None] * max(0, parallel - len(plan.groups))
        threads = [
            threading.Thread(target=_in_context(drive), args=(group,), name=f"apicompat-lane-{n}")
            for n, group in enumerate([*plan.groups, *spare])
        ]
        self._stops.add(stop)
        try:
            for thread in threads:
                thread.start()  # in the try: a Ctrl-C can land between two starts
            for thread in threads:
                while thread.is_alive():
                    thread.join(0.2)  # short joins keep Ctrl-C responsive
        except BaseException:
            stop()
            for thread in threads:
                while thread.is_alive():  # never started: nothing to wait for
                    thread.join(0.2)
            raise
        finally:
            self._stops.discard(stop)
            if fresh is True:
                self._retire([slot for slot in busy if slot.role != CASES])
        if failures:
            raise failures[0]
        if cancelled.is_set():  # stopped from another thread (cancel()): there is nothing to return
            raise Cancelled("the session's runs were cancelled")
        return plan.results(jobs)

    @contextlib.contextmanager
    def fresh_workers(self) -> Iterator[FreshWorkers]:
        """Workers of their own for the runs given them (`run(..., fresh=...)`), stopped when the block ends.

        One start (fork and load: tenths of a second for MindSpore) serves every run of the
        block, each (framework, device) in its own worker, in the order the runs come.
        """
        fresh = FreshWorkers(self._fresh_role())
        try:
            yield fresh
        finally:
            with self._lock:
                slots = [slot for key, slot in self._slots.items() if key[2] == fresh.role]
            self._retire(slots)

    def _fresh_role(self) -> str:
        with self._lock:
            self._fresh += 1
            return f"{CASES}-fresh-{self._fresh}"

    def _retire(self, slots: Sequence[WorkerSlot]) -> None:
        """Stop these workers and forget their slots (a fresh run's, once it is done)."""
        for slot in slots:
            slot.ask_to_exit()
        deadline = time.monotonic() + EXIT_GRACE_SECONDS
        for slot in slots:
            slot.finish(deadline)
        with self._lock:
            for key, slot in list(self._slots.items()):
                if slot in slots:
                    del self._slots[key]

    def cancel(self) -> None:
        """Stop every run in flight, from any thread (their callers get `Cancelled`), and refuse new ones.

        A run started in a background thread (the stability pass's frameworks, the next
        spec's execution) does not see the Ctrl-C of the main thread; this stops it at once.
        """
        self._cancelled = True
        for stop in list(self._stops):
            stop()

    def side_by_side(self, tasks: Sequence[Callable[[], T]]) -> list[T]:
        """Call each task in its own thread (in the caller's fault scope); their results, in order.

        The first failure is raised once all have ended; an interrupt of the caller (Ctrl-C)
        cancels the session's runs, so that no thread goes on using workers.
        """
        results: list[tuple[T] | None] = [None] * len(tasks)
        failures: list[BaseException] = []

        def call(index: int) -> None:
            try:
                results[index] = (tasks[index](),)
            except BaseException as exc:  # re-raised in the caller's thread
                failures.append(exc)

        if len(tasks) == 1:
            call(0)
        else:
            threads = [
                threading.Thread(target=_in_context(call), args=(i,), name=f"apicompat-side-{i}", daemon=True)
                for i in range(len(tasks))
            ]
            try:
                for thread in threads:
                    thread.start()
                for thread in threads:
                    while thread.is_alive():
                        thread.join(0.2)  # short joins keep Ctrl-C responsive
            except BaseException:
                self.cancel()
                raise
        if failures:
            raise failures[0]
        return [r[0] for r in results if r is not None]

    def _can_help(self, group: _Group) -> bool:
        """A helper worker for `group` is cheap: its framework's workers are forked, not spawned."""
        slot = self._slots.get((group.key[0], group.key[1], CASES))
        return slot is not None and slot.forked

    def resolve(self, impl: Implementation) -> Resolution:
        """Where `impl.api` leads in its framework's cpu worker (the framework never loads here)."""
        slot = self._slot(impl.framework, "cpu")
        reply = slot.request(protocol.Resolve(impl.api))
        if reply is None:
            message = slot.info().message
            raise ApicompatError(f"cannot resolve {impl.api}: {impl.framework} is unavailable: {message}")
        if isinstance(reply, Lost):
            raise ApicompatError(f"cannot resolve {impl.api}: {reply.message}")
        assert isinstance(reply, protocol.Answer)
        if reply.error is not None or not isinstance(reply.value, Resolution):
            raise ApicompatError(f"cannot resolve {impl.api}: {reply.error or type(reply.value).__name__}")
        return reply.value

    def signature(self, impl: Implementation) -> SignatureInfo:
        """The live signature of `impl.api`, read in its framework's cpu worker."""
        slot = self._slot(impl.framework, "cpu")
        reply = slot.request(protocol.ReadSignature(impl.api))
        if reply is None:
            message = slot.info().message
            raise ApicompatError(
                f"cannot read the signature of {impl.api}: {impl.framework} is unavailable: {message}"
            )
        if isinstance(reply, Lost):
            raise ApicompatError(f"cannot read the signature of {impl.api}: {reply.message}")
        assert isinstance(reply, protocol.Answer)
        if reply.error is not None:
            if reply.stage == "resolve":
                version = slot.info().version
                raise ApicompatError(
                    f"cannot resolve {impl.api} in {impl.framework} {version}: {reply.error}"
                )
            raise ApicompatError(f"cannot read the signature of {impl.api}: {reply.error}")
        if not isinstance(reply.value, SignatureInfo):
            raise ApicompatError(f"reading the signature of {impl.api} gave {type(reply.value).__name__}")
        return reply.value

    def run_script(self, framework: str, device: str, code: str, *, fresh: bool = False) -> ScriptResult:
        """Exec a standalone script in a worker of (framework, device), capturing what it prints.

        With `fresh`, in a worker of its own, started for it and stopped after it: what the script
        prints then cannot depend on the scripts run before it (a reproducer of a failure that
        follows from earlier calls brings those calls itself).
        """
        cases_slot = self._slots.get((framework, device, CASES))
        known = cases_slot.known_unavailable if cases_slot is not None else None
        if known is not None:  # no second attempt at a framework that already failed to load
            return ScriptResult("", f"Unavailable: {framework} is unavailable on {device}: {known}")
        slot = self._slot(framework, device, self._fresh_role() if fresh else SCRIPTS)
        try:
            reply = slot.request(protocol.RunScript(code))
            if reply is None:
                return ScriptResult(
                    "", f"Unavailable: {framework} is unavailable on {device}: {slot.info().message}"
                )
        finally:
            if fresh:
                self._retire([slot])
        if isinstance(reply, Lost):
            return ScriptResult("", f"{reply.error_type}: {reply.message}")
        assert isinstance(reply, protocol.Answer)
        return ScriptResult(str(reply.value), reply.error)

    def run_scripts(
        self, scripts: Sequence[tuple[str, str, str]], fresh: Collection[int] = ()
    ) -> list[ScriptResult]:
        """`run_script` for many (framework, device, code): in order per worker, workers side by side;
        the scripts at the indices in `fresh` each in a worker of its own.

        Reproducers come in pairs, one script per framework; run one after the other,
        each waits for the other framework's worker. Here every (framework, device)
        runs its own scripts in the order given, while the others run theirs.
        """
        queues: dict[tuple[str, str], list[int]] = {}
        for index, (framework, device, _) in enumerate(scripts):
            queues.setdefault((framework, device), []).append(index)

        def drain(indices: list[int]) -> Callable[[], list[tuple[int, ScriptResult]]]:
            return lambda: [(i, self.run_script(*scripts[i], fresh=i in fresh)) for i in indices]

        done = dict(pair for part in self.side_by_side([drain(q) for q in queues.values()]) for pair in part)
        return [done[i] for i in range(len(scripts))]

    def close(self) -> None:
        """Ask every worker to exit, kill stragglers, reap them all, remove the logs."""
        self.cancel()  # a run still in flight in another thread stops instead of restarting workers
        self._finalizer()


def _shutdown(slots: dict[tuple[str, str, str], WorkerSlot], log_dir: str, servers: _Servers) -> None:
    """Stop all workers at once (each gets the same grace period), then the fork servers; clean up."""
    for slot in slots.values():
        slot.ask_to_exit()
    deadline = time.monotonic() + EXIT_GRACE_SECONDS
    for slot in slots.values():
        slot.finish(deadline)  # forked workers are reaped by their server: it closes after them
    servers.close()
    shutil.rmtree(log_dir, ignore_errors=True)


def _in_context(target: Callable[..., None]) -> Callable[..., None]:
    """`target`, to run in a new thread with a copy of the starting thread's context (its fault scope)."""
    context = contextvars.copy_context()
    return functools.partial(context.run, target)


def _quietly(action: Callable[[], object]) -> None:
    """Run `action` in a background thread; its outcome is read again later, in the foreground."""
    with contextlib.suppress(Exception):
        action()


@dataclass(frozen=True)
class FreshWorkers:
    """The workers of one `Session.fresh_workers()` block (a slot role of their own)."""

    role: str


class _Servers:
    """The fork servers of a session, one per adapter, started on first use, replaced when lost."""

    def __init__(self, log_dir: str, enabled: bool) -> None:
        self._log_dir = log_dir
        self._enabled = enabled
        self._servers: dict[tuple[str, Interpreter | None], ForkServer | None] = {}
        self._replaced: list[ForkServer] = []  # lost servers, closed (reaped) with the rest
        self._starts: collections.Counter[tuple[str, Interpreter | None]] = collections.Counter()
        self._lock = threading.Lock()
        self._closed = False

    def get(self, adapter_path: str, interpreter: Interpreter | None = None) -> ForkServer | None:
        """The fork server of `adapter_path` under `interpreter`, started if needed; None when disabled
        or it cannot start.

        A server that was lost (killed from outside) is replaced, up to SERVER_STARTS starts in
        all: without one, every worker start would import its framework again (seconds, not
        milliseconds), and a server that keeps dying is not started in a loop.
        """
        if not self._enabled:
            return None
        with self._lock:
            if self._closed:
                return None
            key = (adapter_path, interpreter)
            current = self._servers.get(key)
            if current is not None and current.lost and self._starts[key] < SERVER_STARTS:
                self._replaced.append(current)
                del self._servers[key]
            if key not in self._servers:
                self._starts[key] += 1
                name = adapter_path.rpartition(":")[2] or "adapter"
                log_fd, log_path = tempfile.mkstemp(
                    dir=self._log_dir, prefix=f"{name}-server-", suffix=".log"
                )
                os.close(log_fd)
                try:
                    self._servers[adapter_path, interpreter] = ForkServer(adapter_path, log_path, interpreter)
                except OSError:  # no interpreter or descriptors left: workers are spawned directly
                    self._servers[adapter_path, interpreter] = None
            server = self._servers[adapter_path, interpreter]
        return None if server is None or server.lost else server

    def close(self) -> None:
        """Stop every fork server."""
        with self._lock:
            self._closed = True
            servers = [s for s in self._servers.values() if s is not None] + self._replaced
        for server in servers:
            server.close()


class _Group:
    """The batches of one (framework, device), handed out in order to whichever lane asks next."""

    def __init__(
        self, key: tuple[str, str], impls: list[Implementation], cases: list[Case], batch_size: int
    ) -> None:
        self.key = key
        self.helpers = 0  # helper lanes that joined this group in this run
        self._cases = cases
        self._batch_size = batch_size
        # Each implementation's batches in case order, one implementation after the other, as a
        # single worker has always run them (a caller may rely on what ran before a case).
        self._todo = collections.deque(
            (impl, start) for impl in impls for start in range(0, len(cases), batch_size)
        )
        self._observations: dict[str, list[Observation | None]] = {
            impl.api: [None] * len(cases) for impl in impls
        }
        self._lock = threading.Lock()
        self._cases_done = 0
        self._seconds = 0.0

    def take(self) -> tuple[Implementation, int, list[Case]] | None:
        """The next batch to run: (implementation, index of its first case, its cases); None when done."""
        with self._lock:
            if not self._todo:
                return None
            impl, start = self._todo.popleft()
        return impl, start, self._cases[start : start + self._batch_size]

    def done(self, impl: Implementation, start: int, observations: list[Observation], seconds: float) -> None:
        """Store a finished batch and how long it took."""
        with self._lock:
            self._observations[impl.api][start : start + len(observations)] = observations
            self._cases_done += len(observations)
            self._seconds += seconds

    def pending(self) -> bool:
        """True while batches wait to be taken."""
        with self._lock:
            return bool(self._todo)

    def unmeasured(self) -> bool:
        """True while batches wait but none has finished, so no estimate exists yet."""
        with self._lock:
            return bool(self._todo) and not self._cases_done

    def seconds_left(self) -> float:
        """Estimated wall time left with the lanes it has now (0 until a batch has finished)."""
        with self._lock:
            if not self._todo or not self._cases_done:
                return 0.0
            per_case = self._seconds / self._cases_done
            return len(self._todo) * self._batch_size * per_case / (self.helpers + 1)

    def observations(self, api: str) -> list[Observation]:
        """Every observation of `api`, in case order."""
        observations = self._observations[api]
        assert all(o is not None for o in observations), "a batch was never run"
        return observations  # type: ignore[return-value]


class _Plan:
    """The work of one Session.run: a group of batches per (framework, device)."""

    def __init__(
        self, impls: dict[tuple[str, str], list[Implementation]], cases: list[Case], batch_size: int
    ):
        self.groups = [_Group(key, group, cases, batch_size) for key, group in impls.items()]

    def results(self, jobs: Sequence[tuple[Implementation, str]]) -> dict[tuple[str, str], list[Observation]]:
        """Observations per (api, device), in the order of `jobs`."""
        by_key = {group.key: group for group in self.groups}
        return {
            (impl.api, device): by_key[(impl.framework, device)].observations(impl.api)
            for impl, device in jobs
        }


class _Lanes:
    """Counts the lanes at work, so that helpers start only while a CPU is free."""

    def __init__(self, active: int, parallel: int) -> None:
        self._active = active
        self._parallel = parallel
        self._lock = threading.Lock()

    def finish_or_help(
        self, plan: _Plan, can_help: Callable[[_Group], bool], cancelled: threading.Event
    ) -> tuple[_Group, int] | None:
        """A lane whose group is done: (group to help, helper index), or None when it should end."""
        while True:
            with self._lock:
                # This lane is still counted: the others use `active - 1` CPUs.
                if self._active > self._parallel or cancelled.is_set():
                    self._active -= 1
                    return None
                pending = [g for g in plan.groups if g.pending()]
                left = [(g.seconds_left(), g) for g in pending if can_help(g)]
                seconds, group = max(left, key=lambda item: item[0], default=(0.0, None))
                if group is not None and seconds >= HELPER_MIN_SECONDS:
                    group.helpers += 1
                    return group, group.helpers
                if not any(g.unmeasured() for g in pending):
                    self._active -= 1
                    return None
            # Work is left but none of its batches has finished: wait for a first estimate.
            time.sleep(_ESTIMATE_POLL_SECONDS)

    def leave(self) -> None:
        """A helper that could not start ends its lane."""
        with self._lock:
            self._active -= 1
