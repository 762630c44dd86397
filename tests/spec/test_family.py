"""Spec families: members expand into specs, and errors name the family file's line and key."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from apicompat.records import SpecError
from apicompat.spec import load_spec, load_specs
from apicompat.spec.loader import load_file

FAMILY = """\
apicompat: 1
family: unary_math
summary: Applies the function to every element.
params:
  - name: input
    kind: tensor
  - name: out
    kind: out
    of: input
    required: false
    keyword_only: true
reference: {args: {input: 0}, promotion: int_to_float}
source: {positional: [input]}
targets: {positional: [input], params: {out: null}}
members:
  - id: sin
    source: torch.sin
    targets: [mindspore.ops.sin, mindspore.Tensor.sin]
    reference: {numpy: numpy.sin}
  - id: abs
    summary: Absolute value of every element.
    source: torch.abs
    targets: [mindspore.ops.abs, {api: mindspore.mint.abs, params: {input: x}}]
    reference: {numpy: numpy.abs, promotion: complex_to_float}
    params: {input: {dtypes: [float32, complex64]}}
    tolerances: {float32: {rtol: 1.0e-5, atol: 1.0e-6}}
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "unary.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_members_become_specs(tmp_path: Path) -> None:
    sin, abs_ = load_file(_write(tmp_path, FAMILY), check_imports=False)
    assert (sin.id, abs_.id) == ("sin", "abs")
    assert sin.summary == "Applies the function to every element."
    assert abs_.summary == "Absolute value of every element."
    assert sin.source.api == "torch.sin" and sin.source.positional == ("input",)
    assert [t.api for t in sin.targets] == ["mindspore.ops.sin", "mindspore.Tensor.sin"]
    assert sin.targets[1].method and sin.source_method is not None
    assert sin.source_method.api == "torch.Tensor.sin" and abs_.source_method is None
    assert dict(abs_.targets[1].params)["input"] == "x" and dict(abs_.targets[1].params)["out"] is None
    assert abs_.param("input").dtypes == ("float32", "complex64")
    assert sin.param("input").dtypes != abs_.param("input").dtypes
    assert dict(abs_.tolerances) == {"float32": (1e-5, 1e-6)}
    assert sin.declarative and '"numpy":"numpy.sin"' in sin.reference
    assert '"promotion":["complex_to_float"]' in abs_.reference


def test_load_specs_expands_and_load_spec_refuses_a_family(tmp_path: Path) -> None:
    path = _write(tmp_path, FAMILY)
    assert [s.id for s in load_specs([path], check_imports=False)] == ["sin", "abs"]
    with pytest.raises(SpecError, match="family of 2 specs"):
        load_spec(path, check_imports=False)


@dataclass(frozen=True)
class Bad:
    id: str
    old: str
    new: str
    line: int
    key: str
    says: str


CASES = [
    Bad(
        "member-key-typo",
        "    summary: Absolute",
        "    sumary: Absolute",
        21,
        "members[1].sumary",
        "unknown key 'sumary'",
    ),
    Bad(
        "member-without-source",
        "    source: torch.sin\n",
        "",
        16,
        "members[0].source",
        "missing required key 'source'",
    ),
    Bad(
        "member-numpy-typo",
        "numpy: numpy.sin}",
        "numpy: numpy.sinn}",
        19,
        "reference.numpy (member sin)",
        "numpy has no attribute 'sinn'",
    ),
    Bad(
        "member-target-unknown-package",
        "[mindspore.ops.sin,",
        "[mindspor.ops.sin,",
        18,
        "targets[0].framework (member sin)",
        "missing required key 'framework'",
    ),
    Bad(
        "family-default-typo",
        "{args: {input: 0}, promotion: int_to_float}",
        "{args: {input: 0}, promotoin: int_to_float}",
        12,
        "reference.promotoin",
        "unknown key 'promotoin'",
    ),
    Bad(
        "override-unknown-param",
        "params: {input: {dtypes",
        "params: {inptu: {dtypes",
        25,
        "members[1].params.inptu",
        "'inptu' is not a parameter of the family",
    ),
    Bad(
        "override-bad-kind-key",
        "params: {input: {dtypes: [float32, complex64]}}",
        "params: {input: {of: out}}",
        25,
        "params[0].of (member abs)",
        "'of' does not apply to kind 'tensor'",
    ),
    Bad("duplicate-member", "  - id: abs", "  - id: sin", 20, "id", "duplicate spec id 'sin'"),
]


@pytest.mark.parametrize("bad", CASES, ids=[c.id for c in CASES])
def test_family_errors(tmp_path: Path, bad: Bad) -> None:
    assert FAMILY.count(bad.old) == 1
    path = _write(tmp_path, FAMILY.replace(bad.old, bad.new))
    with pytest.raises(SpecError) as info:
        load_specs([path], check_imports=False)
    error = info.value
    assert (error.line, error.key) == (bad.line, bad.key), str(error)
    assert bad.says in str(error) and str(error).startswith(f"{path}:{bad.line}: ")
