"""`apicompat report --with fakefw==1.0` and `apicompat diff`: a fake framework in two versions that
differ in a renamed parameter, a default and a dtype rule, and exactly those three are reported."""

from __future__ import annotations

import json
import sysconfig
from pathlib import Path

import pytest
from versioned_frameworks import ADAPTERS, SPEC, build_wheel, write_package

from apicompat.cli import main
from apicompat.commands.running import ADAPTERS_ENV
from apicompat.execute import environments
from apicompat.execute.environments import ENVS_DIR_ENV, Requirement
from apicompat.report import SCHEMA_PATH
from apicompat.report.changelog import Change, ParamChange, version_changelog
from apicompat.report.load import load_result


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The spec, both adapters, and fakefw 1.0 in a cached environment (installed offline by pip)."""
    wheels = tmp_path / "wheels"
    build_wheel(wheels, "1.0")
    monkeypatch.setenv(ADAPTERS_ENV, ADAPTERS)
    monkeypatch.setenv(ENVS_DIR_ENV, str(tmp_path / "envs"))
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(wheels))
    monkeypatch.setattr(environments, "WORKER_REQUIREMENTS", ())
    env = environments.create(Requirement("fakefw", "1.0"), lambda _: None)
    # NumPy for the environment's worker: this interpreter's, after the environment's own packages.
    (env.site_packages / "numpy-from-tests.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    (tmp_path / "total.yaml").write_text(SPEC, encoding="utf-8")
    return tmp_path


def _report(tmp: Path, installed: str, out: str, *extra: str) -> int:
    """`apicompat report` with fakefw `installed` on the session's own path.

    fakefw 2.0 renamed `dim` to `axis`, which the spec (written for 1.0) maps: that is spec drift, so
    the runs pass --allow-drift, as a team measuring an upgrade would (without it, exit 2).
    """
    path = str(write_package(tmp / f"v{installed}", installed))
    with pytest.MonkeyPatch.context() as mp:
        mp.syspath_prepend(path)
        command = ["report", str(tmp / "total.yaml"), "--out", str(tmp / out), "--cases", "40"]
        return main([*command, "--allow-drift", *extra])


def _cause(kind: str, subject: str) -> str:
    """Which of the three changes between fakefw 1.0 and 2.0 a measured difference comes from."""
    if kind in ("param_name", "param_only_in_one") and ("axis" in subject or "dim" in subject):
        return "renamed parameter"
    if kind == "param_name" and subject.startswith("keyword:"):
        return "renamed parameter"  # the spec's keyword call of 1.0 no longer fits 2.0's names
    if (kind == "param_default" and subject == "keepdim") or kind == "shape_support":
        return "default"  # keepdim=True when omitted: other output shapes
    if kind == "special_values" and subject == "nan_inf":
        return "default"  # the special inputs' output shapes differ (keepdim), named as such
    if kind == "value_mismatch" and subject.startswith("empty_input"):
        return "default"  # the empty inputs' results differ in shape, for the same reason
    if (kind == "output_dtype" and "int32" in subject) or (
        kind == "special_values" and "overflow" in subject
    ):
        return "dtype rule"  # int32 sums stay int32, and overflow where int64 would not
    return f"unexplained: {kind} {subject}"


def _expected_signature(changes: object) -> None:
    assert changes == {
        (ParamChange.RENAMED, "dim", "axis"),
        (ParamChange.DEFAULT, "False", "True"),
    }


def test_report_with_an_older_version_measures_both_and_says_what_differs(
    setup: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _report(setup, "2.0", "out", "--with", "fakefw==1.0") == 0
    result = load_result(setup / "out" / "total.json")
    assert result.versions["fakefw"] == "2.0"
    (run,) = result.other_versions
    assert (run.framework, run.version, run.cases) == ("fakefw", "1.0", result.cases)
    log = version_changelog(result, run)
    (target,) = log.targets
    _expected_signature({(s.change, s.old, s.new) for s in target.signature})
    appeared = {(d.change, d.kind.value) for d in target.differences}
    assert all(change is Change.APPEARED for change, _ in appeared)  # 1.0 is consistent with the source
    causes = {_cause(d.kind.value, d.subject) for d in target.differences}
    assert causes == {"renamed parameter", "default", "dtype rule"}, causes
    page = (setup / "out" / "total.md").read_text(encoding="utf-8")
    section = page[page.index("## Changes between versions") :]
    assert "| fakefw.total | " in section and "### From fakefw 1.0 to fakefw 2.0" in section
    assert "parameter dim renamed to axis" in section and "default of keepdim: False → True" in section
    index = (setup / "out" / "index.md").read_text(encoding="utf-8")
    assert "Changed since fakefw 1.0" in index
    _valid(setup / "out" / "total.json")


def test_diff_of_two_versions_reports_the_same_changes(
    setup: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _report(setup, "1.0", "v1") == 0
    assert _report(setup, "2.0", "v2") == 0
    capsys.readouterr()
    assert main(["diff", str(setup / "v1"), str(setup / "v2"), "--json", str(setup / "log.json")]) == 1
    text = capsys.readouterr().out
    assert "fakefw 1.0 → 2.0" in text and "parameter dim renamed to axis" in text
    data = json.loads((setup / "log.json").read_text(encoding="utf-8"))
    (target,) = data["targets"]
    _expected_signature({(ParamChange(s["change"]), s["old"], s["new"]) for s in target["signature"]})
    causes = {_cause(d["kind"], d["subject"]) for d in target["differences"]}
    assert causes == {"renamed parameter", "default", "dtype rule"}, causes
    assert main(["diff", str(setup / "v2"), str(setup / "v2")]) == 0
    assert capsys.readouterr().out.rstrip().endswith("no changes")


def _valid(path: Path) -> None:
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), schema)
