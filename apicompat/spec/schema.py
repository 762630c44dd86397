"""The JSON Schema of spec format v1, and its errors told in plain words."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator, ValidationError
from jsonschema.exceptions import best_match

from apicompat.spec.suggest import did_you_mean, one_of
from apicompat.spec.yamlpos import KeyPath

#: What `# yaml-language-server: $schema=...` can point at, relative to the package.
SCHEMA_RESOURCE = "schema.json"

_TYPE_WORDS = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


# Hints for unknown keys that no did-you-mean explains.
_KEY_HINTS: dict[KeyPath, str] = {
    ("tolerances",): "integer and bool results are always compared exactly",
}


@dataclass(frozen=True)
class Problem:
    """One schema violation, located by key path."""

    path: KeyPath
    message: str
    hint: str | None = None
    at_key: bool = False  # the key itself is wrong (point at the key's line)
    validator: str = ""


@cache
def spec_schema() -> dict[str, Any]:
    """The spec JSON Schema (draft 2020-12), as shipped in the package."""
    text = resources.files("apicompat.spec").joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(spec_schema())


@cache
def _family_validator() -> Draft202012Validator:
    root = spec_schema()
    return Draft202012Validator({"$defs": root["$defs"], "$ref": "#/$defs/family"})


def schema_problems(data: Any) -> list[Problem]:
    """Every schema violation in `data`, in plain words."""
    return _problems(_validator(), data)


def family_problems(data: Any) -> list[Problem]:
    """Every violation of the family file schema in `data` (members are checked as specs later)."""
    return _problems(_family_validator(), data)


def _problems(validator: Draft202012Validator, data: Any) -> list[Problem]:
    problems: dict[tuple[KeyPath, str], Problem] = {}
    for error in validator.iter_errors(data):
        for problem in _describe(error):
            problems.setdefault((problem.path, problem.message), problem)
    # A misspelt key also makes the real one "missing": report the misspelling.
    misspelt = {p.path[:-1] for p in problems.values() if p.validator == "additionalProperties"}
    return [p for p in problems.values() if not (p.validator == "required" and p.path[:-1] in misspelt)]


def _describe(error: ValidationError) -> list[Problem]:
    path: KeyPath = tuple(error.absolute_path)
    kind = str(error.validator)
    if kind == "oneOf" and error.context:
        # Name what is wrong in the alternative of the value's own shape (a mapping, a list, a string).
        wrong_type = {
            e.relative_schema_path[0] for e in error.context if e.validator == "type" and not e.path
        }
        shaped = [e for e in error.context if e.relative_schema_path[0] not in wrong_type]
        if shaped:
            return _describe(best_match(shaped))
    wanted: Any = error.validator_value
    value = error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}
    if kind == "additionalProperties" and isinstance(value, dict):
        known = list(schema.get("properties", {}))
        extra = [k for k in value if k not in known]
        present = set(value)
        return [
            Problem(
                (*path, key),
                f"unknown key '{key}'; expected one of {one_of(known)}",
                did_you_mean(key, [k for k in known if k not in present])
                or did_you_mean(key, known)
                or _KEY_HINTS.get(path),
                at_key=True,
                validator=kind,
            )
            for key in extra
        ]
    if kind == "required" and isinstance(value, dict):
        props = schema.get("properties", {})
        return [
            Problem(
                (*path, name),
                f"missing required key '{name}'",
                _expected(props.get(name, {})),
                validator=kind,
            )
            for name in wanted
            if name not in value
        ]
    return [
        Problem(
            path, _message(kind, wanted, error, value, schema), _hint(kind, wanted, value), validator=kind
        )
    ]


def _message(kind: str, wanted: Any, error: ValidationError, value: Any, schema: dict[str, Any]) -> str:
    if kind == "type":
        types = wanted if isinstance(wanted, list) else [wanted]
        return f"expected {' or '.join(_TYPE_WORDS.get(str(t), str(t)) for t in types)} but got {show(value)}"
    if kind == "enum":
        return f"expected one of {one_of(wanted)} but got {show(value)}"
    if kind == "const":
        return f"expected {wanted!r} but got {show(value)}"
    if kind == "pattern":
        return f"expected {_expected(schema) or 'a value matching ' + str(wanted)} but got {show(value)}"
    if kind == "minItems":
        return f"expected at least {wanted} item(s) but got {len(value)}"
    if kind == "maxItems":
        return f"expected at most {wanted} item(s) but got {len(value)}"
    if kind == "minimum":
        return f"expected a value >= {wanted} but got {show(value)}"
    if kind == "maximum":
        return f"expected a value <= {wanted} but got {show(value)}"
    if kind == "minLength":
        return "expected a non-empty string"
    if kind in ("oneOf", "anyOf"):
        return f"expected {_expected(schema) or 'one of the allowed forms'} but got {show(value)}"
    if kind == "uniqueItems":
        seen: list[Any] = []
        for item in value:
            if item in seen:
                return f"{show(item)} is listed twice"
            seen.append(item)
    return str(error.message)


def _hint(kind: str, wanted: Any, value: Any) -> str | None:
    if kind == "enum":
        return did_you_mean(value, [str(v) for v in wanted])
    return None


def _expected(schema: dict[str, Any]) -> str | None:
    """A schema's description as a phrase: "a Python identifier, such as input or dim"."""
    text = str(schema.get("description", "")).rstrip(".")
    return text[:1].lower() + text[1:] if text else None


def show(value: Any) -> str:
    """A value as an error message quotes it."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return repr(value)
    return f"{value!r} ({type(value).__name__})"
