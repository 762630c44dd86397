"""Precision probes: long one-signed low-precision inputs and large-offset inputs, rebuilt alike."""

from __future__ import annotations

import numpy as np

from apicompat.frameworks.scripts import array_lines
from apicompat.generate import generate_cases
from apicompat.records import TensorArg
from apicompat.records.arrays import materialize
from apicompat.spec import load_spec


def _probes(spec: str) -> dict[tuple[str, str], TensorArg]:
    cases = generate_cases(load_spec(f"specs/{spec}.yaml"), 1, None)
    found = {}
    for case in cases:
        probe = case.facet_dict.get("probe")
        if probe:
            tensor = case.arg_dict["input"]
            assert isinstance(tensor, TensorArg)
            found[(probe, tensor.dtype)] = tensor
    return found


def test_every_float_dtype_gets_its_probe() -> None:
    probes = _probes("cumsum")
    assert set(probes) == {
        ("long", "float16"),
        ("long", "bfloat16"),
        ("offset", "float32"),
        ("offset", "float64"),
    }
    for (probe, _), tensor in probes.items():
        values = materialize(tensor)
        assert values.size >= 4096
        if probe == "long":
            assert (values > 0).all()  # one sign: nothing cancels, the sum only grows
        else:
            assert np.abs(values - 1e8).max() <= 128 and np.unique(values).size > 1


def test_probes_are_rebuilt_bit_for_bit_by_reproducer_scripts() -> None:
    for tensor in _probes("cumsum").values():
        namespace: dict[str, object] = {"np": np}
        exec("\n".join(array_lines(tensor, "x")), namespace)
        rebuilt = np.asarray(namespace["x"])
        assert rebuilt.tobytes() == materialize(tensor).tobytes()


def test_specs_that_prescribe_their_values_get_no_probe() -> None:
    assert _probes("topk") == {}  # unique values: ties would make the probe ambiguous


def _strided(spec: str) -> list[tuple[str, str, object]]:
    cases = generate_cases(load_spec(f"specs/{spec}.yaml"), 1, None)
    found = []
    for case in cases:
        tensor = case.arg_dict["input"]
        if case.facet_dict.get("probe") and isinstance(tensor, TensorArg) and len(tensor.shape) == 2:
            found.append((case.facet_dict["probe"], tensor.dtype, case.arg_dict.get("dim")))
    return found


def test_a_spec_with_an_axis_also_probes_along_axis_0_of_a_long_two_column_input() -> None:
    # MindSpore's float32 sum along axis 0 of a (5000, 2) input drifts where the 1-D sum does not.
    assert sorted(_strided("sum")) == [
        ("long", "bfloat16", 0),
        ("long", "float16", 0),
        ("offset", "float32", 0),
        ("offset", "float64", 0),
    ]
    for case in generate_cases(load_spec("specs/sum.yaml"), 1, None):
        tensor = case.arg_dict["input"]
        if case.facet_dict.get("probe") and isinstance(tensor, TensorArg) and len(tensor.shape) == 2:
            assert tensor.shape == (5000, 2)


def test_a_spec_without_an_axis_gets_no_strided_probe() -> None:
    assert _strided("relu") == []  # elementwise: every layout takes the same path
