"""The HTML site in a real browser (headless Chromium): rows, filters, sorting, links, offline, no-JS.

The fast tests open a site rendered from hand-built records; the `frameworks` test
runs `apicompat report specs --html` on every shipped spec with real torch and
MindSpore and checks the site it writes. Screenshots land in .artifacts/html/.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from browser import Visit, launch, screenshot, visit
from html_data import graded_results
from shipped_suite import ShippedRun

from apicompat.report.html import write_html_site

if TYPE_CHECKING:
    from playwright.sync_api import Browser

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launch() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("site") / "html"
    write_html_site(graded_results(), directory)
    return directory


def visible_rows(seen: Visit, table: str) -> list[str]:
    """The first cell's text of each visible body row of a table."""
    rows = seen.page.locator(f"#{table} tbody tr:visible")
    return [rows.nth(i).locator("th, td").first.inner_text().strip() for i in range(rows.count())]


def offline(seen: Visit) -> None:
    """Nothing but file:// was asked for, and no script failed."""
    assert seen.requests and all(url.startswith("file://") for url in seen.requests), seen.requests
    assert not seen.errors, seen.errors


def test_index_renders_every_api_row(browser: Browser, site: Path, tmp_path: Path) -> None:
    with visit(browser, site / "index.html") as seen:
        targets = [t.api for r in graded_results() for t in r.targets]
        rows = seen.page.locator("#mapping-table tbody tr:visible")
        assert rows.count() == len(targets) == 4
        shown = sorted(rows.nth(i).locator("td").nth(1).inner_text() for i in range(rows.count()))
        assert shown == sorted(targets)
        assert seen.page.locator("#f-count").inner_text() == "4 of 4 rows"
        screenshot(seen.page, tmp_path, "fake-index.png", full_page=True)
        offline(seen)


def test_filtering_by_severity_hides_the_others(browser: Browser, site: Path) -> None:
    with visit(browser, site / "index.html") as seen:
        seen.page.select_option("#f-severity", "silent")
        rows = seen.page.locator("#mapping-table tbody tr:visible")
        assert rows.count() == 1 and rows.first.get_attribute("data-severity") == "silent"
        assert seen.page.locator("#mapping-table tbody tr[hidden]").count() == 3
        assert seen.page.locator("#heatmap-table tbody tr:visible").count() == 1  # the heatmap follows
        assert seen.page.locator("#f-count").inner_text() == "1 of 4 rows"
        seen.page.select_option("#f-severity", "")
        seen.page.select_option("#f-namespace", "nn.functional")
        assert visible_rows(seen, "mapping-table") == ["torch.nn.functional.softmax"]
        seen.page.select_option("#f-namespace", "")
        seen.page.fill("#f-text", "TENSOR.cumsum")
        assert seen.page.locator("#mapping-table tbody tr:visible td:nth-child(2)").all_inner_texts() == [
            "mindspore.Tensor.cumsum"
        ]
        seen.page.fill("#f-text", "")
        seen.page.select_option("#f-verdict", "not classified")
        assert visible_rows(seen, "mapping-table") == ["torch.abs"]
        offline(seen)


def test_sorting_by_severity_puts_the_worst_first(browser: Browser, site: Path) -> None:
    with visit(browser, site / "index.html") as seen:
        seen.page.click("#mapping-table thead th:nth-child(4) button")
        severities = seen.page.locator("#mapping-table tbody tr").evaluate_all(
            "rows => rows.map(r => r.dataset.severity)"
        )
        assert severities == ["silent", "loud", "none", "none"]
        seen.page.click("#mapping-table thead th:nth-child(4) button")
        assert (
            seen.page.locator("#mapping-table thead th:nth-child(4)").get_attribute("aria-sort")
            == "descending"
        )
        first = seen.page.locator("#mapping-table tbody tr").first.get_attribute("data-severity")
        assert first == "none"


