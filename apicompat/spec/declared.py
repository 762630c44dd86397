"""Check a spec's `reference` and turn it into the `api` text the NumPy worker resolves.

A string names a Python reference (`module:function`, looked up first in the
`references/` folder beside the spec file); a mapping is a declarative reference,
checked here against the spec's parameters and outputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from apicompat.records import DTYPES
from apicompat.references.declarative import OPERAND_FREE, AxisArg, Declaration, Rejection, resolve_numpy
from apicompat.references.locate import SEARCH_DIR, file_api
from apicompat.spec.declared_formula import formula_fields, refuse_formula_keys
from apicompat.spec.imports import ImportProblem, resolve_file_reference, resolve_reference
from apicompat.spec.model import Output, Param, ParamKind
from apicompat.spec.relations import ErrorAt
from apicompat.spec.suggest import did_you_mean, one_of
from apicompat.spec.yamlpos import KeyPath

_OPERAND_KINDS = frozenset({ParamKind.TENSOR, ParamKind.TENSORS, ParamKind.TENSOR_OR_SCALAR})
# A number parameter may be named as an operand (masked_fill's value): it is cast like one.
_NAMED_OPERAND_KINDS = _OPERAND_KINDS | {ParamKind.SCALAR}
# Integer tensors: an index kind, or a plain tensor holding positions (torch.take's index).
_INDEX_KINDS = frozenset({ParamKind.INDEX, ParamKind.TENSOR})
# A rejection may also check a tensor outside promotion (torch.where's bool condition).
_TENSOR_KINDS = frozenset({ParamKind.TENSOR, ParamKind.INDEX})


def reference_api(
    raw: str | dict[str, Any],
    spec_file: Path,
    params: Sequence[Param],
    outputs: Sequence[Output],
    error: ErrorAt,
    expand_dtypes: Any,
) -> str:
    """The reference's `api` text, after checking that it can run; raises SpecError via `error`."""
    if isinstance(raw, str):
        return _python_reference(raw, spec_file, error)
    return _declaration(raw, params, outputs, error, expand_dtypes).to_api()


def _python_reference(ref: str, spec_file: Path, error: ErrorAt) -> str:
    """`module:function`: a module in `<spec dir>/references/` wins over an importable one."""
    module, _, function = ref.partition(":")
    local = spec_file.parent / SEARCH_DIR / (module.replace(".", "/") + ".py")
    try:
        if local.is_file():
            resolve_file_reference(local, function)
            return file_api(local, function)
        resolve_reference(ref)
    except ImportProblem as problem:
        raise error(("reference",), problem.message, problem.hint) from None
    return ref


