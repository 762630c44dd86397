"""`apicompat init`: drafting from introspected APIs (pure), and the command on real frameworks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from apicompat.author.draft import TODO, guess_param, match_target, render_spec
from apicompat.author.introspect import (
    ApiInfo,
    ParamDoc,
    introspection_script,
    parse_args_section,
    parse_introspection,
)
from apicompat.cli import main
from apicompat.records import ApicompatError
from apicompat.spec import load_spec
from apicompat.spec.imports import package_installed

REPO = Path(__file__).resolve().parents[2]

DOC = """cumsum(input, dim, *, dtype=None, out=None) -> Tensor

Returns the cumulative sum of elements of input in the dimension dim.

Args:
    input (Tensor): the input tensor.
    dim (int): the dimension to do the operation over

Keyword args:
    dtype (:class:`torch.dtype`, optional): the desired data type of returned tensor.
    out (Tensor, optional): the output tensor.

Example::
"""


def p(
    name: str,
    kind: str = "POSITIONAL_OR_KEYWORD",
    default: str | None = None,
    doc_type: str = "",
    doc: str = "",
) -> ParamDoc:
    return ParamDoc(name, kind, default, "", doc_type, doc)


TORCH = ApiInfo(
    "torch.cumsum",
    "torch",
    "torch.cumsum(input, dim, *, dtype=None, out=None) -> Tensor",
    "docstring",
    (
        p("input", doc_type="Tensor", doc="the input tensor."),
        p("dim", doc_type="int", doc="the dimension to do the operation over"),
        p("dtype", "KEYWORD_ONLY", "None", ":class:`torch.dtype`, optional", "the desired data type"),
        p("out", "KEYWORD_ONLY", "None", "Tensor, optional", "the output tensor."),
    ),
    "Returns the cumulative sum of elements of input in the dimension dim.",
)
MINDSPORE = ApiInfo(
    "mindspore.ops.cumsum",
    "mindspore",
    "mindspore.ops.cumsum(x, axis, dtype=None)",
    "inspect",
    (
        p("x", doc_type="Tensor", doc="The input Tensor."),
        p("axis", doc_type="int", doc="The dimension to do the operation over."),
        p("dtype", default="None", doc_type="mindspore.dtype, optional", doc="The desired dtype."),
    ),
    "",
)


def test_args_sections_are_read_by_parameter() -> None:
    found = parse_args_section(DOC)
    assert found["dim"] == ("int", "the dimension to do the operation over")
    assert found["out"][0] == "Tensor, optional" and "Example" not in found


def test_kinds_and_domains_are_guessed_from_names_docs_and_defaults() -> None:
    kinds = {d.name: d.kind for d in (guess_param(q, "input") for q in TORCH.params)}
    assert kinds == {"input": "tensor", "dim": "axis", "dtype": "dtype", "out": "out"}
    assert guess_param(p("keepdim", default="False"), "input").kind == "bool"
    assert guess_param(p("dim", doc_type="int or tuple of ints"), "input").kind == "axes"
    assert guess_param(p("index", doc_type="LongTensor"), "input").kind == "index"
    assert (
        guess_param(p("min", default="None", doc_type="Number or Tensor, optional"), "input").kind
        == "tensor_or_scalar"
    )
    unknown = guess_param(p("mode", default="'reduce'"), "input")
    assert any("kind unknown" in t for t in unknown.todo)


def test_target_parameters_are_matched_by_synonym_position_and_docs() -> None:
    draft = match_target(TORCH, MINDSPORE)
    assert draft.names == {"input": "x", "dim": "axis", "dtype": "dtype", "out": None}
    assert "synonym" in draft.notes["dim"] and TODO in draft.notes["out"]
    assert draft.positional == ["input", "dim"]


def test_the_drafted_spec_loads_and_marks_what_to_check(tmp_path: Path) -> None:
    text = render_spec(TORCH, [MINDSPORE], reference_exists=True)
    assert text.count(f"{TODO}:") == 2  # the dtype values to try, and out= without a counterpart
    path = tmp_path / "cumsum.yaml"
    path.write_text(text)
    spec = load_spec(path, check_imports=False)
    assert [q.name for q in spec.params] == ["input", "dim", "dtype", "out"]
    assert spec.targets[0].name_of == {"input": "x", "dim": "axis", "dtype": "dtype", "out": None}
    assert yaml.safe_load(text)["summary"].startswith("Returns the cumulative sum")
    guessed = render_spec(TORCH, [MINDSPORE], reference_exists=False)
    assert (
        "  numpy: numpy.cumsum\n" in guessed
        and "args: {input: 0, dim: axis, dtype: null, out: null}" in guessed
    )


def test_introspection_output_is_parsed_or_refused_clearly() -> None:
    script = introspection_script("torch.cumsum")
    assert "import torch" not in script, "the worker imports the framework through resolve_callable"
    with pytest.raises(ApicompatError, match=r"cannot introspect torch\.nope in torch: AttributeError"):
        parse_introspection(
            "torch.nope", "torch", "", "AttributeError: module 'torch' has no attribute 'nope'"
        )


def test_init_never_overwrites_without_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    existing = tmp_path / "cumsum.yaml"
    existing.write_text("keep me\n")
    assert main(["init", "torch.cumsum", "mindspore.ops.cumsum", "--out", str(existing)]) == 2
    assert "already exists; pass --force" in capsys.readouterr().err
    assert existing.read_text() == "keep me\n"


def test_init_names_an_unknown_framework_before_starting_workers(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["init", "jax.numpy.cumsum", "mindspore.ops.cumsum", "--out", str(tmp_path / "x.yaml")]) == 2
    assert "cannot tell the framework of 'jax.numpy.cumsum'" in capsys.readouterr().err


@pytest.mark.frameworks
@pytest.mark.slow
def test_drafts_of_shipped_specs_agree_with_them(tmp_path: Path) -> None:
    """A fair test of init: its drafts of four shipped specs map parameters as the hand-checked specs do."""
    if not (package_installed("torch") and package_installed("mindspore")):
        pytest.skip("needs torch and MindSpore")
    drafts = {
        "cumsum": ["torch.cumsum", "mindspore.ops.cumsum", "mindspore.mint.cumsum"],
        "gather": ["torch.gather", "mindspore.ops.gather_elements", "mindspore.mint.gather"],
        "transpose": ["torch.transpose", "mindspore.ops.swapaxes", "mindspore.mint.transpose"],
        "matmul": ["torch.matmul", "mindspore.ops.matmul", "mindspore.mint.matmul"],
    }
    for name, apis in drafts.items():
        out = tmp_path / f"{name}.yaml"
        assert main(["init", *apis, "--out", str(out)]) == 0
        draft = load_spec(out)
        shipped = load_spec(REPO / "specs" / f"{name}.yaml")
        for param in shipped.params:
            assert draft.param(param.name).kind is param.kind, (name, param.name)
        for target in draft.targets:
            twin = next(t for t in shipped.targets if t.api == target.api)
            shared = {k: v for k, v in target.name_of.items() if k in twin.name_of}
            assert shared == {k: twin.name_of[k] for k in shared}, (name, target.api)
    # The command's own process never imports a framework: workers do.
    code = (
        "import sys; from apicompat.cli import main; "
        f"main(['init', 'torch.sum', 'mindspore.ops.sum', '--out', {str(tmp_path / 'sum.yaml')!r}]); "
        "assert 'torch' not in sys.modules and 'mindspore' not in sys.modules"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=REPO)
    assert run.returncode == 0, run.stderr


NEW_ZEROS = ApiInfo(
    "torch.Tensor.new_zeros",
    "torch",
    "torch.Tensor.new_zeros(size, *, dtype=None) -> Tensor",
    "docstring",
    (p("size"), p("dtype", "KEYWORD_ONLY", "None")),
    "Returns a Tensor of size size filled with 0.",
    schemas=("aten::new_zeros(Tensor self, SymInt[] size, *, ScalarType? dtype=None) -> Tensor",),
)
MS_NEW_ZEROS = ApiInfo(
    "mindspore.Tensor.new_zeros",
    "mindspore",
    "mindspore.Tensor.new_zeros(size, dtype=None) -> Tensor",
    "docstring",
    (p("size"), p("dtype", default="None")),
    "",
)


def test_a_tensor_method_draft_has_its_receiver_and_a_size(tmp_path: Path) -> None:
    text = render_spec(NEW_ZEROS, [MS_NEW_ZEROS], reference_exists=False)
    path = tmp_path / "new_zeros.yaml"
    path.write_text(text)
    spec = load_spec(path, check_imports=False)
    assert [(q.name, q.kind.value) for q in spec.params] == [
        ("input", "tensor"), ("size", "size"), ("dtype", "dtype"),
    ]  # fmt: skip
    assert spec.source.method and spec.targets[0].method
    assert spec.param("size").values == ((2, 3), (4,), ())


def test_a_dtype_default_is_written_in_the_vocabulary() -> None:
    from apicompat.author.draft import dtype_default

    assert dtype_default("torch.long") == "int64" and dtype_default("mindspore.float32") == "float32"
    assert dtype_default("torch.strided") is None and dtype_default(None) is None
    assert guess_param(p("dtype", "KEYWORD_ONLY", "torch.long"), None).default == "int64"


def test_a_string_default_drafts_an_option_and_a_tuple_default_a_list() -> None:
    """torch.linalg.matrix_norm(A, ord='fro', dim=(-2, -1)): the draft loads (an int kind would not)."""
    ord_ = guess_param(p("ord", default="'fro'", doc_type="int, inf, -inf, 'fro', 'nuc', optional"), "A")
    assert (ord_.kind, ord_.default, ord_.keys) == ("option", "fro", {"values": ["fro"]})
    assert any("drafted as an option" in t for t in ord_.todo)
    dim = guess_param(p("dim", default="(-2, -1)", doc_type="Tuple[int, int], optional"), "A")
    assert (dim.kind, dim.default) == ("axes", [-2, -1])
