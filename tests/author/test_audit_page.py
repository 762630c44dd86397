"""Reading a published mapping page: Markdown, and the same page flattened onto one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from apicompat.author.page import PageError, parse_page, split_statements

FIXTURES = Path(__file__).parent / "fixtures"
FLAT = (FIXTURES / "cumsum_page_flat.txt").read_text()
MARKDOWN = (FIXTURES / "cumsum_page.md").read_text()
TITLE = "# Function Differences with torch.cumsum\n\n"


@pytest.mark.parametrize("text", [FLAT, MARKDOWN], ids=["flattened", "markdown"])
def test_the_seed_page_in_both_forms(text: str) -> None:
    page = parse_page(text, "cumsum.md")
    assert page.source == "torch.cumsum" and page.targets == ("mindspore.ops.cumsum",)
    assert (
        dict(page.signatures)["mindspore.ops.cumsum"] == "mindspore.ops.cumsum(x, axis, dtype=None) -> Tensor"
    )
    assert [(r.number, r.source, r.target, r.difference) for r in page.rows] == [
        (1, "input", "x", "Same function, different parameter names"),
        (2, "dim", "axis", "Same function, different parameter names"),
        (3, "dtype", "dtype", "-"),
        (4, "out", None, "Not involved"),
    ]
    assert [(s.example, s.framework) for s in page.snippets] == [
        ("Code Example 1", "torch"),
        ("Code Example 1", "mindspore"),
        ("Code Example 2", "torch"),
        ("Code Example 2", "mindspore"),
    ]
    second = page.snippets[3]
    assert second.statements[-3:] == (
        "y = ops.cumsum(x, 0, dtype=mindspore.int8)",
        "print(y)",
        "print(y.dtype)",
    )
    assert [p.published for p in second.prints][1] == "Int8"
    assert page.flattened is (text is FLAT)


def test_both_forms_read_alike() -> None:
    flat, markdown = parse_page(FLAT, "a"), parse_page(MARKDOWN, "b")
    assert [r[:4] for r in map(lambda r: (r.number, r.source, r.target, r.difference), flat.rows)] == [
        (r.number, r.source, r.target, r.difference) for r in markdown.rows
    ]
    assert [s.statements for s in flat.snippets] == [s.statements for s in markdown.snippets]
    # The published outputs agree up to spacing (flattening keeps one space between columns).
    for a, b in zip(flat.snippets, markdown.snippets, strict=True):
        assert [(p.published or "").split() for p in a.prints] == [
            (p.published or "").split() for p in b.prints
        ]


def test_markdown_rows_know_their_lines() -> None:
    page = parse_page(MARKDOWN, "cumsum.md")
    lines = MARKDOWN.splitlines()
    for row in page.rows:
        assert f"Parameter {row.number} " in lines[row.line - 1]


def test_flattened_code_is_split_into_statements_and_comments() -> None:
    flat = (
        "# PyTorch import torch from torch import tensor import numpy as np "
        "a = tensor(np.array([[1, 2], [3, 4]]).astype(np.float32)) y = torch.cumsum(a, dim=-1) "
        "print(y.numpy()) # [[1. 3.] # [3. 7.]] x = a if True else None print(x)"
    )
    assert split_statements(flat) == [
        "# PyTorch",
        "import torch",
        "from torch import tensor",
        "import numpy as np",
        "a = tensor(np.array([[1, 2], [3, 4]]).astype(np.float32))",
        "y = torch.cumsum(a, dim=-1)",
        "print(y.numpy())",
        "# [[1. 3.]",
        "# [3. 7.]]",
        "x = a if True else None",
        "print(x)",
    ]


def test_a_printed_repr_in_a_comment_stays_a_comment() -> None:
    flat = (
        "y = ops.cumsum(x, 0) print(y) # Tensor(shape=[2], dtype=Float32, value= [ 1.00000000e+00, "
        "3.00000000e+00]) z = y print(z.dtype) # Float32"
    )
    assert split_statements(flat) == [
        "y = ops.cumsum(x, 0)",
        "print(y)",
        "# Tensor(shape=[2], dtype=Float32, value= [ 1.00000000e+00, 3.00000000e+00])",
        "z = y",
        "print(z.dtype)",
        "# Float32",
    ]


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ("Some notes\n\nno title here\n", 1, "expected a title '# Function Differences with torch.X'"),
        ("# Function Differences with torch.cumsum\n\ntext\n", 1, "no target section"),
        (
            f"{TITLE}## mindspore.ops.cumsum\n\n```text\nf(x)\n```\n\nno table\n",
            9,
            "no '## Differences' section",
        ),
        (
            f"{TITLE}## mindspore.ops.cumsum\n\n## Differences\n\nprose only\n",
            5,
            "no parameter rows",
        ),
    ],
    ids=["no-title", "no-target", "no-differences", "no-rows"],
)
def test_a_page_that_is_not_a_mapping_page_names_the_line(text: str, line: int, says: str) -> None:
    with pytest.raises(PageError) as raised:
        parse_page(text, "page.md")
    assert str(raised.value).startswith(f"page.md:{line}: error: ") and says in str(raised.value)
