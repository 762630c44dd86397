"""Real signals at random moments of a real `apicompat report` process, then `--resume`.

Ctrl-C (SIGINT) and SIGTERM stop the run with exit 130 and a message saying how many
results were kept and how to resume; SIGKILL gives no warning at all. In every case
the reports already written are complete (never half-written), and `--resume`
finishes the run with reports byte-identical to those of an uninterrupted run.
Kill points are chosen by progress (a seeded random number of finished results),
so they fall inside the run whatever the machine's speed.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from resume_helpers import ADAPTERS, partial_lines, visible_files, write_specs

from apicompat.cli import EXIT_INTERRUPTED, EXIT_OK, main
from apicompat.commands.running import ADAPTERS_ENV
from apicompat.run.checkpoint import PARTIAL_DIR

TESTS = Path(__file__).resolve().parents[1]
SLOW = "0.02"  # seconds per case in the fake frameworks: a run lasts about a second
RESULTS = 3 * 2 * 25  # 3 jobs (reference, source, target) x 2 specs x 25 cases


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], Path, dict[str, str]]:
    """The specs, an uninterrupted run's reports, and the environment of the runs."""
    tmp = tmp_path_factory.mktemp("signals")
    specs = write_specs(tmp / "specs")
    env = dict(os.environ)
    env.update(
        {
            ADAPTERS_ENV: ADAPTERS,
            "CHAOS_SLOW_SECONDS": SLOW,
            "PYTHONPATH": os.pathsep.join(
                [str(TESTS / "reliability"), str(TESTS), env.get("PYTHONPATH", "")]
            ),
        }
    )
    reference = tmp / "reference"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(ADAPTERS_ENV, ADAPTERS)
        mp.setenv("CHAOS_SLOW_SECONDS", "0")
        assert main(["report", *specs, "--out", str(reference), "--cases-dir", str(tmp / "none")]) == EXIT_OK
    return specs, reference, env


def start(specs: list[str], out: Path, env: dict[str, str], *extra: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "apicompat", "report", *specs, "--out", str(out)]
    command += ["--cases-dir", str(out.parent / "none"), *extra]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def interrupt(process: subprocess.Popen[str], out: Path, after: int, sig: signal.Signals) -> tuple[int, str]:
    """Send `sig` once `after` results were kept (or the run ended first); its exit code and stderr."""
    deadline = time.monotonic() + 60
    while process.poll() is None and partial_lines(out) < after and time.monotonic() < deadline:
        time.sleep(0.005)
    if process.poll() is None:
        process.send_signal(sig)
    _, err = process.communicate(timeout=60)
    return process.returncode, err


def check_interrupted(code: int, err: str, sig: signal.Signals, out: Path, reference: Path) -> None:
    if code == EXIT_OK:
        return  # the run finished before the signal: nothing to check but the reports
    if sig is signal.SIGKILL:
        assert code == -signal.SIGKILL
    else:
        assert code == EXIT_INTERRUPTED, err
        assert "Traceback" not in err, err
        assert f"kept in {out / PARTIAL_DIR}; run the same command with --resume to finish" in err, err
        assert ("terminated (SIGTERM)" in err) is (sig is signal.SIGTERM)
    # Whatever was written is whole: every report file is the final one, byte for byte.
    expected = visible_files(reference)
    for name, data in visible_files(out).items():
        assert data == expected[name], (name, code, err)


SCENARIOS = [
    [signal.SIGINT],
    [signal.SIGKILL],
    [signal.SIGTERM, signal.SIGINT],  # the resumed run is interrupted too, then resumed again
]


@pytest.mark.parametrize("signals", SCENARIOS, ids=["-".join(s.name for s in sc) for sc in SCENARIOS])
def test_killed_at_a_random_point_resume_gives_identical_reports(
    setup: tuple[list[str], Path, dict[str, str]], tmp_path: Path, signals: list[signal.Signals]
) -> None:
    specs, reference, env = setup
    rng = random.Random("-".join(s.name for s in signals))
    out = tmp_path / "out"
    extra: tuple[str, ...] = ()
    for sig in signals:
        kept = partial_lines(out)
        after = rng.randrange(kept + 1, RESULTS)
        code, err = interrupt(start(specs, out, env, *extra), out, after, sig)
        check_interrupted(code, err, sig, out, reference)
        extra = ("--resume",)
    finish = start(specs, out, env, "--resume")
    _, err = finish.communicate(timeout=120)
    assert finish.returncode == EXIT_OK, err
    got, expected = visible_files(out), visible_files(reference)
    assert got == expected, (sorted(n for n in expected if got.get(n) != expected[n]), err)
    assert not (out / PARTIAL_DIR).exists()
