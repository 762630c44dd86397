"""Declarative references: a NumPy callable plus torch's rule for the result dtype and errors.

A spec that says `reference: {numpy: numpy.flip, args: {dims: axis}, promotion: default}`
needs no Python. The loader turns that mapping into a `Declaration` (knowing each
parameter's kind from the spec) and hands it to the NumPy worker as text, where
`build` makes the reference callable. The callable follows the reference calling
convention of `apicompat.references`: canonical arguments by keyword, plus `dtypes`.

Result dtypes use the vocabulary of torch's own
`torch._prims_common.ELEMENTWISE_TYPE_PROMOTION_KIND`, applied after torch's type
promotion of the operands (`apicompat.references.promotion.result_type`), plus the
rules reductions and index-returning operations need (`sum`, `int64`, `same`).
"""

from __future__ import annotations

import builtins
import importlib
import json
import warnings
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from apicompat.records.dtypes import carrier, dtype_category
from apicompat.references.core import Result, cast, check_axis, exact, widen
from apicompat.references.formula import evaluate
from apicompat.references.promotion import result_type

#: How the `api` of a declarative reference starts; the rest is the declaration as JSON.
PREFIX = "declarative:"

#: Result-dtype rules: torch's ELEMENTWISE_TYPE_PROMOTION_KIND names, then reduction and index rules.
PROMOTIONS: dict[str, str] = {
    "default": "the promoted dtype of the operands (torch's DEFAULT)",
    "no_opmath": "the promoted dtype (torch's NO_OPMATH; the reference computes wide either way)",
    "int_to_float": "the promoted dtype, float32 for integer and bool operands (INT_TO_FLOAT)",
    "always_bool": "bool, after comparing in the promoted dtype (ALWAYS_BOOL)",
    "complex_to_float": "the promoted dtype, its real counterpart for complex (COMPLEX_TO_FLOAT)",
    "bool_to_long": "the promoted dtype, int64 for bool (BOOL_TO_LONG)",
    "sum": "torch's sum rule: integer and bool operands accumulate in int64",
    "int64": "int64 (indices and counts), computed in the promoted dtype",
    "same": "the first operand's dtype, whatever the others are",
    "bool_or_uint8": "bool, but uint8 stays uint8 (torch.all and torch.any)",
    "default_float": "torch's default dtype, float32, whatever the operands (zeros); dtype= replaces it",
    "default_long": "int64, whatever the operands (tril_indices); dtype= replaces it",
    "float64": "float64, or complex128 for complex operands, computed so (torch.float_power)",
}

#: torch.get_default_dtype(): what a creation op without a dtype= and without operands returns.
DEFAULT_DTYPE = "float32"

#: Rules that need no operand: a creation op's result dtype is fixed until dtype= changes it.
OPERAND_FREE: tuple[str, ...] = ("default_float", "default_long")

#: The exception classes a declared rejection may raise (builtins only: nothing is imported).
ERRORS: tuple[str, ...] = ("RuntimeError", "TypeError", "ValueError", "IndexError", "NotImplementedError")

#: What an empty tuple of axes means: `none` (pass it on: no axis) or `all` (torch.sum: every axis).
EMPTY_DIMS: tuple[str, ...] = ("none", "all")

_REAL = {"complex64": "float32", "complex128": "float64"}

#: Rules whose result dtype a `dtype=` argument does not replace.
_OWN_DTYPE = frozenset({"int64", "always_bool", "bool_or_uint8"})


@dataclass(frozen=True)
class Rejection:
    """Inputs torch rejects: an operand of one of `dtypes` raises `error`."""

    dtypes: tuple[str, ...]
    error: str = "RuntimeError"
    params: tuple[str, ...] = ()  # the operands checked; empty: every operand
    message: str = ""
    promoted: bool = False  # check the operands' promoted dtype instead (torch.sub of two bools)
    result: bool = False  # check the result dtype instead, after dtype= (torch.mean of integers)


