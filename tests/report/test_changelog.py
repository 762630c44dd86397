"""The changelog engine: what appeared, disappeared or changed between two lists of SpecResult."""

from __future__ import annotations

import dataclasses
import json

from apicompat.records import (
    Difference,
    DiffKind,
    ParamInfo,
    ParamRow,
    Severity,
    SignatureInfo,
    SpecResult,
    TargetResult,
    Verdict,
    VerdictKind,
)
from apicompat.report.changelog import Change, ParamChange, changelog, signature_changes
from apicompat.report.changelog_page import render_changelog, render_changelog_json


def _sig(api: str, *params: tuple[str, str | None], keyword_only: tuple[str, ...] = ()) -> SignatureInfo:
    infos = tuple(
        ParamInfo(name, "KEYWORD_ONLY" if name in keyword_only else "POSITIONAL_OR_KEYWORD", default)
        for name, default in params
    )
    text = f"{api}({', '.join(n if d is None else f'{n}={d}' for n, d in params)})"
    return SignatureInfo(api, infos, "inspect", text)


def _diff(kind: DiffKind, subject: str, severity: Severity, cases: int = 3, summary: str = "") -> Difference:
    return Difference(
        kind, summary or f"{kind.value} on {subject}", subject, severity=severity, case_count=cases
    )


def _target(
    *diffs: Difference, sig: SignatureInfo | None = None, verdict: str | None = None, api: str = "ms.op"
) -> TargetResult:
    v = Verdict(VerdictKind.DIFFERS, verdict) if verdict else None
    return TargetResult(api, "mindspore", sig, tuple(diffs), verdict=v)


def _result(*targets: TargetResult, spec: str = "op", versions: dict[str, str] | None = None) -> SpecResult:
    return SpecResult(
        spec, spec, "", "torch.op", None, versions or {"mindspore": "2.10.0"}, ("cpu",), (), 0, 10, targets
    )


def test_identical_sets_have_no_changes() -> None:
    result = _result(_target(_diff(DiffKind.OUTPUT_DTYPE, "int8", Severity.SILENT)))
    log = changelog([result], [result])
    assert not log.changed and log.targets == () and log.compared == 1
    assert "1 spec compared: no changes." in render_changelog(log)


def test_new_silent_differences_come_first_and_disappeared_ones_last() -> None:
    old = _result(
        _target(_diff(DiffKind.ERROR_BEHAVIOR, "message", Severity.MINOR)),
        _target(_diff(DiffKind.INPUT_DTYPE_SUPPORT, "uint16", Severity.LOUD), api="ms.b"),
    )
    new = _result(
        _target(_diff(DiffKind.PARAM_NAME, "dim", Severity.INTERFACE)),
        _target(_diff(DiffKind.VALUE_MISMATCH, "int8 overflow", Severity.SILENT), api="ms.b"),
    )
    log = changelog([old], [new])
    order = [(t.api, d.change, d.severity) for t in log.targets for d in t.differences]
    assert order == [
        ("ms.b", Change.APPEARED, Severity.SILENT),
        ("ms.b", Change.DISAPPEARED, Severity.LOUD),
        ("ms.op", Change.APPEARED, Severity.INTERFACE),
        ("ms.op", Change.DISAPPEARED, Severity.MINOR),
    ]
    assert log.counts == {
        "appeared interface": 1,
        "appeared silent": 1,
        "disappeared loud": 1,
        "disappeared minor": 1,
    }
    page = render_changelog(log)
    assert page.index("ms.b") < page.index("ms.op")
    assert "1 appeared silent" in page.splitlines()[4]


def test_a_difference_matched_by_kind_and_subject_reports_what_changed() -> None:
    old = _result(_target(_diff(DiffKind.OUTPUT_DTYPE, "int8", Severity.LOUD, cases=4)))
    new = _result(_target(_diff(DiffKind.OUTPUT_DTYPE, "int8", Severity.SILENT, cases=9)))
    (entry,) = changelog([old], [new]).targets[0].differences
    assert entry.change is Change.CHANGED
    assert entry.fields == ("severity", "cases")
    assert (entry.old_severity, entry.severity, entry.old_cases, entry.new_cases) == (
        Severity.LOUD,
        Severity.SILENT,
        4,
        9,
    )
    row = next(line for line in render_changelog(changelog([old], [new])).splitlines() if "output" in line)
    assert "changed (severity, cases)" in row and "loud → silent" in row and "4 → 9" in row


def test_verdict_changes_are_reported() -> None:
    old = _result(_target(verdict="Differs: int8 sums wrap around"))
    new = _result(_target(verdict="Consistent"))
    (target,) = changelog([old], [new]).targets
    assert target.verdict is not None and (target.verdict.old, target.verdict.new) == (
        "Differs: int8 sums wrap around",
        "Consistent",
    )


