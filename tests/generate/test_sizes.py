"""Size arguments: the sizes and forms cases try, their facets, and how calls and scripts write them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from fake_frameworks import FakeAdapter, make_impl

from apicompat.execute.invoke import build_call
from apicompat.frameworks.scripts import render_call, render_script
from apicompat.generate import generate_cases
from apicompat.generate.sizes import dims_label, form_label, size_values
from apicompat.records import Case, Implementation, SizeArg
from apicompat.spec import load_spec

SPEC = """\
apicompat: 1
id: zeros
params:
  - name: size
    kind: size
    varargs: true
    values: [[2, 3], [4], [], [-1, 2]]
  - name: dtype
    kind: dtype
    required: false
    default: null
    keyword_only: true
    values: [int64]
reference: {numpy: numpy.zeros, args: {size: 0}, promotion: default_float}
source: {framework: torch, api: torch.zeros, positional: [size]}
targets:
  - {framework: mindspore, api: mindspore.ops.zeros, positional: [size]}
"""


def _spec(tmp_path: Path, text: str = SPEC):  # type: ignore[no-untyped-def]
    path = tmp_path / "zeros.yaml"
    path.write_text(text, encoding="utf-8")
    return load_spec(path, check_imports=False)


def test_each_size_as_a_tuple_the_everyday_one_as_a_list_and_separate_ints(tmp_path: Path) -> None:
    values = size_values(_spec(tmp_path).param("size"))
    assert [v.describe() for v in values] == [
        "(2, 3)", "(4,)", "()", "(-1, 2)", "[2, 3]", "*(2, 3)", "*(4,)", "*(-1, 2)",
    ]  # fmt: skip
    # No `torch.zeros()`: separate ints need at least one.
    assert SizeArg((), "varargs") not in values


def test_without_varargs_no_size_is_written_as_separate_ints(tmp_path: Path) -> None:
    spec = _spec(tmp_path, SPEC.replace("    varargs: true\n", ""))
    assert all(v.form != "varargs" for v in size_values(spec.param("size")))


def test_cases_label_the_form_and_the_dims(tmp_path: Path) -> None:
    cases = generate_cases(_spec(tmp_path), seed=0)
    by_size = {c.arg_dict["size"]: c.facet_dict for c in cases if "dtype" not in c.arg_dict}
    assert by_size[SizeArg((2, 3), "varargs")]["size:size"] == "separate_ints"
    assert by_size[SizeArg((4,), "varargs")]["size:size"] == "int"
    assert by_size[SizeArg((2, 3), "list")]["size:size"] == "list"
    assert by_size[SizeArg(())]["dims:size"] == "0d"
    negative = by_size[SizeArg((-1, 2))]
    assert negative["dims:size"] == "negative" and negative["expect_error"] == "true"
    assert "expect_error" not in by_size[SizeArg((2, 3))]
    # The everyday size goes with the dtype sweep.
    dtyped = [c for c in cases if "dtype" in c.arg_dict]
    assert [c.arg_dict["size"] for c in dtyped] == [SizeArg((2, 3))]


def test_labels() -> None:
    assert dims_label((0, 3)) == "empty" and dims_label((2,)) == "positive" and dims_label(()) == "0d"
    assert form_label(SizeArg((2,), "tuple")) == "tuple"
    with pytest.raises(ValueError, match="unknown size form"):
        SizeArg((2,), "star")


def test_separate_ints_are_spread_over_the_positions() -> None:
    adapter = FakeAdapter("cpu")
    adapter.load()
    impl = make_impl("fake.zeros", positional=("size",))
    call = build_call(adapter, impl, Case("c", (("size", SizeArg((2, 3), "varargs")), ("dtype", None))))
    assert call.args == [2, 3] and call.kwargs == {"dtype": None}
    call = build_call(adapter, impl, Case("c", (("size", SizeArg((2, 3), "list")),)))
    assert call.args == [[2, 3]]
    # By keyword a size can only be one value: the tuple.
    keyword = make_impl("fake.zeros", positional=())
    assert build_call(adapter, keyword, Case("c", (("size", SizeArg((2, 3), "varargs")),))).kwargs == {
        "size": (2, 3)
    }


def test_reproducers_write_the_size_as_the_call_did() -> None:
    torch_zeros = Implementation("torch", "torch.zeros", (("size", "size"),), positional=("size",))
    ms_ones = Implementation("mindspore", "mindspore.ops.ones", (("size", "shape"),), positional=())
    assert render_call(torch_zeros, Case("c", (("size", SizeArg((2, 3), "varargs")),))) == "torch.zeros(2, 3)"
    assert render_call(torch_zeros, Case("c", (("size", SizeArg((4,), "varargs")),))) == "torch.zeros(4)"
    assert render_call(torch_zeros, Case("c", (("size", SizeArg((2, 3), "list")),))) == "torch.zeros([2, 3])"
    assert render_call(torch_zeros, Case("c", (("size", SizeArg(())),))) == "torch.zeros(())"
    assert render_call(ms_ones, Case("c", (("size", SizeArg((4,))),))) == "mindspore.ops.ones(shape=(4,))"
    script = render_script(torch_zeros, Case("c", (("size", SizeArg((2, 3), "varargs")),)))
    assert "y = torch.zeros(2, 3)\n" in script and "size =" not in script


def test_the_reference_receives_the_dims(tmp_path: Path) -> None:
    from apicompat.execute.invoke import run_case
    from apicompat.frameworks.numpy_ref import NumpyAdapter

    spec = _spec(tmp_path)
    adapter = NumpyAdapter("cpu")
    adapter.load()
    reference = Implementation("numpy", spec.reference, tuple((p.name, p.name) for p in spec.params))
    fn = adapter.resolve(spec.reference)
    for form in ("tuple", "list", "varargs"):
        case = Case("zeros", (("size", SizeArg((2, 3), form)),))
        observation = run_case(adapter, reference, "cpu", case, fn)
        assert observation.ok and observation.outputs[0].shape == (2, 3), observation
        assert observation.outputs[0].dtype == "float32"
        assert np.all(observation.outputs[0].values == 0)


def test_a_handwritten_case_writes_a_size_as_a_list(tmp_path: Path) -> None:
    from apicompat.generate.handwritten import load_cases
    from apicompat.records import SpecError

    spec = _spec(tmp_path)
    path = tmp_path / "cases.yaml"
    path.write_text(
        "apicompat: 1\nspec: zeros\ncases:\n  - name: doc\n    args: {size: [2, 3]}\n", encoding="utf-8"
    )
    (case,) = load_cases(path, {spec.id: spec})
    assert case.arg_dict["size"] == SizeArg((2, 3))
    path.write_text(
        "apicompat: 1\nspec: zeros\ncases:\n  - name: doc\n    args: {size: 3}\n", encoding="utf-8"
    )
    with pytest.raises(SpecError, match="'size' has kind 'size': expected a list of integers but got 3"):
        load_cases(path, {spec.id: spec})
