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
from apicompat.execute.retry import FaultLog, settle
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
        *,
        faults: FaultLog | None = None,
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
        self._faults = faults if faults is not None else FaultLog()  # the session's, shared by its slots

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
    def started(self) -> bool:
        """True once a start was tried, whatever its outcome (never starts a worker)."""
        return self._info is not None

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
        path = self.adapter_path
        first = self._start(path, what)
        # A worker lost while it loads (killed from outside, stalled) is not believed at once either.
        started, unbelieved = settle(
            first, lambda: self._start(path, what), _start_loss, self.options.retries
        )
        self._faults.survived([(s[1].status, s[1].error_type) for s in unbelieved if s is not None])
        if started is None:
            return None  # it could not even start; _start said why
        process, greeting = started
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

    def _start(self, adapter_path: str, what: str) -> tuple[WorkerProcess, Any] | None:
        """Start a worker and read its greeting (a Hello, or a Lost); None when no process could start."""
        label = f"{self.framework}-{self.device}-{self.role}"
        server = self._server() if self._server is not None else None
        try:
            process = WorkerProcess(
                adapter_path,
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
            # A worker stopped from outside while it imports is stalled: the case timeout applies.
            greeting = process.receive(
                self.options.start_timeout, self.options.memory_mb, stall=self.options.timeout
            )
        except BaseException:  # Ctrl-C while the framework imports: leave no orphan behind
            process.kill()
            raise
        if not isinstance(greeting, (protocol.Hello, Lost)):
            process.kill()  # the channel cannot be trusted; a fresh worker is started instead
            greeting = Lost(Status.CRASH, "ProtocolError", f"unexpected greeting {type(greeting).__name__}")
        if isinstance(greeting, Lost):
            self._faults.lost()
        return process, greeting

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
                    # Not believed yet: the case runs again alone, in a fresh worker (retry.py).
                    record(self._confirm(impl, cases[start], lost.pop(start), cancelled))
                    continue
                process = self._ensure()
                if process is None:
                    assert self._info is not None
                    for case in cases[start:]:
                        record(self._lost(impl, case, Status.UNAVAILABLE, None, self._info.message, 0.0))
                    break
                end = min([start + self.options.batch_size, len(cases), *(p for p in lost if p > start)])
                batch = tuple(cases[start:end])
                sent, loss = self._run_batch(process, impl, batch, record, cancelled, may_skip=free_retry)
                if not sent:
                    # It died while idle, before this batch: no case caused it; retry once for free.
                    free_retry = False
                    self._discard()
                    continue
                if loss is not None:
                    position, observation = loss
                    lost[start + position] = observation
                free_retry = True
        return results

    def _run_batch(
        self,
        process: WorkerProcess,
        impl: Implementation,
        batch: tuple[Case, ...],
        record: Callable[[Observation], None],
        cancelled: threading.Event,
        *,
        may_skip: bool,
    ) -> tuple[bool, tuple[int, Observation] | None]:
        """Send `batch` and record its replies: (whether it was sent, the loss if the worker was lost).

        A worker found dead before the batch reached it is reported as not sent when
        `may_skip`; otherwise its death is read as the loss of the batch's first case.
        """
        # Busy before the check: a stop() that misses the check still finds the worker to kill.
        self._busy = process
        sent = False
        try:
            if cancelled.is_set():
                raise Cancelled
            process.progress.set(-1)  # no case of this batch has started yet
            sent = process.send(protocol.RunCases(impl, self.device, batch))
            if not sent and may_skip:
                return False, None
            loss = self._collect(process, impl, batch, record, cancelled)
            if loss is not None:
                self._discard()
            return True, loss
        except BaseException:
            if sent:
                # Interrupted mid-batch (Ctrl-C, a failing on_result): replies still in
                # flight would be read as the next request's, so this worker goes.
                self._discard()
            raise
        finally:
            self._busy = None

    def _confirm(
        self, impl: Implementation, case: Case, first: Observation, cancelled: threading.Event
    ) -> Observation:
        """The observation to record for a case whose worker was lost: re-run until an outcome is believed."""
        chosen, unbelieved = settle(
            first, lambda: self._run_alone(impl, case, cancelled), _loss_of, self.options.retries
        )
        self._faults.survived([(o.status, o.error_type) for o in unbelieved])
        return chosen

    def _run_alone(self, impl: Implementation, case: Case, cancelled: threading.Event) -> Observation:
        """Run one case alone in a fresh worker (the lost one was discarded) and return its observation."""
        done: list[Observation] = []
        may_skip = True
        while True:
            if cancelled.is_set():
                raise Cancelled
            process = self._ensure()
            if process is None:
                assert self._info is not None
                return self._lost(impl, case, Status.UNAVAILABLE, None, self._info.message, 0.0)
            sent, loss = self._run_batch(process, impl, (case,), done.append, cancelled, may_skip=may_skip)
            if not sent:
                may_skip = False
                self._discard()
                continue
            return loss[1] if loss is not None else done[0]

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
            self._faults.lost()
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
        """Send one request and return its reply: an answer, a `Lost`, or None when unavailable.

        A lost worker is not believed at once: the request runs again in a fresh worker (retry.py).
        """
        with self.lock:
            reply = self._request_once(message)
            if not isinstance(reply, Lost):
                return reply
            chosen, unbelieved = settle(
                reply, lambda: self._request_once(message), _reply_loss, self.options.retries
            )
            self._faults.survived([(r.status, r.error_type) for r in unbelieved])
            return chosen

    def _request_once(self, message: object) -> Any:
        """One attempt at `request` (the caller holds the lock)."""
        process = self._ensure()
        if process is not None and not process.send(message):
            self._discard()  # it died while idle; a fresh worker gets the request
            process = self._ensure()
            if process is not None and not process.send(message):
                self._discard()
                self._faults.lost()
                return Lost(Status.CRASH, "WorkerCrash", "the worker died before the request reached it")
        if process is None:
            return None
        reply = process.receive(self.options.timeout, self.options.memory_mb)
        if not isinstance(reply, (protocol.Answer, Lost)):
            # Not the answer to this request (a stray greeting): the channel cannot be trusted.
            process.kill()
            reply = Lost(Status.CRASH, "ProtocolError", f"unexpected reply {type(reply).__name__}")
        if isinstance(reply, Lost):
            self._faults.lost()
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


def _loss_of(observation: Observation) -> tuple[Status, str | None] | None:
    """A case run that lost its worker: its (status, error type); None when it completed normally."""
    if observation.status in (Status.CRASH, Status.TIMEOUT):
        return observation.status, observation.error_type
    return None


def _start_loss(started: tuple[WorkerProcess, Any] | None) -> tuple[Status, str | None] | None:
    """A worker lost while it loaded: its (status, error type); None when it greeted (or never started)."""
    if started is None or not isinstance(started[1], Lost):
        return None
    return started[1].status, started[1].error_type


def _reply_loss(reply: Any) -> tuple[Status, str | None] | None:
    """A request that lost its worker: its (status, error type); None for an answer (or unavailable)."""
    return (reply.status, reply.error_type) if isinstance(reply, Lost) else None
