"""Messages between the session and a worker, and the pipe pair they travel on.

The channel is a dedicated pair of `os.pipe`s, never the worker's stdin/stdout:
a framework that prints (or a C library that writes to fd 1) cannot corrupt it.
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from apicompat.records import Case, Implementation, Observation

#: Environment variable carrying the session's sys.path (a JSON list), so a worker can import
#: any adapter module the session could (tests put their fake adapters on sys.path).
SYS_PATH_ENV = "APICOMPAT_WORKER_SYS_PATH"

#: Starts the line a worker writes to its log before each request.
LOG_MARKER = "==== apicompat: "

# Protocol 5 pickles NumPy arrays from their buffers without an extra copy.
PICKLE_PROTOCOL = 5


# Requests, session -> worker.
@dataclass(frozen=True)
class RunCases:
    """Run these cases with one implementation; the worker replies once per case, in order."""

    impl: Implementation
    device: str
    cases: tuple[Case, ...]


@dataclass(frozen=True)
class ReadSignature:
    """Resolve `api` and read its signature."""

    api: str


@dataclass(frozen=True)
class RunScript:
    """Exec a standalone script with its stdout captured."""

    code: str


@dataclass(frozen=True)
class Shutdown:
    """Exit now."""


# Replies, worker -> session.
@dataclass(frozen=True)
class Hello:
    """The worker's first message: whether the adapter loaded, and what it reports."""

    available: bool
    version: str | None
    devices: tuple[str, ...]
    message: str | None


@dataclass(frozen=True)
class CaseDone:
    """One case finished; `position` is its index in the request's `cases`."""

    position: int
    observation: Observation


@dataclass(frozen=True)
class Answer:
    """The reply to a signature or script request; `error` is "ExcType: message"."""

    value: Any
    error: str | None = None
    stage: str | None = None  # where it failed, e.g. "resolve" (lets the session word its error)


def encode(message: object) -> bytes:
    """One message as bytes."""
    return pickle.dumps(message, protocol=PICKLE_PROTOCOL)


def send(conn: Connection, message: object) -> None:
    """Pickle and send one message."""
    conn.send_bytes(encode(message))


def receive(conn: Connection) -> Any:
    """Receive and unpickle one message; raises EOFError when the other end is gone."""
    return pickle.loads(conn.recv_bytes())


@dataclass(frozen=True)
class ChildEnds:
    """The file descriptors a worker inherits: it reads requests and writes replies."""

    read_fd: int
    write_fd: int


def open_channel() -> tuple[Connection, Connection, ChildEnds]:
    """Two pipes: (parent's reader, parent's writer, the child's ends to pass and then close)."""
    to_child_r, to_child_w = os.pipe()
    to_parent_r, to_parent_w = os.pipe()
    replies = Connection(to_parent_r, readable=True, writable=False)
    requests = Connection(to_child_w, readable=False, writable=True)
    return replies, requests, ChildEnds(read_fd=to_child_r, write_fd=to_parent_w)


def child_connections(ends: ChildEnds) -> tuple[Connection, Connection]:
    """The worker's (requests reader, replies writer) over the inherited descriptors."""
    return (
        Connection(ends.read_fd, readable=True, writable=False),
        Connection(ends.write_fd, readable=False, writable=True),
    )
