"""Hand-built SpecResults shared by the report tests (imported by basename, like the other test modules)."""

from __future__ import annotations

import numpy as np

from apicompat.records import (
    Difference,
    DiffKind,
    Example,
    ParamInfo,
    Reproducer,
    SignatureInfo,
    SpecResult,
    TargetResult,
)

#: A framework error message with everything that could break a page: a pipe, markup,
#: ANSI colours, a NUL byte, a newline, backticks and a Markdown link.
EVIL_MESSAGE = (
    "RuntimeError: bad|arg <script>alert(1)</script> \x1b[31mred\x1b[0m nul\x00here\n"
    "second line ``` [x](javascript:alert(1))"
)

TORCH_SCRIPT = (
    "import torch\nx = torch.tensor([1, 2, 3], dtype=torch.int8)\ny = torch.cumsum(x, dim=0)\nprint(y.dtype)"
)
MS_SCRIPT = (
    "import mindspore\nfrom mindspore import Tensor, ops\n"
    "x = Tensor([1, 2, 3], mindspore.int8)\ny = ops.cumsum(x, 0)\nprint(y.dtype)"
)


def torch_signature() -> SignatureInfo:
    """torch.cumsum as inspect would read it."""
    return SignatureInfo(
        api="torch.cumsum",
        params=(
            ParamInfo("input", "POSITIONAL_OR_KEYWORD", None),
            ParamInfo("dim", "POSITIONAL_OR_KEYWORD", None),
            ParamInfo("dtype", "KEYWORD_ONLY", "None"),
            ParamInfo("out", "KEYWORD_ONLY", "None"),
        ),
        origin="inspect",
        text="torch.cumsum(input, dim, *, dtype=None, out=None) -> Tensor",
    )


def ms_signature() -> SignatureInfo:
    """mindspore.ops.cumsum, read from its docstring."""
    return SignatureInfo(
        api="mindspore.ops.cumsum",
        params=(
            ParamInfo("x", "POSITIONAL_OR_KEYWORD", None),
            ParamInfo("axis", "POSITIONAL_OR_KEYWORD", None),
            ParamInfo("dtype", "POSITIONAL_OR_KEYWORD", "None"),
        ),
        origin="docstring",
        text="mindspore.ops.cumsum(x, axis, dtype=None) -> Tensor",
    )


def ops_differences() -> tuple[Difference, ...]:
    """Differences of mindspore.ops.cumsum, one per row kind the page shows."""
    return (
        Difference(
            kind=DiffKind.PARAM_NAME,
            summary="Same function, different parameter names",
            subject="input",
            source_param="input",
            target_param="x",
        ),
        Difference(
            kind=DiffKind.PARAM_ONLY_IN_ONE,
            summary="out exists only in PyTorch",
            subject="out",
            source_param="out",
            accepted="MindSpore functions return new tensors; there is no out= in mindspore.ops.",
        ),
        Difference(
            kind=DiffKind.INPUT_DTYPE_SUPPORT,
            summary="MindSpore rejects uint16 inputs",
            subject="uint16",
            dtypes=("uint16",),
            cases=("cumsum-0000000003",),
            labels=("input=uint16[3] dim=0",),
        ),
        Difference(
            kind=DiffKind.OUTPUT_DTYPE,
            summary="PyTorch promotes small integers to int64; MindSpore keeps the input dtype",
            subject="int8,int16",
            dtypes=("int8", "int16"),
            cases=("cumsum-0000000001", "cumsum-0000000002"),
            labels=("input=int8[3] dim=0", "input=int16[3] dim=0"),
            reproducer=Reproducer(
                source=TORCH_SCRIPT,
                target=MS_SCRIPT,
                source_output="torch.int64\n",
                target_output="Int8\n",
            ),
            details={"source": "int64", "target": ["int8", "int16"]},
        ),
        Difference(
            kind=DiffKind.VALUE_MISMATCH,
            summary="float16 sums differ beyond tolerance",
            subject="float16",
            dtypes=("float16",),
            cases=("cumsum-0000000004",),
            device="gpu",
            details={
                "max_abs_error": np.float32(0.5),
                "rtol": np.float64(1e-3),
                "count": np.int64(7),
                "worst_index": (np.int64(2), np.int64(3)),
                "offsets": np.array([0.0, np.nan, np.inf]),
                "flag": np.bool_(True),
                "dtype": np.dtype("float16"),
                "seen": {"b", "a"},
            },
        ),
        Difference(
            kind=DiffKind.ERROR_BEHAVIOR,
            summary=EVIL_MESSAGE,
            subject="dim out of range",
            cases=("cumsum-0000000005",),
            labels=("input=float32[3] dim=5",),
            reproducer=Reproducer(source="print('torch raises')", target="print('ms' + '```')"),
            details={"source": "IndexError", "target": EVIL_MESSAGE},
        ),
    )


