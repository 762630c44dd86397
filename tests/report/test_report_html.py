"""The HTML site without a browser: files, links, escaping, offline, determinism, the page's content."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import pytest
from html_data import graded_cumsum, graded_results
from test_report_data import EVIL_MESSAGE

from apicompat.records import DiffKind
from apicompat.report.escape import clean_text
from apicompat.report.html import NOT_CLASSIFIED, namespace, render_html_site, write_html_site


class Page(HTMLParser):
    """The ids, links (href/src) and visible text of one page."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append((tag, found))
        if found.get("id"):
            self.ids.add(str(found["id"]))
        for name in ("href", "src"):
            if found.get(name) is not None:
                self.links.append(str(found[name]))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())


@pytest.fixture(scope="module")
def site() -> dict[str, str]:
    return render_html_site(graded_results())


def test_site_has_an_index_a_page_per_spec_and_local_assets(site: dict[str, str]) -> None:
    pages = ["api/abs.html", "api/cumsum.html", "api/softmax.html", "index.html"]
    assert sorted(site) == sorted([*pages, "assets/site.js", "assets/style.css"])
    assert all(text.endswith("\n") for text in site.values())


def test_every_link_resolves_inside_the_site_and_every_anchor_exists(site: dict[str, str]) -> None:
    pages = {path: Page(text) for path, text in site.items() if path.endswith(".html")}
    checked = 0
    for path, page in pages.items():
        for link in page.links:
            parts = urlsplit(link)
            assert not parts.scheme and not parts.netloc, f"{path}: external link {link}"
            target = str(PurePosixPath(path).parent / unquote(parts.path)) if parts.path else path
            target = _normalize(target)
            assert target in site, f"{path}: broken link {link}"
            if parts.fragment:
                assert parts.fragment in pages[target].ids, f"{path}: no #{parts.fragment} in {target}"
                checked += 1
    assert checked > 10


def _normalize(path: str) -> str:
    out: list[str] = []
    for part in path.split("/"):
        if part == "..":
            out.pop()
        elif part not in ("", "."):
            out.append(part)
    return "/".join(out)


def test_no_file_can_make_a_network_request(site: dict[str, str]) -> None:
    for path, text in site.items():
        assert not re.search(r"\b(?:https?|ftp|wss?|file):", text), path  # no absolute URL at all
        assert not re.search(r"""(?:href|src)=["']?//""", text), path  # nor a scheme-relative one
        assert "@import" not in text and "url(" not in text and "@font-face" not in text, path
    assert "default-src 'none'" in site["index.html"]  # and the browser is told to refuse any other


def test_foreign_text_is_escaped_not_markup(site: dict[str, str]) -> None:
    page = site["api/cumsum.html"]
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "\x1b" not in page and "\x00" not in page
    assert clean_text(EVIL_MESSAGE).split("\n")[0] in html.unescape(page)
    assert "javascript:" not in "".join(Page(page).links)


def test_same_results_give_the_same_bytes_in_any_order() -> None:
    results = graded_results()
    assert render_html_site(results) == render_html_site(list(reversed(results)))


