"""The shipped JSON Schema: valid draft 2020-12, in step with the Python vocabularies, for editors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from apicompat.records import DTYPES, DiffKind, dtype_category
from apicompat.records.cases import FILLS
from apicompat.spec import ParamKind
from apicompat.spec.loader import DTYPE_GROUPS, FORMAT_VERSION
from apicompat.spec.schema import family_problems, schema_problems, spec_schema

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "specs").glob("*.yaml"))


def _subschemas(node: Any, where: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            yield from _subschemas(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _subschemas(value, f"{where}/{i}")


def test_schema_is_valid_draft_2020_12() -> None:
    schema = spec_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] and schema["title"] and schema["description"]


def test_vocabularies_match_python() -> None:
    defs = spec_schema()["$defs"]
    assert defs["dtype"]["enum"] == list(DTYPES)
    assert defs["dtypeOrGroup"]["enum"] == [*DTYPES, *DTYPE_GROUPS]
    assert defs["paramKind"]["enum"] == [k.value for k in ParamKind]
    assert defs["diffKind"]["enum"] == [k.value for k in DiffKind]
    # "literal" fills carry data, which only hand-written cases have; "distinct" is what an index
    # with fill: unique becomes (its axis travels in the recipe's data).
    assert defs["fill"]["enum"] == [f for f in FILLS if f not in ("literal", "distinct")]
    tolerances = spec_schema()["properties"]["tolerances"]["properties"]
    assert list(tolerances) == [d for d in DTYPES if dtype_category(d) in ("float", "complex")]
    assert spec_schema()["properties"]["apicompat"]["const"] == FORMAT_VERSION


def test_every_property_has_a_title_and_description_and_objects_are_closed() -> None:
    for where, node in _subschemas(spec_schema()):
        for name, prop in node.get("properties", {}).items():
            assert prop.get("title") and prop.get("description"), f"{where}/properties/{name}"
        if node.get("type") == "object" and "additionalProperties" not in node:
            pytest.fail(f"{where} allows any key")
        if "additionalProperties" in node and isinstance(node["additionalProperties"], bool):
            assert node["additionalProperties"] is False, where


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_specs_validate(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if "family" in data:  # a family file: its own schema, members checked as specs by the loader
        assert family_problems(data) == []
        return
    Draft202012Validator(spec_schema()).validate(data)
    assert schema_problems(data) == []


def test_schema_rejects_what_the_loader_rejects() -> None:
    data = yaml.safe_load((ROOT / "specs" / "cumsum.yaml").read_text(encoding="utf-8"))
    data["params"][0]["kind"] = "tensr"
    data["colour"] = "blue"
    problems = {p.path: p for p in schema_problems(data)}
    assert problems[("params", 0, "kind")].hint == "did you mean 'tensor'?"
    assert problems[("colour",)].at_key and problems[("colour",)].message.startswith("unknown key 'colour'")


def test_schema_ships_with_the_package() -> None:
    # pyproject's package-data ships spec/*.json; editors can point at this file.
    assert (ROOT / "apicompat" / "spec" / "schema.json").is_file()
