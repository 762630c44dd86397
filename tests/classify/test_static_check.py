"""Static check: names, one-sided parameters, defaults and spec drift."""

from __future__ import annotations

import dataclasses

from apicompat.classify.signatures import select_overloads, signature_problems, static_check
from apicompat.records import DiffKind, Implementation, Overload, ParamInfo, SignatureInfo

PARAMS = ("input", "dim", "dtype", "out")
SOURCE = Implementation("torch", "torch.cumsum", tuple((p, p) for p in PARAMS))
TARGET = Implementation(
    "mindspore", "mindspore.ops.cumsum", (("input", "x"), ("dim", "axis"), ("dtype", "dtype"), ("out", None))
)


def sig(api: str, *params: tuple[str, str | None], origin: str = "inspect") -> SignatureInfo:
    infos = tuple(ParamInfo(n, "POSITIONAL_OR_KEYWORD", d) for n, d in params)
    return SignatureInfo(api, infos, origin, api)


def test_cumsum_mapping_rows_and_differences() -> None:
    src = sig(
        "torch.cumsum", ("input", None), ("dim", None), ("dtype", "None"), ("out", "None"), origin="docstring"
    )
    tgt = sig("mindspore.ops.cumsum", ("x", None), ("axis", None), ("dtype", "None"))
    result = static_check(PARAMS, SOURCE, TARGET, src, tgt)
    kinds = sorted((d.kind.value, d.subject) for d in result.differences)
    assert kinds == [("param_name", "dim"), ("param_name", "input"), ("param_only_in_one", "out")]
    assert result.rows[0][:4] == ("input", "input", "x", "Same function, different parameter names")
    assert result.rows[2][:4] == ("dtype", "dtype", "dtype", "-")
    assert result.rows[3][2] is None and "PyTorch only" in result.rows[3][3]
    assert result.drift == ()


def test_default_difference_and_target_only_parameter() -> None:
    src = sig("torch.cumsum", ("input", None), ("dim", None), ("dtype", "None"), ("out", "None"))
    tgt = sig("mindspore.ops.cumsum", ("x", None), ("axis", "0"), ("dtype", "None"), ("reverse", "False"))
    result = static_check(PARAMS, SOURCE, TARGET, src, tgt)
    kinds = {(d.kind, d.subject) for d in result.differences}
    assert (DiffKind.PARAM_DEFAULT, "dim") in kinds
    assert (DiffKind.PARAM_ONLY_IN_ONE, "MindSpore:reverse") in kinds


def test_drift_when_live_signature_lacks_a_mapped_name() -> None:
    src = sig("torch.cumsum", ("input", None), ("dim", None), ("dtype", "None"), ("out", "None"))
    tgt = sig("mindspore.ops.cumsum", ("input", None), ("axis", None), ("dtype", "None"))
    result = static_check(PARAMS, SOURCE, TARGET, src, tgt)
    assert len(result.drift) == 1 and "no parameter 'x'" in result.drift[0]


def test_signature_from_spec_is_not_used_for_defaults_or_drift() -> None:
    tgt = sig("mindspore.ops.cumsum", ("zzz", None), origin="spec")
    result = static_check(PARAMS, SOURCE, TARGET, None, tgt)
    assert result.drift == () and not any(d.kind is DiffKind.PARAM_DEFAULT for d in result.differences)


def kw(api: str, *params: tuple[str, str | None, str]) -> SignatureInfo:
    """A signature with explicit kinds: (name, default, kind)."""
    return SignatureInfo(api, tuple(ParamInfo(n, k, d) for n, d, k in params), "docstring", api)


POK, KWO = "POSITIONAL_OR_KEYWORD", "KEYWORD_ONLY"


