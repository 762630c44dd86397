"""Caches in the records: built arrays and facet dicts are shared, never aliased, never pickled."""

from __future__ import annotations

import pickle

import numpy as np

from apicompat.records import Case, TensorArg
from apicompat.records.arrays import _build, materialize


def test_materialize_returns_a_fresh_array_each_time() -> None:
    recipe = TensorArg("float32", (3, 4), seed=123)
    first = materialize(recipe)
    first[...] = 0.0  # the caller owns it
    second = materialize(recipe)
    assert second is not first and np.array_equal(second, _build(recipe))
    assert not np.array_equal(first, second)


def test_equal_recipes_give_bitwise_equal_arrays() -> None:
    for fill in ("random", "special", "overflow", "positive", "unique"):
        for dtype in ("float32", "bfloat16", "int8", "complex64", "bool"):
            recipe = TensorArg(dtype, (2, 3), fill=fill, seed=7)
            materialize(recipe)  # built, and kept
            cached = materialize(
                TensorArg(dtype, (2, 3), fill=fill, seed=7)
            )  # an equal recipe: from the cache
            built = _build(recipe)
            assert cached.dtype == built.dtype and cached.tobytes() == built.tobytes(), (fill, dtype)


def test_literal_recipes_are_built_each_time() -> None:
    recipe = TensorArg("float64", (2,), fill="literal", data=[1.5, float("nan")])
    values = materialize(recipe)
    assert values[0] == 1.5 and np.isnan(values[1])


def test_facet_dict_is_built_once_and_left_out_of_pickles() -> None:
    case = Case("spec", (("input", TensorArg("float32", (2,))),), (("dtype", "float32"), ("rank", "1")))
    assert case.facet_dict == {"dtype": "float32", "rank": "1"}
    assert case.facet_dict is case.facet_dict
    copy = pickle.loads(pickle.dumps(case))
    assert "_facet_dict" not in copy.__dict__
    assert copy == case and copy.id == case.id and copy.facet_dict == case.facet_dict
