"""Workers forked from a fork server per framework: same isolation, a fallback when it is gone."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from fake_frameworks import FAKE_ADAPTERS, FAST_MEMORY_MB, FAST_TIMEOUT, loads, make_case, make_impl

from apicompat.execute import RunOptions, Session
from apicompat.execute.forkserver import STOPPED_SERVER_SECONDS, ForkServer, ServerLost
from apicompat.execute.options import FORK_SERVER_ENV
from apicompat.execute.session import SERVER_STARTS
from apicompat.records import Status

DISPATCH = make_impl("fake.dispatch")
PID = make_impl("fake.pid")


def parent_of(pid: int) -> int:
    """The parent pid of a running process, from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[1])


def worker_pid(session: Session, device: str = "cpu") -> int:
    (observation,) = session.run([(PID, device)], [make_case()])[("fake.pid", device)]
    assert observation.ok, observation
    return int(observation.outputs[0].values[0])


def gone(pid: int, within: float = 5.0) -> bool:
    """True once `pid` no longer exists (waiting up to `within` seconds)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def test_workers_of_one_framework_share_a_fork_server(session: Session, load_log: Path) -> None:
    cpu, gpu = worker_pid(session, "cpu"), worker_pid(session, "gpu")
    server = parent_of(cpu)
    assert cpu != gpu and parent_of(gpu) == server and server != os.getpid()
    script = session.run_script("fake", "cpu", "import os\nprint(os.getppid())\n")
    assert int(script.stdout) == server  # script workers too
    # Each worker loads its adapter itself (device, settings): the server only imports.
    assert sorted(loads(load_log)) == sorted(
        [f"fake cpu {cpu}", f"fake gpu {gpu}", f"fake cpu {script_pid(session)}"]
    )


def script_pid(session: Session) -> int:
    return int(session.run_script("fake", "cpu", "import os\nprint(os.getpid())\n").stdout)


def test_a_crash_restarts_a_forked_worker_and_reports_its_signal(session: Session) -> None:
    first = worker_pid(session)
    server = parent_of(first)
    (crashed,) = session.run([(DISPATCH, "cpu")], [make_case(1, action="segfault")])[("fake.dispatch", "cpu")]
    assert crashed.status is Status.CRASH and crashed.error_type == "SIGSEGV"
    second = worker_pid(session)
    assert second != first and parent_of(second) == server


def test_without_a_fork_server_workers_are_spawned_by_the_session(load_log: Path) -> None:
    options = RunOptions(timeout=FAST_TIMEOUT, memory_mb=FAST_MEMORY_MB, fork_server=False)
    with Session(options, adapters=FAKE_ADAPTERS) as session:
        pid = worker_pid(session)
        assert parent_of(pid) == os.getpid()
        cases = [make_case(1), make_case(2, action="exit"), make_case(3)]
        statuses = [o.status for o in session.run([(DISPATCH, "cpu")], cases)[("fake.dispatch", "cpu")]]
        assert statuses == [Status.OK, Status.CRASH, Status.OK]


def test_a_lost_fork_server_is_replaced_then_workers_are_spawned(session: Session) -> None:
    servers = []
    for _ in range(SERVER_STARTS):
        first = worker_pid(session)
        server = parent_of(first)
        assert server != os.getpid() and server not in servers  # forked, from a new server each time
        servers.append(server)
        os.kill(server, signal.SIGKILL)  # from outside, as the OOM killer would
        assert gone(server)
        # The worker is retired between batches; a crash forces a fresh one, and the case after it runs.
        cases = [make_case(1), make_case(2, action="segfault"), make_case(3)]
        statuses = [o.status for o in session.run([(DISPATCH, "cpu")], cases)[("fake.dispatch", "cpu")]]
        assert statuses == [Status.OK, Status.CRASH, Status.OK]
    # A server that keeps dying is not started in a loop: workers are then spawned by the session.
    assert parent_of(worker_pid(session)) == os.getpid()


def test_a_server_lost_after_it_forked_leaves_no_second_worker_on_the_channel(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server forks a worker, then is lost before its pid comes back (a kill mid-fork).

    The orphan got the channel's descriptors; the worker spawned instead must get its own, or
    the two would share one pipe: the orphan's greeting would be read as the answer to a request.
    """
    worker_pid(session)  # the server is running
    real_fork = ForkServer.fork
    orphans: list[int] = []

    def fork_then_lose(self: ForkServer, device: str, fds: tuple[int, int, int, int], timeout: float):  # type: ignore[no-untyped-def]
        orphans.append(real_fork(self, device, fds, timeout).pid)
        raise ServerLost("the fork server did not answer")

    monkeypatch.setattr(ForkServer, "fork", fork_then_lose)
    for n in range(3):  # each script runs in a fresh worker: a crash retires the one before
        script = session.run_script(
            "fake", "cpu", f"print({n})\nimport os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n"
        )
        assert script.error is not None and script.error.startswith("SIGSEGV"), script
    assert session.run_script("fake", "cpu", "print('answer')\n").stdout.strip() == "answer"
    assert orphans and all(gone(pid) for pid in orphans)  # they read EOF on a channel nobody holds


def test_a_stopped_fork_server_is_given_up_on_within_seconds(session: Session) -> None:
    server = parent_of(worker_pid(session))
    os.kill(server, signal.SIGSTOP)  # stalled from outside: it would never answer a fork request
    started = time.monotonic()
    cases = [make_case(1, action="segfault"), make_case(2)]
    statuses = [o.status for o in session.run([(DISPATCH, "cpu")], cases)[("fake.dispatch", "cpu")]]
    assert statuses == [Status.CRASH, Status.OK]
    assert time.monotonic() - started < STOPPED_SERVER_SECONDS + 20  # not the 180 s start timeout
    assert parent_of(worker_pid(session)) not in (server, 0)


def test_closing_the_session_stops_its_fork_servers(load_log: Path) -> None:
    session = Session(RunOptions(timeout=FAST_TIMEOUT), adapters=FAKE_ADAPTERS)
    pid = worker_pid(session)
    server = parent_of(pid)
    session.close()
    assert gone(pid) and gone(server)


def test_the_environment_can_turn_the_fork_server_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FORK_SERVER_ENV, "0")
    assert RunOptions().fork_server is False
    monkeypatch.setenv(FORK_SERVER_ENV, "1")
    assert RunOptions().fork_server is True
    assert RunOptions(fork_server=False).fork_server is False
