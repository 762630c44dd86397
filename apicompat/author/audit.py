"""Judge a published mapping page against what apicompat measured (pure functions of records).

For each documented parameter row: confirmed, contradicted or not measured, with
the measured evidence. Then every measured silent or loud difference the page
does not mention, and whether each code example prints what the page publishes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from apicompat.author.page import DocumentedRow, PublishedPage, Snippet
from apicompat.records import Difference, DiffKind, ParamRow, Severity, TargetResult

CONFIRMED, CONTRADICTED, NOT_MEASURED = "confirmed", "contradicted", "not measured"
#: Marks the output of each print in an example's instrumented script.
PRINT_MARKER = "==== apicompat audit: print {} ===="
_MARKER = re.compile(r"^==== apicompat audit: print (\d+) ====$", re.MULTILINE)

# Words that show a page talks about a difference, by kind (matched case-insensitively, whole words
# or word starts). A subject adds its own (a dtype name, "0-d", "empty").
_KIND_WORDS: dict[DiffKind, tuple[str, ...]] = {
    DiffKind.OUTPUT_DTYPE: ("promot", "upcast", "output dtype", "output type", "return type", "widen"),
    DiffKind.INPUT_DTYPE_SUPPORT: ("not supported", "unsupported", "does not support"),
    DiffKind.SHAPE_SUPPORT: (),
    DiffKind.SPECIAL_VALUES: ("overflow", "wrap", "nan", "inf", "negative zero", "signed zero", "-0.0"),
    DiffKind.VALUE_MISMATCH: ("different result", "different value", "results differ", "values differ"),
    DiffKind.PRECISION: ("precision", "accuracy", "rounding"),
    DiffKind.ERROR_BEHAVIOR: ("raise", "exception", "error"),
    DiffKind.DEVICE_SUPPORT: ("cpu", "gpu", "ascend", "device"),
    DiffKind.ORDERING: ("order", "stable", "sorted"),
    DiffKind.OUTPUT_STRUCTURE: ("tuple", "named tuple", "structure"),
    DiffKind.PARAM_VALUE_SUPPORT: ("not supported", "unsupported"),
}
_SUBJECT_WORDS = {
    "0-d": ("0-d", "0-D", "zero-dimensional", "0-dimensional", "scalar tensor", "rank 0", "rank-0"),
    "empty": ("empty",),
    "overflow": ("overflow", "wrap"),
    "signed_zero": ("negative zero", "signed zero", "-0.0", "sign of zero"),
}


@dataclass(frozen=True)
class RowFinding:
    """What the measurement says of one documented parameter row."""

    row: DocumentedRow
    verdict: str  # confirmed | contradicted | not measured
    evidence: str


@dataclass(frozen=True)
class OutputFinding:
    """Whether one print of a code example printed what the page publishes."""

    example: str
    framework: str
    statement: str
    published: str | None
    printed: str | None  # None when the script raised before it
    verdict: str  # matches | differs | not run | no published output
    line: int


@dataclass(frozen=True)
class Audit:
    """The audit of one page against one measured target."""

    page: str
    spec: str
    target: str
    rows: tuple[RowFinding, ...]
    missing: tuple[Difference, ...]  # measured silent or loud differences the page does not mention
    outputs: tuple[OutputFinding, ...]

    @property
    def failed(self) -> bool:
        """A documented row is contradicted, a silent difference is missing, or an example misprints."""
        return (
            any(r.verdict == CONTRADICTED for r in self.rows)
            or any(d.severity is Severity.SILENT for d in self.missing)
            or any(o.verdict in ("differs", "not run") for o in self.outputs)
        )


def judge_rows(page: PublishedPage, target: TargetResult) -> tuple[RowFinding, ...]:
    """Each documented row against the measured parameter row with the same source (or target) name."""
    return tuple(_judge_row(row, target) for row in page.rows)


def _judge_row(row: DocumentedRow, target: TargetResult) -> RowFinding:
    measured = _measured_row(row, target.param_rows)
    if measured is None:
        who = row.source or row.target
        return RowFinding(row, NOT_MEASURED, f"the measurement has no parameter `{who}`")
    how = {"call": "names verified by a call", "signature": "names read from the live signatures"}
    if measured.checked not in how:
        return RowFinding(row, NOT_MEASURED, f"names taken from the spec only ({_pair(measured)})")
    evidence = f"measured {_pair(measured)} ({how[measured.checked]})"
    if (measured.source, measured.target) != (row.source, row.target):
        return RowFinding(row, CONTRADICTED, evidence)
    one_sided = _one_sided(target, measured)
    said_absent = row.target is None or row.source is None
    if said_absent and one_sided is not None:
        evidence += f"; {one_sided.summary}"
    return RowFinding(row, CONFIRMED, evidence)


def _measured_row(row: DocumentedRow, rows: Sequence[ParamRow]) -> ParamRow | None:
    if row.source is not None:
        found = next((r for r in rows if r.source == row.source), None)
        if found is not None:
            return found
    if row.target is not None:
        return next((r for r in rows if r.target == row.target), None)
    return None


def _one_sided(target: TargetResult, row: ParamRow) -> Difference | None:
    return next(
        (
            d
            for d in target.differences
            if d.kind is DiffKind.PARAM_ONLY_IN_ONE
            and (d.source_param or d.target_param) == (row.source or row.target)
        ),
        None,
    )


def _pair(row: ParamRow) -> str:
    return f"{row.source or '-'} ↔ {row.target or '-'}"


def unmentioned(page: PublishedPage, target: TargetResult) -> tuple[Difference, ...]:
    """Measured silent and loud differences (not explained by another) the page's text does not name."""
    text = page.prose.lower()
    out = []
    for diff in target.differences:
        if diff.severity not in (Severity.SILENT, Severity.LOUD) or diff.explained_by:
            continue
        words = mention_words(diff)
        if not any(_mentions(text, w) for w in words):
            out.append(diff)
    out.sort(key=lambda d: (d.severity.rank, d.kind.value, d.subject))
    return tuple(out)


