"""A fork server per framework: import the framework once, fork a fresh worker from it on demand.

Importing torch or MindSpore costs 1.5–2 s of CPU. Without a fork server every worker
pays it: the case worker, the script worker, each restart after a crash (MindSpore
dies with SIGFPE on some empty tensors: seven restarts in 2,000 cumsum cases), and
any helper worker. The fork server (a "zygote", as in Android or Chromium) imports
the framework once, without choosing a device or running an op, then `fork()`s a
worker per request; the child selects its device and runs `worker.main`, as a
spawned worker would. Start-up of a worker drops from seconds to tens of
milliseconds, and isolation is unchanged: each worker is still its own process
and process group, killed and replaced alone.

Run as `python -m apicompat.execute.forkserver --adapter module:Class --control-fd N
--parent PID`. The session talks to it over a SOCK_SEQPACKET Unix socket (one JSON
message per packet, the worker's pipes and log passed as file descriptors): it asks
`{"op": "fork", ...}` and gets `{"pid": …}`; the server reports every child's exit
as `{"exit": pid, "code": returncode}` (negative for a signal, as subprocess does),
since only a process's parent can read its exit status. When the session goes away
(the socket closes), the server kills its children and exits.
"""

from __future__ import annotations

import argparse
import array
import contextlib
import faulthandler
import importlib
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import warnings
from typing import Any

from apicompat.execute import protocol
from apicompat.execute.options import Interpreter, current_interpreter

#: The largest control message (JSON); fork requests and replies are far smaller.
MAX_MESSAGE = 64 * 1024


def _send(sock: socket.socket, message: dict[str, Any], fds: tuple[int, ...] = ()) -> None:
    """One JSON packet, with file descriptors attached when given."""
    data = json.dumps(message).encode()
    if fds:
        sock.sendmsg([data], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))])
    else:
        sock.send(data)


def _receive(sock: socket.socket, max_fds: int = 0) -> tuple[dict[str, Any] | None, list[int]]:
    """One JSON packet and the descriptors it carried; (None, []) at end of stream."""
    if max_fds:
        data, fds, _, _ = socket.recv_fds(sock, MAX_MESSAGE, max_fds)
    else:
        data, fds = sock.recv(MAX_MESSAGE), []
    if not data:
        for fd in fds:
            os.close(fd)
        return None, []
    message = json.loads(data)
    if not isinstance(message, dict):
        raise ValueError(f"unexpected control message {message!r}")
    return message, list(fds)


def returncode(status: int) -> int:
    """An os.waitpid status as subprocess reports it: -N for signal N, else the exit code."""
    if os.WIFSIGNALED(status):
        return -os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


# --- the session's side --------------------------------------------------------------------


def stopped(pid: int) -> bool:
    """Whether a process is stopped (SIGSTOP, a stopped terminal job): it cannot make progress."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            state = f.read().rpartition(b")")[2].split()[0]
    except (OSError, IndexError):
        return False
    return state in (b"T", b"t")


#: How long a fork server may stay stopped (SIGSTOP) while a fork waits on it before it counts as lost.
STOPPED_SERVER_SECONDS = 5.0


class ServerLost(Exception):
    """The fork server died or did not answer; the caller spawns workers directly instead."""


class ForkedWorker:
    """A worker forked by a fork server, with the part of subprocess.Popen the session uses."""

    def __init__(self, server: ForkServer, pid: int) -> None:
        self._server = server
        self.pid = pid
        self.returncode: int | None = None

    @property
    def orphaned(self) -> bool:
        """True when its server is gone: its exit status could no longer be read."""
        return self._server.lost

    def poll(self) -> int | None:
        """The exit code once the server has reaped the worker, else None."""
        if self.returncode is None:
            self.returncode = self._server.exit_code(self.pid, 0.0)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the exit; raises subprocess.TimeoutExpired like Popen.wait."""
        if self.returncode is None:
            self.returncode = self._server.exit_code(self.pid, timeout)
        if self.returncode is None:
            raise subprocess.TimeoutExpired(f"worker {self.pid}", timeout or 0.0)
        return self.returncode


