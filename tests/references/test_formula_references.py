"""The shipped formula references agree with torch on CPU, in float64, special values included."""

from __future__ import annotations

import warnings
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
RNG = np.random.default_rng(3)
X, Y = RNG.standard_normal((3, 4)), RNG.standard_normal((3, 4))
for _reduction in ("none", "mean", "sum"):
    CASES += [
        ("l1_loss", {"target": Y, "reduction": _reduction}, "nn.functional.l1_loss", X),
        ("mse_loss", {"target": Y[0], "reduction": _reduction}, "nn.functional.mse_loss", X),  # broadcast
        (
            "smooth_l1_loss",
            {"target": 2 * Y, "reduction": _reduction, "beta": 0.5},
            "nn.functional.smooth_l1_loss",
            X,
        ),
        (
            "smooth_l1_loss",
            {"target": Y, "reduction": _reduction, "beta": 0.0},
            "nn.functional.smooth_l1_loss",
            X,
        ),
        (
            "huber_loss",
            {"target": 2 * Y, "reduction": _reduction, "delta": 0.5},
            "nn.functional.huber_loss",
            X,
        ),
    ]
CASES.append(("huber_loss", {"target": Y}, "nn.functional.huber_loss", X))  # mean and delta=1 by default


def _id(kwargs: dict[str, Any]) -> str:
    return "-".join(f"{k}={v}" for k, v in kwargs.items() if not isinstance(v, np.ndarray)) or "defaults"


def shipped(spec_id: str) -> Any:
    """The reference callable of the shipped spec `spec_id`."""
    return load_reference(SPECS[spec_id].reference)


def torch_call(torch: Any, path: str, values: np.ndarray, kwargs: dict[str, Any]) -> np.ndarray:
    target: Any = torch
    for part in path.split("."):
        target = getattr(target, part)
    given = {k: torch.tensor(v.copy()) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # mse_loss warns that its target broadcasts: meant here
        return np.asarray(target(torch.tensor(values.copy()), **given).numpy())


@pytest.mark.parametrize(
    ("spec_id", "kwargs", "path", "values"),
    CASES,
    ids=[f"{c[0]}-{_id(c[1])}" for c in CASES],
)
def test_shipped_formula_matches_torch(
    spec_id: str, kwargs: dict[str, Any], path: str, values: np.ndarray
) -> None:
    torch = pytest.importorskip("torch")
    assert from_api(SPECS[spec_id].reference).formula, f"{spec_id} is expected to use a formula"
    expected = torch_call(torch, path, values, kwargs)
    tensors = ["input", *(k for k, v in kwargs.items() if isinstance(v, np.ndarray))]
    result = shipped(spec_id)(input=values, **kwargs, dtypes=dict.fromkeys(tensors, "float64"))
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
    pair = {"input": "float64", "target": "float64"}
    with pytest.raises(RuntimeError, match="does not support negative values for beta"):
        shipped("smooth_l1_loss")(input=x, target=x, beta=-1.0, dtypes=pair)
    with pytest.raises(RuntimeError, match="does not support non-positive values for delta"):
        shipped("huber_loss")(input=x, target=x, delta=0.0, dtypes=pair)
    with pytest.raises(ValueError, match="batchmean is not a valid value for reduction"):
        shipped("l1_loss")(input=x, target=x, reduction="batchmean", dtypes=pair)


def test_huber_loss_keeps_the_inputs_dtype_and_l1_loss_promotes() -> None:
    half, wide = np.array([1.0, 2.0], dtype=np.float16), np.array([0.5, 0.25])
    dtypes = {"input": "float16", "target": "float64"}
    assert shipped("huber_loss")(input=half, target=wide, dtypes=dtypes).dtype == "float16"
    assert shipped("l1_loss")(input=half, target=wide, dtypes=dtypes).dtype == "float64"
