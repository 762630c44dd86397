"""Outputs defined up to sign: every side's QR and SVD factors in one canonical sign."""

from __future__ import annotations

import numpy as np
import pytest

from apicompat.records import Output
from apicompat.records.canonical import canonical_outputs


def out(values: np.ndarray) -> Output:
    return Output(str(values.dtype), values.shape, values)


def test_flipped_columns_and_rows_become_one_form() -> None:
    rng = np.random.default_rng(0)
    q, r = np.linalg.qr(rng.standard_normal((2, 4, 3)))
    flips = np.array([[1.0, -1.0, -1.0], [-1.0, 1.0, -1.0]])[:, None, :]  # one sign per column, per matrix
    a = canonical_outputs([out(q), out(r)], ("columns", "rows"))
    b = canonical_outputs([out(q * flips), out(r * np.swapaxes(flips, -1, -2))], ("columns", "rows"))
    for x, y in zip(a, b, strict=True):
        np.testing.assert_allclose(x.values, y.values)
    # The canonical factors still multiply back to the input's product, column by column.
    np.testing.assert_allclose(np.abs(a[0].values), np.abs(q))


def test_complex_vectors_are_fixed_up_to_phase() -> None:
    rng = np.random.default_rng(1)
    u = rng.standard_normal((3, 3)) + 1j * rng.standard_normal((3, 3))
    phases = np.exp(1j * rng.uniform(0, 2 * np.pi, 3))
    (a,) = canonical_outputs([out(u)], ("columns",))
    (b,) = canonical_outputs([out(u * phases)], ("columns",))
    np.testing.assert_allclose(a.values, b.values, atol=1e-12)
    assert a.values.dtype == np.complex128


def test_near_ties_in_magnitude_pick_the_same_entry_on_both_sides() -> None:
    # |0.70710677| and |0.70710678| differ by rounding: an argmax would choose differently.
    left = np.array([[0.70710677], [-0.70710678]])
    right = -np.array([[0.70710678], [-0.70710677]])
    (a,) = canonical_outputs([out(left)], ("columns",))
    (b,) = canonical_outputs([out(right)], ("columns",))
    np.testing.assert_allclose(a.values, b.values, atol=1e-7)


@pytest.mark.parametrize(
    "values",
    [np.array([3.0, -2.0]), np.zeros((0, 3)), np.array([[1, -2]], dtype=np.int64), np.zeros((2, 2))],
)
def test_what_has_no_sign_to_choose_is_left_alone(values: np.ndarray) -> None:
    (a,) = canonical_outputs([out(values)], ("columns",))
    np.testing.assert_array_equal(a.values, values)


def test_outputs_without_a_rule_and_extra_outputs_pass_through() -> None:
    q = np.array([[-1.0, 0.0], [0.0, -1.0]])
    a, b, c = canonical_outputs([out(q), out(q), out(q)], ("", "rows"))
    np.testing.assert_array_equal(a.values, q)
    np.testing.assert_array_equal(b.values, -q)
    np.testing.assert_array_equal(c.values, q)


def test_undefined_values_read_as_zeros_keeping_dtype_and_shape() -> None:
    garbage = np.array([[1e30, -7.0], [np.nan, 3.0]], dtype=np.float32)
    (a,) = canonical_outputs([out(garbage)], ("undefined",))
    assert a.dtype == "float32" and a.shape == (2, 2)
    np.testing.assert_array_equal(a.values, np.zeros((2, 2), dtype=np.float32))
