"""Replies grouped per batch: a fault is still charged to its own case, and time limits stay per case."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from fake_frameworks import FAKE_ADAPTERS, FAST_MEMORY_MB, FAST_TIMEOUT, make_case, make_impl

from apicompat.execute import RunOptions, Session, protocol
from apicompat.records import Observation, Output, Status

DISPATCH = make_impl("fake.dispatch")
KEY = ("fake.dispatch", "cpu")


def statuses(observations: list[Observation]) -> list[Status]:
    return [o.status for o in observations]


def test_a_hang_after_fast_cases_is_charged_to_its_own_case(session: Session) -> None:
    actions = ["ok"] * 5 + ["hang"] + ["ok"] * 2
    cases = [make_case(i, action=a) for i, a in enumerate(actions)]
    observations = session.run([(DISPATCH, "cpu")], cases)[KEY]
    assert statuses(observations) == [Status.OK] * 5 + [Status.TIMEOUT] + [Status.OK] * 2
    assert [o.case_id for o in observations] == [c.id for c in cases]


def test_the_time_limit_is_per_case_not_per_batch(load_log: Path) -> None:
    # Five cases of 0.6 s in one batch take 3 s, past the 2 s limit; none of them is late.
    options = RunOptions(timeout=FAST_TIMEOUT, memory_mb=FAST_MEMORY_MB)
    cases = [make_case(i, action="sleep", seconds=0.6) for i in range(5)]
    with Session(options, adapters=FAKE_ADAPTERS) as session:
        assert statuses(session.run([(DISPATCH, "cpu")], cases)[KEY]) == [Status.OK] * 5


def test_each_case_reaches_on_result_once_when_a_crash_reruns_unsent_ones(session: Session) -> None:
    seen: list[str] = []
    actions = ["ok", "ok", "ok", "segfault", "ok", "abort", "ok"]
    cases = [make_case(i, action=a) for i, a in enumerate(actions)]
    observations = session.run([(DISPATCH, "cpu")], cases, lambda o: seen.append(o.case_id))[KEY]
    assert statuses(observations) == [Status.OK] * 3 + [Status.CRASH, Status.OK, Status.CRASH, Status.OK]
    assert Counter(seen) == Counter(c.id for c in cases)


def _observation(*values: np.ndarray, status: Status = Status.OK) -> Observation:
    outputs = tuple(Output(str(v.dtype), tuple(v.shape), v) for v in values)
    return Observation("case-1", "fake.ok", "cpu", status, outputs, None, None, 0.25)


@pytest.mark.parametrize(
    "values",
    [
        np.arange(12, dtype=np.float32).reshape(3, 4),
        np.arange(12, dtype=np.float64).reshape(3, 4).T,  # not contiguous
        np.array(7, dtype=np.int64),  # 0-d
        np.array([1 + 2j, -0.0 - 1j], dtype=np.complex128),
        np.array([True, False]),
        np.zeros((2, 0, 3), dtype=np.uint8),
        np.array(["a", "bcd"]),
        np.array([{"not": "a number"}, None], dtype=object),
    ],
    ids=["float32", "transposed", "0-d", "complex", "bool", "empty", "str", "object"],
)
def test_observations_survive_the_compact_encoding(values: np.ndarray) -> None:
    observation = _observation(values, np.array([np.nan, -0.0, np.inf], dtype=np.float32))
    decoded = protocol.decode_observation(protocol.encode_observation(observation))
    assert decoded == observation and decoded.seconds == observation.seconds
    for out, original in zip(decoded.outputs, observation.outputs, strict=True):
        assert out.values.dtype == original.values.dtype and out.values.shape == original.values.shape
        assert out.values.flags.writeable


def test_an_error_observation_survives_the_compact_encoding() -> None:
    observation = Observation("c", "fake.raise", "gpu", Status.ERROR, (), "ValueError", "bad input", 0.5)
    assert protocol.decode_observation(protocol.encode_observation(observation)) == observation


def test_the_progress_cell_is_shared_between_mappings(tmp_path: Path) -> None:
    fd = protocol.Progress.create(str(tmp_path))
    try:
        writer, reader = protocol.Progress(fd), protocol.Progress(fd)
    finally:
        os.close(fd)
    assert reader.get() == -1
    writer.set(41)
    assert reader.get() == 41
    writer.close()
    reader.close()
