"""The readiness page, JSON and terminal summary: pure functions of a Readiness record."""

from __future__ import annotations

import json
from dataclasses import replace

from apicompat.records import Severity, VerdictKind
from apicompat.records.scan import (
    ApiCategory,
    ApiReadiness,
    ApiUse,
    CallOutcome,
    CallSeen,
    CandidateReadiness,
    Readiness,
    TensorSeen,
    Trace,
)
from apicompat.report.readiness import (
    render_readiness_json,
    render_readiness_markdown,
    render_readiness_text,
    summary_line,
    tally,
)

CALL = CallSeen(
    (TensorSeen("float32", (4, 3, 16, 16)), TensorSeen("float32", (8, 3, 3, 3))), (("padding", 1),), 2
)


def _use(name: str, category: ApiCategory = ApiCategory.OPERATION, forward: int = 1) -> ApiUse:
    return ApiUse(name, category, 2, forward, (CALL,))


def _candidate(api: str, severity: Severity | None) -> CandidateReadiness:
    kind = VerdictKind.DIFFERS if severity else VerdictKind.CONSISTENT
    return CandidateReadiness(
        api, kind, "Differs: values" if severity else "Consistent", severity, 1, "r/x.md"
    )


def readiness(measured_run: bool = False) -> Readiness:
    conv = ApiReadiness(
        _use("torch.nn.functional.conv2d"),
        "conv2d",
        "source",
        candidates=(
            _candidate("mindspore.ops.conv2d", Severity.SILENT),
            _candidate("mindspore.mint.x", None),
        ),
        measured_calls=(CallOutcome(CALL.describe(), "mindspore.ops.conv2d", "consistent"),),
    )
    rows = (
        conv,
        ApiReadiness(
            _use("torch.Tensor.softmax"),
            "softmax",
            "as torch.nn.functional.softmax",
            candidates=(_candidate("mindspore.ops.softmax", Severity.LOUD),),
        ),
        ApiReadiness(
            replace(_use("torch.Tensor.view", forward=0), lowers_to=("aten.view",)),
            None,
            "",
            init_command="apicompat init torch.Tensor.view x",
        ),
        ApiReadiness(_use("torch.nn.functional.dropout", ApiCategory.RANDOM), None, ""),
        ApiReadiness(_use("torch.empty", ApiCategory.CREATION, 0), None, ""),
        ApiReadiness(_use("torch.Tensor.size", ApiCategory.ATTRIBUTE), None, ""),
    )
    trace = Trace("examples/cnn.py", tuple(r.use for r in rows), "2.13.0")
    return Readiness(trace, rows, "reports", measured_run, (("linear", "no linear.json"),))


def test_the_summary_counts_what_a_port_must_map() -> None:
    r = readiness()
    assert summary_line(r) == "4 APIs; 2 measured; 1 silent hazard; 1 not measured; 1 random (not compared)"
    t = tally(r)
    assert (t.setup, t.forward, t.forward_measured) == (2, 2, 2)


def test_severity_unknown_is_said_in_the_summary() -> None:
    r = readiness()
    softmax = replace(r.apis[1], candidates=(replace(r.apis[1].candidates[0], verdict=None, severity=None),))
    unjudged = replace(r, apis=(r.apis[0], softmax, *r.apis[2:]))
    assert summary_line(unjudged) == (
        "4 APIs; 2 measured; 1 silent hazard (severity unknown for 1: their reports give no verdict); "
        "1 not measured; 1 random (not compared)"
    )
    assert "| `mindspore.ops.softmax` | [Differs: values](r/x.md) | unknown |" in render_readiness_markdown(
        unjudged
    )


def test_the_page_has_a_section_per_part_and_ready_init_lines() -> None:
    page = render_readiness_markdown(readiness())
    assert page.startswith("# Porting readiness: examples/cnn.py\n\n**4 APIs; 2 measured; 1 silent hazard;")
    for heading in ("## Measured by a spec", "## Not measured by any spec",
                    "## Random (reported, not compared)",
                    "## Setup, attribute reads and autograd (not compared)"):  # fmt: skip
        assert heading in page
    assert (
        "| `torch.nn.functional.conv2d` | 2 | `(float32[4,3,16,16], float32[8,3,3,3], padding=1)` ×2 |"
        in page
    )
    assert "| `mindspore.ops.conv2d` | [Differs: values](r/x.md) | silent |" in page
    assert "`softmax` (as torch.nn.functional.softmax)" in page
    assert "| aten.view | `apicompat init torch.Tensor.view x` |" in page
    assert "- `linear`: no linear.json" in page
    assert "## On this script's own call signatures" not in page  # only with --measure


def test_measured_calls_get_their_own_table() -> None:
    page = render_readiness_markdown(readiness(measured_run=True))
    assert "## On this script's own call signatures" in page
    assert "| `torch.nn.functional.conv2d` | `(float32[4,3,16,16], float32[8,3,3,3], padding=1)` | " in page


def test_the_json_is_plain_stable_and_counts_agree() -> None:
    text = render_readiness_json(readiness())
    assert text == render_readiness_json(readiness()) and text.endswith("}\n")
    data = json.loads(text)
    assert data["summary"] == summary_line(readiness())
    assert data["counts"] == {"apis": 4, "measured": 2, "silent_hazards": 1, "not_measured": 1, "random": 1,
                              "setup": 2, "forward_operations": 2, "forward_measured": 2,
                              "without_verdict": 0}  # fmt: skip
    conv = data["apis"][0]
    assert conv["signatures"][0]["positional"][0] == {"dtype": "float32", "shape": [4, 3, 16, 16]}
    assert conv["candidates"][0]["severity"] == "silent" and conv["candidates"][1]["severity"] is None
    assert data["report_problems"] == {"linear": "no linear.json"}


def test_the_terminal_summary_puts_hazards_first() -> None:
    lines = render_readiness_text(readiness()).splitlines()
    assert lines[0] == "examples/cnn.py: " + summary_line(readiness())
    assert lines[1].lstrip().startswith("measured      torch.nn.functional.conv2d x2")
    assert "[silent]" in lines[1]
    assert any(line.lstrip().startswith("not measured  torch.Tensor.view") for line in lines)
    assert any("random" in line and "not compared" in line for line in lines)
    assert "no readable report in reports for: linear" in lines[-1]
