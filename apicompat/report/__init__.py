"""Report writers: pure functions of a SpecResult (Markdown page, JSON, index), and atomic writes.

The report layer imports only apicompat.records and the standard library, and Jinja2 in the
HTML writer (apicompat.report.html), which is imported on its own so that the others stay light.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from apicompat.records import SpecResult
from apicompat.report.atomic import write_text_atomic
from apicompat.report.escape import md_cell, md_inline, xml_text
from apicompat.report.index import render_index, render_index_json
from apicompat.report.json_report import FORMAT_VERSION, SCHEMA_PATH, render_json, report_dict
from apicompat.report.markdown import render_markdown

__all__ = [
    "FORMAT_VERSION",
    "SCHEMA_PATH",
    "md_cell",
    "md_inline",
    "render_index",
    "render_json",
    "render_markdown",
    "report_dict",
    "write_index",
    "write_reports",
    "write_text_atomic",
    "xml_text",
]


def write_index(results: Sequence[SpecResult], out_dir: Path) -> None:
    """Write `index.md` (the ranked mapping table) and `index.json` (the same rows as data)."""
    links = {r.spec_id: f"{r.spec_id}.md" for r in results}
    write_text_atomic(Path(out_dir) / "index.md", render_index(results, links))
    write_text_atomic(Path(out_dir) / "index.json", render_index_json(results))


def write_reports(result: SpecResult, out_dir: Path) -> list[Path]:
    """Write `<spec_id>.md` and `<spec_id>.json` into out_dir atomically; return their paths."""
    spec_id = result.spec_id
    # The id becomes a file name: refuse anything that could leave out_dir or hide the file.
    if not spec_id or spec_id.startswith(".") or any(c in spec_id for c in "/\\\0:"):
        raise ValueError(f"spec id {spec_id!r} cannot be used as a file name")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    # Render both before writing either, so a rendering error leaves no half-updated pair.
    pages = [
        (out_dir / f"{spec_id}.md", render_markdown(result)),
        (out_dir / f"{spec_id}.json", render_json(result)),
    ]
    for path, text in pages:
        write_text_atomic(path, text)
    return [path for path, _ in pages]
