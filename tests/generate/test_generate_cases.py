"""Case generation for cumsum: determinism, the required sweeps, budgets, facets."""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from apicompat import references
from apicompat.generate import GROUPS, generate_cases, iter_cases
from apicompat.records import DTYPES, Case, DtypeArg, Implementation, OutArg, TensorArg, TensorListArg
from apicompat.records.arrays import materialize
from apicompat.records.dtypes import carrier
from apicompat.spec import Param, ParamKind, Spec

SPEC_FILE = Path(__file__).resolve().parents[2] / "specs" / "cumsum.yaml"


def _param(raw: dict[str, Any]) -> Param:
    """A Param from one entry of a spec file's `params` (a stand-in for the loader)."""
    extra: dict[str, Any] = {}
    for key in ("required", "default", "of", "fill", "keyword_only"):
        if key in raw:
            extra[key] = raw[key]
    for key in ("dtypes", "ranks", "values"):
        if key in raw:
            extra[key] = tuple(raw[key])
    return Param(name=raw["name"], kind=ParamKind(raw["kind"]), **extra)


def _cumsum_spec() -> Spec:
    raw = yaml.safe_load(SPEC_FILE.read_text())
    return Spec(
        id=raw["id"],
        path=str(SPEC_FILE),
        title=raw["title"],
        summary=raw["summary"],
        params=tuple(_param(p) for p in raw["params"]),
        source=Implementation(framework="torch", api="torch.cumsum", params=()),
        targets=(),
        reference=raw["reference"],
    )


SPEC = _cumsum_spec()
SYSTEMATIC = generate_cases(SPEC, seed=0)


def _input(case: Case) -> TensorArg:
    value = case.arg_dict["input"]
    assert isinstance(value, TensorArg)
    return value


def _group(name: str) -> list[Case]:
    return [c for c in SYSTEMATIC if c.facet_dict["group"] == name]


def _dims_by_rank(cases: list[Case], dtype: str) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {}
    for case in cases:
        tensor = _input(case)
        if (
            tensor.dtype == dtype
            and tensor.fill == "random"
            and 0 not in tensor.shape
            and 1 not in tensor.shape
        ):
            dim = case.arg_dict["dim"]
            assert isinstance(dim, int)
            found.setdefault(len(tensor.shape), set()).add(dim)
    return found


# --- determinism and seeds -------------------------------------------------------------


def test_same_spec_and_seed_give_identical_cases() -> None:
    first = generate_cases(SPEC, seed=7, budget=300)
    second = generate_cases(SPEC, seed=7, budget=300)
    assert first == second
    assert [c.id for c in first] == [c.id for c in second]
    assert [c.facets for c in first] == [c.facets for c in second]


def test_ids_are_stable_across_processes() -> None:
    # Ids hash the arguments only; a pinned id catches accidental changes to seeding.
    assert SYSTEMATIC[0].label == "input=bool[3,4] dim=1"
    assert SYSTEMATIC[0].id == Case(spec_id="cumsum", args=SYSTEMATIC[0].args).id
    assert SYSTEMATIC[0].id == "cumsum-19c75f8efd"


def test_iter_cases_is_lazy_and_matches_generate_cases() -> None:
    lazy = iter_cases(SPEC, seed=3, budget=10**9)
    head = list(itertools.islice(lazy, len(SYSTEMATIC) + 5))
    assert head == generate_cases(SPEC, seed=3, budget=len(SYSTEMATIC) + 5)


def test_other_seed_changes_random_cases_but_not_systematic_ones() -> None:
    budget = len(SYSTEMATIC) + 50
    a = generate_cases(SPEC, seed=1, budget=budget)
    b = generate_cases(SPEC, seed=2, budget=budget)
    n = len(SYSTEMATIC)
    assert a[:n] == b[:n] == SYSTEMATIC
    assert {c.id for c in a[n:]}.isdisjoint(c.id for c in b[n:])


def test_tensor_seeds_differ_between_cases() -> None:
    seeds = [_input(c).seed for c in SYSTEMATIC]
    assert len(set(seeds)) == len(seeds)


# --- the required sweeps ---------------------------------------------------------------


def test_systematic_count_and_groups() -> None:
    counts = Counter(c.facet_dict["group"] for c in SYSTEMATIC)
    assert set(counts) == set(GROUPS) - {"random", "list", "shapes"}  # cumsum takes no list, lists no shapes
    assert len(SYSTEMATIC) == 124  # 116 sweeps and 8 precision probes (4 at rank 1, 4 along axis 0 of 2-D)


