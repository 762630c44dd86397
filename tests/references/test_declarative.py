"""The declarative reference engine: torch's dtype rules, axis checks, rejections, exact integers."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from apicompat.records import DTYPES
from apicompat.references import Result
from apicompat.references.declarative import (
    PROMOTIONS,
    AxisArg,
    Declaration,
    DeclaredReference,
    Rejection,
    build,
    from_api,
    result_dtypes,
)
from apicompat.references.locate import load_reference


def _ref(**kwargs: object) -> DeclaredReference:
    return DeclaredReference(Declaration(**kwargs))  # type: ignore[arg-type]


def test_round_trip_through_the_api_text() -> None:
    declaration = Declaration(
        numpy="numpy.flip",
        args=(("dims", "axis"), ("input", "m")),
        operands=("input",),
        axes=(AxisArg("dims", "input", True),),
        rejects=(Rejection(("bool",), "TypeError", ("input",), "no", promoted=True),),
        drop=("out",),
    )
    assert from_api(declaration.to_api()) == declaration
    assert isinstance(load_reference(declaration.to_api()), DeclaredReference)


def test_rules_follow_torch_vocabulary() -> None:
    assert result_dtypes("int_to_float", "int8", "int8") == ("float32", "float32")
    assert result_dtypes("int_to_float", "float16", "float16") == ("float16", "float16")
    assert result_dtypes("always_bool", "int16", "int8") == ("int16", "bool")
    assert result_dtypes("complex_to_float", "complex128", "complex128") == ("complex128", "float64")
    assert result_dtypes("bool_to_long", "bool", "bool") == ("int64", "int64")
    assert result_dtypes("sum", "uint8", "uint8") == ("int64", "int64")
    assert result_dtypes("int64", "float32", "float32") == ("float32", "int64")
    assert result_dtypes("same", "float64", "int32") == ("int32", "int32")
    assert result_dtypes("float64", "int8", "int8") == ("float64", "float64")
    assert result_dtypes("float64", "complex64", "complex64") == ("complex128", "complex128")
    with pytest.raises(ValueError, match="unknown promotion rule"):
        result_dtypes("widest", "int8", "int8")


def test_binary_promotes_and_wraps_integers() -> None:
    add = _ref(numpy="numpy.add", args=(("input", 0), ("other", 1)), operands=("input", "other"))
    a = np.array([100, 127], dtype=np.int8)
    out = add(input=a, other=np.array([100, 1], dtype=np.int8), dtypes={"input": "int8", "other": "int8"})
    assert isinstance(out, Result) and out.dtype == "int8"
    assert out.values.tolist() == [-56, -128]  # wraparound, as torch's int8 addition
    mixed = add(input=a, other=np.array(2.5, dtype=np.float64), dtypes={"input": "int8", "other": "float64"})
    assert isinstance(mixed, Result) and mixed.dtype == "float64"  # a 0-d float lifts the category
    number = add(input=a, other=2.5, dtypes={"input": "int8"})
    assert isinstance(number, Result) and number.dtype == "float32"  # a Python float: the default dtype


def test_comparison_in_the_promoted_dtype() -> None:
    lt = _ref(
        numpy="numpy.less",
        args=(("input", 0), ("other", 1)),
        operands=("input", "other"),
        promotion=("always_bool",),
    )
    out = lt(
        input=np.array([-1, 5], dtype=np.int8),
        other=np.array([255, 4], dtype=np.uint8),
        dtypes={"input": "int8", "other": "uint8"},
    )
    assert isinstance(out, Result) and out.dtype == "bool" and out.values.tolist() == [True, False]


def test_int_to_float_computes_in_float64() -> None:
    sqrt = _ref(numpy="numpy.sqrt", args=(("input", 0),), operands=("input",), promotion=("int_to_float",))
    out = sqrt(input=np.array([2, -1], dtype=np.int32), dtypes={"input": "int32"})
    assert isinstance(out, Result) and out.dtype == "float32" and out.values.dtype == np.float64
    assert out.values[0] == pytest.approx(2**0.5) and np.isnan(out.values[1])


def test_axes_are_checked_and_a_0d_tensor_takes_dim_0() -> None:
    flip = _ref(
        numpy="numpy.flip",
        args=(("input", "m"), ("dims", "axis")),
        operands=("input",),
        axes=(AxisArg("dims", "input", True),),
    )
    out = flip(input=np.array(3.0), dims=(0,), dtypes={"input": "float32"})
    assert isinstance(out, Result) and out.values.shape == () and out.values == 3.0
    with pytest.raises(IndexError, match="Dimension out of range"):
        flip(input=np.zeros((2, 3)), dims=(2,), dtypes={"input": "float32"})
    with pytest.raises(RuntimeError, match="appears multiple times"):
        flip(input=np.zeros((2, 3)), dims=(0, -2), dtypes={"input": "float32"})


def test_empty_dims_mean_every_dimension_when_declared() -> None:
    total = _ref(
        numpy="numpy.sum",
        args=(("input", 0), ("dim", "axis"), ("keepdim", "keepdims")),
        operands=("input",),
        axes=(AxisArg("dim", "input", True),),
        promotion=("sum",),
        empty_dims="all",
    )
    out = total(input=np.ones((2, 3), dtype=np.bool_), dim=(), dtypes={"input": "bool"})
    assert isinstance(out, Result) and out.dtype == "int64" and out.values.tolist() == 6


def test_dtype_parameter_sets_the_result() -> None:
    prod = _ref(
        numpy="numpy.prod", args=(("input", 0),), operands=("input",), promotion=("sum",), dtype_param="dtype"
    )
    out = prod(input=np.array([3, 4], dtype=np.int64), dtype="float16", dtypes={"input": "int64"})
    assert isinstance(out, Result) and out.dtype == "float16" and out.values.tolist() == 12.0


def test_rejection_raises_the_declared_error() -> None:
    neg = _ref(
        numpy="numpy.negative",
        args=(("input", 0),),
        operands=("input",),
        rejects=(Rejection(("bool",), "RuntimeError", (), "Negation on a bool tensor"),),
    )
    with pytest.raises(RuntimeError, match="Negation on a bool tensor"):
        neg(input=np.array([True]), dtypes={"input": "bool"})


def test_several_outputs_get_one_rule_each() -> None:
    frexp = _ref(
        numpy="numpy.frexp", args=(("input", 0),), operands=("input",), promotion=("default", "int64")
    )
    out = frexp(input=np.array([8.0]), dtypes={"input": "float32"})
    assert isinstance(out, tuple) and [r.dtype for r in out] == ["float32", "int64"]
    assert out[1].values.tolist() == [4]


def test_build_names_the_numpy_function() -> None:
    ref = build(Declaration(numpy="numpy.linalg.norm", operands=("input",)).to_api())
    assert ref.__name__ == "norm"


def test_every_rule_is_documented() -> None:
    assert set(PROMOTIONS) >= {
        "default",
        "no_opmath",
        "int_to_float",
        "always_bool",
        "complex_to_float",
        "bool_to_long",
    }


@pytest.mark.frameworks
@pytest.mark.parametrize(
    "rule", ["default", "int_to_float", "always_bool", "complex_to_float", "bool_to_long"]
)
def test_rules_match_torch_elementwise_dtypes(rule: str) -> None:
    """For every pair of dimensioned tensors, the result dtype equals torch._prims_common's."""
    torch = pytest.importorskip("torch")
    from torch._prims_common import ELEMENTWISE_TYPE_PROMOTION_KIND, elementwise_dtypes

    from apicompat.references.promotion import promote

    kind = getattr(ELEMENTWISE_TYPE_PROMOTION_KIND, rule.upper())
    for a, b in itertools.product(DTYPES, DTYPES):
        x = torch.empty(1, dtype=getattr(torch, a))
        y = torch.empty(1, dtype=getattr(torch, b))
        _, expected = elementwise_dtypes(x, y, type_promotion_kind=kind)
        assert result_dtypes(rule, promote(a, b), a)[1] == str(expected).removeprefix("torch."), (a, b)


