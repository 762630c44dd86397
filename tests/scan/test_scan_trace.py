"""What the recorder printed, read back: calls become records; the script's failures become its errors."""

from __future__ import annotations

import json

import pytest

from apicompat.records.scan import ApiCategory, CallSeen, DtypeSeen, OtherSeen, TensorSeen
from apicompat.scan.recorder import MARKER
from apicompat.scan.trace import ScriptFailed, parse_trace


def _printed(apis: list[dict[str, object]], error: str | None = None) -> str:
    data = {"torch_version": "2.13.0", "apis": apis, "error": error}
    return "the script's own output\n" + MARKER + json.dumps(data) + "\n"


def _api(
    name: str, in_forward: int = 1, signatures: list[dict[str, object]] | None = None
) -> dict[str, object]:
    return {
        "name": name,
        "calls": 2,
        "in_forward": in_forward,
        "signatures": signatures or [],
        "lowers_to": [],
    }


def test_calls_become_records_with_descriptions_not_data() -> None:
    sig = {
        "positional": [{"tensor": ["float32", [4, 3]]}, {"seq": [1, 2]}, None],
        "keywords": [["dtype", {"dtype": "float64"}], ["generator", {"other": "Generator"}]],
        "count": 2,
    }
    trace = parse_trace("model.py", _printed([_api("torch.nn.functional.conv2d", signatures=[sig])]), None)
    (use,) = trace.apis
    assert use.category is ApiCategory.OPERATION and use.calls == 2 and trace.torch_version == "2.13.0"
    assert use.signatures == (
        CallSeen(
            positional=(TensorSeen("float32", (4, 3)), (1, 2), None),
            keywords=(("dtype", DtypeSeen("float64")), ("generator", OtherSeen("Generator"))),
            count=2,
        ),
    )
    assert (
        use.signatures[0].describe()
        == "(float32[4,3], (1, 2), None, dtype=torch.float64, generator=<Generator>)"
    )


def test_random_draws_outside_a_forward_make_inputs() -> None:
    trace = parse_trace(
        "m.py", _printed([_api("torch.randn", 0), _api("torch.nn.functional.dropout", 0)]), None
    )
    assert [u.category for u in trace.apis] == [ApiCategory.CREATION, ApiCategory.RANDOM]


def test_the_scripts_error_is_reported_with_its_traceback() -> None:
    text = 'Traceback (most recent call last):\n  File "/w/model.py", line 3, in <module>\nValueError: bad'
    with pytest.raises(ScriptFailed) as info:
        parse_trace("model.py", _printed([], error=text), None)
    message = str(info.value)
    assert message.startswith("model.py raised an error (exit 2); its traceback:\n")
    assert message.endswith("ValueError: bad") and "apicompat" not in message.split("\n", 1)[1]


def test_a_timeout_says_what_to_do() -> None:
    with pytest.raises(ScriptFailed, match=r"did not finish within the time allowed .*--timeout S"):
        parse_trace("loop.py", "", "Timeout: did not finish within 2 s; the worker was killed")


def test_a_worker_that_printed_no_trace_is_named() -> None:
    with pytest.raises(ScriptFailed, match=r"could not trace m.py: WorkerCrash: it died"):
        parse_trace("m.py", "half a line", "WorkerCrash: it died\nmore")