def test_an_undeclared_source_parameter_gets_a_row_and_a_one_sided_difference() -> None:
    # torch.max(input, dim, keepdim=False, *, out=None); the spec declares no `out`.
    params = ("input", "dim")
    source = Implementation("torch", "torch.max", (("input", "input"), ("dim", "dim")))
    target = Implementation("mindspore", "mindspore.mint.max", (("input", "input"), ("dim", "dim")))
    src = kw("torch.max", ("input", None, POK), ("dim", None, POK), ("out", "None", KWO))
    tgt = kw("mindspore.mint.max", ("input", None, POK), ("dim", None, POK))
    result = static_check(params, source, target, src, tgt)
    (row,) = [r for r in result.rows if r.source == "out"]
    assert row.target is None and row.note == "PyTorch only; not exercised: the spec does not declare it"
    assert row.checked == "signature"
    (diff,) = [d for d in result.differences if d.kind is DiffKind.PARAM_ONLY_IN_ONE]
    assert diff.subject == "PyTorch:out" and diff.source_param == "out" and diff.target_param is None


def test_an_undeclared_parameter_both_sides_take_is_listed_without_a_difference() -> None:
    params = ("input",)
    source = Implementation("torch", "torch.f", (("input", "input"),))
    target = Implementation("mindspore", "mindspore.f", (("input", "input"),))
    src = kw("torch.f", ("input", None, POK), ("keepdim", "False", POK))
    tgt = kw("mindspore.f", ("input", None, POK), ("keepdim", "False", POK))
    result = static_check(params, source, target, src, tgt)
    assert [r[:3] for r in result.rows] == [("input", "input", "input"), ("-", "keepdim", "keepdim")]
    assert "not exercised" in result.rows[1].note and result.differences == ()


def test_drift_rows_never_contradict_themselves() -> None:
    # The spec maps dim -> axis, but the live target (mindspore.mint.max) calls it dim.
    params = ("input", "dim")
    source = Implementation("torch", "torch.max", (("input", "input"), ("dim", "dim")))
    target = Implementation("mindspore", "mindspore.mint.max", (("input", "input"), ("dim", "axis")))
    src = kw("torch.max", ("input", None, POK), ("dim", None, POK))
    tgt = kw("mindspore.mint.max", ("input", None, POK), ("dim", None, POK))
    result = static_check(params, source, target, src, tgt)
    dim_rows = [r for r in result.rows if "dim" in (r.source, r.target) or r.canonical == "dim"]
    assert len(dim_rows) == 1, result.rows  # not "dim | axis" and "- | dim | MindSpore only"
    (row,) = dim_rows
    assert (row.source, row.target) == ("dim", "dim") and row.note.startswith("Spec drift:")
    assert "mindspore.mint.max has no `axis`" in row.note
    assert not any(d.kind in (DiffKind.PARAM_NAME, DiffKind.PARAM_ONLY_IN_ONE) for d in result.differences)
    assert len(result.drift) == 1 and "'axis'" in result.drift[0]


def test_positional_order_against_the_live_signature_is_drift() -> None:
    target = Implementation(
        "mindspore", "mindspore.ops.cumsum", (("input", "x"), ("dim", "axis")), positional=("dim", "input")
    )
    tgt = kw("mindspore.ops.cumsum", ("x", None, POK), ("axis", None, POK))
    (problem,) = signature_problems(target, tgt, "input")
    assert problem.key == "positional[0]" and problem.drift
    assert "slot 1 is 'x'" in problem.message and problem.hint == "list positional in the live order: x, axis"


def test_keyword_only_parameters_cannot_be_positional() -> None:
    source = Implementation(
        "torch", "torch.cumsum", (("input", "input"), ("dtype", "dtype")), positional=("input", "dtype")
    )
    src = kw("torch.cumsum", ("input", None, POK), ("dtype", "None", KWO))
    (problem,) = signature_problems(source, src, "input")
    assert problem.key == "positional[1]" and "keyword-only" in problem.message


def test_a_method_receiver_is_never_checked_as_a_name_or_a_slot() -> None:
    method = Implementation(
        "torch",
        "torch.Tensor.cumsum",
        (("input", "input"), ("dim", "dim")),
        positional=("input", "dim"),
        method=True,
    )
    sig_ = kw("torch.Tensor.cumsum", ("dim", None, POK))
    assert signature_problems(method, sig_, "input") == []


def test_var_keyword_accepts_every_name() -> None:
    target = Implementation("mindspore", "mindspore.f", (("input", "anything"),))
    tgt = kw("mindspore.f", ("input", None, POK), ("kwargs", None, "VAR_KEYWORD"))
    assert signature_problems(target, tgt, "input") == []


