"""One worker process: spawn it, talk to it, watch its time and memory, kill it cleanly."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from apicompat.execute import protocol
from apicompat.execute.forkserver import ForkedWorker, ForkServer, ServerLost, stopped
from apicompat.execute.options import Interpreter, current_interpreter
from apicompat.records import Status

POLL_SECONDS = 0.05  # how often a waiting session checks the worker's liveness and memory
EXIT_GRACE_SECONDS = 3.0  # how long a worker asked to exit may take before it is killed
LOG_TAIL_LINES = 20
LOG_TAIL_BYTES = 4096
# Addresses and thread ids in faulthandler output differ run to run; reports must not.
_ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")
# faulthandler's list of loaded extension modules: long, and says nothing about the case.
_NOISE = ("Extension modules:",)


@dataclass(frozen=True)
class Lost:
    """The worker is gone: killed for its time or memory, or it died by itself."""

    status: Status  # Status.CRASH or Status.TIMEOUT
    error_type: str  # "SIGSEGV", "ExitCode3", "MemoryLimit", "Timeout", …
    message: str


# The memory limit is enforced by the session, which polls the worker's resident set
# (RSS) while it waits for a reply and kills the worker when it is over the limit; the
# case is recorded as CRASH "memory limit of N MiB exceeded". RLIMIT_AS in the worker was
# measured and rejected: it limits virtual address space, which frameworks reserve far
# beyond what they use (MindSpore on CPU: 2.2 GiB virtual for 0.4 GiB resident; CUDA
# reserves many GiB more at init, and glibc adds a 64 MiB arena per thread). Torch and
# MindSpore do import under 8 GiB here, but under a tighter limit MindSpore fails a
# 360 KB allocation in a 300x300 matmul with its own "Allocate memory failed" error:
# the case would read as an ERROR of the API, a false difference, not as a memory kill.
# The watchdog counts the worker process only (not helper processes it may start).
def resident_mb(pid: int) -> int | None:
    """Resident memory of a process in MiB, from /proc; None where it cannot be read."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            pages = int(f.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") // (1 << 20)


def describe_exit(returncode: int) -> tuple[str, str]:
    """(error_type, phrase) for a process's exit status, e.g. ("SIGSEGV", "died with SIGSEGV")."""
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return name, f"died with {name}"
    return f"ExitCode{returncode}", f"exited with code {returncode}"


