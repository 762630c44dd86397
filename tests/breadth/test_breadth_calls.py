"""Calls built for the extensions (value maps, methods, lists, numbers) and their reproducer scripts."""

from __future__ import annotations

import numpy as np

from apicompat.execute.invoke import build_call
from apicompat.frameworks.numpy_ref import NumpyAdapter
from apicompat.frameworks.scripts import render_call, render_script
from apicompat.records import Case, Implementation, TensorArg, TensorListArg

STD = Implementation(
    "mindspore",
    "mindspore.ops.std",
    (("input", "input"), ("dim", "axis"), ("unbiased", "ddof"), ("correction", "ddof")),
    positional=("input", "dim"),
    value_map=(("unbiased", ((True, 1), (False, 0))),),
)


def _case(*args: tuple[str, object]) -> Case:
    return Case("spec", tuple(args))  # type: ignore[arg-type]


def test_value_map_translates_the_value_in_calls_and_scripts() -> None:
    case = _case(("input", TensorArg("float32", (3,))), ("dim", 0), ("unbiased", False))
    call = build_call(NumpyAdapter(), STD, case)
    assert call.kwargs == {"ddof": 0} and len(call.args) == 2
    assert render_call(STD, case) == "mindspore.ops.std(input, axis, ddof=ddof)"
    assert "ddof = 0" in render_script(STD, case)
    # The other parameter sharing the name passes its own value unchanged.
    other = _case(("input", TensorArg("float32", (3,))), ("correction", 2))
    assert build_call(NumpyAdapter(), STD, other).kwargs == {"ddof": 2}


def test_method_calls_use_the_first_tensor_as_the_receiver() -> None:
    method = Implementation(
        "torch", "torch.Tensor.cumsum", (("out", None),), positional=("dim",), method=True
    )
    case = _case(("input", TensorArg("int64", (4,))), ("dim", 0))
    assert render_call(method, case) == "input.cumsum(dim)"
    call = build_call(NumpyAdapter(), method, case)
    assert call.self_param == "input" and call.args == [0]


def test_lists_and_numbers_are_written_as_themselves() -> None:
    cat = Implementation("torch", "torch.cat", (), positional=("tensors", "dim"))
    items = TensorListArg((TensorArg("float32", (2,), seed=1), TensorArg("int64", (3,), seed=2)))
    script = render_script(cat, _case(("tensors", items), ("dim", 0)))
    assert "tensors = [tensors_0, tensors_1]" in script and "torch.cat(tensors, dim)" in script
    clamp = Implementation("torch", "torch.clamp", (), positional=("input", "min"))
    assert "min = 2.5" in render_script(clamp, _case(("input", TensorArg("int8", (2,))), ("min", 2.5)))
    call = build_call(NumpyAdapter(), cat, _case(("tensors", items), ("dim", 0)))
    assert call.dtypes["tensors[1]"] == "int64" and isinstance(call.args[0], list)


def test_scripts_for_several_outputs_print_a_tuple_or_a_single_tensor_alike() -> None:
    unique = Implementation("torch", "torch.unique", (), positional=("input",))
    script = render_script(unique, _case(("input", TensorArg("int64", (3,)))), outputs=2)
    assert "for item in y if isinstance(y, (tuple, list)) else (y,):" in script
    namespace: dict[str, object] = {"y": np.array([1, 2])}
    loop = script.split("y = torch.unique(input)\n", 1)[1].replace("print(", "printed.append(")
    printed: list[object] = []
    exec(loop, {"printed": printed, **namespace})  # a bare array is one output, not a tuple of rows
    assert len(printed) == 2
