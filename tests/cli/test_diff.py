"""`apicompat diff OLD NEW`: exit 0 and "no changes" on identical sets, 1 with a changelog, 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apicompat.cli import main
from apicompat.records import Difference, DiffKind, Severity, SpecResult, TargetResult
from apicompat.report import write_reports


def _result(*diffs: Difference, version: str = "2.10.0", spec: str = "op") -> SpecResult:
    target = TargetResult("mindspore.ops.op", "mindspore", None, tuple(diffs))
    return SpecResult(
        spec, spec, "", "torch.op", None, {"mindspore": version}, ("cpu",), (), 0, 20, (target,)
    )


def _write(directory: Path, *results: SpecResult) -> Path:
    for result in results:
        write_reports(result, directory)
    (directory / "baseline.json").write_text('{"accepted": []}\n', encoding="utf-8")  # not a report: skipped
    return directory


WRAP = Difference(
    DiffKind.VALUE_MISMATCH, "int8 sums wrap around", "int8 overflow", severity=Severity.SILENT, case_count=5
)
MESSAGE = Difference(
    DiffKind.ERROR_BEHAVIOR, "other message", "message", severity=Severity.MINOR, case_count=2
)


def test_identical_sets_exit_0_and_say_no_changes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = _write(tmp_path / "old", _result(WRAP))
    new = _write(tmp_path / "new", _result(WRAP))
    assert main(["diff", str(old), str(new)]) == 0
    out = capsys.readouterr().out
    assert out.rstrip().endswith("no changes") and "1 spec compared: no changes." in out


def test_a_change_exits_1_with_the_changelog(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = _write(tmp_path / "old", _result(MESSAGE, version="2.9.0"))
    new = _write(tmp_path / "new", _result(WRAP, MESSAGE, version="2.10.0"))
    md, js = tmp_path / "changes.md", tmp_path / "changes.json"
    assert main(["diff", str(old), str(new), "--out", str(md), "--json", str(js)]) == 1
    assert "1 appeared silent" in capsys.readouterr().out
    page = md.read_text(encoding="utf-8")
    assert "mindspore 2.9.0 → 2.10.0" in page
    row = next(line for line in page.splitlines() if "int8 sums wrap around" in line)
    assert row.startswith("| appeared | silent | value_mismatch |") and "- → 5" in row
    data = json.loads(js.read_text(encoding="utf-8"))
    assert [d["change"] for d in data["targets"][0]["differences"]] == ["appeared"]


def test_a_missing_directory_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = _write(tmp_path / "new", _result())
    assert main(["diff", str(tmp_path / "nope"), str(new)]) == 2
    err = capsys.readouterr().err
    assert "nope: no such file or directory" in err and "Traceback" not in err


def test_a_directory_without_reports_is_not_a_report_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "baseline.json").write_text("{}", encoding="utf-8")
    assert main(["diff", str(empty), str(_write(tmp_path / "new", _result()))]) == 2
    assert "empty: not a report set: no apicompat JSON reports" in capsys.readouterr().err


def test_another_format_version_names_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = _write(tmp_path / "old", _result())
    data = json.loads((old / "op.json").read_text(encoding="utf-8"))
    data["format_version"] = 1
    (old / "op.json").write_text(json.dumps(data), encoding="utf-8")
    assert main(["diff", str(old), str(_write(tmp_path / "new", _result()))]) == 2
    err = capsys.readouterr().err
    assert f"{old / 'op.json'}: report format 1 is not supported (this apicompat reads 2)" in err


def test_a_spec_reported_twice_in_one_set_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = _write(tmp_path / "old", _result())
    (old / "copy.json").write_text((old / "op.json").read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["diff", str(old), str(_write(tmp_path / "new", _result()))]) == 2
    assert "spec 'op' is also reported in" in capsys.readouterr().err
