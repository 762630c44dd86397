"""Hand-built SpecResults and differences for the conformance tests (no frameworks run)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

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

TARGET = "mindspore.ops.cumsum"

CUMSUM_SPEC = """\
# a copy of specs/cumsum.yaml with another id
apicompat: 1
id: {id}
title: {id}
summary: Cumulative sum of the elements of a tensor along one dimension.

params:
  - name: input
    kind: tensor
    ranks: [0, 4]
  - name: dim
    kind: axis
    of: input
  - name: dtype
    kind: dtype
    required: false
    default: null
    keyword_only: true
    values: [int8, int32, int64, float16, float32, float64, bool, complex64]
  - name: out
    kind: out
    of: input
    required: false
    keyword_only: true

reference: apicompat.references:cumsum

source:
  framework: torch
  api: torch.{api}
  positional: [input, dim]

targets:
  - framework: mindspore
    api: mindspore.ops.{api}
    params: {{input: x, dim: axis, out: null}}
    positional: [input, dim]

known_differences:
  - kind: param_only_in_one
    param: out
    reason: MindSpore functions return new tensors; there is no out= in mindspore.ops.
"""


def spec_text(spec_id: str, api: str = "cumsum") -> str:
    """A valid spec file (cumsum's content) under another id, optionally for another API name."""
    return CUMSUM_SPEC.format(id=spec_id, api=api)


def reproducer(tag: str = "x") -> Reproducer:
    """A two-sided reproducer whose outputs name `tag`."""
    return Reproducer(
        source=f"import torch\nprint(torch.cumsum(torch.tensor([1], dtype=torch.int8), 0).dtype)  # {tag}",
        target="import mindspore\n"
        f"print(mindspore.ops.cumsum(mindspore.Tensor([1], mindspore.int8), 0).dtype)  # {tag}",
        source_output="torch.int64",
        target_output="Int8",
    )


def diff(
    kind: DiffKind | str,
    subject: str,
    *,
    device: str | None = "cpu",
    summary: str | None = None,
    accepted: str | None = None,
    cases: Sequence[str] = ("case-1", "case-2"),
    with_reproducer: bool = True,
    details: dict[str, Any] | None = None,
) -> Difference:
    """A measured difference; signature kinds default to no device, like static checks."""
    kind = DiffKind(kind)
    if kind in (DiffKind.PARAM_NAME, DiffKind.PARAM_ONLY_IN_ONE, DiffKind.PARAM_DEFAULT) and device == "cpu":
        device = None
    return Difference(
        kind=kind,
        summary=summary if summary is not None else f"{kind.value} differs on {subject}",
        subject=subject,
        dtypes=("int8",) if kind is DiffKind.OUTPUT_DTYPE else (),
        cases=tuple(cases),
        labels=("int8 input of shape (2,)",) if cases else (),
        device=device,
        reproducer=reproducer(subject) if with_reproducer and cases else None,
        accepted=accepted,
        details=details if details is not None else {"case_count": len(cases)},
    )


def result(
    spec_id: str = "cumsum",
    differences: Sequence[Difference] = (),
    *,
    targets: Sequence[str] = (TARGET,),
    devices: Sequence[str] = ("cpu",),
    unavailable: Sequence[str] = (),
    versions: dict[str, str] | None = None,
) -> SpecResult:
    """A SpecResult whose every target carries `differences`."""
    sig = SignatureInfo(
        "torch.cumsum",
        (ParamInfo("input", "POSITIONAL_OR_KEYWORD", None), ParamInfo("dim", "POSITIONAL_OR_KEYWORD", None)),
        "inspect",
        "torch.cumsum(input, dim, *, dtype=None, out=None)",
    )
    target_results = tuple(
        TargetResult(
            api=api,
            framework=api.split(".", 1)[0],
            signature=SignatureInfo(
                api, (ParamInfo("x", "POSITIONAL_OR_KEYWORD", None),), "inspect", f"{api}(x, axis)"
            ),
            differences=tuple(differences),
            param_rows=(("input", "input", "x", "-"), ("out", "out", None, "no out= in MindSpore")),
            examples=(Example("Example", "from the docs", "print(1)", "print(1)", "1", "1"),),
        )
        for api in targets
    )
    return SpecResult(
        spec_id=spec_id,
        title=spec_id,
        summary="Cumulative sum.",
        source="torch.cumsum",
        source_signature=sig,
        versions=versions
        if versions is not None
        else {"torch": "2.13.0", "mindspore": "2.10.0", "numpy": "2.4.6"},
        devices=tuple(devices),
        unavailable_devices=tuple(unavailable),
        seed=7,
        cases=42,
        targets=target_results,
        reference_deviations={"torch.cumsum": 0, TARGET: 3},
    )


#: The differences the fake cumsum run measures in the CLI and plugin tests.
CUMSUM_DIFFS: tuple[Difference, ...] = (
    diff("param_only_in_one", "out", accepted="MindSpore has no out="),
    diff(
        "output_dtype",
        "int8->int64",
        summary="mindspore.ops.cumsum keeps int8 where torch.cumsum returns int64",
    ),
    diff("value_mismatch", "float16"),
)
