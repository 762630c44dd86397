"""The layer references agree with torch on CPU, in float64, for the calls their docstrings describe."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
import pytest

from apicompat.references import convolution, layers, losses, normalization

pytestmark = pytest.mark.frameworks
F64 = "float64"
RNG = np.random.default_rng(0)
X = RNG.standard_normal((2, 4, 7, 6))
W, B = RNG.standard_normal((6, 2, 3, 2)), RNG.standard_normal(6)
X1, W1 = RNG.standard_normal((3, 9)), RNG.standard_normal((2, 3, 3))
LIN_X, LIN_W = RNG.standard_normal((2, 4, 3)), RNG.standard_normal((2, 3))
ROWS, TABLE = np.array([[1, 0], [4, 2]]), RNG.standard_normal((5, 3))
MEAN, VAR = RNG.standard_normal(4), np.abs(RNG.standard_normal(4)) + 0.1
GAMMA, BETA = RNG.standard_normal(4), RNG.standard_normal(4)
LOGITS, TARGET, CLASS_W = RNG.standard_normal((4, 5)), np.array([1, 0, 4, 2]), np.abs(RNG.standard_normal(5))
Q, K, V = (
    RNG.standard_normal((2, 3, 5, 4)),
    RNG.standard_normal((2, 3, 6, 4)),
    RNG.standard_normal((2, 3, 6, 2)),
)
D = {n: F64 for n in ("input", "weight", "bias", "running_mean", "running_var", "query", "key", "value")}
DL = {"input": F64, "target": "int64", "weight": F64}


def fn(name: str, *args: Any, **kwargs: Any) -> Callable[[Any], Any]:
    """The torch call `torch.nn.functional.<name>(*args, **kwargs)`, arrays passed as tensors."""

    def call(torch: Any) -> Any:
        def tensor(a: Any) -> Any:
            return torch.tensor(a.copy()) if isinstance(a, np.ndarray) else a

        return getattr(torch.nn.functional, name)(
            *map(tensor, args), **{k: tensor(v) for k, v in kwargs.items()}
        )

    return call


CASES: list[tuple[str, Callable[[], Any], Callable[[Any], Any]]] = [
    (
        "conv2d-grouped",
        partial(convolution.conv2d, X, W, B, (2, 1), (1, 2), (1, 2), 2, dtypes=D),
        fn("conv2d", X, W, B, (2, 1), (1, 2), (1, 2), 2),
    ),
    (
        "conv1d-unbatched",
        partial(convolution.conv1d, X1, W1, None, 2, 1, dtypes=D),
        fn("conv1d", X1, W1, None, 2, 1),
    ),
    (
        "layer_norm",
        partial(normalization.layer_norm, X, (7, 6), X[0, 0], None, dtypes=D),
        fn("layer_norm", X, (7, 6), X[0, 0]),
    ),
    (
        "group_norm",
        partial(normalization.group_norm, X, 2, GAMMA, BETA, dtypes=D),
        fn("group_norm", X, 2, GAMMA, BETA),
    ),
    (
        "batch_norm-eval",
        partial(normalization.batch_norm, X, MEAN, VAR, GAMMA, BETA, False, dtypes=D),
        fn("batch_norm", X, MEAN, VAR, GAMMA, BETA, False),
    ),
    (
        "batch_norm-training",
        partial(normalization.batch_norm, X, MEAN, VAR, None, BETA, True, dtypes=D),
        fn("batch_norm", X, MEAN, VAR, None, BETA, True),
    ),
    ("linear", partial(layers.linear, LIN_X, LIN_W, None, dtypes=D), fn("linear", LIN_X, LIN_W)),
    (
        "embedding",
        partial(layers.embedding, ROWS, TABLE, 0, dtypes={"input": "int64", "weight": F64}),
        fn("embedding", ROWS, TABLE, 0),
    ),
    (
        "sdpa-causal-scaled",
        partial(layers.scaled_dot_product_attention, Q, K, V, is_causal=True, scale=0.3, dtypes=D),
        fn("scaled_dot_product_attention", Q, K, V, is_causal=True, scale=0.3),
    ),
]
for _args in [(3, None, 1, 1, False), (3, 2, 1, 1, True), ((2, 3), (2, 1), 0, 2, False)]:
    CASES.append(
        (
            f"max_pool2d{_args}",
            partial(convolution.max_pool2d, X, *_args, dtypes=D),
            fn("max_pool2d", X, *_args),
        )
    )
for _args in [(3, None, 1, False, True), (3, 2, 1, True, False), (3, 2, 1, True, True)]:
    CASES.append(
        (
            f"avg_pool2d{_args}",
            partial(convolution.avg_pool2d, X, *_args, dtypes=D),
            fn("avg_pool2d", X, *_args),
        )
    )
for _size in (1, (3, 4), 5):
    CASES.append(
        (
            f"adaptive_avg_pool2d-{_size}",
            partial(convolution.adaptive_avg_pool2d, X, _size, dtypes=D),
            fn("adaptive_avg_pool2d", X, _size),
        )
    )
for _pad, _mode in [
    ((1, 2), "constant"),
    ((1, 0, 2, 1), "reflect"),
    ((1, 2, 0, 1), "replicate"),
    ((1, 1, 2, 0), "circular"),
]:
    CASES.append((f"pad-{_mode}", partial(layers.pad, X, _pad, _mode, dtypes=D), fn("pad", X, _pad, _mode)))
for _size, _mode, _corners in [
    ((9, 4), "nearest", None),
    ((9, 4), "bilinear", False),
    ((3, 11), "bilinear", True),
]:
    CASES.append(
        (
            f"interpolate-{_mode}-{_corners}",
            partial(layers.interpolate, X, _size, mode=_mode, align_corners=_corners, dtypes=D),
            fn("interpolate", X, size=_size, mode=_mode, align_corners=_corners),
        )
    )
for _red in ("mean", "sum", "none"):
    for _smooth in (0.0, 0.2):
        CASES.append(
            (
                f"cross_entropy-{_red}-{_smooth}",
                partial(losses.cross_entropy, LOGITS, TARGET, CLASS_W, 2, _red, _smooth, dtypes=DL),
                fn(
                    "cross_entropy",
                    LOGITS,
                    TARGET,
                    CLASS_W,
                    ignore_index=2,
                    reduction=_red,
                    label_smoothing=_smooth,
                ),
            )
        )
    CASES.append(
        (
            f"nll_loss-{_red}",
            partial(losses.nll_loss, LOGITS, TARGET, CLASS_W, 0, _red, dtypes=DL),
            fn("nll_loss", LOGITS, TARGET, CLASS_W, ignore_index=0, reduction=_red),
        )
    )


@pytest.mark.parametrize(("name", "reference", "call"), CASES, ids=[c[0] for c in CASES])
def test_reference_matches_torch(name: str, reference: Callable[[], Any], call: Callable[[Any], Any]) -> None:
    torch = pytest.importorskip("torch")
    expected = call(torch).detach().numpy()
    result = reference()
    assert result.dtype == F64
    assert result.values.shape == expected.shape
    np.testing.assert_allclose(result.values, expected, rtol=1e-9, atol=1e-12, equal_nan=True)


def test_the_references_refuse_what_torch_refuses() -> None:
    with pytest.raises(TypeError, match="must be tuple of ints, not int"):
        normalization.layer_norm(X, 6, dtypes=D)  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match="expected weight of dtype float32"):
        layers.linear(LIN_X.astype(np.float32), LIN_W, dtypes={**D, "input": "float32"})
    with pytest.raises(RuntimeError, match="divisible by num_groups=3"):
        normalization.group_norm(X, 3, dtypes=D)
    with pytest.raises(RuntimeError, match="pad should be at most half"):
        convolution.max_pool2d(X, 2, None, 2, dtypes=D)


def test_max_pool2d_indices_follow_torchs_scan_order_for_ties_and_nan() -> None:
    torch = pytest.importorskip("torch")
    x = np.array([[[[1, 1, 0, np.nan], [1, 0, np.nan, np.nan], [2, 2, 2, 2]]]])
    values, indices = convolution.max_pool2d(x, 2, 1, 0, 1, False, True, dtypes=D)  # type: ignore[misc]
    expected, where = torch.nn.functional.max_pool2d(torch.tensor(x), 2, 1, 0, 1, False, True)
    np.testing.assert_array_equal(values.values, expected.numpy())
    np.testing.assert_array_equal(indices.values, where.numpy())
    assert indices.dtype == "int64" and indices.values.tolist() == [[[[0, 6, 7], [8, 6, 7]]]]


@pytest.mark.parametrize(
    ("scale", "recompute", "mode"),
    [(2.0, None, "nearest"), (0.5, None, "bilinear"), (1.7, None, "nearest"), (1.7, True, "bilinear")],
)
def test_interpolate_by_scale_factor(scale: float, recompute: bool | None, mode: str) -> None:
    torch = pytest.importorskip("torch")
    expected = torch.nn.functional.interpolate(
        torch.tensor(X), scale_factor=scale, mode=mode, recompute_scale_factor=recompute
    ).numpy()
    result = layers.interpolate(X, None, scale, mode, None, recompute, dtypes=D)
    np.testing.assert_allclose(result.values, expected, rtol=1e-9, atol=1e-12)


def test_embedding_max_norm_and_avg_pool2d_divisor_override() -> None:
    torch = pytest.importorskip("torch")
    table = TABLE * 3
    expected = torch.nn.functional.embedding(
        torch.tensor(ROWS), torch.tensor(table.copy()), max_norm=1.0, norm_type=1.0
    )
    result = layers.embedding(ROWS, table, None, 1.0, 1.0, dtypes={"input": "int64", "weight": F64})
    np.testing.assert_allclose(result.values, expected.numpy(), rtol=1e-9)
    pooled = torch.nn.functional.avg_pool2d(torch.tensor(X), 3, 2, 1, True, True, 5).numpy()
    np.testing.assert_allclose(
        convolution.avg_pool2d(X, 3, 2, 1, True, True, 5, dtypes=D).values, pooled, rtol=1e-9
    )
