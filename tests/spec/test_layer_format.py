"""The format's layer kinds (option, ints) and listed shapes: they load, and each misuse is named."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from apicompat.records import SpecError
from apicompat.spec import ParamKind, load_spec

BASE = """\
apicompat: 1
id: layer
params:
  - name: input
    kind: tensor
    dtypes: [float32]
    shapes: [[2, 4, 6, 6], [4, 5, 7]]
  - name: weight
    kind: tensor
    dtypes: [float32]
    shapes: [[6, 4, 3, 3], [3, 4, 2, 3]]
  - name: bias
    kind: tensor
    required: false
    default: null
    shapes: [[6], [3]]
  - name: stride
    kind: ints
    required: false
    default: 1
    values: [2, [2, 1]]
  - name: reduction
    kind: option
    required: false
    default: mean
    values: [mean, sum, none]
reference: apicompat.references.convolution:conv2d
source:
  framework: torch
  api: torch.nn.functional.conv2d
targets:
  - framework: mindspore
    api: mindspore.mint.nn.functional.conv2d
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "layer.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_layer_kinds_and_shapes_load(tmp_path: Path) -> None:
    spec = load_spec(_write(tmp_path, BASE), check_imports=False)
    stride, reduction = spec.param("stride"), spec.param("reduction")
    assert stride.kind is ParamKind.INTS and stride.values == (2, (2, 1)) and stride.default == 1
    assert reduction.kind is ParamKind.OPTION and reduction.values == ("mean", "sum", "none")
    assert reduction.default == "mean"
    assert spec.param("input").shapes == ((2, 4, 6, 6), (4, 5, 7))
    assert spec.param("bias").shapes == ((6,), (3,)) and not spec.param("bias").required


def test_an_ints_default_may_be_a_list(tmp_path: Path) -> None:
    spec = load_spec(
        _write(tmp_path, BASE.replace("    default: 1\n", "    default: [1, 1]\n")), check_imports=False
    )
    assert spec.param("stride").default == (1, 1)


@dataclass(frozen=True)
class Bad:
    id: str
    old: str
    new: str
    key: str
    says: str


BAD = [
    Bad("option-without-values", "    values: [mean, sum, none]\n", "", "params[4]",
        "kind 'option' needs 'values': the strings it accepts"),
    Bad("ints-without-values", "    values: [2, [2, 1]]\n", "", "params[3]",
        "kind 'ints' needs 'values': the ints or lists of ints to try"),
    Bad("option-value-not-text", "values: [mean, sum, none]", "values: [mean, 3]", "params[4].values[1]",
        "values of kind 'option' must be a string, but got 3"),
    Bad("ints-value-not-ints", "values: [2, [2, 1]]", "values: [2, [2, x]]", "params[3].values[1]",
        "values of kind 'ints' must be an integer or a list of integers"),
    Bad("option-default-not-text", "    default: mean\n", "    default: 2\n", "params[4].default",
        "the default of kind 'option' must be null or a string, but got 2"),
    Bad("ints-default-not-ints", "    default: 1\n", "    default: 1.5\n", "params[3].default",
        "the default of kind 'ints' must be null or an integer or a list of integers"),
    Bad("shapes-on-an-int", "    values: [2, [2, 1]]\n", "    values: [2]\n    shapes: [[1]]\n",
        "params[3].shapes",
        "'shapes' does not apply to kind 'ints'"),
    Bad("shapes-and-ranks", "    shapes: [[2, 4, 6, 6], [4, 5, 7]]\n",
        "    shapes: [[2, 4, 6, 6], [4, 5, 7]]\n    ranks: [2, 4]\n", "params[0].shapes",
        "give either shapes or ranks, not both"),
    Bad("secondary-shapes-without-primary", "    shapes: [[2, 4, 6, 6], [4, 5, 7]]\n", "", "params[1].shapes",
        "'shapes' on 'weight' pairs with the primary tensor's shapes, but 'input' lists none"),
    Bad("secondary-shapes-miscounted", "    shapes: [[6], [3]]\n", "    shapes: [[6]]\n", "params[2].shapes",
        "'bias' lists 1 shape(s), but the primary 'input' lists 2"),
    Bad("shapes-and-a-shape-rule", "    shapes: [[6], [3]]\n",
        "    shapes: [[6], [3]]\n    shape: broadcast\n",
        "params[2].shapes", "give either shapes or a shape rule, not both"),
    Bad("negative-size", "[4, 5, 7]]", "[4, -5, 7]]", "params[0].shapes[1][1]", ">= 0"),
]  # fmt: skip


@pytest.mark.parametrize("bad", BAD, ids=[b.id for b in BAD])
def test_misuse_is_named_by_file_line_and_key(tmp_path: Path, bad: Bad) -> None:
    assert BASE.count(bad.old) == 1, "the edit must apply to exactly one place"
    path = _write(tmp_path, BASE.replace(bad.old, bad.new, 1))
    with pytest.raises(SpecError) as info:
        load_spec(path, check_imports=False)
    error = info.value
    assert error.key == bad.key, str(error)
    assert error.line is not None and str(error).startswith(f"{path}:{error.line}: error at '{bad.key}'")
    assert bad.says in str(error)


def test_the_shipped_layer_specs_use_the_layer_kinds() -> None:
    from apicompat.spec import load_specs

    specs = {s.id: s for s in load_specs(["specs"], check_imports=False)}
    assert specs["conv2d"].param("stride").kind is ParamKind.INTS
    assert specs["conv2d"].param("weight").shapes and not specs["conv2d"].param("bias").required
    assert specs["cross_entropy"].param("reduction").kind is ParamKind.OPTION
    layer_ids = {
        *("linear", "conv1d", "conv2d", "max_pool2d", "avg_pool2d", "adaptive_avg_pool2d", "batch_norm"),
        *("layer_norm", "group_norm", "embedding", "scaled_dot_product_attention", "cross_entropy"),
        *("nll_loss", "mse_loss", "gelu", "silu", "relu", "pad", "interpolate"),
    }
    assert layer_ids <= set(specs)
    for spec_id in layer_ids:
        assert specs[spec_id].source.api == f"torch.nn.functional.{spec_id}"
        assert all(t.framework == "mindspore" for t in specs[spec_id].targets)