def test_constants_are_passed_unless_a_parameter_gives_the_keyword() -> None:
    std = _ref(
        numpy="numpy.std",
        args=(("input", 0), ("unbiased", "ddof"), ("correction", "ddof")),
        operands=("input",),
        constants=(("ddof", 1),),
        promotion=("complex_to_float",),
    )
    x = np.array([1.0, 2.0, 4.0])
    default = std(input=x, dtypes={"input": "float32"})
    biased = std(input=x, unbiased=False, dtypes={"input": "float32"})
    corrected = std(input=x, correction=2, dtypes={"input": "float32"})
    assert isinstance(default, Result) and isinstance(biased, Result) and isinstance(corrected, Result)
    assert np.isclose(default.values, np.std(x, ddof=1)) and np.isclose(biased.values, np.std(x))
    assert np.isclose(corrected.values, np.std(x, ddof=2))
    complex_input = std(input=x.astype(np.complex128), dtypes={"input": "complex64"})
    assert isinstance(complex_input, Result) and complex_input.dtype == "float32"


def test_same_dtype_and_ranks_refuse_what_torch_mm_refuses() -> None:
    mm = _ref(
        numpy="numpy.matmul",
        args=(("input", 0), ("mat2", 1)),
        operands=("input", "mat2"),
        same_dtype=True,
        ranks=(("input", (2,)), ("mat2", (2,))),
    )
    a = np.array([[100, 2]], dtype=np.int8)
    out = mm(input=a, mat2=np.array([[2], [1]], dtype=np.int8), dtypes={"input": "int8", "mat2": "int8"})
    assert isinstance(out, Result) and out.dtype == "int8" and out.values.tolist() == [[-54]]  # wraps
    with pytest.raises(RuntimeError, match="same dtype, but got: int8 != int16"):
        mm(input=a, mat2=np.ones((2, 1), dtype=np.int16), dtypes={"input": "int8", "mat2": "int16"})
    with pytest.raises(RuntimeError, match="mat2 must be 2-D, but got 1-D"):
        mm(input=a, mat2=np.ones(2, dtype=np.int8), dtypes={"input": "int8", "mat2": "int8"})


