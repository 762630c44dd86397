"""Reproducer scripts: exact inputs, the worker's call convention, comparable printed output."""

from __future__ import annotations

import ast
import itertools
import json
import subprocess
import sys
import warnings
from typing import Any

import numpy as np
import pytest

from apicompat.frameworks.scripts import (
    LITERAL_LIMIT,
    array_lines,
    array_literal,
    plan_call,
    python_literal,
    render_call,
    render_script,
    scalar_literal,
    variable,
)
from apicompat.records import DTYPES, Case, DtypeArg, Implementation, OutArg, TensorArg, TensorListArg
from apicompat.records.arrays import materialize
from apicompat.records.cases import FILLS

TORCH_CUMSUM = Implementation("torch", "torch.cumsum", (), positional=("input", "dim"))
MS_CUMSUM = Implementation(
    "mindspore",
    "mindspore.ops.cumsum",
    (("input", "x"), ("dim", "axis"), ("out", None)),
    positional=("input", "dim"),
)
TORCH_METHOD = Implementation("torch", "torch.Tensor.cumsum", (), positional=("input", "dim"), method=True)


def _case(*args: tuple[str, Any]) -> Case:
    return Case("cumsum", tuple(args))


def _literal(values: list[int], dtype: str = "int64") -> TensorArg:
    return TensorArg(dtype, (len(values),), fill="literal", data=values)


def _recipe(dtype: str, fill: str, shape: tuple[int, ...], seed: int = 11) -> TensorArg:
    n = int(np.prod(shape))
    if fill == "literal":
        data = (np.arange(n) % 3 - 1).reshape(shape).tolist()
        return TensorArg(
            dtype, shape, fill=fill, data=(np.array(data) > 0).tolist() if dtype == "bool" else data
        )
    if fill == "range":
        return TensorArg(dtype, shape, fill=fill, seed=seed, low=-300, high=700)
    return TensorArg(dtype, shape, fill=fill, seed=seed)


def _run_lines(lines: list[str]) -> np.ndarray:
    scope: dict[str, Any] = {"np": np}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # inf * 0 while building complex specials
        exec("\n".join(lines), scope)
    result = scope["x"]
    assert isinstance(result, np.ndarray)
    return result


# --- arrays: bit for bit what materialize() builds --------------------------------------------


@pytest.mark.parametrize(
    ("fill", "dtype", "shape"),
    [
        *itertools.product(FILLS, DTYPES, [(9, 11)]),  # past the literal limit: an expression
        *itertools.product(FILLS, ("float32", "int8", "complex64", "bfloat16", "bool"), [(2, 3), (), (0, 4)]),
    ],
)
def test_array_lines_rebuild_materialize_bit_for_bit(fill: str, dtype: str, shape: tuple[int, ...]) -> None:
    arg = _recipe(dtype, fill, shape)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        want = materialize(arg)
    lines = array_lines(arg, "x")
    got = _run_lines(lines)
    assert (got.dtype, got.shape) == (want.dtype, want.shape)
    assert got.tobytes() == want.tobytes(), "\n".join(lines)


@pytest.mark.parametrize("fill", ["random", "positive", "special", "overflow", "range", "unique"])
def test_large_arrays_are_expressions_not_literals(fill: str) -> None:
    lines = array_lines(_recipe("float32", fill, (100, 100)), "x")
    assert len("\n".join(lines)) < 400  # 10,000 elements, a few short lines
    assert "default_rng(11)" in "\n".join(lines) or "np.full" in lines[-1]


def test_small_arrays_are_literals() -> None:
    arg = TensorArg("float32", (2, 2), fill="special", seed=0)
    (line,) = array_lines(arg, "x")
    assert line.startswith("x = np.array([[") and line.endswith("dtype=np.float32)")
    assert arg.size <= LITERAL_LIMIT


