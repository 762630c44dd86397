"""Real torch and MindSpore ops that change process-global state do not change what later cases measure."""

from __future__ import annotations

import numpy as np
import pytest

from apicompat.execute import RunOptions, Session
from apicompat.records import Case, DtypeArg, Implementation, Status, TensorArg

pytestmark = [pytest.mark.frameworks, pytest.mark.slow]

INTS = TensorArg("int32", (4,), seed=1)
FLOATS = TensorArg("float32", (4,), seed=2)


def impl(framework: str, api: str, *names: str) -> Implementation:
    return Implementation(framework, api, tuple((n, n) for n in names), positional=names)


def test_torch_default_dtype_and_seed_are_restored_before_each_case() -> None:
    pytest.importorskip("torch")
    set_default = impl("torch", "torch.set_default_dtype", "d")
    divide = impl("torch", "torch.true_divide", "input", "other")
    rand_like = impl("torch", "torch.rand_like", "input")
    with Session(RunOptions(timeout=60)) as session:
        # set_default_dtype returns None (an error for apicompat), but its side effect happened.
        changed = session.run([(set_default, "cpu")], [Case("t", (("d", DtypeArg("float64")),))])
        (after_call,) = changed[("torch.set_default_dtype", "cpu")]
        assert after_call.status is Status.ERROR and "NoneType" in (after_call.error_message or "")
        (quotient,) = session.run([(divide, "cpu")], [Case("t", (("input", INTS), ("other", INTS)))])[
            ("torch.true_divide", "cpu")
        ]
        # int / int gives the default float dtype: float32 again, not the float64 set above.
        assert quotient.status is Status.OK and quotient.outputs[0].dtype == "float32"
        first, second = (
            session.run([(rand_like, "cpu")], [Case("t", (("input", FLOATS),), origin=str(i))])[
                ("torch.rand_like", "cpu")
            ][0]
            for i in range(2)
        )
        # Reseeded before each case: a random op gives the same values wherever its case runs.
        np.testing.assert_array_equal(first.outputs[0].values, second.outputs[0].values)


def test_mindspore_random_ops_repeat_wherever_their_case_runs() -> None:
    pytest.importorskip("mindspore")
    rand_like = impl("mindspore", "mindspore.ops.rand_like", "input")
    with Session(RunOptions(timeout=60)) as session:
        runs = [
            session.run([(rand_like, "cpu")], [Case("t", (("input", FLOATS),))])[
                ("mindspore.ops.rand_like", "cpu")
            ][0]
            for _ in range(2)
        ]
    assert all(r.status is Status.OK for r in runs), runs
    np.testing.assert_array_equal(runs[0].outputs[0].values, runs[1].outputs[0].values)