def cumsum_result(versions: dict[str, str] | None = None) -> SpecResult:
    """A realistic cumsum run: two targets, one with differences, examples and reproducers."""
    ops_target = TargetResult(
        api="mindspore.ops.cumsum",
        framework="mindspore",
        signature=ms_signature(),
        differences=ops_differences(),
        param_rows=(
            ("input", "input", "x", "Same function, different parameter names"),
            ("dim", "dim", "axis", "Same function, different parameter names"),
            ("dtype", "dtype", "dtype", "-"),
            ("out", "out", None, "Not involved"),
        ),
        examples=(
            Example(
                title="sum along the last axis",
                description="The two APIs agree on float32 input when the axis is -1.",
                source_code="import torch\nprint(torch.cumsum(torch.tensor([[1., 2.], [3., 4.]]), dim=-1))",
                target_code=(
                    "from mindspore import Tensor, ops\nprint(ops.cumsum(Tensor([[1., 2.], [3., 4.]]), -1))"
                ),
                source_output="tensor([[1., 3.],\n        [3., 7.]])\n",
                target_output="[[1. 3.]\n [3. 7.]]\n",
            ),
        ),
    )
    method_target = TargetResult(
        api="mindspore.Tensor.cumsum",
        framework="mindspore",
        signature=None,
        differences=(),
        param_rows=(("input", "input", "self", "-"), ("dim", "dim", "axis", "-")),
        examples=(
            Example(
                title="",
                description="Output that contains a fence: ```",
                source_code="print('```')",
                target_code="print('````')",
                source_output="```\n",
                target_output="````\n",
            ),
        ),
    )
    return SpecResult(
        spec_id="cumsum",
        title="cumsum",
        summary="Cumulative sum of the elements of a tensor along one dimension.",
        source="torch.cumsum",
        source_signature=torch_signature(),
        versions=versions if versions is not None else {"torch": "2.13.0", "mindspore": "2.10.0"},
        devices=("cpu", "gpu"),
        unavailable_devices=(),
        seed=0,
        cases=240,
        targets=(ops_target, method_target),
        reference_deviations={"mindspore.ops.cumsum": 3, "torch.cumsum": 0},
    )


def consistent_result() -> SpecResult:
    """A run where the one target matched on every case, with little else known."""
    return SpecResult(
        spec_id="abs",
        title="abs",
        summary="Absolute value, element-wise.",
        source="torch.abs",
        source_signature=None,
        versions={"mindspore": "2.10.0", "torch": "2.13.0"},
        devices=("cpu",),
        unavailable_devices=("gpu",),
        seed=7,
        cases=12,
        targets=(
            TargetResult(api="mindspore.ops.abs", framework="mindspore", signature=None, differences=()),
        ),
    )


def test_fixture_covers_every_behaviour_row() -> None:
    """The shared fixture must keep exercising the kinds the tests rely on."""
    kinds = {d.kind for d in ops_differences()}
    assert {DiffKind.OUTPUT_DTYPE, DiffKind.ERROR_BEHAVIOR, DiffKind.PARAM_ONLY_IN_ONE} <= kinds
    assert any(d.reproducer is not None and d.reproducer.target_output is None for d in ops_differences())
