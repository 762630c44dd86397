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
from apicompat.references.elementwise import clamp, softmax, where
from apicompat.references.ordering import argsort, msort, sort, topk, unique
from apicompat.references.reductions import argmax, argmin, logsumexp, max, mean, std, sum, var
from apicompat.references.scans import cumsum
from apicompat.references.shaping import (
    bmm,
    cat,
    dot,
    flatten,
    gather,
    matmul,
    mm,
    mv,
    squeeze,
    stack,
    transpose,
    unsqueeze,
)

__all__ = [
    "Result",
    "argmax",
    "argmin",
    "argsort",
    "bmm",
    "cast",
    "cat",
    "check_axes",
    "check_axis",
    "clamp",
    "cumsum",
    "dot",
    "exact",
    "flatten",
    "gather",
    "logsumexp",
    "matmul",
    "max",
    "mean",
    "mm",
    "msort",
    "mv",
    "softmax",
    "sort",
    "squeeze",
    "stack",
    "std",
    "sum",
    "sum_dtype",
    "topk",
    "transpose",
    "unique",
    "unsqueeze",
    "var",
    "where",
    "widen",
]