def test_bfloat16_range_past_the_limit_falls_back_to_a_literal() -> None:
    # Integers up to 700 are not all bfloat16 values: materialize() rounds them, an
    # expression would not, so the rounded values are written out.
    arg = _recipe("bfloat16", "range", (9, 11))
    (line,) = array_lines(arg, "x")
    assert line.startswith("x = np.array([[")
    assert _run_lines([line]).tobytes() == materialize(arg).tobytes()


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (-0.0, "-0.0"),
        (float("nan"), "np.nan"),
        (float("-inf"), "-np.inf"),
        (np.float32(0.1), "0.10000000149011612"),
        (complex(-0.0, float("inf")), "complex(-0.0, np.inf)"),
        (np.True_, "True"),
        (np.int64(-7), "-7"),
    ],
)
def test_scalar_literal(value: object, text: str) -> None:
    assert scalar_literal(value) == text


def test_array_literal_shapes() -> None:
    assert array_literal(np.zeros((0, 3), dtype=np.int8)) == "np.zeros((0, 3), dtype=np.int8)"
    assert array_literal(np.array(2.5, dtype=np.float16)) == "np.array(2.5, dtype=np.float16)"
    assert array_literal(np.array([True, False])) == "np.array([True, False], dtype=np.bool_)"


def test_python_literal() -> None:
    assert python_literal((1,)) == "(1,)"
    assert python_literal((0, -1)) == "(0, -1)"
    assert python_literal(float("nan")) == 'float("nan")'
    assert python_literal("sum") == "'sum'"


# --- the call: names and convention --------------------------------------------------------


def test_render_call_uses_target_names_and_inline_dtypes() -> None:
    case = _case(("input", _literal([1, 2])), ("dim", 0), ("dtype", DtypeArg("int8")))
    assert render_call(MS_CUMSUM, case) == "mindspore.ops.cumsum(x, axis, dtype=mindspore.int8)"
    assert render_call(TORCH_CUMSUM, case) == "torch.cumsum(input, dim, dtype=torch.int8)"
    assert render_call(TORCH_METHOD, case) == "input.cumsum(dim, dtype=torch.int8)"


def test_unsupported_parameters_are_left_out() -> None:
    case = _case(("input", _literal([1, 2])), ("dim", 0), ("out", OutArg("int64", (2,))))
    assert render_call(MS_CUMSUM, case) == "mindspore.ops.cumsum(x, axis)"
    assert "out =" not in render_script(MS_CUMSUM, case)
    assert render_call(TORCH_CUMSUM, case) == "torch.cumsum(input, dim, out=out)"
    assert "out = torch.empty((2,), dtype=torch.int64)" in render_script(TORCH_CUMSUM, case)


def test_positionals_after_a_gap_go_by_keyword() -> None:
    impl = Implementation("torch", "torch.f", (), positional=("input", "dim", "keepdim"))
    case = _case(("input", _literal([1])), ("keepdim", True))
    plan = plan_call(impl, case)
    assert plan.positional == (("input", "input"),) and plan.keyword == (("keepdim", "keepdim"),)
    assert render_call(impl, case) == "torch.f(input, keepdim=keepdim)"


def test_plan_matches_the_worker_call_convention() -> None:
    """The reproducer must call the API exactly as the worker does."""
    invoke = pytest.importorskip("apicompat.execute.invoke")
    from apicompat.frameworks.numpy_ref import NumpyAdapter

    impls = [
        TORCH_CUMSUM,
        MS_CUMSUM,
        TORCH_METHOD,
        Implementation("torch", "torch.f", (("a", "x"),), positional=("a", "b", "c")),
    ]
    cases = [
        _case(("input", _literal([1, 2])), ("dim", 0), ("dtype", DtypeArg("int8"))),
        _case(("input", _literal([1, 2])), ("dtype", DtypeArg("int8")), ("dim", 0)),
        Case("f", (("a", _literal([1])), ("c", 2), ("b", 3))),
        Case("f", (("a", _literal([1])), ("c", 2))),
    ]
    for impl, case in itertools.product(impls, cases):
        if impl.method and not any(isinstance(v, TensorArg) for _, v in case.args):
            continue
        call = invoke.build_call(NumpyAdapter(), impl, case)
        plan = plan_call(impl, case)
        assert len(call.args) == len(plan.positional), (impl.api, case.label)
        assert list(call.kwargs) == [name for _, name in plan.keyword], (impl.api, case.label)
        assert call.self_param == (plan.receiver[0] if plan.receiver else None)


