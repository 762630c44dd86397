"""The command line: fast help without frameworks, clear errors with exit 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from apicompat.cli import main


def test_help_imports_no_framework() -> None:
    code = (
        "import sys\n"
        "from apicompat.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "try:\n    main(['report', '--help'])\nexcept SystemExit:\n    pass\n"
        "try:\n    main(['check', '--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in ('torch', 'mindspore', 'numpy', 'yaml', 'jinja2', 'rich', 'markupsafe')"
        " if m in sys.modules)\n"
        "print('LOADED', heavy)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "LOADED []" in run.stdout


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["report", "--seed", "abc"], "expected a whole number"),
        (["report", "--cases", "0"], "greater than 0"),
        (["report", "--device", "tpu"], "unknown device"),
        (["report", "--timeout", "nan"], "finite number"),
        (["report", "--retries", "-1"], "expected a number of retries from 0 to 10, got -1"),
        (["check", "--retries", "11"], "expected a number of retries from 0 to 10, got 11"),
        (["report", "--retries", "one"], "expected a whole number"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_options_exit_2_without_traceback(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_missing_spec_path_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.yaml"
    assert main(["report", str(missing), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "nope.yaml" in err and "Traceback" not in err


def test_malformed_spec_names_file_line_and_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "bad.yaml"
    text = Path("specs/cumsum.yaml").read_text().replace("kind: axis", "kind: axsi")
    spec.write_text(text)
    assert main(["report", str(spec), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if "axsi" in ln)
    assert f"bad.yaml:{line}" in err and "kind" in err and "did you mean 'axis'" in err
    assert not (tmp_path / "out" / "bad.md").exists()


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "report" in capsys.readouterr().out


def test_retries_reach_the_run_options() -> None:
    from apicompat.cli import build_parser
    from apicompat.commands.running import config_from

    assert config_from(build_parser().parse_args(["report"])).options.retries == 1
    assert config_from(build_parser().parse_args(["check", "--retries", "3"])).options.retries == 3
