"""Read a JSON report back into the SpecResult it was written from (the inverse of `report_dict`).

`apicompat merge` re-renders pages from shard JSON with it, so
`render_json(load_result(text)) == text` holds byte for byte.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from apicompat.records import (
    ApicompatError,
    Difference,
    DiffKind,
    DtypeOutcome,
    Evidence,
    Example,
    Faults,
    Overload,
    ParamEvidence,
    ParamInfo,
    ParamRow,
    Reproducer,
    Severity,
    SignatureInfo,
    SpecResult,
    TargetResult,
    Verdict,
    VerdictKind,
    VersionRun,
)
from apicompat.report.json_report import FORMAT_VERSION


def is_report(data: object) -> bool:
    """Whether JSON data claims to be an apicompat report (other JSON, such as a baseline, does not)."""
    return isinstance(data, Mapping) and "format_version" in data and "spec" in data and "targets" in data


def read_report(path: str | Path) -> Any:
    """The JSON data of a report file; raises ApicompatError naming the file."""
    path = Path(path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ApicompatError(f"{path}: cannot read the report: {exc}") from None
    except json.JSONDecodeError as exc:
        raise ApicompatError(f"{path}:{exc.lineno}: the report is not valid JSON: {exc.msg}") from None


def load_result(source: str | Path | Mapping[str, Any], name: str | None = None) -> SpecResult:
    """A SpecResult from a report file or its parsed JSON; raises ApicompatError when it is not one."""
    if isinstance(source, Mapping):
        data, where = source, name or "<report>"
    else:
        data, where = read_report(source), name or str(source)
    if not is_report(data):
        raise ApicompatError(f"{where}: not an apicompat report (no format_version, spec and targets)")
    if data["format_version"] != FORMAT_VERSION:
        raise ApicompatError(
            f"{where}: report format {data['format_version']!r} is not supported "
            f"(this apicompat reads {FORMAT_VERSION})"
        )
    try:
        return _result(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        detail = f"missing key {exc}" if isinstance(exc, KeyError) else str(exc)
        raise ApicompatError(f"{where}: not a valid apicompat report: {detail}") from None


def _result(data: Mapping[str, Any]) -> SpecResult:
    return SpecResult(
        spec_id=_str(data["spec"]),
        title=_str(data["title"]),
        summary=_str(data["summary"]),
        source=_str(data["source"]),
        source_signature=_signature(data["source_signature"]),
        versions={_str(k): _str(v) for k, v in data["versions"].items()},
        devices=tuple(_str(d) for d in data["devices"]),
        unavailable_devices=tuple(_str(d) for d in data["unavailable_devices"]),
        seed=_int(data["seed"]),
        cases=_int(data["cases"]),
        targets=tuple(_target(t, _str(data["spec"])) for t in data["targets"]),
        reference_deviations={_str(k): _int(v) for k, v in data["reference_deviations"].items()},
        faults=Faults(
            retried=_int(data["faults"]["retried"]),
            reasons=tuple((_str(k), _int(v)) for k, v in data["faults"]["reasons"].items()),
        ),
        other_versions=tuple(_version_run(v, _str(data["spec"])) for v in data["other_versions"]),
    )


def _version_run(data: Mapping[str, Any], spec_id: str) -> VersionRun:
    return VersionRun(
        framework=_str(data["framework"]),
        version=_str(data["version"]),
        versions={_str(k): _str(v) for k, v in data["versions"].items()},
        cases=_int(data["cases"]),
        targets=tuple(_target(t, spec_id) for t in data["targets"]),
        unavailable_devices=tuple(_str(d) for d in data["unavailable_devices"]),
        source_signature=_signature(data["source_signature"]),
    )


def _target(data: Mapping[str, Any], spec_id: str) -> TargetResult:
    api = _str(data["api"])
    return TargetResult(
        api=api,
        source=_opt(data.get("source")),
        framework=_str(data["framework"]),
        signature=_signature(data["signature"]),
        differences=tuple(_difference(d, spec_id, api) for d in data["differences"]),
        param_rows=tuple(
            ParamRow(
                _str(p["canonical"]),
                _opt(p["source"]),
                _opt(p["target"]),
                _str(p["note"]),
                _str(p["checked"]),
            )
            for p in data["parameters"]
        ),
        examples=tuple(_example(e) for e in data["examples"]),
        drift=tuple(_str(d) for d in data["drift"]),
        verdict=_verdict(data["verdict"]),
        evidence=_evidence(data["evidence"]),
        same_as=_opt(data["same_as"]),
    )


def _verdict(data: Mapping[str, Any] | None) -> Verdict | None:
    if data is None:
        return None
    severity = None if data["severity"] is None else Severity(data["severity"])
    return Verdict(VerdictKind(data["kind"]), _str(data["text"]), severity)


def _evidence(data: Mapping[str, Any] | None) -> Evidence | None:
    if data is None:
        return None
    counts = ("compared", "both_raised", "only_source_raised", "only_target_raised", "not_run")
    return Evidence(
        **{name: _int(data[name]) for name in counts},
        params=tuple(
            ParamEvidence(_str(p["name"]), tuple(_str(v) for v in p["values"])) for p in data["params"]
        ),
        unexercised=tuple(_str(u) for u in data["unexercised"]),
        dtypes=tuple(
            DtypeOutcome(_str(d.pop("dtype")), **{k: _int(v) for k, v in d.items()})
            for d in (dict(x) for x in data["dtypes"])
        ),
    )


def _difference(data: Mapping[str, Any], spec_id: str, target: str) -> Difference:
    details = data["details"]
    if not isinstance(details, Mapping):
        raise TypeError(f"details must be an object, got {type(details).__name__}")
    diff = Difference(
        kind=DiffKind(data["kind"]),
        summary=_str(data["summary"]),
        subject=_str(data["subject"]),
        source_param=_opt(data["source_param"]),
        target_param=_opt(data["target_param"]),
        dtypes=tuple(_str(d) for d in data["dtypes"]),
        cases=tuple(_str(c) for c in data["cases"]),
        labels=tuple(_str(c) for c in data["labels"]),
        device=_opt(data["device"]),
        reproducer=_reproducer(data["reproducer"]),
        accepted=_opt(data["accepted"]),
        severity=Severity(data["severity"]),
        explained_by=_opt(data["explained_by"]),
        case_count=_int(data["case_count"]),
        details=dict(details),
    )
    # The key is derived; a mismatch means the file was edited or the key's format changed.
    if data["key"] != diff.key(spec_id, target):
        raise ValueError(f"difference key {data['key']!r} does not match {diff.key(spec_id, target)!r}")
    return diff


def _signature(data: Mapping[str, Any] | None) -> SignatureInfo | None:
    if data is None:
        return None
    overloads = tuple(
        Overload(_str(o["text"]), _params(o["params"]), _str(o["origin"]), bool(o["covered"]))
        for o in data.get("overloads", [])
    )
    return SignatureInfo(
        api=_str(data["api"]),
        params=_params(data["params"]),
        origin=_str(data["origin"]),
        text=_str(data["text"]),
        overloads=overloads,
    )


def _params(data: Any) -> tuple[ParamInfo, ...]:
    return tuple(ParamInfo(_str(p["name"]), _str(p["kind"]), _opt(p["default"])) for p in data)


def _reproducer(data: Mapping[str, Any] | None) -> Reproducer | None:
    return None if data is None else Reproducer(**_texts(Reproducer, data))


def _example(data: Mapping[str, Any]) -> Example:
    return Example(**_texts(Example, data))


def _texts(record: type[Reproducer] | type[Example], data: Mapping[str, Any]) -> dict[str, Any]:
    """The text fields of a record whose JSON keys are its field names; a field that defaults to
    None may be null."""
    return {f.name: (_opt if f.default is None else _str)(data[f.name]) for f in dataclasses.fields(record)}


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {json.dumps(value)[:60]}")
    return value


def _opt(value: Any) -> str | None:
    return None if value is None else _str(value)


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"expected an integer, got {json.dumps(value)[:60]}")
    return value
