"""JUnit XML: the test-report format CI dashboards read (Jenkins, GitLab, GitHub, Azure).

The writer knows testcases, not differences: callers pass the failure texts,
so the listing in the XML is the same one the command line prints. The
attributes are those of the widely used Jenkins junit-10.xsd (testsuites >
testsuite > testcase with failure, skipped and system-out).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from apicompat.report.atomic import write_text_atomic
from apicompat.report.escape import xml_text

#: The failure `type` attribute of differences that fail a check.
FAILURE_TYPE = "apicompat.DifferenceChanged"


@dataclass(frozen=True)
class JUnitCase:
    """One testcase: passed, failed (message and text) or skipped (reason)."""

    name: str
    classname: str
    time: float = 0.0
    failure_message: str | None = None
    failure_text: str | None = None
    skipped: str | None = None
    system_out: str | None = None

    @property
    def failed(self) -> bool:
        """Whether the testcase failed."""
        return self.failure_message is not None or self.failure_text is not None


@dataclass(frozen=True)
class JUnitSuite:
    """One testsuite: its testcases, time, and properties (framework versions, seed)."""

    name: str
    cases: tuple[JUnitCase, ...]
    time: float = 0.0
    properties: tuple[tuple[str, str], ...] = ()


def render_junit(suites: Sequence[JUnitSuite], name: str = "apicompat") -> str:
    """The JUnit XML document: UTF-8, indented, with counts on every suite and on the root."""
    root = ET.Element("testsuites")
    totals = {"tests": 0, "failures": 0, "time": 0.0}
    for suite in suites:
        failures = sum(1 for c in suite.cases if c.failed)
        skipped = sum(1 for c in suite.cases if c.skipped is not None and not c.failed)
        element = ET.SubElement(
            root,
            "testsuite",
            {
                "name": xml_text(suite.name),
                "tests": str(len(suite.cases)),
                "failures": str(failures),
                "errors": "0",
                "skipped": str(skipped),
                "time": _seconds(suite.time),
            },
        )
        if suite.properties:
            props = ET.SubElement(element, "properties")
            for key, value in suite.properties:
                ET.SubElement(props, "property", {"name": xml_text(key), "value": xml_text(value)})
        for case in suite.cases:
            _testcase(element, case)
        totals["tests"] += len(suite.cases)
        totals["failures"] += failures
        totals["time"] += _finite(suite.time)
    root.attrib.update(
        {
            "name": xml_text(name),
            "tests": str(totals["tests"]),
            "failures": str(totals["failures"]),
            "errors": "0",
            "time": _seconds(totals["time"]),
        }
    )
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_junit(path: str | Path, suites: Sequence[JUnitSuite], name: str = "apicompat") -> None:
    """Write the JUnit XML document atomically, creating the parent directory."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, render_junit(suites, name))


def _testcase(parent: ET.Element, case: JUnitCase) -> None:
    element = ET.SubElement(
        parent,
        "testcase",
        {"classname": xml_text(case.classname), "name": xml_text(case.name), "time": _seconds(case.time)},
    )
    if case.failed:
        failure = ET.SubElement(
            element, "failure", {"message": xml_text(case.failure_message or ""), "type": FAILURE_TYPE}
        )
        failure.text = xml_text(case.failure_text or "")
    elif case.skipped is not None:
        ET.SubElement(element, "skipped", {"message": xml_text(case.skipped)})
    if case.system_out:
        ET.SubElement(element, "system-out").text = xml_text(case.system_out)


def _finite(value: float) -> float:
    """A duration that can be added up: NaN, infinities and negatives count as 0."""
    return value if 0 < value < float("inf") else 0.0


def _seconds(value: float) -> str:
    """Seconds with millisecond precision, digits only (the XSD's SUREFIRE_TIME)."""
    return f"{_finite(value):.3f}"
