"""Escaping helpers: foreign text cannot break a table row, inject markup or close a fence."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from apicompat.report.escape import (
    clean_text,
    code_block,
    comment_lines,
    fence_for,
    md_cell,
    md_inline,
    strip_ansi,
    xml_text,
)


def split_row(row: str) -> list[str]:
    """Split a table row the way GFM does: a backslash escapes the next character."""
    cells, current, i = [], "", 0
    body = row.strip()
    assert body.startswith("|") and body.endswith("|"), row
    body = body[1:-1]
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            current += body[i : i + 2]
            i += 2
            continue
        if ch == "|":
            cells.append(current)
            current = ""
        else:
            current += ch
        i += 1
    cells.append(current)
    return [c.strip() for c in cells]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a|b", "a\\|b"),
        ("<script>alert(1)</script>", "\\<script>alert(1)\\</script>"),
        ("True -> 1", "True -> 1"),
        ("> not a quote", "\\> not a quote"),
        ("&lt; stays text", "\\&lt; stays text"),
        ("\x1b[31mred\x1b[0m", "red"),
        ("nul\x00byte", "nulbyte"),
        ("one\ntwo", "one<br>two"),
        ("one\r\ntwo", "one<br>two"),
        ("`code` spans stay", "`code` spans stay"),
        ("`a|b`", "\\`a\\|b\\`"),
        ("`<b>`", "\\`\\<b>\\`"),
        ("`a\\b`", "\\`a\\\\b\\`"),
        ("unbalanced ` tick", "unbalanced \\` tick"),
        ("a & b", "a & b"),
        ("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
        ("param_name", "param_name"),
        ("__init__", "\\_\\_init\\_\\_"),
        ("a\\|b", "a\\\\\\|b"),
        ("", " "),
    ],
)
def test_md_cell(text: str, expected: str) -> None:
    assert md_cell(text) == expected


@pytest.mark.parametrize(
    "text",
    ["a|b|c", "x\\|y", "x\\\\|y", "<b>|</b>", "\x1b]8;;http://x\x07link\x1b]8;;\x07 | z", "line1\n|line2"],
)
def test_cell_never_adds_columns(text: str) -> None:
    row = "| " + " | ".join(["a", md_cell(text), "c"]) + " |"
    assert len(split_row(row)) == 3


def test_md_inline_is_one_line() -> None:
    assert md_inline("a\n\n  b\n") == "a b"
    assert "\n" not in md_inline("x\ny\rz")


def test_strip_ansi_handles_csi_osc_and_8bit() -> None:
    assert strip_ansi("\x1b[1;31mA\x1b[0m\x1b]0;title\x07B\x1b(BC\x1b]8;;u\x1b\\D") == "ABCD"
    assert clean_text("\x9b31mX") == "X"


def test_clean_text_drops_controls_keeps_tabs_newlines_and_replaces_surrogates() -> None:
    assert clean_text("a\tb\nc\x00\x07\x7f\x85d") == "a\tb\ncd"
    assert clean_text("bad\udcffbyte") == "bad\ufffdbyte"
    clean_text("x\udcff").encode("utf-8")  # must not raise


def test_fence_is_longer_than_any_backtick_run() -> None:
    assert fence_for("plain") == "```"
    assert fence_for("a ``` b") == "````"
    assert fence_for("`````") == "``````"


def test_code_block_cannot_be_closed_by_its_content() -> None:
    block = code_block("print('x')\n```\nstill code", "python")
    lines = block.split("\n")
    fence = lines[0][: len(lines[0]) - len("python")]
    assert len(fence) == 4 and lines[-1] == fence
    # No inner line is a closing fence of that length.
    assert all(not (line.strip().startswith(fence) and set(line.strip()) == {"`"}) for line in lines[1:-1])


def test_comment_lines() -> None:
    assert comment_lines("[[1 2]\n [3 4]]\n") == "# [[1 2]\n#  [3 4]]"
    assert comment_lines("") == "# (no output)"
    assert comment_lines("a\n\nb") == "# a\n#\n# b"
    assert "\x1b" not in comment_lines("\x1b[31mred\x1b[0m")


def test_xml_text_is_parseable_in_junit() -> None:
    message = "bad\x00\x01\x0b\x0c\x1b[31mred\x1b[0m \ufffe\udcff <tag> & \t\n ok"
    cleaned = xml_text(message)
    assert "\x00" not in cleaned and "\x1b" not in cleaned and "\ufffe" not in cleaned
    assert "<tag> &" in cleaned  # the XML library escapes these, not xml_text
    element = ET.Element("failure", message=cleaned)
    element.text = cleaned
    parsed = ET.fromstring(ET.tostring(element, encoding="unicode"))
    assert parsed.text == cleaned
