"""The NumPy references follow torch's documented results: dtypes, promotion, ties, NaN, edge cases.

Python references are called directly; declared ones as the shipped specs declare them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from apicompat import references as ref
from apicompat.references.locate import load_reference
from apicompat.references.promotion import promote, result_type
from apicompat.spec import load_specs

_SPECS = {s.id: s for s in load_specs([Path(__file__).resolve().parents[2] / "specs"], check_imports=False)}


def shipped(spec_id: str) -> Callable[..., Any]:
    """The reference a shipped spec declares (called with canonical keywords and `dtypes`)."""
    spec = _SPECS[spec_id]
    assert spec.declarative, f"{spec_id} is expected to declare its reference"
    return load_reference(spec.reference)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("uint8", "int8", "int16"),
        ("int32", "int64", "int64"),
        ("bool", "int8", "int8"),
        ("int64", "float16", "float16"),
        ("float16", "bfloat16", "float32"),
        ("float32", "float64", "float64"),
        ("complex64", "float64", "complex128"),
        ("complex64", "complex128", "complex128"),
    ],
)
def test_promote_types_as_torch_does(a: str, b: str, expected: str) -> None:
    assert promote(a, b) == promote(b, a) == expected


def test_result_type_ranks_dimensioned_then_zero_dim_then_numbers() -> None:
    assert result_type({"x": ("int8", 1)}, [2.5]) == "float32"  # a float number: the default float
    assert result_type({"x": ("int8", 1)}, [3]) == "int8"  # an int number of the same category: no change
    assert result_type({"x": ("float16", 1), "y": ("float64", 0)}) == "float16"  # 0-d of the same category
    assert result_type({"x": ("int8", 1), "y": ("float64", 0)}) == "float64"  # 0-d of a higher category
    assert result_type({"x": ("float64", 1)}, [1j]) == "complex128"
    assert result_type({"x": ("bool", 1)}, [True]) == "bool"


def test_sum_widens_integers_and_reduces_every_axis_for_none_and_empty_tuple() -> None:
    x = np.array([[100, 100], [100, 1]], dtype=np.int8)
    for dim in (None, ()):
        out = shipped("sum")(input=x, dim=dim, dtypes={"input": "int8"})
        assert out.dtype == "int64" and out.values.item() == 301
    with pytest.raises(RuntimeError, match="appears multiple times"):
        shipped("sum")(input=x, dim=(0, -2), dtypes={"input": "int8"})


def test_mean_rejects_integers_unless_a_float_dtype_is_given() -> None:
    x = np.array([1, 2], dtype=np.int64)
    with pytest.raises(RuntimeError, match="could not infer output dtype"):
        shipped("mean")(input=x, dtypes={"input": "int64"})
    assert shipped("mean")(input=x, dtype="float32", dtypes={"input": "int64"}).values.item() == 1.5


def test_max_and_argmax_give_the_first_index_and_propagate_nan() -> None:
    x = np.array([[1.0, 3.0, 3.0], [np.nan, 2.0, np.nan]], dtype=np.float32)
    values, indices = ref.max(x, 1, dtypes={"input": "float32"})
    assert indices.dtype == "int64" and indices.values.tolist() == [1, 0]
    assert values.values[0] == 3.0 and np.isnan(values.values[1])
    assert (
        shipped("argmax")(input=x, dim=None, dtypes={"input": "float32"}).values.item() == 3
    )  # the first NaN, flattened
    with pytest.raises(NotImplementedError):
        shipped("argmax")(input=x.astype(bool), dim=1, dtypes={"input": "bool"})


def test_sort_and_topk_put_nan_last_and_first() -> None:
    x = np.array([2.0, np.nan, -1.0, 5.0], dtype=np.float32)
    _values, indices = ref.sort(x, dtypes={"input": "float32"})
    assert indices.values.tolist() == [2, 0, 3, 1]
    top, where = ref.topk(x, 2, dtypes={"input": "float32"})
    assert np.isnan(top.values[0]) and where.values.tolist() == [1, 3]
    with pytest.raises(RuntimeError, match="out of range"):
        ref.topk(x, 5, dtypes={"input": "float32"})


def test_unique_returns_one_tensor_or_a_tuple_by_the_flags() -> None:
    x = np.array([3, 1, 3, 2], dtype=np.int64)
    single = ref.unique(x, dtypes={"input": "int64"})
    assert isinstance(single, ref.Result) and single.values.tolist() == [1, 2, 3]
    triple = ref.unique(x, return_inverse=True, return_counts=True, dtypes={"input": "int64"})
    assert not isinstance(triple, ref.Result) and len(triple) == 3
    _out, inverse, counts = triple
    assert inverse.values.tolist() == [2, 0, 2, 1] and counts.values.tolist() == [1, 1, 2]
    nans = ref.unique(np.array([np.nan, np.nan], dtype=np.float32), dtypes={"input": "float32"})
    assert isinstance(nans, ref.Result) and nans.values.shape == (2,), "torch keeps every NaN"


def test_std_maps_unbiased_to_a_correction() -> None:
    x = np.array([1.0, 2.0, 3.0, 4.0])
    d = {"input": "float64"}
    assert shipped("std")(input=x, dtypes=d).values == pytest.approx(np.std(x, ddof=1))
    assert shipped("std")(input=x, unbiased=False, dtypes=d).values == pytest.approx(np.std(x))
    assert shipped("std")(input=x, correction=2, dtypes=d).values == pytest.approx(np.sqrt(5 / 2))
    assert np.isnan(shipped("std")(input=np.array([1.0]), dtypes=d).values)
    assert shipped("std")(input=x.astype(np.complex64), dtypes={"input": "complex64"}).dtype == "float32"


def test_clamp_promotes_and_rejects_a_number_with_a_tensor_bound() -> None:
    x = np.array([1, 5, 9], dtype=np.int8)
    out = ref.clamp(x, 2.5, dtypes={"input": "int8"})
    assert out.dtype == "float32" and out.values.tolist() == [2.5, 5, 9]
    assert ref.clamp(x.astype(np.float32), 6, 2, dtypes={"input": "float32"}).values.tolist() == [2, 2, 2]
    with pytest.raises(TypeError):
        ref.clamp(x, 0, np.array([3], dtype=np.int8), dtypes={"input": "int8", "max": "int8"})
    with pytest.raises(RuntimeError):
        ref.clamp(x, dtypes={"input": "int8"})


def test_where_broadcasts_and_promotes() -> None:
    condition = np.array([True, False])
    out = shipped("where")(
        condition=condition,
        input=np.array([[1, 2]], dtype=np.int8),
        other=2.5,
        dtypes={"condition": "bool", "input": "int8"},
    )
    assert out.dtype == "float32" and out.values.tolist() == [[1.0, 2.5]]


def test_cat_promotes_and_skips_1d_empty_tensors() -> None:
    a, b = np.ones((2, 2), dtype=np.int8), np.zeros((0,), dtype=np.float32)
    out = ref.cat([a, b], dtypes={"tensors[0]": "int8", "tensors[1]": "float32"})
    assert out.dtype == "float32" and out.values.shape == (2, 2)
    with pytest.raises(RuntimeError, match="zero-dimensional"):
        ref.cat([np.array(1.0)], dtypes={"tensors[0]": "float64"})


def test_gather_accepts_a_smaller_index_and_rejects_out_of_range() -> None:
    x = np.arange(12.0).reshape(3, 4)
    index = np.array([[3, 0]], dtype=np.int64)
    assert ref.gather(x, 1, index, dtypes={"input": "float64", "index": "int64"}).values.tolist() == [
        [3.0, 0.0]
    ]
    with pytest.raises(RuntimeError, match="out of bounds"):
        ref.gather(x, 1, index - 1, dtypes={"input": "float64", "index": "int64"})


def test_matmul_wraps_integers_and_refuses_mixed_dtypes() -> None:
    a = np.full((2, 3), 100, dtype=np.int8)
    out = shipped("matmul")(
        input=a, other=np.ones((3, 2), dtype=np.int8), dtypes={"input": "int8", "other": "int8"}
    )
    assert out.dtype == "int8" and out.values.tolist() == [[44, 44], [44, 44]]  # 300 mod 256
    with pytest.raises(RuntimeError, match="same dtype"):
        shipped("matmul")(input=a, other=np.ones((3, 2)), dtypes={"input": "int8", "other": "float64"})


def test_softmax_picks_torchs_implicit_dim_and_rejects_integers() -> None:
    x = np.zeros((2, 3, 4), dtype=np.float32)
    assert ref.softmax(x, dtypes={"input": "float32"}).values[0, 0, 0] == pytest.approx(
        0.5
    )  # dim 0 for rank 3
    with pytest.raises(NotImplementedError):
        ref.softmax(x.astype(np.int64), 1, dtypes={"input": "int64"})
    assert ref.softmax(x.astype(np.int64), 1, dtype="float64", dtypes={"input": "int64"}).dtype == "float64"


def test_transpose_swaps_and_keeps_0d() -> None:
    x = np.arange(6).reshape(2, 3)
    assert shipped("transpose")(input=x, dim0=0, dim1=-1, dtypes={"input": "int64"}).values.shape == (3, 2)
    assert (
        shipped("transpose")(input=np.array(5), dim0=0, dim1=-1, dtypes={"input": "int64"}).values.item() == 5
    )


def test_div_rounding_modes_round_in_the_promoted_dtype_and_integer_zero_raises() -> None:
    from apicompat.references import pointwise

    x = np.array([-7, 7], dtype=np.int8)
    trunc = pointwise.div(x, 2, "trunc", dtypes={"input": "int8"})
    floor = pointwise.div(x, 2, "floor", dtypes={"input": "int8"})
    assert trunc.dtype == floor.dtype == "int8"
    assert trunc.values.tolist() == [-3, 3] and floor.values.tolist() == [-4, 3]
    assert pointwise.div(x, 2, dtypes={"input": "int8"}).dtype == "float32"  # no mode: true division
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        pointwise.div(x, 0, "floor", dtypes={"input": "int8"})
    infinite = pointwise.div(np.array([-7.0, 0.0]), 0.0, "floor", dtypes={"input": "float32"}).values
    assert infinite[0] == -np.inf and np.isnan(infinite[1])
    with pytest.raises(NotImplementedError):
        pointwise.div(np.array([True]), np.array([True]), "trunc", dtypes={"input": "bool", "other": "bool"})


def test_fused_pointwise_follow_torch_scalar_and_dtype_rules() -> None:
    from apicompat.references import pointwise

    i8 = np.array([1, 2], dtype=np.int8)
    d = {"input": "int8", "tensor1": "int8", "tensor2": "int8"}
    assert pointwise.addcmul(i8, i8, i8, 0.5, dtypes=d).values.tolist() == [1, 2]  # 0.5 truncates to 0
    assert pointwise.addcmul(i8, i8, i8, 2, dtypes=d).values.tolist() == [3, 10]
    with pytest.raises(RuntimeError, match="Integer division with addcdiv"):
        pointwise.addcdiv(i8, i8, i8, dtypes=d)
    f32 = np.array([1.0, 2.0])
    with pytest.raises(RuntimeError, match="expected dtype float32 for `end`"):
        pointwise.lerp(f32, f32, 0.5, dtypes={"input": "float32", "end": "float64"})
    zero_d = pointwise.lerp(
        f32, f32 + 2, np.array(0.5), dtypes={"input": "float32", "end": "float32", "weight": "float64"}
    )
    assert zero_d.values.tolist() == [2.0, 3.0]  # a 0-d weight of another dtype is taken as a number
    xlogy = shipped("xlogy")(
        input=np.array([0.0, 0.0, 1.0]),
        other=np.array([np.nan, -3.75, 0.0]),
        dtypes={"input": "float32", "other": "float32"},
    )
    assert np.isnan(xlogy.values[0]) and xlogy.values[1] == 0.0 and xlogy.values[2] == -np.inf


def test_nan_to_num_defaults_to_the_dtypes_finite_extremes() -> None:
    from apicompat.references import pointwise

    special = np.array([np.nan, np.inf, -np.inf, 1.5])
    half = pointwise.nan_to_num(special, dtypes={"input": "float16"})
    assert half.dtype == "float16" and half.values.tolist() == [0.0, 65504.0, -65504.0, 1.5]
    given = pointwise.nan_to_num(special, 2.0, 1e10, None, dtypes={"input": "float16"})
    assert given.values[0] == 2.0 and given.values[1] == np.inf  # 1e10 rounds to inf in float16
    ints = pointwise.nan_to_num(np.array([3], dtype=np.int64), dtypes={"input": "int64"})
    assert ints.dtype == "int64" and ints.values.tolist() == [3]


def test_addmm_ignores_input_for_beta_zero_and_truncates_integer_scales() -> None:
    from apicompat.references import linalg

    ones = np.ones((1, 2))
    d = {"input": "float32", "mat1": "float32", "mat2": "float32"}
    out = linalg.addmm(np.array([[np.nan]]), ones, ones.T, beta=0, dtypes=d)
    assert out.values.tolist() == [[2.0]]  # NaN in input is not read
    i64 = {"input": "int64", "mat1": "int64", "mat2": "int64"}
    ints = np.ones((1, 1), dtype=np.int64)
    assert linalg.addmm(
        ints, np.ones((1, 2), np.int64), np.ones((2, 1), np.int64), beta=0.5, dtypes=i64
    ).values.tolist() == [[2]]
    with pytest.raises(RuntimeError, match="same dtype"):
        linalg.addmm(ints, ones, ones.T, dtypes={"input": "int64", "mat1": "float32", "mat2": "float32"})


def test_reductions_with_two_outputs() -> None:
    x = np.array([[1.0, np.nan], [2.0, 3.0]])
    low, high = ref.reductions.aminmax(x, dim=1, dtypes={"input": "float64"})
    assert np.isnan(low.values[0]) and low.values[1] == 2.0 and high.values[1] == 3.0
    with pytest.raises(RuntimeError, match="empty"):
        ref.reductions.aminmax(np.zeros(0), dtypes={"input": "float32"})
    var, mean = ref.reductions.var_mean(
        np.array([1.0, 2.0, 4.0]).astype(np.complex128), dtypes={"input": "complex64"}
    )
    assert (var.dtype, mean.dtype) == ("float32", "complex64") and var.values == pytest.approx(7 / 3)
    std, _ = ref.reductions.std_mean(np.array([1.0, 2.0]), correction=3, dtypes={"input": "float32"})
    assert std.values == np.inf  # N - correction < 0 divides by 0
    assert (
        ref.reductions.dist(
            np.array([0.0, 2.0, 3.0]), np.zeros(3), 0, dtypes={"input": "float32", "other": "float32"}
        ).values
        == 2.0
    )
