"""Partial-results files: lines check themselves, observations come back bit for bit, refusals are clear."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from apicompat.records import ApicompatError, Observation, Output, Status
from apicompat.run.checkpoint import (
    Checkpoint,
    SpecRecorder,
    decode_line,
    decode_observation,
    encode_line,
    encode_observation,
    fingerprint,
    mismatch,
    read_partial,
)

DTYPES = [np.bool_, np.uint8, np.int8, np.int16, np.int32, np.int64]
DTYPES += [np.float16, np.float32, np.float64, np.complex64, np.complex128]

RUN = fingerprint(seed=1, budget=None, devices=["cpu"], timeout=60.0, memory_mb=8192, case_ids=["c-1", "c-2"])


def obs(case: str, values: np.ndarray | None = None, **kw: object) -> Observation:
    outputs = () if values is None else (Output(values.dtype.name, values.shape, values),)
    return Observation(case, "torch.cumsum", "cpu", kw.pop("status", Status.OK), outputs, **kw)  # type: ignore[arg-type]


def same(a: Observation, b: Observation) -> bool:
    """Equal, and every output's bytes identical (NaN payloads and -0.0 included)."""
    return a == b and all(
        x.values.dtype == y.values.dtype and x.values.tobytes() == y.values.tobytes()
        for x, y in zip(a.outputs, b.outputs, strict=True)
    )


@settings(max_examples=150, deadline=None)
@given(
    values=hnp.arrays(
        st.sampled_from(DTYPES),
        hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=5),
    ),
    message=st.text(),  # any text: surrogates, control characters, tabs, newlines
)
def test_observations_round_trip_bit_for_bit(values: np.ndarray, message: str) -> None:
    original = obs("case-1", values, error_type="E\t", error_message=message, seconds=0.1)
    payload = encode_observation(original)
    assert payload is not None
    line = encode_line(payload)
    assert line.count(b"\n") == 1 and line.endswith(b"\n")  # one line, whatever the message holds
    decoded = decode_line(line)
    assert decoded is not None
    assert same(decode_observation(decoded), original)


def test_error_observations_and_strings_round_trip() -> None:
    for original in (
        obs("c", status=Status.CRASH, error_type="SIGSEGV", error_message="worker died\n  log | <x>"),
        obs("c", np.array(["a", "bc"])),  # the fake adapters' "str" outputs
        obs("c", np.array(np.nan, dtype=np.float32)),
    ):
        payload = encode_observation(original)
        assert payload is not None
        assert same(decode_observation(payload), original)


def test_object_arrays_are_not_kept_so_that_loading_never_unpickles() -> None:
    assert encode_observation(obs("c", np.array([object()], dtype=object))) is None


@pytest.mark.parametrize("cut", [1, 5, 12, 19, -2, -1])
def test_a_torn_or_damaged_line_is_rejected(cut: int) -> None:
    line = encode_line({"case": "c", "n": 1})
    assert decode_line(line) == {"case": "c", "n": 1}
    assert decode_line(line[:cut]) is None  # torn by a kill
    damaged = bytearray(line)
    damaged[cut] ^= 0x01
    assert decode_line(bytes(damaged)) is None  # a flipped bit


def test_read_partial_keeps_good_lines_and_counts_bad_ones(tmp_path: Path) -> None:
    path = tmp_path / "cumsum.jsonl"
    with SpecRecorder(path, RUN, "cumsum", keep=False) as recorder:
        for i in range(3):
            recorder.record(obs(f"c-{i}", np.arange(i + 1)))
    data = path.read_bytes()
    lines = data.splitlines(keepends=True)
    corrupted = lines[0] + lines[1] + lines[2].replace(b'"c-1"', b'"c-X"') + lines[3][:-7]
    path.write_bytes(corrupted)
    found = read_partial(path)
    assert found is not None and found.header is not None
    assert [o.case_id for o in found.observations] == ["c-0"]
    assert found.dropped == 2


def test_appending_after_a_torn_line_starts_a_new_line(tmp_path: Path) -> None:
    path = tmp_path / "cumsum.jsonl"
    with SpecRecorder(path, RUN, "cumsum", keep=False) as recorder:
        recorder.record(obs("c-1", np.arange(3)))
    path.write_bytes(path.read_bytes() + b'{"case": "torn')  # a kill in the middle of a write
    with SpecRecorder(path, RUN, "cumsum", keep=True) as recorder:
        recorder.record(obs("c-2", np.arange(2)))
    found = read_partial(path)
    assert found is not None
    assert [o.case_id for o in found.observations] == ["c-1", "c-2"] and found.dropped == 0


