"""Check a declarative reference's `formula` (and `raises`, `unknown`, `reduce`) when the spec loads.

Every expression is parsed and checked against the whitelist in
`apicompat.references.formula` before any case runs; each misuse names the key,
its line, the column in the expression and the fix.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from apicompat.references.declarative import REDUCTIONS, Condition
from apicompat.references.formula import FormulaError, check, check_scalar
from apicompat.spec.model import Output, Param, ParamKind
from apicompat.spec.relations import ErrorAt
from apicompat.spec.suggest import did_you_mean, one_of
from apicompat.spec.yamlpos import KeyPath

#: Parameter kinds a formula may read: tensors and the numbers and flags that shape the result.
READABLE = frozenset(
    {
        ParamKind.TENSOR,
        ParamKind.TENSOR_OR_SCALAR,
        ParamKind.INDEX,
        ParamKind.SCALAR,
        ParamKind.INT,
        ParamKind.BOOL,
    }
)
#: Kinds that arrive as Python numbers or bools: the only ones a condition (`if`, `and`, `raises`) reads.
SCALARS = frozenset({ParamKind.SCALAR, ParamKind.INT, ParamKind.BOOL})
#: Keys that belong to the NumPy-callable form only.
NUMPY_ONLY: tuple[str, ...] = ("args", "constants", "empty_dims")
#: Keys that belong to the formula form only.
FORMULA_ONLY: tuple[str, ...] = ("raises", "unknown", "reduce")


def formula_fields(
    raw: dict[str, Any], params: Sequence[Param], outputs: Sequence[Output], error: ErrorAt
) -> dict[str, Any]:
    """The Declaration fields of a formula reference (formula, formula_by, raises, ...), all checked."""
    for key in NUMPY_ONLY:
        if key in raw:
            raise error(
                ("reference", key),
                f"'{key}' maps onto a NumPy callable's arguments, but this reference is a formula",
                f"a formula reads the canonical parameter names directly: drop '{key}'",
                at_key=True,
            )
    if any(o.many for o in outputs) or len(outputs) > 1:
        listed = ", ".join(o.name for o in outputs)
        raise error(
            ("reference", "formula"),
            f"a formula gives one tensor, but the API returns {'a list' if len(outputs) == 1 else listed}",
            "use a NumPy callable per output (numpy: [...]), or a Python reference",
        )
    by_name = {p.name: p for p in params}
    readable = [p.name for p in params if p.kind in READABLE]
    scalars = [p.name for p in params if p.kind in SCALARS]
    used: set[str] = set()
    formula, formula_by = _formulas(raw["formula"], by_name, readable, scalars, used, error)
    raises = _raises(raw.get("raises", []), readable, scalars, used, error)
    unknown = _unknown(raw.get("unknown"), formula_by, error)
    reduce = _reduce(raw.get("reduce"), by_name, error)
    for name in (formula_by, reduce):
        if name is not None:
            used.add(name)
    return {
        "numpy": "",
        "formula": formula,
        "formula_by": formula_by,
        "unknown": unknown,
        "raises": raises,
        "defaults": _defaults(sorted(used), by_name, error),
        "reduce": reduce,
    }


def refuse_formula_keys(raw: dict[str, Any], error: ErrorAt) -> None:
    """`raises`, `unknown` and `reduce` go with a formula only."""
    for key in FORMULA_ONLY:
        if key in raw:
            raise error(
                ("reference", key),
                f"'{key}' applies to a formula, but this reference calls a NumPy callable",
                "write the reference as a formula, or drop the key",
                at_key=True,
            )


def _formulas(
    raw: str | dict[str, Any],
    by_name: dict[str, Param],
    readable: Collection[str],
    scalars: Collection[str],
    used: set[str],
    error: ErrorAt,
) -> tuple[tuple[tuple[str, str], ...], str | None]:
    """One expression keyed "", or one per value of the option parameter the mapping names."""
    where: KeyPath = ("reference", "formula")
    if isinstance(raw, str):
        used |= _check(raw, where, readable, scalars, error)
        return (("", raw),), None
    options = [n for n, p in by_name.items() if p.kind is ParamKind.OPTION]
    if len(raw) != 1:
        raise error(
            where,
            f"a keyed formula names one option parameter, but it has {len(raw)} keys ({one_of(raw)})",
            f"write formula: {{option: {{value: expression, ...}}}} with one of: {one_of(options)}",
        )
    by, texts = next(iter(raw.items()))
    at: KeyPath = (*where, by)
    if by not in options:
        found = "is not a parameter" if by not in by_name else f"has kind '{by_name[by].kind.value}'"
        raise error(
            at,
            f"a keyed formula is keyed by an option parameter, but '{by}' {found}; "
            f"options: {one_of(options)}",
            did_you_mean(by, options),
            at_key=True,
        )
    tried = [str(v) for v in by_name[by].values] or (
        [str(by_name[by].default)] if by_name[by].default else []
    )
    missing = [v for v in tried if v not in texts]
    if missing:
        raise error(
            at,
            f"no formula for {by}={missing[0]!r}, a value cases pass ({one_of(tried)})",
            f"add {missing[0]}: <expression> under formula.{by}",
        )
    for value, text in texts.items():
        used |= _check(text, (*at, value), readable, scalars, error)
    return tuple((str(k), v) for k, v in texts.items()), by


def _check(
    text: str,
    where: KeyPath,
    readable: Collection[str],
    scalars: Collection[str],
    error: ErrorAt,
    *,
    scalar: bool = False,
) -> frozenset[str]:
    """The parameters one expression reads; a misuse raises SpecError at `where`."""
    try:
        return (check_scalar if scalar else check)(text, readable, scalars)
    except FormulaError as exc:
        hint = exc.hint or (did_you_mean(exc.word, exc.choices) if exc.word else None)
        raise error(where, f"{exc.message} (column {exc.column} of {text.strip()!r})", hint) from None


def _raises(
    raw: dict[str, Any] | list[dict[str, Any]],
    readable: Collection[str],
    scalars: Collection[str],
    used: set[str],
    error: ErrorAt,
) -> tuple[Condition, ...]:
    """Conditions on number parameters that torch refuses (hardtanh's min_val > max_val)."""
    listed = [raw] if isinstance(raw, dict) else raw
    found: list[Condition] = []
    for j, item in enumerate(listed):
        at: KeyPath = ("reference", "raises") if isinstance(raw, dict) else ("reference", "raises", j)
        used |= _check(str(item["when"]), (*at, "when"), readable, scalars, error, scalar=True)
        found.append(
            Condition(str(item["when"]), str(item.get("error", "RuntimeError")), str(item.get("message", "")))
        )
    return tuple(found)


def _unknown(raw: dict[str, Any] | None, formula_by: str | None, error: ErrorAt) -> tuple[str, str]:
    """What torch raises for an option value no formula is keyed by (default ValueError)."""
    if raw is None:
        return ("ValueError", "")
    if formula_by is None:
        raise error(
            ("reference", "unknown"),
            "'unknown' says what an option value without a formula raises, but the formula is not keyed",
            "key the formula by an option (formula: {approximate: {none: ..., tanh: ...}}), "
            "or drop 'unknown'",
            at_key=True,
        )
    return (str(raw.get("error", "ValueError")), str(raw.get("message", "")))


def _reduce(raw: Any, by_name: dict[str, Param], error: ErrorAt) -> str | None:
    """The `reduction=` option parameter whose none / mean / sum applies to the formula's result."""
    if raw is None:
        return None
    options = [n for n, p in by_name.items() if p.kind is ParamKind.OPTION]
    at: KeyPath = ("reference", "reduce")
    if raw not in options:
        found = "is not a parameter" if raw not in by_name else f"has kind '{by_name[raw].kind.value}'"
        raise error(
            at,
            f"'reduce' names the option parameter holding none, mean or sum, but '{raw}' {found}; "
            f"options: {one_of(options)}",
            did_you_mean(str(raw), options),
        )
    other = [str(v) for v in by_name[raw].values if v not in REDUCTIONS]
    if other:
        raise error(
            at,
            f"'reduce' applies torch's {one_of(REDUCTIONS)}, but '{raw}' also takes {other[0]!r}",
            "write that reduction into a keyed formula, or use a Python reference",
        )
    return str(raw)


def _defaults(used: Sequence[str], by_name: dict[str, Param], error: ErrorAt) -> tuple[tuple[str, Any], ...]:
    """The source's default of each optional parameter a formula reads: what an omitted one means."""
    found: list[tuple[str, Any]] = []
    index = {name: i for i, name in enumerate(by_name)}
    for name in used:
        param = by_name[name]
        if param.required:
            continue
        if param.default is None:
            raise error(
                ("params", index[name]),
                f"the formula reads '{name}', which is optional without a default: "
                "an omitted one has no value",
                f"give '{name}' the source's default (default: ...) in params",
            )
        found.append((name, param.default))
    return tuple(found)


__all__ = ["FORMULA_ONLY", "NUMPY_ONLY", "formula_fields", "refuse_formula_keys"]
