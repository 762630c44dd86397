"""Guess a declarative reference for a torch API from NumPy's names (NumPy is safe to import here)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: torch names whose NumPy function is spelt differently.
NUMPY_NAMES: dict[str, str] = {
    "mul": "multiply",
    "div": "divide",
    "true_divide": "divide",
    "sub": "subtract",
    "pow": "power",
    "neg": "negative",
    "eq": "equal",
    "ne": "not_equal",
    "lt": "less",
    "le": "less_equal",
    "gt": "greater",
    "ge": "greater_equal",
    "amax": "max",
    "amin": "min",
    "asin": "arcsin",
    "acos": "arccos",
    "atan": "arctan",
    "asinh": "arcsinh",
    "acosh": "arccosh",
    "atanh": "arctanh",
    "atan2": "arctan2",
    "clamp": "clip",
    "cat": "concatenate",
    "gather": "take_along_axis",
    "rsqrt": "sqrt",
    "bitwise_left_shift": "left_shift",
    "bitwise_right_shift": "right_shift",
    "logical_not": "logical_not",
    "permute": "transpose",
    "narrow": "take",
    "mm": "matmul",
    "bmm": "matmul",
}

#: Canonical (torch) parameter names -> what NumPy functions call them.
NUMPY_ARGS: dict[str, str] = {"dim": "axis", "keepdim": "keepdims", "dims": "axis"}


@dataclass(frozen=True)
class ReferenceGuess:
    """A declarative reference to draft, and what the author should check."""

    numpy: str
    args: dict[str, str | int | None]
    promotion: str
    todo: str


def guess_reference(torch_name: str, tensors: Sequence[str], others: Sequence[str]) -> ReferenceGuess | None:
    """A NumPy function and dtype rule for `torch_name` with these tensor and other parameters."""
    name = NUMPY_NAMES.get(torch_name, torch_name)
    function = getattr(np, name, None)
    if function is None or not callable(function):
        return None
    args: dict[str, str | int | None] = {t: i for i, t in enumerate(tensors)}
    for other in others:
        # A parameter NumPy has no name for is not passed (torch.add's alpha); the TODO says to check.
        args[other] = NUMPY_ARGS.get(other)
    promotion = _promotion(function, len(tensors))
    todo = "check the NumPy function, its arguments and the result dtype rule against torch's docs"
    if name != torch_name:
        todo = f"numpy.{name} stands for torch's {torch_name}; " + todo
    return ReferenceGuess(f"numpy.{name}", args, promotion, todo)


def _promotion(function: object, arity: int) -> str:
    """The promotion kind a NumPy ufunc suggests: no integer loop -> int_to_float; bool out -> always_bool."""
    types = getattr(function, "types", None)
    if not isinstance(types, list):
        return "default"
    outputs = {t.split("->")[1] for t in types if "O" not in t}  # object loops say nothing
    if outputs == {"?"}:
        return "always_bool"
    int_loop = "l" * max(arity, 1) + "->l"
    return "default" if int_loop in types else "int_to_float"
