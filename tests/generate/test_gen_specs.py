"""Generation for the kinds of spec that come next: sum, transpose, cat, gather, topk, where."""

from __future__ import annotations

import numpy as np

from apicompat.generate import generate_cases
from apicompat.records import Case, Implementation, TensorArg, TensorListArg
from apicompat.records.arrays import materialize
from apicompat.spec import Param, ParamKind, Spec

K = ParamKind


def _spec(name: str, *params: Param) -> Spec:
    return Spec(
        id=name,
        path=f"specs/{name}.yaml",
        title=name,
        summary="",
        params=params,
        source=Implementation(framework="torch", api=f"torch.{name}", params=()),
        targets=(),
        reference=f"apicompat.references:{name}",
    )


SUM = _spec(
    "sum",
    Param("input", K.TENSOR),
    Param("dim", K.AXES, required=False, of="input"),
    Param("keepdim", K.BOOL, required=False, default=False),
    Param("dtype", K.DTYPE, required=False, keyword_only=True, values=("int64", "float64")),
)
TRANSPOSE = _spec("transpose", Param("input", K.TENSOR), Param("dim0", K.AXIS), Param("dim1", K.AXIS))
CAT = _spec(
    "cat", Param("tensors", K.TENSORS, ranks=(1, 3)), Param("dim", K.AXIS, required=False, of="tensors")
)
GATHER = _spec(
    "gather",
    Param("input", K.TENSOR, ranks=(1, 4)),
    Param("dim", K.AXIS, of="input"),
    Param("index", K.TENSOR, dtypes=("int64",), fill="range"),
)
TOPK = _spec(
    "topk",
    Param("input", K.TENSOR, ranks=(1, 3), fill="unique"),
    Param("k", K.INT, values=(1, 2)),
    Param("dim", K.AXIS, required=False, default=-1, of="input"),
    Param("largest", K.BOOL, required=False, default=True),
)
WHERE = _spec(
    "where",
    Param("condition", K.TENSOR, dtypes=("bool",)),
    Param("input", K.TENSOR),
    Param("other", K.TENSOR),
)
CLAMP = _spec(
    "clamp",
    Param("input", K.TENSOR),
    Param("min", K.SCALAR, required=False, values=(-1.0, 0)),
    Param("max", K.TENSOR, required=False),
)


def _cases(spec: Spec, extra: int = 40) -> list[Case]:
    systematic = generate_cases(spec, seed=0)
    return generate_cases(spec, seed=0, budget=len(systematic) + extra)


def test_sum_sweeps_axes_tuples_keepdim_and_omitted_dim() -> None:
    cases = _cases(SUM)
    dims = [c.arg_dict["dim"] for c in cases if "dim" in c.arg_dict]
    assert (0, 1) in dims and (0, -1) in dims and () in dims and -1 in dims
    assert any(c.facet_dict["param:dim"] == "omitted" and "axis:dim" not in c.facet_dict for c in cases)
    keepdims = {c.facet_dict["param:keepdim"] for c in cases}
    assert keepdims == {"omitted", "True", "False"}
    flagged = [c for c in cases if "expect_error" in c.facet_dict]
    assert flagged and all(c.facet_dict["axis:dim"] == "out_of_range" for c in flagged)


def test_transpose_default_axes_differ_and_each_is_swept() -> None:
    cases = generate_cases(TRANSPOSE, seed=0)
    base = next(c for c in cases if c.facet_dict["group"] == "dtype_sweep")
    assert (base.arg_dict["dim0"], base.arg_dict["dim1"]) == (1, 0)
    rank4 = [c for c in cases if c.facet_dict["rank"] == "4" and c.facet_dict["group"] == "rank_sweep"]
    assert {c.arg_dict["dim0"] for c in rank4} >= set(range(-4, 5))
    assert {c.arg_dict["dim1"] for c in rank4} >= set(range(-4, 5))


def test_cat_builds_lists_of_alike_tensors_with_distinct_seeds() -> None:
    cases = _cases(CAT)
    for case in cases:
        tensors = case.arg_dict["tensors"]
        assert isinstance(tensors, TensorListArg) and tensors.items
        # Only the list sweep mixes dtypes or shapes, and says so in a facet.
        alike = len({(t.dtype, t.shape) for t in tensors.items}) == 1
        assert alike == ("list:tensors" not in case.facet_dict)
        assert len({t.seed for t in tensors.items}) == len(tensors.items)
        assert case.facet_dict["dtype"] == tensors.items[0].dtype
    assert {c.facet_dict["rank"] for c in cases} == {"1", "2", "3"}
    assert {len(_items(c)) for c in cases} >= {1, 2, 3}


def _items(case: Case) -> tuple[TensorArg, ...]:
    tensors = case.arg_dict["tensors"]
    assert isinstance(tensors, TensorListArg)
    return tensors.items


def test_gather_index_is_valid_along_any_axis() -> None:
    for case in _cases(GATHER):
        source, index = case.arg_dict["input"], case.arg_dict["index"]
        assert isinstance(source, TensorArg) and isinstance(index, TensorArg)
        assert index.dtype == "int64" and index.shape == source.shape
        values = materialize(index)
        if values.size and 0 not in source.shape:
            assert values.min() >= 0 and values.max() < min(source.shape)


def test_topk_sweeps_k_and_largest() -> None:
    cases = generate_cases(TOPK, seed=0)
    assert {c.arg_dict["k"] for c in cases} == {1, 2}
    assert {c.facet_dict["param:largest"] for c in cases} == {"omitted", "True", "False"}
    assert any(c.facet_dict["param:dim"] == "omitted" for c in cases)
    inputs = [c.arg_dict["input"] for c in cases if "special" not in c.facet_dict]
    assert all(isinstance(t, TensorArg) and t.fill == "unique" for t in inputs)
    floats = [materialize(t) for t in inputs if isinstance(t, TensorArg) and t.dtype == "float32"]
    assert floats and all(np.unique(a).size == a.size for a in floats)


def test_where_keeps_the_condition_bool_and_the_other_tensors_alike() -> None:
    for case in _cases(WHERE):
        condition, x, y = (case.arg_dict[n] for n in ("condition", "input", "other"))
        assert isinstance(condition, TensorArg) and isinstance(x, TensorArg) and isinstance(y, TensorArg)
        assert condition.dtype == "bool" and x.shape == y.shape == condition.shape
        assert x.seed != y.seed


def test_clamp_scalar_values_and_optional_tensor() -> None:
    cases = generate_cases(CLAMP, seed=0)
    assert {c.facet_dict["param:min"] for c in cases} == {"omitted", "-1.0", "0"}
    assert {c.facet_dict["param:max"] for c in cases} == {"omitted", "given"}
