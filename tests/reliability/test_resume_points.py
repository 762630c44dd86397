"""`--resume` from a run cut at any byte: the final reports are those of an uninterrupted run.

A kill can stop a run anywhere: between two specs, in the middle of a spec, or in the
middle of writing one line of its partial results. Every such state is a prefix of
the partial-results files a complete run writes (specs before the cut complete, the
spec being run cut at some byte, later specs absent), plus the reports of the
specs that had finished. These tests build such states at seeded random bytes and
resume from them in-process; tests/reliability/test_interrupt_signals.py does the
same with real signals sent to a real `apicompat report` process.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from resume_helpers import ADAPTERS, SPEC_IDS, visible_files, write_specs

from apicompat.cli import EXIT_OK, EXIT_USAGE, main
from apicompat.commands.running import ADAPTERS_ENV
from apicompat.run.checkpoint import PARTIAL_DIR, Checkpoint, decode_line, encode_line, read_partial

POINTS = 6  # cut points per test run (seeded, so a failure reproduces)


@pytest.fixture
def specs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv(ADAPTERS_ENV, ADAPTERS)
    monkeypatch.setenv("CHAOS_SLOW_SECONDS", "0")
    return write_specs(tmp_path / "specs")


def report(specs: list[str], out: Path, *extra: str) -> int:
    return main(["report", *specs, "--out", str(out), "--cases-dir", str(out.parent / "no-cases"), *extra])


@pytest.fixture
def complete(specs: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """An uninterrupted run's reports, and the partial results it wrote (kept from removal)."""
    reference = tmp_path / "reference"
    assert report(specs, reference) == EXIT_OK
    assert not (reference / PARTIAL_DIR).exists()  # a finished run removes its partial results
    kept = tmp_path / "kept"
    with monkeypatch.context() as mp:
        mp.setattr(Checkpoint, "remove", lambda self, spec_ids: None)
        assert report(specs, kept) == EXIT_OK
    assert visible_files(kept) == visible_files(reference)
    return reference, kept / PARTIAL_DIR


def cut_state(reference: Path, partial: Path, out: Path, spec_index: int, byte: int) -> None:
    """The output directory as a kill at `byte` of spec `spec_index`'s partial results leaves it."""
    (out / PARTIAL_DIR).mkdir(parents=True)
    for i, spec_id in enumerate(SPEC_IDS):
        if i < spec_index:  # finished: its reports were written, its partial results are complete
            shutil.copy(partial / f"{spec_id}.jsonl", out / PARTIAL_DIR)
            for suffix in (".md", ".json"):
                shutil.copy(reference / f"{spec_id}{suffix}", out)
        elif i == spec_index:
            data = (partial / f"{spec_id}.jsonl").read_bytes()
            (out / PARTIAL_DIR / f"{spec_id}.jsonl").write_bytes(data[:byte])


def test_resume_from_random_cut_points_gives_identical_reports(
    specs: list[str], complete: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reference, partial = complete
    expected = visible_files(reference)
    rng = random.Random(20240229)
    sizes = [(partial / f"{s}.jsonl").stat().st_size for s in SPEC_IDS]
    points = [(0, 0), (1, sizes[1])]  # nothing written yet; everything written but the index
    points += [(i, rng.randrange(sizes[i])) for i in (rng.randrange(2) for _ in range(POINTS - 2))]
    for n, (spec_index, byte) in enumerate(points):
        out = tmp_path / f"cut{n}"
        cut_state(reference, partial, out, spec_index, byte)
        capsys.readouterr()
        assert report(specs, out, "--resume") == EXIT_OK, (spec_index, byte)
        assert visible_files(out) == expected, (spec_index, byte)
        assert not (out / PARTIAL_DIR).exists()
        err = capsys.readouterr().err
        assert "Traceback" not in err


def test_resume_reuses_what_was_kept(
    specs: list[str], complete: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reference, partial = complete
    out = tmp_path / "out"
    found = read_partial(partial / "slow_a.jsonl")
    assert found is not None
    data = (partial / "slow_a.jsonl").read_bytes()
    half = data.count(b"\n") // 2
    cut_state(reference, partial, out, 0, len(b"\n".join(data.split(b"\n")[: half + 1])) + 1)
    capsys.readouterr()
    assert report(specs, out, "--resume") == EXIT_OK
    err = capsys.readouterr().err
    assert f"apicompat: resuming slow_a: {half} of {len(found.observations)} case results kept" in err
    assert visible_files(out) == visible_files(reference)


def test_resume_refuses_partial_results_of_other_options(
    specs: list[str], complete: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reference, partial = complete
    out = tmp_path / "out"
    cut_state(reference, partial, out, 1, 100)
    before = {p.name: p.read_bytes() for p in (out / PARTIAL_DIR).iterdir()}
    capsys.readouterr()
    assert report(specs, out, "--resume", "--seed", "7") == EXIT_USAGE
    err = capsys.readouterr().err
    assert "cannot resume slow_a" in err and "--seed 20240229, but this run uses --seed 7" in err
    assert "without --resume" in err and "Traceback" not in err
    assert {p.name: p.read_bytes() for p in (out / PARTIAL_DIR).iterdir()} == before  # untouched


def test_resume_with_nothing_kept_runs_everything(specs: list[str], tmp_path: Path) -> None:
    out = tmp_path / "out"
    reference = tmp_path / "reference"
    assert report(specs, out, "--resume") == EXIT_OK
    assert report(specs, reference) == EXIT_OK
    assert visible_files(out) == visible_files(reference)


def tamper(path: Path) -> None:
    """Rewrite every kept observation as an error, with valid checksums."""
    lines = path.read_bytes().splitlines(keepends=True)
    out = [lines[0]]
    for line in lines[1:]:
        payload = decode_line(line)
        assert payload is not None
        out.append(encode_line({**payload, "status": "error", "outputs": [], "error_type": "Planted"}))
    path.write_bytes(b"".join(out))


def test_kept_results_are_used_by_resume_and_ignored_by_a_fresh_run(
    specs: list[str], complete: tuple[Path, Path], tmp_path: Path
) -> None:
    reference, partial = complete
    for resume, same in ((True, False), (False, True)):
        out = tmp_path / f"out-{resume}"
        cut_state(reference, partial, out, 1, 0)
        tamper(out / PARTIAL_DIR / "slow_a.jsonl")
        assert report(specs, out, *(["--resume"] if resume else [])) == EXIT_OK
        # --resume trusts what was kept (so the other tests here are not vacuous); a plain run
        # starts over and replaces it.
        assert (visible_files(out) == visible_files(reference)) is same
        assert not (out / PARTIAL_DIR).exists()
