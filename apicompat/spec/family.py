"""Spec families: one file, shared parameters and defaults, one spec per member.

A family file (`family: unary_math`) lists members; each member becomes the raw
mapping of an ordinary spec, with a map of where each of its keys was written,
so that the loader's errors still name the family file's line and key.
"""

from __future__ import annotations

from typing import Any

from apicompat.records import SpecError
from apicompat.spec.declared_formula import NUMPY_ONLY
from apicompat.spec.schema import family_problems
from apicompat.spec.suggest import did_you_mean
from apicompat.spec.yamlpos import KeyPath, Positions, format_path

#: The key that marks a file as a family rather than one spec.
FAMILY_KEY = "family"

#: Top-level packages whose api strings name their framework.
_FRAMEWORK_OF = {"torch": "torch", "mindspore": "mindspore", "numpy": "numpy"}

#: Keys copied from the family into every member's spec unchanged.
_SHARED = ("apicompat", "params", "outputs")

# (member path prefix, family path prefix) pairs; later ones override earlier ones.
Origins = list[tuple[KeyPath, KeyPath]]


def is_family(data: dict[str, Any]) -> bool:
    """Whether a loaded YAML mapping is a family file."""
    return FAMILY_KEY in data


def expand_family(
    data: dict[str, Any], positions: Positions, display: str
) -> list[tuple[dict[str, Any], Positions]]:
    """Each member's spec mapping and its positions in the family file; raises SpecError."""
    problems = family_problems(data)
    if problems:
        first = min(
            problems,
            key=lambda p: (positions.key_line(p.path) if p.at_key else positions.line(p.path)) or 0,
        )
        line = positions.key_line(first.path) if first.at_key else positions.line(first.path)
        raise SpecError(
            display, first.message, line=line, key=format_path(first.path) or None, hint=first.hint
        )
    _check_overrides(data, positions, display)
    return [_member(data, i, raw, positions) for i, raw in enumerate(data["members"])]


def _member(
    family: dict[str, Any], i: int, member: dict[str, Any], positions: Positions
) -> tuple[dict[str, Any], Positions]:
    """One member as a spec mapping, and where each of its keys came from."""
    here: KeyPath = ("members", i)
    spec: dict[str, Any] = {key: family[key] for key in _SHARED if key in family}
    origins: Origins = [((key,), (key,)) for key in spec]
    spec["params"] = _params(family["params"], member.get("params", {}), here, origins)
    spec["id"] = member["id"]
    origins.append((("id",), (*here, "id")))
    for key in ("title", "summary"):
        if key in member:
            spec[key] = member[key]
            origins.append(((key,), (*here, key)))
        elif key in family:
            spec[key] = family[key]
            origins.append(((key,), (key,)))
    spec["source"] = _implementation(family.get("source", {}), member["source"])
    origins += [(("source",), ("source",)), (("source",), (*here, "source"))]
    targets = member["targets"]
    spec["targets"] = [_implementation(family.get("targets", {}), t) for t in targets]
    origins += [(("targets", j), ("targets",)) for j in range(len(targets))]
    origins.append((("targets",), (*here, "targets")))
    method = member.get("source_method")
    if method is None and "source_method" not in member and any(t.get("method") for t in spec["targets"]):
        # A Tensor-method target is compared with torch's method of the same name.
        method = "torch.Tensor." + spec["source"]["api"].rsplit(".", 1)[-1]
        origins.append((("source_method",), (*here, "targets")))
    if method is not None:
        spec["source_method"] = _implementation(family.get("source_method", {}), method)
        spec["source_method"].pop("method", None)
        if "source_method" in member:
            origins.append((("source_method",), (*here, "source_method")))
    spec["reference"] = _reference(family.get("reference"), member["reference"], here, origins)
    known = [*family.get("known_differences", []), *member.get("known_differences", [])]
    if known:
        spec["known_differences"] = known
        nf = len(family.get("known_differences", []))
        origins += [(("known_differences", j), ("known_differences", j)) for j in range(nf)]
        origins += [
            (("known_differences", nf + j), (*here, "known_differences", j))
            for j in range(len(member.get("known_differences", [])))
        ]
    tolerances = {**family.get("tolerances", {}), **member.get("tolerances", {})}
    if tolerances:
        spec["tolerances"] = tolerances
        origins += [(("tolerances", d), ("tolerances", d)) for d in family.get("tolerances", {})]
        origins += [(("tolerances", d), (*here, "tolerances", d)) for d in member.get("tolerances", {})]
    return spec, _remap(positions, origins, here)


