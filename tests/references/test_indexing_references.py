"""Indexing references: the values torch 2.13 returns, and the calls it refuses.

Each expected value below was printed by torch 2.13 for the same call.
"""

from __future__ import annotations

import numpy as np
import pytest

from apicompat.references import Result
from apicompat.references.declarative import AxisArg, Declaration, DeclaredReference
from apicompat.references.indexing import (
    chunk,
    cummax,
    cummin,
    expand,
    index_add,
    index_fill,
    kthvalue,
    median,
    narrow,
    scatter_add,
    split,
    take_along_dim,
)

X = np.arange(6.0).reshape(2, 3)
F = {"input": "float32"}
NAN = float("nan")


def _values(result: object) -> list[object]:
    assert isinstance(result, Result)
    return result.values.tolist()  # type: ignore[no-any-return]


def test_take_along_dim_wraps_along_dim_and_checks_when_flattened() -> None:
    dtypes = {"input": "float32", "indices": "int64"}
    assert _values(take_along_dim(X, np.array([[5], [7]]), 1, dtypes=dtypes)) == [[2.0], [4.0]]
    assert _values(take_along_dim(X, np.array([[-1, 0]]), 1, dtypes=dtypes)) == [[2.0, 0.0], [5.0, 3.0]]
    assert _values(take_along_dim(X, np.array([[1], [0]]), 1, dtypes=dtypes)) == [[1.0], [3.0]]
    assert _values(take_along_dim(X, np.array([[1, 2], [0, 5]]), dtypes=dtypes)) == [1.0, 2.0, 0.0, 5.0]
    with pytest.raises(RuntimeError, match="out of bounds"):
        take_along_dim(X, np.array([-1, 0]), dtypes=dtypes)
    with pytest.raises(RuntimeError, match="should be Long"):
        take_along_dim(X, np.array([[1]]), 1, dtypes={"input": "float32", "indices": "int32"})


def test_scatter_add_sums_repeats_and_checks_shapes_dtypes_and_bounds() -> None:
    dtypes = {"input": "float32", "index": "int64", "src": "float32"}
    out = scatter_add(X, 1, np.array([[0, 1, 2, 0]]), np.ones((2, 4)), dtypes=dtypes)
    assert _values(out) == [[2.0, 2.0, 3.0], [3.0, 4.0, 5.0]]
    flags = scatter_add(
        np.zeros(3, dtype=bool),
        0,
        np.array([0, 0]),
        np.ones(3, dtype=bool),
        dtypes={"input": "bool", "index": "int64", "src": "bool"},
    )
    assert _values(flags) == [True, False, False]
    with pytest.raises(RuntimeError, match=r"self\.dtype to be equal to src\.dtype"):
        scatter_add(X, 1, np.array([[0]]), np.ones((1, 1)), dtypes={**dtypes, "src": "float64"})
    with pytest.raises(RuntimeError, match="out of bounds"):
        scatter_add(X, 1, np.array([[-1]]), np.ones((2, 1)), dtypes=dtypes)
    with pytest.raises(RuntimeError, match="no larger than"):
        scatter_add(X, 1, np.array([[0], [0], [0]]), np.ones((3, 1)), dtypes=dtypes)


def test_index_add_scales_accumulates_and_rejects_negative_indices() -> None:
    dtypes = {"input": "float32", "index": "int64", "source": "float32"}
    out = index_add(X, 1, np.array([0, 0]), np.ones((2, 2)), alpha=2, dtypes=dtypes)
    assert _values(out) == [[4.0, 1.0, 2.0], [7.0, 4.0, 5.0]]
    zero_d = index_add(np.array(1.0), 0, np.array([0]), np.array(2.0), dtypes=dtypes)
    assert _values(zero_d) == 3.0
    with pytest.raises(RuntimeError, match="index -1 is out of bounds"):
        index_add(X, 1, np.array([-1]), np.ones((2, 1)), dtypes=dtypes)
    with pytest.raises(RuntimeError, match="must have the same scalar type"):
        index_add(X, 1, np.array([0]), np.ones((2, 1)), dtypes={**dtypes, "source": "float64"})
    with pytest.raises(RuntimeError, match="source tensor shape must match"):
        index_add(np.array(1.0), 0, np.array([0]), np.array([2.0]), dtypes=dtypes)


