"""The worker process: load one adapter on one device, then serve requests until told to stop.

Run as `python -m apicompat.execute.worker --adapter module:Class --device cpu
--read-fd N --write-fd M`. Requests and replies travel on the inherited pipes;
stdout and stderr go to a log file the session reads when the worker dies.
"""

from __future__ import annotations

import argparse
import builtins
import contextlib
import dataclasses
import faulthandler
import importlib
import io
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from apicompat.execute import protocol
from apicompat.execute.invoke import describe_exception, resolve_target, run_case, trim, without_addresses
from apicompat.frameworks.base import Adapter
from apicompat.records import Implementation, Observation, Status


def load_adapter(path: str, device: str) -> Adapter:
    """Import "module:Class", instantiate it for `device`, and load the framework."""
    module_name, _, class_name = path.partition(":")
    if not class_name:
        raise ValueError(f"adapter path {path!r} is not of the form 'module:Class'")
    cls = getattr(importlib.import_module(module_name), class_name)
    adapter = cls(device)
    if not isinstance(adapter, Adapter):
        raise TypeError(f"{path} is not an apicompat.frameworks.base.Adapter")
    adapter.load()
    return adapter


def hello(adapter_path: str, device: str) -> tuple[Adapter | None, protocol.Hello]:
    """Load the adapter and describe the outcome; a failure is reported, not raised."""
    try:
        adapter = load_adapter(adapter_path, device)
    except BaseException as exc:  # a framework that calls sys.exit on import is unavailable too
        return None, protocol.Hello(False, None, (), trim(f"{type(exc).__name__}: {describe_exception(exc)}"))
    try:
        version: str | None = adapter.version()
    except Exception as exc:
        version = f"unknown ({type(exc).__name__}: {describe_exception(exc)})"
    try:
        devices = tuple(adapter.available_devices())
    except Exception:  # only informative; the device itself loaded
        devices = (device,)
    return adapter, protocol.Hello(True, version, devices, None)


def serve(
    adapter: Adapter, requests: Connection, replies: Connection, progress: protocol.Progress | None = None
) -> None:
    """Answer requests until Shutdown or until the session's end of the pipe closes."""
    resolved: dict[tuple[str, bool], Callable[..., Any] | BaseException | None] = {}
    while True:
        try:
            request = protocol.receive(requests)
        except EOFError:
            return
        if isinstance(request, protocol.Shutdown):
            return
        if isinstance(request, protocol.RunCases):
            impl = request.impl
            key = (impl.api, impl.method)
            if key not in resolved:
                resolved[key] = _resolve(adapter, impl)
            run_cases(adapter, request, resolved[key], replies, progress)
        elif isinstance(request, protocol.Resolve):
            mark(f"resolve {request.api}")
            protocol.send(replies, resolve_api(adapter, request.api))
        elif isinstance(request, protocol.ReadSignature):
            mark(f"signature of {request.api}")
            protocol.send(replies, read_signature(adapter, request.api))
        elif isinstance(request, protocol.RunScript):
            mark("script")
            protocol.send(replies, run_script(request.code))
        else:
            raise TypeError(f"unknown request {type(request).__name__}")


def run_cases(
    adapter: Adapter,
    request: protocol.RunCases,
    resolved: Callable[..., Any] | BaseException | None,
    replies: Connection,
    progress: protocol.Progress | None,
) -> None:
    """Run a batch, sending the replies in groups: at the end, and every FLUSH_SECONDS.

    One message per case costs a pickle, two system calls and a wake-up of the
    session per case; grouped, fast cases cost a fraction of that. Which case a
    crash or hang belongs to is in the progress cell, written before each case.
    Without a cell (an old session), each case is sent at once.
    """
    impl = request.impl
    pending: list[bytes] = []
    first = 0
    flush_at = time.monotonic() + protocol.FLUSH_SECONDS
    last = len(request.cases) - 1
    for position, case in enumerate(request.cases):
        mark(f"case {case.id} with {impl.api} on {request.device}")
        if progress is not None:
            progress.set(position)
        observation = run_case(adapter, impl, request.device, case, resolved)
        pending.append(_encode_case(observation))
        if progress is None or position == last or time.monotonic() >= flush_at:
            protocol.send(replies, protocol.CasesDone(first, tuple(pending)))
            first, pending = position + 1, []
            flush_at = time.monotonic() + protocol.FLUSH_SECONDS


