"""Retry before believing: a lost worker is re-run alone until its outcome repeats; faults are tallied."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fake_frameworks import (
    FAKE_ADAPTERS,
    FAST_MEMORY_MB,
    FAST_TIMEOUT,
    KILLED_ONCE_ENV,
    loads,
    make_case,
    make_impl,
)

from apicompat.execute import RunOptions, Session
from apicompat.execute.retry import FaultLog, fault_reason, settle
from apicompat.records import Case, Faults, Observation, Status
from apicompat.run.stability import unstable_cases

KILLED, TIMED_OUT = (Status.CRASH, "SIGKILL"), (Status.TIMEOUT, "Timeout")

DISPATCH = make_impl("fake.dispatch")
KEY = ("fake.dispatch", "cpu")


def session_with(retries: int = 1, timeout: float = FAST_TIMEOUT) -> Session:
    return Session(RunOptions(timeout, FAST_MEMORY_MB, retries=retries), adapters=FAKE_ADAPTERS)


def scripted_case(tmp_path: Path, plan: str, seed: int = 2) -> tuple[Case, Path]:
    counter = tmp_path / f"calls-{seed}"
    return make_case(seed, action="scripted", counter=str(counter), plan=plan), counter


def calls(counter: Path) -> int:
    return len(counter.read_text()) if counter.exists() else 0


# --- the rule, on its own ----------------------------------------------------------------------

OK, SEGV, KILL, HANG = None, ("crash", "SIGSEGV"), ("crash", "SIGKILL"), ("timeout", "Timeout")
ABRT = ("crash", "SIGABRT")

RULES = [
    # runs (first is lost), retries, the run believed, how many runs, how many not believed
    ([KILL, OK], 1, OK, 2, 1),
    ([SEGV, SEGV], 1, SEGV, 2, 0),
    ([SEGV, KILL, SEGV], 1, SEGV, 3, 1),
    ([KILL, SEGV, SEGV], 1, SEGV, 3, 1),
    ([KILL, KILL, OK], 1, OK, 3, 2),  # a burst of kills: two on one case are not believed
    ([KILL, KILL, KILL, KILL], 1, KILL, 4, 0),  # a kill is believed after N + 3 alike
    ([HANG, HANG], 1, HANG, 2, 0),
    ([KILL, SEGV, HANG, KILL, HANG], 1, HANG, 5, 3),
    ([KILL, SEGV, HANG, KILL, ABRT], 1, ABRT, 5, 4),  # nothing repeated in 2N+3 runs: the latest non-kill
    ([KILL, KILL, SEGV, KILL, HANG], 1, HANG, 5, 4),  # a kill is chosen last, however frequent
    ([KILL], 0, KILL, 1, 0),  # no retries: the first loss, kill or not
    ([KILL, KILL, OK], 2, OK, 3, 2),
    ([SEGV, SEGV, SEGV], 2, SEGV, 3, 0),
    ([SEGV, KILL, HANG, KILL, SEGV, HANG, KILL], 2, HANG, 7, 5),  # 2N+3 runs; SEGV and HANG tie: the latest
]


@pytest.mark.parametrize(("runs", "retries", "believed", "count", "unbelieved"), RULES)
def test_a_loss_is_believed_once_it_repeats(
    runs: list[tuple[str, str] | None], retries: int, believed: object, count: int, unbelieved: int
) -> None:
    made = [0]

    def again() -> int:
        made[0] += 1
        return made[0]

    def loss_of(run: int) -> tuple[Status, str | None] | None:
        outcome = runs[run]
        return None if outcome is None else (Status(outcome[0]), outcome[1])

    chosen, lost = settle(0, again, loss_of, retries)
    assert runs[chosen] == believed
    assert made[0] + 1 == count
    assert len(lost) == unbelieved and all(runs[r] != believed for r in lost)


def test_fault_reasons_read_as_words() -> None:
    assert fault_reason(Status.CRASH, "SIGKILL") == "worker killed"
    assert fault_reason(Status.TIMEOUT, "Timeout") == "timeout"
    assert fault_reason(Status.CRASH, "MemoryLimit") == "memory limit"
    assert fault_reason(Status.CRASH, "SIGSEGV") == "worker died with SIGSEGV"
    assert fault_reason(Status.CRASH, "ExitCode3") == "worker exited with code 3"


def test_the_fault_log_counts_executions_and_reasons_and_starts_anew() -> None:
    log = FaultLog()
    log.survived([KILLED])
    log.survived([KILLED, TIMED_OUT])
    log.survived([])  # a run that was believed at once is no fault
    # A crash of the case's own making that did not repeat depends on the worker's history: no fault.
    log.survived([(Status.CRASH, "SIGFPE"), (Status.CRASH, "SIGSEGV")])
    assert log.take() == Faults(2, (("timeout", 1), ("worker killed", 2)))
    assert log.take() == Faults()


# --- in a session --------------------------------------------------------------------------------


def test_a_kill_that_does_not_repeat_changes_nothing_and_is_counted(tmp_path: Path) -> None:
    case, counter = scripted_case(tmp_path, "kill,ok")
    cases = [make_case(1), case, make_case(3)]
    with session_with() as session:
        observations = session.run([(DISPATCH, "cpu")], cases)[KEY]
        assert [o.status for o in observations] == [Status.OK] * 3
        assert calls(counter) == 2
        assert session.take_faults() == Faults(1, (("worker killed", 1),))
        assert session.take_faults() == Faults()  # taken: the next spec starts from none


def test_a_stall_past_the_timeout_that_does_not_repeat_is_retried(tmp_path: Path) -> None:
    case, counter = scripted_case(tmp_path, "hang,ok")
    with session_with(timeout=1.0) as session:
        (observation,) = session.run([(DISPATCH, "cpu")], [case])[KEY]
        assert observation.status is Status.OK and calls(counter) == 2
        assert session.take_faults() == Faults(1, (("timeout", 1),))


@pytest.mark.parametrize(
    ("plan", "reason"), [("interrupt,ok", "worker died with SIGINT"), ("stop,ok", "timeout")]
)
def test_other_signals_from_outside_are_retried_too(tmp_path: Path, plan: str, reason: str) -> None:
    # SIGINT must end the worker, not surface in the case as the API raising KeyboardInterrupt.
    case, counter = scripted_case(tmp_path, plan)
    with session_with(timeout=1.0) as session:
        (observation,) = session.run([(DISPATCH, "cpu")], [case])[KEY]
        assert observation.status is Status.OK and calls(counter) == 2
        assert session.take_faults() == Faults(1, ((reason, 1),))


def test_a_crash_of_the_case_own_making_is_recorded_as_before(tmp_path: Path) -> None:
    case, counter = scripted_case(tmp_path, "segfault")
    with session_with() as session:
        first, crashed, last = session.run([(DISPATCH, "cpu")], [make_case(1), case, make_case(3)])[KEY]
        assert (first.status, last.status) == (Status.OK, Status.OK)
        assert (crashed.status, crashed.error_type) == (Status.CRASH, "SIGSEGV")
        assert "worker died with SIGSEGV" in (crashed.error_message or "")
        assert calls(counter) == 2  # once in its batch, once alone
        assert session.take_faults() == Faults()  # it repeated: the case's own crash, no fault


def test_a_kill_between_two_own_crashes_is_a_fault_and_the_crash_stays(tmp_path: Path) -> None:
    case, counter = scripted_case(tmp_path, "segfault,kill,segfault")
    with session_with() as session:
        (observation,) = session.run([(DISPATCH, "cpu")], [case])[KEY]
        assert observation.error_type == "SIGSEGV"
        assert calls(counter) == 3
        assert session.take_faults() == Faults(1, (("worker killed", 1),))


def test_without_retries_the_first_loss_is_recorded(tmp_path: Path) -> None:
    case, counter = scripted_case(tmp_path, "kill,ok")
    with session_with(retries=0) as session:
        (observation,) = session.run([(DISPATCH, "cpu")], [case])[KEY]
        assert (observation.status, observation.error_type) == (Status.CRASH, "SIGKILL")
        assert calls(counter) == 1 and session.take_faults() == Faults()


def test_more_retries_outlast_more_kills(tmp_path: Path) -> None:
    case, counter = scripted_case(tmp_path, "kill,kill,ok")
    with session_with(retries=2) as session:
        (observation,) = session.run([(DISPATCH, "cpu")], [case])[KEY]
        assert observation.status is Status.OK and calls(counter) == 3
        assert session.take_faults() == Faults(1, (("worker killed", 2),))


def test_a_worker_killed_while_it_loads_is_started_again(
    tmp_path: Path, load_log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KILLED_ONCE_ENV, str(tmp_path / "killed"))
    with session_with() as session:
        assert session.worker_info("killed_once", "cpu").available
        assert len({line.split()[2] for line in loads(load_log)}) == 2  # two worker processes
        assert session.take_faults() == Faults(1, (("worker killed", 1),))


def test_a_worker_stopped_while_it_loads_is_killed_after_the_case_timeout_and_started_again(
    tmp_path: Path, load_log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KILLED_ONCE_ENV, str(tmp_path / "stopped"))
    with session_with(timeout=1.0) as session:  # the start timeout stays 180 s
        started = time.monotonic()
        assert session.worker_info("stopped_once", "cpu").available
        assert time.monotonic() - started < 30
        assert session.take_faults() == Faults(1, (("timeout", 1),))


def test_a_framework_that_dies_at_every_load_is_unavailable_after_its_retries(load_log: Path) -> None:
    with session_with(retries=2) as session:
        info = session.worker_info("crashing", "cpu")
        assert not info.available and "worker died with SIGSEGV" in (info.message or "")
        assert len(loads(load_log)) == 3  # believed once it happened N + 1 times
        assert session.take_faults() == Faults()


def test_a_script_whose_worker_is_killed_once_runs_again(tmp_path: Path) -> None:
    marker = tmp_path / "killed"
    code = (
        "import os, pathlib, signal\n"
        f"marker = pathlib.Path({str(marker)!r})\n"
        "if not marker.exists():\n"
        "    marker.write_text('x')\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "print('tensor([1, 3, 6])')\n"
    )
    with session_with() as session:
        result = session.run_script("fake", "cpu", code)
        assert (result.stdout, result.error) == ("tensor([1, 3, 6])\n", None)
        assert session.take_faults() == Faults(1, (("worker killed", 1),))


def test_a_script_that_always_kills_its_worker_is_reported_as_such() -> None:
    code = "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n"
    with session_with() as session:
        result = session.run_script("fake", "cpu", code)
        assert result.error is not None and result.error.startswith("SIGKILL: worker died with SIGKILL")
        assert session.take_faults() == Faults()


def test_a_rerun_that_loses_its_worker_is_no_nondeterminism_finding(tmp_path: Path) -> None:
    # The first run returns; every later run is killed: a fault of the rerun, not of the output.
    case, _ = scripted_case(tmp_path, "ok,kill")
    with session_with() as session:
        observations: dict[tuple[str, str], list[Observation]] = {
            KEY: session.run([(DISPATCH, "cpu")], [case])[KEY]
        }
        assert unstable_cases(session, [DISPATCH], [case], observations) == {"fake.dispatch": frozenset()}
