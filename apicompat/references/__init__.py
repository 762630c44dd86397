"""NumPy references: the oracle every implementation is compared with.

A reference takes the canonical arguments (tensors as NumPy carriers, dtypes as
names, Python numbers as themselves), plus `dtypes`, the vocabulary dtype of
each tensor argument (a list's items as `name[i]`). It computes at high precision
(float64 / complex128), or exactly in an integer output dtype with its
wraparound, and returns `Result`s carrying the dtype the source API is
documented to produce (a tuple of them for several outputs). Raising means the
call is invalid.
"""

from __future__ import annotations

from apicompat.references.core import Result, cast, check_axes, check_axis, exact, sum_dtype, widen
from apicompat.references.elementwise import clamp, softmax
from apicompat.references.ordering import argsort, msort, sort, topk, unique
from apicompat.references.reductions import max
from apicompat.references.scans import cumsum
from apicompat.references.shaping import cat, flatten, gather, squeeze

__all__ = [
    "Result",
    "argsort",
    "cast",
    "cat",
    "check_axes",
    "check_axis",
    "clamp",
    "cumsum",
    "exact",
    "flatten",
    "gather",
    "max",
    "msort",
    "softmax",
    "sort",
    "squeeze",
    "sum_dtype",
    "topk",
    "unique",
    "widen",
]
