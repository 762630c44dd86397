"""Formula references: a restricted NumPy expression over a spec's canonical parameter names.

`reference: {formula: "where(input > 0, input, input * negative_slope)"}` is for
functions NumPy has no callable for. The text is parsed with `ast` and checked
against a whitelist when the spec loads (`check`), then interpreted node by node
(`evaluate`): it is never given to `eval`, so it can reach nothing but the names,
functions and operators listed here.
"""

from __future__ import annotations

import ast
import importlib
import operator
from collections.abc import Callable, Collection, Mapping
from functools import cache, lru_cache
from typing import Any

import numpy as np

#: Functions a formula may call: name -> (its import path, fewest and most positional arguments).
FUNCTIONS: dict[str, tuple[str, int, int]] = {
    # numpy: selection, clamping, arithmetic
    "where": ("numpy.where", 3, 3),
    "minimum": ("numpy.minimum", 2, 2),
    "maximum": ("numpy.maximum", 2, 2),
    "fmin": ("numpy.fmin", 2, 2),
    "fmax": ("numpy.fmax", 2, 2),
    "clip": ("numpy.clip", 3, 3),
    "abs": ("numpy.abs", 1, 1),
    "sign": ("numpy.sign", 1, 1),
    "copysign": ("numpy.copysign", 2, 2),
    "square": ("numpy.square", 1, 1),
    "sqrt": ("numpy.sqrt", 1, 1),
    "reciprocal": ("numpy.reciprocal", 1, 1),
    "hypot": ("numpy.hypot", 2, 2),
    "floor": ("numpy.floor", 1, 1),
    "ceil": ("numpy.ceil", 1, 1),
    "trunc": ("numpy.trunc", 1, 1),
    "real": ("numpy.real", 1, 1),
    "imag": ("numpy.imag", 1, 1),
    "conj": ("numpy.conj", 1, 1),
    # numpy: positions 0, 1, ..., n - 1 of an int parameter (a window function's samples)
    "arange": ("numpy.arange", 1, 1),
    # numpy: exponentials, logarithms, trigonometry
    "exp": ("numpy.exp", 1, 1),
    "exp2": ("numpy.exp2", 1, 1),
    "expm1": ("numpy.expm1", 1, 1),
    "log": ("numpy.log", 1, 1),
    "log2": ("numpy.log2", 1, 1),
    "log10": ("numpy.log10", 1, 1),
    "log1p": ("numpy.log1p", 1, 1),
    "logaddexp": ("numpy.logaddexp", 2, 2),
    "logaddexp2": ("numpy.logaddexp2", 2, 2),
    "sin": ("numpy.sin", 1, 1),
    "cos": ("numpy.cos", 1, 1),
    "tan": ("numpy.tan", 1, 1),
    "arctan": ("numpy.arctan", 1, 1),
    "arctan2": ("numpy.arctan2", 2, 2),
    "sinh": ("numpy.sinh", 1, 1),
    "cosh": ("numpy.cosh", 1, 1),
    "tanh": ("numpy.tanh", 1, 1),
    # numpy: tests of special values
    "isnan": ("numpy.isnan", 1, 1),
    "isinf": ("numpy.isinf", 1, 1),
    "isposinf": ("numpy.isposinf", 1, 1),
    "isneginf": ("numpy.isneginf", 1, 1),
    "isfinite": ("numpy.isfinite", 1, 1),
    "signbit": ("numpy.signbit", 1, 1),
    # scipy.special: what NumPy lacks
    "erf": ("scipy.special.erf", 1, 1),
    "erfc": ("scipy.special.erfc", 1, 1),
    "erfinv": ("scipy.special.erfinv", 1, 1),
    "erfcinv": ("scipy.special.erfcinv", 1, 1),
    "expit": ("scipy.special.expit", 1, 1),
    "log_expit": ("scipy.special.log_expit", 1, 1),
    "logit": ("scipy.special.logit", 1, 1),
    "ndtr": ("scipy.special.ndtr", 1, 1),
    "log_ndtr": ("scipy.special.log_ndtr", 1, 1),
    "gammaln": ("scipy.special.gammaln", 1, 1),
    "digamma": ("scipy.special.digamma", 1, 1),
    "xlogy": ("scipy.special.xlogy", 2, 2),
    "xlog1py": ("scipy.special.xlog1py", 2, 2),
    "i0": ("scipy.special.i0", 1, 1),
    "i1": ("scipy.special.i1", 1, 1),
}

#: Named constants a formula may use.
CONSTANTS: dict[str, float] = {
    "pi": float(np.pi),
    "e": float(np.e),
    "inf": float(np.inf),
    "nan": float(np.nan),
}


