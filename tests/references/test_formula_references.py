"""The shipped formula references agree with torch on CPU, in float64, special values included."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from apicompat.references.declarative import from_api
from apicompat.references.locate import load_reference
from apicompat.spec import load_specs

pytestmark = pytest.mark.frameworks
SPECS = {s.id: s for s in load_specs([Path(__file__).resolve().parents[2] / "specs"], check_imports=False)}
SPECIAL = np.array([-40.0, -3.0, -0.5, -0.25, -0.0, 0.0, 0.25, 1.0, 30.0, np.nan, np.inf, -np.inf])
#: Shorter than a vector register: torch's scalar loop, whose sign of zero softshrink's formula follows.
SHORT = np.array([-0.25, 0.75, np.nan])

#: spec id, keyword arguments beyond `input`, the torch callable's dotted path under torch, the input.
CASES: list[tuple[str, dict[str, Any], str, np.ndarray]] = [
    ("relu", {}, "nn.functional.relu", SPECIAL),
    ("gelu", {}, "nn.functional.gelu", SPECIAL),
    ("gelu", {"approximate": "tanh"}, "nn.functional.gelu", SPECIAL),
    ("silu", {}, "nn.functional.silu", SPECIAL),
    ("selu", {}, "nn.functional.selu", SPECIAL),
    ("relu6", {}, "nn.functional.relu6", SPECIAL),
    ("hardswish", {}, "nn.functional.hardswish", SPECIAL),
    ("hardsigmoid", {}, "nn.functional.hardsigmoid", SPECIAL),
    ("mish", {}, "nn.functional.mish", SPECIAL),
    ("logsigmoid", {}, "nn.functional.logsigmoid", SPECIAL),
    ("softsign", {}, "nn.functional.softsign", SPECIAL),
    ("tanhshrink", {}, "nn.functional.tanhshrink", SPECIAL[:-2]),  # torch: inf - tanh(inf) is NaN
    ("leaky_relu", {"negative_slope": 0.2}, "nn.functional.leaky_relu", SPECIAL),
    ("leaky_relu", {}, "nn.functional.leaky_relu", SPECIAL),  # the default slope, from the spec
    ("elu", {"alpha": 0.5}, "nn.functional.elu", SPECIAL),
    ("celu", {"alpha": 2.0}, "nn.functional.celu", SPECIAL),
    ("softplus", {"beta": 2.0, "threshold": 1.0}, "nn.functional.softplus", SPECIAL),
    ("softplus", {}, "nn.functional.softplus", SPECIAL),
    ("hardtanh", {"min_val": -0.5, "max_val": 2.0}, "nn.functional.hardtanh", SPECIAL),
    ("hardshrink", {}, "nn.functional.hardshrink", SPECIAL),
    ("softshrink", {}, "nn.functional.softshrink", SHORT),
    ("rsqrt", {}, "rsqrt", SPECIAL),
    ("sigmoid", {}, "sigmoid", SPECIAL),
    ("erf", {}, "erf", SPECIAL),
    ("erfc", {}, "erfc", SPECIAL),
    ("sign", {}, "sign", SPECIAL),
    ("frac", {}, "frac", SPECIAL[:-2]),
]


def shipped(spec_id: str) -> Any:
    """The reference callable of the shipped spec `spec_id`."""
    return load_reference(SPECS[spec_id].reference)


def torch_call(torch: Any, path: str, values: np.ndarray, kwargs: dict[str, Any]) -> np.ndarray:
    target: Any = torch
    for part in path.split("."):
        target = getattr(target, part)
    return np.asarray(target(torch.tensor(values.copy()), **kwargs).numpy())


@pytest.mark.parametrize(
    ("spec_id", "kwargs", "path", "values"),
    CASES,
    ids=[f"{c[0]}-{'-'.join(map(str, c[1].values()))}" for c in CASES],
)
def test_shipped_formula_matches_torch(
    spec_id: str, kwargs: dict[str, Any], path: str, values: np.ndarray
) -> None:
    torch = pytest.importorskip("torch")
    assert from_api(SPECS[spec_id].reference).formula, f"{spec_id} is expected to use a formula"
    expected = torch_call(torch, path, values, kwargs)
    result = shipped(spec_id)(input=values, **kwargs, dtypes={"input": "float64"})
    assert result.dtype == "float64"
    assert result.values.shape == expected.shape
    np.testing.assert_allclose(result.values, expected, rtol=1e-9, atol=1e-12, equal_nan=True)
    numbers = ~np.isnan(expected)  # the sign of zero is part of the contract; a NaN's sign is not
    np.testing.assert_array_equal(np.signbit(result.values)[numbers], np.signbit(expected)[numbers])


@pytest.mark.parametrize("dtype", ["int8", "int64", "uint8", "bool"])
def test_integer_and_bool_inputs_follow_torch(dtype: str) -> None:
    """relu keeps integers (bool is refused); sign keeps the dtype; the INT_TO_FLOAT ones give float32."""
    torch = pytest.importorskip("torch")
    values = np.array([0, 1, 3] if dtype in ("uint8", "bool") else [-3, 0, 2]).astype(np.dtype(dtype))
    for spec_id, function in (("relu", torch.relu), ("sign", torch.sign), ("rsqrt", torch.rsqrt)):
        reference = shipped(spec_id)
        try:
            expected = function(torch.tensor(values))
        except RuntimeError:
            with pytest.raises((RuntimeError, NotImplementedError)):
                reference(input=values, dtypes={"input": dtype})
            continue
        result = reference(input=values, dtypes={"input": dtype})
        assert result.dtype == str(expected.dtype).removeprefix("torch.")
        np.testing.assert_allclose(result.values, expected.double().numpy(), rtol=1e-6)


def test_the_formulas_refuse_what_torch_refuses() -> None:
    x, d = np.array([0.5, -1.0]), {"input": "float64"}
    with pytest.raises(RuntimeError, match="lambda must be greater or equal to 0"):
        shipped("softshrink")(input=x, lambd=-0.5, dtypes=d)
    with pytest.raises(ValueError, match="min_val cannot be greater than max_val"):
        shipped("hardtanh")(input=x, min_val=1.0, max_val=0.0, dtypes=d)
    with pytest.raises(RuntimeError, match="alpha of celu must not be 0"):
        shipped("celu")(input=x, alpha=0.0, dtypes=d)
    with pytest.raises(RuntimeError, match="approximate argument must be either none or tanh"):
        shipped("gelu")(input=x, approximate="erf", dtypes=d)
    with pytest.raises(NotImplementedError):
        shipped("silu")(input=np.array([1, 2]), dtypes={"input": "int32"})
    with pytest.raises(NotImplementedError):
        shipped("erf")(input=np.array([1j]), dtypes={"input": "complex64"})
