"""The pytest plugin: spec files collected as items, judged against the baseline, xdist and JUnit.

A conftest in each test directory replaces the plugin's `measure_spec` with
hand-built results (it works in xdist workers too); the `frameworks` test runs
the shipped spec for real.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conformance_helpers import CUMSUM_DIFFS, result, spec_text
from junit_schema import junit_problems
from shipped_suite import ShippedRun

from apicompat.conformance import Baseline, save_baseline, updated_baseline
from apicompat.spec.loader import load_file

pytest_plugins = ["pytester"]

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]

CONFTEST = f"""
import sys
from pathlib import Path

sys.path.insert(0, {str(HERE)!r})

import apicompat.pytest_plugin as plugin
from apicompat.records import ApicompatError
from conformance_helpers import CUMSUM_DIFFS, result


def fake_measure(spec, state):
    root = Path(__file__).parent
    with open(root / "runs.log", "a") as log:
        log.write(spec.id + "\\n")
    if (root / "broken-run").exists():
        raise ApicompatError("mindspore is not available on cpu: install it")
    return result(spec.id, CUMSUM_DIFFS, targets=[t.api for t in spec.targets])


def pytest_configure(config):
    real = plugin.measure_spec
    plugin.measure_spec = fake_measure
    config.add_cleanup(lambda: setattr(plugin, "measure_spec", real))
