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
