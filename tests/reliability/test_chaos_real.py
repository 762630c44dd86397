"""Faults from outside on real runs: kill (SIGKILL) and stall (SIGSTOP) real torch and MindSpore workers.

Each test runs a real `apicompat report` (or `check`, `--resume`, the pytest plugin
under xdist) on two small real specs while a seeded `Monkey` (chaos_monkey.py) kills
or stalls framework processes at random moments of it: spawned and forked workers,
and the fork servers they are forked from. The run must end as a clean run does
(exit code, no traceback) and write byte-identical reports, the faults record (the
JSON `faults` field and the page's "Faults survived" line) aside: a fault that does
not repeat never changes a verdict. Moments follow the run's progress (a seeded
number of results kept, then a seeded delay), so they fall inside its cases, its
stability pass and its reproducers however fast the machine is.

The default selection is short (one seed per scenario); `-m soak` runs many more.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from chaos_monkey import Monkey, case_workers, differing, faults_retried
from resume_helpers import partial_lines, visible_files

from apicompat.cli import EXIT_OK

pytest.importorskip("torch")
pytest.importorskip("mindspore")
pytestmark = [pytest.mark.frameworks]

ROOT = Path(__file__).resolve().parents[2]
# gather first: its reproducers (MindSpore's ValueError) and argmax's cases fall mid-run.
SPECS = [str(ROOT / "specs" / "gather.yaml"), str(ROOT / "specs" / "argmax.yaml")]
# Long enough that no case of a loaded CI machine times out twice on its own (that would be a real
# timeout, recorded, and not the fault under test); a stalled worker still costs only this much.
CASES, TIMEOUT = "24", "8"
OPTIONS = ["--cases", CASES, "--timeout", TIMEOUT, "--cases-dir", str(ROOT / "cases")]
ALL = ("worker", "forked", "server")
WORKERS = ("worker", "forked")
#: Each fault waits for a seeded number of results kept (of 192: 96 per spec), then a seeded delay
#: (seconds). A spec's cases take a fraction of a second, its stability pass and reproducers a few
#: tenths: these moments fall within gather's cases and assembly and argmax's cases, never after the end.
REACH, DELAY = (1, 130), (0.0, 0.25)
RESUME_ATTEMPTS = 3


@dataclass(frozen=True)
class Clean:
    """A clean run: its reports, the baseline it accepted, and check's verdict line."""

    files: dict[str, bytes]
    baseline: Path
    verdict: str  # check's last line: "passed: 2 specs, 56 checks, 0 new differences, …"


