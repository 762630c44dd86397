"""The session: long-lived workers per (framework, device), run concurrently, closed cleanly."""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Mapping, Sequence
from types import TracebackType

from apicompat.execute import protocol
from apicompat.execute.options import RunOptions, ScriptResult, WorkerInfo
from apicompat.execute.pool import Cancelled, WorkerSlot
from apicompat.execute.process import EXIT_GRACE_SECONDS, Lost
from apicompat.frameworks import ADAPTERS
from apicompat.records import ApicompatError, Case, Implementation, Observation, SignatureInfo

# Cases run in one worker per (framework, device); scripts (reproducers, examples) in a
# second one, so a script that changes global state (a default dtype, a seed, a thread)
# can never change what a later case measures.
CASES = "cases"
SCRIPTS = "scripts"


class Session:
    """Owns the workers; a context manager whose exit stops them all."""

    def __init__(self, options: RunOptions | None = None, adapters: Mapping[str, str] | None = None) -> None:
        self.options = options if options is not None else RunOptions()
        self._adapters = {**ADAPTERS, **(adapters or {})}
        self._log_dir = tempfile.mkdtemp(prefix="apicompat-workers-")
        self._slots: dict[tuple[str, str, str], WorkerSlot] = {}
        self._lock = threading.Lock()
        # Runs on close(), on garbage collection, or at interpreter exit, whichever is first.
        self._finalizer = weakref.finalize(self, _shutdown, self._slots, self._log_dir)

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
                self._slots[key] = WorkerSlot(
                    framework, device, path, self.options, self._log_dir, role, unknown
                )
            return self._slots[key]

    def worker_info(self, framework: str, device: str) -> WorkerInfo:
        """Whether `framework` loads on `device` (starting its worker), its version and devices."""
        return self._slot(framework, device).info()

    def worker_pid(self, framework: str, device: str) -> int | None:
        """The pid of the running case worker for (framework, device), if any (for diagnostics)."""
        slot = self._slots.get((framework, device, CASES))
        return slot.pid if slot is not None else None

    def run(
        self,
        jobs: Sequence[tuple[Implementation, str]],
        cases: Sequence[Case],
        on_result: Callable[[Observation], None] | None = None,
    ) -> dict[tuple[str, str], list[Observation]]:
        """Run every case with every (implementation, device): one observation per case and job, in order."""
        cases = list(cases)
        results: dict[tuple[str, str], list[Observation]] = {}
        for impl, device in jobs:
            if (impl.api, device) in results:
                raise ValueError(f"two jobs share the result key {(impl.api, device)!r}")
            results[(impl.api, device)] = []
        groups: dict[tuple[str, str], list[Implementation]] = {}
        for impl, device in jobs:
            groups.setdefault((impl.framework, device), []).append(impl)
        emit_lock = threading.Lock()

        def emit(observation: Observation) -> None:
            if on_result is not None:
                with emit_lock:
                    on_result(observation)

        cancelled = threading.Event()
        failures: list[BaseException] = []
        slots = {key: self._slot(*key) for key in groups}

        def stop() -> None:
            # Workers are killed so that no thread waits out a case's timeout.
            cancelled.set()
            for slot in slots.values():
                slot.interrupt()

        def drive(slot: WorkerSlot, impls: list[Implementation]) -> None:
            # Jobs on one worker run in sequence; other workers run beside this thread.
            try:
                for impl in impls:
                    results[(impl.api, slot.device)] = slot.run_cases(impl, cases, emit, cancelled)
            except Cancelled:
                pass
            except BaseException as exc:  # a bug or a failing on_result: stop the others, re-raise below
                failures.append(exc)
                stop()

        threads = [
            threading.Thread(target=drive, args=(slots[key], impls), name=f"apicompat-{key[0]}-{key[1]}")
            for key, impls in groups.items()
        ]
        for thread in threads:
            thread.start()
        try:
            for thread in threads:
                while thread.is_alive():
                    thread.join(0.2)  # short joins keep Ctrl-C responsive
        except BaseException:
            stop()
            for thread in threads:
                thread.join()
            raise
        if failures:
            raise failures[0]
        return results

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

    def run_script(self, framework: str, device: str, code: str) -> ScriptResult:
        """Exec a standalone script in a worker of (framework, device), capturing what it prints."""
        cases_slot = self._slots.get((framework, device, CASES))
        known = cases_slot.known_unavailable if cases_slot is not None else None
        if known is not None:  # no second attempt at a framework that already failed to load
            return ScriptResult("", f"Unavailable: {framework} is unavailable on {device}: {known}")
        slot = self._slot(framework, device, SCRIPTS)
        reply = slot.request(protocol.RunScript(code))
        if reply is None:
            return ScriptResult(
                "", f"Unavailable: {framework} is unavailable on {device}: {slot.info().message}"
            )
        if isinstance(reply, Lost):
            return ScriptResult("", f"{reply.error_type}: {reply.message}")
        assert isinstance(reply, protocol.Answer)
        return ScriptResult(str(reply.value), reply.error)

    def close(self) -> None:
        """Ask every worker to exit, kill stragglers, reap them all, remove the logs."""
        self._finalizer()


def _shutdown(slots: dict[tuple[str, str, str], WorkerSlot], log_dir: str) -> None:
    """Stop all workers at once (each gets the same grace period), then clean up."""
    for slot in slots.values():
        slot.ask_to_exit()
    deadline = time.monotonic() + EXIT_GRACE_SECONDS
    for slot in slots.values():
        slot.finish(deadline)
    shutil.rmtree(log_dir, ignore_errors=True)
