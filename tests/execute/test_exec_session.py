"""Session behaviour: availability, reuse, concurrency, scripts, signatures, clean shutdown."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from fake_frameworks import FAKE_ADAPTERS, FAST_TIMEOUT, loads, make_case, make_impl

from apicompat.execute import RunOptions, ScriptResult, Session, WorkerInfo
from apicompat.records import ApicompatError, Observation, Status


def alive(pid: int) -> bool:
    """True while the process exists (a zombie counts: it was never reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def running(pid: int) -> bool:
    """True while the process exists and is not a zombie (an orphan may wait for a reaper)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def worker_pid(session: Session, framework: str = "fake", device: str = "cpu") -> int:
    impl = make_impl("fake.pid", framework=framework)
    (observation,) = session.run([(impl, device)], [make_case()])[("fake.pid", device)]
    assert observation.ok, observation
    return int(observation.outputs[0].values[0])


def script_pid(session: Session, framework: str = "fake", device: str = "cpu") -> int:
    result = session.run_script(framework, device, "import os\nprint(os.getpid())\n")
    assert result.error is None, result
    return int(result.stdout)


# Availability ---------------------------------------------------------------------------


def test_worker_info_of_a_loaded_framework(session: Session) -> None:
    info = session.worker_info("fake", "cpu")
    assert info == WorkerInfo("fake", "cpu", True, "1.0.fake", ("cpu", "gpu"), None)


def test_unknown_framework_is_unavailable(session: Session) -> None:
    info = session.worker_info("nosuch", "cpu")
    assert not info.available
    assert "no adapter registered for framework 'nosuch'" in (info.message or "")
    (observation,) = session.run([(make_impl("nosuch.op", framework="nosuch"), "cpu")], [make_case()])[
        ("nosuch.op", "cpu")
    ]
    assert observation.status is Status.UNAVAILABLE and observation.error_message == info.message


def test_framework_that_does_not_import_is_unavailable_without_retries(
    session: Session, load_log: Path
) -> None:
    info = session.worker_info("broken", "cpu")
    assert not info.available and info.version is None
    assert info.message == "broken could not be loaded on cpu: ImportError: No module named 'brokenframework'"
    impl = make_impl("fake.ok", framework="broken")
    for _ in range(2):
        observations = session.run([(impl, "cpu")], [make_case(1), make_case(2)])[("fake.ok", "cpu")]
        assert [o.status for o in observations] == [Status.UNAVAILABLE] * 2
        assert all(o.error_message == info.message for o in observations)
    assert (
        session.run_script("broken", "cpu", "print(1)").error
        == f"Unavailable: broken is unavailable on cpu: {info.message}"
    )
    # One attempt in all: an unavailable framework is not restarted in a loop.
    assert [line.split()[:2] for line in loads(load_log)] == [["broken", "cpu"]]


def test_unavailable_device_beside_an_available_one(session: Session) -> None:
    impl = make_impl("fake.ok", framework="fake_cpu")
    results = session.run([(impl, "cpu"), (impl, "gpu")], [make_case(1), make_case(2)])
    assert [o.status for o in results[("fake.ok", "cpu")]] == [Status.OK, Status.OK]
    gpu = results[("fake.ok", "gpu")]
    assert [o.status for o in gpu] == [Status.UNAVAILABLE] * 2
    assert "device 'gpu' is not available in fake_cpu" in (gpu[0].error_message or "")
    assert session.worker_info("fake_cpu", "cpu").available
    assert not session.worker_info("fake_cpu", "gpu").available


def test_a_framework_that_crashes_while_loading_is_unavailable(session: Session) -> None:
    info = session.worker_info("crashing", "cpu")
    assert not info.available
    message = info.message or ""
    assert message.startswith("crashing could not be loaded on cpu: worker died with SIGSEGV")
    assert "loading the native library" in message  # the log tail says what it was doing


# Reuse and concurrency ------------------------------------------------------------------


def test_workers_are_reused_across_runs(session: Session, load_log: Path) -> None:
    first = worker_pid(session)
    session.run([(make_impl("fake.ok"), "cpu")], [make_case(i) for i in range(5)])
    assert worker_pid(session) == first
    assert session.worker_pid("fake", "cpu") == first
    assert loads(load_log) == [f"fake cpu {first}"]


def test_jobs_on_two_workers_run_concurrently(session: Session) -> None:
    sleep = make_impl("fake.sleep")
    cases = [make_case(i, seconds=0.6) for i in range(2)]
    results = session.run([(sleep, "cpu"), (sleep, "gpu")], cases)
    spans = {
        device: [o.outputs[0].values for o in results[("fake.sleep", device)]] for device in ("cpu", "gpu")
    }
    cpu_start, cpu_end = spans["cpu"][0][0], spans["cpu"][-1][1]
    gpu_start, gpu_end = spans["gpu"][0][0], spans["gpu"][-1][1]
    assert max(cpu_start, gpu_start) < min(cpu_end, gpu_end), spans  # the two workers overlapped


def test_jobs_on_one_worker_run_in_sequence_and_keep_their_keys(session: Session) -> None:
    sleep, pid = make_impl("fake.sleep"), make_impl("fake.pid")
    cases = [make_case(i, seconds=0.1) for i in range(3)]
    results = session.run([(sleep, "cpu"), (pid, "cpu")], cases)
    assert list(results) == [("fake.sleep", "cpu"), ("fake.pid", "cpu")]
    assert all(len(v) == 3 and all(o.ok for o in v) for v in results.values())
    assert len({int(o.outputs[0].values[0]) for o in results[("fake.pid", "cpu")]}) == 1
    ends = [o.outputs[0].values[1] for o in results[("fake.sleep", "cpu")]]
    starts = [o.outputs[0].values[0] for o in results[("fake.sleep", "cpu")]]
    assert all(end <= start for end, start in zip(ends, starts[1:], strict=False))


def test_on_result_sees_every_observation_one_at_a_time(session: Session) -> None:
    seen: list[Observation] = []
    inside = threading.Lock()

    def on_result(observation: Observation) -> None:
        assert inside.acquire(blocking=False), "on_result was entered by two threads at once"
        try:
            time.sleep(0.01)
            seen.append(observation)
        finally:
            inside.release()

    impl = make_impl("fake.dispatch")
    cases = [make_case(i) for i in range(5)] + [make_case(9, action="segfault")]
    jobs = [(impl, "cpu"), (impl, "gpu"), (make_impl("fake.ok", framework="fake2"), "cpu")]
    results = session.run(jobs, cases, on_result)
    assert len(seen) == 3 * len(cases)
    assert sorted(id(o) for o in seen) == sorted(id(o) for obs in results.values() for o in obs)


def test_jobs_must_have_distinct_result_keys(session: Session) -> None:
    jobs = [(make_impl("fake.ok"), "cpu"), (make_impl("fake.ok", framework="fake2"), "cpu")]
    with pytest.raises(ValueError, match=r"share the result key \('fake\.ok', 'cpu'\)"):
        session.run(jobs, [make_case()])


def test_a_failing_on_result_stops_the_run_and_the_session_recovers(session: Session) -> None:
    def on_result(observation: Observation) -> None:
        if observation.device == "cpu":
            raise RuntimeError("callback failed")

    hang = make_impl("fake.dispatch")
    cases = [make_case(1, action="hang"), make_case(2)]
    assert session.worker_info("fake", "cpu").available and session.worker_info("fake", "gpu").available
    start = time.monotonic()
    with pytest.raises(RuntimeError, match="callback failed"):
        # cpu reports at once and fails; gpu is stopped in its hang, not left to time out.
        session.run([(make_impl("fake.ok"), "cpu"), (hang, "gpu")], cases, on_result)
    assert time.monotonic() - start < FAST_TIMEOUT
    results = session.run([(hang, "gpu"), (make_impl("fake.ok"), "cpu")], [make_case(3)])
    assert all(obs[0].ok for obs in results.values())


# Scripts and signatures -----------------------------------------------------------------


def test_run_script_captures_stdout(session: Session) -> None:
    result = session.run_script("fake", "cpu", "import numpy as np\nx = np.arange(3)\nprint(x.cumsum())\n")
    assert result == ScriptResult("[0 1 3]\n", None)


def test_run_script_reports_errors_and_uses_fresh_globals(session: Session) -> None:
    assert session.run_script("fake", "cpu", "secret = 1\nprint('set')") == ScriptResult("set\n", None)
    result = session.run_script("fake", "cpu", "print('before')\nprint(secret)\n")
    assert result == ScriptResult("before\n", "NameError: name 'secret' is not defined")
    assert session.run_script("fake", "cpu", "raise ValueError('boom')").error == "ValueError: boom"
    assert session.run_script("fake", "cpu", "import sys\nsys.exit(4)").error == "SystemExit: 4"
    assert session.run_script("fake", "cpu", "print(__name__)").stdout == "__main__\n"


def test_run_script_survives_crashes_and_hangs(session: Session) -> None:
    crash = session.run_script("fake", "cpu", "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n")
    assert crash.stdout == "" and (crash.error or "").startswith("SIGSEGV: worker died with SIGSEGV")
    hang = session.run_script("fake", "cpu", "while True:\n    pass\n")
    assert hang.error == f"Timeout: did not finish within {FAST_TIMEOUT:g} s; the worker was killed"
    assert session.run_script("fake", "cpu", "print(6 * 7)") == ScriptResult("42\n", None)


def test_scripts_run_apart_from_cases(session: Session) -> None:
    # A script that changes global state must not change what later cases measure.
    assert script_pid(session) != worker_pid(session)


def test_signature_of_a_plain_python_function(session: Session) -> None:
    pytest.importorskip("apicompat.frameworks.signatures", reason="read_signature is not written yet")
    info = session.signature(make_impl("fake_frameworks:documented"))
    assert info.api == "fake_frameworks:documented"
    assert [p.name for p in info.params] == ["input", "dim", "dtype", "out"]


def test_signature_of_a_missing_api_is_a_clear_error(session: Session) -> None:
    with pytest.raises(
        ApicompatError, match=r"cannot resolve fake\.nosuch in fake 1\.0\.fake: AttributeError"
    ):
        session.signature(make_impl("fake.nosuch"))
    with pytest.raises(ApicompatError, match="broken is unavailable"):
        session.signature(make_impl("fake.ok", framework="broken"))


# Shutdown -------------------------------------------------------------------------------


def test_close_reaps_every_worker_even_with_stray_threads(load_log: Path) -> None:
    session = Session(RunOptions(timeout=FAST_TIMEOUT), adapters=FAKE_ADAPTERS)
    session.run([(make_impl("fake.dispatch"), "cpu")], [make_case(1, action="globals")])
    pids = [worker_pid(session), worker_pid(session, device="gpu"), script_pid(session)]
    assert all(alive(pid) for pid in pids)
    start = time.monotonic()
    session.close()
    assert time.monotonic() - start < 2.0  # workers exit when asked; no one waited for a kill
    assert not any(alive(pid) for pid in pids)
    session.close()  # idempotent
    with pytest.raises(RuntimeError, match="closed"):
        session.worker_info("fake", "cpu")


def test_killing_a_worker_takes_its_helper_processes(session: Session) -> None:
    impl = make_impl("fake.dispatch")
    (spawned,) = session.run([(impl, "cpu")], [make_case(1, action="spawn_helper")])[("fake.dispatch", "cpu")]
    helper = int(spawned.outputs[0].values[0])
    assert running(helper)
    (crashed,) = session.run([(impl, "cpu")], [make_case(2, action="segfault")])[("fake.dispatch", "cpu")]
    assert crashed.status is Status.CRASH
    deadline = time.monotonic() + 5.0
    while running(helper) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not running(helper)


def test_a_dropped_session_stops_its_workers(load_log: Path) -> None:
    session = Session(RunOptions(timeout=FAST_TIMEOUT), adapters=FAKE_ADAPTERS)
    pid = worker_pid(session)
    del session  # the finalizer runs on garbage collection, as it would at exit
    assert not alive(pid)


def test_the_session_process_never_imports_an_adapter_or_framework() -> None:
    # Adapters travel as "module:Class" strings; only workers import them (and their frameworks).
    code = (
        "import sys\n"
        f"sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})\n"
        "from apicompat.execute import Session\n"
        "from apicompat.records import Case, Implementation, TensorArg\n"
        "case = Case('t', (('input', TensorArg('float32', (2,))),))\n"
        "with Session(adapters={'fake': 'fake_frameworks:FakeAdapter'}) as s:\n"
        "    obs = s.run([(Implementation('fake', 'fake.ok', ()), 'cpu')], [case])\n"
        "    print(obs[('fake.ok', 'cpu')][0].status.value)\n"
        "roots = ('fake_frameworks', 'torch', 'mindspore')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in roots))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["ok", "[]"]