def test_scale_multiplies_the_operand_with_torch_alpha_checks() -> None:
    add = _ref(
        numpy="numpy.add",
        args=(("input", 0), ("other", 1)),
        operands=("input", "other"),
        scale=(("other", "alpha"),),
    )
    i8 = {"input": "int8", "other": "int8"}
    a, b = np.array([1, 2], dtype=np.int8), np.array([3, 127], dtype=np.int8)
    out = add(input=a, other=b, alpha=2, dtypes=i8)
    assert isinstance(out, Result) and out.values.tolist() == [7, 0]  # 2 + 2 * 127 wraps to 0 in int8
    with pytest.raises(RuntimeError, match="argument alpha must not be a floating point number"):
        add(input=a, other=b, alpha=0.5, dtypes=i8)
    bools = {"input": "bool", "other": "bool"}
    t, f = np.array([True, False]), np.array([True, True])
    with pytest.raises(RuntimeError, match="Boolean alpha only supported for Boolean results"):
        add(input=t, other=f, alpha=2, dtypes=bools)
    logical = add(input=t, other=f, alpha=False, dtypes=bools)
    assert isinstance(logical, Result) and logical.values.tolist() == [True, False]  # False * other
    floats = add(
        input=np.array([1.0]),
        other=np.array([2.0]),
        alpha=-0.5,
        dtypes={"input": "float32", "other": "float32"},
    )
    assert isinstance(floats, Result) and floats.values.tolist() == [0.0]


def test_divisor_zero_raises_for_integer_results_only() -> None:
    remainder = _ref(
        numpy="numpy.remainder",
        args=(("input", 0), ("other", 1)),
        operands=("input", "other"),
        divisor="other",
    )
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        remainder(
            input=np.array([3, 4], dtype=np.int32),
            other=np.array([1, 0], dtype=np.int32),
            dtypes={"input": "int32", "other": "int32"},
        )
    floats = remainder(input=np.array([3.0]), other=0, dtypes={"input": "float32"})
    assert isinstance(floats, Result) and np.isnan(floats.values).all()


def test_result_rejection_follows_dtype_argument() -> None:
    mean = _ref(
        numpy="numpy.mean",
        args=(("input", 0),),
        operands=("input",),
        dtype_param="dtype",
        rejects=(Rejection(("bool", "int64", "int32"), "RuntimeError", result=True),),
    )
    ints = np.array([1, 2], dtype=np.int32)
    with pytest.raises(RuntimeError, match="does not support a result of int32"):
        mean(input=ints, dtypes={"input": "int32"})
    out = mean(input=ints, dtype="float64", dtypes={"input": "int32"})
    assert isinstance(out, Result) and out.dtype == "float64" and out.values == 1.5


def test_rejection_checks_a_tensor_outside_promotion() -> None:
    where = _ref(
        numpy="numpy.where",
        args=(("condition", 0), ("input", 1), ("other", 2)),
        operands=("input", "other"),
        rejects=(Rejection(("uint8",), "RuntimeError", ("condition",)),),
    )
    x = np.array([1, 2], dtype=np.int8)
    out = where(
        condition=np.array([True, False]), input=x, other=2.5, dtypes={"condition": "bool", "input": "int8"}
    )
    assert isinstance(out, Result) and out.dtype == "float32" and out.values.tolist() == [1.0, 2.5]
    with pytest.raises(RuntimeError, match="condition of dtype uint8"):
        where(
            condition=np.array([1, 0], dtype=np.uint8),
            input=x,
            other=2.5,
            dtypes={"condition": "uint8", "input": "int8"},
        )


def test_new_keys_round_trip_through_the_api_text() -> None:
    declaration = Declaration(
        numpy="numpy.add",
        args=(("input", 0), ("other", 1)),
        operands=("input", "other"),
        rejects=(Rejection(("bool",), result=True),),
        constants=(("casting", "unsafe"),),
        same_dtype=True,
        ranks=(("input", (1, 2)),),
        scale=(("other", "alpha"),),
        divisor="other",
    )
    assert from_api(declaration.to_api()) == declaration
