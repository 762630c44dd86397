"""The format's indexing additions: list outputs, vector indices, NumPy callables per output,
non-negative indices and tensors broadcast before NumPy; each misuse names file, line and key."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from apicompat.records import SpecError
from apicompat.references.declarative import from_api
from apicompat.spec import load_spec
from apicompat.spec.model import ShapeRule

# A made-up API that uses every addition: the loader checks meaning, not behaviour.
BASE = """\
apicompat: 1
id: pick
params:
  - name: input
    kind: tensor
  - name: dim
    kind: axis
    of: input
  - name: index
    kind: index
    of: input
    along: dim
    shape: vector
  - name: mask
    kind: tensor
    dtypes: [bool]
    shape: broadcast
outputs:
  - values
  - indices
reference:
  numpy: [numpy.amin, numpy.argmin]
  args: {input: 0, dim: axis, index: null, mask: null}
  promotion: [same, int64]
  nonnegative: [index]
  broadcast: [input, mask]
source: {framework: torch, api: torch.pick, positional: [input, dim, index, mask]}
targets:
  - {framework: mindspore, api: mindspore.ops.pick, positional: [input, dim, index, mask]}
"""

LIST = """\
apicompat: 1
id: pieces
params:
  - name: input
    kind: tensor
  - name: dim
    kind: axis
    of: input
outputs:
  - {name: slices, list: true}
reference: {numpy: numpy.unstack, args: {input: 0, dim: axis}, promotion: same}
source: {framework: torch, api: torch.unbind, positional: [input, dim]}
targets:
  - {framework: mindspore, api: mindspore.ops.unbind, positional: [input, dim]}
"""


def _load(tmp_path: Path, text: str, name: str = "pick.yaml") -> object:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_spec(path, check_imports=False)


def test_every_addition_loads_into_the_model(tmp_path: Path) -> None:
    spec = _load(tmp_path, BASE)
    declaration = from_api(spec.reference)  # type: ignore[attr-defined]
    assert spec.param("index").shape is ShapeRule.VECTOR  # type: ignore[attr-defined]
    assert declaration.numpy == "numpy.amin"
    assert declaration.per_output == ("numpy.amin", "numpy.argmin")
    assert declaration.nonnegative == ("index",) and declaration.broadcast == ("input", "mask")
    assert not declaration.many


def test_a_list_output_takes_one_rule_for_every_item(tmp_path: Path) -> None:
    spec = _load(tmp_path, LIST, "pieces.yaml")
    assert spec.outputs[0].many and spec.output_names({}) == ("slices",)  # type: ignore[attr-defined]
    declaration = from_api(spec.reference)  # type: ignore[attr-defined]
    assert declaration.many and declaration.promotion == ("same",)


@dataclass(frozen=True)
class Bad:
    """A one-place edit of a base spec, and what the error must say."""

    id: str
    old: str
    new: str
    line: int
    key: str
    says: str
    base: str = BASE
    suggests: str | None = None


CASES = [
    Bad(
        "vector-on-a-tensor",
        "    dtypes: [bool]\n    shape: broadcast",
        "    dtypes: [bool]\n    shape: vector",
        17,
        "params[3].shape",
        "'shape: vector' makes a 1-D index along an axis; 'mask' has kind 'tensor'",
    ),
    Bad(
        "numpy-per-output-count",
        "[numpy.amin, numpy.argmin]",
        "[numpy.amin, numpy.argmin, numpy.amax]",
        22,
        "reference.numpy",
        "'numpy' lists 3 callables, one per output, but the API has 2 output(s) (values, indices)",
    ),
    Bad(
        "numpy-per-output-unknown",
        "[numpy.amin, numpy.argmin]",
        "[numpy.amin, numpy.argmni]",
        22,
        "reference.numpy[1]",
        "numpy has no attribute 'argmni'",
    ),
    Bad(
        "nonnegative-not-an-index",
        "nonnegative: [index]",
        "nonnegative: [dim]",
        25,
        "reference.nonnegative[0]",
        "'nonnegative' lists an index parameter, but 'dim' has kind 'axis'; "
        "such parameters: input, index, mask",
    ),
    Bad(
        "nonnegative-unknown",
        "nonnegative: [index]",
        "nonnegative: [indx]",
        25,
        "reference.nonnegative[0]",
        "'indx' is not a parameter",
        suggests="index",
    ),
    Bad(
        "broadcast-not-a-tensor",
        "broadcast: [input, mask]",
        "broadcast: [input, dim]",
        26,
        "reference.broadcast[1]",
        "'broadcast' lists a tensor parameter, but 'dim' has kind 'axis'",
    ),
    Bad(
        "broadcast-empty",
        "broadcast: [input, mask]",
        "broadcast: []",
        26,
        "reference.broadcast",
        "expected at least 1 item(s) but got 0",
    ),
    Bad(
        "list-output-with-another",
        "  - {name: slices, list: true}\n",
        "  - {name: slices, list: true}\n  - counts\n",
        10,
        "outputs[0].list",
        "a list output is the API's only output, returned on every call, but 'slices' is one of 2 outputs",
        base=LIST,
    ),
    Bad(
        "list-output-with-when",
        "{name: slices, list: true}",
        "{name: slices, list: true, when: dim}",
        10,
        "outputs[0].list",
        "but 'slices' has 'when'",
        base=LIST,
    ),
    Bad(
        "list-output-two-rules",
        "promotion: same}",
        "promotion: [same, int64]}",
        11,
        "reference.promotion",
        "'promotion' gives 2 rule(s) but the API has 1 output(s) (slices)",
        base=LIST,
    ),
    Bad(
        "list-output-per-output-callables",
        "numpy: numpy.unstack,",
        "numpy: [numpy.unstack, numpy.unstack],",
        11,
        "reference.numpy",
        "a list output comes from one NumPy callable",
        base=LIST,
    ),
    Bad(
        "list-not-a-bool",
        "list: true}",
        "list: yes please}",
        10,
        "outputs[0].list",
        "true or false",
        base=LIST,
    ),
]


@pytest.mark.parametrize("bad", CASES, ids=[c.id for c in CASES])
def test_misuse_is_named_by_file_line_and_key(tmp_path: Path, bad: Bad) -> None:
    assert bad.base.count(bad.old) == 1, "the edit must apply to exactly one place"
    path = tmp_path / "spec.yaml"
    path.write_text(bad.base.replace(bad.old, bad.new), encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_spec(path, check_imports=False)
    error, text = info.value, str(info.value)
    assert (error.line, error.key) == (bad.line, bad.key), text
    assert bad.says in text, text
    if bad.suggests is not None:
        assert f"did you mean '{bad.suggests}'?" in text
    assert "is not one of" not in text and "Failed validating" not in text
