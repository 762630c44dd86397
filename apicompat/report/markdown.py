"""The Markdown page for one spec, in the layout of MindSpore's "Function Differences with …" pages.

Everything on the page comes from the SpecResult: signatures read from the live
callables, differences measured on executed cases, and code examples whose
printed output was captured when they ran. Foreign text is escaped (escape.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from apicompat.records import (
    Difference,
    DiffKind,
    ParamRow,
    Reproducer,
    SignatureInfo,
    SpecResult,
    TargetResult,
)
from apicompat.report.counts import case_count
from apicompat.report.escape import clean_text, code_block, comment_lines, fence_for, md_cell, md_inline
from apicompat.report.versions_page import versions_section

#: How the pages name each framework; others appear under their own name.
FRAMEWORK_NAMES: dict[str, str] = {
    "torch": "PyTorch",
    "mindspore": "MindSpore",
    "numpy": "NumPy",
    "paddle": "PaddlePaddle",
    "tensorflow": "TensorFlow",
    "jax": "JAX",
}

PARAM_KINDS = (DiffKind.PARAM_NAME, DiffKind.PARAM_ONLY_IN_ONE, DiffKind.PARAM_DEFAULT)

#: Table categories after Parameters, in page order: category -> kinds in row order.
BEHAVIOUR_CATEGORIES: tuple[tuple[str, tuple[DiffKind, ...]], ...] = (
    ("Input", (DiffKind.INPUT_DTYPE_SUPPORT, DiffKind.SHAPE_SUPPORT, DiffKind.PARAM_VALUE_SUPPORT)),
    (
        "Output",
        (
            DiffKind.OUTPUT_DTYPE,
            DiffKind.OUTPUT_STRUCTURE,
            DiffKind.VALUE_MISMATCH,
            DiffKind.PRECISION,
            DiffKind.ORDERING,
            DiffKind.SPECIAL_VALUES,
        ),
    ),
    ("Error", (DiffKind.ERROR_BEHAVIOR,)),
    ("Device", (DiffKind.DEVICE_SUPPORT,)),
)

#: The Subcategories column (and the prose) for each kind.
KIND_LABELS: dict[DiffKind, str] = {
    DiffKind.PARAM_NAME: "Parameter name",
    DiffKind.PARAM_ONLY_IN_ONE: "Parameter presence",
    DiffKind.PARAM_DEFAULT: "Default value",
    DiffKind.PARAM_VALUE_SUPPORT: "Parameter values",
    DiffKind.INPUT_DTYPE_SUPPORT: "Input dtypes",
    DiffKind.SHAPE_SUPPORT: "Input shapes",
    DiffKind.OUTPUT_DTYPE: "Output dtype",
    DiffKind.OUTPUT_STRUCTURE: "Output structure",
    DiffKind.VALUE_MISMATCH: "Values",
    DiffKind.PRECISION: "Precision",
    DiffKind.ORDERING: "Order",
    DiffKind.SPECIAL_VALUES: "Special values",
    DiffKind.ERROR_BEHAVIOR: "Errors",
    DiffKind.DEVICE_SUPPORT: "Devices",
}

NO_DIFFERENCE = "No difference measured"
_ORIGINS = {
    "docstring": "read from the docstring",
    "spec": "warning: the live signature could not be read; this one is taken from the spec, and the "
    "spec's parameter names were not checked against the callable",
}
#: How a parameter row's names were checked (ParamRow.checked), as the row says it.
_CHECKED = {"call": " (names verified by a call)", "signature": " (names read from the live signatures)"}
_MAX_ITEMS = 3  # items listed per kind in one-line overviews before "…"
# Summaries from the comparer often state their case count already; never say it twice.
_MENTIONS_CASES = re.compile(r"\bcases?\b|\bcase\(s\)", re.IGNORECASE)


def framework_name(framework: str) -> str:
    """The display name of a framework, e.g. `PyTorch` for `torch`."""
    return FRAMEWORK_NAMES.get(framework, framework)


def source_framework(result: SpecResult) -> str:
    """The source framework, read from the source API's import path (`torch.cumsum` -> `torch`)."""
    return result.source.split(".", 1)[0]