"""

CUMSUM_ITEMS = [
    f"specs/cumsum.yaml::mindspore.ops.cumsum[{slot}]"
    for slot in (
        "any-param_name",
        "any-param_only_in_one",
        "any-param_default",
        "cpu-param_value_support",
        "cpu-input_dtype_support",
        "cpu-output_dtype",
        "cpu-output_structure",
        "cpu-shape_support",
        "cpu-value_mismatch",
        "cpu-precision",
        "cpu-ordering",
        "cpu-special_values",
        "cpu-error_behavior",
        "cpu-device_support",
    )
]


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """Two specs (cumsum, cumprod) under specs/, a matching baseline, and the fake run."""
    pytester.makeconftest(CONFTEST)
    specs = pytester.mkdir("specs")
    (specs / "cumsum.yaml").write_text(spec_text("cumsum"), encoding="utf-8")
    (specs / "cumprod.yaml").write_text(spec_text("cumprod", api="cumprod"), encoding="utf-8")
    results = [
        result("cumsum", CUMSUM_DIFFS, targets=["mindspore.ops.cumsum"]),
        result("cumprod", CUMSUM_DIFFS, targets=["mindspore.ops.cumprod"]),
    ]
    save_baseline(
        pytester.path / "reports" / "baseline.json", updated_baseline(Baseline(), results, ("cpu",))
    )
    return pytester


def edit_baseline(project: pytest.Pytester, drop: str | None = None, add: str | None = None) -> None:
    path = project.path / "reports" / "baseline.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["entries"] = [e for e in data["entries"] if e["key"] != drop]
    if add:
        data["entries"].append({"key": add, "summary": "fabricated"})
    path.write_text(json.dumps(data), encoding="utf-8")


def runs(project: pytest.Pytester) -> list[str]:
    log = project.path / "runs.log"
    return log.read_text(encoding="utf-8").split() if log.exists() else []


DROPPED = "cumsum::mindspore.ops.cumsum::output_dtype::int8->int64"


def test_importing_the_plugin_imports_no_numpy_and_no_framework() -> None:
    heavy = "{'numpy', 'torch', 'mindspore'}"
    code = f"import sys, apicompat.pytest_plugin; print(sorted({heavy} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_each_spec_is_collected_as_one_item_per_unit(project: pytest.Pytester) -> None:
    res = project.runpytest("--collect-only", "-q")
    lines = [line for line in res.outlines if "::" in line]
    assert lines == [line.replace("cumsum", "cumprod") for line in CUMSUM_ITEMS] + CUMSUM_ITEMS
    assert runs(project) == []  # collecting runs nothing


def test_only_spec_files_under_specs_or_named_explicitly_are_collected(project: pytest.Pytester) -> None:
    spec_like = spec_text("elsewhere", api="cummax")
    project.mkdir("data")
    (project.path / "data" / "elsewhere.yaml").write_text(spec_like, encoding="utf-8")
    (project.path / "data" / "other.yaml").write_text("a: 1\n", encoding="utf-8")
    cases = project.mkdir("cases")  # a hand-written case file: `apicompat:` but no `params:`
    (cases / "cumsum.yaml").write_text("apicompat: 1\nspec: cumsum\ncases: []\n", encoding="utf-8")
    (project.path / "specs" / "notes.yaml").write_text("title: not a spec\nparams: 1\n", encoding="utf-8")
    res = project.runpytest("--collect-only", "-q", ".")
    collected = {line.split("::")[0] for line in res.outlines if "::" in line}
    assert collected == {"specs/cumsum.yaml", "specs/cumprod.yaml"}
    res = project.runpytest("--collect-only", "-q", "data/elsewhere.yaml")
    assert sum("data/elsewhere.yaml::mindspore.ops.cummax[" in line for line in res.outlines) == 14


def test_a_matching_baseline_passes_running_each_spec_once(project: pytest.Pytester) -> None:
    res = project.runpytest("specs")
    res.assert_outcomes(passed=28)
    assert sorted(runs(project)) == ["cumprod", "cumsum"]


def test_k_selects_by_api(project: pytest.Pytester) -> None:
    res = project.runpytest("specs", "-k", "cumsum")
    res.assert_outcomes(passed=14, deselected=14)
    assert runs(project) == ["cumsum"]
    res = project.runpytest("specs", "-k", "output_dtype and not cumsum")
    res.assert_outcomes(passed=1, deselected=27)


def test_a_new_difference_fails_one_item_with_the_listing_not_a_traceback(project: pytest.Pytester) -> None:
    edit_baseline(project, drop=DROPPED)
    res = project.runpytest("specs")
    res.assert_outcomes(passed=27, failed=1)
    assert res.ret == pytest.ExitCode.TESTS_FAILED
    text = res.stdout.str()
    assert "FAILED specs/cumsum.yaml::mindspore.ops.cumsum[cpu-output_dtype]" in text
    assert f"NEW   {DROPPED} (cpu)" in text
    assert "reproducer:" in text and "# torch.int64" in text
    assert "Traceback" not in text and "def runtest" not in text and "ConformanceFailure" not in text


def test_stale_entries_fail_when_strict_and_warn_otherwise(project: pytest.Pytester) -> None:
    fabricated = "cumsum::mindspore.ops.cumsum::param_default::dim"
    edit_baseline(project, add=fabricated)
    res = project.runpytest("specs")
    res.assert_outcomes(passed=27, failed=1)
    res.stdout.fnmatch_lines([f"STALE {fabricated}"])
    res = project.runpytest("specs", "--apicompat-no-strict")
    res.assert_outcomes(passed=28, warnings=1)
    res.stdout.fnmatch_lines([f"*specs/cumsum.yaml:1: ApicompatStaleWarning: STALE {fabricated}"])


def test_options_choose_the_baseline_and_devices(project: pytest.Pytester) -> None:
    (project.path / "reports" / "baseline.json").rename(project.path / "accepted.json")
    res = project.runpytest("specs")
    res.assert_outcomes(errors=2)
    res.stdout.fnmatch_lines(["*reports/baseline.json: no baseline file*"])
    assert "Traceback" not in res.stdout.str()
    res = project.runpytest("specs", "--apicompat-baseline", "accepted.json", "--apicompat-device", "cpu,gpu")
    # the fake measured cpu only: gpu items are skipped, not passed
    res.assert_outcomes(passed=28, skipped=22)
    res = project.runpytest("specs", "--apicompat-device", "tpu")
    assert res.ret == pytest.ExitCode.USAGE_ERROR
    res.stderr.fnmatch_lines(["*--apicompat-device: unknown device tpu*"])
    res = project.runpytest("specs", "--apicompat-cases", "0")
    assert res.ret == pytest.ExitCode.USAGE_ERROR
    res.stderr.fnmatch_lines(["*--apicompat-cases: expected a whole number greater than 0, got '0'*"])
    res = project.runpytest("specs", "--apicompat-retries", "11")
    assert res.ret == pytest.ExitCode.USAGE_ERROR
    res.stderr.fnmatch_lines(["*--apicompat-retries: expected a whole number from 0 to 10, got '11'*"])
    res = project.runpytest("specs", "--apicompat-retries", "0")
    res.assert_outcomes(errors=2)  # accepted (the baseline is still missing)


def test_a_bad_spec_is_a_collection_error_with_its_location(project: pytest.Pytester) -> None:
    (project.path / "specs" / "bad.yaml").write_text("apicompat: 1\nid: bad\nparams: 3\n", encoding="utf-8")
    res = project.runpytest("specs")
    assert res.ret == pytest.ExitCode.INTERRUPTED
    res.stdout.fnmatch_lines(["*specs/bad.yaml*error*"])
    assert "Traceback" not in res.stdout.str()


def test_a_failed_run_fails_every_item_of_the_spec_once(project: pytest.Pytester) -> None:
    (project.path / "broken-run").touch()
    res = project.runpytest("specs/cumsum.yaml")
    res.assert_outcomes(failed=14)
    assert runs(project) == ["cumsum"]
    assert res.stdout.str().count("mindspore is not available on cpu: install it") >= 10


def test_xdist_and_junitxml(project: pytest.Pytester) -> None:
    edit_baseline(project, drop=DROPPED)
    res = project.runpytest_subprocess("specs", "-n", "2", "--junitxml=out.xml", "-p", "no:cacheprovider")
    res.assert_outcomes(passed=27, failed=1)
    text = (project.path / "out.xml").read_text(encoding="utf-8")
    assert junit_problems(text) == []
    cases = list(ET.fromstring(text).iter("testcase"))
    assert len(cases) == 28
    assert {c.get("name") for c in cases} >= {item.split("::")[1] for item in CUMSUM_ITEMS}
    failed = [c for c in cases if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == ["mindspore.ops.cumsum[cpu-output_dtype]"]
    failure = failed[0].find("failure")
    assert failure is not None and f"NEW   {DROPPED} (cpu)" in (failure.text or "")
    assert 2 <= len(runs(project)) <= 4  # each worker runs a spec at most once


@pytest.mark.frameworks
@pytest.mark.slow
def test_real_specs_under_xdist(tmp_path: Path, small_baseline: ShippedRun) -> None:
    """`pytest specs/ -n 2 --junitxml` on the shipped specs with real frameworks (small budget),
    against the session's `check --update-baseline` baseline of the same budget."""
    assert small_baseline.returncode == 0, small_baseline.stdout + small_baseline.stderr
    baseline = tmp_path / "baseline.json"
    shutil.copyfile(small_baseline.out, baseline)
    argv = [
        sys.executable,
        "-m",
        "pytest",
        "specs",
        "-n",
        "2",
        "-p",
        "no:cacheprovider",
        f"--junitxml={tmp_path / 'out.xml'}",
        f"--apicompat-baseline={baseline}",
        "--apicompat-cases=20",
        f"--apicompat-cases-dir={REPO / 'cases'}",
    ]
    run = subprocess.run(argv, capture_output=True, text=True, timeout=1800, cwd=REPO)
    assert run.returncode == 0, run.stdout + run.stderr
    text = (tmp_path / "out.xml").read_text(encoding="utf-8")
    assert junit_problems(text) == []
    cases = list(ET.fromstring(text).iter("testcase"))
    names = {c.get("name") for c in cases}
    assert "mindspore.ops.cumsum[cpu-output_dtype]" in names
    listed = {Path(str(c.get("classname") or "") + str(c.get("file") or "")).as_posix() for c in cases}
    for spec in sorted((REPO / "specs").glob("*.yaml")):
        assert any(spec.stem in entry for entry in listed), f"{spec.name} has no testcase in the XML"
    for spec_file in sorted((REPO / "specs").glob("*.yaml")):
        members = load_file(spec_file, check_imports=False)
        if len(members) > 1:  # a family: each member's items are named after it
            for member in members:
                assert any(n and n.startswith(f"{member.id}.") for n in names), member.id


