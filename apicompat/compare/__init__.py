"""Compare observations and classify findings into differences."""

from __future__ import annotations

from apicompat.compare.outputs import Comparison, compare_observations
from apicompat.compare.tolerance import tolerance_for

__all__ = ["Comparison", "compare_observations", "tolerance_for"]
