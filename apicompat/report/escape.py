"""Make text that came from frameworks or users safe to put in Markdown, HTML and XML.

Error messages, summaries and labels are foreign text: they can hold `|` (which
would split a table row), newlines, ANSI colour codes, NUL bytes, `<script>`,
backticks, or lone surrogates (which cannot be written as UTF-8). Every writer
passes such text through one of these helpers, never around them.
"""

from __future__ import annotations

import re

# CSI sequences (colours, cursor moves), OSC sequences (titles, hyperlinks) and
# the remaining two-character escapes, as terminals and pytest emit them.
_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: ESC [ params intermediates final
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: ESC ] ... BEL or ST
    r"|\x1b[ -/]+[0-~]"  # nF escapes: charset selection such as ESC ( B
    r"|\x1b[@-Z\\-_]"  # other Fe escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
# C0 controls except tab and newline, DEL, and C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Python keeps undecodable bytes as lone surrogates (surrogateescape); UTF-8 cannot hold them.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# A code span whose content is inert both in Markdown and in a GFM table cell: no
# backtick, pipe (splits the row even inside code), backslash, markup or newline.
_CODE_SPAN = re.compile(r"`([^`|\\<>&\n]+)`")
# Characters XML 1.0 forbids anywhere in a document, even escaped.
_XML_ILLEGAL = re.compile(r"[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Markdown punctuation that would start a link, code span, emphasis, heading
# closer or table cell; `_` only where it could open or close emphasis (not inside
# a word such as `param_name`, which CommonMark never emphasizes).
_MD_PUNCT = re.compile(r"[\\`*\[\]|#~]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")


# `<` could open a tag or an autolink; `&` followed by a name or `#` could form an entity.
_MD_HTML = re.compile(r"<|&(?=#?[A-Za-z0-9]+;)")
# `>` at the start of a line opens a block quote.
_MD_QUOTE = re.compile(r"(^|\n)[ \t]*>")


def strip_ansi(text: str) -> str:
    """Remove ANSI escape sequences (colours, cursor moves, hyperlinks)."""
    return _ANSI.sub("", text)


def clean_text(text: str) -> str:
    """Plain text without ANSI codes, control characters or lone surrogates; keeps tabs and newlines."""
    text = strip_ansi(text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return _SURROGATE.sub("\ufffd", text)


def html_escape(text: str) -> str:
    """Escape `&`, `<`, `>` and `"` so text cannot become markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _md_plain(text: str) -> str:
    # Backslash escapes, not HTML entities: the Markdown source stays readable (`True -> 1`), and
    # `<` (a tag), `&` before an entity name (`&lt;`) and `>` opening a line (a quote) stay literal.
    text = _MD_PUNCT.sub(lambda m: "\\" + m.group(0), text)
    text = _MD_HTML.sub(lambda m: "\\" + m.group(0), text)
    return _MD_QUOTE.sub(lambda m: m.group(1) + "\\>", text)


def md_inline(text: str, newline: str = " ") -> str:
    """Text for one line of Markdown (a heading, a paragraph, a table cell), rendered literally.

    Single-backtick code spans (`out`) are kept when their content needs no
    escaping at all; every other character that Markdown or HTML would interpret
    is escaped.
    """
    text = clean_text(text).replace("\t", " ")
    parts: list[str] = []
    pos = 0
    for match in _CODE_SPAN.finditer(text):
        parts.append(_md_plain(text[pos : match.start()]))
        parts.append(match.group(0))
        pos = match.end()
    parts.append(_md_plain(text[pos:]))
    lines = [line.strip() for line in "".join(parts).split("\n")]
    return newline.join(line for line in lines if line)


def md_cell(text: str) -> str:
    """Text for one Markdown table cell: newlines become `<br>`, `|` cannot split the row."""
    cell = md_inline(text, newline="<br>")
    return cell if cell else " "


def md_table_row(cells: list[str]) -> str:
    """One table row from cells that are already escaped."""
    return "| " + " | ".join(cells) + " |"


def fence_for(text: str, char: str = "`") -> str:
    """A code fence longer than any run of `char` in text, so the text cannot close it."""
    longest = max((len(m.group(0)) for m in re.finditer(re.escape(char) + "+", text)), default=0)
    return char * max(3, longest + 1)


def code_block(text: str, lang: str = "") -> str:
    """A fenced code block holding text verbatim (cleaned of control characters)."""
    body = clean_text(text).rstrip("\n")
    fence = fence_for(body)
    return f"{fence}{lang}\n{body}\n{fence}"


def comment_lines(text: str, prefix: str = "# ") -> str:
    """Captured output as comment lines, the way the MindSpore pages show printed results."""
    body = clean_text(text).rstrip("\n")
    if not body:
        return prefix + "(no output)"
    return "\n".join((prefix + line).rstrip() for line in body.split("\n"))


def xml_text(text: str) -> str:
    """Text that may go into an XML 1.0 document (an XML library still escapes `&` and `<`)."""
    text = strip_ansi(text)
    text = _SURROGATE.sub("\ufffd", text)
    return _XML_ILLEGAL.sub("", text)
