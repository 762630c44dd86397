"""Progress on long runs: a bar on a terminal, the line log elsewhere, --quiet, and clean stdout."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

import apicompat.commands.check as check_command
import apicompat.commands.report as report_command
from apicompat.cli import main
from apicompat.commands.progress import BarProgress, QuietProgress, RunProgress, make_progress
from apicompat.records import Difference, DiffKind, SpecResult, TargetResult
from apicompat.report import render_json, render_markdown
from apicompat.report.escape import strip_ansi
from apicompat.spec import Spec, load_specs

REPO = Path(__file__).resolve().parents[2]


def result(spec: Spec) -> SpecResult:
    """A run of one spec: 120 cases, one target with one difference."""
    target = spec.targets[0].api
    diff = Difference(DiffKind.OUTPUT_DTYPE, "int8 sums promote", "int8", dtypes=("int8",), cases=("c-1",))
    return SpecResult(
        spec_id=spec.id,
        title=spec.id,
        summary="A spec.",
        source=spec.source.api,
        source_signature=None,
        versions={"torch": "2.13.0", "mindspore": "2.10.0"},
        devices=("cpu",),
        unavailable_devices=(),
        seed=0,
        cases=120,
        targets=(TargetResult(api=target, framework="mindspore", signature=None, differences=(diff,)),),
    )


class Tty(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("quiet", "tty", "env", "mode"),
    [
        (False, True, {"TERM": "xterm"}, BarProgress),
        (False, True, {"CI": "true"}, RunProgress),
        (False, True, {"GITHUB_ACTIONS": "true"}, RunProgress),
        (False, True, {"TERM": "dumb"}, RunProgress),
        (False, False, {}, RunProgress),
        (True, True, {}, QuietProgress),
        (False, True, {"CI": "false"}, BarProgress),
    ],
)
def test_mode_follows_terminal_ci_and_quiet(quiet: bool, tty: bool, env: dict[str, str], mode: type) -> None:
    stream = Tty() if tty else io.StringIO()
    progress = make_progress(quiet, stdout=stream, stderr=stream, environ=env)
    assert type(progress) is mode
    progress.close()


def test_bar_needs_both_streams_on_a_terminal() -> None:
    """A redirected stdout (`> out.txt`) gets the line log, so nothing but lines lands in the file."""
    assert type(make_progress(stdout=io.StringIO(), stderr=Tty(), environ={})) is RunProgress


def test_line_log_is_the_present_one_line_per_spec() -> None:
    out, err = io.StringIO(), io.StringIO()
    with RunProgress(out, err) as progress:
        progress.start(2)
        progress.spec_started("cumsum", "torch.cumsum")
        progress.spec_finished("cumsum", 120, "cumsum: 120 cases")
        progress.spec_finished("other", 5)  # check prints no line per spec
    assert err.getvalue() == "apicompat: running cumsum (torch.cumsum)\n"
    assert out.getvalue() == "cumsum: 120 cases\n"


def test_bar_shows_specs_done_current_spec_rate_and_times() -> None:
    screen = io.StringIO()
    clock = Clock()
    console = Console(file=screen, force_terminal=True, width=160, color_system=None)
    progress = BarProgress(console=console, clock=clock)
    progress.start(4)
    progress.spec_started("cumsum", "torch.cumsum")
    clock.now += 2.0
    progress.spec_finished("cumsum", 300, "cumsum: 300 cases -> out/cumsum.md")
    progress.spec_started("max", "torch.max")
    progress._progress.refresh()  # what a redraw shows mid-run
    mid = strip_ansi(screen.getvalue())
    assert "1/4" in mid and "specs" in mid and "max (torch.max)" in mid
    assert "150 cases/s" in mid  # 300 cases in 2 seconds
    assert "cumsum: 300 cases -> out/cumsum.md" in mid  # the per-spec line, above the bar
    assert "0:00:" in mid  # elapsed and remaining
    clock.now += 2.0
    progress.spec_finished("max", 100)
    progress.close()
    final = strip_ansi(screen.getvalue()).splitlines()[-1]
    assert "4/4" not in final and "2/4" in final and "100 cases/s" in final


def test_quiet_says_nothing_per_spec() -> None:
    out, err = io.StringIO(), io.StringIO()
    with QuietProgress(out, err) as progress:
        progress.spec_started("cumsum", "torch.cumsum")
        progress.spec_finished("cumsum", 1, "line")
        progress.note("shard 1/2 runs 3 specs")
    assert out.getvalue() == err.getvalue() == ""


@pytest.fixture
def suite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """specs/{cumsum,max}.yaml in the cwd; the run is replaced by hand-built results."""
    (tmp_path / "specs").mkdir()
    for spec_id in ("cumsum", "max"):
        shutil.copyfile(REPO / "specs" / f"{spec_id}.yaml", tmp_path / "specs" / f"{spec_id}.yaml")

    def run(
        specs: list[Spec],
        handwritten: object,
        config: object,
        progress: RunProgress | None = None,
        *,
        refused: object = None,
    ) -> Iterator[SpecResult]:
        for spec in specs:
            if progress is not None:
                progress.spec_started(spec.id, spec.source.api)
            yield result(spec)

    monkeypatch.setattr(report_command, "run_all", run)
    monkeypatch.setattr(check_command, "run_all", run)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_report_quiet_prints_only_the_summary(suite: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--quiet", "--out", "out"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.splitlines() == [
        "apicompat report: 2 spec(s), 240 cases, 2 of 2 target(s) with differences -> out/index.md"
    ]


def test_report_lines_off_a_terminal_and_reports_untouched(
    suite: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--out", "out", "--html"]) == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "apicompat: running cumsum (torch.cumsum)",
        "apicompat: running max (torch.max)",
    ]
    lines = captured.out.splitlines()
    assert lines[0].startswith("cumsum: 120 cases, 1 target(s), 1 with differences -> out")
    assert lines[-1].endswith("-> out/index.md and out/html/index.html")
    for spec_id in ("cumsum", "max"):
        expected = next(result(s) for s in load_specs([suite / "specs"]) if s.id == spec_id)
        assert (suite / "out" / f"{spec_id}.md").read_text(encoding="utf-8") == render_markdown(expected)
        assert (suite / "out" / f"{spec_id}.json").read_text(encoding="utf-8") == render_json(expected)
        assert (suite / "out" / "html" / "api" / f"{spec_id}.html").is_file()
    assert (suite / "out" / "html" / "index.html").is_file()


def test_check_quiet_prints_only_the_verdict(suite: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--update-baseline", "--baseline", "baseline.json", "--quiet"])
    capsys.readouterr()
    assert main(["check", "--baseline", "baseline.json", "--quiet", "--shard", "1/2"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""  # neither the shard note nor a line per spec
    assert "running" not in captured.out and captured.out.strip()
    json.loads((suite / "baseline.json").read_text(encoding="utf-8"))
