"""Messages between the session and a worker, and the pipe pair they travel on.

The channel is a dedicated pair of `os.pipe`s, never the worker's stdin/stdout:
a framework that prints (or a C library that writes to fd 1) cannot corrupt it.
"""

from __future__ import annotations

import contextlib
import json
import mmap
import os
import pickle
import struct
import sys
import tempfile
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

import numpy as np

from apicompat.records import Case, Implementation, Observation, Output, Status

#: Environment variable carrying the session's sys.path (a JSON list), so a worker can import
#: any adapter module the session could (tests put their fake adapters on sys.path).
SYS_PATH_ENV = "APICOMPAT_WORKER_SYS_PATH"


def adopt_sys_path() -> None:
    """Put the session's paths (SYS_PATH_ENV) first in this worker's sys.path, in the session's order.

    Entries already on the path move to their place in that order: a worker in another
    version's environment lists its own site-packages before the session's paths, so its
    framework version wins over one the session's paths could also provide.
    """
    wanted = json.loads(os.environ.get(SYS_PATH_ENV, "[]"))
    sys.path[:] = [*wanted, *(p for p in sys.path if p not in wanted)]


#: Starts the line a worker writes to its log before each request.
LOG_MARKER = "==== apicompat: "

# Protocol 5 pickles NumPy arrays from their buffers without an extra copy.
PICKLE_PROTOCOL = 5


# Requests, session -> worker.
@dataclass(frozen=True)
class RunCases:
    """Run these cases with one implementation; the worker replies with `CasesDone`, in order.

    Before each case the worker writes the case's position to its progress cell
    (see `Progress`), so the session knows which case is running even while the
    replies of the cases before it are still being gathered into one message.
    """

    impl: Implementation
    device: str
    cases: tuple[Case, ...]


@dataclass(frozen=True)
class Resolve:
    """Resolve `api` without calling it; the worker replies with an Answer holding a Resolution."""

    api: str


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
class CasesDone:
    """Cases finished, in order: `first` is the index of the first in the request's `cases`.

    Each observation travels as its own blob (`encode_observation`), so that one that
    cannot be encoded fails its own case only; the session reads them with `decode_cases`.
    """

    first: int
    observations: tuple[bytes, ...]


def decode_cases(reply: CasesDone) -> list[Observation]:
    """The observations a CasesDone carries."""
    return [decode_observation(blob) for blob in reply.observations]


_STATUS = {status.value: status for status in Status}


def encode_observation(observation: Observation) -> bytes:
    """An observation as bytes: plain fields, and each output's values as raw bytes.

    Pickling the records themselves costs about 25 µs per case (dataclasses, an enum,
    NumPy's array reduction); these tuples cost about 4. Arrays whose items are Python
    objects are pickled as they are (their raw bytes would be pointers).
    """
    outputs = tuple(
        (o.dtype, o.shape, o.values)
        if o.values.dtype.hasobject
        else (o.dtype, o.shape, o.values.dtype.str, o.values.shape, o.values.tobytes())
        for o in observation.outputs
    )
    state = (
        observation.case_id,
        observation.target,
        observation.device,
        observation.status.value,
        outputs,
        observation.error_type,
        observation.error_message,
        observation.seconds,
    )
    return pickle.dumps(state, protocol=PICKLE_PROTOCOL)


def decode_observation(blob: bytes) -> Observation:
    """The observation `encode_observation` encoded; its arrays are new and writable."""
    case_id, target, device, status, packed, error_type, error_message, seconds = pickle.loads(blob)
    outputs = []
    for item in packed:
        if len(item) == 3:
            dtype, shape, values = item
        else:
            dtype, shape, kind, values_shape, raw = item
            values = np.frombuffer(raw, dtype=np.dtype(kind)).reshape(values_shape).copy()
        outputs.append(Output(dtype, tuple(shape), values))
    return Observation(
        case_id, target, device, _STATUS[status], tuple(outputs), error_type, error_message, seconds
    )


class Progress:
    """A shared 8-byte cell: the position of the case the worker is running (-1: none).

    The session creates it as a small file, which both processes map. A worker sends
    its replies in groups (one message per batch, or per FLUSH_SECONDS), so this cell,
    not the replies, says which case a crash or a timeout belongs to. An aligned 8-byte
    store is atomic: a reader never sees half a write.
    """

    def __init__(self, fd: int) -> None:
        self._map = mmap.mmap(fd, PROGRESS_BYTES)
        self._cell = memoryview(self._map).cast("q")

    @staticmethod
    def create(directory: str) -> int:
        """A new cell file in `directory`, holding -1; returns an open descriptor (the file is unlinked)."""
        fd, path = tempfile.mkstemp(dir=directory, prefix="progress-")
        os.unlink(path)
        os.write(fd, struct.pack("q", -1))
        return fd

    def get(self) -> int:
        """The position of the running case, or -1."""
        return int(self._cell[0])

    def set(self, position: int) -> None:
        """Say which case runs now."""
        self._cell[0] = position

    def close(self) -> None:
        """Unmap the cell."""
        self._cell.release()
        with contextlib.suppress(BufferError):
            self._map.close()


#: Size of the progress cell.
PROGRESS_BYTES = 8

#: A worker sends the replies it has gathered at least this often while a batch runs.
FLUSH_SECONDS = 0.01


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
