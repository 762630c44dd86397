"""The format's extensions: each loads into the model, and each misuse names file, line and key."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from apicompat.records import SpecError
from apicompat.spec import ParamKind, load_spec, load_specs
from apicompat.spec.model import ShapeRule

# One spec that uses every extension at once (a made-up API: the loader checks meaning, not behaviour).
BASE = """\
apicompat: 1
id: breadth
params:
  - name: tensors
    kind: tensors
    count: [1, 3]
    along: cat_dim
  - name: cat_dim
    kind: axis
    of: tensors
    required: false
    default: 0
  - name: input
    kind: tensor
    primary: true
  - name: dim
    kind: axis
    of: input
  - name: index
    kind: index
    of: input
    along: dim
  - name: k
    kind: int
    of: input
    along: dim
  - name: other
    kind: tensor_or_scalar
    required: false
    default: null
    everyday: given
    values: [0, 2.5]
    shape: broadcast
  - name: unbiased
    kind: bool
    required: false
    default: true
    excludes: [correction]
  - name: correction
    kind: int
    required: false
    default: 1
    values: [0, 1]
  - name: axes
    kind: axes
    of: input
    required: false
    default: null
    everyday: omitted
outputs:
  - values
  - {name: indices, when: unbiased}
reference: apicompat.references:cumsum
source:
  framework: torch
  api: torch.op
source_method:
  framework: torch
  api: torch.Tensor.op
targets:
  - framework: mindspore
    api: mindspore.ops.op
    params: {unbiased: ddof, correction: ddof}
    value_map:
      unbiased: [[true, 1], [false, 0]]
  - framework: mindspore
    api: mindspore.Tensor.op
    method: true
"""


def _write(tmp_path: Path, text: str, name: str = "breadth.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _error(tmp_path: Path, text: str) -> SpecError:
    with pytest.raises(SpecError) as info:
        load_spec(_write(tmp_path, text), check_imports=False)
    return info.value


def test_every_extension_loads_into_the_model(tmp_path: Path) -> None:
    spec = load_spec(_write(tmp_path, BASE), check_imports=False)
    tensors, index, k, other = (spec.param(n) for n in ("tensors", "index", "k", "other"))
    assert tensors.kind is ParamKind.TENSORS and tensors.count == (1, 3) and tensors.along == "cat_dim"
    assert spec.param("input").primary
    assert index.kind is ParamKind.INDEX and (index.of, index.along) == ("input", "dim")
    assert index.dtypes == ("int32", "int64"), "an index tries the integer types torch accepts by default"
    assert (k.of, k.along) == ("input", "dim")
    assert other.kind is ParamKind.TENSOR_OR_SCALAR and other.shape is ShapeRule.BROADCAST
    assert other.values == (0, 2.5) and other.given_everyday
    assert spec.param("unbiased").excludes == ("correction",)
    assert not spec.param("axes").given_everyday and spec.param("dim").given_everyday
    assert spec.output_names({}) == ("values", "indices")  # unbiased defaults to true
    assert spec.output_names({"unbiased": False}) == ("values",)
    target = spec.targets[0]
    assert target.name_of["unbiased"] == target.name_of["correction"] == "ddof"
    assert target.native_value("unbiased", True) == 1 and target.native_value("unbiased", False) == 0
    assert target.native_value("correction", 1) == 1, "unmapped parameters pass through"
    assert spec.source_method is not None and spec.source_method.method
    assert spec.source_for(spec.targets[1]) is spec.source_method
    assert spec.source_for(spec.targets[0]) is spec.source
    assert spec.implementations == (spec.source, spec.source_method, *spec.targets)


def test_value_map_keeps_true_and_one_apart(tmp_path: Path) -> None:
    spec = load_spec(_write(tmp_path, BASE), check_imports=False)
    with pytest.raises(ValueError, match="no value_map entry"):
        spec.targets[0].native_value("unbiased", 1)


OPTION_MAP = """\
apicompat: 1
id: option_map
params:
  - name: input
    kind: tensor
  - name: reduce
    kind: option
    values: [sum, prod]
reference: apicompat.references:cumsum
source: {framework: torch, api: torch.op}
targets:
  - framework: mindspore
    api: mindspore.ops.op
    params: {reduce: reduction}
    value_map:
      reduce: [[sum, add], [prod, mul]]
