"""APICOMPAT_ADAPTERS: the test-oriented way to register extra framework adapters from the environment."""

from __future__ import annotations

import pytest

from apicompat.cli import main
from apicompat.commands.running import ADAPTERS_ENV, extra_adapters
from apicompat.records import ApicompatError


def test_unset_registers_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ADAPTERS_ENV, raising=False)
    assert extra_adapters() == {}


def test_names_and_paths_are_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        ADAPTERS_ENV, " fake = fake_frameworks:FakeAdapter , calm=chaos_frameworks:ChaosAdapter,"
    )
    assert extra_adapters() == {
        "fake": "fake_frameworks:FakeAdapter",
        "calm": "chaos_frameworks:ChaosAdapter",
    }


@pytest.mark.parametrize("value", ["oops", "fake=", "fake=module", "=m:C", "two words=m:C", "f=m:"])
def test_a_malformed_value_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    monkeypatch.setenv(ADAPTERS_ENV, value)
    with pytest.raises(ApicompatError, match=ADAPTERS_ENV):
        extra_adapters()
    assert main(["report", "specs/cumsum.yaml", "--out", "/nonexistent/never-written"]) == 2
    err = capsys.readouterr().err
    assert f"apicompat: {ADAPTERS_ENV}: expected name=module:Class" in err and "Traceback" not in err
