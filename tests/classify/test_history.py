"""The row of a target that fails after earlier calls: wording per what the search found, probe first."""

from __future__ import annotations

import pytest

from apicompat.classify.history import after_calls_row
from apicompat.classify.verdicts import phrase
from apicompat.records import Case, DiffKind, Implementation, Observation, Severity, Status, TensorArg
from apicompat.records.history import AFTER_CALLS, AfterCalls

SOURCE = Implementation("torch", "torch.searchsorted", ())
TARGET = Implementation("mindspore", "mindspore.Tensor.searchsorted", (), method=True)


def _case(n: int) -> Case:
    return Case("s", (("sorted_sequence", TensorArg("float32", (n,), seed=n)),), (("dtype", "float32"),))


CASES = {c.id: c for c in (_case(1), _case(5), _case(3))}
IDS = list(CASES)


def _failed(case_id: str, message: str) -> Observation:
    return Observation(
        case_id, TARGET.api, "cpu", Status.ERROR, error_type="RuntimeError", error_message=message
    )


def _finding(**found: object) -> AfterCalls:
    first = {IDS[0]: _failed(IDS[0], "first run"), IDS[1]: _failed(IDS[1], "first run")}
    return AfterCalls(cases=(IDS[0], IDS[1]), first=first, probe=IDS[1], **found)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("found", "words"),
    [
        (
            {"trigger": IDS[2], "trigger_api": "mindspore.mint.searchsorted", "preceding": 1},
            "right after one earlier call of mindspore.mint.searchsorted (sorted_sequence=float32[3])",
        ),
        ({"trigger": IDS[2], "trigger_api": TARGET.api, "preceding": 1}, "right after one earlier call ("),
        ({"preceding": 7}, "after a sequence of 7 earlier calls, no single one of them enough"),
        ({}, "only after a sequence of calls (not reproduced in a fresh process"),
    ],
)
def test_the_row_says_what_the_search_found(found: dict[str, object], words: str) -> None:
    row = after_calls_row(SOURCE, TARGET, _finding(**found), CASES, "cpu")
    assert row.kind is DiffKind.ERROR_BEHAVIOR and row.subject == AFTER_CALLS
    assert row.severity is Severity.LOUD and row.case_count == 2
    assert words in row.summary
    assert row.summary.startswith("MindSpore fails after earlier calls in the same process, where PyTorch")
    assert row.cases[0] == IDS[1], "the case the page reproduces comes first"
    assert row.details["notes"] == ["RuntimeError: first run"]
    assert phrase(row, "PyTorch") == "fails after earlier calls in the same process, where PyTorch returns"


def test_the_error_shown_is_the_reproduced_one_where_there_is_one() -> None:
    reproduced = _failed(IDS[1], "as reproduced")
    row = after_calls_row(SOURCE, TARGET, _finding(preceding=3, reproduced=reproduced), CASES, "gpu")
    assert row.details["target"].startswith("RuntimeError: as reproduced")
    assert row.subject == f"{AFTER_CALLS}@gpu"
