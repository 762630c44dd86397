"""Misused formula references: each is refused when the spec loads, naming file, line, key and a fix."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from apicompat.records import SpecError
from apicompat.references.declarative import from_api
from apicompat.spec import load_spec

BASE = """\
apicompat: 1
id: act
params:
  - {name: input, kind: tensor, dtypes: [float]}
  - {name: target, kind: tensor, dtypes: [float]}
  - {name: negative_slope, kind: scalar, required: false, default: 0.01, values: [0.2]}
  - {name: approximate, kind: option, required: false, default: none, values: [none, tanh]}
  - {name: reduction, kind: option, required: false, default: mean, values: [none, mean, sum]}
reference:
  formula:
    approximate:
      none: "where(input > 0, input, input * negative_slope) - target"
      tanh: "tanh(input) - target"
  raises: {when: "negative_slope > 1", error: ValueError, message: "slope too steep"}
  reduce: reduction
  promotion: default
  rejects: {dtypes: [bool, int, complex], error: NotImplementedError}
source: {framework: torch, api: torch.nn.functional.leaky_relu, positional: [input]}
targets:
  - {framework: mindspore, api: mindspore.ops.leaky_relu, positional: [input]}
"""
NONE_LINE, WHEN_LINE = 12, 14
NONE_KEY, WHEN_KEY = "reference.formula.approximate.none", "reference.raises.when"
NONE = "where(input > 0, input, input * negative_slope) - target"


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


def _formula(id: str, new: str, says: str, suggests: str | None = None) -> Bad:
    """The `none` formula replaced by `new`."""
    return Bad(id, NONE, new, NONE_LINE, NONE_KEY, says, suggests)


CASES = [
    _formula("attribute", "input.T", "attribute access is not allowed in a formula (column 1 of 'input.T')"),
    _formula("dunder-attribute", "input.__class__", "attribute access is not allowed"),
    _formula("subscript", "input[0]", "a subscript is not allowed"),
    _formula("lambda", "(lambda x: x)(input)", "only listed functions may be called by name, not a lambda"),
    _formula("comprehension", "[x for x in input]", "a comprehension is not allowed"),
    _formula(
        "unknown-name",
        "where(input > 0, input, input * negative_slpe)",
        "unknown name 'negative_slpe'",
        "negative_slope",
    ),
    _formula("builtin-name", "__import__('os')", "'__import__' is not a function a formula may call"),
    _formula("unlisted-function", "exq(input)", "'exq' is not a function a formula may call", "exp"),
    _formula("numpy-attribute-call", "np.exp(input)", "not attribute access"),
    _formula("wrong-arity", "where(input > 0, input)", "where(...) takes 3 argument(s), but 2 are given"),
    _formula("keywords", "clip(input, 0, a_max=6)", "clip(...) takes positional arguments only"),
    _formula("string-literal", "where(input > 0, input, 'x')", "only numeric literals are allowed"),
    _formula("matmul", "input @ target", "the operator @ is not allowed"),
    _formula("syntax", "where(input > 0, input", "not a Python expression"),
    _formula("statement", "x = input", "not a Python expression"),
    _formula("function-as-value", "exp", "'exp' is a function; call it"),
    _formula("if-on-tensor", "input if input > 0 else target", "works on number and bool parameters only"),
    _formula("and-on-tensor", "(input > 0) and (target > 0)", "works on number and bool parameters only"),
    _formula("reads-an-option", "where(input > 0, input, approximate)", "unknown name 'approximate'"),
    Bad(
        "when-reads-a-tensor",
        '"negative_slope > 1"',
        '"input > 1"',
        WHEN_LINE,
        WHEN_KEY,
        "'input' is a tensor",
    ),
    Bad("when-unknown", '"negative_slope > 1"', '"slope > 1"', WHEN_LINE, WHEN_KEY, "unknown name 'slope'"),
    Bad(
        "keyed-by-a-non-option",
        "    approximate:\n",
        "    negative_slope:\n",
        11,
        "reference.formula.negative_slope",
        "keyed by an option parameter, but 'negative_slope' has kind 'scalar'",
    ),
    Bad(
        "keyed-missing-a-value",
        '      tanh: "tanh(input) - target"\n',
        "",
        12,
        "reference.formula.approximate",
        "no formula for approximate='tanh', a value cases pass",
    ),
    Bad(
        "numpy-and-formula",
        "  promotion: default\n",
        "  promotion: default\n  numpy: numpy.exp\n",
        10,
        "reference",
        "either 'numpy' (a NumPy callable) or 'formula' (an expression), not both",
    ),
    Bad(
        "args-with-formula",
        "  reduce: reduction\n",
        "  reduce: reduction\n  args: {input: 0}\n",
        16,
        "reference.args",
        "'args' maps onto a NumPy callable's arguments",
    ),
    Bad(
        "reduce-not-an-option",
        "reduce: reduction",
        "reduce: reductoin",
        15,
        "reference.reduce",
        "'reduce' names the option parameter",
        "reduction",
    ),
    Bad(
        "reduce-other-values",
        "values: [none, mean, sum]",
        "values: [none, mean, batchmean]",
        15,
        "reference.reduce",
        "also takes 'batchmean'",
    ),
    Bad(
        "optional-without-default",
        "required: false, default: 0.01,",
        "required: false,",
        6,
        "params[2]",
        "reads 'negative_slope', which is optional without a default",
    ),
]


def _error(tmp_path: Path, text: str) -> SpecError:
    path = tmp_path / "act.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_spec(path, check_imports=False)
    return info.value


def test_base_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "act.yaml"
    path.write_text(BASE, encoding="utf-8")
    declaration = from_api(load_spec(path, check_imports=False).reference)
    assert (
        declaration.formula_by == "approximate"
        and dict(declaration.formula)["tanh"] == "tanh(input) - target"
    )
    assert declaration.reduce == "reduction" and declaration.numpy == ""
    assert dict(declaration.defaults) == {"approximate": "none", "negative_slope": 0.01, "reduction": "mean"}


@pytest.mark.parametrize("bad", CASES, ids=[c.id for c in CASES])
def test_misused_formula(tmp_path: Path, bad: Bad) -> None:
    assert BASE.count(bad.old) == 1, "the edit must apply to exactly one place"
    error = _error(tmp_path, BASE.replace(bad.old, bad.new))
    text = str(error)
    assert (error.line, error.key) == (bad.line, bad.key), text
    assert bad.says in text, text
    if bad.suggests is not None:
        assert f"did you mean '{bad.suggests}'?" in text
    assert "is not one of" not in text and "Failed validating" not in text


def test_unknown_and_raises_need_a_formula(tmp_path: Path) -> None:
    text = BASE.replace(
        '  formula:\n    approximate:\n      none: "' + NONE + '"\n      tanh: "tanh(input) - target"\n',
        "  numpy: numpy.exp\n",
    )
    error = _error(tmp_path, text)
    assert error.key == "reference.raises" and "applies to a formula" in str(error)


def test_unknown_needs_a_keyed_formula(tmp_path: Path) -> None:
    text = BASE.replace(
        '    approximate:\n      none: "' + NONE + '"\n      tanh: "tanh(input) - target"\n',
        '    "tanh(input)"\n',
    ).replace("  reduce: reduction\n", "  unknown: {error: RuntimeError}\n")
    text = text.replace('  formula:\n    "tanh(input)"\n', '  formula: "tanh(input)"\n')
    error = _error(tmp_path, text)
    assert error.key == "reference.unknown" and "the formula is not keyed" in str(error)
