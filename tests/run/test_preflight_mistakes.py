"""Authoring mistakes only a live framework can catch: each is refused with file, line and key, never a page.

One `apicompat report` run over a directory of broken variants of specs/cumsum.yaml
(and the good spec) also shows that every bad spec is named, the good one still
gets its page, and the exit status is 2.
"""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from apicompat.cli import main

pytest.importorskip("torch")
pytest.importorskip("mindspore")
pytestmark = pytest.mark.frameworks

BASE = Path("specs/cumsum.yaml").read_text()


@dataclass(frozen=True)
class Mistake:
    """A broken variant of the cumsum spec: text replacements, and the error it must get."""

    name: str
    edits: tuple[tuple[str, str], ...]
    key: str
    message: str  # a regular expression the error text must match
    marker: str  # a text on the line the error must name

    def text(self) -> str:
        text = BASE.replace("id: cumsum", f"id: bad_{self.name}")
        for old, new in self.edits:
            assert old in text, (self.name, old)
            text = text.replace(old, new, 1)
        return text


MISTAKES = [
    Mistake(
        "target_typo",
        (("api: mindspore.ops.cumsum", "api: mindspore.ops.cumprodd"),),
        "targets[0].api",
        r"module 'mindspore\.ops' has no attribute 'cumprodd' \(did you mean 'cumprod'\?\)",
        "mindspore.ops.cumprodd",
    ),
    Mistake(
        "source_typo",
        (("api: torch.cumsum", "api: torch.cumsumm"),),
        "source.api",
        r"module 'torch' has no attribute 'cumsumm' \(did you mean 'cumsum'\?\)",
        "torch.cumsumm",
    ),
    Mistake(
        "missing_module",
        (("api: mindspore.ops.cumsum", "api: mindspore.opz.cumsum"),),
        "targets[0].api",
        r"module 'mindspore' has no attribute 'opz' \(did you mean 'ops'\?\)",
        "mindspore.opz.cumsum",
    ),
    Mistake(
        "missing_mint_module",
        (("api: mindspore.mint.cumsum", "api: mindspore.mintt.cumsum"),),
        "targets[1].api",
        r"module 'mindspore' has no attribute 'mintt' \(did you mean 'mint'\?\)",
        "mindspore.mintt.cumsum",
    ),
    Mistake(
        "source_not_callable",
        (("api: torch.cumsum", "api: torch.float32"),),
        "source.api",
        r"'torch\.float32' is not callable \(it is a torch\.dtype\)",
        "torch.float32",
    ),
    Mistake(
        "target_not_callable",
        (("api: mindspore.ops.cumsum", "api: mindspore.float32"),),
        "targets[0].api",
        r"'mindspore\.float32' is not callable",
        "mindspore.float32",
    ),
    Mistake(
        "method_typo",
        (("api: torch.Tensor.cumsum", "api: torch.Tensor.cumsun"),),
        "source_method.api",
        r"class 'torch\.Tensor' has no attribute 'cumsun' \(did you mean 'cumsum'\?\)",
        "torch.Tensor.cumsun",
    ),
    Mistake(
        "target_method_typo",
        (("api: mindspore.Tensor.cumsum", "api: mindspore.Tensor.cumsumm"),),
        "targets[2].api",
        r"class 'mindspore\.Tensor' has no attribute 'cumsumm' \(did you mean 'cumsum'\?\)",
        "mindspore.Tensor.cumsumm",
    ),
    Mistake(
        "wrong_mapped_name",
        (("dim: axis, out: null", "dim: axes, out: null"),),
        "targets[0].params.dim",
        r"the spec maps 'dim' to 'axes', but mindspore\.ops\.cumsum has no parameter 'axes'; "
        r"its live signature .* has: x, axis, dtype \(did you mean 'axis'\?\)",
        "dim: axes",
    ),
    Mistake(
        "unmapped_renamed_parameter",
        (("params: {input: x, dim: axis, out: null}", "params: {dim: axis, out: null}"),),
        "targets[0].params.input",
        r"mindspore\.ops\.cumsum has no parameter 'input'; its live signature .* has: x, axis, dtype",
        "params: {dim: axis, out: null}",
    ),
    Mistake(
        "source_wrong_name",
        (("  api: torch.cumsum\n", "  api: torch.cumsum\n  params: {dim: axis}\n"),),
        "source.params.dim",
        r"the spec maps 'dim' to 'axis', but torch\.cumsum has no parameter 'axis'; "
        r"its live signature .* has: input, dim, dtype, out",
        "params: {dim: axis}",
    ),
    Mistake(
        "wrong_positional_order",
        (
            (
                "params: {input: x, dim: axis, out: null}\n    positional: [input, dim]",
                "params: {input: x, dim: axis, out: null}\n    positional: [dim, input]",
            ),
        ),
        "targets[0].positional[0]",
        r"'dim' \('axis' here\) is passed as positional argument 1 of mindspore\.ops\.cumsum, "
        r"but slot 1 is 'x'",
        "positional: [dim, input]",
    ),
    Mistake(
        "keyword_only_passed_positionally",
        (
            ("    default: null\n    keyword_only: true\n", "    default: null\n"),
            (
                "  api: torch.cumsum\n  positional: [input, dim]",
                "  api: torch.cumsum\n  positional: [input, dim, dtype]",
            ),
        ),
        "source.positional[2]",
        r"'dtype' is passed positionally, but 'dtype' is keyword-only in torch\.cumsum",
        "positional: [input, dim, dtype]",
    ),
    Mistake(
        "overload_selects_nothing",
        (("  api: torch.cumsum\n", "  api: torch.cumsum\n  overloads: [[input, other]]\n"),),
        "source.overloads[0]",
        r"\[input, other\] selects no overload of torch\.cumsum",
        "overloads: [[input, other]]",
    ),
]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, Path, Path]:
    """One report over every broken variant and the good spec."""
    specs = tmp_path_factory.mktemp("specs")
    out = tmp_path_factory.mktemp("out")
    for mistake in MISTAKES:
        (specs / f"bad_{mistake.name}.yaml").write_text(mistake.text())
    (specs / "cumsum.yaml").write_text(BASE)
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["report", str(specs), "--out", str(out), "--cases-dir", str(specs / "none")])
    return code, err.getvalue(), specs, out


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m.name for m in MISTAKES])
def test_mistake_is_refused_with_file_line_and_key(
    mistake: Mistake, run: tuple[int, str, Path, Path]
) -> None:
    code, err, specs, out = run
    path = specs / f"bad_{mistake.name}.yaml"
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if mistake.marker in text)
    prefix = re.escape(f"{path}:{line}: error at '{mistake.key}': ")
    assert re.search(prefix + mistake.message, err), err
    assert not (out / f"bad_{mistake.name}.md").exists() and not (out / f"bad_{mistake.name}.json").exists()
    assert code == 2


def test_the_good_spec_still_gets_its_page(run: tuple[int, str, Path, Path]) -> None:
    code, err, _, out = run
    assert code == 2
    assert (out / "cumsum.md").exists() and "cumsum.md" in (out / "index.md").read_text()
    assert f"{len(MISTAKES)} spec(s) refused" in err
    assert "Traceback" not in err


def test_at_least_twelve_mistakes() -> None:
    assert len(MISTAKES) >= 12
