"""Creation ops' format: the size kind, scalars by range, operand-free result dtypes; each misuse named."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from apicompat.records import SpecError
from apicompat.spec import ParamKind, load_spec
from apicompat.spec.loader import DEFAULT_SIZES

BASE = """\
apicompat: 1
id: zeros
params:
  - name: size
    kind: size
    varargs: true
    values: [[2, 3], [], [-1]]
  - name: fill
    kind: scalar
    min: -1
    max: 1
    step: 0.5
  - name: dtype
    kind: dtype
    required: false
    default: null
    keyword_only: true
    values: [float32, int64]
reference: {numpy: numpy.zeros, args: {size: 0, fill: null}, promotion: default_float}
source:
  framework: torch
  api: torch.zeros
  positional: [size]
targets:
  - framework: mindspore
    api: mindspore.ops.zeros
    positional: [size]
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "zeros.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_size_and_a_scalar_range_load(tmp_path: Path) -> None:
    spec = load_spec(_write(tmp_path, BASE), check_imports=False)
    size, fill = spec.param("size"), spec.param("fill")
    assert size.kind is ParamKind.SIZE and size.varargs
    assert size.values == ((2, 3), (), (-1,))
    assert fill.values == (-1.0, -0.5, 0.0, 0.5, 1.0)
    assert all(isinstance(v, float) for v in fill.values)
    assert spec.declarative and '"promotion":["default_float"]' in spec.reference


def test_an_int_range_of_a_scalar_stays_int(tmp_path: Path) -> None:
    text = BASE.replace("    step: 0.5\n", "    step: 1\n")
    assert load_spec(_write(tmp_path, text), check_imports=False).param("fill").values == (-1, 0, 1)


def test_a_size_without_values_tries_the_default_sizes(tmp_path: Path) -> None:
    text = BASE.replace("    values: [[2, 3], [], [-1]]\n", "")
    size = load_spec(_write(tmp_path, text), check_imports=False).param("size")
    assert size.values == DEFAULT_SIZES
    assert () in size.values and any(d < 0 for dims in size.values for d in dims)


@dataclass(frozen=True)
class Bad:
    id: str
    old: str
    new: str
    key: str
    says: str


BAD = [
    Bad("size-value-not-a-list", "values: [[2, 3], [], [-1]]", "values: [[2, 3], 4]", "params[0].values[1]",
        "values of kind 'size' must be a list of integers (a shape: [2, 3]; [] is 0-d), but got 4"),
    Bad("size-value-not-ints", "values: [[2, 3], [], [-1]]", "values: [[2, x]]", "params[0].values[0]",
        "values of kind 'size' must be a list of integers"),
    Bad("varargs-on-a-scalar", "    step: 0.5\n", "    step: 0.5\n    varargs: true\n", "params[1].varargs",
        "'varargs' does not apply to kind 'scalar'; it applies to tensors, size"),
    Bad("varargs-not-positional", "  api: torch.zeros\n  positional: [size]\n", "  api: torch.zeros\n",
        "source.positional",
        "'size' has varargs: true (the source takes its dims as separate ints), so the source must take it"),
    Bad("varargs-not-last", "    api: mindspore.ops.zeros\n    positional: [size]\n",
        "    api: mindspore.ops.zeros\n    positional: [size, fill]\n", "targets[0].positional[0]",
        "'size' may be passed as separate arguments, which take every position after it"),
    Bad("size-default-not-a-list", "    values: [[2, 3], [], [-1]]\n",
        "    values: [[2, 3]]\n    required: false\n    default: 3\n", "params[0].default",
        "the default of kind 'size' must be null or a list of integers"),
    Bad("step-without-range", "    min: -1\n    max: 1\n    step: 0.5\n", "    step: 0.5\n", "params[1]",
        "'min' and 'max' go together"),
    Bad("step-on-an-int", "    kind: scalar\n", "    kind: int\n", "params[1].step",
        "'step' does not apply to kind 'int'; it applies to scalar"),
    Bad("zero-step", "    step: 0.5\n", "    step: 0\n", "params[1].step", "0 is less than or equal to"),
    Bad("range-and-values", "    step: 0.5\n", "    step: 0.5\n    values: [1]\n", "params[1].min",
        "give either values or min/max, not both"),
    Bad("range-too-wide", "    step: 0.5\n", "    step: 0.01\n", "params[1].step",
        "min..max by 0.01 spans 201 values, more than 64"),
    Bad("range-reversed", "    min: -1\n    max: 1\n", "    min: 1\n    max: -1\n", "params[1].max",
        "max -1 is less than min 1"),
    Bad("operand-free-rule-needed", "promotion: default_float}", "promotion: default}", "reference",
        "a declarative reference needs an operand (a tensor parameter, or numbers named in 'operands') "
        "to promote, unless its promotion needs none (default_float, default_long)"),
    Bad("unknown-rule", "promotion: default_float}", "promotion: default_floats}", "reference.promotion",
        "default_floats"),
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
    assert bad.says in str(error), str(error)


def test_an_int_range_must_be_integers(tmp_path: Path) -> None:
    text = BASE.replace("    kind: scalar\n    min: -1\n", "    kind: int\n    min: -1.5\n").replace(
        "    step: 0.5\n", ""
    )
    with pytest.raises(SpecError) as info:
        load_spec(_write(tmp_path, text), check_imports=False)
    assert info.value.key == "params[1].min"
    assert "min of kind 'int' must be an integer, but got -1.5" in str(info.value)


def test_the_shipped_creation_specs_use_the_size_kind() -> None:
    from apicompat.spec import load_specs

    specs = {s.id: s for s in load_specs(["specs"], check_imports=False)}
    creation = {"zeros", "ones", "full", "arange", "linspace", "logspace", "eye", "tril_indices"}
    creation |= {"triu_indices", "Tensor.new_zeros", "Tensor.new_ones", "Tensor.new_full", "diag"}
    creation |= {"diagonal", "diag_embed", "one_hot"}
    assert creation <= set(specs)
    assert specs["zeros"].param("size").varargs and not specs["full"].param("size").varargs
    assert specs["arange"].param("start").values == (-3, 0, 3)
    declared = [spec_id for spec_id in creation if specs[spec_id].declarative]
    assert len(declared) >= 12, declared
