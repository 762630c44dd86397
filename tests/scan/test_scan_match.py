"""Matching traced APIs with specs, and reading each candidate's verdict from the reports."""

from __future__ import annotations

from pathlib import Path

from scan_helpers import REPO, result, softmax_call, use, write

from apicompat.records import Severity, VerdictKind
from apicompat.records.scan import ApiCategory
from apicompat.scan.match import find_spec, readiness_rows, spec_index
from apicompat.spec import load_specs

SPECS = load_specs([REPO / "specs"], check_imports=False)
INDEX = spec_index(SPECS)


def test_names_find_their_specs_by_source_method_and_alias() -> None:
    found = {n: find_spec(n, INDEX) for n in (
        "torch.nn.functional.softmax", "torch.Tensor.cumsum", "torch.Tensor.softmax", "torch.softmax",
        "torch.Tensor.transpose", "torch.nn.functional.conv2d", "torch.Tensor.contiguous",
    )}  # fmt: skip
    assert {n: (m.spec.id, m.how) if m else None for n, m in found.items()} == {
        "torch.nn.functional.softmax": ("softmax", "source"),
        "torch.Tensor.cumsum": ("cumsum", "method"),
        "torch.Tensor.softmax": ("softmax", "as torch.nn.functional.softmax"),
        "torch.softmax": ("softmax", "as torch.nn.functional.softmax"),
        "torch.Tensor.transpose": ("transpose", "as torch.transpose"),
        "torch.nn.functional.conv2d": ("conv2d", "source"),
        "torch.Tensor.contiguous": None,
    }


def test_rows_carry_verdicts_severities_and_page_links(tmp_path: Path) -> None:
    reports, out = tmp_path / "reports", tmp_path / "out"
    write(result("softmax", "torch.nn.functional.softmax", {
        "mindspore.ops.softmax": (VerdictKind.DIFFERS, Severity.SILENT),
        "mindspore.mint.nn.functional.softmax": (VerdictKind.CONSISTENT, None),
    }), reports)  # fmt: skip
    apis = (
        use("torch.Tensor.softmax", signatures=(softmax_call(),)),
        use("torch.Tensor.contiguous"),
        use("torch.nn.functional.dropout", ApiCategory.RANDOM),
        use("torch.Tensor.size", ApiCategory.ATTRIBUTE),
    )
    rows, problems = readiness_rows(apis, SPECS, reports, out)
    softmax, view, dropout, size = rows
    assert problems == ()
    assert softmax.spec_id == "softmax" and softmax.matched_as == "as torch.nn.functional.softmax"
    by_api = {c.api: c for c in softmax.candidates}
    ops = by_api["mindspore.ops.softmax"]
    assert (ops.verdict, ops.severity, ops.verdict_text, ops.differences) == (
        VerdictKind.DIFFERS, Severity.SILENT, "Differs: values", 1,
    )  # fmt: skip
    assert ops.page == "../reports/softmax.md"
    assert by_api["mindspore.mint.nn.functional.softmax"].severity is None
    assert (
        view.spec_id is None
        and view.init_command == "apicompat init torch.Tensor.contiguous mindspore.Tensor.contiguous"
    )
    assert dropout.init_command is None and size.init_command is None  # never compared


def test_a_missing_or_unreadable_report_is_said_once(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "softmax.json").write_text('{"format_version": 1, "spec": "softmax", "targets": []}')
    rows, problems = readiness_rows(
        (use("torch.nn.functional.softmax"), use("torch.nn.functional.linear")), SPECS, reports, tmp_path
    )
    assert dict(problems).keys() == {"linear", "softmax"}
    assert dict(problems)["linear"] == "no linear.json"
    assert "format_version" in dict(problems)["softmax"] or "format" in dict(problems)["softmax"]
    assert all(c.verdict_text == "no report" and c.page is None for r in rows for c in r.candidates)


def test_severity_comes_from_the_verdict_or_its_differences() -> None:
    from dataclasses import replace

    from scan_helpers import result

    from apicompat.scan.match import worst_severity

    (target,) = result("x", "torch.x", {"mindspore.x": (VerdictKind.DIFFERS, Severity.LOUD)}).targets
    assert worst_severity(target) is Severity.LOUD
    unstated = replace(target, verdict=replace(target.verdict, severity=None))  # type: ignore[type-var]
    assert worst_severity(unstated) is Severity.LOUD  # the difference's own
    assert worst_severity(replace(target, verdict=None)) is None  # a report from before verdicts
