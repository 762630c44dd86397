"""Fresh workers, cancelling runs from another thread, tasks side by side, and fault scopes."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from fake_frameworks import make_case, make_impl

from apicompat.execute import Session
from apicompat.execute.pool import Cancelled
from apicompat.execute.retry import FaultLog, fault_scope
from apicompat.records import Faults, Observation, Status

KILLED, TIMED_OUT = (Status.CRASH, "SIGKILL"), (Status.TIMEOUT, "Timeout")

PID = make_impl("fake.pid")


def pids(session: Session, n: int, *, fresh: bool = False) -> list[int]:
    observations = session.run([(PID, "cpu")], [make_case(seed=i) for i in range(n)], fresh=fresh)
    assert all(o.ok for o in observations[("fake.pid", "cpu")])
    return [int(o.outputs[0].values[0]) for o in observations[("fake.pid", "cpu")]]


def running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_fresh_run_has_a_worker_of_its_own_that_is_gone_after_it(session: Session) -> None:
    (usual,) = set(pids(session, 2))
    first = set(pids(session, 3, fresh=True))
    second = set(pids(session, 3, fresh=True))
    assert len(first) == 1 and len(second) == 1, "one worker runs a fresh run's cases in order"
    assert len({usual, *first, *second}) == 3, "each fresh run starts its own worker"
    deadline = time.monotonic() + 10
    while any(running(p) for p in first | second) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(running(p) for p in first | second), "a fresh worker stops when its run ends"
    assert set(pids(session, 1)) == {usual}, "the usual worker is untouched"


def test_a_fresh_run_cannot_also_be_spread(session: Session) -> None:
    with pytest.raises(ValueError, match="either spread"):
        session.run([(PID, "cpu")], [make_case()], spread=True, fresh=True)


def test_cancel_stops_a_run_in_another_thread(session: Session) -> None:
    slow = make_impl("fake.sleep")
    cases = [make_case(seed=i, seconds=0.3) for i in range(40)]  # 12 s when left alone
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            session.run([(slow, "cpu")], cases)
            outcome.append(None)
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(1.0)
    began = time.monotonic()
    session.cancel()
    thread.join(10)
    assert not thread.is_alive() and time.monotonic() - began < 5
    assert len(outcome) == 1 and isinstance(outcome[0], Cancelled)
    with pytest.raises(Cancelled):
        session.run([(PID, "cpu")], [make_case()])  # a cancelled session starts nothing new


def test_side_by_side_keeps_the_order_and_raises_the_first_failure(session: Session) -> None:
    started: list[str] = []

    def task(name: str, seconds: float) -> str:
        started.append(name)
        time.sleep(seconds)
        return name

    began = time.monotonic()
    assert session.side_by_side([lambda: task("a", 0.4), lambda: task("b", 0.4), lambda: "c"]) == [
        "a",
        "b",
        "c",
    ]
    assert time.monotonic() - began < 0.75, "the tasks ran at the same time"

    def fail() -> str:
        raise KeyError("broken")

    with pytest.raises(KeyError, match="broken"):
        session.side_by_side([lambda: "x", fail])


def test_scripts_side_by_side_keep_their_order_per_framework(session: Session) -> None:
    code = "import os\nprint(os.getpid())\n"
    results = session.run_scripts(
        [("fake", "cpu", code), ("fake2", "cpu", code), ("fake", "cpu", "print(7)\n")]
    )
    assert [r.error for r in results] == [None, None, None]
    assert results[2].stdout == "7\n"
    assert results[0].stdout != results[1].stdout, "each framework has its own script worker"


def test_faults_are_counted_toward_their_scope() -> None:
    log = FaultLog()
    with fault_scope("cumsum"):
        log.survived([KILLED])

        def other_spec() -> None:
            with fault_scope("gather"):
                log.survived([TIMED_OUT])
                log.survived([TIMED_OUT, KILLED])

        thread = threading.Thread(target=other_spec)
        thread.start()
        thread.join()
        assert log.take() == Faults(1, (("worker killed", 1),))
        assert log.take() == Faults()
    with fault_scope("gather"):
        assert log.take() == Faults(2, (("timeout", 2), ("worker killed", 1)))
    assert log.take() == Faults(), "nothing was counted outside a scope"


def test_a_run_in_another_thread_counts_its_faults_toward_its_own_scope(
    session: Session, tmp_path: Path
) -> None:
    # A spec's execution (scope "later") overlaps the assembly of the spec before it (scope
    # "earlier"): a worker killed once in the first must not reach the second's record.
    dispatch = make_impl("fake.dispatch")
    killed_once = make_case(2, action="scripted", counter=str(tmp_path / "calls"), plan="kill,ok")

    seen: list[object] = []

    def later() -> None:
        with session.fault_scope("later"):
            seen.extend(session.run([(dispatch, "cpu")], [killed_once])[("fake.dispatch", "cpu")])
            seen.append(session.take_faults())

    with session.fault_scope("earlier"):
        thread = threading.Thread(target=later)
        thread.start()
        assert session.run_scripts([("fake", "cpu", "print(1)\n")])[0].stdout == "1\n"
        thread.join(30)
        assert session.take_faults() == Faults()
    observation, faults = seen
    assert isinstance(observation, Observation) and observation.ok
    assert faults == Faults(1, (("worker killed", 1),))
