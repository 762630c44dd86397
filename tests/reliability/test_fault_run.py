"""A whole `apicompat report` run in which one worker suffers every fault, one fault per case.

The `chaos` framework crashes, aborts, exits, hangs, blows its memory, raises (at
once and later), returns the wrong dtype, shape or type, prints binary junk, leaves
threads behind and changes its default dtype; the `calm` framework beside it and
the NumPy reference run the same cases. The run must finish (exit 0), record each
fault with its status and message on the case that caused it, keep every other
result, and write reports in which the fault messages cannot break or inject markup.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from chaos_frameworks import MODES
from resume_helpers import ADAPTERS as RESUME_ADAPTERS
from resume_helpers import visible_files, write_specs

from apicompat.cli import main
from apicompat.commands.running import ADAPTERS_ENV
from apicompat.conformance import judge, junit_suites, load_baseline
from apicompat.execute.session import Session
from apicompat.records import Case, Observation, Status, TensorArg
from apicompat.records.arrays import materialize
from apicompat.report.junit import render_junit
from apicompat.report.load import load_result

ADAPTERS = "chaos=chaos_frameworks:ChaosAdapter,calm=chaos_frameworks:ChaosAdapter"
TIMEOUT, MEMORY_MB = 4.0, 300

SPEC = f"""\
apicompat: 1
id: chaos
title: chaos
summary: Every fault, one per case, on one worker; the other worker stays calm.
params:
  - name: input
    kind: tensor
    ranks: [1, 1]
    dtypes: [float32]
  - name: mode
    kind: int
    values: {list(range(len(MODES)))}
reference: chaos_frameworks:reference
source:
  framework: chaos
  api: chaos_frameworks.chaos
  positional: [input, mode]
targets:
  - framework: calm
    api: chaos_frameworks.calm
    positional: [input, mode]