def plural(n: int, word: str) -> str:
    """`1 case`, `2 cases`."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def kind_overview(differences: Iterable[Difference]) -> list[tuple[DiffKind, list[str], bool]]:
    """Per kind, in vocabulary order: its items (dtypes, params, devices) and whether all are accepted."""
    groups: dict[DiffKind, list[Difference]] = {}
    for diff in differences:
        groups.setdefault(diff.kind, []).append(diff)
    overview: list[tuple[DiffKind, list[str], bool]] = []
    for kind in DiffKind:
        diffs = groups.get(kind)
        if not diffs:
            continue
        items: list[str] = []
        for diff in diffs:
            for item in _items(diff):
                if item not in items:
                    items.append(item)
        overview.append((kind, items, all(d.accepted is not None for d in diffs)))
    return overview


def _items(diff: Difference) -> tuple[str, ...]:
    """What one difference is about, in a word or two each."""
    if diff.kind in PARAM_KINDS:
        return (diff.source_param or diff.target_param or diff.subject,)
    if diff.dtypes:
        return diff.dtypes
    if diff.device:
        return (diff.device,)
    return (diff.subject,) if diff.subject else ()


def list_items(items: Sequence[str], limit: int = _MAX_ITEMS) -> str:
    """`a, b, c…` with at most `limit` items."""
    shown = ", ".join(items[:limit])
    return shown + "…" if len(items) > limit else shown


def render_markdown(result: SpecResult) -> str:
    """The migration page for one spec, as Markdown."""
    src = framework_name(source_framework(result))
    parts: list[str] = [f"# Function Differences with {md_inline(result.source)}", _provenance(result)]
    parts += _drift_banner(result)
    parts += _signature_section(result.source, result.source_signature)
    for target in result.targets:
        parts += _signature_section(target.api, target.signature)
    parts += _differences_section(result, src)
    parts += versions_section(result)
    parts += _examples_section(result, src)
    parts += faults_note(result)
    return "\n\n".join(parts) + "\n"


def _provenance(result: SpecResult) -> str:
    """Where the page came from: cases, seed, devices, framework versions."""
    devices = _join_and(result.devices) if result.devices else "no device"
    text = (
        f"This page was generated by apicompat from {plural(result.cases, 'executed case')} "
        f"(seed {result.seed}) on {devices}"
    )
    versions = [f"{fw} {result.versions[fw]}" for fw in _framework_order(result, result.versions)]
    if versions:
        text += ", with " + _join_and(versions)
    text += ". Every output below was captured when the code ran."
    lines = [md_inline(text)]
    if result.unavailable_devices:
        lines.append(
            md_inline("Not measured (device unavailable): " + ", ".join(result.unavailable_devices) + ".")
        )
    deviations = [
        f"{api} on {plural(result.reference_deviations[api], 'case')}"
        for api in _api_order(result, result.reference_deviations)
        if result.reference_deviations[api]
    ]
    if deviations:
        lines.append(md_inline("Outputs off the NumPy reference: " + "; ".join(deviations) + "."))
    return "\n\n".join(lines)


def _framework_order(result: SpecResult, keys: Iterable[str]) -> list[str]:
    """The source framework, then target frameworks in target order, then the rest sorted."""
    keys = set(keys)
    order: list[str] = []
    for fw in (source_framework(result), *(t.framework for t in result.targets)):
        if fw in keys and fw not in order:
            order.append(fw)
    return order + sorted(keys - set(order))


def _api_order(result: SpecResult, keys: Iterable[str]) -> list[str]:
    """The source API, then targets in order, then the rest sorted."""
    keys = set(keys)
    order = [api for api in (result.source, *(t.api for t in result.targets)) if api in keys]
    order = list(dict.fromkeys(order))
    return order + sorted(keys - set(order))


def _join_and(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _drift_banner(result: SpecResult) -> list[str]:
    """A page written with --allow-drift says first that the spec and a live signature disagree."""
    lines = list(dict.fromkeys(line for target in result.targets for line in target.drift))
    if not lines:
        return []
    items = "\n".join(f"> - {md_inline(line)}" for line in lines)
    return [
        "> **Spec drift.** The spec disagrees with a live signature, so the rows marked "
        '"Spec drift" were not compared; fix the spec (`apicompat report` without `--allow-drift` '
        f"names the file, line and key):\n>\n{items}"
    ]


def _signature_section(api: str, sig: SignatureInfo | None) -> list[str]:
    parts = [f"## {md_inline(api)}"]
    if sig is None:
        parts.append("The signature could not be read.")
        return parts
    parts.append(code_block(sig.text, "text"))
    if sig.origin != "inspect":
        parts.append(f"({md_inline(_ORIGINS.get(sig.origin, 'origin: ' + sig.origin))})")
    parts += _overloads(sig)
    return parts


def _overloads(sig: SignatureInfo) -> list[str]:
    """Every overload of a callable, and whether the spec's cases cover it."""
    if not sig.overloads:
        return []
    rows = ["| Overload | Read from | Covered by this spec |", "| --- | --- | --- |"]
    for overload in sig.overloads:
        covered = "yes" if overload.covered else "no: not covered, the spec's cases do not call it"
        rows.append(f"| {md_cell(overload.text)} | {md_cell(overload.origin)} | {covered} |")
    return [f"Overloads ({len(sig.overloads)}):", "\n".join(rows)]