def _power(base: Any, exponent: Any) -> Any:
    """base ** exponent; two Python ints wrap in int64, so a literal like 9 ** 9 ** 9 cannot hang a run."""
    if isinstance(base, int) and isinstance(exponent, int) and exponent >= 0:
        with np.errstate(over="ignore"):
            return np.int64(base) ** np.int64(exponent)
    return base**exponent


_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: _power,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.BitAnd: operator.and_,
    ast.BitOr: operator.or_,
}
_UNARY: dict[type[ast.unaryop], Callable[[Any], Any]] = {
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
    ast.Invert: operator.invert,
}
_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}
_SYMBOL: dict[type[ast.AST], str] = {
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitXor: "^",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
}
_WHAT: dict[type[ast.AST], str] = {
    ast.Attribute: "attribute access",
    ast.Subscript: "a subscript",
    ast.Lambda: "a lambda",
    ast.ListComp: "a comprehension",
    ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension",
    ast.GeneratorExp: "a comprehension",
    ast.List: "a list",
    ast.Tuple: "a tuple",
    ast.Dict: "a mapping",
    ast.Set: "a set",
    ast.NamedExpr: "an assignment (:=)",
    ast.JoinedStr: "an f-string",
    ast.Starred: "unpacking (*)",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
    ast.Slice: "a slice",
}


class FormulaError(ValueError):
    """What is wrong with a formula, where in its text (a 1-based column), and how to fix it."""

    def __init__(
        self, message: str, column: int, hint: str = "", word: str = "", choices: tuple[str, ...] = ()
    ) -> None:
        super().__init__(message)
        self.message = message
        self.column = column
        self.hint = hint
        self.word = word  # a misspelt name, for the spec layer's did-you-mean among `choices`
        self.choices = choices

    def __str__(self) -> str:
        return f"column {self.column}: {self.message}"


def check(text: str, names: Collection[str], scalars: Collection[str]) -> frozenset[str]:
    """The parameter names `text` uses, after checking it against the whitelist; raises FormulaError.

    `names` are the parameters a formula may read; `scalars` are those among them that are
    Python numbers or bools, the only operands `a if c else b`, `and`, `or` and `not` accept.
    """
    tree = _parse(text)
    used: set[str] = set()
    _Checker(names, scalars, used).visit(tree.body)
    return frozenset(used)


def check_scalar(text: str, names: Collection[str], scalars: Collection[str]) -> frozenset[str]:
    """As `check`, for a condition on option values (`min_val > max_val`): no tensor may appear in it."""
    used = check(text, names, scalars)
    tensors = sorted(used - set(scalars))
    if tensors:
        raise FormulaError(
            f"a condition reads only number and bool parameters, but '{tensors[0]}' is a tensor",
            1,
            "write the tensor's condition into the formula with where(...)",
        )
    return used


def evaluate(text: str, values: Mapping[str, Any]) -> Any:
    """The value of a checked formula with `values` bound to its parameter names."""
    return _Interpreter(values).run(_parse(text).body)


@cache
def function_at(path: str) -> Callable[..., Any]:
    """The callable a FUNCTIONS entry names (scipy.special is imported only when a formula calls it)."""
    module, _, name = path.rpartition(".")
    found: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return found


@lru_cache(maxsize=256)
def _parse(text: str) -> ast.Expression:
    """The expression's tree; a syntax error or statement becomes a FormulaError."""
    try:
        return ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise FormulaError(
            f"not a Python expression: {exc.msg}",
            exc.offset or 1,
            "write one expression, such as where(input > 0, input, 0.0)",
        ) from None


