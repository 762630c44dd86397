"""Overloads: every signature line a docstring documents, and the ATen schemas torch registers."""

from __future__ import annotations

from typing import Any

from apicompat.frameworks.signatures import parse_schema, read_signature

MAX_SCHEMAS = [
    "aten::max.other(Tensor self, Tensor other) -> Tensor",
    "aten::max(Tensor self) -> Tensor",
    "aten::max.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)",
    "aten::max.dim_max(Tensor self, int dim, bool keepdim=False, *, Tensor(a!) max, Tensor(b!) max_values)"
    " -> (Tensor(a!) values, Tensor(b!) indices)",
    "aten::max.unary_out(Tensor self, *, Tensor(a!) out) -> Tensor(a!)",
    "aten::max.out(Tensor self, Tensor other, *, Tensor(a!) out) -> Tensor(a!)",
]


class _Max:
    """max(input, *, out=None) -> Tensor

    Returns the maximum value of all elements.

    .. function:: max(input, dim, keepdim=False, *, out=None) -> (Tensor, LongTensor)

    .. function:: max(input, other, *, out=None) -> Tensor
    """

    @property
    def __signature__(self) -> Any:
        raise ValueError("a builtin")

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        return None


class _Std:
    """std(input, dim=None, *, correction=1, keepdim=False, out=None) -> Tensor"""

    @property
    def __signature__(self) -> Any:
        raise ValueError("a builtin")

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        return None


def test_every_docstring_signature_line_is_an_overload() -> None:
    sig = read_signature(_Max(), "torch.max")
    assert [o.text for o in sig.overloads] == [
        "torch.max(input, *, out=None) -> Tensor",
        "torch.max(input, dim, keepdim=False, *, out=None) -> (Tensor, LongTensor)",
        "torch.max(input, other, *, out=None) -> Tensor",
    ]
    assert {o.origin for o in sig.overloads} == {"docstring"}
    # The general form stays the signature a spec maps: the one with the most parameters.
    assert sig.text == "torch.max(input, dim, keepdim=False, *, out=None) -> (Tensor, LongTensor)"


def test_schemas_the_docstring_already_documents_add_nothing() -> None:
    sig = read_signature(_Max(), "torch.max", MAX_SCHEMAS)
    assert len(sig.overloads) == 3 and {o.origin for o in sig.overloads} == {"docstring"}


def test_schemas_add_the_forms_the_docstring_omits_with_out_folded_in() -> None:
    schemas = [
        "aten::std(Tensor self, bool unbiased=True) -> Tensor",
        "aten::std.dim(Tensor self, int[1]? dim, bool unbiased=True, bool keepdim=False) -> Tensor",
        "aten::std.out(Tensor self, int[1]? dim, bool unbiased=True, bool keepdim=False, *, Tensor(a!) out)"
        " -> Tensor(a!)",
        "aten::std.correction(Tensor self, int[1]? dim=None, *, Scalar? correction=None, bool keepdim=False)"
        " -> Tensor",
        "aten::sum.int(int[] self) -> int",
    ]
    sig = read_signature(_Std(), "torch.std", schemas)
    assert [(o.text, o.origin) for o in sig.overloads] == [
        ("torch.std(input, dim=None, *, correction=1, keepdim=False, out=None) -> Tensor", "docstring"),
        ("torch.std(input, unbiased=True) -> Tensor", "schema"),
        ("torch.std(input, dim, unbiased=True, keepdim=False, *, out=None) -> Tensor", "schema"),
    ]


def test_one_documented_form_has_no_overloads() -> None:
    assert read_signature(_Std(), "torch.std").overloads == ()


def test_parse_schema() -> None:
    parsed = parse_schema(
        "aten::max.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)"
    )
    assert parsed is not None
    params, returns, writes = parsed
    assert [(p.name, p.kind, p.default) for p in params] == [
        ("input", "POSITIONAL_OR_KEYWORD", None),
        ("dim", "POSITIONAL_OR_KEYWORD", None),
        ("keepdim", "POSITIONAL_OR_KEYWORD", "False"),
    ]
    assert returns == "(Tensor values, Tensor indices)" and not writes
    out = parse_schema("aten::max.unary_out(Tensor self, *, Tensor(a!) out) -> Tensor(a!)")
    assert out is not None and out[2] and out[0][1].kind == "KEYWORD_ONLY"
    assert parse_schema("max(input)") is None  # not an operator schema
    assert parse_schema("aten::sum.int(int[] self) -> int") is None  # not a tensor overload


class _NewZeros:
    """new_zeros(size, *, dtype=None) -> Tensor

    A Tensor method's docstring leaves `self` out.
    """

    @property
    def __signature__(self) -> Any:
        raise ValueError("a builtin")

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        return None


def test_a_method_schema_s_self_is_the_receiver_not_the_first_documented_parameter() -> None:
    schemas = [
        "aten::new_zeros(Tensor self, SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None)"
        " -> Tensor",
        "aten::new_zeros.out(Tensor self, SymInt[] size, *, Tensor(a!) out) -> Tensor(a!)",
    ]
    sig = read_signature(_NewZeros(), "torch.Tensor.new_zeros", schemas)
    texts = [o.text for o in sig.overloads]
    assert texts[1] == "torch.Tensor.new_zeros(size, *, dtype=None, layout=None) -> Tensor", texts
    assert all("size, size" not in text for text in texts)


def test_a_var_positional_size_is_covered_by_a_spec_that_maps_it() -> None:
    from apicompat.classify.signatures import select_overloads
    from apicompat.records import Implementation

    class _Zeros:
        """zeros(*size, *, out=None, dtype=None) -> Tensor"""

        def __call__(self, *args: Any, **kwargs: Any) -> None:
            return None

    sig = read_signature(
        _Zeros(), "torch.zeros", ["aten::zeros(SymInt[] size, *, ScalarType? dtype=None) -> Tensor"]
    )
    impl = Implementation("torch", "torch.zeros", (("size", "size"), ("dtype", "dtype")), ("size",))
    marked = select_overloads(sig, impl, None, required=("size",))
    assert [o.covered for o in marked.overloads] == [True, True]
