"""The formula whitelist and interpreter, and formula declarations through the declarative machinery."""

from __future__ import annotations

import numpy as np
import pytest

from apicompat.references.declarative import Condition, Declaration, DeclaredReference, describe, from_api
from apicompat.references.formula import FUNCTIONS, FormulaError, check, check_scalar, evaluate, function_at


def test_every_listed_function_resolves_to_a_callable() -> None:
    for name, (path, fewest, most) in FUNCTIONS.items():
        assert callable(function_at(path)), name
        assert path.startswith(("numpy.", "scipy.special.")) and 1 <= fewest <= most <= 3


def test_check_returns_the_parameters_read() -> None:
    assert check("where(x > 0, x, x * slope) + pi", {"x", "slope", "unused"}, {"slope"}) == {"x", "slope"}


@pytest.mark.parametrize(
    "text",
    [
        "x.__class__",
        "__import__('os').system('true')",
        "x[0]",
        "(lambda: 1)()",
        "open('f')",
        "[1, 2]",
        "x if x else 1",
    ],
)
def test_what_could_reach_outside_is_refused(text: str) -> None:
    with pytest.raises(FormulaError):
        check(text, {"x"}, set())


def test_a_condition_reads_no_tensor() -> None:
    assert check_scalar("a > b and not c", {"a", "b", "c", "x"}, {"a", "b", "c"}) == {"a", "b", "c"}
    with pytest.raises(FormulaError, match="'x' is a tensor"):
        check_scalar("x > 0", {"x"}, set())


def test_a_power_of_two_literals_cannot_hang_a_run() -> None:
    assert isinstance(evaluate("9 ** 9 ** 9", {}), np.integer)
    assert evaluate("2 ** -1", {}) == 0.5 and evaluate("x ** 2", {"x": np.array([3.0])}).tolist() == [9.0]


def test_chained_comparisons_are_elementwise() -> None:
    x = np.array([-1.0, 0.0, 0.5, 2.0])
    got = evaluate("where(-0.5 <= x <= 1, 1, 0)", {"x": x})
    assert got.tolist() == [0, 1, 1, 0]


def test_scalar_conditions_and_constants() -> None:
    assert evaluate("2 * a if a > 0 and b else -a", {"a": 3.0, "b": True}) == 6.0
    assert evaluate("2 * a if a > 0 and b else -a", {"a": 3.0, "b": False}) == -3.0
    assert evaluate("inf if not b else pi", {"b": True}) == pytest.approx(np.pi)
    assert evaluate(
        "~m | (x // 2 % 2 == 1)", {"m": np.array([True, True]), "x": np.array([3, 4])}
    ).tolist() == [
        True,
        False,
    ]


def _leaky(**extra: object) -> DeclaredReference:
    fields: dict[str, object] = {
        "numpy": "",
        "operands": ("input",),
        "formula": (("", "where(input > 0, input, input * negative_slope)"),),
        "defaults": (("negative_slope", 0.01),),
    }
    fields.update(extra)
    return DeclaredReference(from_api(Declaration(**fields).to_api()))  # type: ignore[arg-type]


def test_a_formula_reference_promotes_widens_and_finishes_like_a_numpy_one() -> None:
    x = np.array([-2.0, 3.0], dtype=np.float16)
    result = _leaky()(input=x, dtypes={"input": "float16"})
    assert result.dtype == "float16" and result.values.dtype == np.float64
    assert result.values.tolist() == [-0.02, 3.0]  # the default slope, computed in float64
    assert _leaky()(input=x, negative_slope=0.5, dtypes={"input": "float16"}).values.tolist() == [-1.0, 3.0]
    big = _leaky()(
        input=np.array([60000.0], dtype=np.float16), negative_slope=2.0, dtypes={"input": "float16"}
    )
    assert big.values.tolist() == [60000.0]
    wide = DeclaredReference(Declaration(numpy="", operands=("input",), formula=(("", "input * 2"),)))(
        input=np.array([60000.0], dtype=np.float16), dtypes={"input": "float16"}
    )
    assert wide.values.tolist() == [np.inf]  # beyond float16: inf, as the NumPy path's overflow_to_inf gives


def test_conditions_raise_the_declared_error() -> None:
    reference = _leaky(raises=(Condition("negative_slope < 0", "ValueError", "no negative slope"),))
    with pytest.raises(ValueError, match="no negative slope"):
        reference(input=np.ones(2), negative_slope=-1.0, dtypes={"input": "float64"})


def test_a_keyed_formula_and_reduce() -> None:
    declaration = Declaration(
        numpy="",
        operands=("input", "target"),
        formula=(("l1", "abs(input - target)"), ("l2", "(input - target) ** 2")),
        formula_by="kind",
        unknown=("RuntimeError", "kind must be l1 or l2"),
        defaults=(("kind", "l1"), ("reduction", "mean")),
        reduce="reduction",
    )
    reference = DeclaredReference(from_api(declaration.to_api()))
    a, b, d = np.array([1.0, 4.0]), np.array([0.0, 2.0]), {"input": "float64", "target": "float64"}
    assert float(reference(input=a, target=b, dtypes=d).values) == 1.5
    assert float(reference(input=a, target=b, kind="l2", reduction="sum", dtypes=d).values) == 5.0
    assert reference(input=a, target=b, reduction="none", dtypes=d).values.tolist() == [1.0, 2.0]
    with pytest.raises(RuntimeError, match="kind must be l1 or l2"):
        reference(input=a, target=b, kind="l3", dtypes=d)
    with pytest.raises(ValueError, match="batchmean is not a valid value for reduction"):
        reference(input=a, target=b, reduction="batchmean", dtypes=d)
    assert describe(declaration) == (
        "formula kind=l1: abs(input - target); kind=l2: (input - target) ** 2, then reduction (default)"
    )
