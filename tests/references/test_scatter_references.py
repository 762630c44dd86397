"""torch.scatter, scatter_reduce and masked_scatter references: the values torch 2.13 printed."""

from __future__ import annotations

import numpy as np
import pytest

from apicompat.references.scatter import masked_scatter, scatter, scatter_reduce

X = np.arange(1, 7).reshape(2, 3)
IDX = np.array([[0, 1], [2, 0]])
S = np.array([[5, 7], [9, 11]])
INT = {"input": "int32", "src": "int32", "index": "int64"}


@pytest.mark.parametrize(
    ("reduce", "include_self", "expected"),
    [
        ("sum", True, [[6, 9, 3], [15, 5, 15]]),
        ("sum", False, [[5, 7, 3], [11, 5, 9]]),
        ("prod", True, [[5, 14, 3], [44, 5, 54]]),
        ("mean", True, [[3, 4, 3], [7, 5, 7]]),
        ("amax", True, [[5, 7, 3], [11, 5, 9]]),
        ("amin", True, [[1, 2, 3], [4, 5, 6]]),
        ("amin", False, [[5, 7, 3], [11, 5, 9]]),
    ],
)
def test_scatter_reduce_matches_torch(reduce: str, include_self: bool, expected: list[list[int]]) -> None:
    result = scatter_reduce(X, 1, IDX, S, reduce, include_self=include_self, dtypes=INT)
    assert result.values.tolist() == expected and result.dtype == "int32"


def test_scatter_reduce_mean_of_repeated_positions_floors_integers() -> None:
    repeated = np.array([[0, 0], [2, 0]])
    assert scatter_reduce(X, 1, repeated, S, "mean", include_self=False, dtypes=INT).values.tolist() == [
        [6, 2, 3],
        [11, 5, 9],
    ]
    floats = {"input": "float32", "src": "float32", "index": "int64"}
    mean = scatter_reduce(X.astype(float), 1, IDX, S.astype(float), "mean", dtypes=floats).values
    assert mean.tolist() == [[3.0, 4.5, 3.0], [7.5, 5.0, 7.5]]


def test_scatter_writes_combines_and_refuses_as_torch() -> None:
    floats = {"input": "float32", "src": "float32", "index": "int64"}
    assert scatter(
        np.zeros((2, 3)), 1, np.array([[0, 1, 2], [2, 0, 1]]), np.arange(6.0).reshape(2, 3), dtypes=floats
    ).values.tolist() == [
        [0.0, 1.0, 2.0],
        [4.0, 5.0, 3.0],
    ]
    assert scatter(X, 1, IDX, S, "add", dtypes=INT).values.tolist() == [[6, 9, 3], [15, 5, 15]]
    with pytest.raises(RuntimeError, match=r"equal to src\.dtype"):
        scatter(X, 1, IDX, S, dtypes={**INT, "src": "float32"})
    with pytest.raises(RuntimeError, match="out of bounds"):
        scatter(X, 1, np.array([[3]]), S, dtypes=INT)
    with pytest.raises(RuntimeError, match="add or multiply"):
        scatter(X, 1, IDX, S, "mul", dtypes=INT)


def test_masked_scatter_fills_true_positions_in_order() -> None:
    dtypes = {"input": "float32", "mask": "bool", "source": "float32"}
    mask = np.array([[True, False, True], [False, True, False]])
    source = np.array([[10.0, 20.0, 30.0], [40.0, 50.0, 60.0]])
    out = masked_scatter(np.zeros((2, 3)), mask, source, dtypes=dtypes).values
    assert out.tolist() == [[10.0, 0.0, 20.0], [0.0, 30.0, 0.0]]
    with pytest.raises(RuntimeError, match="boolean"):
        masked_scatter(np.zeros((2, 3)), mask, source, dtypes={**dtypes, "mask": "uint8"})
    with pytest.raises(RuntimeError, match="at least as many"):
        masked_scatter(np.zeros((2, 3)), mask, np.array([1.0]), dtypes=dtypes)
