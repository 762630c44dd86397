"""Reading live signatures: inspect first, then the docstring's signature line."""

from __future__ import annotations

from typing import Any

import pytest

from apicompat.frameworks.base import resolve_callable
from apicompat.frameworks.signatures import format_params, parse_signature_line, read_signature
from apicompat.records import ParamInfo


class _Builtin:
    """cumsum(input, dim, *, dtype=None, out=None) -> Tensor

    Returns the cumulative sum (a stand-in for a C builtin inspect cannot read).
    """

    @property
    def __signature__(self) -> Any:
        raise ValueError("no signature found for builtin")

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        return None


def test_inspect_first() -> None:
    def cumsum(x: int, axis: int, dtype: str | None = None) -> int:
        return 0

    info = read_signature(cumsum, "pkg.cumsum")
    assert info.origin == "inspect"
    assert info.text == "pkg.cumsum(x, axis, dtype=None) -> int"
    assert info.params == (
        ParamInfo("x", "POSITIONAL_OR_KEYWORD", None),
        ParamInfo("axis", "POSITIONAL_OR_KEYWORD", None),
        ParamInfo("dtype", "POSITIONAL_OR_KEYWORD", "None"),
    )


def test_self_is_dropped() -> None:
    class T:
        def cumsum(self, dim: int, *, dtype: str = "x") -> None:
            return None

    info = read_signature(T.cumsum, "T.cumsum")
    assert [p.name for p in info.params] == ["dim", "dtype"]
    assert info.text == "T.cumsum(dim, *, dtype='x') -> None"


def test_docstring_when_inspect_fails() -> None:
    info = read_signature(_Builtin(), "torch.cumsum")
    assert info.origin == "docstring"
    assert info.text == "torch.cumsum(input, dim, *, dtype=None, out=None) -> Tensor"
    assert [(p.name, p.kind, p.default) for p in info.params] == [
        ("input", "POSITIONAL_OR_KEYWORD", None),
        ("dim", "POSITIONAL_OR_KEYWORD", None),
        ("dtype", "KEYWORD_ONLY", "None"),
        ("out", "KEYWORD_ONLY", "None"),
    ]


def test_docstring_beats_a_bare_args_kwargs_wrapper() -> None:
    def wrapper(*args: Any, **kwargs: Any) -> None:
        """cat(tensors, dim=0) -> Tensor"""

    assert read_signature(wrapper, "m.cat").text == "m.cat(tensors, dim=0) -> Tensor"
    undocumented = lambda *a, **k: None  # noqa: E731
    assert read_signature(undocumented, "m.f").text == "m.f(*a, **k)"


def test_neither_raises() -> None:
    class Opaque(_Builtin):
        """Computes things (no signature line)."""

    with pytest.raises(ValueError, match=r"cannot read the signature of m\.opaque"):
        read_signature(Opaque(), "m.opaque")


@pytest.mark.parametrize(
    ("line", "params", "returns"),
    [
        ("cumsum(dim, dtype=None) -> Tensor", "dim, dtype=None", "Tensor"),
        # Not valid Python: a required parameter after a default, and `*size` then `*`.
        ("arange(start=0, end, step=1, *, out=None) -> T", "start=0, end, step=1, *, out=None", "T"),
        ("zeros(*size, *, out=None, dtype=None) -> Tensor", "*size, out=None, dtype=None", "Tensor"),
        ("linalg.norm(A, ord=None, *, out=None) -> Tensor", "A, ord=None, *, out=None", "Tensor"),
        (
            ".. function:: max(input, dim, keepdim=False) -> (Tensor, LongTensor)",
            "input, dim, keepdim=False",
            "(Tensor, LongTensor)",
        ),
        ("pad(x, p, mode='constant(,)', value=(0, 1))", "x, p, mode='constant(,)', value=(0, 1)", None),
        ("abs(input: Tensor, *, out: Optional[Tensor]) -> Tensor", "input, *, out", "Tensor"),
        ("f(a, b, /, c, **kw)", "a, b, /, c, **kw", None),
    ],
)
def test_parse_signature_line(line: str, params: str, returns: str | None) -> None:
    parsed = parse_signature_line(line)
    assert parsed is not None
    assert format_params(parsed[0]) == params
    assert parsed[1] == returns


@pytest.mark.parametrize(
    "line", ["Computes the sum (of everything).", "cumsum(input, dim) returns a tensor", "f(a, b", "f(a=)"]
)
def test_prose_is_not_a_signature(line: str) -> None:
    assert parse_signature_line(line) is None


@pytest.mark.frameworks
def test_torch_cumsum_from_docstring() -> None:
    pytest.importorskip("torch")
    info = read_signature(resolve_callable("torch.cumsum"), "torch.cumsum")
    assert info.origin == "docstring"
    # The signature the MindSpore mapping page quotes.
    assert info.text == "torch.cumsum(input, dim, *, dtype=None, out=None) -> Tensor"
    method = read_signature(resolve_callable("torch.Tensor.cumsum"), "torch.Tensor.cumsum")
    assert method.text == "torch.Tensor.cumsum(dim, dtype=None) -> Tensor"


@pytest.mark.frameworks
def test_mindspore_cumsum_from_inspect() -> None:
    pytest.importorskip("mindspore")
    info = read_signature(resolve_callable("mindspore.ops.cumsum"), "mindspore.ops.cumsum")
    assert info.origin == "inspect"
    assert info.text == "mindspore.ops.cumsum(x, axis, dtype=None)"
    assert [p.name for p in info.params] == ["x", "axis", "dtype"]


def test_a_docstring_line_takes_the_defaults_its_aten_schema_gives() -> None:
    def prod(*args: object) -> None:
        pass

    # torch's docstring: the first line without dtype's default, a directive line per other form.
    prod.__doc__ = (
        "prod(input, *, dtype) -> Tensor\n\n"
        ".. function:: prod(input, dim, keepdim=False, *, dtype=None) -> Tensor\n"
    )
    schemas = [
        "aten::prod(Tensor self, *, ScalarType? dtype=None) -> Tensor",
        "aten::prod.dim_int(Tensor self, int dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor",
    ]
    sig = read_signature(prod, "torch.prod", schemas)
    assert [o.text for o in sig.overloads] == [
        "torch.prod(input, *, dtype=None) -> Tensor",
        "torch.prod(input, dim, keepdim=False, *, dtype=None) -> Tensor",
    ]


@pytest.mark.frameworks
def test_torch_prod_dtype_is_optional_in_every_form() -> None:
    import torch

    schemas = [str(s) for s in torch._C._jit_get_schemas_for_operator("aten::prod")]
    sig = read_signature(torch.prod, "torch.prod", schemas)
    assert all(p.default is not None for o in sig.overloads for p in o.params if p.name == "dtype")


def test_an_out_a_docstring_line_leaves_without_default_is_optional_where_an_out_variant_exists() -> None:
    def any_(*args: object) -> None:
        pass

    any_.__doc__ = (
        "any(input, *, out) -> Tensor\n\n"
        ".. function:: any(input, dim, keepdim=False, *, out=None) -> Tensor\n"
    )
    schemas = [
        "aten::any(Tensor self) -> Tensor",
        "aten::any.all_out(Tensor self, *, Tensor(a!) out) -> Tensor(a!)",
        "aten::any.dim(Tensor self, int dim, bool keepdim=False) -> Tensor",
    ]
    sig = read_signature(any_, "torch.any", schemas)
    assert sig.overloads[0].text == "torch.any(input, *, out=None) -> Tensor"