class _Checker:
    """Walks a parsed formula and refuses every node outside the whitelist."""

    def __init__(self, names: Collection[str], scalars: Collection[str], used: set[str]) -> None:
        self.names = names
        self.scalars = scalars
        self.used = used

    def fail(
        self, node: ast.AST, message: str, hint: str = "", word: str = "", choices: tuple[str, ...] = ()
    ) -> FormulaError:
        return FormulaError(message, getattr(node, "col_offset", 0) + 1, hint, word, choices)

    def visit(self, node: ast.AST) -> None:
        """Check `node` and everything under it."""
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                raise self.fail(
                    node,
                    f"only numeric literals are allowed, not {node.value!r}",
                    "a formula computes with numbers; options pick the formula (formula: {option: {...}})",
                )
        elif isinstance(node, ast.Name):
            self.name(node)
        elif isinstance(node, ast.BinOp):
            self.operator(node, type(node.op) in _BINARY, node.op)
            self.visit(node.left)
            self.visit(node.right)
        elif isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                self.scalar(node.operand, "not")
            elif type(node.op) not in _UNARY:
                raise self.fail(node, f"the operator {type(node.op).__name__} is not allowed")
            self.visit(node.operand)
        elif isinstance(node, ast.Compare):
            for op in node.ops:
                self.operator(node, type(op) in _COMPARE, op)
            for part in (node.left, *node.comparators):
                self.visit(part)
        elif isinstance(node, ast.BoolOp):
            for value in node.values:
                self.scalar(value, "and" if isinstance(node.op, ast.And) else "or")
                self.visit(value)
        elif isinstance(node, ast.IfExp):
            self.scalar(node.test, "'a if c else b'")
            for part in (node.test, node.body, node.orelse):
                self.visit(part)
        elif isinstance(node, ast.Call):
            self.call(node)
        else:
            what = _WHAT.get(type(node), type(node).__name__)
            raise self.fail(
                node,
                f"{what} is not allowed in a formula",
                "use parameter names, numbers, the listed functions, + - * / ** // % & | ~ and comparisons",
            )

    def name(self, node: ast.Name) -> None:
        if node.id in self.names:
            self.used.add(node.id)
            return
        if node.id in CONSTANTS:
            return
        if node.id in FUNCTIONS:
            raise self.fail(node, f"'{node.id}' is a function; call it: {node.id}(...)")
        raise self.fail(
            node,
            f"unknown name '{node.id}'; a formula reads the spec's parameters "
            f"({', '.join(sorted(self.names)) or 'none'}) and the constants {', '.join(CONSTANTS)}",
            word=node.id,
            choices=(*sorted(self.names), *CONSTANTS),
        )

    def operator(self, node: ast.AST, allowed: bool, op: ast.AST) -> None:
        if not allowed:
            symbol = _SYMBOL.get(type(op), type(op).__name__)
            raise self.fail(
                node,
                f"the operator {symbol} is not allowed",
                "use + - * / ** // % & | ~ and comparisons (< <= > >= == !=)",
            )

    def scalar(self, node: ast.AST, construct: str) -> None:
        """`construct` takes a Python condition: only number and bool parameters may appear in it."""
        for inner in ast.walk(node):
            if isinstance(inner, ast.Name) and inner.id in self.names and inner.id not in self.scalars:
                raise self.fail(
                    inner,
                    f"{construct} works on number and bool parameters only, but '{inner.id}' is a tensor",
                    "use where(condition, a, b), & and | for tensors",
                )

    def call(self, node: ast.Call) -> None:
        if not isinstance(node.func, ast.Name):
            what = _WHAT.get(type(node.func), "a computed function")
            raise self.fail(node, f"only listed functions may be called by name, not {what}")
        name = node.func.id
        if name not in FUNCTIONS:
            raise self.fail(
                node,
                f"'{name}' is not a function a formula may call; functions: {', '.join(sorted(FUNCTIONS))}",
                word=name,
                choices=tuple(FUNCTIONS),
            )
        if node.keywords:
            raise self.fail(node, f"{name}(...) takes positional arguments only", f"write {name}(a, b, ...)")
        _, fewest, most = FUNCTIONS[name]
        if not fewest <= len(node.args) <= most:
            wanted = str(fewest) if fewest == most else f"{fewest} to {most}"
            raise self.fail(node, f"{name}(...) takes {wanted} argument(s), but {len(node.args)} are given")
        for arg in node.args:
            self.visit(arg)


class _Interpreter:
    """Evaluates a checked formula's tree: only the node types `_Checker` lets through occur."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self.values = values

    def run(self, node: ast.AST) -> Any:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            return self.values[node.id] if node.id in self.values else CONSTANTS[node.id]
        if isinstance(node, ast.BinOp):
            return _BINARY[type(node.op)](self.run(node.left), self.run(node.right))
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                return not self.run(node.operand)
            return _UNARY[type(node.op)](self.run(node.operand))
        if isinstance(node, ast.Compare):
            # a < b <= c on tensors is (a < b) & (b <= c), elementwise, as NumPy cannot chain.
            left = self.run(node.left)
            result: Any = None
            for op, right_node in zip(node.ops, node.comparators, strict=True):
                right = self.run(right_node)
                part = _COMPARE[type(op)](left, right)
                result = part if result is None else np.logical_and(result, part)
                left = right
            return result
        if isinstance(node, ast.BoolOp):
            if isinstance(node.op, ast.And):
                return all(self.run(v) for v in node.values)
            return any(self.run(v) for v in node.values)
        if isinstance(node, ast.IfExp):
            return self.run(node.body) if self.run(node.test) else self.run(node.orelse)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            function = function_at(FUNCTIONS[node.func.id][0])
            return function(*(self.run(arg) for arg in node.args))
        raise TypeError(f"unchecked formula node {type(node).__name__}")  # check() refuses these first


__all__ = ["CONSTANTS", "FUNCTIONS", "FormulaError", "check", "check_scalar", "evaluate", "function_at"]
