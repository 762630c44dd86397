"""The special-function, quantile, pooling, shuffle and margin-loss references agree with torch on CPU."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from apicompat.references import (
    activations,
    linalg,
    margin_losses,
    normalization,
    pointwise,
    pooling,
    quantiles,
    shaping,
    special,
)
from apicompat.references.locate import load_reference
from apicompat.spec import load_specs

pytestmark = pytest.mark.frameworks
SPECS = {s.id: s for s in load_specs([Path(__file__).resolve().parents[2] / "specs"], check_imports=False)}
F64 = "float64"
RNG = np.random.default_rng(7)
X = RNG.standard_normal((3, 5))
SPECIAL = np.array([-np.inf, -3.0, -2.5, -1.0, -0.5, -0.0, 0.0, 0.25, 1.0, 1.5, 30.0, np.inf, np.nan])
WITH_INF = np.array([[np.inf, -0.0, 1.0, 0.0], [-np.inf, 0.0, -1.5, np.nan], [np.inf, np.nan, -np.inf, -0.0]])
SIGNAL = RNG.standard_normal((2, 3, 7))
IMAGE = RNG.standard_normal((2, 3, 7, 6))
IMAGE[0, 1, 2, 3] = np.nan
MATRICES = RNG.standard_normal((4, 3, 3))  # determinants of both signs: NaN for the negative ones
PLUS_MINUS = np.array([1.0, -1.0, 1.0, -1.0, 0.5])
NAMES = ("input", "input1", "input2", "target", "weight", "var", "anchor", "positive", "negative", "other")
D = dict.fromkeys(NAMES, F64)


def shipped(spec_id: str) -> Any:
    """The reference callable of the shipped spec `spec_id` (a formula: canonical keywords)."""
    return load_reference(SPECS[spec_id].reference)


def call(path: str, *args: Any, **kwargs: Any) -> Callable[[Any], Any]:
    """The torch call at `path` (under torch), arrays passed as float64 tensors."""

    def run(torch: Any) -> Any:
        def tensor(a: Any) -> Any:
            return torch.tensor(a.copy()) if isinstance(a, np.ndarray) else a

        target: Any = torch
        for part in path.split("."):
            target = getattr(target, part)
        return target(*map(tensor, args), **{k: tensor(v) for k, v in kwargs.items()})

    return run


CASES: list[tuple[str, Callable[[], Any], Callable[[Any], Any]]] = [
    (
        "local_response_norm-4d",
        partial(normalization.local_response_norm, IMAGE, 3, 0.3, 0.5, 2.0, dtypes=D),
        call("nn.functional.local_response_norm", IMAGE, 3, 0.3, 0.5, 2.0),
    ),
    (
        "local_response_norm-3d-even",
        partial(normalization.local_response_norm, SIGNAL, 2, dtypes=D),
        call("nn.functional.local_response_norm", SIGNAL, 2),
    ),
    ("lgamma", partial(shipped("lgamma"), input=SPECIAL, dtypes=D), call("lgamma", SPECIAL)),
    ("mvlgamma-3", partial(special.mvlgamma, SPECIAL, 3, dtypes=D), call("mvlgamma", SPECIAL, 3)),
    ("logit", partial(special.logit, np.abs(X) / 3, dtypes=D), call("logit", np.abs(X) / 3)),
    ("logit-eps", partial(special.logit, SPECIAL, 0.25, dtypes=D), call("logit", SPECIAL, 0.25)),
    (
        "nextafter",
        partial(pointwise.nextafter, SPECIAL, SPECIAL[::-1], dtypes=D),
        call("nextafter", SPECIAL, SPECIAL[::-1]),
    ),
    ("logdet", partial(linalg.logdet, MATRICES, dtypes={"input": F64}), call("logdet", MATRICES)),
    (
        "quantile-linear",
        partial(quantiles.quantile, WITH_INF, 0.5, 1, dtypes=D),
        call("quantile", WITH_INF, 0.5, 1),
    ),
    (
        "nanquantile-linear",
        partial(quantiles.nanquantile, WITH_INF, 0.5, 1, dtypes=D),
        call("nanquantile", WITH_INF, 0.5, 1),
    ),
    (
        "quantile-flat-keepdim",
        partial(quantiles.quantile, X, 0.3, None, True, dtypes=D),
        call("quantile", X, 0.3, None, True),
    ),
    *[
        (
            f"nanquantile-{mode}",
            partial(quantiles.nanquantile, WITH_INF, 0.4, 0, interpolation=mode, dtypes=D),
            call("nanquantile", WITH_INF, 0.4, 0, interpolation=mode),
        )
        for mode in quantiles.INTERPOLATIONS
    ],
    (
        "avg_pool1d",
        partial(pooling.avg_pool1d, SIGNAL, 3, 2, 1, True, False, dtypes=D),
        call("nn.functional.avg_pool1d", SIGNAL, 3, 2, 1, True, False),
    ),
    (
        "adaptive_avg_pool1d",
        partial(pooling.adaptive_avg_pool1d, SIGNAL[0], 3, dtypes=D),
        call("nn.functional.adaptive_avg_pool1d", SIGNAL[0], 3),
    ),
    (
        "prelu",
        partial(activations.prelu, IMAGE, np.array([0.5, -1.0, 2.0]), dtypes=D),
        call("nn.functional.prelu", IMAGE, np.array([0.5, -1.0, 2.0])),
    ),
    (
        "threshold",
        partial(shipped("threshold"), input=SPECIAL, threshold=0.25, value=-7.0, dtypes=D),
        call("nn.functional.threshold", SPECIAL, 0.25, -7.0),
    ),
    (
        "margin_ranking_loss",
        partial(margin_losses.margin_ranking_loss, X, X[::-1], np.sign(X), 0.5, "none", dtypes=D),
        call("nn.functional.margin_ranking_loss", X, X[::-1], np.sign(X), 0.5, reduction="none"),
    ),
    (
        "soft_margin_loss",
        partial(margin_losses.soft_margin_loss, X, np.sign(X[0]), "sum", dtypes=D),
        call("nn.functional.soft_margin_loss", X, np.sign(X[0]), reduction="sum"),
    ),
    (
        "hinge_embedding_loss",
        partial(
            shipped("hinge_embedding_loss"),
            input=PLUS_MINUS * 2,
            target=PLUS_MINUS,
            margin=1.5,
            reduction="none",
            dtypes=D,
        ),
        call("nn.functional.hinge_embedding_loss", PLUS_MINUS * 2, PLUS_MINUS, 1.5, reduction="none"),
    ),
    (
        "cosine_embedding_loss",
        partial(
            margin_losses.cosine_embedding_loss, X, X**2, np.array([1.0, -1.0, 0.5]), 0.25, "none", dtypes=D
        ),
        call(
            "nn.functional.cosine_embedding_loss", X, X**2, np.array([1.0, -1.0, 0.5]), 0.25, reduction="none"
        ),
    ),
    (
        "gaussian_nll_loss",
        partial(margin_losses.gaussian_nll_loss, X, X**2, np.abs(X[:, 0]), True, 0.1, "none", dtypes=D),
        call("nn.functional.gaussian_nll_loss", X, X**2, np.abs(X[:, 0]), True, 0.1, "none"),
    ),
    (
        "triplet_margin_loss-swap",
        partial(margin_losses.triplet_margin_loss, X, X**2, X[::-1], 0.5, 3, 1e-6, True, "none", dtypes=D),
        call("nn.functional.triplet_margin_loss", X, X**2, X[::-1], 0.5, 3, 1e-6, True, reduction="none"),
    ),
    (
        "multilabel_soft_margin_loss",
        partial(
            margin_losses.multilabel_soft_margin_loss, X, np.abs(X) / 3, np.arange(5.0), "none", dtypes=D
        ),
        call("nn.functional.multilabel_soft_margin_loss", X, np.abs(X) / 3, np.arange(5.0), reduction="none"),
    ),
]


@pytest.mark.parametrize(("name", "reference", "torch_call"), CASES, ids=[c[0] for c in CASES])
def test_reference_matches_torch_in_float64(
    name: str, reference: Callable[[], Any], torch_call: Callable[[Any], Any]
) -> None:
    torch = pytest.importorskip("torch")
    expected = torch_call(torch).detach().numpy()
    result = reference()
    assert result.dtype == F64
    assert result.values.shape == expected.shape
    np.testing.assert_allclose(result.values, expected, rtol=1e-9, atol=1e-12, equal_nan=True)


def test_max_pools_match_torch_with_their_indices() -> None:
    torch = pytest.importorskip("torch")
    functional = torch.nn.functional
    values, indices = pooling.adaptive_max_pool2d(IMAGE, (3, 4), True, dtypes=D)
    expected, where = functional.adaptive_max_pool2d(torch.tensor(IMAGE), (3, 4), True)
    np.testing.assert_array_equal(values.values, expected.numpy())
    np.testing.assert_array_equal(indices.values, where.numpy())
    values, indices = pooling.adaptive_max_pool1d(SIGNAL, 4, True, dtypes=D)
    expected, where = functional.adaptive_max_pool1d(torch.tensor(SIGNAL), 4, True)
    np.testing.assert_array_equal(values.values, expected.numpy())
    np.testing.assert_array_equal(indices.values, where.numpy())


def test_nanmedian_matches_torch_with_its_index() -> None:
    torch = pytest.importorskip("torch")
    x = np.array([[3.0, np.nan, 1.0, 2.0], [np.nan, np.nan, np.nan, np.nan], [4.0, 5.0, np.nan, 6.0]])
    values, indices = quantiles.nanmedian(x, 1, True, dtypes=D)
    expected = torch.nanmedian(torch.tensor(x), 1, True)
    np.testing.assert_array_equal(values.values, expected.values.numpy())
    # The index torch gives for a slice of NaN only is its nth_element's, unspecified: not compared.
    np.testing.assert_array_equal(indices.values[[0, 2]], expected.indices.numpy()[[0, 2]])


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "float32"])
def test_nextafter_steps_in_the_dtype_itself(dtype: str) -> None:
    torch = pytest.importorskip("torch")
    x = np.array([1.0, 0.0, -0.0, 1.5, -2.0, np.inf, -np.inf, 3.0])
    y = np.array([2.0, 1.0, -1.0, -9.0, -3.0, 0.0, 0.0, 3.0])
    got = pointwise.nextafter(x, y, dtypes={"input": dtype, "other": dtype})
    t = getattr(torch, dtype)
    expected = torch.nextafter(torch.tensor(x).to(t), torch.tensor(y).to(t)).double().numpy()
    assert got.dtype == dtype
    np.testing.assert_array_equal(got.values, expected)


@pytest.mark.parametrize("factor", [1, 2, 3])
def test_pixel_shuffle_and_unshuffle_match_torch_and_invert_each_other(factor: int) -> None:
    torch = pytest.importorskip("torch")
    x = np.arange(2 * 9 * 2 * 3).reshape(2, 9, 2, 3) % 11
    shuffled = shaping.pixel_shuffle(x, factor, dtypes={"input": "int64"}) if 9 % factor**2 == 0 else None
    if shuffled is None:
        with pytest.raises(RuntimeError, match="divisible"):
            shaping.pixel_shuffle(x, factor, dtypes={"input": "int64"})
        return
    expected = torch.nn.functional.pixel_shuffle(torch.tensor(x), factor).numpy()
    np.testing.assert_array_equal(shuffled.values, expected)
    back = shaping.pixel_unshuffle(shuffled.values, factor, dtypes={"input": "int64"})
    np.testing.assert_array_equal(back.values, x)


def test_the_references_take_torch_dtype_rules() -> None:
    # An integer input of logit or lgamma gives float32; prelu does not promote; threshold keeps ints.
    assert special.logit(np.array([0, 1]), dtypes={"input": "int64"}).dtype == "float32"
    assert shipped("lgamma")(input=np.array([0, 1]), dtypes={"input": "int32"}).dtype == "float32"
    threshold = shipped("threshold")(input=np.array([1, 5]), threshold=2, value=9, dtypes={"input": "int8"})
    assert threshold.values.tolist() == [9, 5] and threshold.dtype == "int8"
    # soft_margin_loss and hinge_embedding_loss keep input's dtype; a float64 target does not promote.
    mixed = {"input": "float32", "target": "float64"}
    assert margin_losses.soft_margin_loss(X, X, dtypes=mixed).dtype == "float32"
    assert shipped("hinge_embedding_loss")(input=X, target=X, dtypes=mixed).dtype == "float32"


def test_the_references_refuse_what_torch_refuses() -> None:
    with pytest.raises(RuntimeError, match="Type promoting not supported"):
        activations.prelu(X, np.ones(5), dtypes={"input": "float32", "weight": "float64"})
    with pytest.raises(RuntimeError, match="parameter numbers"):
        activations.prelu(IMAGE, np.ones(2), dtypes=D)
    with pytest.raises(RuntimeError, match="greater than or equal to 1"):
        special.mvlgamma(X, 0, dtypes=D)
    with pytest.raises(RuntimeError, match="boolean"):
        special.mvlgamma(X > 0, 1, dtypes={"input": "bool"})
    with pytest.raises(RuntimeError, match="non-empty"):
        quantiles.quantile(np.zeros((2, 0)), 0.5, 1, dtypes=D)
    with pytest.raises(RuntimeError, match="float or double"):
        quantiles.quantile(X, 0.5, dtypes={"input": "float16"})
    with pytest.raises(RuntimeError, match=r"range \[0, 1\]"):
        quantiles.nanquantile(X, 1.5, dtypes=D)
    with pytest.raises(NotImplementedError, match="nextafter"):
        pointwise.nextafter(X, X, dtypes={"input": "int64", "other": "int64"})
    with pytest.raises(RuntimeError, match="must be batches"):
        linalg.logdet(X, dtypes={"input": F64})
    with pytest.raises(ValueError, match="margin must be greater than 0"):
        margin_losses.triplet_margin_loss(X, X, X, 0.0, dtypes=D)
    with pytest.raises(ValueError, match="var has negative"):
        margin_losses.gaussian_nll_loss(X, X, -np.ones(3), dtypes=D)
    with pytest.raises(ValueError, match="incorrect size"):
        margin_losses.gaussian_nll_loss(X, X, np.ones(2), dtypes=D)
    with pytest.raises(RuntimeError, match="same dimension"):
        margin_losses.margin_ranking_loss(X, X[0], X, dtypes=D)
    with pytest.raises(RuntimeError, match="1D target tensor expects 2D"):
        margin_losses.cosine_embedding_loss(X[0], X[0], np.ones(3), dtypes=D)


def test_prelu_and_threshold_keep_torch_s_sign_of_zero() -> None:
    torch = pytest.importorskip("torch")
    x = np.array([[-0.0, 0.0, -1.0, np.nan]])
    for weight in (np.array([-2.0]), np.array([0.5])):
        got = activations.prelu(x, weight, dtypes=D).values
        expected = torch.nn.functional.prelu(torch.tensor(x), torch.tensor(weight)).numpy()
        np.testing.assert_array_equal(np.signbit(got), np.signbit(expected))
    got = shipped("threshold")(input=x, threshold=-0.5, value=-0.0, dtypes=D).values
    expected = torch.nn.functional.threshold(torch.tensor(x), -0.5, -0.0).numpy()
    np.testing.assert_array_equal(np.signbit(got), np.signbit(expected))