def test_index_fill_counts_negatives_from_the_end_and_wants_int64() -> None:
    dtypes = {"input": "float32", "index": "int64"}
    assert _values(index_fill(X, 1, np.array([-1]), 9.0, dtypes=dtypes)) == [[0.0, 1.0, 9.0], [3.0, 4.0, 9.0]]
    ints = index_fill(np.arange(3), 0, np.array([0]), 2.7, dtypes={"input": "int64", "index": "int64"})
    assert _values(ints) == [2, 1, 2]
    assert _values(index_fill(np.array(1.0), 0, np.array([0]), 9.0, dtypes=dtypes)) == 9.0
    with pytest.raises(IndexError, match="out of bounds"):
        index_fill(X, 1, np.array([-4]), 9.0, dtypes=dtypes)
    with pytest.raises(IndexError, match="int64"):
        index_fill(X, 1, np.array([0]), 9.0, dtypes={"input": "float32", "index": "int32"})


def test_narrow_takes_a_negative_start_and_checks_the_end() -> None:
    assert _values(narrow(X, 1, -2, 2, dtypes=F)) == [[1.0, 2.0], [4.0, 5.0]]
    assert narrow(X, 1, 3, 0, dtypes=F).values.shape == (2, 0)
    with pytest.raises(RuntimeError, match="exceeds dimension size"):
        narrow(X, 1, 2, 2, dtypes=F)
    with pytest.raises(IndexError, match="start out of range"):
        narrow(X, 1, -4, 0, dtypes=F)
    with pytest.raises(RuntimeError, match="0-dim"):
        narrow(np.array(1.0), 0, 0, 1, dtypes=F)


def test_chunk_may_give_fewer_pieces_and_empty_dimensions_give_chunks_pieces() -> None:
    assert [r.values.tolist() for r in chunk(np.arange(5), 3, dtypes={"input": "int64"})] == [
        [0, 1],
        [2, 3],
        [4],
    ]
    assert [r.values.tolist() for r in chunk(np.arange(6), 4, dtypes={"input": "int64"})] == [
        [0, 1],
        [2, 3],
        [4, 5],
    ]
    assert [r.values.shape for r in chunk(np.zeros((3, 0)), 2, 1, dtypes=F)] == [(3, 0), (3, 0)]
    with pytest.raises(RuntimeError, match="greater than 0"):
        chunk(X, 0, dtypes=F)


def test_split_by_size_and_by_sections() -> None:
    dtypes = {"tensor": "int64"}
    assert [r.values.tolist() for r in split(np.arange(5), 2, dtypes=dtypes)] == [[0, 1], [2, 3], [4]]
    assert [r.values.shape for r in split(X, [1, 2], 1, dtypes={"tensor": "float32"})] == [(2, 1), (2, 2)]
    assert len(split(np.zeros(0), 0, dtypes=dtypes)) == 1
    with pytest.raises(RuntimeError, match="sum exactly to 3"):
        split(X, [1, 1], 1, dtypes={"tensor": "float32"})
    with pytest.raises(RuntimeError, match="split_size can only be 0"):
        split(X, 0, 1, dtypes={"tensor": "float32"})


def test_expand_keeps_minus_one_and_refuses_it_in_front() -> None:
    assert expand(X[:, :1], (2, -1, 4), dtypes=F).values.shape == (2, 2, 4)
    assert expand(X, (-1, 3), dtypes=F).values.shape == (2, 3)
    with pytest.raises(RuntimeError, match="leading, non-existing dimension 0"):
        expand(X, (-1, 2, 3), dtypes=F)
    with pytest.raises(RuntimeError, match="must be greater or equal"):
        expand(X, (3,), dtypes=F)
    with pytest.raises(RuntimeError, match="must match the existing size"):
        expand(X, (2, 4), dtypes=F)


def test_kthvalue_and_median_pick_the_first_of_ties_and_the_lower_middle() -> None:
    values, indices = kthvalue(np.array([3.0, 1.0, 2.0]), 2, dtypes=F)
    assert (values.values.tolist(), indices.values.tolist()) == (2.0, 2)
    values, indices = kthvalue(np.array([1.0, NAN, 0.0]), 3, dtypes=F)
    assert np.isnan(values.values) and indices.values.tolist() == 1
    assert kthvalue(np.array([1.0, 1.0, 1.0, 0.0]), 2, dtypes=F)[1].values.tolist() == 0
    with pytest.raises(RuntimeError, match="k out of range"):
        kthvalue(np.array([1.0]), 0, dtypes=F)
    with pytest.raises(NotImplementedError):
        kthvalue(np.ones(3, dtype=bool), 1, dtypes={"input": "bool"})
    values, indices = median(np.array([[1.0, 2.0, 3.0, 4.0]]), 1, dtypes=F)
    assert (values.values.tolist(), indices.values.tolist()) == ([2.0], [1])
    values, indices = median(np.array([1.0, NAN, 0.0, NAN]), 0, dtypes=F)
    assert np.isnan(values.values) and indices.values.tolist() == 1
    assert median(np.array([3, 1, 2, 5]), 0, dtypes={"input": "int64"})[0].values.tolist() == 2
    with pytest.raises(IndexError, match="non-zero size"):
        median(np.ones((2, 0)), 1, dtypes=F)


