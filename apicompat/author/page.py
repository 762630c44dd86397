"""Read a published mapping page in MindSpore's "Function Differences with torch.X" layout.

The page may be Markdown, or the same text flattened onto one line (as pages are
often stored after scraping: every newline became a space). A flattened page is
first given its lines back: headings and code fences start lines, and Python code
is split into statements by finding, from each start, the shortest text that
parses (`ast`, never eval) and is followed by another statement or a comment.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass

from apicompat.records import ApicompatError

_TITLE = re.compile(r"^#\s+Function Differences with\s+`?([A-Za-z_][\w.]*)`?", re.MULTILINE)
_SECTION = re.compile(r"^##\s+`?([A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)+)`?\s*$", re.MULTILINE)
_ROW = re.compile(r"Parameter\s+(\d+)\s*\|([^|\n]*)\|([^|\n]*)\|([^|\n]*)\|")
_EXAMPLE = re.compile(r"^###\s+(Code Example\s*\d*.*)$", re.MULTILINE)
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
# Where a new statement can start in flattened code (checked by parsing before it is believed).
_STATEMENT = re.compile(
    r"(?:import\s|from\s+[\w.]+\s+import\s|print\(|[A-Za-z_][\w.]*(?:\[[^\]]*\])?\s*=(?!=)|[A-Za-z_][\w.]*\()"
)
_HEADING = re.compile(
    r"^(#{1,6})\s+(Function Differences with\s+\S+|Code Example\s*\d+|Differences|"
    r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)[ \t]*",
    re.MULTILINE,
)
# Inside a comment only these end it: printed reprs such as `Tensor(shape=[2], dtype=Float32, ...)`
# look like calls and keyword arguments, so an assignment must be spaced as code is (`y = ...`).
_AFTER_COMMENT = re.compile(r"(?:import\s|from\s+[\w.]+\s+import\s|print\(|[A-Za-z_][\w.]*\s+=(?!=)\s)")
_CONTINUES = frozenset({"if", "else", "for", "in", "and", "or", "not", "is", "as", "lambda"})
_FRAMEWORKS = {"pytorch": "torch", "torch": "torch", "mindspore": "mindspore"}


class PageError(ApicompatError):
    """A page that cannot be read as a mapping page; names the page and the line."""

    def __init__(self, page: str, line: int, message: str) -> None:
        super().__init__(f"{page}:{line}: error: {message}")


@dataclass(frozen=True)
class DocumentedRow:
    """One row of the page's parameter table: `Parameter N | torch name | MindSpore name | Difference`."""

    number: int
    source: str | None  # None where the page writes "-"
    target: str | None
    difference: str
    line: int


@dataclass(frozen=True)
class PrintCheck:
    """A `print(...)` in a code example and the output the page publishes for it (its comments)."""

    statement: str
    published: str | None  # None when no comment follows the print


@dataclass(frozen=True)
class Snippet:
    """The code of one framework in one code example, split into statements."""

    example: str  # "Code Example 1"
    framework: str  # "torch" or "mindspore"
    statements: tuple[str, ...]  # code only, comments removed
    prints: tuple[PrintCheck, ...]
    line: int


@dataclass(frozen=True)
class PublishedPage:
    """What a mapping page documents."""

    name: str
    source: str  # the title's API: torch.cumsum
    signatures: tuple[tuple[str, str], ...]  # api -> the signature the page shows
    rows: tuple[DocumentedRow, ...]
    snippets: tuple[Snippet, ...]
    prose: str  # the page without code blocks: where a difference may be mentioned
    flattened: bool

    @property
    def targets(self) -> tuple[str, ...]:
        """The APIs the page maps the source onto, in page order."""
        return tuple(api for api, _ in self.signatures if api != self.source)


def parse_page(text: str, name: str) -> PublishedPage:
    """A PublishedPage from Markdown or flattened text; PageError names the line that is wrong."""
    flattened = is_flattened(text)
    if flattened:
        text = unflatten(text)

    def line_at(offset: int) -> int:
        return 1 if flattened else text.count("\n", 0, offset) + 1

    title = _TITLE.search(text)
    if title is None:
        raise PageError(name, 1, "expected a title '# Function Differences with torch.X'")
    signatures = []
    for match in _SECTION.finditer(text):
        block = _FENCE.search(text, match.end())
        shown = block.group(2).strip() if block and not text[match.end() : block.start()].strip("\n ") else ""
        signatures.append((match.group(1), shown.splitlines()[0] if shown else ""))
    if not any(api != title.group(1) for api, _ in signatures):
        raise PageError(
            name, line_at(title.end()), "no target section ('## mindspore.ops.X' with its signature)"
        )
    differences = text.find("## Differences")
    if differences < 0:
        raise PageError(name, line_at(len(text.rstrip())), "no '## Differences' section")
    rows = tuple(_rows(text, line_at))
    if not rows:
        raise PageError(
            name,
            line_at(differences),
            "the Differences section has no parameter rows "
            "('| Parameters | Parameter 1 | torch name | MindSpore name | Difference |')",
        )
    return PublishedPage(
        name=name,
        source=title.group(1),
        signatures=tuple(signatures),
        rows=rows,
        snippets=tuple(_snippets(text, line_at)),
        prose=_FENCE.sub(" ", text[differences:]),
        flattened=flattened,
    )


