"""How a worker builds and makes each call: conventions, argument kinds, NOT_RUN, resolution."""

from __future__ import annotations

import numpy as np
from fake_frameworks import make_case, make_impl

from apicompat.execute import Session
from apicompat.records import (
    Case,
    DtypeArg,
    Implementation,
    Observation,
    OutArg,
    Status,
    TensorArg,
    TensorListArg,
)
from apicompat.records.arrays import materialize


def run_one(session: Session, impl: Implementation, case: Case, device: str = "cpu") -> Observation:
    (observation,) = session.run([(impl, device)], [case])[(impl.api, device)]
    return observation


def input_of(case: Case) -> np.ndarray:
    tensor = case.arg_dict["input"]
    assert isinstance(tensor, TensorArg)
    return materialize(tensor)


def test_positional_then_renamed_keywords(session: Session) -> None:
    # scaled_cumsum(x, dim, /, *, scale): a wrong convention raises TypeError.
    impl = make_impl("fake.scaled_cumsum", params={"factor": "scale"}, positional=("input", "dim"))
    case = make_case(1, shape=(2, 3), dim=1, factor=2.0)
    observation = run_one(session, impl, case)
    assert observation.status is Status.OK, observation
    np.testing.assert_allclose(observation.outputs[0].values, np.cumsum(input_of(case), axis=1) * 2.0)


def test_unsupported_parameter_is_not_run(session: Session) -> None:
    impl = make_impl("fake.ok", params={"input": "x", "out": None})
    cases = [make_case(1, out=OutArg("float32", (3,))), make_case(2)]
    observations = session.run([(impl, "cpu")], cases)[("fake.ok", "cpu")]
    assert [o.status for o in observations] == [Status.NOT_RUN, Status.OK]
    assert observations[0].error_message == "parameter 'out' has no counterpart in fake.ok"
    assert observations[0].outputs == ()


def test_method_call_on_the_first_tensor(session: Session) -> None:
    impl = make_impl("numpy.ndarray.cumsum", params={"dim": "axis"}, positional=(), method=True)
    case = make_case(3, shape=(2, 3), dim=0)
    observation = run_one(session, impl, case)
    assert observation.status is Status.OK, observation
    np.testing.assert_array_equal(observation.outputs[0].values, input_of(case).cumsum(axis=0))
    assert observation.target == "numpy.ndarray.cumsum"


def test_dtype_out_and_tensor_list_arguments(session: Session) -> None:
    cumsum = make_impl("fake.scaled_cumsum", positional=("input", "dim"))
    case = Case(
        "fake", (("input", TensorArg("int32", (3,), seed=1)), ("dim", 0), ("dtype", DtypeArg("float64")))
    )
    observation = run_one(session, cumsum, case)
    assert observation.status is Status.OK and observation.outputs[0].dtype == "float64"

    out = run_one(session, make_impl("fake.fill_out"), make_case(2, out=OutArg("float32", (3,))))
    assert out.status is Status.OK
    np.testing.assert_array_equal(out.outputs[0].values, input_of(make_case(2)))

    items = (TensorArg("float32", (2,), seed=1), TensorArg("float32", (3,), seed=2))
    concat = make_impl("fake.concat", positional=("tensors",))
    joined = run_one(session, concat, Case("fake", (("tensors", TensorListArg(items)), ("dim", 0))))
    assert joined.status is Status.OK and joined.outputs[0].shape == (5,)
    np.testing.assert_array_equal(joined.outputs[0].values, np.concatenate([materialize(t) for t in items]))


def test_call_receives_the_dtype_of_each_tensor_argument(session: Session) -> None:
    items = TensorListArg((TensorArg("int8", (2,)), TensorArg("float64", (2,))))
    case = make_case(1, dtype="float16", others=items, out=OutArg("int64", (3,)))
    observation = run_one(session, make_impl("fake.dtypes"), case)
    assert observation.status is Status.OK, observation
    assert list(observation.outputs[0].values) == [
        "input=float16", "others=int8", "others[0]=int8", "others[1]=float64", "out=int64",
    ]  # fmt: skip


def test_unresolvable_api_is_an_error_for_each_case(session: Session) -> None:
    observations = session.run([(make_impl("fake.nosuch"), "cpu")], [make_case(1), make_case(2)])
    for observation in observations[("fake.nosuch", "cpu")]:
        assert observation.status is Status.ERROR and observation.error_type == "AttributeError"
        assert (
            observation.error_message == "cannot resolve fake.nosuch: module 'fake' has no attribute 'nosuch'"
        )


def test_an_argument_that_cannot_be_built_is_named(session: Session) -> None:
    case = Case("fake", (("input", TensorArg("float32", (3,))), ("dim", 0), ("dtype", DtypeArg("bfloat16"))))
    observation = run_one(session, make_impl("fake.scaled_cumsum", positional=("input", "dim")), case)
    assert observation.status is Status.ERROR and observation.error_type == "TypeError"
    assert (
        observation.error_message == "while building argument 'dtype' (bfloat16): fake has no bfloat16 dtype"
    )


def test_observations_follow_case_order_and_carry_timings(session: Session) -> None:
    cases = [make_case(i, seconds=0.05 * (i % 2)) for i in range(6)]
    observations = session.run([(make_impl("fake.sleep"), "gpu")], cases)[("fake.sleep", "gpu")]
    assert [o.case_id for o in observations] == [c.id for c in cases]
    assert all(o.device == "gpu" and o.ok for o in observations)
    assert all(o.seconds >= 0.04 for o in observations[1::2])
