"""The porting-readiness page of a traced script (`apicompat scan`): pure functions of a Readiness record."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from apicompat.records import Severity
from apicompat.records.scan import (
    ApiCategory,
    ApiReadiness,
    ApiUse,
    CallSeen,
    CandidateReadiness,
    DtypeSeen,
    OtherSeen,
    Readiness,
    TensorSeen,
)
from apicompat.report.escape import md_cell, md_inline, md_table_row

#: The readiness JSON's own version (the per-spec report format is separate).
READINESS_FORMAT = 1
#: Signatures a table cell shows per API (the JSON keeps every one recorded).
_SHOWN_SIGNATURES = 3
#: ATen operators a cell shows per unmeasured API.
_SHOWN_LOWERINGS = 8
_SETUP = (ApiCategory.CREATION, ApiCategory.ATTRIBUTE, ApiCategory.AUTOGRAD)


@dataclass(frozen=True)
class Tally:
    """The counts behind the summary line."""

    apis: int  # operations and random calls: what a port has to map
    measured: int  # operations a spec measures
    silent: int  # measured operations with a candidate whose worst difference is silent
    not_measured: int
    random: int
    setup: int  # creation, attribute reads and autograd calls, listed apart
    forward: int  # operations called inside a module's forward
    forward_measured: int
    unjudged: int  # measured operations with a candidate whose report gives no verdict


def tally(readiness: Readiness) -> Tally:
    """Count the rows the summary line speaks of."""
    ops = [r for r in readiness.apis if r.use.category is ApiCategory.OPERATION]
    measured = [r for r in ops if r.spec_id is not None]
    silent = [r for r in measured if any(c.severity is Severity.SILENT for c in r.candidates)]
    random = [r for r in readiness.apis if r.use.category is ApiCategory.RANDOM]
    forward = [r for r in ops if r.use.in_forward]
    return Tally(
        apis=len(ops) + len(random),
        measured=len(measured),
        silent=len(silent),
        not_measured=len(ops) - len(measured),
        random=len(random),
        setup=len(readiness.apis) - len(ops) - len(random),
        forward=len(forward),
        forward_measured=sum(1 for r in forward if r.spec_id is not None),
        unjudged=sum(1 for r in measured if any(c.verdict is None for c in r.candidates)),
    )


def _code(text: str) -> str:
    """A table cell holding `text` as a code span (escaped instead, where a span could not hold it)."""
    return md_cell(f"`{text}`")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def summary_line(readiness: Readiness) -> str:
    """`12 APIs; 9 measured; 1 silent hazard; 2 not measured; 1 random (not compared)`."""
    t = tally(readiness)
    parts = [
        _plural(t.apis, "API"),
        f"{t.measured} measured",
        _plural(t.silent, "silent hazard")
        + (f" (severity unknown for {t.unjudged}: their reports give no verdict)" if t.unjudged else ""),
        f"{t.not_measured} not measured",
    ]
    if t.random:
        parts.append(f"{t.random} random (not compared)")
    return "; ".join(parts)


def _signatures(use: ApiUse) -> str:
    shown = [f"{_code(s.describe())} ×{s.count}" for s in use.signatures[:_SHOWN_SIGNATURES]]
    more = len(use.signatures) - _SHOWN_SIGNATURES
    if more > 0:
        shown.append(f"and {more} more")
    return "<br>".join(shown)


def _severity(candidate: CandidateReadiness) -> str:
    """The worst severity; `—` for a verdict with no difference, `unknown` without a verdict."""
    if candidate.severity is not None:
        return candidate.severity.value
    return "—" if candidate.verdict is not None else "unknown"


def _verdict(candidate: CandidateReadiness) -> str:
    text = md_cell(candidate.verdict_text)
    return f"[{text}]({candidate.page})" if candidate.page else text


def _measured_table(rows: list[ApiReadiness]) -> list[str]:
    lines = [
        "| API | calls | signatures seen | spec | MindSpore candidate | verdict | worst severity |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        first = True
        for candidate in row.candidates or (None,):
            head = [_code(row.use.name), str(row.use.calls), _signatures(row.use), _spec_cell(row)]
            cells = head if first else ["", "", "", ""]
            if candidate is None:
                cells += ["(no MindSpore target)", "", ""]
            else:
                cells += [_code(candidate.api), _verdict(candidate), _severity(candidate)]
            lines.append(md_table_row(cells))
            first = False
    return lines


def _spec_cell(row: ApiReadiness) -> str:
    how = "" if row.matched_as in ("source", "method") else f" ({md_cell(row.matched_as)})"
    return f"{_code(str(row.spec_id))}{how}"


def _calls_table(rows: list[ApiReadiness]) -> list[str]:
    lines = ["| API | call (generated values) | MindSpore candidate | outcome |", "|---|---|---|---|"]
    for row in rows:
        for outcome in row.measured_calls:
            severity = f" ({outcome.severity.value})" if outcome.severity is not None else ""
            cells = [
                _code(row.use.name),
                _code(outcome.call),
                _code(outcome.target),
                md_cell(outcome.outcome) + severity,
            ]
            lines.append(md_table_row(cells))
    return lines


def render_readiness_markdown(readiness: Readiness) -> str:
    """The readiness page: summary, measured APIs with each candidate, unmeasured ones with an init line."""
    trace = readiness.trace
    t = tally(readiness)
    rows = readiness.apis
    ops = [r for r in rows if r.use.category is ApiCategory.OPERATION]
    measured = [r for r in ops if r.spec_id is not None]
    unmeasured = [r for r in ops if r.spec_id is None]
    random = [r for r in rows if r.use.category is ApiCategory.RANDOM]
    setup = [r for r in rows if r.use.category in _SETUP]
    out = [
        f"# Porting readiness: {md_inline(trace.script)}",
        "",
        f"**{summary_line(readiness)}**",
        "",
        f"Traced with torch {md_inline(trace.torch_version)}: every public torch call the script made "
        "(functions, `torch.Tensor` methods, `torch.nn.functional`), with the dtypes, shapes and "
        "non-tensor arguments seen, never the data. Verdicts are read from the spec reports in "
        f"{md_inline(f'`{readiness.reports_dir}`')}. Inside a module's forward: {t.forward_measured} of "
        f"{t.forward} operations are measured by a spec.",
        "",
    ]
    if measured:
        out += ["## Measured by a spec", "", *_measured_table(measured), ""]
    if readiness.report_problems:
        out += ["Reports that could not be read:", ""]
        out += [f"- {_code(spec_id)}: {md_inline(why)}" for spec_id, why in readiness.report_problems]
        out += ["", f"Write them with `apicompat report specs --out {md_inline(readiness.reports_dir)}`.", ""]
    if readiness.measured_run and any(r.measured_calls for r in measured):
        out += [
            "## On this script's own call signatures",
            "",
            "Each distinct call was run again with generated values of the recorded dtypes and shapes "
            "(`scan --measure`), on both sides, through the normal pipeline.",
            "",
            *_calls_table(measured),
            "",
        ]
    if unmeasured:
        out += [
            "## Not measured by any spec",
            "",
            "What a call lowers to (the ATen operators it dispatched) hints at the specs that would "
            "measure it piece by piece.",
            "",
            "| API | calls | signatures seen | lowers to | start a spec |",
            "|---|---|---|---|---|",
        ]
        for row in unmeasured:
            shown = row.use.lowers_to[:_SHOWN_LOWERINGS]
            lowered = ", ".join(shown) + (", …" if len(row.use.lowers_to) > len(shown) else "")
            cells = [
                _code(row.use.name),
                str(row.use.calls),
                _signatures(row.use),
                md_cell(lowered) if lowered else "—",
                _code(str(row.init_command)),
            ]
            out.append(md_table_row(cells))
        out.append("")
    if random:
        out += [
            "## Random (reported, not compared)",
            "",
            "Their outputs are random draws: port the distribution and the parameters, not the values.",
            "",
            "| API | calls | signatures seen |",
            "|---|---|---|",
        ]
        out += [md_table_row([_code(r.use.name), str(r.use.calls), _signatures(r.use)]) for r in random]
        out.append("")
    if setup:
        out += [
            "## Setup, attribute reads and autograd (not compared)",
            "",
            "| API | kind | calls |",
            "|---|---|---|",
        ]
        out += [md_table_row([_code(r.use.name), r.use.category.value, str(r.use.calls)]) for r in setup]
        out.append("")
    return "\n".join(out)


def _candidates_text(row: ApiReadiness) -> str:
    parts = []
    for c in row.candidates:
        severity = f" [{c.severity.value}]" if c.severity is not None else ""
        parts.append(f"{c.api}: {c.verdict_text}{severity}")
    return "; ".join(parts) or "no MindSpore target"


def render_readiness_text(readiness: Readiness) -> str:
    """What `apicompat scan` prints: the summary line, then one line per API, hazards first."""
    rows = readiness.apis
    ops = [r for r in rows if r.use.category is ApiCategory.OPERATION]
    measured = [r for r in ops if r.spec_id is not None]
    worst = {id(r): min((c.severity.rank for c in r.candidates if c.severity), default=9) for r in measured}
    measured.sort(key=lambda r: worst[id(r)])
    width = max((len(r.use.name) for r in rows), default=0) + len(" x999")
    lines = [f"{readiness.trace.script}: {summary_line(readiness)}"]
    for r in measured:
        name = f"{r.use.name} x{r.use.calls}".ljust(width)
        lines.append(f"  measured      {name}  {r.spec_id}: {_candidates_text(r)}")
        for o in r.measured_calls:
            severity = f" [{o.severity.value}]" if o.severity is not None else ""
            lines.append(f"                {'':{width}}    {o.call} on {o.target}: {o.outcome}{severity}")
    for r in ops:
        if r.spec_id is None:
            lines.append(f"  not measured  {f'{r.use.name} x{r.use.calls}'.ljust(width)}  {r.init_command}")
    for r in rows:
        if r.use.category is ApiCategory.RANDOM:
            lines.append(f"  random        {f'{r.use.name} x{r.use.calls}'.ljust(width)}  not compared")
    setup = [r for r in rows if r.use.category in _SETUP]
    if setup:
        lines.append(f"  (and {len(setup)} setup, attribute and autograd APIs, listed in the report)")
    if readiness.report_problems:
        lines.append(_problems_note(readiness))
    return "\n".join(lines)


def _problems_note(readiness: Readiness) -> str:
    """Which specs had no readable report, and the command that writes them."""
    ids = ", ".join(spec_id for spec_id, _ in readiness.report_problems)
    return (
        f"  no readable report in {readiness.reports_dir} for: {ids} "
        f"(write them with: apicompat report specs --out {readiness.reports_dir})"
    )


def _seen_json(value: Any) -> Any:
    """A recorded argument in the JSON: tensors as {dtype, shape}, tuples as lists, others as labels."""
    if isinstance(value, tuple):
        return [_seen_json(v) for v in value]
    if isinstance(value, TensorSeen):
        return {"dtype": value.dtype, "shape": list(value.shape)}
    if isinstance(value, DtypeSeen):
        return {"dtype": value.name}
    if isinstance(value, OtherSeen):
        return {"other": value.type_name}
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return repr(value)
    return value


def _call_json(call: CallSeen) -> dict[str, Any]:
    return {
        "positional": [_seen_json(v) for v in call.positional],
        "keywords": {k: _seen_json(v) for k, v in call.keywords},
        "count": call.count,
    }


def readiness_dict(readiness: Readiness) -> dict[str, Any]:
    """The readiness as JSON-able data (keys sorted when written)."""
    t = tally(readiness)
    apis = []
    for row in readiness.apis:
        use = row.use
        apis.append(
            {
                "name": use.name,
                "category": use.category.value,
                "calls": use.calls,
                "in_forward": use.in_forward,
                "signatures": [_call_json(s) for s in use.signatures],
                "lowers_to": list(use.lowers_to),
                "spec": row.spec_id,
                "matched_as": row.matched_as or None,
                "init_command": row.init_command,
                "candidates": [
                    {
                        "api": c.api,
                        "verdict": c.verdict.value if c.verdict is not None else None,
                        "verdict_text": c.verdict_text,
                        "severity": c.severity.value if c.severity is not None else None,
                        "differences": c.differences,
                        "page": c.page,
                    }
                    for c in row.candidates
                ],
                "measured_calls": [
                    {
                        "call": o.call,
                        "target": o.target,
                        "outcome": o.outcome,
                        "severity": o.severity.value if o.severity is not None else None,
                    }
                    for o in row.measured_calls
                ],
            }
        )
    return {
        "readiness_format": READINESS_FORMAT,
        "script": readiness.trace.script,
        "torch_version": readiness.trace.torch_version,
        "reports_dir": readiness.reports_dir,
        "measured_run": readiness.measured_run,
        "report_problems": dict(readiness.report_problems),
        "summary": summary_line(readiness),
        "counts": {
            "apis": t.apis,
            "measured": t.measured,
            "silent_hazards": t.silent,
            "not_measured": t.not_measured,
            "random": t.random,
            "setup": t.setup,
            "forward_operations": t.forward,
            "forward_measured": t.forward_measured,
            "without_verdict": t.unjudged,
        },
        "apis": apis,
    }


def render_readiness_json(readiness: Readiness) -> str:
    """The readiness JSON text: sorted keys, two-space indent, a final newline."""
    return json.dumps(readiness_dict(readiness), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
