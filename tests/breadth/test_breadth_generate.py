"""Generation for the format's extensions, on the shipped specs: every case is what its facets say."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from apicompat.generate import generate_cases
from apicompat.generate.secondary import (
    broadcast_compatible,
    matmul_compatible,
    matmul_partner,
    shape_variants,
)
from apicompat.records import Case, TensorArg, TensorListArg
from apicompat.records.arrays import materialize
from apicompat.spec import Spec, load_specs
from apicompat.spec.model import ShapeRule

SPECS = Path(__file__).resolve().parents[2] / "specs"
SHIPPED = {s.id: s for s in load_specs([SPECS], check_imports=False)}  # family files hold several


def _spec(name: str) -> Spec:
    return SHIPPED[name]


def _cases(name: str, extra: int = 0) -> list[Case]:
    spec = _spec(name)
    systematic = generate_cases(spec, seed=0)
    return systematic if not extra else generate_cases(spec, seed=0, budget=len(systematic) + extra)


def _tensor(case: Case, name: str) -> TensorArg:
    value = case.arg_dict[name]
    assert isinstance(value, TensorArg)
    return value


def test_index_values_are_valid_for_the_axis_each_case_chooses() -> None:
    labels = set()
    for case in _cases("gather"):
        source, index = _tensor(case, "input"), _tensor(case, "index")
        label = case.facet_dict["index:index"]
        labels.add(label)
        dim = case.arg_dict["dim"]
        assert isinstance(dim, int)
        values = materialize(index)
        if not source.shape or not -len(source.shape) <= dim < len(source.shape) or not values.size:
            continue
        size = source.shape[dim]
        # Past the end and -1 are valid in some APIs (torch.take_along_dim), not in gather:
        # the reference says which, not the facet.
        if label == "past_end":
            assert (values == size).all() and case.facet_dict.get("expect_error") != "true"
        elif label == "negative":
            assert (values == -1).all() and case.facet_dict.get("expect_error") != "true"
        else:
            assert values.min() >= 0 and values.max() < size, case.label
    assert labels == {"in_range", "past_end", "negative", "longer", "narrower"}
    dtypes = {_tensor(c, "index").dtype for c in _cases("gather")}
    assert dtypes == {"int32", "int64"}


def test_a_vector_index_is_1d_and_as_long_as_the_dimension_it_indexes() -> None:
    labels = set()
    for case in _cases("index_select"):
        source, index = _tensor(case, "input"), _tensor(case, "index")
        label = case.facet_dict["index:index"]
        labels.add(label)
        assert len(index.shape) == 1, case.label
        assert "shape:index" not in case.facet_dict, "a vector index is told by its index facet"
        dim = case.arg_dict["dim"]
        assert isinstance(dim, int)
        if not source.shape or not -len(source.shape) <= dim < len(source.shape):
            continue
        size = source.shape[dim]
        expected = {"longer": size + 1, "narrower": size - 1}.get(label, size)
        assert index.shape == (expected,), case.label
    assert labels == {"in_range", "past_end", "negative", "longer", "narrower"}


def test_k_stays_within_the_size_of_dim_except_where_flagged() -> None:
    seen = set()
    for case in _cases("topk"):
        k, shape = case.arg_dict["k"], _tensor(case, "input").shape
        dim = case.arg_dict.get("dim", -1)
        assert isinstance(k, int) and isinstance(dim, int)
        if not shape or not -len(shape) <= dim < len(shape):
            continue
        size = shape[dim]
        seen.add(case.facet_dict["bound:k"])
        if case.facet_dict["bound:k"] == "past_end":
            # Invalid for topk, which the reference says (a bound is no error by itself).
            assert k == size + 1 and case.facet_dict.get("expect_error") != "true"
        else:
            assert 0 <= k <= size
    assert {"zero", "all", "past_end", "in_range"} <= seen


def test_broadcast_operands_try_compatible_shapes_and_one_that_is_not() -> None:
    relations: dict[str, set[str]] = {}
    for case in _cases("where"):
        base = _tensor(case, "input").shape
        for name in ("condition", "other"):
            value = case.arg_dict[name]
            if isinstance(value, TensorArg):
                relation = case.facet_dict[f"shape:{name}"]
                relations.setdefault(name, set()).add(relation)
                assert (relation == "mismatch") == (not broadcast_compatible(base, value.shape))
                if relation == "mismatch":
                    assert case.facet_dict["expect_error"] == "true"
        assert _tensor(case, "condition").dtype == "bool"
    assert relations["condition"] == relations["other"] == {"same", "broadcast", "mismatch"}
    scalars = {c.arg_dict["other"] for c in _cases("where") if c.facet_dict["operand:other"] == "scalar"}
    assert scalars == {0, 2.5}


def test_operand_sweeps_try_numbers_tensors_and_other_dtypes() -> None:
    cases = _cases("clamp")
    everyday = [c for c in cases if c.facet_dict["group"] == "dtype_sweep"]
    assert all(c.arg_dict["min"] == 0 and "max" not in c.arg_dict for c in everyday), "min=0 everyday"
    tensor_mins = [c for c in cases if isinstance(c.arg_dict.get("min"), TensorArg)]
    assert {_tensor(c, "min").dtype for c in tensor_mins} >= {"float32", "float64", "int64", "bool"}
    # A bound swept as a tensor goes alone: torch takes two tensors or two numbers, not one of each.
    assert all("max" not in c.arg_dict for c in tensor_mins)
    assert {c.arg_dict["min"] for c in cases if c.facet_dict.get("operand:min") == "scalar"} == {0, -1.5, 2}


def test_matmul_partners_contract_the_last_dimension() -> None:
    for case in _cases("matmul"):
        a, b = _tensor(case, "input").shape, _tensor(case, "other").shape
        relation = case.facet_dict["shape:other"]
        assert (relation == "mismatch") == (not matmul_compatible(a, b)), case.label
    assert matmul_partner((2, 3, 4)) == (2, 4, 2) and matmul_partner((5,)) == (5,)
    assert shape_variants(ShapeRule.MATMUL, (3, 4))[-1] == (5, 2), "the last variant does not contract"


def test_list_sweep_counts_ragged_mixed_and_1d_empty_items() -> None:
    cases = _cases("cat")
    counts = {
        len(c.arg_dict["tensors"].items) for c in cases if isinstance(c.arg_dict["tensors"], TensorListArg)
    }
    assert counts == {1, 2, 3}
    kinds = {c.facet_dict.get("list:tensors") for c in cases} - {None}
    assert kinds == {"ragged", "mixed_dtypes", "with_1d_empty"}
    for case in cases:
        if case.facet_dict.get("list:tensors") == "ragged":
            items = case.arg_dict["tensors"]
            dim = case.arg_dict["dim"]
            assert isinstance(items, TensorListArg) and isinstance(dim, int)
            # Items differ along dim only, so the call is valid.
            shapes = [t.shape for t in items.items]
            assert len({s[:dim] + s[dim + 1 :] for s in shapes}) == 1 and len({s[dim] for s in shapes}) > 1


def test_excluded_parameters_are_never_given_together() -> None:
    cases = _cases("std", extra=60)
    assert any("unbiased" in c.arg_dict for c in cases) and any("correction" in c.arg_dict for c in cases)
    assert not any("unbiased" in c.arg_dict and "correction" in c.arg_dict for c in cases)


def test_everyday_omitted_axis_is_left_out_unless_swept() -> None:
    cases = _cases("unique")
    base = [c for c in cases if c.facet_dict["group"] in ("dtype_sweep", "special", "large")]
    assert base and all("dim" not in c.arg_dict for c in base)
    assert any("dim" in c.arg_dict for c in cases), "the rank sweep still tries every axis"


def test_optional_axes_are_also_tried_omitted_at_every_rank() -> None:
    ranks = {
        c.facet_dict["rank"]
        for c in _cases("softmax")
        if c.facet_dict["group"] == "rank_sweep" and "dim" not in c.arg_dict
    }
    assert ranks == {"0", "1", "2", "3", "4"}


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_case_counts_stay_moderate_and_ids_unique(name: str) -> None:
    cases = _cases(name)
    # Layer specs list their shapes and one-tensor activations sweep no axis: 10 is their floor.
    assert 10 <= len(cases) <= 250, len(cases)
    assert len({c.id for c in cases}) == len(cases)
    for case in cases:
        for value in case.arg_dict.values():
            items = value.items if isinstance(value, TensorListArg) else (value,)
            for tensor in items:
                if isinstance(tensor, TensorArg):
                    assert materialize(tensor).shape == tensor.shape


def test_index_tensors_from_the_range_fill_are_integers() -> None:
    index = next(_tensor(c, "index") for c in _cases("gather") if c.facet_dict["index:index"] == "in_range")
    assert np.issubdtype(materialize(index).dtype, np.integer)