def test_index_rows_carry_verdict_severity_and_namespace(site: dict[str, str]) -> None:
    rows = [attrs for tag, attrs in Page(site["index.html"]).tags if tag == "tr" and "data-verdict" in attrs]
    table = {(r["data-search"] or "").split(" ")[1]: r for r in rows[: len(rows) // 2]}
    assert set(table) == {
        "mindspore.ops.cumsum", "mindspore.tensor.cumsum", "mindspore.ops.abs",
        "mindspore.mint.nn.functional.softmax",
    }  # fmt: skip
    ops = table["mindspore.ops.cumsum"]
    assert (ops["data-verdict"], ops["data-severity"], ops["data-namespace"]) == ("differs", "silent", "ops")
    softmax = table["mindspore.mint.nn.functional.softmax"]
    assert (softmax["data-severity"], softmax["data-namespace"]) == ("loud", "nn.functional")
    assert table["mindspore.tensor.cumsum"]["data-verdict"] == "consistent_interface"
    assert table["mindspore.ops.abs"]["data-verdict"] == NOT_CLASSIFIED  # no verdict: said so


def test_unclassified_targets_say_so(site: dict[str, str]) -> None:
    words = Page(site["api/abs.html"]).words
    assert "Not classified" in words and "No evidence ledger was recorded" in words


def test_api_page_has_the_markdown_pages_content(site: dict[str, str]) -> None:
    result = graded_cumsum()
    words = html.unescape(Page(site["api/cumsum.html"]).words)
    assert "Function Differences with torch.cumsum" in words
    assert "240 executed cases (seed 0) on cpu, gpu, with torch 2.13.0, mindspore 2.10.0" in words
    for sig in (result.source_signature, result.targets[0].signature):
        assert sig is not None and sig.text in words
    assert "(read from the docstring)" in words and "The signature could not be read." in words
    for diff in result.targets[0].differences:
        assert " ".join(clean_text(diff.summary).split()) in words
    assert "Categories Subcategories PyTorch MindSpore Difference" in words
    assert "Parameter 2 dim axis" in words
    assert "Code Example 1: sum along the last axis" in words and "[[1. 3.] [3. 7.]]" in words
    assert "torch.int64" in words and "Int8" in words  # a reproducer's captured output
    assert "(not run)" in words  # a reproducer whose output was not captured
    assert "Differs: int8 and int16 sums are promoted" in words  # the verdict


def test_every_difference_has_an_anchor_and_the_heatmap_links_to_them(site: dict[str, str]) -> None:
    page = Page(site["api/cumsum.html"])
    articles = [a["id"] for tag, a in page.tags if tag == "article"]
    assert len(articles) == len(graded_cumsum().targets[0].differences)
    cell_links = {link.split("#")[1] for link in page.links if "#d-" in link}
    assert cell_links <= set(articles) and len(cell_links) >= 3
    index_links = [link for link in Page(site["index.html"]).links if "#d-" in link]
    assert index_links and all(link.startswith("api/") for link in index_links)


def test_ledger_is_shown_per_dtype(site: dict[str, str]) -> None:
    words = Page(site["api/cumsum.html"]).words
    assert "Not exercised by any compared case: dtype." in words
    assert "uint16 0 6 0 0 0" in words  # compared, only target raised, only source, both, not run


def test_legend_names_every_outcome_in_words(site: dict[str, str]) -> None:
    words = Page(site["index.html"]).words
    for label in ("same", "differs silently", "raises where the source returns", "not run", "both raise"):
        assert label in words


@pytest.mark.parametrize(
    ("api", "expected"),
    [
        ("mindspore.ops.cumsum", "ops"),
        ("mindspore.mint.cumsum", "mint"),
        ("mindspore.Tensor.cumsum", "Tensor"),
        ("mindspore.mint.nn.functional.softmax", "nn.functional"),
        ("mindspore.nn.functional.softmax", "nn.functional"),
        ("cumsum", "cumsum"),
    ],
)
def test_namespace(api: str, expected: str) -> None:
    assert namespace(api) == expected


def test_writes_the_rendered_files(tmp_path: Path) -> None:
    results = graded_results()
    paths = write_html_site(results, tmp_path / "html")
    rendered = render_html_site(results)
    assert {p.relative_to(tmp_path / "html").as_posix() for p in paths} == set(rendered)
    for path in paths:
        assert path.read_text(encoding="utf-8") == rendered[path.relative_to(tmp_path / "html").as_posix()]


def test_a_spec_id_that_is_no_file_name_is_refused() -> None:
    from dataclasses import replace

    with pytest.raises(ValueError, match="file name"):
        render_html_site([replace(graded_cumsum(), spec_id="../evil")])


def test_kinds_shown_have_labels(site: dict[str, str]) -> None:
    words = Page(site["api/cumsum.html"]).words
    assert all(kind.value in words for kind in (DiffKind.OUTPUT_DTYPE, DiffKind.INPUT_DTYPE_SUPPORT))


def test_a_consistent_target_with_a_minor_difference_shows_no_severity_badge() -> None:
    from dataclasses import replace

    from apicompat.records import Severity, Verdict, VerdictKind

    cumsum = graded_cumsum()
    ops, method = cumsum.targets
    minor = replace(ops.differences[-1], kind=DiffKind.ERROR_BEHAVIOR, severity=Severity.MINOR)
    consistent = replace(
        ops, differences=(minor,), verdict=Verdict(VerdictKind.CONSISTENT, "Consistent", Severity.MINOR)
    )
    site = render_html_site([replace(cumsum, targets=(consistent, method))])
    rows = [a for tag, a in Page(site["index.html"]).tags if tag == "tr" and "data-verdict" in a]
    row = next(r for r in rows if r["data-verdict"] == "consistent")
    assert row["data-severity"] == "none"
    page = site["api/cumsum.html"]
    verdict_line = next(line for line in page.splitlines() if 'v-consistent"' in line and "Verdict:" in line)
    assert "sev-minor" not in verdict_line and "sev-none" in verdict_line
    assert "sev-minor" in page  # the minor difference itself keeps its badge in its row
