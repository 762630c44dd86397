"""The faults record: a closing line on the page and the JSON `faults` object, only when faults occurred."""

from __future__ import annotations

import json
from dataclasses import replace

from test_report_data import cumsum_result

from apicompat.records import Faults
from apicompat.report import render_json, render_markdown
from apicompat.report.load import load_result
from apicompat.report.markdown import FAULTS_PREFIX

FAULTED = Faults(3, (("timeout", 1), ("worker killed", 2)))


def test_a_clean_run_has_no_faults_line_and_an_empty_record() -> None:
    result = cumsum_result()
    assert FAULTS_PREFIX not in render_markdown(result)
    assert json.loads(render_json(result))["faults"] == {"retried": 0, "reasons": {}}


def test_faults_are_one_closing_line_of_the_page() -> None:
    page = render_markdown(replace(cumsum_result(), faults=FAULTED))
    last = page.rstrip("\n").split("\n\n")[-1]
    assert last == (
        "Faults survived: 3 executions lost their worker to a fault that did not repeat "
        "(timeout: 1, worker killed: 2) and ran again; this page shows what the runs that followed measured."
    )
    one = render_markdown(replace(cumsum_result(), faults=Faults(1, (("worker killed", 1),))))
    assert "1 execution lost its worker" in one
    # Everything else on the page is the clean page's.
    assert page.replace("\n\n" + last, "") == render_markdown(cumsum_result())


def test_faults_round_trip_through_the_json() -> None:
    text = render_json(replace(cumsum_result(), faults=FAULTED))
    assert json.loads(text)["faults"] == {"retried": 3, "reasons": {"timeout": 1, "worker killed": 2}}
    assert load_result(json.loads(text)).faults == FAULTED
