"""Checks that relate parameters to each other: primary tensor, shape rules, index and size
dependencies, exclusive parameters, outputs, and per-implementation value maps.

Each check raises the loader's SpecError (through `error`) at the key that is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from apicompat.records import SpecError
from apicompat.spec.model import Output, Param, ParamKind, ShapeRule
from apicompat.spec.schema import show
from apicompat.spec.suggest import did_you_mean, one_of
from apicompat.spec.yamlpos import KeyPath

_T = ParamKind
TENSOR_KINDS = (_T.TENSOR, _T.TENSORS)
#: Kinds whose values are plain Python values, so a value map can translate them.
MAPPABLE_KINDS = (_T.BOOL, _T.INT, _T.SCALAR, _T.OPTION)


class ErrorAt(Protocol):
    """The loader's error factory: a SpecError at a key path."""

    def __call__(
        self, path: KeyPath, message: str, hint: str | None = None, *, at_key: bool = False
    ) -> SpecError: ...


def primary_name(params: Sequence[Param]) -> str | None:
    """The tensor the sweeps vary: the one marked primary, else the first tensor parameter."""
    marked = [p.name for p in params if p.primary]
    if marked:
        return marked[0]
    return next((p.name for p in params if p.kind in TENSOR_KINDS), None)


def check_relations(params: Sequence[Param], error: ErrorAt) -> None:
    """Cross-parameter rules the schema cannot express."""
    by_name = {p.name: p for p in params}
    index = {p.name: i for i, p in enumerate(params)}
    marked = [p for p in params if p.primary]
    if len(marked) > 1:
        raise error(
            ("params", index[marked[1].name], "primary"),
            f"only one tensor can be primary, and '{marked[0].name}' already is",
            at_key=True,
        )
    primary = primary_name(params)
    for i, param in enumerate(params):
        path: KeyPath = ("params", i)
        if param.shape is not ShapeRule.SAME and param.name == primary:
            raise error(
                (*path, "shape"),
                f"'shape' relates a tensor to the primary tensor, and '{param.name}' is the primary",
                "mark another tensor 'primary: true', or remove 'shape'",
                at_key=True,
            )
        if param.shape is ShapeRule.VECTOR and param.kind is not _T.INDEX:
            raise error(
                (*path, "shape"),
                f"'shape: vector' makes a 1-D index along an axis; '{param.name}' has kind "
                f"'{param.kind.value}'",
                "use it on an index parameter (kind: index, with of and along)",
            )
        if param.kind is _T.INDEX:
            _check_index(path, param, by_name, primary, error)
        if param.shapes:
            _check_shapes(path, param, by_name, primary, error)
        if param.kind is _T.INT and (param.of is None) != (param.along is None):
            missing = "along" if param.along is None else "of"
            raise error(
                path,
                f"'of' and 'along' go together on kind 'int' (the value is at most the size of "
                f"dimension 'along' of 'of'); '{missing}' is missing",
            )
        if param.kind is _T.INT and param.along is not None and param.values:
            raise error(
                (*path, "values"),
                "the values of a size-bounded int follow from the size; remove 'values' (or min/max)",
                at_key=True,
            )
        if param.kind in (_T.INT, _T.TENSORS) and param.along is not None:
            axis = by_name[param.along]
            owner = param.of if param.kind is _T.INT else param.name
            if axis.of != owner:
                raise error(
                    (*path, "along"),
                    f"'along' names '{axis.name}', an axis of '{axis.of}'; it must be an axis of '{owner}'",
                )
        _check_excludes(path, param, by_name, error)