def _declaration(
    raw: dict[str, Any],
    params: Sequence[Param],
    outputs: Sequence[Output],
    error: ErrorAt,
    expand_dtypes: Any,
) -> Declaration:
    """A Declaration from the spec's mapping, each name checked against the parameters."""
    path: KeyPath = ("reference",)
    by_name = {p.name: p for p in params}
    names = list(by_name)
    many = any(o.many for o in outputs)
    if ("numpy" in raw) == ("formula" in raw):
        raise error(
            path,
            "a declarative reference gives either 'numpy' (a NumPy callable) or 'formula' (an expression)"
            + (", not both" if "numpy" in raw else ", but it has neither"),
            'numpy: numpy.flip, or formula: "where(input > 0, input, 0.0)"',
        )
    if "formula" in raw:
        fields = formula_fields(raw, params, outputs, error)
        callables: tuple[str, ...] = (fields["numpy"],)
    else:
        refuse_formula_keys(raw, error)
        fields = {}
        callables = _callables(raw["numpy"], outputs, error)
    args = _args(raw.get("args", {}), by_name, error)
    constants = _constants(raw.get("constants", {}), error)
    default_operands = [p.name for p in params if p.kind in _OPERAND_KINDS]
    operands = list(raw.get("operands", default_operands))
    for j, name in enumerate(operands):
        if name not in by_name or by_name[name].kind not in _NAMED_OPERAND_KINDS:
            tensors = [n for n in names if by_name[n].kind in _NAMED_OPERAND_KINDS]
            what = "is not a parameter" if name not in by_name else f"has kind '{by_name[name].kind.value}'"
            raise error(
                (*path, "operands", j),
                "an operand must be a tensor, tensors, tensor_or_scalar or scalar parameter, "
                f"but '{name}' {what}; such parameters: {one_of(tensors)}",
                did_you_mean(name, tensors),
            )
    promotion = raw.get("promotion", "default")
    rules = (promotion,) if isinstance(promotion, str) else tuple(promotion)
    if not operands and not all(rule in OPERAND_FREE for rule in rules):
        raise error(
            path,
            "a declarative reference needs an operand (a tensor parameter, or numbers named in "
            f"'operands') to promote, unless its promotion needs none ({one_of(OPERAND_FREE)})",
            "name the numbers the result dtype follows from (operands: [start, end, step]), "
            "or use promotion: default_float",
        )
    wanted = 1 if many else max(len(outputs), 1)
    if len(rules) != wanted:
        listed = ", ".join(o.name for o in outputs) or "output"
        raise error(
            (*path, "promotion"),
            f"'promotion' gives {len(rules)} rule(s) but the API has {wanted} output(s) ({listed})",
            "give one rule for the list's items"
            if many
            else "give one rule per output, in the order of 'outputs'",
        )
    rejects = raw.get("rejects", [])
    rejects = [rejects] if isinstance(rejects, dict) else rejects
    checkable = [*operands, *(p.name for p in params if p.kind in _TENSOR_KINDS and p.name not in operands)]
    scale = _scale(raw.get("scale", {}), operands, by_name, error)
    return Declaration(
        numpy=callables[0],
        args=tuple(sorted(args.items())),
        promotion=rules,
        operands=tuple(operands),
        lists=tuple(n for n in operands if by_name[n].kind is ParamKind.TENSORS),
        spread=tuple(
            n
            for n in operands
            if by_name[n].kind is ParamKind.TENSORS and by_name[n].varargs and isinstance(args.get(n), int)
        ),
        indices=tuple(p.name for p in params if p.kind is ParamKind.INDEX),
        axes=tuple(
            AxisArg(p.name, p.of, p.kind is ParamKind.AXES)
            for p in params
            if p.kind in (ParamKind.AXIS, ParamKind.AXES) and p.of is not None
        ),
        dtype_param=next((p.name for p in params if p.kind is ParamKind.DTYPE and p.name not in args), None),
        rejects=tuple(
            _rejection((*path, "rejects", j), r, checkable, error, expand_dtypes)
            for j, r in enumerate(rejects)
        ),
        empty_dims=str(raw.get("empty_dims", "none")),
        drop=tuple(p.name for p in params if p.kind is ParamKind.OUT),
        per_output=callables if len(callables) > 1 else (),
        many=many,
        nonnegative=_named(raw, "nonnegative", by_name, _INDEX_KINDS, "an index", error),
        broadcast=_named(raw, "broadcast", by_name, _TENSOR_KINDS, "a tensor", error),
        constants=tuple(sorted(constants.items())),
        same_dtype=bool(raw.get("same_dtype", False)),
        ranks=_ranks(raw.get("ranks", {}), operands, error),
        scale=tuple(sorted(scale.items())),
        divisor=_divisor(raw.get("divisor"), operands, error),
        **{k: v for k, v in fields.items() if k != "numpy"},
    )


