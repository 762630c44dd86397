"""The MindSpore adapter against real MindSpore 2.10: dtypes, read-back, deferred errors."""

from __future__ import annotations

import operator
import subprocess
import sys
from typing import Any

import numpy as np
import pytest

from apicompat.frameworks.mindspore_adapter import MindSporeAdapter
from apicompat.records import DTYPES, OutArg, TensorArg
from apicompat.records.arrays import materialize

FILLS = ("random", "special", "overflow")


def test_module_import_does_not_import_mindspore() -> None:
    code = "import apicompat.frameworks.mindspore_adapter, sys; assert 'mindspore' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


pytestmark = pytest.mark.frameworks


@pytest.fixture(scope="module")
def ms() -> Any:
    return pytest.importorskip("mindspore")


@pytest.fixture(scope="module")
def adapter(ms: Any) -> MindSporeAdapter:
    a = MindSporeAdapter("cpu")
    a.load()
    return a


def test_load_selects_pynative_on_cpu(adapter: MindSporeAdapter, ms: Any) -> None:
    assert ms.get_context("mode") == ms.PYNATIVE_MODE
    assert ms.get_current_device().device_target == "CPU"
    assert adapter.version() == ms.__version__
    adapter.load()  # a second load is a no-op, not a "can not be modified" error


def test_gpu_unavailable_is_a_clear_error(adapter: MindSporeAdapter, ms: Any) -> None:
    if "gpu" in adapter.available_devices():
        pytest.skip("a GPU or Ascend device is usable here")
    assert adapter.available_devices() == ["cpu"]
    with pytest.raises(RuntimeError, match="device 'gpu' is unavailable"):
        MindSporeAdapter("gpu").load()