def is_flattened(text: str) -> bool:
    """Whether a page lost its newlines: a few long lines holding code fences."""
    lines = [line for line in text.splitlines() if line.strip()]
    return len(lines) <= 2 and "```" in text and len(text) > 200


def unflatten(text: str) -> str:
    """Markdown lines again from a page flattened onto one line."""
    parts = text.split("```")
    out: list[str] = []
    for i, part in enumerate(parts):
        if i % 2 == 0:  # prose: headings and quotes start lines
            prose = re.sub(r"(^|\s+)(#{1,6}\s)", r"\n\n\2", part)
            # A heading holds one line: what follows a section's title starts the next paragraph.
            prose = _HEADING.sub(lambda m: f"{m.group(1)} {m.group(2)}\n\n", prose)
            out.append(prose.strip() + "\n")
            continue
        language, _, body = part.strip().partition(" ")
        code = "\n".join(split_statements(body)) if language == "python" else body.strip()
        out.append(f"```{language}\n{code}\n```\n")
    return "\n".join(out)


def split_statements(flat: str) -> list[str]:
    """Python code flattened onto one line, split into its statements and comments again."""
    lines: list[str] = []
    pos, n = 0, len(flat)
    while pos < n:
        while pos < n and flat[pos].isspace():
            pos += 1
        if pos >= n:
            break
        if flat[pos] == "#":
            stop = _comment_end(flat, pos)
            lines.append(flat[pos:stop].strip())
            pos = stop
            continue
        end = _statement_end(flat, pos)
        if end is None:  # not code we can split: keep the rest as one line
            lines.append(flat[pos:].strip())
            break
        lines.append(flat[pos:end].strip())
        pos = end
    return lines


def _statement_end(flat: str, start: int) -> int | None:
    """The end of the shortest text from `start` that parses and is followed by a new line's start."""
    for end in [m.start() for m in re.finditer(r"\s", flat[start:])] + [len(flat) - start]:
        end += start
        piece = flat[start:end]
        if not piece.strip() or not _starts_line(flat, end):
            continue
        try:
            ast.parse(piece)
        except SyntaxError:
            continue
        return end
    return None


def _starts_line(flat: str, pos: int) -> bool:
    rest = flat[pos:].lstrip()
    if not rest or rest.startswith("#"):
        return True
    word = re.match(r"[A-Za-z_]\w*", rest)
    if word is not None and word.group(0) in _CONTINUES:
        return False
    return _STATEMENT.match(rest) is not None


def _comment_end(flat: str, start: int) -> int:
    """A comment runs until the next comment or the next text that is a whole statement."""
    pos = start + 1
    while pos < len(flat):
        if flat[pos].isspace():
            rest = pos + 1
            while rest < len(flat) and flat[rest].isspace():
                rest += 1
            if rest < len(flat) and flat[rest] == "#":
                return pos
            if _AFTER_COMMENT.match(flat, rest) and _statement_end(flat, rest) is not None:
                return pos
        pos += 1
    return len(flat)


def _rows(text: str, line_at: Callable[[int], int]) -> list[DocumentedRow]:
    rows = []
    for match in _ROW.finditer(text):
        number, source, target, difference = (g.strip() for g in match.groups())
        rows.append(
            DocumentedRow(
                int(number),
                None if source in ("-", "") else source.strip("`"),
                None if target in ("-", "") else target.strip("`"),
                difference,
                line_at(match.start()),
            )
        )
    return rows


def _snippets(text: str, line_at: Callable[[int], int]) -> list[Snippet]:
    """Each code example's Python blocks, cut where a `# PyTorch` / `# MindSpore` comment starts."""
    examples = list(_EXAMPLE.finditer(text))
    out: list[Snippet] = []
    for k, heading in enumerate(examples):
        stop = examples[k + 1].start() if k + 1 < len(examples) else len(text)
        for block in _FENCE.finditer(text, heading.end(), stop):
            if block.group(1) != "python":
                continue
            out += _split_frameworks(
                heading.group(1).strip(), block.group(2), line_at(block.start()), line_at
            )
    return out


def _split_frameworks(example: str, code: str, line: int, line_at: Callable[[int], int]) -> list[Snippet]:
    snippets: list[Snippet] = []
    framework: str | None = None
    statements: list[str] = []
    prints: list[PrintCheck] = []
    published: list[str] | None = None
    start = line

    def close() -> None:
        nonlocal published
        if published is not None and prints:
            prints[-1] = PrintCheck(prints[-1].statement, "\n".join(published))
        published = None

    def flush() -> None:
        close()
        if framework is not None and statements:
            snippets.append(Snippet(example, framework, tuple(statements), tuple(prints), start))

    for offset, raw in enumerate(code.splitlines()):
        stripped = raw.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            comment = stripped[1:].strip()
            named = _FRAMEWORKS.get(comment.lower())
            if named is not None:
                flush()
                framework, statements, prints = named, [], []
                start = line + offset + 1
                continue
            if published is not None:
                published.append(comment)
            continue
        close()
        if framework is None:
            framework = "mindspore" if "mindspore" in stripped else "torch" if "torch" in stripped else None
        statements.append(raw.rstrip())
        if stripped.startswith("print("):
            prints.append(PrintCheck(stripped, None))
            published = []
    flush()
    return snippets
