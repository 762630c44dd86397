"""Creation ops NumPy cannot express in one declared call: torch's checks, dtypes and layouts."""

from __future__ import annotations

import math

import numpy as np

from apicompat.records.dtypes import dtype_category
from apicompat.references.core import Result, check_axis, exact, widen
from apicompat.references.promotion import result_type

#: torch.get_default_dtype(), which torch.range returns whatever its bounds are.
DEFAULT_FLOAT = "float32"


def arange(
    end: float,
    start: float = 0,
    step: float = 1,
    dtype: str | None = None,
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.arange: `ceil((end - start) / step)` values `start + i * step`; int64 when every bound
    is an int, else torch's default dtype (float32); a zero step, or a step whose sign does not
    lead from start to end, raises RuntimeError."""
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    out_dtype = dtype or result_type({}, [start, end, step])
    # torch counts in double and computes each value as start + i * step (no running sum).
    count = math.ceil((end - start) / step)
    values = start + np.arange(count, dtype=np.float64) * step
    if dtype_category(out_dtype) in ("int", "bool"):
        return Result(exact(np.trunc(values).astype(np.int64), out_dtype), out_dtype)
    return Result(values, out_dtype)


def range_(
    start: float, end: float, step: float = 1, dtype: str | None = None, *, dtypes: dict[str, str]
) -> Result:
    """torch.range (deprecated): `start + i * step` up to and including `end`, floor((end - start) /
    step) + 1 values, in torch's default dtype (float32) even for int bounds unless dtype= is given;
    a zero step, or one whose sign does not lead from start to end, raises RuntimeError."""
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    out_dtype = dtype or DEFAULT_FLOAT
    count = math.floor((end - start) / step) + 1
    values = start + np.arange(count, dtype=np.float64) * step
    if dtype_category(out_dtype) in ("int", "bool"):
        return Result(exact(np.trunc(values).astype(np.int64), out_dtype), out_dtype)
    return Result(values, out_dtype)


def diag_embed(
    input: np.ndarray, offset: int = 0, dim1: int = -2, dim2: int = -1, *, dtypes: dict[str, str]
) -> Result:
    """torch.diag_embed: the last dimension of `input` becomes the `offset` diagonal of the planes
    spanned by output dimensions `dim1` and `dim2` (the output has one more dimension)."""
    if input.ndim == 0:
        raise RuntimeError("diag_embed(): input must have at least one dimension")
    rank = input.ndim + 1
    first, second = check_axis(dim1, rank), check_axis(dim2, rank)
    if first == second:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    n = input.shape[-1] + abs(offset)
    values = widen(input, dtypes["input"])
    planes = np.zeros((*input.shape[:-1], n, n), dtype=values.dtype)
    index = np.arange(input.shape[-1])
    rows, cols = (index, index + offset) if offset >= 0 else (index - offset, index)
    planes[..., rows, cols] = values
    # Built with the diagonal in the last two dimensions, then moved where dim1 and dim2 say.
    return Result(np.moveaxis(planes, (-2, -1), (first, second)), dtypes["input"])


def one_hot(tensor: np.ndarray, num_classes: int = -1, *, dtypes: dict[str, str]) -> Result:
    """torch.nn.functional.one_hot: an int64 tensor with one more dimension of `num_classes`
    (-1: the largest class plus one); classes must lie in [0, num_classes), and the input must
    be int64."""
    if dtypes["tensor"] != "int64":
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    classes = np.asarray(tensor).astype(np.int64)
    if num_classes == -1:
        if classes.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(classes.max()) + 1
    if classes.size and int(classes.min()) < 0:
        raise RuntimeError("Class values must be non-negative.")
    if classes.size and int(classes.max()) >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    out = (classes[..., None] == np.arange(num_classes)).astype(np.int64)
    return Result(out, "int64")
