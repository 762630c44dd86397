"""The main-process side of tracing: what the recorder printed, as a Trace (or the script's own error)."""

from __future__ import annotations

import json
from typing import Any

from apicompat.records import ApicompatError
from apicompat.records.scan import (
    ApiCategory,
    ApiUse,
    ArgSeen,
    CallSeen,
    DtypeSeen,
    OtherSeen,
    TensorSeen,
    Trace,
)
from apicompat.scan.names import categorize
from apicompat.scan.recorder import MARKER

_FUNCTIONAL = "torch.nn.functional."


class ScriptFailed(ApicompatError):
    """The user's script raised (or timed out): its message, not apicompat's."""


def parse_trace(script: str, stdout: str, error: str | None) -> Trace:
    """The Trace the recorder printed; ScriptFailed when the script (or its worker) did not finish."""
    line = next((ln for ln in reversed(stdout.splitlines()) if ln.startswith(MARKER)), None)
    if line is None:
        raise ScriptFailed(_lost_message(script, error))
    data = json.loads(line[len(MARKER) :])
    if data.get("error"):
        raise ScriptFailed(f"{script} raised an error (exit 2); its traceback:\n{data['error']}")
    apis = tuple(_use(raw) for raw in data["apis"])
    return Trace(script=script, apis=apis, torch_version=str(data["torch_version"]))


def _lost_message(script: str, error: str | None) -> str:
    """Why no trace came back: a timeout, a crash, or torch missing in the worker."""
    if error and error.startswith("Timeout"):
        return (
            f"{script} did not finish within the time allowed and was stopped "
            "(pass --timeout S to allow it longer, or make the script run fewer steps)"
        )
    why = error.splitlines()[0] if error else "it printed no trace"
    return f"could not trace {script}: {why}"


def _use(raw: dict[str, Any]) -> ApiUse:
    name = str(raw["name"])
    signatures = tuple(
        CallSeen(
            positional=tuple(seen(v) for v in sig["positional"]),
            keywords=tuple((str(k), seen(v)) for k, v in sig["keywords"]),
            count=int(sig["count"]),
        )
        for sig in raw["signatures"]
    )
    category = categorize(name)
    if category is ApiCategory.RANDOM and not raw["in_forward"] and not name.startswith(_FUNCTIONAL):
        category = ApiCategory.CREATION  # torch.randn outside any forward makes an input: setup, not compute
    return ApiUse(
        name=name,
        category=category,
        calls=int(raw["calls"]),
        in_forward=int(raw["in_forward"]),
        signatures=signatures,
        lowers_to=tuple(str(op) for op in raw["lowers_to"]),
    )


def seen(value: Any) -> ArgSeen:
    """One recorded argument description, as a record."""
    if isinstance(value, dict):
        if "tensor" in value:
            dtype, shape = value["tensor"]
            return TensorSeen(str(dtype), tuple(int(d) for d in shape))
        if "seq" in value:
            return tuple(seen(v) for v in value["seq"])
        if "dtype" in value:
            return DtypeSeen(str(value["dtype"]))
        if "float" in value:
            return float(value["float"])
        return OtherSeen(str(value.get("other", "object")))
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return OtherSeen(type(value).__name__)
