"""Live signatures on real pages: one-sided `out`, overloads, drift banners, drift in check and pytest."""

from __future__ import annotations

import contextlib
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from apicompat.cli import main
from apicompat.conformance import Baseline, save_baseline

pytest.importorskip("torch")
pytest.importorskip("mindspore")
pytestmark = pytest.mark.frameworks

REPO = Path(__file__).resolve().parents[2]
# mindspore.mint.max calls it `dim`; mapping it to `axis` is what an out-of-date spec does.
DRIFTED_MAX = (
    (REPO / "specs" / "max.yaml")
    .read_text()
    .replace("    api: mindspore.mint.max\n", "    api: mindspore.mint.max\n    params: {dim: axis}\n")
)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pages")
    code, _, err = run("report", "specs/cat.yaml", "specs/max.yaml", "specs/std.yaml", "--out", str(out))
    assert code == 0, err
    return out


@pytest.mark.parametrize("spec", ["cat", "max", "std"])
def test_out_is_listed_as_pytorch_only(pages: Path, spec: str) -> None:
    page = (pages / f"{spec}.md").read_text()
    rows = [line for line in page.splitlines() if line.startswith("|") and "| out | - |" in line]
    assert rows and all("PyTorch only; not exercised: the spec does not declare it" in r for r in rows)
    data = json.loads((pages / f"{spec}.json").read_text())
    for target in data["targets"]:
        if target["source"] is not None:
            continue  # compared with a torch.Tensor method, which takes no out= either
        subjects = {(d["kind"], d["subject"]) for d in target["differences"]}
        assert ("param_only_in_one", "PyTorch:out") in subjects, target["api"]


def test_torch_max_overloads_are_on_its_page(pages: Path) -> None:
    page = (pages / "max.md").read_text()
    assert "Overloads (3):" in page
    assert (
        "| torch.max(input, dim, keepdim=False, \\*, out=None) -> (Tensor, LongTensor) | docstring | yes |"
        in page
    )
    assert "| torch.max(input, \\*, out=None) -> Tensor | docstring | no: not covered" in page
    assert "| torch.max(input, other, \\*, out=None) -> Tensor | docstring | no: not covered" in page
    data = json.loads((pages / "max.json").read_text())
    covered = [(o["text"], o["covered"]) for o in data["source_signature"]["overloads"]]
    assert [c for _, c in covered] == [False, True, False]


def test_drift_is_refused_then_written_with_a_banner_when_allowed(tmp_path: Path) -> None:
    spec = tmp_path / "max.yaml"
    spec.write_text(DRIFTED_MAX)
    line = DRIFTED_MAX.splitlines().index("    params: {dim: axis}") + 1
    code, _, err = run("report", str(spec), "--out", str(tmp_path / "refused"))
    assert code == 2 and not (tmp_path / "refused" / "max.md").exists()
    assert f"{spec}:{line}: error at 'targets[1].params.dim': the spec maps 'dim' to 'axis', but " in err
    assert "has: input, dim, keepdim, other (did you mean 'dim'?)" in err
    code, _, err = run("report", str(spec), "--out", str(tmp_path / "allowed"), "--allow-drift")
    assert code == 0, err
    page = (tmp_path / "allowed" / "max.md").read_text()
    assert "> **Spec drift.**" in page
    mint = page[page.index("### mindspore.mint.max") :]
    mint = mint[: mint.index("\n### ", 1)]  # its own table, not the Tensor.max section after it
    table = [line for line in mint.splitlines() if line.startswith("|")]
    numbered = [row for row in table if re.search(r"\| Parameter \d+ \|", row)]
    dim_rows = [row for row in numbered if "| dim |" in row or "| axis |" in row]
    assert len(dim_rows) == 1 and "Spec drift:" in dim_rows[0], dim_rows  # one row, never two that disagree
    assert not any("MindSpore only" in row and "dim" in row for row in table)
    assert not any("different parameter names" in row for row in dim_rows)


def test_check_fails_on_drift_naming_the_spec_and_parameter(tmp_path: Path) -> None:
    spec = tmp_path / "max.yaml"
    spec.write_text(DRIFTED_MAX)
    baseline = str(tmp_path / "baseline.json")
    code, out, err = run("check", str(spec), "--baseline", baseline, "--update-baseline")
    assert code == 1, err
    assert "FAILED max mindspore.mint.max: spec drift: the spec maps 'dim' to 'axis'" in out


def test_check_refuses_a_spec_whose_api_does_not_resolve(tmp_path: Path) -> None:
    spec = tmp_path / "cumsum.yaml"
    spec.write_text(
        (REPO / "specs" / "cumsum.yaml")
        .read_text()
        .replace("api: mindspore.ops.cumsum", "api: mindspore.ops.cumsumm")
    )
    code, _, err = run("check", str(spec), "--baseline", str(tmp_path / "b.json"), "--update-baseline")
    assert code == 2 and "error at 'targets[0].api': module 'mindspore.ops' has no attribute 'cumsumm'" in err


def test_pytest_items_of_a_refused_spec_error_with_its_location(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "cumsum.yaml").write_text(
        (REPO / "specs" / "cumsum.yaml")
        .read_text()
        .replace("api: mindspore.ops.cumsum", "api: mindspore.ops.cumprodd")
    )
    save_baseline(tmp_path / "reports" / "baseline.json", Baseline())
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "specs", "-p", "no:cacheprovider"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "specs/cumsum.yaml:" in result.stdout and "error at 'targets[0].api'" in result.stdout
    assert "did you mean 'cumprod'?" in result.stdout and "Traceback" not in result.stdout


def test_pytest_fails_the_parameter_name_item_of_a_drifted_target(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "max.yaml").write_text(DRIFTED_MAX)
    save_baseline(tmp_path / "reports" / "baseline.json", Baseline())
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "specs", "-p", "no:cacheprovider", "-k", "mint and param_name"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "spec drift in mindspore.mint.max:" in result.stdout
    assert "the spec maps 'dim' to 'axis', but mindspore.mint.max has no parameter 'axis'" in result.stdout
