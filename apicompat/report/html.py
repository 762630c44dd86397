"""The HTML site: an index with the mapping table and the support heatmap, and one page per API.

A pure function of the SpecResults, like the Markdown and JSON writers: the same
results give byte-identical files. Pages are Jinja2 templates shipped with the
package (apicompat/report/templates/) rendered with autoescaping on, so foreign
text (error messages, summaries) can never become markup. The site is static and
offline: one local stylesheet and one local script (which only sorts and filters),
no request leaves the directory, and every page reads fine without JavaScript.
Layout: docs/report-format.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from urllib.parse import quote

import jinja2

from apicompat.records import Difference, Evidence, SignatureInfo, SpecResult, TargetResult, VerdictKind
from apicompat.report.atomic import write_text_atomic
from apicompat.report.counts import case_count
from apicompat.report.escape import clean_text
from apicompat.report.heatmap import (
    LEGEND,
    HeatmapRow,
    device_columns,
    difference_anchor,
    dtype_columns,
    heatmap_rows,
)
from apicompat.report.markdown import (
    BEHAVIOUR_CATEGORIES,
    KIND_LABELS,
    NO_DIFFERENCE,
    _api_order,
    _difference_text,
    _evidence,
    _framework_order,
    _target_overview,
    framework_name,
    parameter_cells,
    plural,
    source_framework,
)

#: The files of the site besides the pages, copied verbatim from templates/static/.
ASSETS = ("assets/style.css", "assets/site.js")
#: Shown where a target has no verdict yet (the classify layer did not set one).
NOT_CLASSIFIED = "not classified"
_ORIGINS = {"docstring": "read from the docstring", "spec": "taken from the spec"}


@dataclass(frozen=True)
class IndexRow:
    """One row of the mapping table: a source API, a target, its verdict and worst severity."""

    spec_id: str
    source: str
    target: str
    namespace: str
    verdict: str  # VerdictKind value, or NOT_CLASSIFIED
    verdict_text: str
    severity: str  # Severity value, or "none"
    severity_rank: int  # sort key: 0 is the worst
    differences: int
    page: str  # relative link to the API page


@dataclass(frozen=True)
class TableRow:
    """A row of the Categories | Subcategories | source | target | Difference table."""

    category: str
    subcategory: str
    source: str
    target: str
    text: str
    anchor: str | None = None
    severity: str | None = None


@dataclass(frozen=True)
class DiffView:
    """One measured difference on the API page, with its reproducer."""

    anchor: str
    kind: str
    label: str
    text: str
    severity: str
    cases: tuple[str, ...]
    case_count: int
    example_label: str
    device: str | None
    accepted: str | None
    explained_by: str | None  # anchor of the difference that causes it
    source_code: str | None
    target_code: str | None
    source_output: str
    target_output: str


@dataclass(frozen=True)
class ExampleView:
    """A code example that was run, both sides with captured output."""

    title: str
    description: str
    source_code: str
    source_output: str
    target_code: str
    target_output: str


@dataclass(frozen=True)
class TargetView:
    """Everything the API page shows about one target."""

    api: str
    framework: str
    source: str | None
    verdict: str
    verdict_text: str
    severity: str
    overview: str
    rows: tuple[TableRow, ...]
    differences: tuple[DiffView, ...]
    evidence: Evidence | None
    examples: tuple[ExampleView, ...]


def render_html_site(results: Sequence[SpecResult]) -> dict[str, str]:
    """Every file of the site: relative POSIX path -> text (index.html, api/<spec>.html, assets/)."""
    results = sorted(results, key=lambda r: r.spec_id)
    for result in results:
        _check_id(result.spec_id)
    dtypes, devices = dtype_columns(results), device_columns(results)
    site = {path: _asset(path) for path in ASSETS}
    site["index.html"] = _render_index(results, dtypes, devices)
    for result in results:
        site[f"api/{result.spec_id}.html"] = _render_page(result)
    return dict(sorted(site.items()))


def write_html_site(results: Sequence[SpecResult], out_dir: Path) -> list[Path]:
    """Write the site into out_dir (usually `<report dir>/html`) atomically, file by file; return paths."""
    files = render_html_site(results)  # render everything before writing anything
    paths = []
    for rel, text in files.items():
        path = Path(out_dir, *rel.split("/"))
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, text)
        paths.append(path)
    return paths


def _check_id(spec_id: str) -> None:
    # The id becomes a file name, as in write_reports.
    if not spec_id or spec_id.startswith(".") or any(c in spec_id for c in "/\\\0:"):
        raise ValueError(f"spec id {spec_id!r} cannot be used as a file name")


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("apicompat.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _asset(path: str) -> str:
    name = path.split("/", 1)[1]
    return (resources.files("apicompat.report") / "templates" / "static" / name).read_text(encoding="utf-8")


def _common(results: Sequence[SpecResult]) -> dict[str, object]:
    """What every page's header needs: the title, the framework names and the versions."""
    sources = sorted({framework_name(source_framework(r)) for r in results})
    targets = sorted({framework_name(t.framework) for r in results for t in r.targets})
    src = sources[0] if len(sources) == 1 else "Source"
    tgt = targets[0] if len(targets) == 1 else "Target"
    versions = sorted({f"{fw} {v}" for r in results for fw, v in r.versions.items()})
    title = f"{src} and {tgt} API Mapping" if src != "Source" and tgt != "Target" else "API Mapping"
    return {"src": src, "tgt": tgt, "versions": versions, "site_title": title, "legend": LEGEND}


