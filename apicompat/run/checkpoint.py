"""Partial results: what an interrupted run keeps, so that `--resume` can finish it.

One append-only file per spec, `<out>/.apicompat-partial/<spec id>.jsonl`:

- line 1 is a header: the format version, the spec id and the run's fingerprint
  (everything an observation depends on: apicompat's and the frameworks' versions,
  seed, case budget, devices, limits, the case ids and the implementations run);
- every other line is one finished observation, appended (and flushed to the
  operating system) as soon as the session reports it.

Every line ends with a tab and the CRC-32 of its JSON text. A line torn by a kill,
or damaged later, fails the check and is dropped: its case simply runs again.
Arrays travel as `.npy` bytes (`np.save` without pickle), zlib-compressed and
base64-encoded: values come back bit for bit (NaN payloads, -0.0), and reading a
checkpoint never unpickles anything, so a planted file cannot run code.

Durability: a line is handed to the kernel with one `write` before the next case is
recorded, so killing the process (even with SIGKILL) loses no recorded line; `fsync`
runs at most every `SYNC_SECONDS` and when a spec's file is closed, so an operating
system crash loses at most the last moments of work.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import json
import os
import re
import sys
import time
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np

from apicompat import __version__
from apicompat.records import ApicompatError, Implementation, Observation, Output, Status

#: The name of the directory, inside a command's output directory, that holds partial results.
PARTIAL_DIR = ".apicompat-partial"

#: The version of the file format; a file of another version is never resumed from.
FORMAT_VERSION = 1

#: At most this long between two fsyncs of a spec's file while cases are recorded.
SYNC_SECONDS = 0.5

# Spec ids become file names; the spec schema allows only these characters.
_SAFE_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")

#: Job key: (implementation api, device), as `Session.run` keys its results.
JobKey = tuple[str, str]
#: Observations kept for one spec: job key -> case id -> observation.
Kept = dict[JobKey, dict[str, Observation]]


# --- fingerprints -------------------------------------------------------------------------------


def fingerprint(
    *,
    seed: int,
    budget: int | None,
    devices: Sequence[str],
    timeout: float,
    memory_mb: int | None,
    case_ids: Sequence[str],
    jobs: Sequence[tuple[Implementation, str]] | None = None,
    versions: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """What the observations of one spec's run depend on, as JSON-ready data.

    `jobs` and `versions` are known only once the workers have started; without them
    the fingerprint can still be checked early (before any worker starts).
    """
    found: dict[str, Any] = {
        "apicompat": __version__,
        "seed": seed,
        "budget": budget,
        "devices": list(devices),
        "timeout": timeout,
        "memory_mb": memory_mb,
        "cases": {"count": len(case_ids), "sha256": _digest(case_ids)},
    }
    if jobs is not None:
        described = [
            [
                impl.framework,
                impl.api,
                [list(p) for p in impl.params],
                list(impl.positional),
                impl.method,
                device,
            ]
            for impl, device in jobs
        ]
        found["jobs"] = {
            "runs": [f"{impl.api} on {device}" for impl, device in jobs],
            "sha256": _digest(json.dumps(d, sort_keys=True) for d in described),
        }
    if versions is not None:
        found["versions"] = dict(sorted(versions.items()))
    return found


def _digest(items: Iterable[str]) -> str:
    h = hashlib.sha256()
    for item in items:
        h.update(item.encode("utf-8", "surrogatepass"))
        h.update(b"\n")
    return h.hexdigest()


def _describe(key: str, value: Any) -> str:
    """A fingerprint field as a user reads it in a refusal message."""
    if key == "apicompat":
        return f"apicompat {value}"
    if key == "seed":
        return f"--seed {value}"
    if key == "budget":
        return "the systematic cases (no --cases)" if value is None else f"--cases {value}"
    if key == "devices":
        return f"--device {','.join(value) if isinstance(value, list) else value}"
    if key == "timeout":
        return f"--timeout {value:g}" if isinstance(value, (int, float)) else f"--timeout {value}"
    if key == "memory_mb":
        return f"--memory-mb {value}"
    if key == "cases":
        count = value.get("count") if isinstance(value, dict) else "?"
        return f"{count} cases with other ids (the spec, its hand-written cases or the generator changed)"
    if key == "jobs":
        runs = value.get("runs") if isinstance(value, dict) else None
        return "implementations " + (", ".join(map(str, runs)) if isinstance(runs, list) else "?")
    if key == "versions" and isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    return f"{key} {value}"


def mismatch(saved: Mapping[str, Any], current: Mapping[str, Any]) -> str | None:
    """The first field (of those both fingerprints hold) that differs, worded for the user; None if none."""
    for key, value in current.items():
        if key in saved and saved[key] != value:
            if key == "cases" and isinstance(value, dict):
                theirs = saved[key].get("count") if isinstance(saved[key], dict) else "?"
                return (
                    f"were made for {theirs} cases, but this run has {value['count']} cases "
                    "with other ids (the spec, its hand-written cases or --cases changed)"
                )
            return f"were made with {_describe(key, saved[key])}, but this run uses {_describe(key, value)}"
    return None


# --- lines ---------------------------------------------------------------------------------------


def encode_line(payload: Mapping[str, Any]) -> bytes:
    """One self-checking line: JSON text, a tab, its CRC-32 in hex, a newline."""
    text = json.dumps(payload, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return f"{text}\t{zlib.crc32(text.encode('ascii')):08x}\n".encode("ascii")


def decode_line(line: bytes) -> dict[str, Any] | None:
    """The payload of a line written by `encode_line`, or None for a torn or damaged line."""
    if not line.endswith(b"\n"):
        return None  # the last line of a file whose writer was killed mid-write
    text, tab, crc = line[:-1].rpartition(b"\t")
    if not tab or len(crc) != 8:
        return None
    try:
        if int(crc, 16) != zlib.crc32(text):
            return None
        payload = json.loads(text)
    except ValueError:  # not hex, not UTF-8, not JSON
        return None
    return payload if isinstance(payload, dict) else None


def encode_observation(observation: Observation) -> dict[str, Any] | None:
    """An observation as JSON-ready data; None when its outputs cannot be stored without pickle."""
    outputs = []
    for output in observation.outputs:
        buffer = io.BytesIO()
        try:
            np.save(buffer, output.values, allow_pickle=False)
        except ValueError:  # an object array: the case runs again on resume instead
            return None
        packed = base64.b64encode(zlib.compress(buffer.getvalue(), 1)).decode("ascii")
        outputs.append({"dtype": output.dtype, "shape": list(output.shape), "npy": packed})
    return {
        "case": observation.case_id,
        "target": observation.target,
        "device": observation.device,
        "status": observation.status.value,
        "outputs": outputs,
        "error_type": observation.error_type,
        "error_message": observation.error_message,
        "seconds": observation.seconds,
    }


def decode_observation(data: Mapping[str, Any]) -> Observation:
    """The observation `encode_observation` stored; raises ValueError (or TypeError) if malformed."""
    outputs = []
    for item in data["outputs"]:
        raw = zlib.decompress(base64.b64decode(item["npy"], validate=True))
        values = np.load(io.BytesIO(raw), allow_pickle=False)
        shape = tuple(int(d) for d in item["shape"])
        if not isinstance(item["dtype"], str) or values.shape != shape:
            raise ValueError("output dtype or shape does not match its values")
        outputs.append(Output(item["dtype"], shape, values))
    for key in ("case", "target", "device"):
        if not isinstance(data[key], str):
            raise TypeError(f"{key} must be a string")
    for key in ("error_type", "error_message"):
        if data[key] is not None and not isinstance(data[key], str):
            raise TypeError(f"{key} must be a string or null")
    return Observation(
        case_id=data["case"],
        target=data["target"],
        device=data["device"],
        status=Status(data["status"]),
        outputs=tuple(outputs),
        error_type=data["error_type"],
        error_message=data["error_message"],
        seconds=float(data["seconds"]),
    )


# --- files ---------------------------------------------------------------------------------------


@dataclass
class PartialFile:
    """What a partial-results file holds: its header (None if unreadable) and its observations."""

    header: dict[str, Any] | None
    observations: list[Observation] = field(default_factory=list)
    dropped: int = 0  # damaged or torn lines, skipped


def read_partial(path: Path) -> PartialFile | None:
    """Read one spec's partial results; None when the file does not exist."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ApicompatError(f"cannot read the partial results in {path}: {exc.strerror or exc}") from None
    lines = data.splitlines(keepends=True)
    header = decode_line(lines[0]) if lines else None
    if header is None or header.get("format") != FORMAT_VERSION or not isinstance(header.get("run"), dict):
        return PartialFile(None, dropped=len(lines))
    found = PartialFile(header)
    for line in lines[1:]:
        payload = decode_line(line)
        try:
            if payload is None:
                raise ValueError("torn or damaged line")
            found.observations.append(decode_observation(payload))
        except (ValueError, TypeError, KeyError, zlib.error, OSError):
            found.dropped += 1
    return found


