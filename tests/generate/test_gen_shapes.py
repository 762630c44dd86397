"""Shape helpers and facet labels of the generate layer."""

from __future__ import annotations

import numpy as np
import pytest

from apicompat.generate.facets import axis_label, special_label, value_label
from apicompat.generate.shapes import (
    MAX_RANDOM_ELEMENTS,
    axes_values,
    empty_shapes,
    large_shape,
    modest_shape,
    numel,
    random_shape,
    shape_label,
    size1_shapes,
    valid_axes,
)
from apicompat.records import DtypeArg, OutArg, TensorArg


@pytest.mark.parametrize("rank", range(9))
def test_modest_shapes_have_the_rank_and_distinct_leading_dims(rank: int) -> None:
    shape = modest_shape(rank)
    assert len(shape) == rank
    assert len(set(shape[:4])) == min(rank, 4)
    assert numel(shape) < 2000


@pytest.mark.parametrize("rank", range(1, 9))
def test_large_shapes_hold_ten_to_a_hundred_thousand_elements(rank: int) -> None:
    shape = large_shape(rank)
    assert shape is not None and len(shape) == rank
    assert 10**4 <= numel(shape) < 10**5


def test_no_large_scalar() -> None:
    assert large_shape(0) is None


def test_empty_and_size1_shapes_respect_the_rank_range() -> None:
    assert empty_shapes((0, 4)) == [(0,), (2, 0, 3)]
    assert empty_shapes((2, 2)) == [(3, 0)]
    assert empty_shapes((0, 0)) == []
    assert size1_shapes((0, 4)) == [(1,), (1, 5), (3, 1, 2)]
    assert size1_shapes((4, 5)) == [(2, 3, 1, 5)]


def test_random_shapes_stay_small_and_use_zero_and_one_sometimes() -> None:
    rng = np.random.default_rng(0)
    shapes = [random_shape(rng, int(rng.integers(0, 9))) for _ in range(2000)]
    assert all(numel(s) <= MAX_RANDOM_ELEMENTS and all(0 <= d <= 6 for d in s) for s in shapes)
    dims = [d for s in shapes for d in s]
    assert 0 < dims.count(0) < dims.count(1) < len(dims) / 4


def test_axis_values() -> None:
    assert valid_axes(0) == [-1, 0]
    assert valid_axes(3) == [-3, -2, -1, 0, 1, 2]
    assert axes_values(0) == [-1, 0]
    assert axes_values(2) == [-2, -1, 0, 1, (0, 1), (), (0, -1)]


@pytest.mark.parametrize(
    ("value", "rank", "label"),
    [
        (0, 0, "in_range"),
        (-1, 0, "negative"),
        (1, 0, "out_of_range"),
        (-4, 3, "out_of_range"),
        ((0, -1), 2, "negative"),
        ((0, 2), 2, "out_of_range"),
        ((), 2, "in_range"),
    ],
)
def test_axis_labels(value: int | tuple[int, ...], rank: int, label: str) -> None:
    assert axis_label(value, rank) == label


def test_value_and_shape_labels() -> None:
    assert value_label(DtypeArg("int8")) == "int8"
    assert value_label(OutArg("float32")) == "given"
    assert value_label(True) == "True"
    assert value_label(2) == "2"
    assert value_label(float("nan")) == "nan"
    assert shape_label(()) == "scalar"
    assert shape_label((2, 0, 3)) == "2x0x3"


def test_special_labels_follow_what_materialize_builds() -> None:
    assert special_label(TensorArg("float32", (2,), fill="special")) == "nan_inf"
    assert special_label(TensorArg("int8", (2,), fill="special")) == "overflow"
    assert special_label(TensorArg("int8", (2,), fill="overflow")) == "overflow"
    assert special_label(TensorArg("bool", (2,), fill="special")) is None
    assert special_label(TensorArg("float32", (2,))) is None