def apicompat(*args: str) -> list[str]:
    return [sys.executable, "-m", "apicompat", *args]


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Clean:
    """One clean `check --update-baseline --out`: the reports and the baseline every chaotic run must meet."""
    tmp = tmp_path_factory.mktemp("clean")
    baseline, out = tmp / "baseline.json", tmp / "out"
    command = apicompat("check", *SPECS, *OPTIONS, "--baseline", str(baseline), "--update-baseline")
    done = subprocess.run([*command, "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert done.returncode == EXIT_OK, done.stderr
    verdict = done.stdout.strip().splitlines()[-1]
    assert verdict.startswith("passed:"), done.stdout
    return Clean(visible_files(out), baseline, verdict)


def chaotic(
    command: Sequence[str],
    seed: str,
    signals: Sequence[signal.Signals],
    roles: tuple[str, ...],
    out: Path | None = None,
    reach: tuple[int, int] = REACH,
) -> tuple[subprocess.CompletedProcess[str], Monkey]:
    """Run `command` while a monkey seeded with `seed` sends `signals` to its framework processes.

    With `out`, the moments follow the results kept there (within the cases, then within
    the stability pass and the reproducers that follow); without, the start of the
    torch and MindSpore workers.
    """
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    roots = lambda: [process.pid]  # noqa: E731
    if out is not None:
        monkey = Monkey(roots, random.Random(seed), signals, lambda: partial_lines(out), reach, DELAY, roles)
    else:
        monkey = Monkey(
            roots, random.Random(seed), signals, lambda: case_workers(roots()), (1, 1), (0.0, 1.0), roles
        )
    monkey.start()
    try:
        stdout, stderr = process.communicate(timeout=300)
    finally:
        monkey.stop()
        if process.poll() is None:
            process.kill()
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr), monkey


def assert_clean_end(done: subprocess.CompletedProcess[str], monkey: Monkey) -> None:
    assert monkey.injected >= 1, "no fault landed: the run ended before the monkey's moments"
    assert done.returncode == EXIT_OK, (monkey.log, done.stderr[-3000:])
    assert "Traceback" not in done.stderr, done.stderr[-3000:]


def assert_same_reports(out: Path, clean: Clean, monkey: Monkey) -> None:
    got = visible_files(out)
    assert differing(got, clean.files) == [], (monkey.log, f"retried: {faults_retried(got)}")


SCENARIOS = {
    # SIGKILL of any framework process: a worker in a case, an idle one, a fork server.
    "sigkill": ((signal.SIGKILL, signal.SIGKILL, signal.SIGKILL), ALL),
    # SIGSTOP of a worker: it stalls past --timeout; the session kills it and runs the case again.
    "sigstop": ((signal.SIGSTOP,), WORKERS),
}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_report_survives_faults_from_outside(clean: Clean, tmp_path: Path, scenario: str) -> None:
    signals, roles = SCENARIOS[scenario]
    out = tmp_path / "out"
    command = apicompat("report", *SPECS, *OPTIONS, "--out", str(out))
    done, monkey = chaotic(command, scenario, signals, roles, out)
    assert_clean_end(done, monkey)
    assert_same_reports(out, clean, monkey)
    if scenario == "sigstop":  # a stalled worker always costs a timeout: the record and the log say so
        assert faults_retried(visible_files(out)) >= 1, monkey.log
        assert "ran again after a fault from outside that did not repeat (timeout: 1)" in done.stderr


def test_check_never_turns_a_fault_into_a_difference(clean: Clean, tmp_path: Path) -> None:
    out = tmp_path / "out"
    command = apicompat("check", *SPECS, *OPTIONS, "--baseline", str(clean.baseline), "--out", str(out))
    done, monkey = chaotic(command, "check", (signal.SIGKILL, signal.SIGSTOP), WORKERS, out)
    assert_clean_end(done, monkey)  # exit 0: nothing new, nothing stale
    assert done.stdout.strip() == clean.verdict
    assert_same_reports(out, clean, monkey)


def test_resume_after_a_kill_of_the_run_itself_survives_faults_too(clean: Clean, tmp_path: Path) -> None:
    # The resumed run has only what is left to do and can end before its fault's moment; then that
    # attempt proves nothing, and the next seed tries again (a landed fault is judged at once).
    for attempt in range(RESUME_ATTEMPTS):
        out = tmp_path / f"out-{attempt}"
        done, resumed = _killed_then_resumed(out, random.Random(f"resume-{attempt}"))
        if resumed.injected:
            assert_clean_end(done, resumed)
            assert_same_reports(out, clean, resumed)
            return
    pytest.skip(f"in {RESUME_ATTEMPTS} attempts, every resumed run ended before its fault's moment")


def _killed_then_resumed(out: Path, rng: random.Random) -> tuple[subprocess.CompletedProcess[str], Monkey]:
    """A run killed (itself) after a seeded number of results, with a worker kill before that; then
    its `--resume`, with a worker kill within a second of its workers' start."""
    command = apicompat("report", *SPECS, *OPTIONS, "--out", str(out))
    after = rng.randrange(10, 150)  # results kept when the whole run is killed
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    roots = lambda: [process.pid]  # noqa: E731
    monkey = Monkey(roots, rng, (signal.SIGKILL,), lambda: partial_lines(out), (1, after), DELAY, WORKERS)
    monkey.start()
    deadline = time.monotonic() + 120
    while process.poll() is None and partial_lines(out) < after and time.monotonic() < deadline:
        time.sleep(0.005)
    process.kill()  # the run itself, as a CI runner that loses its machine does
    process.communicate(timeout=60)
    monkey.stop()
    assert partial_lines(out) >= after, "the run ended before it could be killed"
    return chaotic([*command, "--resume"], f"resumed-{rng.random()}", (signal.SIGKILL,), WORKERS)


def test_the_pytest_plugin_under_xdist_survives_faults(clean: Clean, tmp_path: Path) -> None:
    pytest.importorskip("xdist")
    options = [
        "-p", "no:cacheprovider", "--rootdir", str(ROOT), "-c", os.devnull, "-q",
        "-n", "2", "--dist", "loadfile",  # one spec file per xdist worker, each with its own session
        "--apicompat-baseline", str(clean.baseline), "--apicompat-cases", CASES,
        "--apicompat-timeout", TIMEOUT, "--apicompat-cases-dir", str(ROOT / "cases"),
    ]  # fmt: skip
    command = [sys.executable, "-m", "pytest", *SPECS, *options]
    done, monkey = chaotic(command, "xdist", (signal.SIGKILL, signal.SIGKILL), ALL)
    assert_clean_end(done, monkey)
    # One item per unit `check` counts ("passed: 2 specs, 56 checks, …"), and every one passes.
    checks = re.search(r"(\d+) checks", clean.verdict)
    assert checks is not None and f"{checks[1]} passed" in done.stdout, done.stdout[-3000:]
    assert "failed" not in done.stdout and "error" not in done.stdout, done.stdout[-3000:]


@pytest.mark.soak
@pytest.mark.parametrize("seed", range(12))
def test_soak_many_faults_change_no_report_byte(clean: Clean, tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    signals = [rng.choice([signal.SIGKILL, signal.SIGKILL, signal.SIGSTOP]) for _ in range(rng.randint(1, 4))]
    out = tmp_path / "out"
    command = apicompat("report", *SPECS, *OPTIONS, "--out", str(out))
    done, monkey = chaotic(command, f"soak-{seed}", signals, ALL, out, reach=(1, 185))
    assert_clean_end(done, monkey)
    assert_same_reports(out, clean, monkey)


@pytest.mark.soak
def test_control_without_retries_the_same_faults_change_the_reports(clean: Clean, tmp_path: Path) -> None:
    """The chaos is real: with `--retries 0` (no retry, as before) the same kills change report bytes."""
    out = tmp_path / "out"
    command = apicompat("report", *SPECS, *OPTIONS, "--retries", "0", "--out", str(out))
    # Four kills: a kill that finds its worker idle between batches costs no case even without
    # retries, so two alone do not always change a byte.
    done, monkey = chaotic(command, "sigkill", (signal.SIGKILL,) * 4, WORKERS, out)
    assert monkey.injected >= 1, "no fault landed"
    # Believed at once, a kill changes a page, or makes a framework unavailable (exit 2).
    assert done.returncode != EXIT_OK or differing(visible_files(out), clean.files) != [], monkey.log