MAX_OVERLOADS = (
    Overload(
        "torch.max(input, *, out=None)",
        (ParamInfo("input", POK, None), ParamInfo("out", KWO, "None")),
        "docstring",
    ),
    Overload(
        "torch.max(input, dim, keepdim=False, *, out=None)",
        (
            ParamInfo("input", POK, None),
            ParamInfo("dim", POK, None),
            ParamInfo("keepdim", POK, "False"),
            ParamInfo("out", KWO, "None"),
        ),
        "docstring",
    ),
    Overload(
        "torch.max(input, other, *, out=None)",
        (ParamInfo("input", POK, None), ParamInfo("other", POK, None), ParamInfo("out", KWO, "None")),
        "docstring",
    ),
)
MAX_SIG = SignatureInfo(
    "torch.max", MAX_OVERLOADS[1].params, "docstring", MAX_OVERLOADS[1].text, MAX_OVERLOADS
)
MAX_SOURCE = Implementation(
    "torch", "torch.max", (("input", "input"), ("dim", "dim"), ("keepdim", "keepdim"))
)


def test_by_default_the_overloads_taking_every_required_name_are_covered() -> None:
    marked = select_overloads(MAX_SIG, MAX_SOURCE, "input", required=("input", "dim"))
    assert [o.covered for o in marked.overloads] == [False, True, False]


def test_optional_spec_parameters_cover_the_overloads_without_them() -> None:
    # torch.sum(input, *, dtype) and sum(input, dim, keepdim, *, dtype): dim is optional in the spec.
    forms = (
        Overload(
            "sum(input, *, dtype=None)",
            (ParamInfo("input", POK, None), ParamInfo("dtype", KWO, "None")),
            "docstring",
        ),
        Overload(
            "sum(input, dim, keepdim=False, *, dtype=None)",
            (
                ParamInfo("input", POK, None),
                ParamInfo("dim", POK, None),
                ParamInfo("keepdim", POK, "False"),
                ParamInfo("dtype", KWO, "None"),
            ),
            "docstring",
        ),
    )
    sig_ = SignatureInfo("torch.sum", forms[1].params, "docstring", forms[1].text, forms)
    impl = Implementation(
        "torch", "torch.sum", (("input", "input"), ("dim", "dim"), ("keepdim", "keepdim"), ("dtype", "dtype"))
    )
    marked = select_overloads(sig_, impl, "input", required=("input",))
    assert [o.covered for o in marked.overloads] == [True, True]


def test_the_spec_can_name_the_overloads_it_covers() -> None:
    impl = dataclasses.replace(MAX_SOURCE, overloads=(("input", "other"),))
    marked = select_overloads(MAX_SIG, impl, "input", required=("input", "dim"))
    assert [o.covered for o in marked.overloads] == [False, False, True]


def test_an_overload_selector_that_matches_nothing_is_an_error_not_drift() -> None:
    impl = dataclasses.replace(MAX_SOURCE, overloads=(("input", "dim"), ("input", "values")))
    (problem,) = signature_problems(impl, select_overloads(MAX_SIG, impl, "input"), "input")
    assert problem.key == "overloads[1]" and not problem.drift
    assert "torch.max(input, other, *, out=None)" in problem.message


def test_a_mapping_selects_its_overload_and_a_name_no_overload_takes_is_a_problem() -> None:
    other = Implementation("torch", "torch.max", (("input", "input"), ("dim", "other")))
    marked = select_overloads(MAX_SIG, other, "input", required=("input", "dim"))
    assert [o.covered for o in marked.overloads] == [False, False, True]
    assert signature_problems(other, marked, "input") == []
    typo = Implementation("torch", "torch.max", (("input", "input"), ("dim", "dims")))
    marked = select_overloads(MAX_SIG, typo, "input", required=("input", "dim"))
    (problem,) = signature_problems(typo, marked, "input")
    assert problem.key == "params.dim" and problem.hint == "did you mean 'dim'?"