"""

# mode -> (status, error_type, text in the message); None: the case returns normally.
EXPECTED: dict[str, tuple[Status, str, str] | None] = {
    "ok": None,
    "segfault": (Status.CRASH, "SIGSEGV", "worker died with SIGSEGV"),
    "abort": (Status.CRASH, "SIGABRT", "worker died with SIGABRT"),
    "exit": (Status.CRASH, "ExitCode3", "worker exited with code 3"),
    "hang": (Status.TIMEOUT, "Timeout", f"did not finish within {TIMEOUT:g} s; the worker was killed"),
    "memory": (Status.CRASH, "MemoryLimit", f"memory limit of {MEMORY_MB} MiB exceeded"),
    "raise": (Status.ERROR, "ArithmeticError", "chaos rejects mode 'raise'"),
    "deferred": (Status.ERROR, "RuntimeError", "deferred failure launched by mode 'deferred'"),
    "wrong_dtype": None,
    "wrong_shape": None,
    "wrong_type": (Status.ERROR, "TypeError", "cannot read a result of type dict"),
    "unpicklable": (Status.ERROR, "", "the result could not be sent back"),
    "print": None,
    "threads": None,
    "default_dtype": None,
    "reads_default_dtype": None,
}


@dataclass
class Run:
    """What the run wrote and what each worker observed."""

    out: Path
    exit_code: int
    stderr: str
    cases: list[Case]
    observations: dict[tuple[str, str], list[Observation]]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    tmp = tmp_path_factory.mktemp("chaos")
    spec = tmp / "chaos.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    seen: dict[tuple[str, str], list[Observation]] = {}
    cases: list[Case] = []
    real_run = Session.run

    def spy(
        self: Session, jobs: object, run_cases: list[Case], on_result: object = None, **how: bool
    ) -> object:
        result = real_run(self, jobs, run_cases, on_result, **how)  # type: ignore[arg-type]
        if not seen:  # the run of the spec's cases (later calls rerun some, to check stability)
            cases[:] = list(run_cases)
            seen.update(result)
        return result

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(ADAPTERS_ENV, ADAPTERS)
        mp.setattr(Session, "run", spy)
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = main(
                [
                    "report", str(spec), "--out", str(tmp / "out"), "--cases-dir", str(tmp / "none"),
                    "--timeout", str(TIMEOUT), "--memory-mb", str(MEMORY_MB),
                ]
            )  # fmt: skip
    yield Run(tmp / "out", code, err.getvalue(), cases, seen)


def mode_of(case: Case) -> int:
    """The fault mode a case asks for."""
    mode = case.arg_dict["mode"]
    assert isinstance(mode, int)
    return mode


def by_mode(run: Run, key: tuple[str, str]) -> dict[str, Observation]:
    """The observations of one job, keyed by the fault mode of their case (the first case of each)."""
    found: dict[str, Observation] = {}
    for case, observation in zip(run.cases, run.observations[key], strict=True):
        assert observation.case_id == case.id
        found.setdefault(MODES[mode_of(case)], observation)
    return found


def test_the_run_completes(run: Run) -> None:
    assert run.exit_code == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert sorted(p.name for p in run.out.iterdir()) == ["chaos.json", "chaos.md", "index.json", "index.md"]
    assert {mode_of(c) for c in run.cases} == set(range(len(MODES)))


@pytest.mark.parametrize("mode", MODES)
def test_each_fault_is_recorded_on_its_own_case(run: Run, mode: str) -> None:
    observation = by_mode(run, ("chaos_frameworks.chaos", "cpu"))[mode]
    expected = EXPECTED[mode]
    if expected is None:
        assert observation.status is Status.OK, observation
        return
    status, error_type, text = expected
    assert observation.status is status, observation
    if error_type:
        assert observation.error_type == error_type
    assert text in (observation.error_message or "")


def test_wrong_output_dtype_and_shape_are_measured_not_hidden(run: Run) -> None:
    chaos = by_mode(run, ("chaos_frameworks.chaos", "cpu"))
    assert chaos["wrong_dtype"].outputs[0].dtype == "float64"  # float32 in, float64 out: reported as is
    assert chaos["wrong_shape"].outputs[0].shape == (10,)
    data = json.loads((run.out / "chaos.json").read_text(encoding="utf-8"))
    kinds = {d["kind"] for d in data["targets"][0]["differences"]}
    assert {"output_dtype", "error_behavior"} <= kinds


def test_global_state_does_not_leak_into_later_cases(run: Run) -> None:
    # `default_dtype` switched the framework's default to float64 in the case before;
    # the worker resets global state before each case, so the next case reads float32.
    chaos = by_mode(run, ("chaos_frameworks.chaos", "cpu"))
    assert chaos["reads_default_dtype"].status is Status.OK
    assert chaos["reads_default_dtype"].outputs[0].dtype == "float32"
    # Threads left running by `threads` and the junk `print` wrote did not disturb later cases.
    assert all(chaos[m].status is Status.OK for m in ("print", "threads", "default_dtype"))


def test_the_other_workers_lose_nothing(run: Run) -> None:
    for key in (("chaos_frameworks.calm", "cpu"), ("chaos_frameworks:reference", "cpu")):
        observations = run.observations[key]
        assert len(observations) == len(run.cases)
        for case, observation in zip(run.cases, observations, strict=True):
            assert observation.status is Status.OK, (key, observation)
            tensor = case.arg_dict["input"]
            assert isinstance(tensor, TensorArg)
            np.testing.assert_array_equal(observation.outputs[0].values, materialize(tensor))
    # And the chaos worker's own cases that did nothing wrong are intact too.
    chaos = run.observations[("chaos_frameworks.chaos", "cpu")]
    for case, observation in zip(run.cases, chaos, strict=True):
        if mode_of(case) == 0:
            assert observation.status is Status.OK


def _table_rows(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("| ")]


def _cells(row: str) -> int:
    """The number of cells of a GFM table row (a backslash escapes a pipe)."""
    return len(re.split(r"(?<!\\)\|", row.strip()[1:-1]))


def test_fault_messages_cannot_break_or_inject_into_the_reports(run: Run, tmp_path: Path) -> None:
    page = (run.out / "chaos.md").read_text(encoding="utf-8")
    assert "chaos rejects mode" in page  # the message is shown...
    assert re.search(r"(?<!\\)<script", page) is None  # ...but inert
    assert "\x1b" not in page and "\x00" not in page and "\\<script>" in page
    rows = _table_rows(page)
    assert rows and all(_cells(row) == 5 for row in rows)  # Categories | Sub | PyTorch | MindSpore | Diff
    index = (run.out / "index.md").read_text(encoding="utf-8")
    assert re.search(r"(?<!\\)<script", index) is None and "\x1b" not in index
    text = (run.out / "chaos.json").read_text(encoding="utf-8")
    assert "\x1b" not in text  # JSON escapes control characters; it holds the text as data
    result = load_result(run.out / "chaos.json")
    baseline = load_baseline(tmp_path / "none.json", missing_ok=True)
    junit = render_junit(junit_suites(judge([result], baseline, ["cpu"], strict=True), [result], {}))
    root = ET.fromstring(junit)  # parses: no control character, no markup broke out of an attribute
    assert len(list(root.iter("failure"))) >= 3 and "\x1b" not in junit and "\x00" not in junit


@pytest.mark.parametrize(
    ("adapter", "says"),
    [
        ("fake_frameworks:BrokenAdapter", "ImportError: No module named 'brokenframework'"),
        ("fake_frameworks:CrashOnLoadAdapter", "SIGSEGV"),
    ],
    ids=["raises", "segfaults"],
)
def test_a_framework_that_fails_while_imported_is_a_clear_error_and_earlier_results_stay(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    adapter: str,
    says: str,
) -> None:
    monkeypatch.setenv(ADAPTERS_ENV, f"{RESUME_ADAPTERS},broken={adapter}")
    monkeypatch.setenv("CHAOS_SLOW_SECONDS", "0")
    good, later = write_specs(tmp_path / "specs")
    broken = tmp_path / "specs" / "zz_broken.yaml"
    broken.write_text(
        Path(later)
        .read_text()
        .replace("framework: fake2", "framework: broken")
        .replace("id: slow_b", "id: zz_broken")
    )
    out = tmp_path / "out"
    code = main(["report", good, str(broken), "--out", str(out), "--cases-dir", str(tmp_path / "none")])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "broken is not available on cpu" in err and says in err
    assert sorted(visible_files(out)) == ["slow_a.json", "slow_a.md"]  # the spec before it is kept
