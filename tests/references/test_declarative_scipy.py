"""Declarative references may call scipy.special, the special functions NumPy lacks."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special

from apicompat.references.declarative import resolve_numpy


def test_scipy_special_callables_resolve() -> None:
    assert resolve_numpy("scipy.special.erfinv") is scipy.special.erfinv
    assert resolve_numpy("numpy.linalg.norm") is np.linalg.norm


@pytest.mark.parametrize("path", ["scipy.stats.norm", "scipy", "torch.erfinv", "numpyx.flip"])
def test_other_roots_are_refused(path: str) -> None:
    with pytest.raises(ValueError, match="under none"):
        resolve_numpy(path)


def test_a_missing_scipy_special_name_is_named() -> None:
    with pytest.raises(ValueError, match=r"scipy\.special has no attribute 'nosuch'"):
        resolve_numpy("scipy.special.nosuch")


def test_scipy_linalg_matrix_functions_resolve() -> None:
    import scipy.linalg

    assert resolve_numpy("scipy.linalg.expm") is scipy.linalg.expm