"""


def test_an_option_value_map_passes_the_target_its_own_word(tmp_path: Path) -> None:
    spec = load_spec(_write(tmp_path, OPTION_MAP), check_imports=False)
    target = spec.targets[0]
    assert target.native_value("reduce", "sum") == "add" and target.native_value("reduce", "prod") == "mul"


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        (
            "[[sum, add], [prod, mul]]",
            "[[1, add], [prod, mul]]",
            "'reduce' has kind 'option': expected a string but got 1",
        ),
        ("[[sum, add], [prod, mul]]", "[[sum, add]]", "the value map of 'reduce' leaves 'prod' unmapped"),
    ],
)
def test_an_option_value_map_is_checked_like_the_others(
    tmp_path: Path, old: str, new: str, says: str
) -> None:
    error = _error(tmp_path, OPTION_MAP.replace(old, new))
    assert error.key is not None and error.key.startswith("targets[0].value_map.reduce"), str(error)
    assert says in str(error), str(error)


def test_an_index_with_fill_unique_loads(tmp_path: Path) -> None:
    text = BASE.replace("    along: dim\n  - name: k", "    along: dim\n    fill: unique\n  - name: k", 1)
    assert load_spec(_write(tmp_path, text), check_imports=False).param("index").fill == "unique"


@dataclass(frozen=True)
class Bad:
    """A one-place edit of BASE, and what the error must say."""

    id: str
    old: str
    new: str
    key: str
    says: str


CASES = [
    Bad("outputs-twice", "  - {name: indices, when: unbiased}", "  - values", "outputs[1]", "listed twice"),
    Bad(
        "outputs-when-not-bool",
        "when: unbiased}",
        "when: dim}",
        "outputs[1].when",
        "'when' must name a bool parameter, but 'dim' has kind 'axis', not 'bool'; bool parameters: unbiased",
    ),
    Bad(
        "outputs-when-unknown",
        "when: unbiased}",
        "when: unbiasd}",
        "outputs[1].when",
        "(did you mean 'unbiased'?)",
    ),
    Bad("outputs-bad-form", "  - values\n", "  - 3\n", "outputs[0]", "expected an output's name"),
    Bad("count-order", "count: [1, 3]", "count: [3, 1]", "params[0].count", "expected [smallest, largest]"),
    Bad(
        "count-kind",
        "    primary: true\n",
        "    primary: true\n    count: [1, 2]\n",
        "params[2].count",
        "'count' does not apply to kind 'tensor'",
    ),
    Bad(
        "two-primaries",
        "    count: [1, 3]\n",
        "    count: [1, 3]\n    primary: true\n",
        "params[2].primary",
        "only one tensor can be primary, and 'tensors' already is",
    ),
    Bad(
        "shape-on-primary",
        "    primary: true\n",
        "    primary: true\n    shape: broadcast\n",
        "params[2].shape",
        "'shape' relates a tensor to the primary tensor, and 'input' is the primary",
    ),
    Bad(
        "shape-enum",
        "shape: broadcast",
        "shape: broadcats",
        "params[6].shape",
        "expected one of same, broadcast, matmul",
    ),
    Bad(
        "index-without-along",
        "    of: input\n    along: dim\n  - name: k",
        "    of: input\n  - name: k",
        "params[4]",
        "kind 'index' needs 'along'",
    ),
    Bad(
        "index-without-of",
        "  - name: index\n    kind: index\n    of: input\n",
        "  - name: index\n    kind: index\n",
        "params[4]",
        "kind 'index' needs 'of'",
    ),
    Bad(
        "index-along-not-axis",
        "    of: input\n    along: dim\n  - name: k",
        "    of: input\n    along: k\n  - name: k",
        "params[4].along",
        "'along' must name an axis parameter, but 'k' has kind 'int'",
    ),
    Bad(
        "index-float-dtypes",
        "    along: dim\n  - name: k",
        "    along: dim\n    dtypes: [float32]\n  - name: k",
        "params[4].dtypes",
        "an index holds integers, but dtypes lists float32",
    ),
    Bad(
        "bound-int-with-values",
        "    of: input\n    along: dim\n  - name: other",
        "    of: input\n    along: dim\n    values: [1]\n  - name: other",
        "params[5].values",
        "the values of a size-bounded int follow from the size",
    ),
    Bad(
        "bound-int-without-along",
        "  - name: k\n    kind: int\n    of: input\n    along: dim\n",
        "  - name: k\n    kind: int\n    of: input\n",
        "params[5]",
        "'of' and 'along' go together on kind 'int'",
    ),
    Bad(
        "tensors-along-other-tensor",
        "along: cat_dim",
        "along: dim",
        "params[0].along",
        "'along' names 'dim', an axis of 'input'; it must be an axis of 'tensors'",
    ),
    Bad(
        "operand-values-not-numbers",
        "values: [0, 2.5]",
        "values: [0, yes]",
        "params[6].values[1]",
        "values of kind 'tensor_or_scalar' must be a number, but got true",
    ),
    Bad(
        "everyday-required",
        "  - name: index\n    kind: index\n",
        "  - name: index\n    kind: index\n    everyday: given\n",
        "params[4].everyday",
        "a required parameter is in every call; 'everyday' applies to optional ones",
    ),
    Bad(
        "excludes-unknown",
        "excludes: [correction]",
        "excludes: [corection]",
        "params[7].excludes[0]",
        "(did you mean 'correction'?)",
    ),
    Bad(
        "excludes-self",
        "excludes: [correction]",
        "excludes: [unbiased]",
        "params[7].excludes[0]",
        "'unbiased' cannot exclude itself",
    ),
    Bad(
        "excludes-required",
        "excludes: [correction]",
        "excludes: [dim]",
        "params[7].excludes[0]",
        "'dim' is required, so every call gives it",
    ),
    Bad(
        "shared-name-without-excludes",
        "    excludes: [correction]\n",
        "",
        "targets[0].params.correction",
        "'ddof' would name both 'unbiased' and 'correction'",
    ),
    Bad(
        "value-map-unknown",
        "      unbiased: [[true, 1]",
        "      unbiassed: [[true, 1]",
        "targets[0].value_map.unbiassed",
        "(did you mean 'unbiased'?)",
    ),
    Bad(
        "value-map-wrong-kind",
        "      unbiased: [[true, 1], [false, 0]]",
        "      dim: [[0, 1]]",
        "targets[0].value_map.dim",
        "value_map translates bool, int, scalar and option values; 'dim' has kind 'axis'",
    ),
    Bad(
        "value-map-from-type",
        "[[true, 1], [false, 0]]",
        "[[1, 1], [false, 0]]",
        "targets[0].value_map.unbiased[0][0]",
        "'unbiased' has kind 'bool': expected true or false but got 1",
    ),
    Bad(
        "value-map-twice",
        "[[true, 1], [false, 0]]",
        "[[true, 1], [true, 0]]",
        "targets[0].value_map.unbiased[1][0]",
        "true is mapped twice",
    ),
    Bad(
        "value-map-incomplete",
        "[[true, 1], [false, 0]]",
        "[[true, 1]]",
        "targets[0].value_map.unbiased",
        "the value map of 'unbiased' leaves false unmapped; cases pass false, true",
    ),
    Bad(
        "value-map-not-pairs",
        "[[true, 1], [false, 0]]",
        "[[true, 1, 2], [false, 0]]",
        "targets[0].value_map.unbiased[0]",
        "expected at most 2 item(s) but got 3",
    ),
    Bad(
        "value-map-to-list",
        "[[true, 1], [false, 0]]",
        "[[true, [1]], [false, 0]]",
        "targets[0].value_map.unbiased[0][1]",
        "a mapped value must be a number, string, true/false or null",
    ),
    Bad(
        "value-map-null-param",
        "    params: {unbiased: ddof, correction: ddof}",
        "    params: {unbiased: null, correction: ddof}",
        "targets[0].value_map.unbiased",
        "'unbiased' has no counterpart here (params maps it to null)",
    ),
    Bad(
        "varargs-tensors-not-positional",
        "    count: [1, 3]\n",
        "    count: [1, 3]\n    varargs: true\n",
        "source.positional",
        "'tensors' has varargs: true (the source takes its tensors as separate arguments), so the source",
    ),
    Bad(
        "varargs-on-a-tensor",
        "    kind: tensor\n    primary: true\n",
        "    kind: tensor\n    primary: true\n    varargs: true\n",
        "params[2].varargs",
        "'varargs' does not apply to kind 'tensor'",
    ),
    Bad(
        "index-fill-not-unique",
        "    along: dim\n  - name: k",
        "    along: dim\n    fill: random\n  - name: k",
        "params[4].fill",
        "the only fill it takes is 'unique' (no value twice along the axis), not 'random'",
    ),
    Bad(
        "source-method-false",
        "  api: torch.Tensor.op\n",
        "  api: torch.Tensor.op\n  method: false\n",
        "source_method.method",
        "'method: false' contradicts it",
    ),
]


@pytest.mark.parametrize("bad", CASES, ids=[c.id for c in CASES])
def test_misuse_is_named_by_file_line_and_key(tmp_path: Path, bad: Bad) -> None:
    assert BASE.count(bad.old) >= 1, bad.id
    error = _error(tmp_path, BASE.replace(bad.old, bad.new, 1))
    text = str(error)
    assert error.key == bad.key, text
    assert error.line is not None and error.file.endswith("breadth.yaml")
    assert bad.says in text, text


def test_the_shipped_specs_load_and_use_the_extensions() -> None:
    specs = {s.id: s for s in load_specs(["specs"], check_imports=False)}
    assert len(specs) >= 150  # the 16 originals and the families and declarative specs grown from them
    assert specs["max"].outputs and specs["unique"].outputs[1].when == "return_inverse"
    assert specs["cat"].param("tensors").kind is ParamKind.TENSORS
    assert specs["clamp"].param("min").kind is ParamKind.TENSOR_OR_SCALAR
    assert specs["gather"].param("index").kind is ParamKind.INDEX
    assert specs["topk"].param("k").along == "dim"
    assert specs["where"].param("input").primary
    assert specs["matmul"].param("other").shape is ShapeRule.MATMUL
    assert specs["std"].targets[0].value_map and specs["std"].param("unbiased").excludes
    assert specs["cumsum"].source_method is not None
    assert len(specs["transpose"].targets) == 2  # mindspore.ops.transpose(input, dims) is refused live