def test_variables_avoid_keywords_and_script_names() -> None:
    assert variable("lambda") == "lambda_" and variable("np") == "np_" and variable("x") == "x"
    impl = Implementation("torch", "torch.f", (("input", "np"), ("k", "lambda")), positional=("input",))
    script = render_script(impl, _case(("input", _literal([1])), ("k", 2)))
    assert "torch.f(np_, **{'lambda': lambda_})" in script
    ast.parse(script)


def test_scripts_are_valid_python_for_every_argument_kind() -> None:
    impl = Implementation("torch", "torch.nn.functional.f", (), positional=("tensors",))
    case = Case(
        "f",
        (
            (
                "tensors",
                TensorListArg((_literal([1]), TensorArg("bfloat16", (10, 10), fill="special", seed=2))),
            ),
            ("value", float("-inf")),
            ("dims", (0, 1)),
            ("mode", "sum"),
            ("missing", None),
            ("dtype", DtypeArg("complex64")),
            ("out", OutArg("bfloat16", (3,))),
        ),
    )
    for framework in ("torch", "mindspore"):
        script = render_script(Implementation(framework, impl.api, (), ("tensors",)), case, device="gpu")
        ast.parse(script)
        assert "tensors = [tensors_0, tensors_1]" in script
        assert "import torch.nn.functional" in script or framework == "mindspore"
        assert "missing=None" in script


def test_numpy_reference_has_no_script() -> None:
    impl = Implementation("numpy", "apicompat.references:cumsum", ())
    with pytest.raises(NotImplementedError):
        render_script(impl, _case(("input", _literal([1])), ("dim", 0)))
    with pytest.raises(ValueError, match="no reproducer syntax for framework 'jax'"):
        render_call(Implementation("jax", "jax.numpy.cumsum", ()), _case(("input", _literal([1]))))


def test_scripts_import_no_framework() -> None:
    code = "import apicompat.frameworks.scripts, sys; assert not {'torch', 'mindspore'} & set(sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True)


# --- scripts actually run --------------------------------------------------------------------

CUMSUM_1234 = _case(("input", _literal([1, 2, 3, 4])), ("dim", 0))
# Runs several scripts in one interpreter (fresh globals each), as the worker does; an
# exception is the script's outcome, recorded as "error: Type".
_RUNNER = """
import contextlib, io, json, sys
outputs = []
for code in json.load(sys.stdin):
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        try:
            exec(compile(code, "<script>", "exec"), {"__name__": "__main__"})
        except Exception as exc:
            print(f"error: {type(exc).__name__}")
    outputs.append(buffer.getvalue())
print(json.dumps(outputs))
"""