@pytest.mark.parametrize("fill", FILLS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_every_dtype_round_trips(adapter: MindSporeAdapter, ms: Any, dtype: str, fill: str) -> None:
    # MindSpore 2.10 holds all twelve vocabulary dtypes (complex and bfloat16 included);
    # only asnumpy() lacks bfloat16, which the adapter reads through float32.
    values = materialize(TensorArg(dtype, (2, 5), fill=fill, seed=3))
    t = adapter.tensor(values, dtype)
    assert t.dtype == getattr(ms, dtype) and tuple(t.shape) == (2, 5)
    (out,) = adapter.outputs(t)
    assert out.dtype == dtype and out.shape == (2, 5)
    assert out.values.dtype == values.dtype
    assert out.values.tobytes() == values.tobytes()  # bit for bit, NaN payloads included


def test_zero_d_and_empty(adapter: MindSporeAdapter) -> None:
    (scalar,) = adapter.outputs(adapter.tensor(np.array(True), "bool"))
    assert (scalar.dtype, scalar.shape, bool(scalar.values)) == ("bool", (), True)
    (empty,) = adapter.outputs(adapter.tensor(np.zeros((0, 3), dtype=np.float16), "float16"))
    assert empty.shape == (0, 3) and empty.dtype == "float16"


def test_tensor_rejects_a_wrong_carrier(adapter: MindSporeAdapter) -> None:
    with pytest.raises(ValueError, match="travels as int64"):
        adapter.tensor(np.zeros(2, dtype=np.int32), "int64")


def test_out_and_dtypes(adapter: MindSporeAdapter, ms: Any) -> None:
    out = adapter.out(OutArg("bfloat16", (2, 3)))
    assert out.dtype == ms.bfloat16 and tuple(out.shape) == (2, 3)
    assert [adapter.dtype(name) for name in DTYPES] == [getattr(ms, name) for name in DTYPES]


def test_cumsum_call_and_tuples(adapter: MindSporeAdapter, ms: Any) -> None:
    x = adapter.tensor(np.array([1, 2, 3, 4], dtype=np.int64), "int64")
    (out,) = adapter.outputs(adapter.call(ms.ops.cumsum, [x, 0], {"dtype": ms.int8}, {"input": "int64"}))
    assert (out.dtype, out.values.tolist()) == ("int8", [1, 3, 6, 10])
    m = adapter.tensor(np.array([[1.0, 5.0], [3.0, 2.0]], dtype=np.float32), "float32")
    values, indices = adapter.outputs(adapter.call(ms.ops.max, [m, 1], {}, {}))
    assert values.values.tolist() == [5.0, 3.0] and indices.dtype == "int64"
    (item,) = adapter.outputs(m[0, 1].item())
    assert (item.dtype, item.shape) == ("float64", ())


def test_first_python_scalar_op_works_after_load(adapter: MindSporeAdapter) -> None:
    # Without load()'s warm-up, the first `tensor + 1` of a process raises SystemError
    # (MindSpore's pybind11, built against NumPy 1.x, looks up NumPy 2's C API once).
    x = adapter.tensor(np.array([1.0], dtype=np.float32), "float32")
    (out,) = adapter.outputs(adapter.call(operator.add, [x, 1], {}, {}))
    assert out.values.tolist() == [2.0]


@pytest.mark.parametrize("bad", [None, "text", object()])
def test_unreadable_results_are_type_errors(adapter: MindSporeAdapter, bad: object) -> None:
    with pytest.raises(TypeError, match="cannot read result"):
        adapter.outputs(bad)


# An op whose error MindSpore raises asynchronously on CPU: gather_elements checks its
# indices inside the kernel, which runs after the call has returned.
_DEFERRED = """
import os
os.environ["GLOG_v"] = "3"
import numpy as np
import mindspore as ms
ms.set_device("CPU")
x = ms.Tensor(np.arange(4, dtype=np.float32))
ms.ops.gather_elements(x, 0, ms.Tensor(np.array([0, 7], dtype=np.int64)))
print("bad call returned")
try:
    print("next case:", ms.ops.cumsum(x, 0).asnumpy())
except RuntimeError as exc:
    print("next case failed:", str(exc).splitlines()[0])
# Draining the PyNative pipeline right after the call raises the error where it belongs.
from mindspore.graph.api import _pynative_executor
ms.ops.gather_elements(x, 0, ms.Tensor(np.array([0, 7], dtype=np.int64)))
try:
    _pynative_executor.sync()
except RuntimeError as exc:
    print("sync failed:", str(exc).splitlines()[0])
print("next case:", ms.ops.cumsum(x, 0).asnumpy())
"""


def test_without_sync_the_error_lands_on_the_next_case(ms: Any) -> None:
    """The experiment that motivates the adapter's synchronisation (raw MindSpore)."""
    run = subprocess.run([sys.executable, "-c", _DEFERRED], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    lines = run.stdout.splitlines()
    assert lines[0] == "bad call returned"
    assert lines[1].startswith("next case failed: For 'GatherD'"), lines
    assert lines[2].startswith("sync failed: For 'GatherD'"), lines
    assert lines[3] == "next case: [0. 1. 3. 6.]", lines


def test_adapter_attributes_the_error_to_its_own_case(adapter: MindSporeAdapter, ms: Any) -> None:
    x = adapter.tensor(np.arange(4, dtype=np.float32), "float32")
    index = adapter.tensor(np.array([0, 7], dtype=np.int64), "int64")
    with pytest.raises(RuntimeError, match="GatherD"):
        adapter.outputs(adapter.call(ms.ops.gather_elements, [x, 0, index], {}, {}))
    # The next case is clean: no error left behind in the pipeline.
    (out,) = adapter.outputs(adapter.call(ms.ops.cumsum, [x, 0], {}, {}))
    assert out.values.tolist() == [0.0, 1.0, 3.0, 6.0]
    adapter.synchronize()


def test_kernel_selection_errors_raise_at_the_call(adapter: MindSporeAdapter, ms: Any) -> None:
    # A dtype gap found on CPU: CumSum has no bfloat16 (nor bool) kernel.
    x = adapter.tensor(np.array([1.0, 2.0], dtype=np.float32), "bfloat16")
    with pytest.raises(TypeError, match="Unsupported data type"):
        adapter.call(ms.ops.cumsum, [x, 0], {}, {})
