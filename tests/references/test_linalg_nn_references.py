"""The linear algebra, activation and loss references agree with torch on CPU, in float64."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
import pytest

from apicompat.references import activations, linalg, losses

pytestmark = pytest.mark.frameworks
F64 = "float64"
RNG = np.random.default_rng(1)
X = RNG.standard_normal((3, 4))
WITH_NAN = np.array([[np.nan, 1.0], [2.0, -np.inf]])
PROBS, LABELS = np.array([0.0, 0.25, 1.0, 0.5]), np.array([1.0, 0.0, 1.0, 0.5])
B1, B2 = RNG.standard_normal((2, 3, 5)), RNG.standard_normal((2, 5, 4))
D = {n: F64 for n in ("input", "target", "weight", "x1", "x2", "A", "B", "batch1", "batch2", "mat", "vec")}
D |= {"vec1": F64, "vec2": F64, "pos_weight": F64}


def call(path: str, *args: Any, **kwargs: Any) -> Callable[[Any], Any]:
    """The torch call at `path` (under torch), arrays passed as tensors."""

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
        "baddbmm",
        partial(linalg.baddbmm, X[:, :4][None].repeat(2, 0), B1, B2, beta=0.5, alpha=2, dtypes=D),
        call("baddbmm", X[:, :4][None].repeat(2, 0), B1, B2, beta=0.5, alpha=2),
    ),
    (
        "baddbmm-beta0-ignores-nan",
        partial(linalg.baddbmm, np.full((3, 4), np.nan), B1, B2, beta=0, dtypes=D),
        call("baddbmm", np.full((3, 4), np.nan), B1, B2, beta=0),
    ),
    ("addbmm", partial(linalg.addbmm, X, B1, B2, alpha=-1, dtypes=D), call("addbmm", X, B1, B2, alpha=-1)),
    (
        "addmv-broadcast",
        partial(linalg.addmv, X[0, :1], X, X[0], beta=2, dtypes=D),
        call("addmv", X[0, :1], X, X[0], beta=2),
    ),
    ("addr", partial(linalg.addr, X, X[:, 0], X[0], dtypes=D), call("addr", X, X[:, 0], X[0])),
    (
        "addr-beta0-ignores-nan",
        partial(linalg.addr, WITH_NAN, X[:2, 0], X[0, :2], beta=0, dtypes=D),
        call("addr", WITH_NAN, X[:2, 0], X[0, :2], beta=0),
    ),
    (
        "solve-matrix",
        partial(linalg.solve, X[:3, :3], X[:3], dtypes=D),
        call("linalg.solve", X[:3, :3], X[:3]),
    ),
    (
        "solve-batch-of-vectors",
        partial(linalg.solve, B1[:, :, :3], X[:2, :3], dtypes=D),
        call("linalg.solve", B1[:, :, :3], X[:2, :3]),
    ),
    ("matrix_norm-fro", partial(linalg.matrix_norm, B1, dtypes=D), call("linalg.matrix_norm", B1)),
    (
        "matrix_norm-nuc-keepdim",
        partial(linalg.matrix_norm, B1, "nuc", (0, 2), True, dtypes=D),
        call("linalg.matrix_norm", B1, "nuc", (0, 2), True),
    ),
    (
        "matrix_norm-empty",
        partial(linalg.matrix_norm, np.zeros((2, 0, 3)), "nuc", dtypes=D),
        call("linalg.matrix_norm", np.zeros((2, 0, 3)), "nuc"),
    ),
    (
        "log_softmax-inf",
        partial(activations.log_softmax, WITH_NAN[::-1].copy(), 1, dtypes=D),
        call("nn.functional.log_softmax", WITH_NAN[::-1].copy(), 1),
    ),
    ("softmin", partial(activations.softmin, X, 0, dtypes=D), call("nn.functional.softmin", X, 0)),
    ("glu", partial(activations.glu, X, 1, dtypes=D), call("nn.functional.glu", X, 1)),
    (
        "normalize",
        partial(activations.normalize, X, 1.0, 0, dtypes=D),
        call("nn.functional.normalize", X, 1.0, 0),
    ),
    (
        "cosine_similarity-broadcast",
        partial(activations.cosine_similarity, X, X[0], dtypes=D),
        call("nn.functional.cosine_similarity", X, X[0]),
    ),
    (
        "binary_cross_entropy-clamped",
        partial(losses.binary_cross_entropy, PROBS, LABELS, None, "none", dtypes=D),
        call("nn.functional.binary_cross_entropy", PROBS, LABELS, reduction="none"),
    ),
    (
        "binary_cross_entropy_with_logits",
        partial(losses.binary_cross_entropy_with_logits, X[0], LABELS, None, "sum", 2 + X[1], dtypes=D),
        call(
            "nn.functional.binary_cross_entropy_with_logits",
            X[0],
            LABELS,
            reduction="sum",
            pos_weight=2 + X[1],
        ),
    ),
    (
        "kl_div-batchmean",
        partial(losses.kl_div, X, np.abs(X) / 4, "batchmean", dtypes=D),
        call("nn.functional.kl_div", X, np.abs(X) / 4, reduction="batchmean"),
    ),
    (
        "kl_div-log_target",
        partial(losses.kl_div, X, X[::-1].copy(), "none", True, dtypes=D),
        call("nn.functional.kl_div", X, X[::-1].copy(), reduction="none", log_target=True),
    ),
]
for _p in (0.0, 1.0, 2.0, 0.5, float("inf")):
    CASES.append(
        (f"cdist-p{_p}", partial(linalg.cdist, B1, B1[:, :2], _p, dtypes=D), call("cdist", B1, B1[:, :2], _p))
    )


@pytest.mark.parametrize(("name", "reference", "torch_call"), CASES, ids=[c[0] for c in CASES])
def test_reference_matches_torch(
    name: str, reference: Callable[[], Any], torch_call: Callable[[Any], Any]
) -> None:
    torch = pytest.importorskip("torch")
    expected = torch_call(torch).detach().numpy()
    result = reference()
    assert result.dtype == F64
    assert result.values.shape == expected.shape
    np.testing.assert_allclose(result.values, expected, rtol=1e-9, atol=1e-12, equal_nan=True)
    numbers = ~np.isnan(expected)  # the sign of zero is part of the contract; a NaN's sign is not
    np.testing.assert_array_equal(np.signbit(result.values)[numbers], np.signbit(expected)[numbers])


def test_the_references_refuse_what_torch_refuses() -> None:
    with pytest.raises(RuntimeError, match="must not be a floating point number"):
        linalg.addr(
            np.ones((2, 2)),
            np.ones(2),
            np.ones(2),
            alpha=0.5,
            dtypes={"input": "int64", "vec1": "int64", "vec2": "int64"},
        )
    with pytest.raises(RuntimeError, match="same dtype"):
        linalg.baddbmm(np.ones((2, 3, 4)), B1, B2, dtypes={**D, "input": "float32"})
    with pytest.raises(RuntimeError, match="non-negative p"):
        linalg.cdist(X, X, -1.0, dtypes=D)
    with pytest.raises(RuntimeError, match="Low precision"):
        linalg.matrix_norm(X, "nuc", dtypes={"A": "float16"})
    with pytest.raises(RuntimeError, match="between 0 and 1"):
        losses.binary_cross_entropy(PROBS + 1, LABELS, dtypes=D)
    with pytest.raises(RuntimeError, match="Halving dimension must be even"):
        activations.glu(X, 0, dtypes=D)


def test_integer_products_wrap_and_truncate_alpha_as_torch() -> None:
    dtypes = {"input": "int8", "mat": "int8", "vec": "int8"}
    got = linalg.addmv(
        np.array([100, 1]), np.array([[100, 100], [1, 1]]), np.array([1, 1]), alpha=1.5, dtypes=dtypes
    )
    # alpha 1.5 becomes 1 in an integer dtype; 100 + 200 wraps in int8 to 44.
    assert got.values.tolist() == [44, 3]
    assert got.dtype == "int8"