class WorkerProcess:
    """A running worker; every method is safe to call after it has died.

    With a fork server the worker is forked from it (the framework already imported);
    without one, or when the server is gone, it is spawned as a fresh interpreter.
    """

    def __init__(
        self,
        adapter_path: str,
        device: str,
        log_dir: str,
        label: str,
        server: ForkServer | None = None,
        fork_timeout: float = 180.0,
        interpreter: Interpreter | None = None,
    ) -> None:
        self._interpreter = interpreter if interpreter is not None else current_interpreter()
        self.forked = False
        if server is not None and not server.lost:
            try:
                self._open(log_dir, label, lambda fds: server.fork(device, fds, fork_timeout))
                self.forked = True
                return
            except ServerLost:
                # The server may have forked a worker before it was lost: that orphan holds the
                # channel just opened, so the spawned worker gets a channel of its own (shared,
                # the orphan would read its requests and answer them with a stray greeting).
                pass
        self._open(log_dir, label, lambda fds: self._spawn(adapter_path, device, fds))

    def _open(
        self,
        log_dir: str,
        label: str,
        start: Callable[[tuple[int, int, int, int]], subprocess.Popen[bytes] | ForkedWorker],
    ) -> None:
        """Open a fresh channel, log and progress cell, and start the worker on them with `start`."""
        replies, requests, ends = protocol.open_channel()
        log_fd, self.log_path = tempfile.mkstemp(dir=log_dir, prefix=f"{label}-", suffix=".log")
        progress_fd = protocol.Progress.create(log_dir)
        try:
            self.progress = protocol.Progress(progress_fd)
            self._popen: subprocess.Popen[bytes] | ForkedWorker = start(
                (ends.read_fd, ends.write_fd, log_fd, progress_fd)
            )
        except BaseException:
            # Closed, a worker that got these descriptors (an orphan of a lost server) reads EOF and exits.
            replies.close()
            requests.close()
            raise
        finally:
            # The child holds its own copies; ours must close, or its death would never read as EOF.
            os.close(ends.read_fd)
            os.close(ends.write_fd)
            os.close(log_fd)
            os.close(progress_fd)  # our mapping stays
        self._replies = replies
        self._requests = requests
        self.pid = self._popen.pid

    def _spawn(
        self, adapter_path: str, device: str, fds: tuple[int, int, int, int]
    ) -> subprocess.Popen[bytes]:
        """Spawn the worker as a fresh interpreter on `fds` (requests, replies, log, progress)."""
        read_fd, write_fd, log_fd, progress_fd = fds
        env = dict(os.environ)
        env["PYTHONUNBUFFERED"] = "1"  # a crash must not swallow the last lines of the log
        env[protocol.SYS_PATH_ENV] = json.dumps(list(self._interpreter.path))
        command = [
            self._interpreter.executable, "-m", "apicompat.execute.worker",
            "--adapter", adapter_path, "--device", device,
            "--read-fd", str(read_fd), "--write-fd", str(write_fd),
            "--parent", str(os.getpid()), "--progress-fd", str(progress_fd),
        ]  # fmt: skip
        return subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log_fd,
            stderr=subprocess.STDOUT,
            pass_fds=(read_fd, write_fd, progress_fd),
            # Its own process group: a kill takes the framework's helper processes too,
            # and a Ctrl-C in the terminal reaches the session, not the workers.
            start_new_session=True,
            env=env,
        )

    def send(self, message: object) -> bool:
        """Send a request; False when the worker is already gone."""
        try:
            protocol.send(self._requests, message)
        except OSError:  # BrokenPipeError, or a closed connection after a kill
            return False
        return True

    def receive(
        self, timeout: float, memory_mb: int | None, per_case: bool = False, stall: float | None = None
    ) -> Any:
        """The next reply, or a `Lost` when the worker dies, passes `timeout` or exceeds `memory_mb`.

        With `per_case`, the time limit is per case, not per reply: it starts again
        whenever the worker's progress cell says another case has begun. With `stall`, a
        worker stopped from outside (SIGSTOP) for that long counts as timed out, however
        long `timeout` is (a framework's import may take minutes; a stopped one never ends).
        """
        deadline = time.monotonic() + timeout
        running = self.progress.get()
        stopped_since: float | None = None
        while True:
            if stall is not None:
                if not stopped(self.pid):
                    stopped_since = None
                elif stopped_since is None:
                    stopped_since = time.monotonic()
                elif time.monotonic() - stopped_since > stall:
                    self.kill()
                    return Lost(
                        Status.TIMEOUT,
                        "Timeout",
                        f"stopped for {stall:g} s while starting; the worker was killed",
                    )
            if per_case and (now_running := self.progress.get()) != running:
                running = now_running
                deadline = time.monotonic() + timeout
            remaining = deadline - time.monotonic()
            try:
                ready = self._replies.poll(max(0.0, min(POLL_SECONDS, remaining)))
            except OSError:  # closed by a concurrent kill()
                return self._died()
            if ready:
                return self._read()
            if self._popen.poll() is not None:
                # A reply written just before the exit is still in the pipe.
                return self._read() if self._readable() else self._died()
            if memory_mb is not None:
                rss = resident_mb(self.pid)
                if rss is not None and rss > memory_mb:
                    self.kill()
                    return Lost(
                        Status.CRASH,
                        "MemoryLimit",
                        f"memory limit of {memory_mb} MiB exceeded (resident memory reached {rss} MiB); "
                        "the worker was killed" + self.log_tail(),
                    )
            if remaining <= 0:
                self.kill()
                return Lost(
                    Status.TIMEOUT, "Timeout", f"did not finish within {timeout:g} s; the worker was killed"
                )

    def _readable(self) -> bool:
        try:
            return self._replies.poll(0)
        except OSError:
            return False

    def _read(self) -> Any:
        try:
            return protocol.receive(self._replies)
        except (EOFError, OSError):
            return self._died()
        except Exception as exc:  # a reply that does not unpickle: the channel cannot be trusted
            self.kill()
            return Lost(Status.CRASH, "ProtocolError", f"unreadable reply from the worker: {exc!r}")

    def _died(self) -> Lost:
        try:
            # EOF comes first; the exit status follows within moments.
            returncode = self._popen.wait(timeout=5.0)
        except subprocess.TimeoutExpired:  # it closed its pipe but lives on: finish it
            self.kill()
            code = self._popen.returncode
            returncode = -signal.SIGKILL if code is None else code
        self._kill_group()
        error_type, phrase = describe_exit(returncode)
        return Lost(Status.CRASH, error_type, f"worker {phrase}" + self.log_tail())

    @property
    def orphaned(self) -> bool:
        """True for a forked worker whose fork server is gone; it should be replaced between batches."""
        return isinstance(self._popen, ForkedWorker) and self._popen.orphaned

    @property
    def alive(self) -> bool:
        """True while the process runs."""
        return self._popen.poll() is None

    def kill(self) -> None:
        """Kill the worker and its process group, and reap it (no zombie)."""
        self._kill_group()
        # A process stuck in the kernel (a GPU driver) must never hang the session.
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._popen.wait(timeout=30.0)
        self._close_pipes()

    def interrupt(self) -> None:
        """Kill the worker from another thread; the thread waiting on it then sees it die."""
        self._kill_group()

    def ask_to_exit(self) -> None:
        """Send Shutdown without waiting."""
        if self.alive:
            self.send(protocol.Shutdown())

    def finish(self, deadline: float) -> None:
        """Wait for an exit asked for until `deadline` (monotonic), then kill."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._popen.wait(timeout=max(0.0, deadline - time.monotonic()))
        self.kill()  # also takes any helper processes left in its group

    def _kill_group(self) -> None:
        # The group id is the worker's pid (start_new_session). Linux does not reuse a pid
        # while a group of that id has members, and hands out pids in sequence, so a kill
        # after the worker was reaped reaches only its leftover helpers (or no one).
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)

    def _close_pipes(self) -> None:
        for connection in (self._replies, self._requests):
            with contextlib.suppress(OSError):  # closed already, by a kill from another thread
                connection.close()

    def log_tail(self) -> str:
        """What the worker printed during its last request, as a suffix for error messages ("" if none)."""
        try:
            with open(self.log_path, "rb") as f:
                f.seek(max(0, os.path.getsize(self.log_path) - LOG_TAIL_BYTES))
                text = f.read().decode("utf-8", "replace")
        except OSError:
            return ""
        lines = text.splitlines()
        marks = [i for i, line in enumerate(lines) if line.startswith(protocol.LOG_MARKER)]
        if marks:
            lines = lines[marks[-1] + 1 :]
        lines = [ln.rstrip() for ln in lines if ln.strip() and not ln.startswith(_NOISE)][-LOG_TAIL_LINES:]
        if not lines:
            return ""
        return "\nworker log (last lines):\n" + "\n".join("  " + _ADDRESS.sub("0x…", ln) for ln in lines)
