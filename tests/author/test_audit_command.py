"""`apicompat audit` end to end: the seed page against specs/cumsum.yaml, and pages it cannot read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apicompat.cli import main

FIXTURES = Path(__file__).parent / "fixtures"


def test_a_page_that_is_not_a_mapping_page_exits_2_naming_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "notes.md"
    page.write_text("# Release notes\n\nNothing to see.\n")
    assert main(["audit", str(page), "--spec", "specs/cumsum.yaml"]) == 2
    err = capsys.readouterr().err
    assert f"{page}:1: error: expected a title '# Function Differences with torch.X'" in err
    assert "Traceback" not in err


def test_a_missing_page_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(tmp_path / "none.md"), "--spec", "specs/cumsum.yaml"]) == 2
    assert "cannot read the page" in capsys.readouterr().err


def test_a_page_for_another_api_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "cumsum.md"
    page.write_text((FIXTURES / "cumsum_page.md").read_text())
    assert main(["audit", str(page), "--spec", "specs/max.yaml"]) == 2
    assert "the page maps torch.cumsum, but specs/max.yaml measures torch.max" in capsys.readouterr().err


@pytest.mark.frameworks
@pytest.mark.parametrize(
    "fixture",
    [
        "cumsum_page_flat.txt",  # as the seed is stored; the Markdown form reads alike (test_audit_page.py)
        pytest.param("cumsum_page.md", marks=pytest.mark.slow),
    ],
)
def test_the_seed_page(fixture: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("mindspore")
    out = tmp_path / "audit.json"
    code = main(["audit", str(FIXTURES / fixture), "--spec", "specs/cumsum.yaml", "--json", str(out)])
    data = json.loads(out.read_text())
    verdicts = {(r["source"], r["target"]): r["verdict"] for r in data["rows"]}
    assert verdicts[("input", "x")] == verdicts[("dim", "axis")] == verdicts[("out", None)] == "confirmed"
    assert all("names verified by a call" in r["evidence"] for r in data["rows"][:2])
    # Both code examples ran in their frameworks' workers and print what the page publishes.
    assert [(o["example"], o["framework"], o["verdict"]) for o in data["outputs"]] == [
        ("Code Example 1", "torch", "matches"),
        ("Code Example 1", "mindspore", "matches"),
        ("Code Example 2", "torch", "matches"),
        ("Code Example 2", "torch", "matches"),
        ("Code Example 2", "mindspore", "matches"),
        ("Code Example 2", "mindspore", "matches"),
    ]
    # Silent or loud is what classification says; a missing silent difference fails the audit.
    silent = any(d["severity"] == "silent" for d in data["missing"])
    assert code == (1 if silent else 0) and data["failed"] is silent
    printed = capsys.readouterr().out
    assert "Parameter 1: input | x | Same function, different parameter names: confirmed" in printed
