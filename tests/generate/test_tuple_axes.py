"""Tuple-only axes: every generated case passes a tuple of dimensions, never a bare int."""

from __future__ import annotations

from pathlib import Path

from apicompat.generate import generate_cases
from apicompat.spec import load_spec

SPEC = """\
apicompat: 1
id: flip
params:
  - name: input
    kind: tensor
  - name: dims
    kind: axes
    of: input
    {extra}
reference: {{numpy: numpy.flip, args: {{input: m, dims: axis}}}}
source: {{framework: torch, api: torch.flip, positional: [input, dims]}}
targets:
  - {{framework: mindspore, api: mindspore.ops.flip, positional: [input, dims]}}
"""


def _dims(tmp_path: Path, extra: str) -> list[object]:
    path = tmp_path / "flip.yaml"
    path.write_text(SPEC.format(extra=extra), encoding="utf-8")
    spec = load_spec(path, check_imports=False)
    return [c.arg_dict["dims"] for c in generate_cases(spec, 7) if "dims" in c.arg_dict]


def test_tuple_only_axes_are_tuples(tmp_path: Path) -> None:
    dims = _dims(tmp_path, "tuple_only: true")
    assert dims and all(isinstance(d, tuple) for d in dims)
    assert (0,) in dims and () in dims  # single axes become 1-tuples; the empty tuple stays


def test_plain_axes_mix_ints_and_tuples(tmp_path: Path) -> None:
    dims = _dims(tmp_path, "required: true")
    assert any(isinstance(d, int) for d in dims) and any(isinstance(d, tuple) for d in dims)
