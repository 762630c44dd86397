"""`up_to_sign` on an output: every implementation (and the reference) carries the rule; misuse is
named by file, line and key before any case runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from apicompat.records import SpecError
from apicompat.run.pipeline import reference_implementation
from apicompat.spec import Spec, load_spec

QR = """\
apicompat: 1
id: linalg.qr
outputs:
  - {name: Q, up_to_sign: columns}
  - {name: R, up_to_sign: rows}
  - tau
params:
  - {name: A, kind: tensor}
  - {name: flag, kind: bool, required: false, default: false}
reference: apicompat.references.decompositions:linalg_qr
source: {framework: torch, api: torch.linalg.qr, positional: [A]}
source_method: {framework: torch, api: torch.Tensor.qr, positional: []}
targets:
  - {framework: mindspore, api: mindspore.ops.qr, positional: [A]}
"""


def _load(tmp_path: Path, text: str) -> Spec:
    path = tmp_path / "qr.yaml"
    path.write_text(text, encoding="utf-8")
    return load_spec(path, check_imports=False)


def test_every_side_carries_the_canonical_form_of_each_output(tmp_path: Path) -> None:
    spec = _load(tmp_path, QR)
    rules = ("columns", "rows", "")
    assert spec.source_method is not None
    assert spec.source.canonical == rules and spec.source_method.canonical == rules
    assert all(t.canonical == rules for t in spec.targets)
    assert reference_implementation(spec).canonical == rules


def test_without_up_to_sign_nothing_is_canonicalized(tmp_path: Path) -> None:
    spec = _load(tmp_path, QR.replace(", up_to_sign: columns", "").replace(", up_to_sign: rows", ""))
    assert spec.source.canonical == () and reference_implementation(spec).canonical == ()


@pytest.mark.parametrize(
    ("old", "new", "line", "key", "says"),
    [
        ("up_to_sign: columns", "up_to_sign: diagonal", 4, "outputs[0].up_to_sign", "columns"),
        ("  - tau\n", "  - {name: tau, when: flag}\n", 4, "outputs[0].up_to_sign", "has 'when'"),
        (
            "up_to_sign: columns}",
            "up_to_sign: columns, undefined: true}",
            4,
            "outputs[0].undefined",
            "no sign",
        ),
        (
            "  - {name: Q, up_to_sign: columns}\n  - {name: R, up_to_sign: rows}\n  - tau\n",
            "  - {name: Q, undefined: true}\n  - {name: R, when: flag}\n",
            4,
            "outputs[0].undefined",
            "needs a fixed place",
        ),
    ],
    ids=["unknown-rule", "with-when", "both", "undefined-with-when"],
)
def test_misuse_is_named(tmp_path: Path, old: str, new: str, line: int, key: str, says: str) -> None:
    with pytest.raises(SpecError) as info:
        _load(tmp_path, QR.replace(old, new))
    error, text = info.value, str(info.value)
    assert (error.line, error.key) == (line, key), text
    assert says in text and "Failed validating" not in text, text