def _run_scripts(scripts: list[str]) -> list[str]:
    run = subprocess.run(
        [sys.executable, "-c", _RUNNER],
        input=json.dumps(scripts),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    outputs = json.loads(run.stdout.splitlines()[-1])
    assert isinstance(outputs, list)
    return outputs


BIG_INT = TensorArg("int64", (10, 10), seed=5)  # past the literal limit
BF16 = TensorArg("bfloat16", (2, 3), seed=1)
MATRIX = TensorArg("float32", (2, 3), fill="literal", data=[[1.0, 5.0, 2.0], [3.0, 2.0, 4.0]])


@pytest.mark.frameworks
def test_torch_script_runs() -> None:
    torch = pytest.importorskip("torch")
    torch_max = Implementation("torch", "torch.max", (), positional=("input", "dim"))
    outputs = _run_scripts(
        [
            render_script(TORCH_CUMSUM, CUMSUM_1234),
            render_script(TORCH_CUMSUM, _case(("input", BIG_INT), ("dim", 0), ("dtype", DtypeArg("int8")))),
            render_script(TORCH_CUMSUM, _case(("input", BF16), ("dim", 1))),
            render_script(
                TORCH_CUMSUM, _case(("input", _literal([1, 2])), ("dim", 0), ("out", OutArg("int64", (2,))))
            ),
            render_script(torch_max, _case(("input", MATRIX), ("dim", 1)), outputs=2),
            render_script(TORCH_CUMSUM, _case(("input", _literal([1, 2])), ("dim", 5))),
        ]
    )
    assert outputs[0] == "tensor([ 1,  3,  6, 10])\ntorch.int64\n"
    expected = torch.tensor(materialize(BIG_INT)).cumsum(0, dtype=torch.int8)
    assert outputs[1] == f"{expected}\ntorch.int8\n"
    assert outputs[2].endswith("dtype=torch.bfloat16)\ntorch.bfloat16\n")
    assert outputs[3] == "tensor([1, 3])\ntorch.int64\n"
    assert outputs[4] == "tensor([5., 4.])\ntorch.float32\ntensor([1, 2])\ntorch.int64\n"
    assert outputs[5] == "error: IndexError\n"


@pytest.mark.frameworks
def test_mindspore_script_runs() -> None:
    pytest.importorskip("mindspore")
    ms_add = Implementation("mindspore", "mindspore.ops.add", (), positional=("input", "other"))
    ms_max = Implementation("mindspore", "mindspore.ops.max", (("dim", "axis"),), positional=("input", "dim"))
    outputs = _run_scripts(
        [
            # First in a fresh process: without the script's warm-up this adds a Python
            # scalar and raises SystemError (MindSpore 2.10 under NumPy 2).
            render_script(ms_add, _case(("input", _literal([1, 2])), ("other", 1))),
            render_script(MS_CUMSUM, CUMSUM_1234),
            render_script(MS_CUMSUM, _case(("input", BF16), ("dim", 1))),
            render_script(ms_max, _case(("input", MATRIX), ("dim", 1)), outputs=2),
            render_script(MS_CUMSUM, _case(("input", _literal([1, 2])), ("dim", 5))),
        ]
    )
    assert outputs[0] == "[2 3]\nInt64\n"
    assert outputs[1] == "[ 1  3  6 10]\nInt64\n"
    # A dtype gap: the CPU kernel has no bfloat16.
    assert outputs[2] == "error: TypeError\n"
    assert outputs[3] == "[5. 4.]\nFloat32\n[1 2]\nInt64\n"
    assert outputs[4] == "error: ValueError\n"


def test_a_script_of_an_undefined_output_prints_its_shape_and_dtype_not_its_values() -> None:
    empty = Implementation(
        "torch", "torch.empty", (("size", "size"),), positional=("size",), canonical=("undefined",)
    )
    case = Case("empty", (("size", (2, 3)),))
    script = render_script(empty, case)
    assert "print(tuple(item.shape))" in script and "print(item)\n" not in script
    assert "print(y)" not in script


def test_a_mindspore_script_runs_with_the_worker_s_settings() -> None:
    # Without launch_blocking an op's error surfaces at a later op, or not at all (mint.div's
    # "Trunc should have 1 outputs"): the page's captured output would not be the script's.
    script = render_script(MS_CUMSUM, Case("cumsum", (("input", TensorArg("float32", (3,))), ("dim", 0))))
    for line in ("threads_num(1)", "set_deterministic(True)", "mindspore.runtime.launch_blocking()"):
        assert line in script
    assert script.index("launch_blocking") < script.index("y = mindspore.ops.cumsum")
    assert "launch_blocking" not in render_script(
        TORCH_CUMSUM, Case("cumsum", (("input", TensorArg("float32", (3,))),))
    )