def test_defaults_that_mean_the_same_through_a_value_map_are_no_difference() -> None:
    from apicompat.classify.signatures import _same_default

    source = Implementation("torch", "torch.std", (("unbiased", "unbiased"),))
    target = Implementation(
        "mindspore",
        "mindspore.mint.std",
        (("unbiased", "correction"),),
        value_map=(("unbiased", ((True, 1), (False, 0))),),
    )
    assert _same_default("unbiased", "True", "1", source, target)  # unbiased=True is correction=1
    assert not _same_default("unbiased", "True", "0", source, target)
    assert not _same_default("unbiased", "True", None, source, target)


def _prod_forms(first_returns: str) -> SignatureInfo:
    """torch.prod as its docstring documents it: `prod(input, *, dtype)` and the form with `dim`."""
    forms = (
        Overload(
            f"torch.prod(input, *, dtype) -> {first_returns}",
            (ParamInfo("input", POK, None), ParamInfo("dtype", KWO, None)),
            "docstring",
        ),
        Overload(
            "torch.prod(input, dim, keepdim=False, *, dtype=None) -> Tensor",
            (
                ParamInfo("input", POK, None),
                ParamInfo("dim", POK, None),
                ParamInfo("keepdim", POK, "False"),
                ParamInfo("dtype", KWO, "None"),
            ),
            "docstring",
        ),
    )
    return SignatureInfo("torch.prod", forms[1].params, "docstring", forms[1].text, forms)


PROD_PARAMS = ("input", "dim", "keepdim", "dtype")
PROD_SOURCE = Implementation("torch", "torch.prod", tuple((p, p) for p in PROD_PARAMS))
PROD_TARGET = Implementation(
    "mindspore",
    "mindspore.ops.prod",
    (("input", "input"), ("dim", "axis"), ("keepdim", "keep_dims"), ("dtype", "dtype")),
)
PROD_TARGET_SIG = sig(
    "mindspore.ops.prod", ("input", None), ("axis", "None"), ("keep_dims", "False"), ("dtype", "None")
)


def test_a_parameter_a_covered_form_omits_or_defaults_is_optional_not_required() -> None:
    # dim: prod(input) reduces everything; dtype: the other form says dtype=None. Neither is "required".
    result = static_check(PROD_PARAMS, PROD_SOURCE, PROD_TARGET, _prod_forms("Tensor"), PROD_TARGET_SIG)
    assert not [d for d in result.differences if d.kind is DiffKind.PARAM_DEFAULT]
    assert not any("required" in row.note for row in result.rows)


def test_a_form_that_returns_something_else_does_not_make_a_parameter_optional() -> None:
    # torch.max(input) -> Tensor against max(input, dim) -> (values, indices): another function.
    result = static_check(
        PROD_PARAMS, PROD_SOURCE, PROD_TARGET, _prod_forms("(Tensor, LongTensor)"), PROD_TARGET_SIG
    )
    defaults = {d.subject: d.summary for d in result.differences if d.kind is DiffKind.PARAM_DEFAULT}
    assert list(defaults) == ["dim"] and "required in PyTorch" in defaults["dim"]


def test_a_star_args_parameter_is_the_mapped_name_not_drift() -> None:
    # torch.Tensor.expand(size) against mindspore.Tensor.expand(*size): the name exists, by position.
    params = ("input", "size")
    source = Implementation(
        "torch", "torch.Tensor.expand", (("input", "input"), ("size", "size")), method=True
    )
    target = Implementation(
        "mindspore", "mindspore.Tensor.expand", (("input", "input"), ("size", "size")), method=True
    )
    src = kw("torch.Tensor.expand", ("size", None, POK))
    tgt = kw("mindspore.Tensor.expand", ("size", None, "VAR_POSITIONAL"))
    result = static_check(params, source, target, src, tgt)
    (row,) = [r for r in result.rows if r.canonical == "size"]
    assert (row.source, row.target) == ("size", "size")
    assert row.note == "MindSpore's signature takes `*size`"
    assert result.drift == ()
    # Both sides variadic: nothing to say.
    both = static_check(
        params, source, target, kw("torch.Tensor.expand", ("size", None, "VAR_POSITIONAL")), tgt
    )
    assert [r.note for r in both.rows if r.canonical == "size"] == ["-"]
