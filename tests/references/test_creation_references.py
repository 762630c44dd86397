"""Creation ops' references: operand-free result dtypes, scalar operands, and the Python ones."""

from __future__ import annotations

import numpy as np
import pytest

from apicompat.references.creation import arange, diag_embed, one_hot
from apicompat.references.declarative import (
    DEFAULT_DTYPE,
    OPERAND_FREE,
    PROMOTIONS,
    Declaration,
    DeclaredReference,
    result_dtypes,
)


def _ref(**kwargs: object) -> DeclaredReference:
    return DeclaredReference(Declaration(**kwargs))  # type: ignore[arg-type]


def test_operand_free_rules_are_documented_and_fixed() -> None:
    assert set(OPERAND_FREE) <= set(PROMOTIONS)
    assert DEFAULT_DTYPE == "float32"  # torch.get_default_dtype()
    assert result_dtypes("default_float", "int64", "int64") == ("float32", "float32")
    assert result_dtypes("default_long", "float32", "float32") == ("int64", "int64")


def test_zeros_is_float32_until_dtype_says_otherwise() -> None:
    zeros = _ref(numpy="numpy.zeros", args=(("size", 0),), promotion=("default_float",), dtype_param="dtype")
    out = zeros(size=(2, 3), dtypes={})
    assert out.dtype == "float32" and out.values.shape == (2, 3)
    assert zeros(size=(), dtypes={}).values.shape == ()
    out = zeros(size=[4], dtype="int32", dtypes={})
    assert out.dtype == "int32" and out.values.dtype == np.int32
    with pytest.raises(ValueError, match="negative"):
        zeros(size=(-1, 2), dtypes={})


def test_tril_indices_is_int64_and_two_rows() -> None:
    ref = _ref(
        numpy="numpy.tril_indices",
        args=(("col", "m"), ("offset", "k"), ("row", "n")),
        promotion=("default_long",),
        dtype_param="dtype",
    )
    out = ref(row=3, col=3, dtypes={})
    assert out.dtype == "int64" and out.values.tolist() == [[0, 1, 1, 2, 2, 2], [0, 0, 1, 0, 1, 2]]
    assert ref(row=3, col=3, dtype="int32", dtypes={}).dtype == "int32"


def test_full_follows_its_fill_value() -> None:
    full = _ref(numpy="numpy.full", args=(("fill_value", 1), ("size", 0)), operands=("fill_value",))
    assert full(size=(2,), fill_value=2, dtypes={}).dtype == "int64"
    assert full(size=(2,), fill_value=-1.5, dtypes={}).dtype == "float32"
    assert (
        full(size=(2,), fill_value=2.7, dtype=None, dtypes={}).values.tolist()
        == [pytest.approx(2.7, rel=1e-7)] * 2
    )


def test_arange_infers_int64_from_ints_and_float32_from_a_float() -> None:
    out = arange(end=5, dtypes={})
    assert out.dtype == "int64" and out.values.tolist() == [0, 1, 2, 3, 4]
    out = arange(end=1, start=0, step=0.25, dtypes={})
    assert out.dtype == "float32" and out.values.tolist() == [0.0, 0.25, 0.5, 0.75]
    assert arange(end=2.5, dtypes={}).values.tolist() == [0.0, 1.0, 2.0]
    assert arange(end=5, start=5, dtypes={}).values.shape == (0,)
    assert arange(end=5, step=2, dtype="float64", dtypes={}).dtype == "float64"


def test_arange_rejects_what_torch_rejects() -> None:
    with pytest.raises(RuntimeError, match="step must be nonzero"):
        arange(end=5, step=0, dtypes={})
    with pytest.raises(RuntimeError, match="inconsistent with step sign"):
        arange(end=5, step=-1, dtypes={})


def test_diag_embed_places_the_last_dimension_on_a_diagonal() -> None:
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    out = diag_embed(x, dtypes={"input": "float64"})
    assert out.values.shape == (2, 2, 2) and out.values[1].tolist() == [[3.0, 0.0], [0.0, 4.0]]
    shifted = diag_embed(np.array([1.0, 2.0]), offset=1, dtypes={"input": "float64"})
    assert shifted.values.tolist() == [[0.0, 1.0, 0.0], [0.0, 0.0, 2.0], [0.0, 0.0, 0.0]]
    moved = diag_embed(x, dim1=0, dim2=2, dtypes={"input": "float64"})
    assert moved.values.shape == (2, 2, 2) and moved.values[:, 1, :].tolist() == [[3.0, 0.0], [0.0, 4.0]]
    with pytest.raises(RuntimeError, match="cannot be identical"):
        diag_embed(x, dim1=0, dim2=-3, dtypes={"input": "float64"})


def test_one_hot_needs_int64_classes_in_range() -> None:
    out = one_hot(np.array([0, 2]), dtypes={"tensor": "int64"})
    assert out.dtype == "int64" and out.values.tolist() == [[1, 0, 0], [0, 0, 1]]
    assert one_hot(np.array([1]), num_classes=4, dtypes={"tensor": "int64"}).values.shape == (1, 4)
    with pytest.raises(RuntimeError, match="LongTensor"):
        one_hot(np.array([1]), dtypes={"tensor": "int32"})
    with pytest.raises(RuntimeError, match="smaller than num_classes"):
        one_hot(np.array([3]), num_classes=2, dtypes={"tensor": "int64"})
    with pytest.raises(RuntimeError, match="empty tensor"):
        one_hot(np.zeros((0,), dtype=np.int64), dtypes={"tensor": "int64"})
