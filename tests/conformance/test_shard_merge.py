"""Sharding (`--shard i/N`), reading reports back (`load_result`) and `apicompat merge`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conformance_helpers import CUMSUM_DIFFS, diff, result, spec_text
from hypothesis import given
from hypothesis import strategies as st

import apicompat.commands.check as check_command
import apicompat.commands.report as report_command
from apicompat.cli import EXIT_OK, EXIT_USAGE, main
from apicompat.records import ApicompatError, SpecResult
from apicompat.report import render_json, render_markdown, report_dict
from apicompat.report.load import load_result
from apicompat.run.pipeline import RunConfig
from apicompat.run.shards import Shard, parse_shard
from apicompat.spec import Spec

SPEC_IDS = ("cumsum", "cummax", "cumprod", "argmax", "sum")


# --- sharding --------------------------------------------------------------


def test_parse_shard() -> None:
    assert parse_shard("2/4") == Shard(2, 4)
    assert parse_shard(" 1 / 1 ") == Shard(1, 1)
    assert str(parse_shard("3/5")) == "3/5"
    for bad in ("0/4", "5/4", "1/0", "-1/4", "1/4/2", "a/b", "", "1"):
        with pytest.raises(ValueError):
            parse_shard(bad)
    with pytest.raises(ValueError):
        Shard(0, 1)


@given(st.lists(st.text(min_size=1, max_size=8), unique=True, max_size=40), st.integers(1, 9), st.randoms())
def test_shards_partition_any_suite_stably_and_evenly(ids: list[str], count: int, rnd: object) -> None:
    shares = [Shard(i, count).select(ids, key=str) for i in range(1, count + 1)]
    assert sorted(x for share in shares for x in share) == sorted(ids)  # every spec exactly once
    sizes = [len(s) for s in shares]
    assert max(sizes) - min(sizes) <= 1
    shuffled = list(ids)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    # the order specs are found in does not move them between shards
    assert [sorted(Shard(i, count).select(shuffled, key=str)) for i in range(1, count + 1)] == [
        sorted(s) for s in shares
    ]
    for share in shares:  # each share keeps the input order
        assert share == [x for x in ids if x in share]


# --- load_result -----------------------------------------------------------


def nasty_result() -> SpecResult:
    details = {
        "max_abs_error": float("nan"),
        "inf": float("inf"),
        "notes": ["a", "b"],
        "nested": {"k": [1, 2.5]},
    }
    d1 = diff("value_mismatch", "float16", summary="ünïcode | `tick` <b>", details=details)
    d2 = diff("param_name", "dim", cases=(), accepted="renamed")
    res = result("cumsum", (d1, d2), unavailable=("mindspore:gpu (no CUDA)",))
    return type(res)(**{**res.__dict__, "source_signature": None})


def test_load_result_is_the_inverse_of_render_json(tmp_path: Path) -> None:
    res = nasty_result()
    text = render_json(res)
    (tmp_path / "cumsum.json").write_text(text, encoding="utf-8")
    loaded = load_result(tmp_path / "cumsum.json")
    assert render_json(loaded) == text  # byte-identical
    assert render_markdown(loaded) == render_markdown(res)
    assert load_result(json.loads(text)) == loaded
    assert loaded.targets[0].differences[0].details["max_abs_error"] == "nan"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d.pop("targets"), "not an apicompat report"),
        (lambda d: d.update(format_version=1), "format 1 is not supported"),
        (lambda d: d.pop("seed"), "missing key 'seed'"),
        (lambda d: d.update(seed="7"), "expected an integer"),
        (
            lambda d: d["targets"][0]["differences"][0].update(kind="colour"),
            "'colour' is not a valid DiffKind",
        ),
        (lambda d: d["targets"][0]["differences"][0].update(key="x"), "does not match"),
    ],
)
def test_load_result_rejects_what_is_not_a_report(edit: object, message: str) -> None:
    data = report_dict(result("cumsum", CUMSUM_DIFFS))
    edit(data)  # type: ignore[operator]
    with pytest.raises(ApicompatError) as info:
        load_result(data, "shard-1/cumsum.json")
    assert str(info.value).startswith("shard-1/cumsum.json: ")
    assert message in str(info.value)


# --- merge -----------------------------------------------------------------


@pytest.fixture
def suite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Five specs, each run measuring its own differences (so pages differ), as the cwd."""
    (tmp_path / "specs").mkdir()
    for spec_id in SPEC_IDS:
        (tmp_path / "specs" / f"{spec_id}.yaml").write_text(spec_text(spec_id), encoding="utf-8")

    def run(
        specs: list[Spec],
        handwritten: object,
        config: RunConfig,
        progress: object = None,
        *,
        refused: object = None,
    ) -> Iterator[SpecResult]:
        for spec in specs:
            yield result(spec.id, (*CUMSUM_DIFFS, diff("error_behavior", f"raises:{spec.id}")))

    monkeypatch.setattr(check_command, "run_all", run)
    monkeypatch.setattr(report_command, "run_all", run)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--update-baseline", "--baseline", "baseline.json"]) == EXIT_OK
    return tmp_path