def test_dtype_sweep_covers_all_twelve_dtypes_at_a_modest_shape() -> None:
    cases = _group("dtype_sweep")
    assert [_input(c).dtype for c in cases] == list(DTYPES)
    assert {_input(c).shape for c in cases} == {(3, 4)}
    assert all(c.arg_dict["dim"] == 1 and "dtype" not in c.arg_dict for c in cases)


@pytest.mark.parametrize("dtype", ["float32", "int64"])
def test_rank_sweep_tries_every_axis_and_one_out_of_range(dtype: str) -> None:
    found = _dims_by_rank(SYSTEMATIC, dtype)
    for rank in range(5):
        bound = max(rank, 1)
        assert found[rank] == {*range(-bound, bound), bound}, rank
    assert {c.facet_dict["rank"] for c in _group("rank_sweep")} == {"0", "1", "2", "3", "4"}


def test_out_of_range_axes_are_flagged_and_the_rest_are_not() -> None:
    for case in SYSTEMATIC:
        rank = len(_input(case).shape)
        dim = case.arg_dict["dim"]
        assert isinstance(dim, int)
        valid = -max(rank, 1) <= dim < max(rank, 1)
        assert ("expect_error" in case.facet_dict) == (not valid)
        expected = "out_of_range" if not valid else "negative" if dim < 0 else "in_range"
        assert case.facet_dict["axis:dim"] == expected


def test_empty_shapes_along_each_axis() -> None:
    cases = _group("empty")
    pairs = {(_input(c).shape, c.arg_dict["dim"]) for c in cases}
    assert pairs == {((0,), 0), ((2, 0, 3), 0), ((2, 0, 3), 1), ((2, 0, 3), 2)}
    assert all(c.facet_dict["empty"] == "true" for c in cases)
    assert all("empty" not in c.facet_dict for c in SYSTEMATIC if 0 not in _input(c).shape)


def test_size1_shapes() -> None:
    shapes = {_input(c).shape for c in _group("size1")}
    assert shapes == {(1,), (1, 5), (3, 1, 2)}


def test_large_inputs_stay_under_a_hundred_thousand_elements() -> None:
    cases = _group("large")
    assert {(_input(c).dtype, _input(c).shape) for c in cases} == {
        ("float32", (10000,)),
        ("float64", (100, 128)),
        ("int32", (10000,)),
    }
    assert all(c.facet_dict["large"] == "true" for c in cases)
    assert max(_input(c).size for c in SYSTEMATIC) < 10**5


def test_special_values_for_floats_and_overflow_for_small_ints() -> None:
    cases = _group("special")
    nan_inf = {_input(c).dtype for c in cases if c.facet_dict["special"] == "nan_inf"}
    overflow = {_input(c).dtype for c in cases if c.facet_dict["special"] == "overflow"}
    assert nan_inf == {"float16", "bfloat16", "float32", "float64", "complex64"}
    assert overflow == {"uint8", "int8", "int16", "int32"}
    float32 = next(c for c in cases if _input(c).dtype == "float32")
    values = materialize(_input(float32))
    assert np.isnan(values).any() and np.isposinf(values).any() and np.isneginf(values).any()
    int8 = next(c for c in cases if _input(c).dtype == "int8")
    assert materialize(_input(int8)).astype(np.int64).sum(axis=-1).max() > np.iinfo(np.int8).max


def test_dtype_param_omitted_and_each_value_given_for_several_inputs() -> None:
    assert any(c.facet_dict["param:dtype"] == "omitted" for c in SYSTEMATIC)
    given = [c for c in _group("optional") if "dtype" in c.arg_dict]
    by_value: dict[str, set[str]] = {}
    for case in given:
        value = case.arg_dict["dtype"]
        assert isinstance(value, DtypeArg)
        assert case.facet_dict["param:dtype"] == value.name
        by_value.setdefault(value.name, set()).add(_input(case).dtype)
    assert set(by_value) == set(SPEC.param("dtype").values)
    assert all(inputs == {"float32", "int64", "int8"} for inputs in by_value.values())


def test_out_given_as_an_empty_tensor_of_the_input_dtype() -> None:
    cases = _group("out")
    assert len(cases) >= 2
    for case in cases:
        out = case.arg_dict["out"]
        assert out == OutArg(dtype=_input(case).dtype, shape=(0,))
        assert case.facet_dict["param:out"] == "given"
    assert all(c.facet_dict["param:out"] == "omitted" for c in SYSTEMATIC if "out" not in c.arg_dict)


# --- budget ------------------------------------------------------------------------------