def test_an_unreadable_header_means_nothing_to_resume(tmp_path: Path) -> None:
    path = tmp_path / "cumsum.jsonl"
    path.write_bytes(b'{"format": 1, "spec": "cumsum", "run": {}}')  # torn: no checksum, no newline
    checkpoint = Checkpoint(tmp_path, resume=True)
    recorder, kept = checkpoint.open_spec("cumsum", RUN, [("torch.cumsum", "cpu")], ["c-1"])
    assert recorder is not None and kept == {}
    recorder.close()
    header = read_partial(path)
    assert header is not None and header.header is not None and header.header["run"] == RUN


def test_resume_refuses_a_checkpoint_of_another_run(tmp_path: Path) -> None:
    checkpoint = Checkpoint(tmp_path, resume=False)
    recorder, _ = checkpoint.open_spec("cumsum", RUN, [], [])
    assert recorder is not None
    recorder.close()
    other = {**RUN, "seed": 2}
    with pytest.raises(ApicompatError) as info:
        Checkpoint(tmp_path, resume=True).check_early("cumsum", other)
    message = str(info.value)
    assert "cannot resume cumsum" in message and "cumsum.jsonl" in message
    assert "--seed 1, but this run uses --seed 2" in message and "without --resume" in message
    Checkpoint(tmp_path, resume=False).check_early("cumsum", other)  # a fresh run does not care


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"budget": 10}, "the systematic cases (no --cases), but this run uses --cases 10"),
        ({"devices": ["cpu", "gpu"]}, "--device cpu, but this run uses --device cpu,gpu"),
        ({"timeout": 5.0}, "--timeout 60, but this run uses --timeout 5"),
        ({"cases": {"count": 3, "sha256": "x"}}, "were made for 2 cases, but this run has 3 cases"),
        ({"apicompat": "9.9"}, "but this run uses apicompat 9.9"),
    ],
)
def test_mismatch_names_what_changed(change: dict[str, object], says: str) -> None:
    problem = mismatch(RUN, {**RUN, **change})
    assert problem is not None and says in problem
    assert mismatch(RUN, dict(RUN)) is None


def test_versions_and_jobs_are_checked_once_known() -> None:
    saved = {**RUN, "versions": {"torch": "2.13.0", "numpy": "2.4"}}
    problem = mismatch(saved, {**RUN, "versions": {"torch": "2.14.0", "numpy": "2.4"}})
    assert problem is not None and "torch 2.13.0" in problem and "torch 2.14.0" in problem
    assert mismatch(saved, RUN) is None  # the early check, before workers start, skips versions


@pytest.mark.skipif(os.name != "posix", reason="flock")
def test_two_runs_cannot_write_one_file(tmp_path: Path) -> None:
    path = tmp_path / "cumsum.jsonl"
    with (
        SpecRecorder(path, RUN, "cumsum", keep=False),
        pytest.raises(ApicompatError, match="another apicompat run is writing"),
    ):
        SpecRecorder(path, RUN, "cumsum", keep=True)


def test_remove_deletes_the_files_and_the_empty_directory(tmp_path: Path) -> None:
    directory = tmp_path / ".apicompat-partial"
    checkpoint = Checkpoint(directory, resume=False)
    for spec in ("a", "b"):
        recorder, _ = checkpoint.open_spec(spec, RUN, [], [])
        assert recorder is not None
        recorder.close()
    checkpoint.remove(["a"])
    assert sorted(p.name for p in directory.iterdir()) == ["b.jsonl"]  # another spec's results stay
    checkpoint.remove(["b"])
    assert not directory.exists()


def test_an_unwritable_directory_only_warns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    recorder, kept = Checkpoint(blocker / "partial", resume=False).open_spec("a", RUN, [], [])
    assert recorder is None and kept == {}
    assert "cannot keep partial results" in capsys.readouterr().err


def test_spec_ids_that_are_not_file_names_are_not_kept(tmp_path: Path) -> None:
    recorder, kept = Checkpoint(tmp_path, resume=False).open_spec("../escape", RUN, [], [])
    assert recorder is None and kept == {} and os.listdir(tmp_path) == []
