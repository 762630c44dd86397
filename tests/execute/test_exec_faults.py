"""A crash, abort, exit, hang, memory blow-up or error costs exactly the case that caused it."""

from __future__ import annotations

import numpy as np
import pytest
from fake_frameworks import FAKE_ADAPTERS, FAST_MEMORY_MB, FAST_TIMEOUT, make_case, make_impl

from apicompat.execute import RunOptions, Session
from apicompat.records import Case, Observation, Status, TensorArg
from apicompat.records.arrays import materialize

DISPATCH = make_impl("fake.dispatch")
KEY = ("fake.dispatch", "cpu")

FAULTS = [
    # action, status, error_type, text in the message
    ("segfault", Status.CRASH, "SIGSEGV", "worker died with SIGSEGV"),
    ("abort", Status.CRASH, "SIGABRT", "worker died with SIGABRT"),
    ("exit", Status.CRASH, "ExitCode3", "worker exited with code 3"),
    ("hang", Status.TIMEOUT, "Timeout", f"did not finish within {FAST_TIMEOUT:g} s"),
    ("memory", Status.CRASH, "MemoryLimit", f"memory limit of {FAST_MEMORY_MB} MiB exceeded"),
    ("raise", Status.ERROR, "ValueError", "fake.raise rejects this input"),
    ("deferred", Status.ERROR, "RuntimeError", "deferred failure launched by fake.deferred"),
    ("deferred_read", Status.ERROR, "RuntimeError", "deferred failure launched by fake.deferred_read"),
]


def run(session: Session, cases: list[Case]) -> list[Observation]:
    return session.run([(DISPATCH, "cpu")], cases)[KEY]


def assert_echoed(observation: Observation, case: Case) -> None:
    """The case ran normally: its output is its input."""
    assert observation.status is Status.OK, observation
    tensor = case.arg_dict["input"]
    assert isinstance(tensor, TensorArg)
    np.testing.assert_array_equal(observation.outputs[0].values, materialize(tensor))


@pytest.mark.parametrize(("action", "status", "error_type", "text"), FAULTS, ids=[f[0] for f in FAULTS])
def test_a_fault_costs_exactly_its_case(
    load_log: object, action: str, status: Status, error_type: str, text: str
) -> None:
    # On a loaded machine, filling memory can take longer than the fast timeout.
    timeout = 20.0 if action == "memory" else FAST_TIMEOUT
    with Session(RunOptions(timeout, FAST_MEMORY_MB), adapters=FAKE_ADAPTERS) as session:
        check_fault(session, action, status, error_type, text)


def check_fault(session: Session, action: str, status: Status, error_type: str, text: str) -> None:
    cases = [make_case(1), make_case(2, action=action), make_case(3), make_case(4)]
    observations = run(session, cases)
    assert [o.case_id for o in observations] == [c.id for c in cases]
    assert [o.status for o in observations] == [Status.OK, status, Status.OK, Status.OK]
    assert observations[1].error_type == error_type
    assert text in (observations[1].error_message or "")
    assert observations[1].target == "fake.dispatch" and observations[1].device == "cpu"
    for observation, case in zip(observations, cases, strict=True):
        if observation is not observations[1]:
            assert_echoed(observation, case)


def test_a_deferred_error_is_not_charged_to_the_next_case(session: Session) -> None:
    cases = [
        make_case(1, action="deferred"),
        make_case(2),
        make_case(3, action="deferred_read"),
        make_case(4),
    ]
    statuses = [o.status for o in run(session, cases)]
    assert statuses == [Status.ERROR, Status.OK, Status.ERROR, Status.OK]


def test_crash_message_shows_the_log_of_that_case_only(session: Session) -> None:
    observations = run(session, [make_case(1, action="print"), make_case(2, action="segfault")])
    assert observations[0].status is Status.OK
    message = observations[1].error_message or ""
    # faulthandler's traceback, from the worker's log, names the function that crashed.
    assert "worker log (last lines)" in message and "in segfault" in message
    assert "fake.print" not in message  # the previous case's output is not blamed on this one
    assert "0x0000" not in message  # addresses are masked, so reports stay reproducible


def test_each_fault_in_one_batch_costs_one_case(session: Session) -> None:
    actions = ["ok", "segfault", "ok", "exit", "exit", "raise", "ok", "abort"]
    observations = run(session, [make_case(i, action=a) for i, a in enumerate(actions)])
    assert [o.status for o in observations] == [
        Status.OK, Status.CRASH, Status.OK, Status.CRASH, Status.CRASH, Status.ERROR, Status.OK, Status.CRASH,
    ]  # fmt: skip


@pytest.mark.parametrize("batch_size", [1, 2, 3])
def test_faults_at_batch_edges(load_log: object, batch_size: int) -> None:
    options = RunOptions(timeout=FAST_TIMEOUT, memory_mb=FAST_MEMORY_MB, batch_size=batch_size)
    actions = ["ok", "segfault", "exit", "ok", "ok", "raise"]
    with Session(options, adapters=FAKE_ADAPTERS) as session:
        observations = run(session, [make_case(i, action=a) for i, a in enumerate(actions)])
    assert [o.status for o in observations] == [
        Status.OK, Status.CRASH, Status.CRASH, Status.OK, Status.OK, Status.ERROR,
    ]  # fmt: skip


def test_worker_restarts_after_a_crash_but_not_after_an_error(session: Session) -> None:
    pid = make_impl("fake.pid")
    key = ("fake.pid", "cpu")
    cases = [make_case(1), make_case(2, action="raise"), make_case(3)]
    first = [int(o.outputs[0].values[0]) for o in session.run([(pid, "cpu")], cases)[key] if o.ok]
    assert first[0] == first[1]  # an exception does not restart the worker
    dispatch = session.run([(DISPATCH, "cpu")], [make_case(4, action="segfault")])[KEY]
    assert dispatch[0].status is Status.CRASH
    after = session.run([(pid, "cpu")], [make_case(5)])[key]
    assert after[0].ok and int(after[0].outputs[0].values[0]) != first[0]


def test_printing_does_not_corrupt_the_protocol(session: Session) -> None:
    cases = [make_case(i, action="print") for i in range(3)] + [make_case(9)]
    for observation, case in zip(run(session, cases), cases, strict=True):
        assert_echoed(observation, case)


def test_wrong_dtype_is_reported_as_returned(session: Session) -> None:
    (observation,) = session.run([(make_impl("fake.wrong_dtype"), "cpu")], [make_case(1)])[
        ("fake.wrong_dtype", "cpu")
    ]
    assert observation.status is Status.OK
    assert observation.outputs[0].dtype == "float64"  # the worker never casts results


def test_global_state_and_stray_threads_do_not_block_the_session(session: Session) -> None:
    cases = [make_case(1, action="globals"), make_case(2), make_case(3, action="print")]
    for observation, case in zip(run(session, cases), cases, strict=True):
        assert_echoed(observation, case)
