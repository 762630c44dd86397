"""Helper workers for the slowest framework, scripts side by side, and workers started ahead."""

from __future__ import annotations

import time
from pathlib import Path

from fake_frameworks import FAKE_ADAPTERS, FAST_MEMORY_MB, FAST_TIMEOUT, loads, make_case, make_impl

from apicompat.execute import RunOptions, ScriptResult, Session
from apicompat.records import Status

SLEEP = make_impl("fake.sleep")
FAST = make_impl("fake.ok", framework="fake_cpu")


def _run_slow_and_fast(parallel: int) -> None:
    """100 cases of 0.05 s on `fake`, the same 100 at once on `fake_cpu`, in batches of 4."""
    options = RunOptions(FAST_TIMEOUT, FAST_MEMORY_MB, batch_size=4, parallel=parallel)
    cases = [make_case(i, seconds=0.05) for i in range(100)]
    with Session(options, adapters=FAKE_ADAPTERS) as session:
        results = session.run([(SLEEP, "cpu"), (FAST, "cpu")], cases, spread=True)
    for key, observations in results.items():
        assert [o.case_id for o in observations] == [c.id for c in cases], key
        assert all(o.status is Status.OK for o in observations), key


def test_a_free_cpu_helps_the_slowest_framework(load_log: Path) -> None:
    _run_slow_and_fast(parallel=2)
    # fake_cpu finishes at once; its lane then starts a second `fake` worker for the work left.
    assert len([line for line in loads(load_log) if line.startswith("fake cpu")]) == 2


def test_a_single_framework_gets_a_helper_on_a_free_cpu(load_log: Path) -> None:
    options = RunOptions(FAST_TIMEOUT, FAST_MEMORY_MB, batch_size=4, parallel=2)
    cases = [make_case(i, seconds=0.05) for i in range(100)]
    with Session(options, adapters=FAKE_ADAPTERS) as session:
        observations = session.run([(SLEEP, "cpu")], cases, spread=True)[("fake.sleep", "cpu")]
        assert [o.case_id for o in observations] == [c.id for c in cases]
        assert len(loads(load_log)) == 2
        # Without `spread`, a job's cases stay in its one worker, in order.
        pid = make_impl("fake.pid")
        again = session.run([(pid, "cpu")], [make_case(i) for i in range(200)])[("fake.pid", "cpu")]
        assert len({int(o.outputs[0].values[0]) for o in again}) == 1


def test_no_helper_beyond_the_parallel_limit(load_log: Path) -> None:
    _run_slow_and_fast(parallel=1)
    assert len([line for line in loads(load_log) if line.startswith("fake cpu")]) == 1


def test_scripts_of_two_frameworks_run_side_by_side(session: Session) -> None:
    code = "import time, os\nstart = time.time()\ntime.sleep(0.5)\nprint(os.getpid(), start, time.time())\n"
    scripts = [
        ("fake", "cpu", code),
        ("fake2", "cpu", code),
        ("fake", "cpu", "print('third')"),
        ("nosuch", "cpu", "1"),
    ]
    results = session.run_scripts(scripts)
    assert len(results) == 4 and results[2] == ScriptResult("third\n", None)
    assert (results[3].error or "").startswith("Unavailable: nosuch is unavailable on cpu")
    (pid_a, start_a, end_a), (pid_b, start_b, end_b) = (map(float, r.stdout.split()) for r in results[:2])
    assert pid_a != pid_b and max(start_a, start_b) < min(end_a, end_b)  # they overlapped


def test_prestart_loads_workers_in_the_background(session: Session, load_log: Path) -> None:
    session.prestart([("fake", "cpu"), ("fake2", "cpu"), ("nosuch", "cpu")])
    deadline = time.monotonic() + 30.0
    while len(loads(load_log)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sorted(line.split()[:2] for line in loads(load_log)) == [["fake", "cpu"], ["fake", "cpu"]]
    assert session.worker_info("fake", "cpu").available and not session.worker_info("nosuch", "cpu").available
    assert len(loads(load_log)) == 2  # worker_info found the started workers