@dataclass(frozen=True)
class Condition:
    """Calls torch refuses before it computes: `when`, a formula over number and bool parameters, holds."""

    when: str  # hardtanh: "min_val > max_val"
    error: str = "RuntimeError"
    message: str = ""


#: torch's loss reductions: the values of a `reduction=` option a formula's `reduce` applies.
REDUCTIONS: tuple[str, ...] = ("none", "mean", "sum")


@dataclass(frozen=True)
class AxisArg:
    """A parameter naming dimensions of a tensor: normalized and range-checked as torch does."""

    name: str
    of: str
    many: bool  # kind `axes`: an int or a tuple of ints


@dataclass(frozen=True)
class Declaration:
    """Everything the engine needs: the NumPy callable, argument names and torch's dtype rules."""

    numpy: str  # import path of the NumPy callable: numpy.flip, numpy.linalg.norm ("" with a formula)
    args: tuple[tuple[str, str | int | None], ...] = ()  # canonical -> keyword, position, or None (dropped)
    promotion: tuple[str, ...] = ("default",)  # one rule per output
    operands: tuple[str, ...] = ()  # tensor and number parameters that take part in promotion
    lists: tuple[str, ...] = ()  # operands that are lists of tensors (kind `tensors`)
    indices: tuple[str, ...] = ()  # integer tensors passed as int64, outside promotion
    axes: tuple[AxisArg, ...] = ()
    dtype_param: str | None = None  # a `dtype=` parameter: the result dtype, input cast to it first
    rejects: tuple[Rejection, ...] = ()
    empty_dims: str = "none"
    drop: tuple[str, ...] = field(default=())  # parameters the reference never receives (out=)
    per_output: tuple[str, ...] = ()  # one NumPy callable per output, same arguments (amin, argmin)
    many: bool = False  # the output is a list of tensors (torch.chunk): every item follows the one rule
    nonnegative: tuple[str, ...] = ()  # index parameters whose negative values torch rejects
    broadcast: tuple[str, ...] = ()  # tensors broadcast to one shape before NumPy sees them
    constants: tuple[tuple[str, Any], ...] = ()  # NumPy keyword -> a value passed unless a parameter gives it
    same_dtype: bool = False  # tensor operands must share one dtype (torch's matrix products never promote)
    ranks: tuple[tuple[str, tuple[int, ...]], ...] = ()  # operand -> the ranks torch accepts
    scale: tuple[tuple[str, str], ...] = ()  # operand -> the number parameter it is multiplied by (alpha)
    divisor: str | None = None  # the operand that divides: an integer zero in it raises, as in torch
    # A formula instead of the NumPy callable: option value -> expression ("" keys the only one).
    formula: tuple[tuple[str, str], ...] = ()
    formula_by: str | None = None  # the option parameter whose value picks the formula (gelu's approximate)
    unknown: tuple[str, str] = ("ValueError", "")  # error and message for a value no formula is keyed by
    raises: tuple[Condition, ...] = ()  # conditions on number parameters that torch refuses
    defaults: tuple[tuple[str, Any], ...] = ()  # the source's defaults of parameters a formula reads
    reduce: str | None = None  # an option parameter applying torch's none / mean / sum to the formula
    spread: tuple[str, ...] = ()  # list operands passed to NumPy as separate arguments (numpy.meshgrid(*xi))

    def to_api(self) -> str:
        """The declaration as the `api` text the NumPy worker resolves (stable: sorted keys)."""
        return PREFIX + json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))