def _params(
    shared: list[dict[str, Any]], overrides: dict[str, dict[str, Any]], here: KeyPath, origins: Origins
) -> list[dict[str, Any]]:
    """The family's parameters with this member's per-parameter keys replacing the family's."""
    params = []
    for k, raw in enumerate(shared):
        name = str(raw.get("name"))
        override = overrides.get(name, {})
        params.append({**raw, **override})
        origins += [(("params", k, key), (*here, "params", name, key)) for key in override]
    return params


def _implementation(defaults: dict[str, Any], given: str | dict[str, Any]) -> dict[str, Any]:
    """A member's implementation: an import path becomes framework + api (+ method for Tensor methods)."""
    raw: dict[str, Any] = {"api": given} if isinstance(given, str) else dict(given)
    merged = {**defaults, **raw}
    for key in ("params", "value_map"):  # a member's names add to the family's, one by one
        if isinstance(defaults.get(key), dict) and isinstance(raw.get(key), dict):
            merged[key] = {**defaults[key], **raw[key]}
    api = str(merged.get("api", ""))
    top = api.split(".")[0]
    if "framework" not in merged and top in _FRAMEWORK_OF:
        merged["framework"] = _FRAMEWORK_OF[top]
    if ".Tensor." in api and "method" not in raw:
        merged["method"] = True
    return merged


def _reference(
    defaults: dict[str, Any] | None, given: str | dict[str, Any], here: KeyPath, origins: Origins
) -> str | dict[str, Any]:
    """The member's reference: its own string, or its keys over the family's declarative defaults."""
    if isinstance(given, str):
        origins.append((("reference",), (*here, "reference")))
        return given
    origins.append((("reference",), ("reference",)))
    origins += [(("reference", key), (*here, "reference", key)) for key in given]
    if "numpy" in given or "formula" in given:
        origins.append((("reference",), (*here, "reference")))
    inherited = dict(defaults or {})
    if "formula" in given:
        # The family's keys for a NumPy callable's arguments do not apply to a member's formula.
        inherited = {k: v for k, v in inherited.items() if k not in NUMPY_ONLY}
    return {**inherited, **given}


def _remap(positions: Positions, origins: Origins, here: KeyPath) -> Positions:
    """Positions of the member's keys, read from the family file through `origins`."""
    mapped = Positions()
    mapped.key_lines[()] = positions.key_line(here) or 1
    mapped.value_lines[()] = positions.line(here) or 1
    for member_prefix, family_prefix in origins:
        for source, target in (
            (positions.key_lines, mapped.key_lines),
            (positions.value_lines, mapped.value_lines),
        ):
            for path, line in source.items():
                if path[: len(family_prefix)] == family_prefix:
                    target[member_prefix + path[len(family_prefix) :]] = line
    return mapped


def _check_overrides(data: dict[str, Any], positions: Positions, display: str) -> None:
    """Every member's parameter overrides name a family parameter (did-you-mean otherwise)."""
    names = [str(p.get("name")) for p in data["params"] if isinstance(p, dict)]
    for i, member in enumerate(data["members"]):
        for name in member.get("params", {}):
            if name not in names:
                path: KeyPath = ("members", i, "params", name)
                raise SpecError(
                    display,
                    f"'{name}' is not a parameter of the family; parameters: {', '.join(names)}",
                    line=positions.key_line(path),
                    key=format_path(path),
                    hint=did_you_mean(name, names),
                )
