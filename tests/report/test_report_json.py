"""The JSON report: valid against its schema, plain JSON only, byte-stable."""

from __future__ import annotations

import enum
import json
from dataclasses import replace
from typing import Any

import jsonschema
import numpy as np
import pytest
from test_report_data import consistent_result, cumsum_result

from apicompat.records import DiffKind, ParamInfo
from apicompat.report import FORMAT_VERSION, SCHEMA_PATH, render_json, report_dict
from apicompat.report.json_report import to_jsonable

TOP_LEVEL = {
    "format_version",
    "spec",
    "title",
    "summary",
    "source",
    "source_signature",
    "versions",
    "devices",
    "unavailable_devices",
    "seed",
    "cases",
    "reference_deviations",
    "targets",
    "faults",
    "other_versions",
}


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("make", [cumsum_result, consistent_result])
def test_output_validates_against_the_schema(make: Any, validator: jsonschema.Draft202012Validator) -> None:
    data = json.loads(render_json(make()))
    errors = sorted(validator.iter_errors(data), key=str)
    assert not errors, errors[0].message if errors else ""


def test_schema_rejects_drift(validator: jsonschema.Draft202012Validator) -> None:
    data = report_dict(cumsum_result())
    data["targets"][0]["differences"][0]["kind"] = "made_up_kind"
    assert not validator.is_valid(data)
    data = report_dict(cumsum_result())
    data["targets"][0]["consistent"] = True  # it has differences
    assert not validator.is_valid(data)
    data = report_dict(cumsum_result())
    data["surprise"] = 1
    assert not validator.is_valid(data)


def test_keys_and_values() -> None:
    data = json.loads(render_json(cumsum_result()))
    assert set(data) == TOP_LEVEL
    assert data["format_version"] == FORMAT_VERSION == 2
    assert data["spec"] == "cumsum" and data["source"] == "torch.cumsum" and data["cases"] == 240
    assert data["versions"] == {"mindspore": "2.10.0", "torch": "2.13.0"}
    assert data["source_signature"]["params"][2] == {
        "name": "dtype",
        "kind": "KEYWORD_ONLY",
        "default": "None",
    }
    ops, method = data["targets"]
    assert (ops["consistent"], method["consistent"]) == (False, True)
    assert method["signature"] is None
    assert ops["drift"] == [] and method["drift"] == []
    assert ops["parameters"][3] == {
        "canonical": "out",
        "source": "out",
        "target": None,
        "note": "Not involved",
        "checked": "",
    }
    kinds = [d["kind"] for d in ops["differences"]]
    assert kinds == [
        k.value
        for k in (
            DiffKind.PARAM_NAME,
            DiffKind.PARAM_ONLY_IN_ONE,
            DiffKind.INPUT_DTYPE_SUPPORT,
            DiffKind.OUTPUT_DTYPE,
            DiffKind.VALUE_MISMATCH,
            DiffKind.ERROR_BEHAVIOR,
        )
    ]
    out_dtype = ops["differences"][3]
    assert out_dtype["key"] == "cumsum::mindspore.ops.cumsum::output_dtype::int8,int16"
    assert out_dtype["dtypes"] == ["int8", "int16"]
    assert out_dtype["reproducer"]["target_output"] == "Int8\n"
    assert ops["differences"][1]["accepted"].startswith("MindSpore functions")
    assert ops["differences"][0]["reproducer"] is None and ops["differences"][0]["target_param"] == "x"
    assert ops["differences"][5]["reproducer"]["source_output"] is None
    assert ops["examples"][0]["source_output"].startswith("tensor([[1., 3.]")


def test_numpy_details_become_plain_json() -> None:
    details = json.loads(render_json(cumsum_result()))["targets"][0]["differences"][4]["details"]
    assert details == {
        "count": 7,
        "dtype": "float16",
        "flag": True,
        "max_abs_error": 0.5,
        "offsets": [0.0, "nan", "inf"],
        "rtol": 0.001,
        "seen": ["a", "b"],
        "worst_index": [2, 3],
    }
    assert type(details["count"]) is int and type(details["flag"]) is bool


def test_render_is_stable_sorted_and_ends_with_newline() -> None:
    text = render_json(cumsum_result())
    assert text == render_json(cumsum_result())
    assert text == render_json(cumsum_result(versions={"mindspore": "2.10.0", "torch": "2.13.0"}))
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert text.startswith('{\n  "cases": 240,')  # keys sorted, indent 2
    assert json.dumps(json.loads(text), sort_keys=True, indent=2, ensure_ascii=False) + "\n" == text


def test_foreign_text_is_kept_verbatim_but_valid() -> None:
    text = render_json(cumsum_result())
    data = json.loads(text)
    assert "<script>alert(1)</script>" in data["targets"][0]["differences"][5]["summary"]
    assert "\\u0000" in text and "\\u001b" in text  # JSON escapes control characters itself
    bad = cumsum_result()
    assert bad.source_signature is not None
    sig = replace(bad.source_signature, params=(ParamInfo("x\udcff", "POSITIONAL_ONLY", None),))
    render_json(replace(bad, source_signature=sig)).encode("utf-8")  # lone surrogates cannot break UTF-8


class Colour(enum.Enum):
    RED = "red"


class Opaque:
    pass


def test_to_jsonable_edge_cases() -> None:
    assert to_jsonable({1: np.int8(3), (1, 2): "t", Colour.RED: {np.float64(-np.inf)}}) == {
        "1": 3,
        "[1, 2]": "t",
        "red": ["-inf"],
    }
    assert to_jsonable(np.array([[1, 2], [3, 4]], dtype=np.int16)) == [[1, 2], [3, 4]]
    assert to_jsonable(1 + 2j) == {"real": 1.0, "imag": 2.0}
    assert to_jsonable(np.complex64(1 + 2j)) == {"real": 1.0, "imag": 2.0}
    assert to_jsonable(DiffKind.OUTPUT_DTYPE) == "output_dtype"
    assert to_jsonable(b"ab\xff") == "ab\ufffd"
    assert to_jsonable(frozenset({3, 1, 2})) == [1, 2, 3]
    text = to_jsonable(Opaque())
    assert isinstance(text, str) and "0x" not in text.replace("0x…", "")
    json.dumps(to_jsonable({"x": np.float32(np.nan)}), allow_nan=False)


def test_drift_is_reported(validator: jsonschema.Draft202012Validator) -> None:
    base = cumsum_result()
    drift = "the spec maps `dim` to `axis`, which the live signature lacks"
    target = replace(base.targets[0], drift=(drift,))
    data = json.loads(render_json(replace(base, targets=(target,))))
    assert data["targets"][0]["drift"] == [drift]
    assert validator.is_valid(data)