@pytest.mark.parametrize("budget", [0, 1, 17, len(SYSTEMATIC)])
def test_budget_below_the_systematic_count_truncates_it(budget: int) -> None:
    assert generate_cases(SPEC, seed=0, budget=budget) == SYSTEMATIC[:budget]


def test_budget_above_the_systematic_count_fills_with_random_cases() -> None:
    cases = generate_cases(SPEC, seed=0, budget=len(SYSTEMATIC) + 120)
    assert len(cases) == len(SYSTEMATIC) + 120
    assert cases[: len(SYSTEMATIC)] == SYSTEMATIC
    extra = cases[len(SYSTEMATIC) :]
    assert {c.facet_dict["group"] for c in extra} == {"random"}
    # The random stream explores: several dtypes, ranks, fills and optional params.
    assert len({_input(c).dtype for c in extra}) >= 8
    assert {c.facet_dict["rank"] for c in extra} == {"0", "1", "2", "3", "4"}
    assert any("special" in c.facet_dict for c in extra)
    assert any("dtype" in c.arg_dict for c in extra) and any("out" in c.arg_dict for c in extra)


def test_negative_budget_is_rejected() -> None:
    with pytest.raises(ValueError, match="budget"):
        generate_cases(SPEC, seed=0, budget=-1)


def test_no_duplicate_ids() -> None:
    cases = generate_cases(SPEC, seed=11, budget=600)
    assert len({c.id for c in cases}) == len(cases) == 600


# --- facets and materialization ---------------------------------------------------------


def test_facets_describe_the_primary_tensor() -> None:
    for case in generate_cases(SPEC, seed=5, budget=len(SYSTEMATIC) + 100):
        facets = case.facet_dict
        tensor = _input(case)
        assert facets["group"] in GROUPS
        assert facets["dtype"] == tensor.dtype
        assert facets["rank"] == str(len(tensor.shape))
        assert facets["shape"] == ("x".join(map(str, tensor.shape)) or "scalar")
        assert ("empty" in facets) == (0 in tensor.shape)
        assert ("large" in facets) == (tensor.size >= 10**4)
        assert {"axis:dim", "param:dtype", "param:out"} <= set(facets)
        assert facets["param:dtype"] == (_label(case, "dtype"))


def _label(case: Case, name: str) -> str:
    value = case.arg_dict.get(name)
    return value.name if isinstance(value, DtypeArg) else "omitted"


def _tensors(cases: list[Case]) -> list[TensorArg]:
    found: list[TensorArg] = []
    for case in cases:
        for value in case.arg_dict.values():
            items = value.items if isinstance(value, TensorListArg) else (value,)
            found.extend(t for t in items if isinstance(t, TensorArg))
    return found


def _assert_materializes(tensors: list[TensorArg]) -> None:
    assert tensors
    for tensor in tensors:
        array = materialize(tensor)
        assert array.shape == tensor.shape, tensor
        assert array.dtype == carrier(tensor.dtype), tensor


CASES = generate_cases(SPEC, seed=9, budget=len(SYSTEMATIC) + 100)


def test_every_tensor_materializes_with_its_stated_shape_and_dtype() -> None:
    _assert_materializes([t for t in _tensors(CASES) if t.shape != ()])


def test_zero_dimensional_tensors_materialize_as_zero_dimensional() -> None:
    _assert_materializes([t for t in _tensors(CASES) if t.shape == ()])


def _run_reference(case: Case) -> references.Result:
    tensor = _input(case)
    dim = case.arg_dict["dim"]
    assert isinstance(dim, int)
    dtype = case.arg_dict.get("dtype")
    out_dtype = dtype.name if isinstance(dtype, DtypeArg) else None
    with np.errstate(invalid="ignore"):
        return references.cumsum(materialize(tensor), dim, out_dtype, dtypes={"input": tensor.dtype})


def test_the_reference_accepts_valid_cases_and_rejects_flagged_ones() -> None:
    # Runs each case through the NumPy oracle: valid by construction means it computes.
    for case in generate_cases(SPEC, seed=4, budget=len(SYSTEMATIC) + 60):
        if "expect_error" in case.facet_dict:
            with pytest.raises(IndexError):
                _run_reference(case)
        elif case.facet_dict.get("param:dtype") == "bool":
            # torch.cumsum has no bool kernel ("cumsum_out_cpu" not implemented for 'Bool').
            with pytest.raises(NotImplementedError):
                _run_reference(case)
        else:
            assert _run_reference(case).values.shape == materialize(_input(case)).shape
