"""An index with `fill: unique` never repeats a value along its axis (torch.scatter's defined results)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from apicompat.generate import generate_cases
from apicompat.records import TensorArg
from apicompat.records.arrays import distinct_values, materialize
from apicompat.spec import load_spec

SPECS = Path(__file__).resolve().parents[2] / "specs"


@pytest.mark.parametrize("name", ["scatter"])
def test_every_in_range_index_of_a_unique_index_is_distinct_along_dim(name: str) -> None:
    spec = load_spec(SPECS / f"{name}.yaml", check_imports=False)
    checked = 0
    for case in generate_cases(spec, seed=7):
        args = case.arg_dict
        index, input_, dim = args.get("index"), args.get("input"), args.get("dim")
        if not (isinstance(index, TensorArg) and isinstance(input_, TensorArg) and isinstance(dim, int)):
            continue
        if index.fill != "distinct" or not input_.shape or not -len(input_.shape) <= dim < len(input_.shape):
            continue
        if index.size == 0:
            continue
        values = np.moveaxis(materialize(index), dim, -1).reshape(-1, index.shape[dim])
        assert all(len(set(row.tolist())) == len(row) for row in values), case.label
        assert values.size == 0 or (values.min() >= 0 and values.max() < input_.shape[dim]), case.label
        checked += 1
    assert checked >= 10, "the sweeps must produce distinct indices along several axes"


def test_the_invalid_index_variants_keep_their_values() -> None:
    spec = load_spec(SPECS / "scatter.yaml", check_imports=False)
    labels = {dict(c.facets).get("index:index") for c in generate_cases(spec, seed=7)}
    assert {"past_end", "negative", "longer", "narrower"} <= labels


def test_distinct_values_are_prefixes_of_permutations() -> None:
    rng = np.random.default_rng(0)
    values = distinct_values(rng, (3, 4, 2), axis=1, high=5)
    assert values.shape == (3, 4, 2)
    for i in range(3):
        for k in range(2):
            column = values[i, :, k].tolist()
            assert len(set(column)) == 4 and all(0 <= v < 5 for v in column)
    assert distinct_values(rng, (), axis=0, high=1).shape == ()