def mention_words(diff: Difference) -> tuple[str, ...]:
    """Words a page would use to talk about this difference."""
    words = list(_KIND_WORDS.get(diff.kind, ()))
    subject = diff.subject.lower()
    for key, extra in _SUBJECT_WORDS.items():
        if key in subject:
            words += extra
    if diff.kind in (DiffKind.INPUT_DTYPE_SUPPORT, DiffKind.SPECIAL_VALUES, DiffKind.PRECISION):
        # "raises on bool inputs": the dtype's name is how a page says it.
        words += [d for d in diff.dtypes if d in subject or diff.kind is DiffKind.INPUT_DTYPE_SUPPORT]
    return tuple(dict.fromkeys(w.lower() for w in words))


def _mentions(text: str, word: str) -> bool:
    """`word` in `text`: as a word start when it is long enough to be a stem ("promot"), else whole."""
    tail = "" if len(word) >= 5 else r"(?![\w])"
    return re.search(rf"(?<![\w-]){re.escape(word)}{tail}", text) is not None


def instrumented(snippet: Snippet) -> str:
    """The snippet as a script that marks where each print's output starts."""
    lines = []
    index = 0
    for statement in snippet.statements:
        if statement.strip().startswith("print(") and not statement.startswith((" ", "\t")):
            lines.append(f"print({PRINT_MARKER.format(index)!r})")
            index += 1
        lines.append(statement)
    return "\n".join(lines) + "\n"


def judge_outputs(snippet: Snippet, stdout: str, error: str | None) -> tuple[OutputFinding, ...]:
    """Each print of `snippet` against its published comment, from the instrumented script's stdout."""
    printed: dict[int, str] = {}
    marks = list(_MARKER.finditer(stdout))
    for k, mark in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(stdout)
        printed[int(mark.group(1))] = stdout[mark.end() : end].strip("\n")
    out = []
    for index, check in enumerate(snippet.prints):
        got = printed.get(index)
        if check.published is None:
            verdict = "no published output"
        elif got is None:
            verdict = "not run"
        else:
            verdict = "matches" if _same_text(got, check.published) else "differs"
        shown = got if got is not None else (f"(raised {error})" if error else None)
        out.append(
            OutputFinding(
                snippet.example,
                snippet.framework,
                check.statement,
                check.published,
                shown,
                verdict,
                snippet.line,
            )
        )
    return tuple(out)


def _same_text(printed: str, published: str) -> bool:
    """Equal up to spacing: a flattened page keeps one space where NumPy aligned columns."""
    return printed.split() == published.split()


def render_audit(audit: Audit) -> str:
    """The audit as the terminal shows it."""
    lines = [f"audit of {audit.page} against {audit.spec} ({audit.target})", "", "Documented parameter rows:"]
    for finding in audit.rows:
        row = finding.row
        lines.append(
            f"  Parameter {row.number}: {row.source or '-'} | {row.target or '-'} | {row.difference}: "
            f"{finding.verdict} — {finding.evidence}"
        )
    lines += ["", "Measured differences the page does not mention:"]
    lines += [f"  [{d.severity.value}] {d.kind.value}: {d.summary}" for d in audit.missing] or ["  none"]
    lines += ["", "Code examples:"]
    for o in audit.outputs:
        lines.append(f"  {o.example} ({o.framework}) {o.statement}: {o.verdict}")
        if o.verdict == "differs" or o.verdict == "not run":
            lines.append(f"    published: {' '.join((o.published or '').split())}")
            lines.append(f"    printed:   {' '.join((o.printed or '').split())}")
    if not audit.outputs:
        lines.append("  none")
    lines += ["", "FAILED: the page contradicts the measurement" if audit.failed else "OK"]
    return "\n".join(lines)


def audit_dict(audit: Audit) -> dict[str, object]:
    """The audit as JSON-able data (sorted keys when dumped)."""
    return {
        "page": audit.page,
        "spec": audit.spec,
        "target": audit.target,
        "failed": audit.failed,
        "rows": [
            {
                "number": f.row.number,
                "line": f.row.line,
                "source": f.row.source,
                "target": f.row.target,
                "difference": f.row.difference,
                "verdict": f.verdict,
                "evidence": f.evidence,
            }
            for f in audit.rows
        ],
        "missing": [
            {"kind": d.kind.value, "subject": d.subject, "severity": d.severity.value, "summary": d.summary}
            for d in audit.missing
        ],
        "outputs": [
            {
                "example": o.example,
                "framework": o.framework,
                "statement": o.statement,
                "published": o.published,
                "printed": o.printed,
                "verdict": o.verdict,
            }
            for o in audit.outputs
        ],
    }