def read_header(path: Path) -> dict[str, Any] | None:
    """Only the header of a partial-results file (None when missing or unreadable)."""
    try:
        with path.open("rb") as f:
            header = decode_line(f.readline(1 << 20))
    except OSError:
        return None
    if header is None or header.get("format") != FORMAT_VERSION or not isinstance(header.get("run"), dict):
        return None
    return header


def spec_path(directory: Path, spec_id: str) -> Path | None:
    """The partial-results file of a spec, or None for an id that is not a safe file name."""
    return directory / f"{spec_id}.jsonl" if _SAFE_ID.match(spec_id) else None


class SpecRecorder:
    """Appends one spec's observations to its file; a context manager that syncs and closes it.

    The file is locked (POSIX `flock`) while open, so two runs writing into the same
    output directory cannot interleave their lines.
    """

    def __init__(self, path: Path, run: Mapping[str, Any], spec_id: str, keep: bool) -> None:
        self.path = path
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            _lock(self._fd, path)
            if keep:
                # Cut a torn last line, so the next line starts on a line of its own.
                data = os.pread(self._fd, os.fstat(self._fd).st_size, 0)
                os.ftruncate(self._fd, data.rfind(b"\n") + 1)
                os.lseek(self._fd, 0, os.SEEK_END)
            else:
                os.ftruncate(self._fd, 0)
                self._write(encode_line({"format": FORMAT_VERSION, "spec": spec_id, "run": dict(run)}))
            os.fsync(self._fd)
        except BaseException:
            os.close(self._fd)
            raise
        self._synced = time.monotonic()
        self.recorded = 0

    def record(self, observation: Observation) -> None:
        """Append one observation (called by the session as each case finishes)."""
        payload = encode_observation(observation)
        if payload is None:
            return
        self._write(encode_line(payload))
        self.recorded += 1
        now = time.monotonic()
        if now - self._synced >= SYNC_SECONDS:
            os.fsync(self._fd)
            self._synced = now

    def _write(self, line: bytes) -> None:
        try:
            view = memoryview(line)
            while view:
                view = view[os.write(self._fd, view) :]
        except OSError as exc:  # a full disk: say so, instead of a traceback from a worker thread
            raise ApicompatError(f"cannot write the partial results to {self.path}: {exc.strerror}") from None

    def close(self) -> None:
        """Sync and close the file (its lock goes with it)."""
        if self._fd < 0:
            return
        try:
            with contextlib.suppress(OSError):
                os.fsync(self._fd)
        finally:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> SpecRecorder:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _lock(fd: int, path: Path) -> None:
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock, as before
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise ApicompatError(
            f"another apicompat run is writing {path}; wait for it, or give this run another --out"
        ) from None


