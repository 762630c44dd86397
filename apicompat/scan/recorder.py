"""The worker side of `apicompat scan`: run a user's script under torch's function mode and record its calls.

Only a torch worker imports this module (through `recorder_script`); torch is
reached with importlib, inside functions, so nothing here loads it at import.
The script's calls are recorded as names, counts and argument descriptions
(dtype and shape for a tensor, never its values), and printed as one JSON line
after MARKER, which `apicompat.scan.trace.parse_trace` reads back.
"""

from __future__ import annotations

import importlib
import json
import math
import os
import runpy
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: Marks the JSON line among whatever the user's script prints.
MARKER = "APICOMPAT-SCAN "

#: Distinct signatures kept per API (records.scan.MAX_SIGNATURES; repeated: the worker reads no records).
MAX_SIGNATURES = 16
#: Sequences longer than this are described by their type only (a list of 1000 ints is data, not a signature).
_MAX_ITEMS = 16
# Calls whose lowering is not recorded: autograd runs elsewhere, attribute reads dispatch nothing useful.
_NO_LOWERING = ("backward", "__get__", "__set__")


def recorder_script(path: str) -> str:
    """The code a torch worker runs to trace the script at `path` (an absolute path)."""
    return f"from apicompat.scan.recorder import main\nmain({path!r})\n"


def describe(value: Any, torch: Any, depth: int = 0) -> Any:
    """A JSON-able description of one argument: tensors by dtype and shape, plain values as they are."""
    if isinstance(value, torch.Tensor):
        return {"tensor": [str(value.dtype).removeprefix("torch."), list(value.shape)]}
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"float": repr(value)}
    if isinstance(value, torch.dtype):
        return {"dtype": str(value).removeprefix("torch.")}
    if isinstance(value, (tuple, list, torch.Size)) and depth < 3 and len(value) <= _MAX_ITEMS:
        return {"seq": [describe(v, torch, depth + 1) for v in value]}
    return {"other": type(value).__name__}


class _Record:
    """Counts and distinct signatures of one API."""

    def __init__(self) -> None:
        self.calls = 0
        self.in_forward = 0
        self.signatures: dict[str, list[Any]] = {}  # JSON key -> [description, count]
        self.lowers_to: set[str] = set()

    def add(self, signature: dict[str, Any], forward: bool) -> None:
        self.calls += 1
        self.in_forward += forward
        key = json.dumps(signature, sort_keys=True)
        entry = self.signatures.get(key)
        if entry is not None:
            entry[1] += 1
        elif len(self.signatures) < MAX_SIGNATURES:
            self.signatures[key] = [signature, 1]

    def as_json(self, name: str) -> dict[str, Any]:
        ranked = sorted(self.signatures.values(), key=lambda e: -int(e[1]))  # stable: first seen first
        return {
            "name": name,
            "calls": self.calls,
            "in_forward": self.in_forward,
            "signatures": [{**sig, "count": count} for sig, count in ranked],
            "lowers_to": sorted(self.lowers_to),
        }


def api_name(func: Any, overrides: Any) -> str:
    """The public name of a traced callable: `torch.nn.functional.conv2d`, `torch.Tensor.add`."""
    name = overrides.resolve_name(func)
    if name:
        return str(name)
    qualname = getattr(func, "__qualname__", None) or getattr(func, "__name__", None) or type(func).__name__
    module = getattr(func, "__module__", None) or "torch"
    return f"{module}.{qualname}" if not str(qualname).startswith(module) else str(qualname)


def _tracer(torch: Any) -> tuple[Any, dict[str, _Record], list[Any]]:
    """A TorchFunctionMode that records into the returned dict (and the forward hooks it counts with)."""
    overrides = importlib.import_module("torch.overrides")
    dispatch = importlib.import_module("torch.utils._python_dispatch")
    modules = importlib.import_module("torch.nn.modules.module")
    records: dict[str, _Record] = {}
    depth = [0]

    def enter(module: Any, args: Any) -> None:
        depth[0] += 1

    def leave(module: Any, args: Any, output: Any) -> None:
        depth[0] = max(0, depth[0] - 1)

    hooks = [
        modules.register_module_forward_pre_hook(enter),
        modules.register_module_forward_hook(leave, always_call=True),
    ]

    class Lowering(dispatch.TorchDispatchMode):  # type: ignore[misc,name-defined]
        """Names the ATen operators a call dispatches to."""

        def __init__(self) -> None:
            super().__init__()
            self.ops: set[str] = set()

        def __torch_dispatch__(self, func: Any, types: Any, args: Any = (), kwargs: Any = None) -> Any:
            self.ops.add(str(func.overloadpacket))
            return func(*args, **(kwargs or {}))

    class Recorder(overrides.TorchFunctionMode):  # type: ignore[misc,name-defined]
        """Records each public torch call made while it is active (nested calls run untraced)."""

        def __torch_function__(self, func: Any, types: Any, args: Any = (), kwargs: Any = None) -> Any:
            kwargs = kwargs or {}
            name = api_name(func, overrides)
            signature = {
                "positional": [describe(a, torch) for a in args],
                "keywords": [[k, describe(v, torch)] for k, v in kwargs.items()],
            }
            record = records.setdefault(name, _Record())
            record.add(signature, depth[0] > 0)
            if any(part in name for part in _NO_LOWERING):
                return func(*args, **kwargs)
            lowering = Lowering()
            with lowering:
                result = func(*args, **kwargs)
            record.lowers_to |= lowering.ops
            return result

    return Recorder(), records, hooks


@contextmanager
def _as_main(path: str) -> Iterator[None]:
    """sys.argv and sys.path as `python SCRIPT` would set them; restored afterwards."""
    argv, syspath = sys.argv, list(sys.path)
    sys.argv = [path]
    sys.path.insert(0, os.path.dirname(path))
    try:
        yield
    finally:
        sys.argv, sys.path[:] = argv, syspath


def user_traceback(exc: BaseException, path: str) -> str:
    """The exception's traceback, keeping only the frames in the user's script (not apicompat's)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if os.path.abspath(f.filename) == path]
    lines = ["Traceback (most recent call last):\n", *traceback.format_list(frames)] if frames else []
    lines += traceback.format_exception_only(type(exc), exc)
    return "".join(lines).rstrip("\n")


def main(path: str) -> None:
    """Run the script at `path` under the recorder and print the trace after MARKER."""
    torch = importlib.import_module("torch")
    recorder, records, hooks = _tracer(torch)
    error = None
    try:
        with _as_main(path), recorder:
            runpy.run_path(path, run_name="__main__")
    except SystemExit as exc:
        if exc.code not in (None, 0):
            error = f"the script exited with status {exc.code!r}"
    except BaseException as exc:  # the script's own error, reported as the user's
        error = user_traceback(exc, path)
    finally:
        for hook in hooks:  # the worker runs other scripts next (reproducers, with --measure)
            hook.remove()
    data = {
        "torch_version": str(torch.__version__),
        "apis": [record.as_json(name) for name, record in records.items()],
        "error": error,
    }
    print(MARKER + json.dumps(data))
