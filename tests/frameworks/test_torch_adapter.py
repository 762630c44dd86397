"""The PyTorch adapter against real torch: dtypes, read-back, devices, lazy import."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import numpy as np
import pytest

from apicompat.frameworks.torch_adapter import TorchAdapter
from apicompat.records import DTYPES, OutArg, TensorArg
from apicompat.records.arrays import materialize

FILLS = ("random", "special", "overflow")


def test_module_import_does_not_import_torch() -> None:
    code = "import apicompat.frameworks.torch_adapter, sys; assert 'torch' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.fixture(scope="module")
def torch() -> Any:
    return pytest.importorskip("torch")


@pytest.fixture(scope="module")
def adapter(torch: Any) -> TorchAdapter:
    a = TorchAdapter("cpu")
    a.load()
    return a


pytestmark = pytest.mark.frameworks


def test_load_settings(adapter: TorchAdapter, torch: Any) -> None:
    assert torch.get_num_threads() == 1
    assert torch.are_deterministic_algorithms_enabled()
    assert adapter.version() == torch.__version__
    assert "cpu" in adapter.available_devices()


def test_gpu_unavailable_is_a_clear_error(torch: Any) -> None:
    if torch.cuda.is_available():
        pytest.skip("CUDA is available here")
    assert TorchAdapter().available_devices() == ["cpu"]
    with pytest.raises(RuntimeError, match=r"device 'gpu' is unavailable.*no CUDA device"):
        TorchAdapter("gpu").load()


@pytest.mark.parametrize("fill", FILLS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_every_dtype_round_trips(adapter: TorchAdapter, torch: Any, dtype: str, fill: str) -> None:
    values = materialize(TensorArg(dtype, (2, 5), fill=fill, seed=3))
    t = adapter.tensor(values, dtype)
    assert t.dtype == getattr(torch, dtype) and tuple(t.shape) == (2, 5)
    (out,) = adapter.outputs(t)
    assert out.dtype == dtype and out.shape == (2, 5)
    assert out.values.dtype == values.dtype  # bfloat16 comes back in its float32 carrier
    got = out.values
    if values.dtype.kind in "fc":
        # NaN where NaN was; its payload may differ (see the bfloat16 test).
        nan = np.isnan(values)
        assert np.array_equal(np.isnan(got), nan)
        values, got = np.where(nan, 0, values), np.where(nan, 0, got)
    assert values.tobytes() == got.tobytes()  # bit for bit: signed zeros, extremes


def test_bfloat16_nan_comes_back_negative(adapter: TorchAdapter) -> None:
    # torch's float32 -> bfloat16 cast writes NaN as 0xFFFF: a NaN with the sign bit set.
    # Recorded, not hidden: the adapter reads back what torch holds.
    values = np.array([np.nan], dtype=np.float32)
    (out,) = adapter.outputs(adapter.tensor(values, "bfloat16"))
    assert np.isnan(out.values[0])
    assert out.values.view(np.uint32)[0] in (0xFFFF0000, 0x7FC00000)


def test_zero_d_and_empty(adapter: TorchAdapter) -> None:
    (scalar,) = adapter.outputs(adapter.tensor(np.array(2.5, dtype=np.float32), "float32"))
    assert scalar.shape == () and scalar.values.shape == () and scalar.values == 2.5
    (empty,) = adapter.outputs(adapter.tensor(np.zeros((0, 3), dtype=np.int8), "int8"))
    assert empty.shape == (0, 3)


def test_tensor_copies_its_input(adapter: TorchAdapter) -> None:
    values = np.arange(3, dtype=np.int32)
    adapter.tensor(values, "int32").add_(5)
    assert values.tolist() == [0, 1, 2]


def test_tensor_rejects_a_wrong_carrier(adapter: TorchAdapter) -> None:
    with pytest.raises(ValueError, match="travels as float32"):
        adapter.tensor(np.zeros(2, dtype=np.float16), "bfloat16")


def test_out(adapter: TorchAdapter, torch: Any) -> None:
    out = adapter.out(OutArg("int16", (2, 3)))
    assert out.dtype == torch.int16 and tuple(out.shape) == (2, 3)
    x = adapter.tensor(np.array([1, 2, 3], dtype=np.int64), "int64")
    result = adapter.call(torch.cumsum, [x, 0], {"out": adapter.out(OutArg("int64", (3,)))}, {})
    assert adapter.outputs(result)[0].values.tolist() == [1, 3, 6]


def test_named_tuples_lists_and_scalars(adapter: TorchAdapter, torch: Any) -> None:
    x = adapter.tensor(np.array([[1.0, 5.0], [3.0, 2.0]], dtype=np.float32), "float32")
    values, indices = adapter.outputs(torch.max(x, 1))  # torch.return_types.max
    assert values.values.tolist() == [5.0, 3.0] and indices.dtype == "int64"
    assert [o.shape for o in adapter.outputs(torch.split(x, 1))] == [(1, 2), (1, 2)]
    (flag,) = adapter.outputs(torch.equal(x, x))
    assert (flag.dtype, flag.shape, bool(flag.values)) == ("bool", (), True)
    (item,) = adapter.outputs(x[0, 1].item())
    assert (item.dtype, float(item.values)) == ("float64", 5.0)
    assert [o.dtype for o in adapter.outputs(x.shape)] == ["int64", "int64"]  # torch.Size


def test_lazy_conjugate_is_resolved(adapter: TorchAdapter, torch: Any) -> None:
    x = adapter.tensor(np.array([1 + 2j], dtype=np.complex64), "complex64")
    (out,) = adapter.outputs(torch.conj(x))  # a view with the conjugate bit; .numpy() alone refuses it
    assert out.values.tolist() == [1 - 2j]


@pytest.mark.parametrize("bad", [None, "text", object(), np.float32(1.0)])
def test_unreadable_results_are_type_errors(adapter: TorchAdapter, bad: object) -> None:
    with pytest.raises(TypeError, match="cannot read result"):
        adapter.outputs(bad)


def test_outside_vocabulary_dtype(adapter: TorchAdapter, torch: Any) -> None:
    with pytest.raises(TypeError, match=r"result\[1\] has dtype torch.uint16"):
        adapter.outputs((torch.zeros(1), torch.zeros(1, dtype=torch.uint16)))


def test_dtype_names(adapter: TorchAdapter, torch: Any) -> None:
    assert [adapter.dtype(name) for name in DTYPES] == [getattr(torch, name) for name in DTYPES]
    with pytest.raises(ValueError, match="unknown dtype"):
        adapter.dtype("float8")