def _callables(raw: str | list[str], outputs: Sequence[Output], error: ErrorAt) -> tuple[str, ...]:
    """The NumPy callable, or one per output; each must resolve."""
    paths = (raw,) if isinstance(raw, str) else tuple(raw)
    where: KeyPath = ("reference", "numpy")
    for j, path in enumerate(paths):
        try:
            resolve_numpy(path)
        except ValueError as exc:
            at = where if isinstance(raw, str) else (*where, j)
            raise error(
                at,
                str(exc),
                "name a NumPy, scipy.special or scipy.linalg function, such as numpy.flip or "
                "scipy.special.erfinv",
            ) from None
    if len(paths) > 1 and any(o.many for o in outputs):
        raise error(where, "a list output comes from one NumPy callable", "give one callable")
    if len(paths) > 1 and len(paths) != len(outputs):
        listed = ", ".join(o.name for o in outputs) or "output"
        raise error(
            where,
            f"'numpy' lists {len(paths)} callables, one per output, but the API has "
            f"{max(len(outputs), 1)} output(s) ({listed})",
            "list one NumPy callable per output, in the order of 'outputs', or give one callable",
        )
    return paths


def _named(
    raw: dict[str, Any],
    key: str,
    by_name: dict[str, Param],
    kinds: frozenset[ParamKind],
    what: str,
    error: ErrorAt,
) -> tuple[str, ...]:
    """The parameters a reference key lists, each of a kind the key applies to."""
    fitting = [n for n, p in by_name.items() if p.kind in kinds]
    for j, name in enumerate(raw.get(key, [])):
        if name not in fitting:
            found = "is not a parameter" if name not in by_name else f"has kind '{by_name[name].kind.value}'"
            raise error(
                ("reference", key, j),
                f"'{key}' lists {what} parameter, but '{name}' {found}; such parameters: {one_of(fitting)}",
                did_you_mean(name, fitting),
            )
    return tuple(raw.get(key, ()))


def _constants(raw: dict[str, Any], error: ErrorAt) -> dict[str, Any]:
    """NumPy keyword -> a fixed value (the schema has checked that each is a number, text, bool or null)."""
    for key in raw:
        if not key.isidentifier():
            raise error(("reference", "constants", key), f"'{key}' is not a Python keyword name", at_key=True)
    return dict(raw)


def _ranks(
    raw: dict[str, Any], operands: Sequence[str], error: ErrorAt
) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """Operand -> the ranks torch accepts; each key an operand, each rank 0..8."""
    found: list[tuple[str, tuple[int, ...]]] = []
    for name, ranks in raw.items():
        kpath: KeyPath = ("reference", "ranks", name)
        _require_operand(name, operands, kpath, error, at_key=True)
        listed = [ranks] if isinstance(ranks, int) else list(ranks)  # the schema checked 0..8
        found.append((name, tuple(sorted(set(listed)))))
    return tuple(sorted(found))


def _scale(
    raw: dict[str, Any], operands: Sequence[str], by_name: dict[str, Param], error: ErrorAt
) -> dict[str, str]:
    """Operand -> the number parameter that multiplies it (torch.add's alpha), never passed to NumPy."""
    numbers = [n for n, p in by_name.items() if p.kind in (ParamKind.SCALAR, ParamKind.INT)]
    for name, by in raw.items():
        kpath: KeyPath = ("reference", "scale", name)
        _require_operand(name, operands, kpath, error, at_key=True)
        if by not in numbers:
            raise error(
                kpath,
                f"the scale of '{name}' must be a scalar or int parameter, but '{by}' "
                + ("is not a parameter" if by not in by_name else f"has kind '{by_name[by].kind.value}'")
                + f"; such parameters: {one_of(numbers)}",
                did_you_mean(str(by), numbers),
            )
    return dict(raw)


def _divisor(raw: Any, operands: Sequence[str], error: ErrorAt) -> str | None:
    """The operand whose integer zeros raise (torch.remainder's other)."""
    if raw is not None:
        _require_operand(str(raw), operands, ("reference", "divisor"), error, at_key=False)
    return None if raw is None else str(raw)