def _check_index(
    path: KeyPath, param: Param, by_name: Mapping[str, Param], primary: str | None, error: ErrorAt
) -> None:
    """An index parameter indexes a dimension of the primary tensor, chosen by an axis of it."""
    if param.of != primary:
        raise error(
            (*path, "of"),
            f"an index parameter indexes the primary tensor '{primary}', not '{param.of}'",
            f"write 'of: {primary}', or mark '{param.of}' 'primary: true'",
        )
    axis = by_name[param.along] if param.along is not None else None
    if axis is not None and axis.of != param.of:
        raise error(
            (*path, "along"),
            f"'along' names '{axis.name}', an axis of '{axis.of}', but the values index '{param.of}'",
        )
    ints = [d for d in param.dtypes if d.startswith(("int", "uint"))]
    if len(ints) != len(param.dtypes):
        bad = [d for d in param.dtypes if d not in ints]
        raise error((*path, "dtypes"), f"an index holds integers, but dtypes lists {one_of(bad)}")


def _check_shapes(
    path: KeyPath, param: Param, by_name: Mapping[str, Param], primary: str | None, error: ErrorAt
) -> None:
    """A secondary's listed shapes pair with the primary's, one for one."""
    if param.name == primary:
        return
    lead = by_name[primary] if primary is not None else None
    if lead is None or not lead.shapes:
        raise error(
            (*path, "shapes"),
            f"'shapes' on '{param.name}' pairs with the primary tensor's shapes, but '{primary}' lists none",
            f"give '{primary}' shapes too (one per case), or remove these",
            at_key=True,
        )
    if param.shape is not ShapeRule.SAME:
        raise error((*path, "shapes"), "give either shapes or a shape rule, not both", at_key=True)
    if len(param.shapes) != len(lead.shapes):
        raise error(
            (*path, "shapes"),
            f"'{param.name}' lists {len(param.shapes)} shape(s), but the primary '{lead.name}' lists "
            f"{len(lead.shapes)}; the n-th shape here goes with the primary's n-th",
        )


def _check_excludes(path: KeyPath, param: Param, by_name: Mapping[str, Param], error: ErrorAt) -> None:
    names = [n for n in by_name if n != param.name]
    for j, other in enumerate(param.excludes):
        xpath: KeyPath = (*path, "excludes", j)
        if other == param.name:
            raise error(xpath, f"'{other}' cannot exclude itself")
        if other not in by_name:
            raise error(
                xpath,
                f"'{other}' is not a parameter; parameters: {one_of(names)}",
                did_you_mean(other, names),
            )
        for name in (param.name, other):
            if by_name[name].required:
                raise error(
                    xpath,
                    f"'{name}' is required, so every call gives it; only optional parameters exclude others",
                    f"add 'required: false' to '{name}'",
                )


def check_outputs(raws: Sequence[Any], params: Sequence[Param], error: ErrorAt) -> tuple[Output, ...]:
    """The declared outputs: unique names; `when` names a bool parameter."""
    bools = [p.name for p in params if p.kind is _T.BOOL]
    kinds = {p.name: p.kind for p in params}
    outputs: list[Output] = []
    for i, raw in enumerate(raws):
        path: KeyPath = ("outputs", i)
        name, when = (raw, None) if isinstance(raw, str) else (raw["name"], raw.get("when"))
        many = isinstance(raw, dict) and bool(raw.get("list", False))
        if any(o.name == name for o in outputs):
            raise error(path, f"output '{name}' is listed twice")
        if many and (len(raws) > 1 or when is not None):
            raise error(
                (*path, "list"),
                f"a list output is the API's only output, returned on every call, but '{name}' "
                + ("has 'when'" if when is not None else f"is one of {len(raws)} outputs"),
                "list the pieces as one output: outputs: [{name: pieces, list: true}]",
                at_key=True,
            )
        if when is not None and kinds.get(when) is not _T.BOOL:
            what = (
                "is not a parameter" if when not in kinds else f"has kind '{kinds[when].value}', not 'bool'"
            )
            raise error(
                (*path, "when"),
                f"'when' must name a bool parameter, but '{when}' {what}; bool parameters: {one_of(bools)}",
                did_you_mean(when, bools),
            )
        up_to_sign = raw.get("up_to_sign") if isinstance(raw, dict) else None
        undefined = isinstance(raw, dict) and bool(raw.get("undefined", False))
        if up_to_sign is not None and undefined:
            raise error(
                (*path, "undefined"),
                "an output with undefined values has no sign to compare it up to",
                "keep 'undefined: true' or 'up_to_sign', not both",
                at_key=True,
            )
        if (up_to_sign is not None or undefined) and any(
            isinstance(r, dict) and r.get("when") is not None for r in raws
        ):
            key = "up_to_sign" if up_to_sign is not None else "undefined"
            raise error(
                (*path, key),
                f"an output with '{key}' needs a fixed place among the outputs, but some "
                "output here has 'when'",
                f"drop 'when', or '{key}'",
                at_key=True,
            )
        outputs.append(Output(name, when, many, up_to_sign, undefined))
    return tuple(outputs)