def _render_index(results: Sequence[SpecResult], dtypes: Sequence[str], devices: Sequence[str]) -> str:
    rows = sorted(
        (row for result in results for row in _index_rows(result)),
        key=lambda r: (r.source, r.target, r.spec_id),
    )
    heatmap: list[HeatmapRow] = sorted(
        (row for r in results for row in heatmap_rows(r, dtypes, devices)),
        key=lambda h: (h.source, h.target, h.spec_id),
    )
    by_key = {(r.spec_id, r.target): r for r in rows}
    return (
        _environment()
        .get_template("index.html")
        .render(
            root="",
            rows=rows,
            heatmap=[(h, by_key.get((h.spec_id, h.target))) for h in heatmap],
            dtypes=dtypes,
            devices=devices,
            specs=len(results),
            page_of=lambda spec_id: _page_link(spec_id, ""),
            filters=_filters(rows),
            **_common(results),
        )
    )


def _filters(rows: Sequence[IndexRow]) -> dict[str, list[str]]:
    """The values each filter offers, in a stable order."""
    severities = sorted({(r.severity_rank, r.severity) for r in rows})
    return {
        "verdict": sorted({r.verdict for r in rows}),
        "severity": [s for _, s in severities],
        "namespace": sorted({r.namespace for r in rows}),
    }


def _page_link(spec_id: str, root: str) -> str:
    return root + "api/" + quote(f"{spec_id}.html", safe=".-_~")


def _index_rows(result: SpecResult) -> list[IndexRow]:
    rows = []
    for target in result.targets:
        verdict, text, severity, rank = _verdict(target)
        rows.append(
            IndexRow(
                spec_id=result.spec_id,
                source=target.source or result.source,
                target=target.api,
                namespace=namespace(target.api),
                verdict=verdict,
                verdict_text=text,
                severity=severity,
                severity_rank=rank,
                differences=len(target.differences),
                page=_page_link(result.spec_id, ""),
            )
        )
    return rows


def namespace(api: str) -> str:
    """The namespace filter's value: `ops`, `mint`, `Tensor`, `nn.functional` (framework prefix dropped)."""
    parts = api.split(".")[1:-1]  # mindspore.mint.nn.functional.softmax -> mint, nn, functional
    module = ".".join(parts)
    if module.endswith("nn.functional"):
        return "nn.functional"
    return parts[0] if parts else api.split(".", 1)[0]


def _verdict(target: TargetResult) -> tuple[str, str, str, int]:
    """(kind, text, severity, severity rank): the verdict's, or measured severity when unclassified."""
    worst = min(
        (d.severity for d in target.differences if d.explained_by is None),
        key=lambda s: s.rank,
        default=None,
    )
    if target.verdict is not None:
        worst = target.verdict.severity
        kind, text = target.verdict.kind.value, clean_text(target.verdict.text)
    else:
        kind, text = NOT_CLASSIFIED, "Not classified"
    if worst is None or kind == VerdictKind.CONSISTENT.value:
        # "Consistent" has no severity to show: its minor differences are listed row by row, as the
        # Markdown page says "Consistent." without one; a badge beside it would contradict it.
        return kind, text, "none", 4
    return kind, text, worst.value, worst.rank


def _render_page(result: SpecResult) -> str:
    src = framework_name(source_framework(result))
    # The page's heatmap shows only the columns this spec has, suite-wide ones would be mostly empty.
    own_dtypes, own_devices = dtype_columns([result]), device_columns([result])
    versions = [f"{fw} {result.versions[fw]}" for fw in _framework_order(result, result.versions)]
    deviations = [
        f"{api} on {plural(result.reference_deviations[api], 'case')}"
        for api in _api_order(result, result.reference_deviations)
        if result.reference_deviations[api]
    ]
    show_device = len(result.devices) > 1
    return (
        _environment()
        .get_template("api.html")
        .render(
            root="../",
            result=result,
            title=f"Function Differences with {result.source}",
            source_sig=_signature(result.source, result.source_signature),
            target_sigs=[(_signature(t.api, t.signature), t.drift) for t in result.targets],
            summary=clean_text(result.summary),
            src=src,
            versions=versions,
            deviations=deviations,
            targets=[_target_view(result, t, src, show_device) for t in result.targets],
            heatmap=heatmap_rows(result, own_dtypes, own_devices),
            dtypes=own_dtypes,
            devices=own_devices,
            site_title=_common([result])["site_title"],
            legend=LEGEND,
        )
    )