def _differences_section(result: SpecResult, src: str) -> list[str]:
    parts = ["## Differences", md_inline(f"{src}: {result.summary}")]
    several = len(result.targets) > 1
    for target in result.targets:
        tgt = framework_name(target.framework)
        who = f"{tgt} ({target.api})" if several else tgt
        if target.source:
            who += f", compared with {target.source}"
        parts.append(md_inline(f"{who}: {_target_overview(target, src, result.cases)}"))
    if not result.targets:
        parts.append("No target was measured.")
    # With one device, naming it on every row is noise; with several it says where a row was measured.
    show_device = len(result.devices) > 1
    for target in result.targets:
        if several:
            against = f" (compared with {target.source})" if target.source else ""
            parts.append(f"### {md_inline(target.api + against)}")
        if target.same_as:
            parts.append(md_inline(f"Same function as {target.same_as}: see its table."))
            continue
        parts.append(_table(target, src, show_device))
        parts += _evidence_section(target, src)
    return parts


def _evidence_section(target: TargetResult, src: str) -> list[str]:
    """The evidence ledger: how the cases ended on both sides, and which parameter values ran."""
    ev = target.evidence
    if ev is None:
        return []
    tgt = framework_name(target.framework)
    counts = (
        f"Evidence: {plural(ev.compared, 'case')} returned on both sides and were compared; "
        f"{ev.both_raised} raised on both; {ev.only_source_raised} raised only in {src}; "
        f"{ev.only_target_raised} raised only in {tgt}; {ev.not_run} not run."
    )
    lines = [md_inline(counts)]
    if not ev.compared:
        return lines  # nothing ran on both sides: per-parameter lines would only say "none"
    params = [f"`{p.name}`: " + (", ".join(p.values) or "none") for p in ev.params]
    if params:
        lines.append(md_inline("Parameter values that ran on both sides: " + "; ".join(params) + "."))
    if ev.unexercised:
        names = ", ".join(f"`{p}`" for p in ev.unexercised)
        lines.append(md_inline(f"Not measured: no case with {names} returned on both sides."))
    return lines


def _target_overview(target: TargetResult, src: str, cases: int) -> str:
    """One sentence: the verdict and the worst severity, or (for older records) which kinds differ."""
    if target.same_as:
        return f"the same function as {target.same_as}; its measurements are shown once, there."
    if target.verdict is not None:
        text = target.verdict.text
        if target.verdict.severity is not None and target.verdict.kind.value != "consistent":
            text += f" (worst severity: {target.verdict.severity.value})"
        return text + "."
    if not target.differences:
        return f"Consistent with {src}: no difference measured in {plural(cases, 'executed case')}."
    pieces = []
    for kind, items, accepted in kind_overview(target.differences):
        piece = KIND_LABELS[kind].lower()
        notes = [list_items(items)] if items else []
        if accepted:
            notes.append("accepted")
        pieces.append(f"{piece} ({', '.join(notes)})" if notes else piece)
    return f"Differs from {src} in " + _join_and(pieces) + "."


