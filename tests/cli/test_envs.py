"""`apicompat envs list|add|remove` and the errors of `report --with`: exit 2 with what to fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from versioned_frameworks import ADAPTERS, build_wheel

from apicompat.cli import main
from apicompat.commands.running import ADAPTERS_ENV
from apicompat.execute import environments
from apicompat.execute.environments import ENVS_DIR_ENV


@pytest.fixture
def offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    wheels = tmp_path / "wheels"
    build_wheel(wheels, "1.0")
    monkeypatch.setenv(ADAPTERS_ENV, ADAPTERS)
    monkeypatch.setenv(ENVS_DIR_ENV, str(tmp_path / "envs"))
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(wheels))
    monkeypatch.setattr(environments, "WORKER_REQUIREMENTS", ())
    return tmp_path


def test_add_list_remove(offline: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["envs", "list"]) == 0
    assert f"no environments in {offline / 'envs'}" in capsys.readouterr().out
    assert main(["envs", "add", "fakefw==1.0"]) == 0
    captured = capsys.readouterr()
    assert f"fakefw==1.0: {offline / 'envs' / 'fakefw-1.0'}" in captured.out
    assert "installing fakefw==1.0" in captured.err  # the progress line
    assert main(["envs", "list"]) == 0
    assert "fakefw==1.0  (Python 3." in capsys.readouterr().out
    assert main(["envs", "remove", "fakefw==1.0"]) == 0
    assert "fakefw==1.0: removed" in capsys.readouterr().out
    assert main(["envs", "remove", "fakefw==1.0"]) == 0
    assert "fakefw==1.0: no such environment" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("mindspore", "expected FRAMEWORK==VERSION, e.g. mindspore==2.9.0, got 'mindspore'"),
        ("jax==0.4", "'jax==0.4': unknown framework 'jax' (known: "),
    ],
)
def test_bad_with_values_exit_2(
    offline: Path, capsys: pytest.CaptureFixture[str], value: str, message: str
) -> None:
    assert main(["report", "specs/cumsum.yaml", "--out", str(offline / "out"), "--with", value]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_the_same_version_twice_is_an_error(offline: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["report", "specs/cumsum.yaml", "--out", str(offline / "out")]
    assert main([*args, "--with", "fakefw==1.0", "--with", "fakefw==1.0"]) == 2
    assert "--with fakefw==1.0 is given twice" in capsys.readouterr().err


def test_a_version_the_index_lacks_stops_the_run_before_it_starts(
    offline: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "specs/cumsum.yaml", "--out", str(offline / "out"), "--with", "fakefw==9.9"]) == 2
    err = capsys.readouterr().err
    assert "fakefw 9.9 is not on the package index for Python 3." in err and "it has 1.0" in err
    assert not (offline / "out" / "cumsum.md").exists()