def _signature(api: str, sig: SignatureInfo | None) -> dict[str, str | None]:
    if sig is None:
        return {"api": api, "text": None, "origin": None}
    origin = None if sig.origin == "inspect" else _ORIGINS.get(sig.origin, "origin: " + sig.origin)
    return {"api": api, "text": clean_text(sig.text), "origin": origin}


def _target_view(result: SpecResult, target: TargetResult, src: str, show_device: bool) -> TargetView:
    verdict, text, severity, _ = _verdict(target)
    anchors = {id(d): difference_anchor(d, result.spec_id, target.api) for d in target.differences}
    by_key = {d.key(result.spec_id, target.api): anchors[id(d)] for d in target.differences}
    return TargetView(
        api=target.api,
        framework=framework_name(target.framework),
        source=target.source,
        verdict=verdict,
        verdict_text=text,
        severity=severity,
        overview=_target_overview(target, src, result.cases),
        rows=tuple(_table_rows(target, show_device, anchors)),
        differences=tuple(_diff_view(d, anchors[id(d)], by_key) for d in target.differences),
        evidence=target.evidence,
        examples=tuple(
            ExampleView(
                title=clean_text(ex.title).strip(),
                description=clean_text(ex.description).strip(),
                source_code=clean_text(ex.source_code).strip("\n"),
                source_output=_output(ex.source_output),
                target_code=clean_text(ex.target_code).strip("\n"),
                target_output=_output(ex.target_output),
            )
            for ex in target.examples
        ),
    )


def _table_rows(target: TargetResult, show_device: bool, anchors: Mapping[int, str]) -> list[TableRow]:
    """The Markdown page's table, row for row, with links to the differences."""
    rows: list[TableRow] = []
    cells, unplaced = parameter_cells(target, show_device)
    for n, cell in enumerate(cells, start=1):
        first = cell.concerned[0] if cell.concerned else None
        rows.append(
            TableRow(
                "Parameters",
                f"Parameter {n}",
                cell.row.source or "-",
                cell.row.target or "-",
                clean_text(cell.text),
                anchors[id(first)] if first is not None else None,
                first.severity.value if first is not None else None,
            )
        )
    rows += [_row("Parameters", d, show_device, anchors) for d in unplaced]
    if not any(r.category == "Parameters" for r in rows):
        rows.append(TableRow("Parameters", "-", "-", "-", "No parameter mapping recorded"))
    for category, kinds in BEHAVIOUR_CATEGORIES:
        body = [
            _row(category, d, show_device, anchors) for k in kinds for d in target.differences if d.kind is k
        ]
        rows += body or [TableRow(category, "-", "-", "-", NO_DIFFERENCE)]
    return rows


def _row(category: str, diff: Difference, show_device: bool, anchors: Mapping[int, str]) -> TableRow:
    source, target = _evidence(diff)
    return TableRow(
        category,
        KIND_LABELS[diff.kind],
        clean_text(source),
        clean_text(target),
        clean_text(_difference_text(diff, show_device)),
        anchors[id(diff)],
        diff.severity.value,
    )


def _diff_view(diff: Difference, anchor: str, by_key: Mapping[str, str]) -> DiffView:
    rep = diff.reproducer
    label = ""
    if diff.cases and diff.labels:
        label = clean_text(diff.labels[0])
    return DiffView(
        anchor=anchor,
        kind=diff.kind.value,
        label=KIND_LABELS[diff.kind],
        text=clean_text(diff.summary).strip() or diff.kind.value,
        severity=diff.severity.value,
        cases=diff.cases,
        case_count=case_count(diff),
        example_label=label,
        device=diff.device,
        accepted=clean_text(diff.accepted) if diff.accepted is not None else None,
        explained_by=by_key.get(diff.explained_by) if diff.explained_by else None,
        source_code=clean_text(rep.source).strip("\n") if rep is not None else None,
        target_code=clean_text(rep.target).strip("\n") if rep is not None else None,
        source_output=_output(rep.source_output) if rep is not None else "",
        target_output=_output(rep.target_output) if rep is not None else "",
    )


_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)


def _output(text: str | None) -> str:
    """Captured output as shown under a script; `(not run)` when it was not captured."""
    if text is None:
        return "(not run)"
    body = _TRAILING_SPACE.sub("", clean_text(text).rstrip("\n"))
    return body or "(no output)"