def test_cummax_and_cummin_move_the_index_on_ties_and_nan() -> None:
    values, indices = cummax(np.array([1.0, 1.0, 0.0, 1.0]), 0, dtypes=F)
    assert (values.values.tolist(), indices.values.tolist()) == ([1.0, 1.0, 1.0, 1.0], [0, 1, 1, 3])
    values, indices = cummax(np.array([1.0, NAN, 3.0, 0.0]), 0, dtypes=F)
    assert indices.values.tolist() == [0, 1, 1, 1] and np.isnan(values.values[1:]).all()
    assert cummax(np.array([NAN, 1.0, NAN]), 0, dtypes=F)[1].values.tolist() == [0, 0, 2]
    assert cummin(np.array([1.0, 1.0, 2.0, 1.0]), 0, dtypes=F)[1].values.tolist() == [0, 1, 1, 3]
    flags = cummax(np.array([False, True, False]), 0, dtypes={"input": "bool"})
    assert (flags[0].values.tolist(), flags[1].values.tolist()) == ([False, True, True], [0, 1, 1])
    with pytest.raises(NotImplementedError):
        cummax(np.ones(2, dtype=np.complex64), 0, dtypes={"input": "complex64"})


def test_declared_list_output_gives_one_result_per_piece() -> None:
    unstack = DeclaredReference(
        Declaration(
            numpy="numpy.unstack",
            args=(("dim", "axis"), ("input", 0)),
            operands=("input",),
            axes=(AxisArg("dim", "input", False),),
            promotion=("same",),
            many=True,
        )
    )
    pieces = unstack(input=np.arange(6, dtype=np.int8).reshape(2, 3), dim=1, dtypes={"input": "int8"})
    assert isinstance(pieces, tuple) and len(pieces) == 3
    assert [p.dtype for p in pieces] == ["int8"] * 3 and pieces[2].values.tolist() == [2, 5]
    one = unstack(input=np.arange(3, dtype=np.int8).reshape(1, 3), dim=0, dtypes={"input": "int8"})
    assert isinstance(one, tuple) and len(one) == 1  # still a list of one, not a bare result


def test_declared_callable_per_output_and_index_checks() -> None:
    least = DeclaredReference(
        Declaration(
            numpy="numpy.amin",
            per_output=("numpy.amin", "numpy.argmin"),
            args=(("dim", "axis"), ("input", 0)),
            operands=("input",),
            axes=(AxisArg("dim", "input", False),),
            promotion=("same", "int64"),
        )
    )
    values, indices = least(input=np.array([1.0, 0.0, 0.0]), dim=0, dtypes=F)  # type: ignore[misc]
    assert (values.values.tolist(), indices.values.tolist(), indices.dtype) == (0.0, 1, "int64")
    pick = DeclaredReference(
        Declaration(
            numpy="numpy.take",
            args=(("dim", "axis"), ("index", "indices"), ("input", 0)),
            operands=("input",),
            indices=("index",),
            axes=(AxisArg("dim", "input", False),),
            promotion=("same",),
            nonnegative=("index",),
        )
    )
    taken = pick(input=X, dim=1, index=np.array([2, 0]), dtypes=F)
    assert isinstance(taken, Result) and taken.values.tolist() == [[2.0, 0.0], [5.0, 3.0]]
    with pytest.raises(RuntimeError, match="negative"):
        pick(input=X, dim=1, index=np.array([-1]), dtypes=F)


def test_declared_broadcast_happens_before_numpy() -> None:
    extract = DeclaredReference(
        Declaration(
            numpy="numpy.extract",
            args=(("input", 1), ("mask", 0)),
            operands=("input",),
            promotion=("same",),
            broadcast=("input", "mask"),
        )
    )
    picked = extract(input=X, mask=np.array([True, False, True]), dtypes={"input": "float32", "mask": "bool"})
    assert isinstance(picked, Result) and picked.values.tolist() == [0.0, 2.0, 3.0, 5.0]
    with pytest.raises(RuntimeError, match="do not broadcast"):
        extract(input=X, mask=np.array([True, False]), dtypes={"input": "float32", "mask": "bool"})
