"""The per-case logic a worker runs, tested in-process with the fake adapter."""

from __future__ import annotations

import fake_frameworks
import numpy as np
import pytest
from fake_frameworks import FakeAdapter, make_case, make_impl

from apicompat.execute.invoke import build_call, resolve_target, run_case, trim, unsupported_parameter
from apicompat.records import Case, DtypeArg, Status, TensorArg


@pytest.fixture
def adapter() -> FakeAdapter:
    fake = FakeAdapter("cpu")
    fake.load()
    return fake


def test_positional_params_stop_at_the_first_absent_one(adapter: FakeAdapter) -> None:
    impl = make_impl(
        "fake.ok", params={"dim": "axis", "scale": "alpha"}, positional=("input", "dim", "scale")
    )
    case = Case("c", (("input", TensorArg("float32", (2,))), ("scale", 2.0), ("keepdim", True)))
    call = build_call(adapter, impl, case)
    # `dim` is absent, so `scale` cannot go second by position: it goes by its target name.
    assert len(call.args) == 1 and call.kwargs == {"alpha": 2.0, "keepdim": True}
    assert call.dtypes == {"input": "float32"}


def test_method_receiver_is_the_first_tensor(adapter: FakeAdapter) -> None:
    impl = make_impl("numpy.ndarray.clip", positional=("min",), method=True)
    case = Case("c", (("min", 0.5), ("input", TensorArg("float64", (3,), seed=4)), ("max", 1.0)))
    call = build_call(adapter, impl, case)
    assert call.self_param == "input"
    assert call.args == [0.5] and call.kwargs == {"max": 1.0}
    assert resolve_target(adapter, impl) is None  # looked up on the receiver at call time


def test_method_without_a_tensor_is_an_error(adapter: FakeAdapter) -> None:
    impl = make_impl("numpy.ndarray.sum", method=True)
    observation = run_case(adapter, impl, "cpu", Case("c", (("dim", 0),)), None)
    assert observation.status is Status.ERROR and observation.error_type == "TypeError"
    assert "no tensor argument" in (observation.error_message or "")


def test_unsupported_parameter_names_the_first_missing_counterpart() -> None:
    impl = make_impl("mindspore.ops.cumsum", params={"input": "x", "out": None, "dtype": None})
    assert unsupported_parameter(impl, make_case(dim=0)) is None
    case = Case("c", (("input", TensorArg("float32", (2,))), ("dtype", DtypeArg("float64"))))
    assert unsupported_parameter(impl, case) == "parameter 'dtype' has no counterpart in mindspore.ops.cumsum"


def test_an_error_drains_pending_async_work(adapter: FakeAdapter) -> None:
    # A call that launches async work and then raises must not leave that work's error
    # to the next case.
    def launches_then_raises(input: np.ndarray) -> np.ndarray:
        fake_frameworks.deferred(input)
        raise ValueError("synchronous failure")

    impl = make_impl("fake.ok")
    first = run_case(adapter, impl, "cpu", make_case(1), launches_then_raises)
    second = run_case(adapter, impl, "cpu", make_case(2), fake_frameworks.ok)
    assert (first.status, first.error_type) == (Status.ERROR, "ValueError")
    assert second.status is Status.OK


def test_long_messages_are_trimmed(adapter: FakeAdapter) -> None:
    def noisy(input: np.ndarray) -> np.ndarray:
        raise RuntimeError("x" * 5000)

    observation = run_case(adapter, make_impl("fake.ok"), "cpu", make_case(), noisy)
    message = observation.error_message or ""
    assert len(message) == 1000 and message.endswith("…[truncated]")
    assert trim("short") == "short"


def test_system_exit_in_a_call_is_the_case_error(adapter: FakeAdapter) -> None:
    def exits(input: np.ndarray) -> np.ndarray:
        raise SystemExit(2)

    observation = run_case(adapter, make_impl("fake.ok"), "cpu", make_case(), exits)
    assert (observation.status, observation.error_type, observation.error_message) == (
        Status.ERROR,
        "SystemExit",
        "2",
    )


def test_a_case_can_name_a_positional_parameter_by_keyword(adapter: FakeAdapter) -> None:
    impl = make_impl("fake.ok", params={"dim": "axis"}, positional=("input", "dim", "keepdim"))
    case = Case(
        "c", (("input", TensorArg("float32", (2,))), ("dim", 0), ("keepdim", True)), by_keyword=("dim",)
    )
    call = build_call(adapter, impl, case)
    # `dim` goes by its target name, and `keepdim` after it too: its position would have shifted.
    assert len(call.args) == 1 and call.kwargs == {"axis": 0, "keepdim": True}
    plain = Case("c", case.args)
    assert plain.id != case.id and "(by keyword: dim)" in case.label


def test_object_addresses_are_blanked_from_messages() -> None:
    from apicompat.execute.invoke import describe_exception, without_addresses

    assert (
        without_addresses("<TensorPy object at 0x7fb5a4162e90> and 0x10")
        == "<TensorPy object at 0x…> and 0x10"
    )
    assert describe_exception(SystemError("<built-in method f at 0x7f3a19f52340> returned")) == (
        "<built-in method f at 0x…> returned"
    )