def test_a_heatmap_cell_links_to_its_difference(browser: Browser, site: Path, tmp_path: Path) -> None:
    with visit(browser, site / "index.html") as seen:
        cell = seen.page.locator("#heatmap-table td.o-loud a").first
        tooltip = cell.get_attribute("title") or ""
        assert "Cases: " in tooltip and "rejects" in tooltip
        anchor = (cell.get_attribute("href") or "").split("#")[1]
        cell.click()
        seen.page.wait_for_load_state()
        assert seen.page.url.endswith(f"#{anchor}")
        target = seen.page.locator(f"article#{anchor}")
        assert target.is_visible() and "rejects" in target.inner_text()
        assert target.evaluate("el => el.matches(':target')")
        # On the API page itself, the page's own heatmap links to the same articles.
        own = seen.page.locator("table.heatmap td a").first
        own_anchor = (own.get_attribute("href") or "").lstrip("#")
        assert seen.page.locator(f"article#{own_anchor}").count() == 1
        offline(seen)


def test_api_page_screenshot_and_no_request_leaves_the_site(
    browser: Browser, site: Path, tmp_path: Path
) -> None:
    for page in sorted((site / "api").glob("*.html")):
        with visit(browser, page) as seen:
            assert seen.page.locator("h1").inner_text().startswith("Function Differences with")
            if page.stem == "cumsum":
                screenshot(seen.page, tmp_path, "fake-api-cumsum.png", full_page=True)
            offline(seen)


def test_readable_without_javascript(browser: Browser, site: Path) -> None:
    with visit(browser, site / "index.html", javascript=False) as seen:
        assert seen.page.locator("#mapping-table tbody tr:visible").count() == 4
        assert not seen.page.locator("#filters").is_visible()  # the controls need the script
        assert seen.page.locator("#heatmap-table td.cell").count() > 0


@pytest.mark.frameworks
def test_site_for_every_shipped_spec(browser: Browser, tmp_path: Path, shipped_run: ShippedRun) -> None:
    """`apicompat report specs --html` with real frameworks: the site passes the same checks, and the
    site `merge --html` writes from the same JSON is byte-identical (the writer is a pure function of
    the results; that a run's results repeat is the reports drift test's job). The run is the
    session's one run of every shipped spec (tests/conftest.py), shared with the drift test."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    first = shipped_run.out
    assert shipped_run.returncode == 0, shipped_run.stderr[-3000:]
    assert re.search(r"^apicompat report: \d+ spec\(s\)", shipped_run.stdout, re.M)  # --quiet: the summary
    second = tmp_path / "second"
    merge = [sys.executable, "-m", "apicompat", "merge", str(first), "--html", "--out", str(second)]
    done = subprocess.run(merge, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    runs = [first, second]
    files = [sorted(p.relative_to(run) for p in (run / "html").rglob("*") if p.is_file()) for run in runs]
    assert files[0] == files[1]
    for rel in files[0]:
        assert (runs[0] / rel).read_bytes() == (runs[1] / rel).read_bytes(), rel  # byte-identical

    site = runs[0] / "html"
    reports = [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(runs[0].glob("*.json"))
        if p.name != "index.json"
    ]
    targets = sorted(t["api"] for r in reports for t in r["targets"])
    assert len(reports) >= 150 and len(list((site / "api").glob("*.html"))) == len(reports)
    with visit(browser, site / "index.html") as seen:
        shown = seen.page.locator("#mapping-table tbody tr:visible td:nth-child(2)").all_inner_texts()
        assert sorted(shown) == targets
        screenshot(seen.page, tmp_path, "specs-index.png", full_page=True)
        worst = seen.page.locator("#f-severity option").nth(1).get_attribute("value") or ""
        seen.page.select_option("#f-severity", worst)
        kept = seen.page.locator("#mapping-table tbody tr:visible").evaluate_all(
            "rows => rows.map(r => r.dataset.severity)"
        )
        assert kept and set(kept) == {worst}
        linked = seen.page.locator("#heatmap-table td a").first
        anchor = (linked.get_attribute("href") or "").split("#")[1]
        linked.click()
        seen.page.wait_for_load_state()
        assert seen.page.locator(f"article#{anchor}").is_visible()
        offline(seen)
    for page in sorted((site / "api").glob("*.html")):
        with visit(browser, page) as seen:
            if page.stem == "cumsum":
                screenshot(seen.page, tmp_path, "specs-api-cumsum.png")
            offline(seen)