FAMILY = """\
apicompat: 1
family: scans
params:
  - name: input
    kind: tensor
  - name: dim
    kind: axis
    of: input
reference: {args: {input: 0, dim: axis}, promotion: sum}
source: {positional: [input, dim]}
targets: {positional: [input, dim]}
members:
  - id: cumsum
    source: torch.cumsum
    targets: [mindspore.ops.cumsum]
    reference: {numpy: numpy.cumsum}
  - id: cumprod
    source: torch.cumprod
    targets: [mindspore.ops.cumprod]
    reference: {numpy: numpy.cumprod}
"""


def test_a_family_file_gives_each_member_its_items_and_runs(project: pytest.Pytester) -> None:
    for name in ("cumsum.yaml", "cumprod.yaml"):
        (project.path / "specs" / name).unlink()
    (project.path / "specs" / "scans.yaml").write_text(FAMILY, encoding="utf-8")
    res = project.runpytest("--collect-only", "-q")
    lines = [line for line in res.outlines if "::" in line]
    expected = [item.replace("specs/cumsum.yaml::", "specs/scans.yaml::cumsum.") for item in CUMSUM_ITEMS]
    assert lines[: len(CUMSUM_ITEMS)] == expected
    assert lines[len(CUMSUM_ITEMS) :] == [
        line.replace("cumsum", "cumprod").replace("scans.yaml::cumprod.", "scans.yaml::cumprod.")
        for line in expected
    ]
    res = project.runpytest("-q", "-p", "no:cacheprovider")
    res.assert_outcomes(passed=2 * len(CUMSUM_ITEMS))
    assert sorted(runs(project)) == ["cumprod", "cumsum"]  # each member ran once