def from_api(api: str) -> Declaration:
    """The Declaration that `Declaration.to_api` wrote."""
    raw = json.loads(api[len(PREFIX) :])
    return Declaration(
        numpy=raw["numpy"],
        args=tuple((k, v) for k, v in raw["args"]),
        promotion=tuple(raw["promotion"]),
        operands=tuple(raw["operands"]),
        lists=tuple(raw["lists"]),
        indices=tuple(raw["indices"]),
        axes=tuple(AxisArg(a["name"], a["of"], a["many"]) for a in raw["axes"]),
        dtype_param=raw["dtype_param"],
        rejects=tuple(
            Rejection(
                tuple(r["dtypes"]),
                r["error"],
                tuple(r["params"]),
                r["message"],
                r["promoted"],
                r.get("result", False),
            )
            for r in raw["rejects"]
        ),
        empty_dims=raw["empty_dims"],
        drop=tuple(raw["drop"]),
        per_output=tuple(raw.get("per_output", ())),
        many=bool(raw.get("many", False)),
        nonnegative=tuple(raw.get("nonnegative", ())),
        broadcast=tuple(raw.get("broadcast", ())),
        constants=tuple((k, v) for k, v in raw.get("constants", ())),
        same_dtype=bool(raw.get("same_dtype", False)),
        ranks=tuple((k, tuple(v)) for k, v in raw.get("ranks", ())),
        scale=tuple((k, v) for k, v in raw.get("scale", ())),
        divisor=raw.get("divisor"),
        formula=tuple((k, v) for k, v in raw.get("formula", ())),
        formula_by=raw.get("formula_by"),
        unknown=(
            str(raw.get("unknown", ("ValueError", ""))[0]),
            str(raw.get("unknown", ("ValueError", ""))[1]),
        ),
        raises=tuple(Condition(c["when"], c["error"], c["message"]) for c in raw.get("raises", ())),
        defaults=tuple((k, v) for k, v in raw.get("defaults", ())),
        reduce=raw.get("reduce"),
        spread=tuple(raw.get("spread", ())),
    )


#: Where a declarative reference may take its callables from: NumPy, SciPy's special functions
#: (erfinv, gammaln, digamma...), which NumPy lacks and torch.special mirrors, and SciPy's matrix
#: functions (expm, block_diag), which NumPy lacks and torch.linalg has.
ROOTS: tuple[str, ...] = ("numpy", "scipy.special", "scipy.linalg")


def resolve_numpy(path: str) -> Callable[..., Any]:
    """The callable at a dotted path under one of ROOTS (`numpy.linalg.norm`); raises ValueError."""
    root = next((r for r in ROOTS if path == r or path.startswith(r + ".")), None)
    if root is None:
        raise ValueError(
            f"a declarative reference calls NumPy, scipy.special or scipy.linalg, but {path!r} is under none"
        )
    parts = path.split(".")
    obj: Any = importlib.import_module(root)
    skip = root.count(".") + 1
    for i, part in enumerate(parts[skip:], skip):
        if not hasattr(obj, part):
            try:
                obj = importlib.import_module(".".join(parts[: i + 1]))
                continue
            except ImportError:
                raise ValueError(f"{'.'.join(parts[:i])} has no attribute {part!r}") from None
        obj = getattr(obj, part)
    if not callable(obj):
        raise ValueError(f"{path} is not callable (it is a {type(obj).__name__})")
    return obj  # type: ignore[no-any-return]


def result_dtypes(rule: str, promoted: str, first: str) -> tuple[str, str]:
    """(compute dtype, result dtype) for one promotion rule, as torch's elementwise_dtypes gives them."""
    kind = dtype_category(promoted)
    if rule in ("default", "no_opmath"):
        return promoted, promoted
    if rule == "int_to_float":
        out = "float32" if kind in ("bool", "int") else promoted
        return out, out
    if rule == "always_bool":
        return promoted, "bool"
    if rule == "complex_to_float":
        return promoted, _REAL.get(promoted, promoted)
    if rule == "bool_to_long":
        out = "int64" if kind == "bool" else promoted
        return out, out
    if rule == "sum":
        out = "int64" if kind in ("bool", "int") else promoted
        return out, out
    if rule == "int64":
        return promoted, "int64"
    if rule == "same":
        return first, first
    if rule == "bool_or_uint8":
        return promoted, "uint8" if promoted == "uint8" else "bool"
    if rule == "default_float":
        return DEFAULT_DTYPE, DEFAULT_DTYPE
    if rule == "default_long":
        return "int64", "int64"
    if rule == "float64":
        out = "complex128" if kind == "complex" else "float64"
        return out, out
    raise ValueError(f"unknown promotion rule {rule!r}; expected one of {', '.join(PROMOTIONS)}")


