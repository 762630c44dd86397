"""The real torch and MindSpore adapters, run through workers (slow: each worker imports its framework)."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator

import numpy as np
import pytest

from apicompat.execute import RunOptions, Session
from apicompat.records import Case, Implementation, OutArg, Status, TensorArg
from apicompat.records.arrays import materialize

pytestmark = pytest.mark.frameworks


def require(framework: str, adapter_module: str) -> None:
    """Skip unless the framework and its adapter are installed."""
    if importlib.util.find_spec(framework) is None:
        pytest.skip(f"{framework} is not installed")
    if importlib.util.find_spec(adapter_module) is None:
        pytest.skip(f"{adapter_module} is not written yet")


@pytest.fixture(scope="module")
def session() -> Iterator[Session]:
    with Session(RunOptions(timeout=120.0, memory_mb=8192)) as s:
        yield s


X = TensorArg("float32", (3, 4), seed=7)
CASES = [
    Case("cumsum", (("input", X), ("dim", 1))),
    Case("cumsum", (("input", TensorArg("int8", (5,), fill="overflow", seed=1)), ("dim", 0))),
    Case("cumsum", (("input", X), ("dim", 5))),
    Case("cumsum", (("input", X), ("dim", 0), ("out", OutArg("float32", (3, 4))))),
]


def test_torch_cumsum(session: Session) -> None:
    require("torch", "apicompat.frameworks.torch_adapter")
    function = Implementation("torch", "torch.cumsum", (), ("input", "dim"))
    method = Implementation("torch", "torch.Tensor.cumsum", (), ("dim",), method=True)
    results = session.run([(function, "cpu"), (method, "cpu")], CASES)
    ok, wide, bad, out = results[("torch.cumsum", "cpu")]
    assert ok.status is Status.OK and ok.outputs[0].dtype == "float32"
    np.testing.assert_array_equal(ok.outputs[0].values, np.cumsum(materialize(X), axis=1))
    assert wide.status is Status.OK and wide.outputs[0].dtype == "int64"  # integers widen
    assert (bad.status, bad.error_type) == (Status.ERROR, "IndexError")
    assert "Dimension out of range" in (bad.error_message or "")
    assert out.status is Status.OK
    np.testing.assert_array_equal(out.outputs[0].values, np.cumsum(materialize(X), axis=0))
    via_method = results[("torch.Tensor.cumsum", "cpu")]
    assert [o.status for o in via_method] == [Status.OK, Status.OK, Status.ERROR, Status.ERROR]
    assert via_method[3].error_type == "TypeError"  # Tensor.cumsum takes no out=: measured, not assumed
    np.testing.assert_array_equal(via_method[0].outputs[0].values, ok.outputs[0].values)

    printed = session.run_script(
        "torch", "cpu", "import torch\nprint(torch.cumsum(torch.tensor([1, 2, 3]), 0))\n"
    )
    assert (printed.stdout, printed.error) == ("tensor([1, 3, 6])\n", None)
    signature = session.signature(function)
    assert signature.api == "torch.cumsum" and "dim" in [p.name for p in signature.params]


def test_mindspore_cumsum(session: Session) -> None:
    require("mindspore", "apicompat.frameworks.mindspore_adapter")
    impl = Implementation(
        "mindspore",
        "mindspore.ops.cumsum",
        (("input", "x"), ("dim", "axis"), ("out", None)),
        ("input", "dim"),
    )
    ok, wide, bad, out = session.run([(impl, "cpu")], CASES)[("mindspore.ops.cumsum", "cpu")]
    assert ok.status is Status.OK, ok
    np.testing.assert_allclose(ok.outputs[0].values, np.cumsum(materialize(X), axis=1))
    assert wide.status in (Status.OK, Status.ERROR)  # measured, whatever it is
    assert bad.status is Status.ERROR and bad.error_type  # attributed to the case that caused it
    assert (out.status, out.error_message) == (
        Status.NOT_RUN,
        "parameter 'out' has no counterpart in mindspore.ops.cumsum",
    )
    assert session.worker_info("mindspore", "cpu").version
