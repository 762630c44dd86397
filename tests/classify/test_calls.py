"""Names verified by calls: keyword copies of positional cases, compared with what they copy."""

from __future__ import annotations

import dataclasses

import numpy as np

from apicompat.classify.calls import keyword_check
from apicompat.generate.calls import keyword_cases
from apicompat.records import Case, DiffKind, Implementation, Observation, Output, Severity, Status, TensorArg
from apicompat.spec import load_spec

SOURCE = Implementation(
    "torch", "torch.cumsum", (("input", "input"), ("dim", "dim")), positional=("input", "dim")
)
TARGET = Implementation(
    "mindspore", "mindspore.ops.cumsum", (("input", "x"), ("dim", "axis")), positional=("input", "dim")
)
BASE = Case(
    "cumsum", (("input", TensorArg("float32", (3, 4))), ("dim", 1)), facets=(("group", "rank_sweep"),)
)
PROBE = dataclasses.replace(
    BASE, by_keyword=("dim",), facets=(("group", "keyword"), ("keyword", "dim"), ("copies", BASE.id)), id=""
)


def ok(case: Case, api: str, value: float = 1.0) -> Observation:
    out = Output("float32", (1,), np.array([value], dtype=np.float32))
    return Observation(case.id, api, "cpu", Status.OK, (out,))


def raised(case: Case, api: str) -> Observation:
    return Observation(
        case.id, api, "cpu", Status.ERROR, (), "TypeError", "unexpected keyword argument 'axis'"
    )


def test_a_keyword_the_target_rejects_is_a_loud_name_difference() -> None:
    src = [ok(BASE, "torch.cumsum"), ok(PROBE, "torch.cumsum")]
    tgt = [ok(BASE, "mindspore.ops.cumsum"), raised(PROBE, "mindspore.ops.cumsum")]
    check = keyword_check(SOURCE, TARGET, [BASE, PROBE], src, tgt, "cpu")
    (diff,) = check.differences
    assert (
        diff.kind is DiffKind.PARAM_NAME and diff.subject == "keyword:dim" and diff.severity is Severity.LOUD
    )
    assert diff.target_param == "axis" and diff.cases == (PROBE.id,) and "by keyword" in diff.summary
    assert "dim" not in check.verified


def test_a_keyword_that_reaches_another_parameter_is_a_silent_order_difference() -> None:
    src = [ok(BASE, "torch.cumsum"), ok(PROBE, "torch.cumsum")]
    tgt = [ok(BASE, "mindspore.ops.cumsum", 1.0), ok(PROBE, "mindspore.ops.cumsum", 2.0)]
    (diff,) = keyword_check(SOURCE, TARGET, [BASE, PROBE], src, tgt, "cpu").differences
    assert diff.subject == "order:dim" and diff.severity is Severity.SILENT


def test_a_keyword_call_both_sides_return_verifies_the_name() -> None:
    src = [ok(BASE, "torch.cumsum"), ok(PROBE, "torch.cumsum")]
    tgt = [ok(BASE, "mindspore.ops.cumsum"), ok(PROBE, "mindspore.ops.cumsum")]
    check = keyword_check(SOURCE, TARGET, [BASE, PROBE], src, tgt, "cpu")
    assert check.differences == () and check.verified == frozenset({"dim"})


def test_a_copy_of_a_case_that_failed_anyway_proves_nothing() -> None:
    src = [ok(BASE, "torch.cumsum"), ok(PROBE, "torch.cumsum")]
    tgt = [raised(BASE, "mindspore.ops.cumsum"), raised(PROBE, "mindspore.ops.cumsum")]
    check = keyword_check(SOURCE, TARGET, [BASE, PROBE], src, tgt, "cpu")
    assert check.differences == () and check.verified == frozenset()


def test_keyword_cases_copy_a_few_everyday_cases_per_positional_parameter() -> None:
    from apicompat.generate import generate_cases

    spec = load_spec("specs/cumsum.yaml", check_imports=False)
    cases = generate_cases(spec, 1)
    copies = keyword_cases(spec, cases)
    assert sorted({c.by_keyword for c in copies}) == [("dim",), ("input",)]
    assert all(len([c for c in copies if c.by_keyword == (name,)]) == 2 for name in ("input", "dim"))
    ids = {c.id for c in cases}
    for copy in copies:
        base = copy.facet_dict["copies"]
        assert base in ids and copy.id not in ids and copy.facet_dict["group"] == "keyword"
        assert copy.args == next(c for c in cases if c.id == base).args
        assert all(v.dtype == "float32" for _, v in copy.args if isinstance(v, TensorArg))