def files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_merged_shards_equal_a_single_run_and_the_report_command(suite: Path) -> None:
    assert main(["check", "--baseline", "baseline.json", "--out", "single"]) == EXIT_OK
    for i in (1, 2, 3):
        assert (
            main(["check", "--baseline", "baseline.json", "--shard", f"{i}/3", "--out", f"shards/{i}"])
            == EXIT_OK
        )
    assert main(["merge", "shards/1", "shards/2", "shards/3", "--out", "merged"]) == EXIT_OK
    assert main(["report", "--out", "report"]) == EXIT_OK
    merged = files(suite / "merged")
    assert len(merged) == 2 * len(SPEC_IDS) + 2  # pages, JSON, index.md and index.json
    assert merged == files(suite / "single") == files(suite / "report")
    assert files(suite / "shards" / "1") != merged  # a shard alone is not the whole suite


def test_merge_skips_other_json_and_accepts_the_same_shard_twice(
    suite: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["check", "--baseline", "baseline.json", "--out", "single"])
    (suite / "single" / "baseline.json").write_text('{"entries": []}', encoding="utf-8")
    assert main(["merge", "single", "single/cumsum.json", "--out", "merged"]) == EXIT_OK
    assert "merge: 5 spec(s) from 2 input(s)" in capsys.readouterr().out
    assert "baseline.json" not in files(suite / "merged")


def test_merge_errors_exit_2(suite: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--baseline", "baseline.json", "--out", "a"])
    assert main(["merge", "nowhere", "--out", "m"]) == EXIT_USAGE
    assert "nowhere: no such file or directory" in capsys.readouterr().err
    (suite / "empty").mkdir()
    assert main(["merge", "empty", "--out", "m"]) == EXIT_USAGE
    assert "no apicompat reports" in capsys.readouterr().err
    # the same spec with different results: shards run with different options
    (suite / "b").mkdir()
    data = json.loads((suite / "a" / "cumsum.json").read_text(encoding="utf-8"))
    data["seed"] = 8
    (suite / "b" / "cumsum.json").write_text(json.dumps(data), encoding="utf-8")
    assert main(["merge", "a", "b", "--out", "m"]) == EXIT_USAGE
    assert "spec 'cumsum' has different results in a/cumsum.json and b/cumsum.json" in capsys.readouterr().err
    # schema violations name the file and the place
    data["targets"][0]["consistent"] = "yes"
    (suite / "b" / "cumsum.json").write_text(json.dumps(data), encoding="utf-8")
    assert main(["merge", "b", "--out", "m"]) == EXIT_USAGE
    assert "b/cumsum.json: not a valid apicompat report at targets/0/consistent" in capsys.readouterr().err
    (suite / "b" / "cumsum.json").write_text("{", encoding="utf-8")
    assert main(["merge", "b", "--out", "m"]) == EXIT_USAGE
    assert "b/cumsum.json:1: the report is not valid JSON" in capsys.readouterr().err
    assert not (suite / "m").exists()  # nothing half-written


def test_merged_shards_write_the_same_html_site_as_the_report_command(suite: Path) -> None:
    for i in (1, 2):
        main(["check", "--baseline", "baseline.json", "--shard", f"{i}/2", "--out", f"shards/{i}"])
    assert main(["merge", "shards/1", "shards/2", "--out", "merged", "--html"]) == EXIT_OK
    assert main(["report", "--out", "report", "--html"]) == EXIT_OK

    def site(root: Path) -> dict[str, bytes]:
        files = sorted(p for p in root.rglob("*") if p.is_file())
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in files}

    merged = site(suite / "merged" / "html")
    assert len(merged) == len(SPEC_IDS) + 3  # the pages, index.html and two assets
    assert merged == site(suite / "report" / "html")
