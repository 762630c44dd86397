"""The JSON report: a stable, schema-checked dump of one SpecResult (see docs/report-format.md)."""

from __future__ import annotations

import dataclasses
import enum
import json
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from apicompat.records import (
    Difference,
    Evidence,
    Example,
    ParamInfo,
    Reproducer,
    SignatureInfo,
    SpecResult,
    TargetResult,
    Verdict,
    VersionRun,
)
from apicompat.report.changelog import version_changelog

#: Bumped whenever a key is added, removed or changes meaning.
FORMAT_VERSION = 2

#: The JSON Schema (draft 2020-12) every report validates against.
SCHEMA_PATH = Path(__file__).with_name("report.schema.json")

# Default reprs of arbitrary objects hold memory addresses, which change per run.
_ADDRESS = re.compile(r" at 0x[0-9A-Fa-f]+")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def to_jsonable(value: Any) -> Any:
    """Plain JSON data from `value`: NumPy scalars and arrays, tuples, sets, enums, dataclasses."""
    if value is None or isinstance(value, bool):
        return value
    # Enums first: str Enums (DiffKind) are also str, and their JSON form is the value.
    if isinstance(value, enum.Enum):
        return to_jsonable(value.value)
    # Subclasses (np.float64 is a float, np.str_ a str) become the plain built-in type.
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return _float(float(value))
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", str(value))
    if isinstance(value, Mapping):
        return {_key(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        items = [to_jsonable(v) for v in value]
        # Sets have no order; sort by their JSON text so every run agrees.
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", errors="replace")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    numpy_value = _from_numpy(value)
    if numpy_value is not _NOT_NUMPY:
        return numpy_value
    if isinstance(value, complex):
        return {"real": _float(value.real), "imag": _float(value.imag)}
    # Last resort for odd objects in `details`: a repr without memory addresses.
    return _ADDRESS.sub(" at 0x…", repr(value))


_NOT_NUMPY = object()


def _from_numpy(value: Any) -> Any:
    """Convert NumPy scalars, arrays and dtypes without importing NumPy when it is absent."""
    module = type(value).__module__
    if not module.startswith("numpy"):
        return _NOT_NUMPY
    if hasattr(value, "tolist") and hasattr(value, "dtype"):  # ndarray and numpy scalars
        return to_jsonable(value.tolist())
    if hasattr(value, "name") and hasattr(value, "kind"):  # np.dtype
        return str(value.name)
    return _NOT_NUMPY


def _float(value: float) -> float | str:
    """JSON has no NaN or infinity: those become the strings "nan", "inf", "-inf"."""
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value


def _key(key: Any) -> str:
    """Object keys must be strings; other keys become their JSON text."""
    if isinstance(key, str):
        return _SURROGATE.sub("\ufffd", key)
    converted = to_jsonable(key)
    return converted if isinstance(converted, str) else json.dumps(converted, sort_keys=True)


def _signature(sig: SignatureInfo | None) -> dict[str, Any] | None:
    if sig is None:
        return None
    return {
        "api": sig.api,
        "origin": sig.origin,
        "text": sig.text,
        "params": _params(sig.params),
        "overloads": [
            {"text": o.text, "origin": o.origin, "covered": o.covered, "params": _params(o.params)}
            for o in sig.overloads
        ],
    }


def _params(params: tuple[ParamInfo, ...]) -> list[dict[str, Any]]:
    return [{"name": p.name, "kind": p.kind, "default": p.default} for p in params]


def _difference(diff: Difference, spec_id: str, target: str) -> dict[str, Any]:
    return {
        "key": diff.key(spec_id, target),
        "kind": diff.kind.value,
        "summary": diff.summary,
        "subject": diff.subject,
        "source_param": diff.source_param,
        "target_param": diff.target_param,
        "dtypes": list(diff.dtypes),
        "cases": list(diff.cases),
        "labels": list(diff.labels),
        "device": diff.device,
        "accepted": diff.accepted,
        "severity": diff.severity.value,
        "explained_by": diff.explained_by,
        "case_count": max(diff.case_count, len(diff.cases)),
        "reproducer": _fields(diff.reproducer),
        "details": to_jsonable(diff.details),
    }


def _verdict(verdict: Verdict | None) -> dict[str, Any] | None:
    if verdict is None:
        return None
    severity = verdict.severity.value if verdict.severity else None
    return {"kind": verdict.kind.value, "text": verdict.text, "severity": severity}


def _fields(record: Reproducer | Example | Evidence | None) -> dict[str, Any] | None:
    """A record whose JSON keys are its field names (report.schema.json pins them), or None."""
    converted: dict[str, Any] | None = to_jsonable(record)
    return converted


def _target(target: TargetResult, spec_id: str) -> dict[str, Any]:
    return {
        "api": target.api,
        "source": target.source,
        "framework": target.framework,
        "signature": _signature(target.signature),
        "consistent": not target.differences,
        "parameters": [
            {
                "canonical": row.canonical,
                "source": row.source,
                "target": row.target,
                "note": row.note,
                "checked": row.checked,
            }
            for row in target.param_rows
        ],
        "differences": [_difference(d, spec_id, target.api) for d in target.differences],
        "examples": [_fields(e) for e in target.examples],
        "drift": list(target.drift),
        "verdict": _verdict(target.verdict),
        "evidence": _fields(target.evidence),
        "same_as": target.same_as,
    }


def _version_run(run: VersionRun, result: SpecResult) -> dict[str, Any]:
    # `changes` is derived (the changelog from that version to the main run's), for readers of the
    # JSON; load_result recomputes rather than reads it.
    log = version_changelog(result, run)
    return {
        "framework": run.framework,
        "version": run.version,
        "versions": dict(run.versions),
        "cases": run.cases,
        "unavailable_devices": list(run.unavailable_devices),
        "source_signature": _signature(run.source_signature),
        "targets": [_target(t, result.spec_id) for t in run.targets],
        "changes": [to_jsonable(t) for t in log.targets],
    }


def report_dict(result: SpecResult) -> dict[str, Any]:
    """The JSON report as plain data: what `render_json` dumps."""
    data = {
        "format_version": FORMAT_VERSION,
        "spec": result.spec_id,
        "title": result.title,
        "summary": result.summary,
        "source": result.source,
        "source_signature": _signature(result.source_signature),
        "versions": dict(result.versions),
        "devices": list(result.devices),
        "unavailable_devices": list(result.unavailable_devices),
        "seed": result.seed,
        "cases": result.cases,
        "reference_deviations": dict(result.reference_deviations),
        "targets": [_target(t, result.spec_id) for t in result.targets],
        "faults": {"retried": result.faults.retried, "reasons": dict(result.faults.reasons)},
        "other_versions": [_version_run(run, result) for run in result.other_versions],
    }
    # One pass through the converter so every string is UTF-8-safe and every number plain.
    converted: dict[str, Any] = to_jsonable(data)
    return converted


def render_json(result: SpecResult) -> str:
    """The JSON report: sorted keys (lists keep their measured order), indent 2, trailing newline."""
    return (
        json.dumps(report_dict(result), sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    )