def _require_operand(
    name: str, operands: Sequence[str], kpath: KeyPath, error: ErrorAt, *, at_key: bool
) -> None:
    """Refuse a reference key that names something other than one of the reference's operands."""
    if name not in operands:
        raise error(
            kpath,
            f"'{name}' is not an operand of the reference; operands: {one_of(operands)}",
            did_you_mean(name, list(operands)),
            at_key=at_key,
        )


def _args(raw: dict[str, Any], by_name: dict[str, Param], error: ErrorAt) -> dict[str, str | int | None]:
    """Canonical name -> NumPy keyword or position; positions must run 0, 1, ... without gaps."""
    names = list(by_name)
    keywords: dict[str, str] = {}
    positions: dict[int, str] = {}
    # Parameters a call never gives together (torch.std's unbiased and correction) may share a keyword.
    apart = {(a, b) for a, p in by_name.items() for b in p.excludes} | {
        (b, a) for a, p in by_name.items() for b in p.excludes
    }
    for key, where in raw.items():
        kpath: KeyPath = ("reference", "args", key)
        if key not in by_name:
            raise error(
                kpath,
                f"'{key}' is not a parameter of this spec; keys are canonical names: {one_of(names)}",
                did_you_mean(key, names),
                at_key=True,
            )
        if by_name[key].kind is ParamKind.OUT and where is not None:
            raise error(kpath, f"'{key}' is an out= tensor; a reference returns new arrays", "map it to null")
        if isinstance(where, bool) or (isinstance(where, int) and where < 0):
            raise error(kpath, f"expected a NumPy keyword, a position (0, 1, ...) or null, but got {where!r}")
        if isinstance(where, int):
            if where in positions:
                raise error(kpath, f"position {where} is already taken by '{positions[where]}'")
            positions[where] = key
        elif isinstance(where, str):
            if not where.isidentifier():
                raise error(kpath, f"'{where}' is not a Python keyword name")
            if where in keywords and (keywords[where], key) not in apart:
                raise error(kpath, f"NumPy keyword '{where}' is already given by '{keywords[where]}'")
            keywords[where] = key
    missing = [i for i in range(len(positions)) if i not in positions]
    if missing:
        raise error(
            ("reference", "args"),
            f"positions must run 0, 1, ... without gaps, but {missing[0]} is missing",
            "number the positional arguments from 0",
        )
    return dict(raw)


def _rejection(
    path: KeyPath, raw: dict[str, Any], operands: Sequence[str], error: ErrorAt, expand_dtypes: Any
) -> Rejection:
    """One declared rejection; its dtypes and the tensors it checks must exist."""
    groups = ("all", "int", "float", "complex")
    for j, name in enumerate(raw["dtypes"]):
        if name not in DTYPES and name not in groups:
            choices = [*DTYPES, *groups]
            raise error(
                (*path, "dtypes", j),
                f"expected a dtype or group ({one_of(choices)}) but got '{name}'",
                did_you_mean(name, choices),
            )
    for j, name in enumerate(raw.get("params", [])):
        if name not in operands:
            raise error(
                (*path, "params", j),
                f"'{name}' is not a tensor the reference checks; tensors: {one_of(operands)}",
                did_you_mean(name, list(operands)),
            )
    if raw.get("result") and (raw.get("promoted") or raw.get("params")):
        raise error(
            (*path, "result"),
            "'result' checks the result dtype, so 'promoted' and 'params' do not apply with it",
            "drop 'promoted' and 'params', or split the rejection in two",
        )
    wanted = expand_dtypes(raw["dtypes"])
    return Rejection(
        dtypes=tuple(d for d in DTYPES if d in wanted),
        error=str(raw.get("error", "RuntimeError")),
        params=tuple(raw.get("params", ())),
        message=str(raw.get("message", "")),
        promoted=bool(raw.get("promoted", False)),
        result=bool(raw.get("result", False)),
    )
