"""Window, range, counting, renorm and expand_as references: the values torch 2.13 printed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from apicompat.references.counting import bincount, histc
from apicompat.references.creation import range_
from apicompat.references.locate import load_reference
from apicompat.references.normalization import renorm
from apicompat.references.shaping import expand_as
from apicompat.spec.loader import load_file

WINDOWS = {
    s.id: load_reference(s.reference)
    for s in load_file(Path(__file__).resolve().parents[2] / "specs" / "windows.yaml")
}


def test_periodic_windows_drop_the_last_value_of_one_longer() -> None:
    hann, bartlett = WINDOWS["hann_window"], WINDOWS["bartlett_window"]
    assert np.allclose(hann(window_length=4, dtypes={}).values, [0.0, 0.5, 1.0, 0.5])
    assert np.allclose(hann(window_length=4, periodic=False, dtypes={}).values, [0.0, 0.75, 0.75, 0.0])
    assert bartlett(window_length=1, dtypes={}).values.tolist() == [1.0]
    assert bartlett(window_length=1, periodic=False, dtypes={}).values.tolist() == [1.0]
    assert hann(window_length=0, dtype="float64", dtypes={}).dtype == "float64"
    with pytest.raises(RuntimeError, match="floating point"):
        hann(window_length=5, dtype="int64", dtypes={})
    with pytest.raises(RuntimeError, match="non-negative"):
        hann(window_length=-1, dtypes={})


def test_the_window_formulas_match_numpy_s_symmetric_windows() -> None:
    symmetric = {
        "bartlett_window": np.bartlett,
        "blackman_window": np.blackman,
        "hann_window": np.hanning,
        "hamming_window": np.hamming,
    }
    for name, numpy_window in symmetric.items():
        for n in (2, 5, 8):
            got = WINDOWS[name](window_length=n, periodic=False, dtype="float64", dtypes={}).values
            np.testing.assert_allclose(got, numpy_window(n), atol=1e-12)
            periodic = WINDOWS[name](window_length=n, dtype="float64", dtypes={}).values
            np.testing.assert_allclose(periodic, numpy_window(n + 1)[:-1], atol=1e-12)


def test_range_includes_end_and_defaults_to_float32() -> None:
    result = range_(1, 4, dtypes={})
    assert result.values.tolist() == [1.0, 2.0, 3.0, 4.0] and result.dtype == "float32"
    assert range_(0, 1, 0.25, dtypes={}).values.tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert range_(1, 4, dtype="int64", dtypes={}).dtype == "int64"
    with pytest.raises(RuntimeError):
        range_(0, 4, 0, dtypes={})


def test_bincount_dtypes_follow_the_weights() -> None:
    x = np.array([1, 2, 2])
    assert bincount(x, dtypes={"input": "int64"}).values.tolist() == [0, 1, 2]
    assert (
        bincount(x, np.array([1.0, 2, 3]), dtypes={"input": "int64", "weights": "float32"}).dtype == "float32"
    )
    assert bincount(x, np.array([1, 2, 3]), dtypes={"input": "int64", "weights": "int32"}).dtype == "float64"
    for bad in (np.array([True, False]), np.array([-1, 2])):
        with pytest.raises(RuntimeError):
            bincount(bad, dtypes={"input": "bool" if bad.dtype == bool else "int64"})


def test_histc_uses_the_data_range_when_min_equals_max() -> None:
    x = np.array([1.0, 2.0, 2.0, 4.0])
    assert histc(x, bins=3, dtypes={"input": "float32"}).values.tolist() == [1.0, 2.0, 1.0]
    assert histc(
        np.array([np.nan, 1.0]), bins=4, min=-2, max=2, dtypes={"input": "float32"}
    ).values.tolist() == [0, 0, 0, 1]
    with pytest.raises(RuntimeError, match="not finite"):
        histc(np.array([np.inf, 1.0]), bins=4, dtypes={"input": "float32"})
    with pytest.raises(RuntimeError):
        histc(np.array([1, 2]), bins=4, dtypes={"input": "int32"})


def test_renorm_scales_slices_over_maxnorm() -> None:
    out = renorm(np.array([[1.0, 2], [3, 4]]), 2, 0, 1.5, dtypes={"input": "float32"}).values
    assert np.allclose(out, [[0.6708, 1.3416], [0.9, 1.2]], atol=1e-4)
    with pytest.raises(RuntimeError, match="2 dimensions"):
        renorm(np.array([1.0, 2, 3]), 2, 0, 1.5, dtypes={"input": "float32"})
    with pytest.raises(RuntimeError, match="non-positive"):
        renorm(np.ones((2, 2)), 0, 0, 1.5, dtypes={"input": "float32"})


def test_expand_as_broadcasts_to_the_other_shape() -> None:
    assert expand_as(np.array([1, 2]), np.zeros((3, 2)), dtypes={"input": "int8"}).values.shape == (3, 2)
    with pytest.raises(RuntimeError, match="expanded size"):
        expand_as(np.zeros(3), np.zeros((2, 2)), dtypes={"input": "float32"})
