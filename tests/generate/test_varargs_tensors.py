"""Tensors passed as separate arguments (`varargs: true` on kind tensors): cases, calls, scripts, ids."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from fake_frameworks import FakeAdapter, make_impl

from apicompat.execute.invoke import build_call, run_case
from apicompat.frameworks.numpy_ref import NumpyAdapter
from apicompat.frameworks.scripts import render_call
from apicompat.generate import generate_cases
from apicompat.generate.calls import keyword_cases
from apicompat.records import Case, Implementation, TensorArg, TensorListArg
from apicompat.spec import load_spec

SPECS = Path(__file__).resolve().parents[2] / "specs"
A, B = TensorArg("float32", (2,)), TensorArg("float32", (3,))


def test_every_case_of_a_varargs_list_passes_its_items_separately() -> None:
    spec = load_spec(SPECS / "meshgrid.yaml", check_imports=False)
    cases = generate_cases(spec, seed=3)
    lists = [v for c in cases for _, v in c.args if isinstance(v, TensorListArg)]
    assert lists and all(v.varargs for v in lists)
    assert not keyword_cases(spec, cases), "items passed separately have no keyword to try"


def test_the_call_and_the_reproducer_spread_the_items() -> None:
    adapter = FakeAdapter("cpu")
    adapter.load()
    impl = make_impl("fake.meshgrid", positional=("tensors",))
    case = Case("c", (("tensors", TensorListArg((A, B), varargs=True)), ("indexing", "ij")))
    call = build_call(adapter, impl, case)
    assert len(call.args) == 2 and call.kwargs == {"indexing": "ij"}
    assert len(build_call(adapter, impl, Case("c", (("tensors", TensorListArg((A, B))),))).args) == 1
    torch_meshgrid = Implementation(
        "torch", "torch.meshgrid", (("tensors", "tensors"),), positional=("tensors",)
    )
    assert render_call(torch_meshgrid, case) == "torch.meshgrid(*tensors, indexing=indexing)"


def test_a_list_passed_whole_keeps_its_case_id() -> None:
    whole = Case("s", (("tensors", TensorListArg((A, B))),))
    assert Case("s", (("tensors", TensorListArg((A, B), varargs=False)),)).id == whole.id
    assert Case("s", (("tensors", TensorListArg((A, B), varargs=True)),)).id != whole.id


def test_a_declarative_reference_spreads_them_for_numpy() -> None:
    spec = load_spec(SPECS / "meshgrid.yaml", check_imports=False)
    adapter = NumpyAdapter("cpu")
    adapter.load()
    reference = Implementation("numpy", spec.reference, tuple((p.name, p.name) for p in spec.params))
    case = Case("meshgrid", (("tensors", TensorListArg((A, B), varargs=True)),))
    observation = run_case(adapter, reference, "cpu", case, adapter.resolve(spec.reference))
    assert observation.ok, observation
    assert [o.shape for o in observation.outputs] == [(2, 3), (2, 3)], "indexing='ij', torch's default"
    assert np.all(observation.outputs[0].values[:, 0] == observation.outputs[0].values[:, 1])


def test_a_parameter_before_separate_tensors_gets_no_keyword_copies() -> None:
    spec = load_spec(SPECS / "einsum.yaml", check_imports=False)
    assert not keyword_cases(spec, generate_cases(spec, seed=3)), (
        "einsum(equation=..., *operands) cannot be called"
    )
