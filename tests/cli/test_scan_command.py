"""`apicompat scan`: the script's failures are the user's (exit 2), and the readiness report is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apicompat.cli import main

REPO = Path(__file__).resolve().parents[2]


def _scan(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["scan", *args, "--specs", str(REPO / "specs")])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_missing_script_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _scan(capsys, str(tmp_path / "nope.py"))
    assert code == 2 and "nope.py: no such file" in err and "Traceback" not in err
    code, _, err = _scan(capsys, str(tmp_path))
    assert code == 2 and "not a file" in err


def test_a_bad_timeout_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["scan", "model.py", "--timeout", "0"])
    assert info.value.code == 2
    assert "expected a finite number greater than 0" in capsys.readouterr().err


def _script(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "model.py"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.frameworks
def test_the_scripts_error_shows_its_own_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = _script(
        tmp_path, "import torch\n\n\ndef build():\n    return torch.ones(2) @ torch.ones(3)\n\n\nbuild()\n"
    )
    code, out, err = _scan(capsys, str(script), "--out", str(tmp_path / "out"))
    assert code == 2 and out == ""
    assert "raised an error (exit 2); its traceback:" in err
    assert f'File "{script}", line 8, in <module>' in err and f'File "{script}", line 5, in build' in err
    assert "RuntimeError:" in err and "apicompat/" not in err and "runpy" not in err
    assert not (tmp_path / "out").exists()


@pytest.mark.frameworks
def test_a_script_that_never_ends_is_stopped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = _script(tmp_path, "import torch\nx = torch.ones(2)\nwhile True:\n    x = x + 0\n")
    code, _, err = _scan(capsys, str(script), "--timeout", "3")
    assert code == 2
    assert "did not finish within the time allowed and was stopped (pass --timeout S" in err


@pytest.mark.frameworks
@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("import torch\nprint('hello')\n", "called no torch API"),
        ("import sys\nsys.exit(3)\n", "the script exited with status 3"),
    ],
)
def test_a_script_with_nothing_to_check_fails_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, says: str
) -> None:
    code, _, err = _scan(capsys, str(_script(tmp_path, text)))
    assert code == 2 and says in err and "Traceback" not in err


@pytest.mark.frameworks
def test_scan_of_the_example_cnn_writes_its_readiness(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    args = [str(REPO / "examples" / "cnn.py"), "--out", str(out), "--reports", str(tmp_path / "none")]
    code, printed, _ = _scan(capsys, *args)
    assert code == 0
    data = json.loads((out / "cnn.json").read_text(encoding="utf-8"))
    by_name = {a["name"]: a for a in data["apis"]}
    for name, spec in [
        ("torch.nn.functional.conv2d", "conv2d"),
        ("torch.nn.functional.batch_norm", "batch_norm"),
        ("torch.nn.functional.max_pool2d", "max_pool2d"),
        ("torch.nn.functional.adaptive_avg_pool2d", "adaptive_avg_pool2d"),
        ("torch.nn.functional.linear", "linear"),
        ("torch.nn.functional.relu", "relu"),
        ("torch.nn.functional.cross_entropy", "cross_entropy"),
    ]:
        assert by_name[name]["spec"] == spec and by_name[name]["in_forward"] >= (
            name != "torch.nn.functional.cross_entropy"
        )
    conv = by_name["torch.nn.functional.conv2d"]
    assert conv["calls"] == 2 and conv["signatures"][0]["positional"][0] == {
        "dtype": "float32",
        "shape": [4, 3, 16, 16],
    }
    assert "aten.convolution" in conv["lowers_to"]
    assert by_name["torch.nn.functional.dropout"]["category"] == "random"
    assert by_name["torch.Tensor.backward"]["category"] == "autograd"
    counts = data["counts"]
    # The layers are measured; Tensor.add_ (BatchNorm's counter) and Tensor.flatten wait for
    # elementwise and shape specs.
    assert counts["forward_measured"] >= 6 and counts["forward_measured"] <= counts["forward_operations"]
    assert printed.splitlines()[0] == f"{args[0]}: {data['summary']}"
    first = (out / "cnn.md").read_text(encoding="utf-8")
    assert first.startswith(f"# Porting readiness: {args[0]}")
    assert _scan(capsys, *args)[0] == 0
    assert (out / "cnn.md").read_text(encoding="utf-8") == first  # the same script, the same page


@pytest.mark.frameworks
def test_measure_runs_the_scripts_own_calls(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = _script(
        tmp_path,
        "import torch\nfrom torch import nn\ntorch.manual_seed(0)\n"
        "layer = nn.Linear(6, 3)\nlayer(torch.randn(2, 6)).sum().backward()\n",
    )
    code, printed, _ = _scan(capsys, str(script), "--measure", "--json", "--out", str(tmp_path / "out"))
    assert code == 0
    data = json.loads(printed)
    linear = next(a for a in data["apis"] if a["name"] == "torch.nn.functional.linear")
    assert data["measured_run"] is True
    assert {m["target"] for m in linear["measured_calls"]} == {
        "mindspore.mint.nn.functional.linear",
        "mindspore.ops.dense",
    }
    assert all(m["call"] == "(float32[2,6], float32[3,6], float32[3])" for m in linear["measured_calls"])
    assert all(m["outcome"] for m in linear["measured_calls"])


@pytest.mark.frameworks
def test_the_command_never_imports_torch_itself(tmp_path: Path) -> None:
    import subprocess
    import sys

    script = _script(tmp_path, "import torch\ntorch.nn.functional.relu(torch.ones(3))\n")
    argv = ["scan", str(script), "--out", str(tmp_path / "out"), "--specs", str(REPO / "specs")]
    probe = (
        "import sys\nfrom apicompat.cli import main\n"
        f"code = main({argv!r})\n"
        "assert code == 0, code\nassert 'torch' not in sys.modules and 'mindspore' not in sys.modules\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=300, cwd=tmp_path
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "torch.nn.functional.relu x1" in done.stdout


#: Forward calls of the held-out models that are not layers: elementwise and shape specs (issue 12)
#: measure them, or no MindSpore function exists (multi_head_attention_forward, the recurrent kernels).
NOT_LAYERS = {
    "torch.Tensor.add",
    "torch.Tensor.flatten",
    "torch.Tensor.__getitem__",
    "torch.gru",
    "torch.nn.functional.multi_head_attention_forward",
}


@pytest.mark.frameworks
def test_every_layer_of_held_out_models_is_measured(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = REPO / "tests" / "scan" / "heldout_models.py"
    code, printed, _ = _scan(
        capsys, str(script), "--json", "--out", str(tmp_path), "--reports", str(tmp_path)
    )
    assert code == 0
    data = json.loads(printed)
    forward = [a for a in data["apis"] if a["category"] == "operation" and a["in_forward"]]
    unmeasured = {a["name"] for a in forward if a["spec"] is None}
    assert unmeasured <= NOT_LAYERS, unmeasured - NOT_LAYERS
    layers = {a["name"] for a in forward if a["name"].startswith("torch.nn.functional.")}
    assert len(layers) >= 10  # the models really exercise the layers
    assert data["counts"]["forward_measured"] == len(forward) - len(unmeasured)