def _table(target: TargetResult, src: str, show_device: bool) -> str:
    """The Categories | Subcategories | <source> | <target> | Difference table for one target."""
    tgt = framework_name(target.framework)
    rows = [
        ["Categories", "Subcategories", md_cell(src), md_cell(tgt), "Difference"],
        ["---"] * 5,
    ]
    rows += _category_rows("Parameters", _parameter_rows(target, show_device))
    shown = [d for d in target.differences if d.explained_by is None]
    for category, kinds in BEHAVIOUR_CATEGORIES:
        body = [
            _difference_row(diff, show_device, _explained(target, diff))
            for kind in kinds
            for diff in sorted(shown, key=lambda d: d.severity.rank)
            if diff.kind is kind
        ]
        rows += _category_rows(category, body or [["-", "-", "-", NO_DIFFERENCE]])
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def _category_rows(category: str, body: list[list[str]]) -> list[list[str]]:
    """Name the category on its first row only, as the MindSpore pages do."""
    return [[category if i == 0 else " ", *row] for i, row in enumerate(body)]


@dataclass(frozen=True)
class ParameterCell:
    """One parameter row of a target's table: its mapping, the text of its Difference cell (plain,
    unescaped, without the names-checked suffix), and the differences that text speaks for."""

    row: ParamRow
    text: str
    concerned: tuple[Difference, ...]


def parameter_cells(target: TargetResult, show_device: bool) -> tuple[list[ParameterCell], list[Difference]]:
    """Each parameter mapping with what differs about it (both renderers' Parameters rows), and the
    parameter differences no mapping concerns (rows of their own)."""
    param_diffs = [d for d in target.differences if d.kind in PARAM_KINDS]
    # A difference about a canonical parameter joins its row first; the rest join a row by name.
    canonicals = {row[0] for row in target.param_rows}
    placed: set[int] = {i for i, d in enumerate(param_diffs) if d.subject in canonicals}
    cells: list[ParameterCell] = []
    for row in target.param_rows:
        canonical, source, tgt, note = row[:4]
        concerned = [d for d in param_diffs if d.subject == canonical]
        for i, diff in enumerate(param_diffs):
            if i not in placed and _concerns(diff, canonical, source, tgt):
                placed.add(i)
                concerned.append(diff)
        note = note.strip()
        from_note = bool(note) and note != "-"
        if from_note:
            # The comparer writes the note from these same differences; repeating them adds nothing.
            text = note
        else:
            text = "\n".join(
                dict.fromkeys(_difference_text(d, show_device, accepted=False) for d in concerned)
            )
        for diff in concerned:
            explains = _explained(target, diff)
            if diff.kind is DiffKind.PARAM_DEFAULT and (
                explains or diff.severity.value != "interface" or diff.cases
            ):
                text += f"\n{diff.severity.value}: {diff.summary}"
            elif from_note and diff.kind is DiffKind.PARAM_NAME and diff.cases:
                # The note says what the signatures say; a call's measured finding adds to it.
                text += f"\n{diff.severity.value}: {_difference_text(diff, show_device, accepted=False)}"
            if explains:
                text += "\nExplains: " + "; ".join(_difference_text(d, show_device) for d in explains)
        text = "\n".join(line for line in (text, *_rejections_naming(target, tgt)) if line)
        reasons = dict.fromkeys(d.accepted for d in concerned if d.accepted is not None)
        text = (text or "-") + "".join(f" (accepted: {reason})" for reason in reasons)
        cells.append(
            ParameterCell(ParamRow(*row) if not isinstance(row, ParamRow) else row, text, tuple(concerned))
        )
    return cells, [d for i, d in enumerate(param_diffs) if i not in placed]


