"""`apicompat check`: exit codes, the listing, baseline updates, JUnit and shards.

Most tests replace the run with hand-built results (the specs still load from
real YAML); the `frameworks` test runs torch and MindSpore for real.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from conformance_helpers import CUMSUM_DIFFS, TARGET, diff, result, spec_text
from junit_schema import junit_problems
from shipped_suite import SMALL_CASES, ShippedRun

import apicompat.commands.check as check_command
from apicompat.cli import EXIT_DIFFERENCES, EXIT_OK, EXIT_USAGE, main
from apicompat.records import Case, Difference, SpecResult
from apicompat.run.pipeline import RunConfig
from apicompat.run.preflight import SpecRefused
from apicompat.spec import Spec

REPO = Path(__file__).resolve().parents[2]
DROPPED = f"cumsum::{TARGET}::output_dtype::int8->int64"
FABRICATED = f"cumsum::{TARGET}::param_default::dim"


class FakeRun:
    """Stands in for run_all: one result per spec, with the differences the test chose."""

    def __init__(self, diffs: dict[str, Sequence[Difference]] | None = None) -> None:
        self.diffs = diffs or {}
        self.ran: list[str] = []
        self.configs: list[RunConfig] = []

    def __call__(
        self,
        specs: list[Spec],
        handwritten: dict[str, list[Case]],
        config: RunConfig,
        progress: object = None,
        *,
        refused: list[SpecRefused] | None = None,
    ) -> Iterator[SpecResult]:
        self.configs.append(config)
        for spec in specs:
            self.ran.append(spec.id)
            yield result(spec.id, self.diffs.get(spec.id, CUMSUM_DIFFS))


@pytest.fixture
def suite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory with specs/{cumsum,cummax,cumprod}.yaml (cumsum's content), as the cwd."""
    specs = tmp_path / "specs"
    specs.mkdir()
    for spec_id in ("cumsum", "cummax", "cumprod"):
        (specs / f"{spec_id}.yaml").write_text(spec_text(spec_id), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeRun:
    run = FakeRun()
    monkeypatch.setattr(check_command, "run_all", run)
    return run


def edit_baseline(path: Path, drop: str | None = None, add: str | None = None) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    data["entries"] = [e for e in data["entries"] if e["key"] != drop]
    if add:
        data["entries"].append({"key": add, "summary": "fabricated"})
    path.write_text(json.dumps(data), encoding="utf-8")


def test_update_then_check_passes(suite: Path, fake: FakeRun, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--update-baseline"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "baseline reports/baseline.json: 9 entries (9 added, 0 removed)" in out
    assert f"  + {DROPPED}" in out
    text = (suite / "reports" / "baseline.json").read_text(encoding="utf-8")
    assert main(["check"]) == EXIT_OK
    out = capsys.readouterr().out
    summary = (
        "passed: 3 specs, 42 checks, 0 new differences, 0 stale baseline entries, 9 accepted differences"
    )
    assert out.strip() == summary + " matched"
    assert main(["check", "--update-baseline"]) == EXIT_OK
    assert (suite / "reports" / "baseline.json").read_text(
        encoding="utf-8"
    ) == text  # nothing changed, byte for byte


def test_a_deleted_entry_fails_and_names_the_difference(
    suite: Path, fake: FakeRun, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["check", "--update-baseline"])
    edit_baseline(suite / "reports" / "baseline.json", drop=DROPPED)
    capsys.readouterr()
    assert main(["check"]) == EXIT_DIFFERENCES
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"NEW   {DROPPED} (cpu)"
    assert "mindspore.ops.cumsum keeps int8 where torch.cumsum returns int64" in out
    assert "reproducer:" in out
    assert "FAILED: 3 specs, 42 checks, 1 new difference, 0 stale baseline entries, 8 accepted" in out
    assert "--update-baseline" in out


def test_a_fabricated_entry_is_stale_unless_not_strict(
    suite: Path, fake: FakeRun, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["check", "--update-baseline"])
    edit_baseline(suite / "reports" / "baseline.json", add=FABRICATED)
    capsys.readouterr()
    assert main(["check"]) == EXIT_DIFFERENCES
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"STALE {FABRICATED}"
    assert "accepted in the baseline, but not measured in this run" in out
    assert main(["check", "--no-strict"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Stale entries (not failing: strictness is off)" in out and FABRICATED in out
    # a stale entry of a spec that did not run is out of scope
    assert main(["check", "specs/cummax.yaml"]) == EXIT_OK


def test_update_drops_stale_entries_of_the_specs_run(
    suite: Path, fake: FakeRun, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["check", "--update-baseline"])
    edit_baseline(suite / "reports" / "baseline.json", add=FABRICATED)
    assert main(["check", "--update-baseline", "specs/cumsum.yaml"]) == EXIT_OK
    assert f"  - {FABRICATED}" in capsys.readouterr().out
    assert main(["check"]) == EXIT_OK


def test_junit_lists_every_unit_and_validates(suite: Path, fake: FakeRun) -> None:
    main(["check", "--update-baseline"])
    edit_baseline(suite / "reports" / "baseline.json", drop=DROPPED, add=FABRICATED)
    assert main(["check", "--junit", "out/junit.xml"]) == EXIT_DIFFERENCES
    text = (suite / "out" / "junit.xml").read_text(encoding="utf-8")
    assert junit_problems(text) == []
    root = ET.fromstring(text)
    assert (root.get("tests"), root.get("failures")) == ("42", "2")
    failures = {
        c.get("name"): c.find("failure") for c in root.iter("testcase") if c.find("failure") is not None
    }
    assert set(failures) == {f"{TARGET}[cpu-output_dtype]", f"{TARGET}[any-param_default]"}
    assert DROPPED in (failures[f"{TARGET}[cpu-output_dtype]"].text or "")  # type: ignore[union-attr]


def test_shards_split_the_specs_and_judge_only_their_own(
    suite: Path, fake: FakeRun, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["check", "--update-baseline"])
    fake.ran.clear()
    for i in (1, 2):
        assert main(["check", "--shard", f"{i}/2"]) == EXIT_OK
    assert sorted(fake.ran) == ["cummax", "cumprod", "cumsum"]
    fake.ran.clear()
    assert main(["check", "--shard", "3/3"]) == EXIT_OK
    assert fake.ran == ["cumsum"]  # ids sorted: cummax, cumprod, cumsum
    assert main(["check", "--shard", "4/4"]) == EXIT_OK  # an empty share passes
    assert "0 specs, 0 checks" in capsys.readouterr().out


def test_run_options_reach_the_run(suite: Path, fake: FakeRun) -> None:
    assert main(["check", "--update-baseline", "--seed", "5", "--cases", "12", "--device", "cpu"]) == EXIT_OK
    assert (fake.configs[0].seed, fake.configs[0].budget, fake.configs[0].devices) == (5, 12, ("cpu",))


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["check", "--shard", "0/2"], "between 1 and 2"),
        (["check", "--shard", "3/2"], "between 1 and 2"),
        (["check", "--shard", "1/0"], "at least 1"),
        (["check", "--shard", "half"], "expected i/N"),
        (["check", "--strict", "--bogus"], "unrecognized arguments"),
        (["merge"], "the following arguments are required"),
    ],
)
def test_usage_errors_exit_2(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == EXIT_USAGE
    assert message in capsys.readouterr().err


def test_a_missing_or_broken_baseline_exits_2_before_running(
    suite: Path, fake: FakeRun, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check"]) == EXIT_USAGE
    assert "reports/baseline.json: no baseline file" in capsys.readouterr().err
    (suite / "broken.json").write_text('{"entries": [{"key": "nope"}]}', encoding="utf-8")
    assert main(["check", "--baseline", "broken.json"]) == EXIT_USAGE
    assert "broken.json: entries[0]" in capsys.readouterr().err
    assert (
        main(["check", "--baseline", "broken.json", "--update-baseline"]) == EXIT_USAGE
    )  # never overwritten
    assert fake.ran == []


def test_a_spec_error_exits_2_naming_the_file(
    suite: Path, fake: FakeRun, capsys: pytest.CaptureFixture[str]
) -> None:
    (suite / "specs" / "bad.yaml").write_text("apicompat: 1\nid: bad\nparams: 3\n", encoding="utf-8")
    assert main(["check", "--update-baseline"]) == EXIT_USAGE
    assert "bad.yaml" in capsys.readouterr().err
    assert fake.ran == []


def test_out_writes_reports_for_merge(suite: Path, fake: FakeRun) -> None:
    assert main(["check", "--update-baseline", "--out", "shard"]) == EXIT_OK
    names = sorted(p.name for p in (suite / "shard").iterdir())
    assert names == [
        "cummax.json",
        "cummax.md",
        "cumprod.json",
        "cumprod.md",
        "cumsum.json",
        "cumsum.md",
        "index.json",
        "index.md",
    ]


def test_a_device_that_is_not_measured_is_skipped_in_junit(
    suite: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def run(
        specs: list[Spec],
        handwritten: object,
        config: RunConfig,
        progress: object = None,
        *,
        refused: object = None,
    ) -> Iterator[SpecResult]:
        for spec in specs:
            yield result(
                spec.id,
                (diff("value_mismatch", "float16"),),
                unavailable=("torch:gpu (no CUDA)", "mindspore:gpu (no GPU)"),
            )

    monkeypatch.setattr(check_command, "run_all", run)
    assert (
        main(["check", "--update-baseline", "--device", "cpu,gpu", "--junit", "j.xml", "specs/cumsum.yaml"])
        == EXIT_OK
    )
    root = ET.fromstring((suite / "j.xml").read_text(encoding="utf-8"))
    skipped = [c for c in root.iter("testcase") if c.find("skipped") is not None]
    assert len(skipped) == 11 and all("[gpu-" in (c.get("name") or "") for c in skipped)
    assert root.find("testsuite").get("skipped") == "11"  # type: ignore[union-attr]


@pytest.mark.frameworks
@pytest.mark.slow
def test_real_frameworks_baseline_round_trip(tmp_path: Path, small_baseline: ShippedRun) -> None:
    """The acceptance scenario on the shipped specs with real torch and MindSpore (a small budget):
    the session's `check --update-baseline` run, then checks against what it wrote."""
    import subprocess
    import sys

    def check(*extra: str) -> subprocess.CompletedProcess[str]:
        argv = [
            sys.executable,
            "-m",
            "apicompat",
            "check",
            str(REPO / "specs"),
            *SMALL_CASES,
            "--baseline",
            str(tmp_path / "baseline.json"),
            *extra,
        ]
        return subprocess.run(argv, capture_output=True, text=True, timeout=1800, cwd=tmp_path)

    assert small_baseline.returncode == EXIT_OK, small_baseline.stdout + small_baseline.stderr
    shutil.copyfile(small_baseline.out, tmp_path / "baseline.json")
    entries = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))["entries"]
    assert entries, "cumsum differs between torch and MindSpore; the baseline cannot be empty"
    again = check("--junit", str(tmp_path / "junit.xml"), "--out", str(tmp_path / "single"))
    assert again.returncode == EXIT_OK, again.stdout + again.stderr
    assert junit_problems((tmp_path / "junit.xml").read_text(encoding="utf-8")) == []
    # pages re-rendered from the JSON (what `merge` does) equal the ones the run wrote
    assert main(["merge", str(tmp_path / "single"), "--out", str(tmp_path / "merged")]) == EXIT_OK
    for page in (tmp_path / "single").iterdir():
        assert (tmp_path / "merged" / page.name).read_bytes() == page.read_bytes(), page.name

    dropped = next(e["key"] for e in entries if e["kind"] != "param_only_in_one")
    edit_baseline(tmp_path / "baseline.json", drop=dropped, add=FABRICATED)
    changed = check()
    assert changed.returncode == EXIT_DIFFERENCES, changed.stdout + changed.stderr
    heads = [line for line in changed.stdout.splitlines() if line.startswith(("NEW", "STALE"))]
    assert heads[0].startswith(f"NEW   {dropped}")
    assert f"STALE {FABRICATED}" in heads