def check_value_map(
    path: KeyPath,
    raw: Mapping[str, Sequence[Sequence[Any]]],
    params: Sequence[Param],
    mapping: Mapping[str, str | None],
    error: ErrorAt,
) -> tuple[tuple[str, tuple[tuple[Any, Any], ...]], ...]:
    """One implementation's value map: canonical value -> the value passed, covering every case value."""
    by_name = {p.name: p for p in params}
    names = list(by_name)
    out: list[tuple[str, tuple[tuple[Any, Any], ...]]] = []
    for name, pairs in raw.items():
        vpath: KeyPath = (*path, "value_map", name)
        if name not in by_name:
            raise error(
                vpath,
                f"'{name}' is not a parameter; keys are canonical names: {one_of(names)}",
                did_you_mean(name, names),
                at_key=True,
            )
        param = by_name[name]
        if name in mapping and mapping[name] is None:
            raise error(
                vpath, f"'{name}' has no counterpart here (params maps it to null); nothing is passed"
            )
        if param.kind not in MAPPABLE_KINDS:
            raise error(
                vpath,
                f"value_map translates bool, int, scalar and option values; '{name}' has kind "
                f"'{param.kind.value}'",
            )
        out.append((name, _pairs(vpath, param, pairs, error)))
    return tuple(out)


def _pairs(
    path: KeyPath, param: Param, pairs: Sequence[Sequence[Any]], error: ErrorAt
) -> tuple[tuple[Any, Any], ...]:
    """[from, to] pairs: `from` a value of the parameter, each once, and every case value covered."""
    found: list[tuple[Any, Any]] = []
    for j, (before, after) in enumerate(pairs):
        ppath: KeyPath = (*path, j)
        if not _fits(param.kind, before):
            word = {_T.BOOL: "true or false", _T.INT: "an integer", _T.OPTION: "a string"}.get(
                param.kind, "a number"
            )
            raise error(
                (*ppath, 0),
                f"'{param.name}' has kind '{param.kind.value}': expected {word} but got {show(before)}",
            )
        if isinstance(after, (list, dict)):
            raise error(
                (*ppath, 1), f"a mapped value must be a number, string, true/false or null, not {show(after)}"
            )
        if any(type(b) is type(before) and b == before for b, _ in found):
            raise error((*ppath, 0), f"{show(before)} is mapped twice")
        found.append((before, after))
    domain = _domain(param)
    if domain is None:
        raise error(
            path,
            f"'{param.name}' has no finite list of values, so a value map cannot cover it",
            f"give '{param.name}' a 'values' list",
        )
    missing = [v for v in domain if not any(type(b) is type(v) and b == v for b, _ in found)]
    if missing:
        raise error(
            path,
            f"the value map of '{param.name}' leaves {', '.join(show(v) for v in missing)} unmapped; "
            f"cases pass {', '.join(show(v) for v in domain)}",
        )
    return tuple(found)


def _fits(kind: ParamKind, value: Any) -> bool:
    if kind is _T.BOOL:
        return isinstance(value, bool)
    if kind is _T.INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is _T.OPTION:
        return isinstance(value, str)
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _domain(param: Param) -> tuple[Any, ...] | None:
    """Every value generated cases can pass for a mappable parameter (None: not a finite list)."""
    if param.kind is _T.BOOL:
        return param.values or (False, True)
    return param.values or None