def _rejections_naming(target: TargetResult, name: str | None) -> list[str]:
    """Pointers from a parameter's row to the behaviour rows about it: a value of it one side
    rejects (`mode='r'`), or a TypeError every call raises naming it (`output_size`)."""
    if name is None:
        return []
    about = [
        d
        for d in target.differences
        if d.kind not in PARAM_KINDS and d.target_param == name and d.explained_by is None
    ]
    values = [d for d in about if d.kind is DiffKind.PARAM_VALUE_SUPPORT]
    lines = []
    if values:
        # One line, the worst value first: the Parameter values rows hold each one's evidence.
        worst = min(values, key=lambda d: d.severity.rank)
        more = f", and {plural(len(values) - 1, 'more value')}" if len(values) > 1 else ""
        lines.append(f"{worst.severity.value}: {worst.summary.strip()}{more}; see {KIND_LABELS[worst.kind]}")
    lines += [
        f"{d.severity.value}: every call raises {_error_type(d)} naming `{name}`; see {KIND_LABELS[d.kind]}"
        for d in about
        if d.kind is not DiffKind.PARAM_VALUE_SUPPORT
    ]
    return lines


def _error_type(diff: Difference) -> str:
    notes = diff.details.get("notes") or []
    first = str(notes[0]) if notes else ""
    return first.split(":", 1)[0] if ":" in first else "an error"


def _parameter_rows(target: TargetResult, show_device: bool) -> list[list[str]]:
    """One row per parameter mapping; parameter differences join the row they concern."""
    cells, unplaced = parameter_cells(target, show_device)
    rows = [
        [
            f"Parameter {n}",
            md_cell(cell.row.source or "-"),
            md_cell(cell.row.target or "-"),
            md_cell(cell.text + _CHECKED.get(cell.row.checked, "")),
        ]
        for n, cell in enumerate(cells, start=1)
    ]
    rows += [_difference_row(d, show_device) for d in unplaced]
    if not rows:
        rows.append(["-", "-", "-", "No parameter mapping recorded"])
    return rows


def _concerns(diff: Difference, canonical: str, source: str | None, target: str | None) -> bool:
    return (
        diff.subject == canonical
        or (diff.source_param is not None and diff.source_param == source)
        or (diff.target_param is not None and diff.target_param == target)
    )


def _difference_row(diff: Difference, show_device: bool, explains: Sequence[Difference] = ()) -> list[str]:
    """Subcategory, evidence per side, and the severity and summary of one measured difference."""
    src, tgt = _evidence(diff)
    text = f"{diff.severity.value}: {_difference_text(diff, show_device)}"
    if explains:
        text += "\nExplains: " + "; ".join(_difference_text(d, show_device) for d in explains)
    return [KIND_LABELS[diff.kind], md_cell(src), md_cell(tgt), md_cell(text)]


def _explained(target: TargetResult, cause: Difference) -> list[Difference]:
    """The differences folded under `cause` (they are symptoms, not rows of their own)."""
    # Keys are spec::target::kind::subject; every key of one target shares the spec and target.
    suffix = cause.key("", target.api)
    return [d for d in target.differences if d.explained_by is not None and d.explained_by.endswith(suffix)]


def _difference_text(diff: Difference, show_device: bool, accepted: bool = True) -> str:
    """The summary, how many cases showed it and where, and the acceptance reason."""
    text = diff.summary.strip() or diff.kind.value
    where = []
    count = case_count(diff)
    if count and not _MENTIONS_CASES.search(text):
        where.append(plural(count, "case"))
    if show_device and diff.device:
        where.append(f"on {diff.device}")
    if where:
        text += f" ({' '.join(where)})"
    if accepted and diff.accepted is not None:
        text += f" (accepted: {diff.accepted})"
    return text


