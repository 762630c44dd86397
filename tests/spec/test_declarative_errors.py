"""Misused declarative references and tuple-only axes: each error names file, line, key and a fix."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from apicompat.records import SpecError
from apicompat.references.declarative import from_api, is_declarative
from apicompat.spec import load_spec

BASE = """\
apicompat: 1
id: flip
params:
  - name: input
    kind: tensor
  - name: dims
    kind: axes
    of: input
    tuple_only: true
  - name: out
    kind: out
    of: input
    required: false
reference:
  numpy: numpy.flip
  args: {input: m, dims: axis}
  promotion: default
  rejects: {dtypes: [bool], error: RuntimeError}
source:
  framework: torch
  api: torch.flip
  positional: [input, dims]
targets:
  - framework: mindspore
    api: mindspore.ops.flip
    positional: [input, dims]
"""


@dataclass(frozen=True)
class Bad:
    """A one-place edit of BASE, and what the error must say."""

    id: str
    old: str
    new: str
    line: int
    key: str
    says: str
    suggests: str | None = None


CASES = [
    Bad(
        "numpy-missing-function",
        "numpy: numpy.flip",
        "numpy: numpy.flipp",
        15,
        "reference.numpy",
        "numpy has no attribute 'flipp'",
    ),
    Bad(
        "numpy-not-numpy",
        "numpy: numpy.flip",
        "numpy: torch.flip",
        15,
        "reference.numpy",
        "under numpy, scipy.special or scipy.linalg",
    ),
    Bad(
        "numpy-not-callable", "numpy: numpy.flip", "numpy: numpy.pi", 15, "reference.numpy", "is not callable"
    ),
    Bad(
        "args-unknown-param",
        "{input: m, dims: axis}",
        "{inptu: m, dims: axis}",
        16,
        "reference.args.inptu",
        "'inptu' is not a parameter of this spec",
        "input",
    ),
    Bad(
        "args-position-gap",
        "{input: m, dims: axis}",
        "{input: 1, dims: axis}",
        16,
        "reference.args",
        "positions must run 0, 1, ... without gaps",
    ),
    Bad(
        "args-position-twice",
        "{input: m, dims: axis}",
        "{input: 0, dims: 0}",
        16,
        "reference.args.dims",
        "position 0 is already taken by 'input'",
    ),
    Bad(
        "args-keyword-twice",
        "{input: m, dims: axis}",
        "{input: m, dims: m}",
        16,
        "reference.args.dims",
        "NumPy keyword 'm' is already given by 'input'",
    ),
    Bad(
        "args-not-a-name",
        "{input: m, dims: axis}",
        "{input: m, dims: 'a-b'}",
        16,
        "reference.args.dims",
        "is not a Python keyword name",
    ),
    Bad(
        "args-out-passed",
        "{input: m, dims: axis}",
        "{input: m, dims: axis, out: out}",
        16,
        "reference.args.out",
        "is an out= tensor",
    ),
    Bad(
        "promotion-typo",
        "promotion: default",
        "promotion: defualt",
        17,
        "reference.promotion",
        "expected one of default, no_opmath, int_to_float, always_bool",
        "default",
    ),
    Bad(
        "promotion-per-output",
        "promotion: default",
        "promotion: [default, int64]",
        17,
        "reference.promotion",
        "gives 2 rule(s) but the API has 1 output(s)",
    ),
    Bad(
        "rejects-dtype-typo",
        "dtypes: [bool]",
        "dtypes: [bol]",
        18,
        "reference.rejects[0].dtypes[0]",
        "expected a dtype or group",
        "bool",
    ),
    Bad(
        "rejects-error-unknown",
        "error: RuntimeError",
        "error: KeyError",
        18,
        "reference.rejects.error",
        "expected one of RuntimeError, TypeError",
    ),
    Bad(
        "rejects-param-not-operand",
        "error: RuntimeError}",
        "error: RuntimeError, params: [dims]}",
        18,
        "reference.rejects[0].params[0]",
        "'dims' is not a tensor the reference checks",
    ),
    Bad(
        "operands-not-tensor",
        "  promotion: default\n",
        "  promotion: default\n  operands: [dims]\n",
        18,
        "reference.operands[0]",
        "an operand must be a tensor, tensors, tensor_or_scalar or scalar parameter",
    ),
    Bad(
        "unknown-key",
        "  promotion: default\n",
        "  promotoin: default\n",
        17,
        "reference.promotoin",
        "unknown key 'promotoin'",
        "promotion",
    ),
    Bad(
        "empty-dims-value",
        "  promotion: default\n",
        "  promotion: default\n  empty_dims: some\n",
        18,
        "reference.empty_dims",
        "expected one of none, all",
    ),
    Bad(
        "constants-a-list",
        "  promotion: default\n",
        "  promotion: default\n  constants: {kind: [1, 2]}\n",
        18,
        "reference.constants.kind",
        "expected a string or a number or true or false or null but got a list",
    ),
    Bad(
        "constants-not-a-keyword",
        "  promotion: default\n",
        "  promotion: default\n  constants: {a-b: 1}\n",
        18,
        "reference.constants.a-b",
        "'a-b' is not a Python keyword name",
    ),
    Bad(
        "ranks-not-an-operand",
        "  promotion: default\n",
        "  promotion: default\n  ranks: {inptu: 2}\n",
        18,
        "reference.ranks.inptu",
        "'inptu' is not an operand of the reference",
        "input",
    ),
    Bad(
        "ranks-out-of-range",
        "  promotion: default\n",
        "  promotion: default\n  ranks: {input: [1, 9]}\n",
        18,
        "reference.ranks.input[1]",
        "expected a value <= 8 but got 9",
    ),
    Bad(
        "scale-not-an-operand",
        "  promotion: default\n",
        "  promotion: default\n  scale: {dims: input}\n",
        18,
        "reference.scale.dims",
        "'dims' is not an operand of the reference",
    ),
    Bad(
        "scale-by-a-non-number",
        "  promotion: default\n",
        "  promotion: default\n  scale: {input: dims}\n",
        18,
        "reference.scale.input",
        "the scale of 'input' must be a scalar or int parameter, but 'dims' has kind 'axes'",
    ),
    Bad(
        "divisor-not-an-operand",
        "  promotion: default\n",
        "  promotion: default\n  divisor: other\n",
        18,
        "reference.divisor",
        "'other' is not an operand of the reference",
    ),
    Bad(
        "same-dtype-not-a-bool",
        "  promotion: default\n",
        "  promotion: default\n  same_dtype: yes please\n",
        18,
        "reference.same_dtype",
        "expected true or false but got 'yes please'",
    ),
    Bad(
        "rejects-result-with-params",
        "error: RuntimeError}",
        "error: RuntimeError, result: true, params: [input]}",
        18,
        "reference.rejects[0].result",
        "'result' checks the result dtype, so 'promoted' and 'params' do not apply with it",
    ),
    Bad(
        "tuple-only-on-axis",
        "    kind: axes\n    of: input\n    tuple_only",
        "    kind: axis\n    of: input\n    tuple_only",
        9,
        "params[1].tuple_only",
        "'tuple_only' does not apply to kind 'axis'",
    ),
]


def _error(tmp_path: Path, text: str) -> SpecError:
    path = tmp_path / "flip.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_spec(path, check_imports=False)
    return info.value


def test_base_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "flip.yaml"
    path.write_text(BASE, encoding="utf-8")
    spec = load_spec(path, check_imports=False)
    assert spec.declarative and is_declarative(spec.reference)
    declaration = from_api(spec.reference)
    assert declaration.numpy == "numpy.flip" and declaration.drop == ("out",)
    assert declaration.rejects[0].dtypes == ("bool",) and declaration.axes[0].of == "input"
    assert spec.param("dims").tuple_only


@pytest.mark.parametrize("bad", CASES, ids=[c.id for c in CASES])
def test_misused_declaration(tmp_path: Path, bad: Bad) -> None:
    assert BASE.count(bad.old) == 1, "the edit must apply to exactly one place"
    error = _error(tmp_path, BASE.replace(bad.old, bad.new))
    text = str(error)
    assert (error.line, error.key) == (bad.line, bad.key), text
    assert bad.says in text, text
    if bad.suggests is not None:
        assert f"did you mean '{bad.suggests}'?" in text
    assert "is not one of" not in text and "Failed validating" not in text


def test_reference_beside_the_specs(tmp_path: Path) -> None:
    """`my_refs:flipped` resolves to specs/references/my_refs.py without PYTHONPATH."""
    folder = tmp_path / "references"
    folder.mkdir()
    (folder / "my_refs.py").write_text(
        "import numpy as np\nfrom apicompat.references import Result\n\n"
        "def flipped(input, dims, *, dtypes):\n    '''torch.flip.'''\n"
        "    return Result(np.flip(input, dims), dtypes['input'])\n",
        encoding="utf-8",
    )
    spec_text = BASE.replace(
        "reference:\n  numpy: numpy.flip\n  args: {input: m, dims: axis}\n  promotion: default\n"
        "  rejects: {dtypes: [bool], error: RuntimeError}\n",
        "reference: my_refs:flipped\n",
    )
    path = tmp_path / "flip.yaml"
    path.write_text(spec_text, encoding="utf-8")
    spec = load_spec(path, check_imports=False)
    assert spec.reference == f"file:{(folder / 'my_refs.py').resolve()}:flipped"
    assert not spec.declarative


def test_reference_beside_the_specs_missing_function(tmp_path: Path) -> None:
    folder = tmp_path / "references"
    folder.mkdir()
    (folder / "my_refs.py").write_text("def flipped(**kw):\n    pass\n", encoding="utf-8")
    text = BASE.replace(
        "reference:\n  numpy: numpy.flip\n  args: {input: m, dims: axis}\n  promotion: default\n"
        "  rejects: {dtypes: [bool], error: RuntimeError}\n",
        "reference: my_refs:fliped\n",
    )
    error = _error(tmp_path, text)
    assert error.key == "reference" and "has no attribute 'fliped'" in str(error)
    assert "did you mean 'flipped'?" in str(error)


def test_parameters_that_exclude_each_other_may_share_a_numpy_keyword(tmp_path: Path) -> None:
    """torch.std's unbiased and correction are never given together, so both may become ddof."""
    text = """\
apicompat: 1
id: std
params:
  - {name: input, kind: tensor}
  - {name: unbiased, kind: bool, required: false, default: true, excludes: [correction]}
  - {name: correction, kind: int, required: false, default: 1, keyword_only: true, values: [0, 2]}
reference:
  numpy: numpy.std
  args: {input: 0, unbiased: ddof, correction: ddof}
  constants: {ddof: 1}
source: {framework: torch, api: torch.std, positional: [input]}
targets:
  - {framework: mindspore, api: mindspore.mint.std, positional: [input], params: {unbiased: null}}
"""
    path = tmp_path / "std.yaml"
    path.write_text(text, encoding="utf-8")
    declaration = from_api(load_spec(path, check_imports=False).reference)
    assert dict(declaration.args) == {"input": 0, "unbiased": "ddof", "correction": "ddof"}
    assert declaration.constants == (("ddof", 1),)
    path.write_text(text.replace(", excludes: [correction]", ""), encoding="utf-8")
    with pytest.raises(SpecError, match="NumPy keyword 'ddof' is already given by 'unbiased'"):
        load_spec(path, check_imports=False)