class ForkServer:
    """The session's handle on one fork server process; thread-safe."""

    def __init__(self, adapter_path: str, log_path: str, interpreter: Interpreter | None = None) -> None:
        interpreter = interpreter if interpreter is not None else current_interpreter()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._sock = ours
        env = dict(os.environ)
        env["PYTHONUNBUFFERED"] = "1"
        env[protocol.SYS_PATH_ENV] = json.dumps(list(interpreter.path))
        command = [
            interpreter.executable, "-m", "apicompat.execute.forkserver",
            "--adapter", adapter_path, "--control-fd", str(theirs.fileno()),
            "--parent", str(os.getpid()),
        ]  # fmt: skip
        try:
            with open(log_path, "ab") as log:
                self._popen = subprocess.Popen(
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    pass_fds=(theirs.fileno(),),
                    start_new_session=True,  # a Ctrl-C in the terminal reaches the session only
                    env=env,
                )
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        self.pid = self._popen.pid
        self._request_lock = threading.Lock()  # one fork request in flight
        self._state = threading.Condition()
        self._replies: list[dict[str, Any]] = []
        self._exits: dict[int, int] = {}
        self._lost = False
        self._stopped_since: float | None = None
        self._reader = threading.Thread(
            target=self._read, name=f"apicompat-forkserver-{self.pid}", daemon=True
        )
        self._reader.start()

    @property
    def lost(self) -> bool:
        """True once the server has gone away (its children can no longer be reaped through it)."""
        return self._lost

    def _read(self) -> None:
        """Route the server's messages: fork replies to the requester, exits to the table."""
        while True:
            try:
                message, _ = _receive(self._sock)
            except (OSError, ValueError):
                message = None
            with self._state:
                if message is None:
                    self._lost = True
                    self._state.notify_all()
            if message is None:
                # Gone (or going): reap it now, not only at close, so no zombie lingers.
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self._popen.wait(timeout=5.0)
                return
            with self._state:
                if "exit" in message:
                    self._exits[int(message["exit"])] = int(message["code"])
                else:
                    self._replies.append(message)
                self._state.notify_all()

    def fork(self, device: str, fds: tuple[int, int, int, int], timeout: float) -> ForkedWorker:
        """A new worker on `device`; raises ServerLost.

        `fds`: the worker's request pipe, its reply pipe, its log, and its progress cell.
        """
        request = {"op": "fork", "device": device}
        deadline = time.monotonic() + timeout
        with self._request_lock:
            try:
                _send(self._sock, request, fds)
            except OSError as exc:
                raise ServerLost(f"the fork server is gone: {exc}") from exc
            with self._state:
                while not self._replies:
                    remaining = deadline - time.monotonic()
                    self._give_up_if_stopped()
                    if self._lost or remaining <= 0:
                        # A server that is lost or too slow is of no further use: callers fall back.
                        self._lost = True
                        raise ServerLost("the fork server did not answer")
                    self._state.wait(min(remaining, 0.5))
                reply = self._replies.pop(0)
        if "pid" not in reply:
            raise ServerLost(f"the fork server could not fork: {reply.get('error')}")
        return ForkedWorker(self, int(reply["pid"]))

    def exit_code(self, pid: int, timeout: float | None) -> int | None:
        """The exit code of a forked worker, waiting up to `timeout` seconds (None: forever)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._state:
            while pid not in self._exits:
                self._give_up_if_stopped()
                if self._lost:
                    return _orphan_code(pid)
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return None
                self._state.wait(min(remaining, 0.5) if remaining is not None else 0.5)
            return self._exits[pid]

    def _give_up_if_stopped(self) -> None:
        """Count a server stopped from outside (SIGSTOP) for STOPPED_SERVER_SECONDS as lost (caller
        holds the state lock): it forks nothing and reaps nothing, so nobody should wait on it."""
        if not stopped(self.pid):
            self._stopped_since = None
            return
        now = time.monotonic()
        if self._stopped_since is None:
            self._stopped_since = now
        elif now - self._stopped_since > STOPPED_SERVER_SECONDS:
            self._lost = True

    def close(self, timeout: float = 5.0) -> None:
        """Stop the server (it kills any child still running) and reap it."""
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        try:
            # A server stopped from outside would never exit by itself: kill it at once.
            self._popen.wait(timeout=0.0 if stopped(self.pid) else timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._popen.wait(timeout=30.0)
        self._reader.join(timeout=1.0)
        self._sock.close()


def _orphan_code(pid: int) -> int | None:
    """Without a server to reap it, a worker is done once its pid is gone (or a zombie a stopped
    server cannot reap); its status is lost."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return -signal.SIGKILL
    except PermissionError:
        pass
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            if f.read().rpartition(b")")[2].split()[0] == b"Z":
                return -signal.SIGKILL
    except (OSError, IndexError):
        pass
    return None


# --- the server's side ---------------------------------------------------------------------


def _preload(adapter_path: str) -> None:
    """Import the adapter's module and framework; a failure is logged, and each worker reports it."""
    module_name, _, class_name = adapter_path.partition(":")
    try:
        cls = getattr(importlib.import_module(module_name), class_name)
        preload = getattr(cls, "preload", None)
        if preload is not None:
            preload()
    except BaseException as exc:  # the worker's own load() fails the same way and says why
        print(f"apicompat fork server: preloading {adapter_path} failed: {exc!r}", flush=True)


