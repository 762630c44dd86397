"""Properties over small synthetic specs: generation never crashes and axes are valid or flagged."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apicompat.generate import GROUPS, generate_cases
from apicompat.records import DTYPES, ArgValue, Case, Implementation, TensorArg, TensorListArg
from apicompat.records.arrays import materialize
from apicompat.records.dtypes import carrier
from apicompat.spec import Param, ParamKind, Spec

K = ParamKind
AXIS_KINDS = (K.AXIS, K.AXES)

dtype_sets = st.lists(st.sampled_from(DTYPES), min_size=1, max_size=4, unique=True).map(tuple)
rank_ranges = st.tuples(st.integers(0, 5), st.integers(0, 3)).map(lambda r: (r[0], r[0] + r[1]))


@st.composite
def extra_params(draw: st.DrawFn) -> list[Param]:
    """Optional extras: dtype, bool, int, scalar, out and a second tensor."""
    extras: list[Param] = []
    if draw(st.booleans()):
        names = draw(st.lists(st.sampled_from(DTYPES), max_size=3, unique=True))
        extras.append(Param("dtype", K.DTYPE, required=False, values=tuple(names)))
    if draw(st.booleans()):
        extras.append(Param("flag", K.BOOL, required=draw(st.booleans()), default=False))
    if draw(st.booleans()):
        ints = draw(st.lists(st.integers(-3, 3), max_size=3, unique=True))
        extras.append(Param("k", K.INT, required=draw(st.booleans()), values=tuple(ints)))
    if draw(st.booleans()):
        scalars = draw(st.lists(st.sampled_from([-1.5, 0.0, 2.0, float("nan")]), max_size=2, unique=True))
        extras.append(Param("alpha", K.SCALAR, required=draw(st.booleans()), values=tuple(scalars)))
    if draw(st.booleans()):
        extras.append(Param("out", K.OUT, required=False, of="x"))
    if draw(st.booleans()):
        fill = draw(st.sampled_from(["random", "range", "positive"]))
        kind = draw(st.sampled_from([K.TENSOR, K.TENSORS]))
        extras.append(Param("other", kind, required=draw(st.booleans()), dtypes=draw(dtype_sets), fill=fill))
    return extras


@st.composite
def specs(draw: st.DrawFn) -> Spec:
    """A spec with a primary tensor `x`, zero to two axis parameters, and extras."""
    primary = Param(
        "x",
        draw(st.sampled_from([K.TENSOR, K.TENSORS])),
        dtypes=draw(dtype_sets),
        ranks=draw(rank_ranges),
        fill=draw(st.sampled_from(["random", "positive", "unique"])),
    )
    axes = [
        Param(
            f"dim{i}",
            draw(st.sampled_from(AXIS_KINDS)),
            required=draw(st.booleans()),
            of=draw(st.sampled_from(["x", None])),
        )
        for i in range(draw(st.integers(0, 2)))
    ]
    params = (primary, *axes, *draw(extra_params()))
    return Spec(
        id="synthetic",
        path="specs/synthetic.yaml",
        title="synthetic",
        summary="",
        params=params,
        source=Implementation(framework="torch", api="torch.synthetic", params=()),
        targets=(),
        reference="apicompat.references:synthetic",
    )


def _primary(case: Case) -> TensorArg:
    value = case.arg_dict["x"]
    if isinstance(value, TensorListArg):
        return value.items[0]
    assert isinstance(value, TensorArg)
    return value


def _axis_values(value: ArgValue) -> list[Any]:
    return list(value) if isinstance(value, tuple) else [value]


def _check_case(spec: Spec, case: Case) -> None:
    facets = case.facet_dict
    tensor = _primary(case)
    assert facets["group"] in GROUPS
    assert facets["dtype"] in spec.param("x").dtypes
    low, high = spec.param("x").ranks
    assert low <= len(tensor.shape) <= high
    rank = max(len(tensor.shape), 1)
    invalid = False
    for param in spec.params:
        if param.kind in AXIS_KINDS and param.name in case.arg_dict:
            axes = _axis_values(case.arg_dict[param.name])
            ok = all(-rank <= a < rank for a in axes)
            label = "out_of_range" if not ok else "negative" if any(a < 0 for a in axes) else "in_range"
            assert facets[f"axis:{param.name}"] == label
            invalid = invalid or not ok
        if param.required:
            assert param.name in case.arg_dict, param.name
        else:
            assert f"param:{param.name}" in facets
    assert ("expect_error" in facets) == invalid
    assert not (invalid and facets["group"] == "random")


def _check_tensors(case: Case) -> None:
    for value in case.arg_dict.values():
        items = value.items if isinstance(value, TensorListArg) else (value,)
        for tensor in items:
            if isinstance(tensor, TensorArg):
                array = materialize(tensor)
                assert array.size == tensor.size and array.dtype == carrier(tensor.dtype)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=specs(), seed=st.integers(0, 2**40))
def test_generation_never_crashes_and_axes_are_valid_or_flagged(spec: Spec, seed: int) -> None:
    systematic = generate_cases(spec, seed)
    assert systematic
    cases = generate_cases(spec, seed, budget=len(systematic) + 8)
    assert cases[: len(systematic)] == systematic
    assert len(cases) == len(systematic) + 8
    assert len({c.id for c in cases}) == len(cases)
    for case in cases:
        _check_case(spec, case)
        _check_tensors(case)