def mark(what: str) -> None:
    """Write a marker line to the log, so a crash message shows only what this request printed."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.write(1, f"{protocol.LOG_MARKER}{what}\n".encode())


def _resolve(adapter: Adapter, impl: Implementation) -> Callable[..., Any] | BaseException | None:
    try:
        return resolve_target(adapter, impl)
    except Exception as exc:  # every case of this implementation reports it
        return exc


def _encode_case(observation: Observation) -> bytes:
    """One case's observation as bytes; an output that cannot be pickled becomes this case's error."""
    try:
        return protocol.encode_observation(observation)
    except Exception as exc:
        failed = dataclasses.replace(
            observation,
            status=Status.ERROR,
            outputs=(),
            error_type=type(exc).__name__,
            error_message=trim(f"the result could not be sent back: {describe_exception(exc)}"),
        )
        return protocol.encode_observation(failed)


def resolve_api(adapter: Adapter, api: str) -> protocol.Answer:
    """Where `api` leads in this framework: a callable, or where and why the path stops."""
    try:
        return protocol.Answer(adapter.locate(api))
    except Exception as exc:  # an adapter's own failure is an answer too, never the worker's end
        return protocol.Answer(None, f"{type(exc).__name__}: {describe_exception(exc)}", "resolve")


def read_signature(adapter: Adapter, api: str) -> protocol.Answer:
    """Resolve `api` in this framework and read its live signature."""
    try:
        fn = adapter.resolve(api)
    except Exception as exc:
        return protocol.Answer(None, f"{type(exc).__name__}: {describe_exception(exc)}", "resolve")
    try:
        # Imported here, in the worker: reading signatures may touch framework internals.
        signatures = importlib.import_module("apicompat.frameworks.signatures")
        return protocol.Answer(signatures.read_signature(fn, api, schemas=adapter.schemas(api)))
    except Exception as exc:
        return protocol.Answer(None, f"{type(exc).__name__}: {describe_exception(exc)}", "read")


def run_script(code: str) -> protocol.Answer:
    """Exec `code` in fresh globals, capturing what it prints."""
    buffer = io.StringIO()
    scope: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
    error = None
    try:
        with contextlib.redirect_stdout(buffer):
            exec(compile(code, "<apicompat-script>", "exec"), scope)
    except BaseException as exc:  # SystemExit in a script is its error, not the worker's exit
        error = f"{type(exc).__name__}: {describe_exception(exc)}"
    # What a script prints can hold an object's repr (a tensor MindSpore cannot print): no addresses.
    return protocol.Answer(without_addresses(buffer.getvalue()), error)


def _exit_with_parent(parent: int) -> None:
    """Exit when the session's process is gone, even if a case hangs the main thread.

    A spawned worker is the session's child; a forked one is its fork server's, and
    watches the session itself.
    """
    while os.getppid() == parent or _exists(parent):
        time.sleep(1.0)
    os._exit(1)


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else (cannot be our session, but be safe)
        return True
    return True


def main(argv: list[str] | None = None) -> None:
    """Entry point of the worker process."""
    parser = argparse.ArgumentParser(prog="python -m apicompat.execute.worker")
    parser.add_argument("--adapter", required=True, help="adapter class as module:Class")
    parser.add_argument("--device", required=True)
    parser.add_argument("--read-fd", type=int, required=True)
    parser.add_argument("--write-fd", type=int, required=True)
    parser.add_argument("--parent", type=int, required=True, help="the session's pid")
    parser.add_argument("--progress-fd", type=int, default=None, help="the shared progress cell")
    args = parser.parse_args(argv)
    # On SIGSEGV/SIGABRT, a Python traceback lands in the log the session shows.
    faulthandler.enable(all_threads=False)
    # A SIGINT can only come from outside (the terminal's Ctrl-C reaches the session, not its
    # process group): it must end the worker, a loss the session retries, never be caught by
    # the case's `except BaseException` and recorded as the API raising KeyboardInterrupt.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    protocol.adopt_sys_path()
    threading.Thread(target=_exit_with_parent, args=(args.parent,), daemon=True).start()
    requests, replies = protocol.child_connections(protocol.ChildEnds(args.read_fd, args.write_fd))
    progress = None
    if args.progress_fd is not None:
        progress = protocol.Progress(args.progress_fd)
        os.close(args.progress_fd)  # the mapping stays
    adapter, greeting = hello(args.adapter, args.device)
    protocol.send(replies, greeting)
    if adapter is not None:
        serve(adapter, requests, replies, progress)
    sys.stdout.flush()
    sys.stderr.flush()
    # os._exit: a framework's non-daemon threads or atexit hooks must not keep a worker alive.
    os._exit(0)


if __name__ == "__main__":
    main()
