"""The NumPy reference adapter: carriers in, high-precision Outputs back."""

from __future__ import annotations

import numpy as np
import pytest

from apicompat import references
from apicompat.frameworks.numpy_ref import NumpyAdapter
from apicompat.records import DTYPES, OutArg, TensorArg
from apicompat.records.arrays import materialize
from apicompat.references import Result


@pytest.fixture
def adapter() -> NumpyAdapter:
    a = NumpyAdapter("cpu")
    a.load()
    return a


def test_cpu_only() -> None:
    assert NumpyAdapter().available_devices() == ["cpu"]
    with pytest.raises(RuntimeError, match="cpu"):
        NumpyAdapter("gpu").load()


def test_version_is_numpy(adapter: NumpyAdapter) -> None:
    assert adapter.version() == np.__version__


@pytest.mark.parametrize("dtype", DTYPES)
def test_tensor_is_a_private_copy_of_the_carrier(adapter: NumpyAdapter, dtype: str) -> None:
    values = materialize(TensorArg(dtype, (2, 3), seed=4))
    t = adapter.tensor(values, dtype)
    assert t is not values and t.dtype == values.dtype
    assert t.tobytes() == values.tobytes()
    t[...] = 0
    assert values.tobytes() == materialize(TensorArg(dtype, (2, 3), seed=4)).tobytes()


def test_tensor_rejects_a_wrong_carrier(adapter: NumpyAdapter) -> None:
    with pytest.raises(ValueError, match="travels as float32"):
        adapter.tensor(np.zeros(3, dtype=np.float64), "bfloat16")


def test_dtype_is_the_name(adapter: NumpyAdapter) -> None:
    assert adapter.dtype("bfloat16") == "bfloat16"
    with pytest.raises(ValueError, match="unknown dtype"):
        adapter.dtype("float8")


def test_no_out(adapter: NumpyAdapter) -> None:
    with pytest.raises(TypeError, match="out="):
        adapter.out(OutArg("float32", (3,)))


def test_call_passes_dtypes_and_keeps_precision(adapter: NumpyAdapter) -> None:
    x = adapter.tensor(np.array([0.1, 0.2, 0.3], dtype=np.float32), "float32")
    result = adapter.call(references.cumsum, [x, 0], {}, {"input": "float32"})
    (out,) = adapter.outputs(result)
    assert out.dtype == "float32" and out.shape == (3,)
    assert out.values.dtype == np.float64  # the oracle is not rounded to float32
    exact = sum(np.float64(np.float32(v)) for v in (0.1, 0.2, 0.3))
    assert out.values[-1] == exact


def test_integer_outputs_are_exact_with_wraparound(adapter: NumpyAdapter) -> None:
    x = adapter.tensor(np.array([100, 100], dtype=np.int8), "int8")
    (out,) = adapter.outputs(adapter.call(references.cumsum, [x, 0], {"dtype": "int8"}, {"input": "int8"}))
    assert out.dtype == "int8" and out.values.dtype == np.int8
    assert out.values.tolist() == [100, -56]


def test_tuple_of_results(adapter: NumpyAdapter) -> None:
    outs = adapter.outputs((Result(np.array([1.5]), "bfloat16"), [Result(np.array(3), "int64")][0]))
    assert [o.dtype for o in outs] == ["bfloat16", "int64"]
    assert outs[0].values.dtype == np.float64 and outs[1].shape == ()


@pytest.mark.parametrize(
    ("result", "message"),
    [
        (np.array([1.0]), "Result"),
        ((Result(np.array([1.0]), "float32"), np.array([2.0])), "output 1"),
        (Result(np.array([1.5]), "int32"), "float64 values for a int32"),
        (Result(np.array([1]), "int4"), "unknown dtype"),
    ],
)
def test_bad_reference_results_are_named(adapter: NumpyAdapter, result: object, message: str) -> None:
    with pytest.raises((TypeError, ValueError), match=message):
        adapter.outputs(result)