def _run_child(adapter_path: str, device: str, fds: list[int], session: int) -> None:
    """In the forked child: become a worker in its own session, logging to its own file."""
    read_fd, write_fd, log_fd, progress_fd = fds
    try:
        os.setsid()  # its own process group: a kill takes the framework's helpers too
        os.dup2(log_fd, 1)
        os.dup2(log_fd, 2)
        os.close(log_fd)
        from apicompat.execute import worker  # already imported by the server

        # It outlives a lost server (the session retires it between batches), not the session.
        args = ["--adapter", adapter_path, "--device", device, "--parent", str(session)]
        pipes = ["--read-fd", str(read_fd), "--write-fd", str(write_fd), "--progress-fd", str(progress_fd)]
        worker.main([*args, *pipes])
    except BaseException:
        with contextlib.suppress(BaseException):
            import traceback

            traceback.print_exc()
    finally:
        os._exit(70)  # worker.main exits by itself; never return into the server's loop


class _Server:
    """The loop of the fork server process."""

    def __init__(self, adapter_path: str, control: socket.socket, parent: int) -> None:
        self.adapter_path = adapter_path
        self.control = control
        self.parent = parent
        self.children: set[int] = set()
        # SIGCHLD wakes select() at once, so an exit is reported without polling delay.
        self.wake_r, self.wake_w = os.pipe()
        os.set_blocking(self.wake_w, False)
        signal.set_wakeup_fd(self.wake_w)
        signal.signal(signal.SIGCHLD, lambda signum, frame: None)

    def serve(self) -> None:
        """Fork on request, report exits, until the session closes the socket or dies."""
        while True:
            self.reap()
            if os.getppid() != self.parent:
                return
            try:
                ready, _, _ = select.select([self.control.fileno(), self.wake_r], [], [], 1.0)
            except InterruptedError:
                continue
            if self.wake_r in ready:
                with contextlib.suppress(BlockingIOError):
                    os.read(self.wake_r, 4096)
            if self.control.fileno() in ready:
                try:
                    message, fds = _receive(self.control, max_fds=4)
                except (OSError, ValueError):
                    return
                if message is None:
                    return
                self.fork(message, fds)

    def fork(self, message: dict[str, Any], fds: list[int]) -> None:
        """Fork one worker with the descriptors the session sent, and tell it the pid."""
        try:
            if message.get("op") != "fork" or len(fds) != 4:
                raise ValueError(f"bad fork request {message!r} with {len(fds)} descriptors")
            sys.stdout.flush()
            sys.stderr.flush()
            with warnings.catch_warnings():
                # Python 3.12+ warns on fork() when native threads exist (a framework's
                # pool); the child runs only the worker's code, which never needs them.
                warnings.simplefilter("ignore", DeprecationWarning)
                pid = os.fork()
            if pid == 0:
                # The server's signal plumbing is not the worker's: undo it before anything else.
                signal.set_wakeup_fd(-1)
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                self.control.close()
                os.close(self.wake_r)
                os.close(self.wake_w)
                _run_child(self.adapter_path, str(message["device"]), fds, self.parent)
            self.children.add(pid)
            _send(self.control, {"pid": pid})
        except (OSError, ValueError) as exc:
            with contextlib.suppress(OSError):
                _send(self.control, {"error": repr(exc)})
        finally:
            for fd in fds:
                with contextlib.suppress(OSError):
                    os.close(fd)

    def reap(self) -> None:
        """Collect every exited child and report its status."""
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                self.children.clear()
                return
            if pid == 0:
                return
            self.children.discard(pid)
            with contextlib.suppress(OSError):
                _send(self.control, {"exit": pid, "code": returncode(status)})

    def stop(self) -> None:
        """Kill the children still running (the session is gone) and reap them."""
        for pid in list(self.children):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10.0
        while self.children and time.monotonic() < deadline:
            with contextlib.suppress(ChildProcessError):
                pid, _ = os.waitpid(-1, 0)
                self.children.discard(pid)
                continue
            break


def main(argv: list[str] | None = None) -> None:
    """Entry point of the fork server process."""
    parser = argparse.ArgumentParser(prog="python -m apicompat.execute.forkserver")
    parser.add_argument("--adapter", required=True, help="adapter class as module:Class")
    parser.add_argument("--control-fd", type=int, required=True)
    parser.add_argument("--parent", type=int, required=True, help="the session's pid")
    args = parser.parse_args(argv)
    faulthandler.enable(all_threads=False)
    protocol.adopt_sys_path()
    control = socket.socket(fileno=args.control_fd)
    importlib.import_module("apicompat.execute.worker")  # every child runs it
    _preload(args.adapter)
    server = _Server(args.adapter, control, args.parent)
    try:
        server.serve()
    finally:
        server.stop()
        sys.stdout.flush()
        os._exit(0)


if __name__ == "__main__":
    main()
