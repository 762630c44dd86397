"""The Markdown page for one spec, in the layout of MindSpore's "Function Differences with …" pages.

Everything on the page comes from the SpecResult: signatures read from the live
callables, differences measured on executed cases, and code examples whose
printed output was captured when they ran. Foreign text is escaped (escape.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from apicompat.records import Difference, DiffKind, Reproducer, SignatureInfo, SpecResult, TargetResult
from apicompat.report.escape import clean_text, code_block, comment_lines, fence_for, md_cell, md_inline

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
    ("Input", (DiffKind.INPUT_DTYPE_SUPPORT, DiffKind.SHAPE_SUPPORT)),
    ("Output", (DiffKind.OUTPUT_DTYPE, DiffKind.VALUE_MISMATCH, DiffKind.SPECIAL_VALUES)),
    ("Error", (DiffKind.ERROR_BEHAVIOR,)),
    ("Device", (DiffKind.DEVICE_SUPPORT,)),
)

#: The Subcategories column (and the prose) for each kind.
KIND_LABELS: dict[DiffKind, str] = {
    DiffKind.PARAM_NAME: "Parameter name",
    DiffKind.PARAM_ONLY_IN_ONE: "Parameter presence",
    DiffKind.PARAM_DEFAULT: "Default value",
    DiffKind.INPUT_DTYPE_SUPPORT: "Input dtypes",
    DiffKind.SHAPE_SUPPORT: "Input shapes",
    DiffKind.OUTPUT_DTYPE: "Output dtype",
    DiffKind.VALUE_MISMATCH: "Values",
    DiffKind.SPECIAL_VALUES: "Special values",
    DiffKind.ERROR_BEHAVIOR: "Errors",
    DiffKind.DEVICE_SUPPORT: "Devices",
}

NO_DIFFERENCE = "No difference measured"
_ORIGINS = {"docstring": "read from the docstring", "spec": "taken from the spec"}
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
    parts += _signature_section(result.source, result.source_signature)
    for target in result.targets:
        parts += _signature_section(target.api, target.signature)
        parts += [md_inline(f"Spec drift: {line}") for line in target.drift]
    parts += _differences_section(result, src)
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


def _signature_section(api: str, sig: SignatureInfo | None) -> list[str]:
    parts = [f"## {md_inline(api)}"]
    if sig is None:
        parts.append("The signature could not be read.")
        return parts
    parts.append(code_block(sig.text, "text"))
    if sig.origin != "inspect":
        parts.append(f"({md_inline(_ORIGINS.get(sig.origin, 'origin: ' + sig.origin))})")
    return parts


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
        parts.append(_table(target, src, show_device))
    return parts


def _target_overview(target: TargetResult, src: str, cases: int) -> str:
    """One sentence: consistent, or which kinds differ and on what."""
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
    for category, kinds in BEHAVIOUR_CATEGORIES:
        body = [
            _difference_row(diff, show_device)
            for kind in kinds
            for diff in target.differences
            if diff.kind is kind
        ]
        rows += _category_rows(category, body or [["-", "-", "-", NO_DIFFERENCE]])
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def _category_rows(category: str, body: list[list[str]]) -> list[list[str]]:
    """Name the category on its first row only, as the MindSpore pages do."""
    return [[category if i == 0 else " ", *row] for i, row in enumerate(body)]


def _parameter_rows(target: TargetResult, show_device: bool) -> list[list[str]]:
    """One row per parameter mapping; parameter differences join the row they concern."""
    param_diffs = [d for d in target.differences if d.kind in PARAM_KINDS]
    placed: set[int] = set()
    rows: list[list[str]] = []
    for n, row in enumerate(target.param_rows, start=1):
        canonical, source, tgt, note = row[:4]
        concerned = []
        for i, diff in enumerate(param_diffs):
            if i not in placed and _concerns(diff, canonical, source, tgt):
                placed.add(i)
                concerned.append(diff)
        note = note.strip()
        if note and note != "-":
            # The comparer writes the note from these same differences; repeating them adds nothing.
            text = note
        else:
            text = "\n".join(
                dict.fromkeys(_difference_text(d, show_device, accepted=False) for d in concerned)
            )
        reasons = dict.fromkeys(d.accepted for d in concerned if d.accepted is not None)
        text = (text or "-") + "".join(f" (accepted: {reason})" for reason in reasons)
        rows.append([f"Parameter {n}", md_cell(source or "-"), md_cell(tgt or "-"), md_cell(text)])
    rows += [_difference_row(d, show_device) for i, d in enumerate(param_diffs) if i not in placed]
    if not rows:
        rows.append(["-", "-", "-", "No parameter mapping recorded"])
    return rows


def _concerns(diff: Difference, canonical: str, source: str | None, target: str | None) -> bool:
    return (
        diff.subject == canonical
        or (diff.source_param is not None and diff.source_param == source)
        or (diff.target_param is not None and diff.target_param == target)
    )


def _difference_row(diff: Difference, show_device: bool) -> list[str]:
    """Subcategory, evidence per side, and the summary of one measured difference."""
    src, tgt = _evidence(diff)
    return [KIND_LABELS[diff.kind], md_cell(src), md_cell(tgt), md_cell(_difference_text(diff, show_device))]


def case_count(diff: Difference) -> int:
    """How many cases showed a difference: `details["case_count"]` (cases lists only the first few)."""
    if diff.case_count:
        return diff.case_count
    count = diff.details.get("case_count")
    if isinstance(count, int) and not isinstance(count, bool):
        return count
    return len(diff.cases)


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
