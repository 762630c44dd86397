"""grid_sample's reference against hand-computed samples: corners, outside locations, ties."""

from __future__ import annotations

import numpy as np
import pytest

from apicompat.references.sampling import grid_sample

X = np.arange(9.0).reshape(1, 1, 3, 3)  # [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
F32 = {"input": "float32", "grid": "float32"}


def sample(x: float, y: float, **options: object) -> float:
    grid = np.array([[[[x, y]]]])
    return float(grid_sample(X, grid, dtypes=F32, **options).values[0, 0, 0, 0])  # type: ignore[arg-type]


def test_aligned_corners_are_corner_pixel_centres() -> None:
    assert sample(-1, -1, align_corners=True) == 0.0 and sample(1, 1, align_corners=True) == 8.0
    assert sample(0, 0, align_corners=True) == 4.0


def test_unaligned_corners_are_outer_edges_half_zero_padded() -> None:
    # (-1, -1) is the corner pixel's outer corner: a quarter of pixel 0, the rest zero padding.
    assert sample(-1, -1) == pytest.approx(0.0)
    assert sample(1, 1) == pytest.approx(8.0 / 4)


def test_padding_modes_outside_the_input() -> None:
    assert sample(2, 0, align_corners=True) == 0.0  # zeros
    assert sample(2, 0, padding_mode="border", align_corners=True) == 5.0  # the right edge, middle row
    # x = 1.5 is column 2.5, mirrored at column 2 to 1.5: halfway between 4 and 5 (torch gives 4.5).
    assert sample(1.5, 0, padding_mode="reflection", align_corners=True) == 4.5


def test_nearest_rounds_half_to_even_as_torch() -> None:
    # x = -0.5 with align_corners is column 0.5: half to even gives 0, where rounding half up
    # (MindSpore's grid_sample) gives 1.
    assert sample(-0.5, -1, mode="nearest", align_corners=True) == 0.0


def test_refusals_follow_torch() -> None:
    with pytest.raises(ValueError, match="expected mode"):
        sample(0, 0, mode="cubic")
    with pytest.raises(NotImplementedError):
        grid_sample(X.astype(np.int64), np.zeros((1, 1, 1, 2)), dtypes={"input": "int64", "grid": "int64"})
    with pytest.raises(RuntimeError, match="same batch size"):
        grid_sample(X, np.zeros((2, 1, 1, 2)), dtypes=F32)