class DeclaredReference:
    """The reference callable a Declaration describes."""

    def __init__(self, declaration: Declaration) -> None:
        self.declaration = declaration
        if declaration.formula:
            # A formula takes the NumPy callable's place; everything around the call stays the same.
            self.function: Callable[..., Any] = self._formula
            self.__name__ = "formula"
        else:
            self.function = resolve_numpy(declaration.numpy)
            self.__name__ = declaration.numpy.rsplit(".", 1)[-1]
        self.functions = tuple(resolve_numpy(path) for path in declaration.per_output) or (self.function,)
        self.__doc__ = f"Declarative reference: {describe(declaration)}"

    def __call__(self, *, dtypes: dict[str, str], **given: Any) -> Result | tuple[Result, ...]:
        """Compute at float64 / complex128 (exact for integers) and return Results in torch's dtypes."""
        d = self.declaration
        operand_dtypes = self._operand_dtypes(given, dtypes)
        promoted, first = self._promoted(given, dtypes)
        self._check_ranks(given)
        self._check_same_dtype(operand_dtypes)
        self._check_rejections(operand_dtypes, promoted, dtypes)
        self._check_conditions(given)
        self._check_scale(given, promoted)
        self._check_divisor(given, promoted)
        chosen = given.get(d.dtype_param) if d.dtype_param is not None else None
        if chosen is not None:
            # dtype= is the result (torch casts the input to it first); indices and bools stay theirs.
            promoted = first = str(chosen)
            rules = [
                result_dtypes(rule, promoted, first) if rule in _OWN_DTYPE else (promoted, promoted)
                for rule in d.promotion
            ]
        else:
            rules = [result_dtypes(rule, promoted, first) for rule in d.promotion]
        self._check_result(rules[0][1])
        compute = rules[0][0]
        values, scalar_shaped = self._arguments(given, compute)
        self._check_indices(values)
        positional, keywords = self._call_args(values)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            # NumPy warns where torch is silent (the mean of an empty slice, ddof >= N): NaN is the answer.
            warnings.simplefilter("ignore", RuntimeWarning)
            raws = [function(*positional, **keywords) for function in self.functions]
        raw = raws[0] if len(raws) == 1 else tuple(raws)
        if d.many:
            # A list of tensors (torch.chunk): as many outputs as NumPy returned pieces, one rule for all.
            outputs = tuple(raw)
            rules = rules * len(outputs)
        else:
            outputs = raw if isinstance(raw, tuple) and len(d.promotion) > 1 else (raw,)
        if len(outputs) != len(rules):
            raise TypeError(f"{d.numpy} returned {len(outputs)} output(s), the spec declares {len(rules)}")
        results = tuple(
            Result(_finish(out, dtype, scalar_shaped), dtype)
            for out, (_, dtype) in zip(outputs, rules, strict=True)
        )
        return results[0] if len(results) == 1 and not d.many else results

    def _formula(self, **values: Any) -> Any:
        """The formula the options pick, evaluated on the widened operands, then `reduce` applied."""
        d = self.declaration
        bound = {**dict(d.defaults), **values}
        chosen = "" if d.formula_by is None else bound.get(d.formula_by)
        texts = dict(d.formula)
        if chosen not in texts:
            error: type[Exception] = getattr(builtins, d.unknown[0])
            keyed = ", ".join(texts)
            raise error(d.unknown[1] or f"{d.formula_by} must be one of {keyed}, but got {chosen!r}")
        result = evaluate(texts[str(chosen)], bound)
        if d.reduce is None:
            return result
        reduction = bound.get(d.reduce)
        if reduction not in REDUCTIONS:
            raise ValueError(f"{reduction} is not a valid value for reduction")  # torch's words
        if reduction == "sum":
            return np.sum(result)
        return np.mean(result) if reduction == "mean" else result

    def _check_conditions(self, given: dict[str, Any]) -> None:
        """Raise as torch does where a declared condition on the number parameters holds."""
        if not self.declaration.raises:
            return
        bound = {**dict(self.declaration.defaults), **given}
        for condition in self.declaration.raises:
            if evaluate(condition.when, bound):
                error: type[Exception] = getattr(builtins, condition.error)
                raise error(condition.message or f"torch refuses {condition.when}")

    def _check_indices(self, values: dict[str, Any]) -> None:
        """A negative index raises where torch rejects it (NumPy would count it from the end)."""
        for name in self.declaration.nonnegative:
            index = values.get(name)
            if index is not None and np.size(index) and int(np.min(index)) < 0:
                raise RuntimeError(f"{name} holds {int(np.min(index))}: torch rejects negative indices here")

    def _operand_dtypes(self, given: dict[str, Any], dtypes: dict[str, str]) -> dict[str, list[str]]:
        """Each given operand's tensor dtypes (a list's items in order; a number has none)."""
        found: dict[str, list[str]] = {}
        for name in self.declaration.operands:
            if given.get(name) is None:
                continue
            if name in self.declaration.lists:
                found[name] = [dtypes[f"{name}[{i}]"] for i in range(len(given[name]))]
            elif name in dtypes:
                found[name] = [dtypes[name]]
        return found

    def _check_rejections(
        self, operand_dtypes: dict[str, list[str]], promoted: str, dtypes: dict[str, str]
    ) -> None:
        for rejection in self.declaration.rejects:
            if rejection.result:
                continue  # checked once the result dtype is known (`_check_result`)
            if rejection.promoted:
                if promoted in rejection.dtypes:
                    error: type[Exception] = getattr(builtins, rejection.error)
                    raise error(
                        rejection.message or f"{self.__name__} does not support operands of {promoted}"
                    )
                continue
            checked = dict(operand_dtypes)
            # A named tensor outside promotion (torch.where's condition) is checked by its own dtype.
            checked.update({n: [dtypes[n]] for n in rejection.params if n not in checked and n in dtypes})
            for name, names in checked.items():
                if rejection.params and name not in rejection.params:
                    continue
                bad = [d for d in names if d in rejection.dtypes]
                if bad:
                    error = getattr(builtins, rejection.error)
                    what = rejection.message or f"{self.__name__} does not support {name} of dtype {bad[0]}"
                    raise error(what)

    def _check_result(self, dtype: str) -> None:
        """Rejections of the result dtype: torch.mean of integers, torch.cumsum(dtype=bool)."""
        for rejection in self.declaration.rejects:
            if rejection.result and dtype in rejection.dtypes:
                error: type[Exception] = getattr(builtins, rejection.error)
                raise error(rejection.message or f"{self.__name__} does not support a result of {dtype}")

    def _check_ranks(self, given: dict[str, Any]) -> None:
        """Operands of a rank torch refuses raise RuntimeError (torch.mm takes 2-D tensors only)."""
        for name, allowed in self.declaration.ranks:
            value = given.get(name)
            if value is not None and np.ndim(value) not in allowed:
                ranks = " or ".join(f"{r}-D" for r in allowed)
                raise RuntimeError(f"{self.__name__}: {name} must be {ranks}, but got {np.ndim(value)}-D")

    def _check_same_dtype(self, operand_dtypes: dict[str, list[str]]) -> None:
        """Tensor operands of different dtypes raise RuntimeError, where `same_dtype` holds."""
        if not self.declaration.same_dtype:
            return
        found = [d for names in operand_dtypes.values() for d in names]
        if len(set(found)) > 1:
            raise RuntimeError(
                f"expected both operands to have the same dtype, but got: {' != '.join(found)}"
            )

    def _check_scale(self, given: dict[str, Any], promoted: str) -> None:
        """torch's alpha check: no float scale for an integer result, only a bool one for a bool result."""
        kind = dtype_category(promoted)
        for _, by in self.declaration.scale:
            alpha = given.get(by)
            if alpha is None:
                continue
            if kind in ("bool", "int") and isinstance(alpha, float):
                raise RuntimeError(
                    f"For integral input tensors, argument {by} must not be a floating point number."
                )
            if kind == "bool" and not isinstance(alpha, bool):
                raise RuntimeError(f"Boolean {by} only supported for Boolean results.")

    def _check_divisor(self, given: dict[str, Any], promoted: str) -> None:
        """An integer division by zero raises in torch (NumPy returns 0)."""
        name = self.declaration.divisor
        if name is None or given.get(name) is None or dtype_category(promoted) != "int":
            return
        if np.any(np.asarray(given[name]) == 0):
            raise RuntimeError("ZeroDivisionError")

    def _promoted(self, given: dict[str, Any], dtypes: dict[str, str]) -> tuple[str, str]:
        """torch's promoted dtype of the given operands, and the first operand's dtype."""
        tensors: dict[str, tuple[str, int]] = {}
        scalars: list[Any] = []
        for name in self.declaration.operands:
            value = given.get(name)
            if value is None:
                continue
            if name in self.declaration.lists:
                for i, item in enumerate(value):
                    tensors[f"{name}[{i}]"] = (dtypes[f"{name}[{i}]"], np.ndim(item))
            elif isinstance(value, np.ndarray):
                tensors[name] = (dtypes[name], value.ndim)
            else:
                scalars.append(value)
        if not tensors and not scalars:
            # Nothing to promote (torch.zeros(2, 3)): the rule alone decides (OPERAND_FREE).
            return DEFAULT_DTYPE, DEFAULT_DTYPE
        promoted = result_type(tensors, scalars)
        first = next(iter(tensors.values()))[0] if tensors else promoted
        return promoted, first

    def _arguments(self, given: dict[str, Any], compute: str) -> tuple[dict[str, Any], bool]:
        """Canonical arguments ready for NumPy: operands widened, axes checked, 0-d tensors as (1,)."""
        d = self.declaration
        # Operands are first converted to the compute dtype, as torch converts them (`cast`);
        # integers then compute in int64 and wrap into the result dtype at the end (`exact`).
        wide = "int64" if dtype_category(compute) == "int" else compute
        scales = {by for _, by in d.scale}
        values = {
            k: v for k, v in given.items() if k not in d.drop and k != d.dtype_param and k not in scales
        }
        for name in d.operands:
            value = values.get(name)
            if value is None:
                continue
            if name in d.lists:
                values[name] = [widen(cast(item, compute), wide) for item in value]
            else:
                values[name] = widen(cast(np.asarray(value), compute), wide)
        for name, by in d.scale:
            alpha = given.get(by)
            if values.get(name) is not None and alpha is not None:
                with np.errstate(all="ignore"):
                    # A bool operand scaled by a bool alpha stays bool (True * True is True).
                    values[name] = values[name] * (
                        np.bool_(alpha) if values[name].dtype == np.bool_ else alpha
                    )
        for name in d.indices:
            if values.get(name) is not None:
                values[name] = np.asarray(values[name]).astype(np.int64)
        if d.broadcast:
            values |= _broadcast({name: values[name] for name in d.broadcast if values.get(name) is not None})
        scalar_shaped = False
        for axis in d.axes:
            if axis.name not in values:
                continue
            target: Any = values.get(axis.of)
            if target is None:
                continue
            ndim = int(np.ndim(target[0] if axis.of in d.lists and target else target))
            values[axis.name] = self._axis_value(values[axis.name], ndim)
            if ndim == 0 and isinstance(target, np.ndarray):
                # torch treats a 0-d tensor as having one dimension for `dim` (0 and -1 are valid).
                values[axis.of] = target.reshape(1)
                scalar_shaped = True
        return values, scalar_shaped

    def _axis_value(self, value: Any, ndim: int) -> Any:
        """An axis or tuple of axes normalized against `ndim`; out of range raises IndexError."""
        if value is None:
            return None
        if isinstance(value, (int, np.integer)):
            return check_axis(int(value), ndim)
        axes = tuple(check_axis(int(v), ndim) for v in value)
        if len(set(axes)) != len(axes):
            raise RuntimeError(f"dim {axes} appears multiple times in the list of dims")
        if not axes and self.declaration.empty_dims == "all":
            return None
        return axes

    def _call_args(self, values: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        """Positional and keyword arguments for the NumPy callable, under its names."""
        mapping = dict(self.declaration.args)
        positional: dict[int, tuple[str, Any]] = {}
        keywords: dict[str, Any] = dict(self.declaration.constants)  # a given parameter overrides these
        for name, value in values.items():
            where = mapping.get(name, name)
            if where is None:
                continue
            if isinstance(where, int):
                positional[where] = (name, value)
            else:
                keywords[where] = value
        args: list[Any] = []
        for i in sorted(positional):
            name, value = positional[i]
            # A list the source takes as separate tensors goes to NumPy as separate arguments too.
            if name in self.declaration.spread:
                args.extend(value)
            else:
                args.append(value)
        return args, keywords


def _broadcast(tensors: dict[str, Any]) -> dict[str, np.ndarray]:
    """The tensors broadcast to one shape, as torch broadcasts them; RuntimeError where they do not."""
    try:
        shaped = np.broadcast_arrays(*(np.asarray(v) for v in tensors.values()))
    except ValueError:
        shapes = ", ".join(f"{k} {tuple(np.shape(v))}" for k, v in tensors.items())
        raise RuntimeError(f"the shapes do not broadcast: {shapes}") from None
    return {name: np.array(value) for name, value in zip(tensors, shaped, strict=True)}


def _finish(values: Any, dtype: str, scalar_shaped: bool) -> np.ndarray:
    """NumPy's output brought to the reference's precision for a `dtype` result."""
    array = np.asarray(values)
    if scalar_shaped and array.size == 1:
        array = array.reshape(())
    kind = dtype_category(dtype)
    if kind in ("int", "bool"):
        if array.dtype.kind in "fc":
            with np.errstate(invalid="ignore"):
                array = np.nan_to_num(np.trunc(array.real), nan=0, posinf=0, neginf=0)
        return exact(array, dtype)
    if kind == "float":
        return overflow_to_inf((array.real if array.dtype.kind == "c" else array).astype(np.float64), dtype)
    return array.astype(np.complex128)


def overflow_to_inf(values: np.ndarray, dtype: str) -> np.ndarray:
    """Wide values beyond what `dtype` holds become +-inf, as every correct `dtype` result does."""
    with np.errstate(over="ignore", invalid="ignore"):
        narrow = values.astype(carrier(dtype))
    over = np.isinf(narrow) & np.isfinite(values)
    return np.where(over, narrow.astype(np.float64), values) if over.any() else values


def build(api: str) -> DeclaredReference:
    """The reference callable for a declarative `api` (the NumPy worker's resolver calls this)."""
    return DeclaredReference(from_api(api))


def is_declarative(api: str) -> bool:
    """Whether a reference `api` is a declaration rather than an import path."""
    return api.startswith(PREFIX)


def describe(declaration: Declaration) -> str:
    """One line naming the NumPy callable or the formula, and the promotion rules (for reports and `init`)."""
    rules = ", ".join(declaration.promotion)
    if declaration.formula:
        if declaration.formula_by is None:
            body = declaration.formula[0][1]
        else:
            body = "; ".join(f"{declaration.formula_by}={k}: {v}" for k, v in declaration.formula)
        reduced = f", then {declaration.reduce}" if declaration.reduce else ""
        return f"formula {body}{reduced} ({rules})"
    return f"{' + '.join(declaration.per_output or (declaration.numpy,))} ({rules})"


__all__: Sequence[str] = (
    "DEFAULT_DTYPE",
    "EMPTY_DIMS",
    "ERRORS",
    "OPERAND_FREE",
    "PREFIX",
    "PROMOTIONS",
    "REDUCTIONS",
    "AxisArg",
    "Condition",
    "Declaration",
    "DeclaredReference",
    "Rejection",
    "build",
    "describe",
    "from_api",
    "is_declarative",
    "resolve_numpy",
    "result_dtypes",
)
