"""A worker slot: the one worker of a (framework, device, role), started lazily and restarted after a loss."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from apicompat.execute import protocol
from apicompat.execute.forkserver import ForkServer
from apicompat.execute.options import Interpreter, RunOptions, WorkerInfo
from apicompat.execute.process import Lost, WorkerProcess
from apicompat.records import Case, Implementation, Observation, Status


class Cancelled(Exception):
    """The run was interrupted; the slot stops without recording further cases."""


class WorkerSlot:
    """Owns one worker at a time; a load failure makes the slot unavailable for good (no restart loop)."""

    def __init__(
        self,
        framework: str,
        device: str,
        adapter_path: str | None,
        options: RunOptions,
        log_dir: str,
        role: str = "cases",
        unknown_reason: str | None = None,
        server: Callable[[], ForkServer | None] | None = None,
        interpreter: Interpreter | None = None,
    ) -> None:
        self.framework = framework
        self.interpreter = interpreter  # None: this process's own Python
        self.device = device
        self.adapter_path = adapter_path
        self.options = options
        self.log_dir = log_dir
        self.role = role
        self.lock = threading.Lock()  # one request at a time per worker
        self._process: WorkerProcess | None = None
        self._busy: WorkerProcess | None = None  # the worker while it runs a batch
        self._info: WorkerInfo | None = None
        self._unknown_reason = unknown_reason
        self._closed = False
        self._server = server  # the fork server of this framework, started on first use

    @property
    def pid(self) -> int | None:
        """The live worker's pid, if one runs."""
        process = self._process
        return process.pid if process is not None and process.alive else None

    @property
    def forked(self) -> bool:
        """True when the live worker was forked from a fork server (a restart is then cheap)."""
        process = self._process
        return process is not None and process.forked

    @property
    def known_unavailable(self) -> str | None:
        """Why this slot cannot run, if a start already failed (never starts a worker)."""
        info = self._info
        return info.message if info is not None and not info.available else None

    def info(self) -> WorkerInfo:
        """Start the worker if needed and say whether it loaded."""
        with self.lock:
            self._ensure()
            assert self._info is not None
            return self._info

    def _unavailable(self, message: str) -> None:
        self._info = WorkerInfo(self.framework, self.device, False, None, (), message)

    def _ensure(self) -> WorkerProcess | None:
        """The live worker, started if needed; None when this framework/device cannot run."""
        if self._process is not None and self._process.orphaned:
            self._discard()  # its fork server died: its exit could not be told apart; replace it
        if self._process is not None:
            return self._process
        if self._info is not None and not self._info.available:
            return None
        if self._closed:
            raise RuntimeError("the session is closed")
        if self.adapter_path is None:
            self._unavailable(
                self._unknown_reason or f"no adapter registered for framework '{self.framework}'"
            )
            return None
        restarted = self._info is not None
        what = f"{self.framework} could not be {'restarted' if restarted else 'loaded'} on {self.device}"
        label = f"{self.framework}-{self.device}-{self.role}"
        server = self._server() if self._server is not None else None
        try:
            process = WorkerProcess(
                self.adapter_path,
                self.device,
                self.log_dir,
                label,
                server,
                self.options.start_timeout,
                interpreter=self.interpreter,
            )
        except OSError as exc:  # no interpreter, no file descriptors left: not this framework's fault
            self._unavailable(f"{what}: the worker process could not start: {exc}")
            return None
        if self._closed:  # closed while it started (a background prestart): nobody would stop it
            process.kill()
            raise RuntimeError("the session is closed")
        try:
            greeting = process.receive(self.options.start_timeout, self.options.memory_mb)
        except BaseException:  # Ctrl-C while the framework imports: leave no orphan behind
            process.kill()
            raise
        if isinstance(greeting, Lost):
            if greeting.status is Status.TIMEOUT:
                self._unavailable(f"{what}: the worker did not start within {self.options.start_timeout:g} s")
            else:
                self._unavailable(f"{what}: {greeting.message}")
            return None
        if not isinstance(greeting, protocol.Hello) or not greeting.available:
            detail = greeting.message if isinstance(greeting, protocol.Hello) else f"unexpected {greeting!r}"
            process.finish(time.monotonic() + 5.0)  # it exits by itself after a failed hello
            self._unavailable(f"{what}: {detail}")
            return None
        self._info = WorkerInfo(self.framework, self.device, True, greeting.version, greeting.devices, None)
        self._process = process
        return process

    def _discard(self) -> None:
        """Forget the current worker (already dead or killed); the next request starts a fresh one."""
        if self._process is not None:
            self._process.kill()
            self._process = None

    def run_cases(
        self,
        impl: Implementation,
        cases: Sequence[Case],
        emit: Callable[[Observation], None],
        cancelled: threading.Event,
    ) -> list[Observation]:
        """Run every case in batches; a crash or timeout costs one case, the rest go to a fresh worker."""
        results: list[Observation] = []
        # Losses found ahead of the results: a worker died on a case while the replies of the
        # cases before it were still being gathered; those run again first, in a fresh worker.
        lost: dict[int, Observation] = {}

        def record(observation: Observation) -> None:
            results.append(observation)
            emit(observation)

        with self.lock:
            free_retry = True
            while len(results) < len(cases):
                if cancelled.is_set():
                    raise Cancelled
                start = len(results)
                if start in lost:
                    record(lost.pop(start))
                    continue
                process = self._ensure()
                if process is None:
                    assert self._info is not None
                    for case in cases[start:]:
                        record(self._lost(impl, case, Status.UNAVAILABLE, None, self._info.message, 0.0))
                    break
                end = min([start + self.options.batch_size, len(cases), *(p for p in lost if p > start)])
                batch = tuple(cases[start:end])
                # Busy before the check: a stop() that misses the check still finds the worker to kill.
                self._busy = process
                sent = False
                try:
                    if cancelled.is_set():
                        raise Cancelled
                    process.progress.set(-1)  # no case of this batch has started yet
                    sent = process.send(protocol.RunCases(impl, self.device, batch))
                    if not sent and free_retry:
                        # It died while idle, before this batch: no case caused it; retry once for free.
                        free_retry = False
                        self._discard()
                        continue
                    loss = self._collect(process, impl, batch, record, cancelled)
                    if loss is not None:
                        position, observation = loss
                        lost[start + position] = observation
                        self._discard()
                except BaseException:
                    if sent:
                        # Interrupted mid-batch (Ctrl-C, a failing on_result): replies still in
                        # flight would be read as the next request's, so this worker goes.
                        self._discard()
                    raise
                finally:
                    self._busy = None
                free_retry = True
        return results

    def _collect(
        self,
        process: WorkerProcess,
        impl: Implementation,
        batch: tuple[Case, ...],
        record: Callable[[Observation], None],
        cancelled: threading.Event,
    ) -> tuple[int, Observation] | None:
        """Record the replies to a batch; on a loss, (the position it belongs to, its observation)."""
        received = 0
        started = time.monotonic()
        while received < len(batch):
            reply = process.receive(self.options.timeout, self.options.memory_mb, per_case=True)
            if cancelled.is_set():
                raise Cancelled  # a loss now is the interruption, not this case's doing
            if isinstance(reply, protocol.CasesDone) and reply.first == received:
                for observation in protocol.decode_cases(reply):
                    record(observation)
                    received += 1
                started = time.monotonic()
                continue
            if not isinstance(reply, Lost):
                process.kill()
                reply = Lost(Status.CRASH, "ProtocolError", f"unexpected reply {type(reply).__name__}")
            # The case in flight (never one whose reply arrived): the progress cell says which.
            position = min(max(process.progress.get(), received), len(batch) - 1)
            seconds = time.monotonic() - started
            observation = self._lost(
                impl, batch[position], reply.status, reply.error_type, reply.message, seconds
            )
            return position, observation
        return None

    def _lost(
        self,
        impl: Implementation,
        case: Case,
        status: Status,
        error_type: str | None,
        message: str | None,
        seconds: float,
    ) -> Observation:
        return Observation(
            case.id,
            impl.key,
            self.device,
            status,
            error_type=error_type,
            error_message=message,
            seconds=seconds,
        )

    def request(self, message: object) -> Any:
        """Send one request and return its reply: an answer, a `Lost`, or None when unavailable."""
        with self.lock:
            process = self._ensure()
            if process is not None and not process.send(message):
                self._discard()  # it died while idle; a fresh worker gets the request
                process = self._ensure()
                if process is not None and not process.send(message):
                    self._discard()
                    return Lost(Status.CRASH, "WorkerCrash", "the worker died before the request reached it")
            if process is None:
                return None
            reply = process.receive(self.options.timeout, self.options.memory_mb)
            if isinstance(reply, Lost):
                self._discard()
            return reply

    def interrupt(self) -> None:
        """Kill the worker if it is running a batch (called from another thread to stop a run)."""
        busy = self._busy
        if busy is not None:
            busy.interrupt()

    def ask_to_exit(self) -> None:
        """First half of close: tell the worker to exit."""
        self._closed = True
        if self._process is not None:
            self._process.ask_to_exit()

    def finish(self, deadline: float) -> None:
        """Second half of close: wait until `deadline`, then kill and reap."""
        if self._process is not None:
            self._process.finish(deadline)
            self._process = None