def test_signature_changes_added_removed_renamed_defaults() -> None:
    old = _target(
        sig=_sig(
            "ms.op", ("x", None), ("axis", "0"), ("keepdims", "False"), ("out", "None"), keyword_only=("out",)
        )
    )
    new = _target(sig=_sig("ms.op", ("x", None), ("dim", "0"), ("keepdims", "True"), ("dtype", "None")))
    changes = {(c.change, c.param, c.old, c.new) for c in signature_changes(old, new)}
    assert changes == {
        (ParamChange.RENAMED, "axis", "axis", "dim"),
        (ParamChange.DEFAULT, "keepdims", "False", "True"),
        (ParamChange.REMOVED, "out", "out", None),
        (ParamChange.ADDED, "dtype", None, "dtype"),
    }


def test_a_rename_follows_the_spec_parameter_rows_over_positions() -> None:
    old = dataclasses.replace(
        _target(sig=_sig("ms.op", ("a", None), ("b", None))),
        param_rows=(ParamRow("input", "input", "b", ""),),
    )
    new = dataclasses.replace(
        _target(sig=_sig("ms.op", ("c", None), ("a", None))),
        param_rows=(ParamRow("input", "input", "c", ""),),
    )
    changes = {(c.change, c.old, c.new) for c in signature_changes(old, new)}
    assert (ParamChange.RENAMED, "b", "c") in changes


def test_targets_and_specs_that_appear_or_vanish() -> None:
    old = [_result(_target(), _target(api="ms.gone")), _result(spec="removed")]
    new = [_result(_target(), _target(api="ms.new")), _result(spec="added")]
    log = changelog(old, new)
    assert log.specs_added == ("added",) and log.specs_removed == ("removed",)
    assert [(t.api, t.change) for t in log.targets] == [
        ("ms.gone", Change.DISAPPEARED),
        ("ms.new", Change.APPEARED),
    ]


def test_framework_versions_are_listed_and_alone_are_no_change() -> None:
    old = _result(versions={"mindspore": "2.9.0", "torch": "2.13.0"})
    new = _result(versions={"mindspore": "2.10.0", "torch": "2.13.0"})
    log = changelog([old], [new], "r2.9", "r2.10")
    assert not log.changed
    page = render_changelog(log)
    assert page.startswith("# Changes from r2.9 to r2.10\n")
    assert "mindspore 2.9.0 → 2.10.0; torch 2.13.0 (unchanged)." in page


def test_json_changelog_is_plain_sorted_data() -> None:
    old = _result(_target(_diff(DiffKind.OUTPUT_DTYPE, "int8", Severity.SILENT)))
    new = _result(_target())
    text = render_changelog_json(changelog([old], [new]))
    data = json.loads(text)
    assert data["format"] == "apicompat-changelog" and data["changed"] is True
    (entry,) = data["targets"][0]["differences"]
    assert entry["change"] == "disappeared" and entry["kind"] == "output_dtype" and entry["old_cases"] == 3
    assert text == render_changelog_json(changelog([old], [new]))  # deterministic


def test_a_summary_that_differs_only_in_its_numbers_is_a_count_change() -> None:
    old = _result(_target(_diff(DiffKind.ERROR_BEHAVIOR, "t", Severity.MINOR, 8, "raises (8 case(s))")))
    new = _result(_target(_diff(DiffKind.ERROR_BEHAVIOR, "t", Severity.MINOR, 2, "raises (2 case(s))")))
    (entry,) = changelog([old], [new]).targets[0].differences
    assert entry.fields == ("cases",)
    row = next(line for line in render_changelog(changelog([old], [new])).splitlines() if "raises" in line)
    assert row.endswith("| 8 → 2 | raises (2 case(s)) |")


def test_a_different_seed_is_noted() -> None:
    old = _result()
    new = dataclasses.replace(old, seed=7)
    log = changelog([old], [new])
    assert log.notes == (
        "The seed differs (0 → 7): other cases ran, so some changes may come from the cases rather than "
        "the frameworks.",
    )
    assert log.notes[0] in render_changelog(log)
    assert changelog([old], [old]).notes == ()


def test_source_signature_changes_are_reported_per_spec() -> None:
    old = dataclasses.replace(_result(), source_signature=_sig("torch.op", ("input", None), ("dim", "None")))
    new = dataclasses.replace(_result(), source_signature=_sig("torch.op", ("input", None), ("dim", "0")))
    log = changelog([old], [new])
    assert log.changed and log.targets == ()
    (source,) = log.sources
    assert [(c.change, c.param, c.old, c.new) for c in source.signature] == [
        (ParamChange.DEFAULT, "dim", "None", "0")
    ]
    assert "## torch.op (source of op)" in render_changelog(log)