class Checkpoint:
    """The partial results of one command's run, in `directory` (created on first use)."""

    def __init__(self, directory: Path, resume: bool) -> None:
        self.directory = directory
        self.resume = resume

    def check_early(self, spec_id: str, current: Mapping[str, Any]) -> None:
        """With --resume, refuse before any worker starts if a spec's file is from another run."""
        path = spec_path(self.directory, spec_id)
        if self.resume and path is not None:
            self._check(spec_id, path, read_header(path), current)

    def _saved(self, spec_id: str, current: Mapping[str, Any]) -> PartialFile | None:
        path = spec_path(self.directory, spec_id)
        found = read_partial(path) if path is not None else None
        if path is None or found is None or not self._check(spec_id, path, found.header, current):
            return None
        return found

    @staticmethod
    def _check(spec_id: str, path: Path, header: dict[str, Any] | None, current: Mapping[str, Any]) -> bool:
        """Whether a header can be resumed from (False: unreadable); raises if it is another run's."""
        if header is None or header.get("spec") != spec_id:
            return False
        problem = mismatch(header["run"], current)
        if problem is not None:
            raise ApicompatError(
                f"cannot resume {spec_id}: its partial results in {path} {problem}; "
                "run the same command without --resume to start over"
            )
        return True

    def open_spec(
        self, spec_id: str, run: Mapping[str, Any], jobs: Iterable[JobKey], case_ids: Iterable[str]
    ) -> tuple[SpecRecorder | None, Kept]:
        """Start recording a spec: a recorder (None where no file can be written) and what was kept.

        Without --resume an earlier file of the spec is replaced; with it, the file's
        observations of these jobs and cases are returned, and new ones are appended.
        """
        path = spec_path(self.directory, spec_id)
        if path is None:
            return None, {}
        kept: Kept = {}
        saved = self._saved(spec_id, run) if self.resume else None
        if saved is not None:
            wanted_jobs, wanted_cases = set(jobs), set(case_ids)
            for obs in saved.observations:
                key = (obs.target, obs.device)
                if key in wanted_jobs and obs.case_id in wanted_cases:
                    kept.setdefault(key, {}).setdefault(obs.case_id, obs)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            recorder = SpecRecorder(path, run, spec_id, keep=saved is not None)
        except OSError as exc:
            # Not being able to keep partial results must not stop the run itself.
            print(
                f"apicompat: warning: cannot keep partial results in {self.directory} "
                f"({exc.strerror or exc}); an interrupted run will have to start over",
                file=sys.stderr,
            )
            return None, kept
        return recorder, kept

    def kept(self, spec_ids: Iterable[str]) -> int:
        """How many observations the files of these specs hold."""
        total = 0
        for spec_id in spec_ids:
            path = spec_path(self.directory, spec_id)
            with contextlib.suppress(ApicompatError):
                found = read_partial(path) if path is not None else None
                if found is not None and found.header is not None:
                    total += len(found.observations)
        return total

    def remove(self, spec_ids: Iterable[str]) -> None:
        """Delete these specs' files (their run finished), and the directory once it is empty."""
        for spec_id in spec_ids:
            path = spec_path(self.directory, spec_id)
            if path is not None:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
        with contextlib.suppress(OSError):  # not empty (another spec's partial results), or gone
            self.directory.rmdir()
