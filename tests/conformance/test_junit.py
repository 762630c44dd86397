"""JUnit XML: valid against junit-10.xsd, one testcase per unit, the shared listing as failure text."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conformance_helpers import CUMSUM_DIFFS, TARGET, diff, result
from junit_schema import junit_problems

from apicompat.conformance import Baseline, format_unit, judge, junit_suites, updated_baseline
from apicompat.report.junit import FAILURE_TYPE, JUnitCase, JUnitSuite, render_junit, write_junit

NASTY = "a]]><script>&\x1b[31mred\x1b[0m\x00\x07\ud800 \"q\" 'q' \u2603\n\tend"


def test_the_validator_rejects_what_the_schema_forbids() -> None:
    assert set(junit_problems('<testsuites><testsuite name="x" tests="1"/></testsuites>')) == {
        "testsuites/testsuite: missing required attribute 'failures'",
        "testsuites/testsuite: missing required attribute 'errors'",
    }
    bad = (
        '<testsuites skipped="1"><testsuite name="x" tests="1" failures="0" errors="0" time="1s">'
        '<testcase name="t"><properties/>text</testcase></testsuite></testsuites>'
    )
    problems = junit_problems(bad)
    assert "testsuites: attribute 'skipped' is not allowed" in problems
    assert "testsuites/testsuite: time='1s' does not match SUREFIRE_TIME" in problems
    assert "testsuites/testsuite/testcase: <properties> is not allowed inside <testcase>" in problems
    assert "testsuites/testsuite/testcase: text is not allowed here" in problems


def test_an_empty_run_is_a_valid_document() -> None:
    text = render_junit([])
    assert junit_problems(text) == []
    assert ET.fromstring(text).attrib == {
        "name": "apicompat",
        "tests": "0",
        "failures": "0",
        "errors": "0",
        "time": "0.000",
    }


def test_counts_states_and_foreign_text_survive_as_valid_xml(tmp_path: Path) -> None:
    suites = [
        JUnitSuite(
            name=f"apicompat.{NASTY}",
            cases=(
                JUnitCase("passes", "c", system_out=NASTY),
                JUnitCase("fails", "c", 0.25, failure_message=NASTY, failure_text=NASTY),
                JUnitCase("skips", "c", skipped=NASTY),
            ),
            time=1.5,
            properties=(("version.torch", NASTY),),
        ),
        JUnitSuite(name="second", cases=(JUnitCase("x", "c"),), time=float("nan")),
    ]
    write_junit(tmp_path / "sub" / "junit.xml", suites)
    text = (tmp_path / "sub" / "junit.xml").read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    assert junit_problems(text) == []
    root = ET.fromstring(text.encode("utf-8"))
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("time")) == (
        "4",
        "1",
        "0",
        "1.500",
    )
    first, second = root.findall("testsuite")
    assert (first.get("tests"), first.get("failures"), first.get("skipped")) == ("3", "1", "1")
    assert second.get("time") == "0.000"
    failure = first.find("testcase[@name='fails']/failure")
    assert failure is not None and failure.get("type") == FAILURE_TYPE
    # Markup-like text stays text; only what XML 1.0 cannot hold is dropped.
    assert failure.text == failure.get("message") == "a]]><script>&red\ufffd \"q\" 'q' \u2603\n\tend"
    assert "\ufffd" in (first.find("testcase[@name='passes']/system-out").text or "")  # type: ignore[union-attr]
    skipped = first.find("testcase[@name='skips']/skipped")
    assert skipped is not None and "<script>" in (skipped.get("message") or "")


def test_one_suite_per_spec_and_one_testcase_per_unit_with_the_shared_listing() -> None:
    res_a, res_b = result("a", CUMSUM_DIFFS), result("b", CUMSUM_DIFFS)
    baseline = updated_baseline(Baseline(), [res_a, res_b], ("cpu",))
    dropped = f"a::{TARGET}::output_dtype::int8->int64"
    baseline = Baseline(tuple(e for e in baseline.entries if e.key != dropped))
    verdict = judge([res_a, res_b], baseline, ("cpu", "gpu"))
    text = render_junit(junit_suites(verdict, [res_a, res_b], {"a": 2.0, "b": 1.0}))
    assert junit_problems(text) == []
    root = ET.fromstring(text)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["apicompat.a", "apicompat.b"]
    assert [s.get("time") for s in suites] == ["2.000", "1.000"]
    assert root.get("tests") == str(len(verdict.units)) == str(2 * (3 + 2 * 11))
    cases = suites[0].findall("testcase")
    assert {c.get("classname") for c in cases} == {"apicompat.a"}
    failed = [c for c in cases if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == [f"{TARGET}[cpu-output_dtype]"]
    failure = failed[0].find("failure")
    assert failure is not None
    unit = next(u for u in verdict.units if u.failed)
    assert failure.text == format_unit(unit)  # the same listing as the CLI
    assert failure.get("message") == "1 new difference: int8->int64"
    assert "reproducer:" in (failure.text or "")
    # gpu was asked for but not measured: skipped, not passed
    assert all(c.find("skipped") is not None for c in cases if "[gpu-" in (c.get("name") or ""))
    # accepted differences are visible on passing testcases
    accepted = suites[1].find(f"testcase[@name='{TARGET}[any-param_only_in_one]']/system-out")
    assert accepted is not None and "OK    b::" in (accepted.text or "")
    props = {p.get("name"): p.get("value") for p in suites[0].iter("property")}
    assert props["version.mindspore"] == "2.10.0" and props["seed"] == "7"


@pytest.mark.parametrize("strict", [True, False])
def test_stale_entries_fail_when_strict_and_are_noted_otherwise(strict: bool) -> None:
    res = result("a", ())
    stale = updated_baseline(Baseline(), [result("a", (diff("value_mismatch", "float16"),))], ("cpu",))
    root = ET.fromstring(render_junit(junit_suites(judge([res], stale, ("cpu",), strict=strict), [res])))
    case = root.find(f".//testcase[@name='{TARGET}[cpu-value_mismatch]']")
    assert case is not None
    assert (case.find("failure") is not None) is strict
    note = case.find("system-out")
    assert (note is not None and "not failing" in (note.text or "")) is not strict