def _evidence(diff: Difference) -> tuple[str, str]:
    """What each side did: `details["source"]`/`["target"]` when the comparer gave them, else the inputs."""
    if "source" in diff.details or "target" in diff.details:
        return _value_text(diff.details.get("source", "-")), _value_text(diff.details.get("target", "-"))
    if diff.kind in PARAM_KINDS:
        return diff.source_param or "-", diff.target_param or "-"
    # Without per-side evidence both columns name the inputs both sides ran on.
    if diff.dtypes:
        common = "on " + ", ".join(diff.dtypes)
    elif diff.labels:
        more = len(diff.labels) - 1
        common = diff.labels[0] + (f" (+{more} more)" if more else "")
    elif diff.device:
        common = f"on {diff.device}"
    else:
        common = "-"
    return common, common


def _value_text(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return ", ".join(
            f"{k}: {_value_text(v)}" for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))
        )
    if isinstance(value, (list, tuple)):
        return ", ".join(_value_text(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return ", ".join(sorted(_value_text(v) for v in value))
    return str(value)


def _examples_section(result: SpecResult, src: str) -> list[str]:
    several = len(result.targets) > 1
    parts: list[str] = []
    k = 0
    for target in result.targets:
        tgt = framework_name(target.framework)
        for ex in target.examples:
            k += 1
            heading = f"Code Example {k}" + (f": {ex.title.strip()}" if ex.title.strip() else "")
            if several:
                heading += f" ({target.api})"
            parts.append(f"### {md_inline(heading)}")
            if ex.description.strip():
                parts.append("> " + md_inline(ex.description))
            parts.append(
                _two_sided_block(src, ex.source_code, ex.source_output, tgt, ex.target_code, ex.target_output)
            )
    for target in result.targets:
        tgt = framework_name(target.framework)
        for diff in target.differences:
            if diff.reproducer is not None:
                parts += _reproducer_section(diff, diff.reproducer, target.api if several else None, src, tgt)
    return ["## Code Examples", *parts] if parts else []


def _reproducer_section(diff: Difference, rep: Reproducer, api: str | None, src: str, tgt: str) -> list[str]:
    title = f"{diff.kind.value}: {diff.summary}" + (f" ({api})" if api else "")
    parts = [f"### {md_inline(title)}"]
    facts = []
    if diff.cases:
        facts.append(f"Measured on {plural(case_count(diff), 'case')}, e.g. {diff.cases[0]}")
        if diff.labels:
            facts[-1] += f" ({diff.labels[0]})"
    if diff.device:
        facts.append(f"device {diff.device}")
    if diff.accepted is not None:
        facts.append(f"accepted: {diff.accepted}")
    if facts:
        parts.append("> " + md_inline("; ".join(facts) + "."))
    parts.append(_two_sided_block(src, rep.source, rep.source_output, tgt, rep.target, rep.target_output))
    return parts


def _two_sided_block(
    src: str, src_code: str, src_out: str | None, tgt: str, tgt_code: str, tgt_out: str | None
) -> str:
    """One python block: each side's script followed by its captured output as comments."""
    sides = []
    for name, code, out in ((src, src_code, src_out), (tgt, tgt_code, tgt_out)):
        output = "# (not run)" if out is None else comment_lines(out)
        sides.append(f"# {name}\n{clean_text(code).strip(chr(10))}\n{output}")
    body = "\n\n".join(sides)
    fence = fence_for(body)
    return f"{fence}python\n{body}\n{fence}"


#: How the page's line about faults starts (tests that compare a faulted run with a clean one drop it).
FAULTS_PREFIX = "Faults survived:"


def faults_note(result: SpecResult) -> list[str]:
    """The closing line on executions re-run after losing their worker to a loss that did not repeat."""
    faults = result.faults
    if not faults.retried:
        return []
    reasons = ", ".join(f"{reason}: {count}" for reason, count in faults.reasons)
    its = "its" if faults.retried == 1 else "their"
    return [
        md_inline(
            f"{FAULTS_PREFIX} {plural(faults.retried, 'execution')} lost {its} worker to a fault that did "
            f"not repeat ({reasons}) and ran again; this page shows what the runs that followed measured."
        )
    ]
