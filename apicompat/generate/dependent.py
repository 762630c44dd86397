"""Values that depend on other arguments of the same call, resolved once those are chosen.

An index tensor's values index a dimension of the primary tensor (gather); an
int such as topk's `k` is at most that dimension's size. Which dimension is the
case's value of the `along` axis parameter, so these are decided last.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from apicompat.records import ArgValue, TensorArg, TensorListArg
from apicompat.spec import Param, ParamKind, Spec
from apicompat.spec.model import ShapeRule


class Variant(str, Enum):
    """Which value of a dependent parameter a case asks for."""

    VALID = "valid"  # index: every value in range; int: a small valid value
    ZERO = "zero"  # int: 0
    ALL = "all"  # int: the whole size
    PAST_END = "past_end"  # index values, or the int, one past the last valid one
    NEGATIVE = "negative"  # index: -1 everywhere
    LONGER = "longer"  # index: one longer along the axis (torch allows it)
    NARROWER = "narrower"  # index: one shorter in another dimension (torch allows it)


@dataclass(frozen=True)
class Dependent:
    """A placeholder for a dependent value: the variant, and an index tensor's dtype."""

    variant: Variant
    dtype: str | None = None


#: Variants a parameter sweep tries for each kind (VALID is the everyday one).
INDEX_VARIANTS = (Variant.PAST_END, Variant.NEGATIVE, Variant.LONGER, Variant.NARROWER)
SIZE_VARIANTS = (Variant.ZERO, Variant.ALL, Variant.PAST_END)


def first_tensor(value: ArgValue | None) -> TensorArg | None:
    """The tensor a value stands for: itself, or the first item of a list."""
    if isinstance(value, TensorArg):
        return value
    if isinstance(value, TensorListArg) and value.items:
        return value.items[0]
    return None


def is_dependent(param: Param) -> bool:
    """Index parameters, and ints bounded by a dimension's size."""
    return param.kind is ParamKind.INDEX or (param.kind is ParamKind.INT and param.along is not None)


def axis_and_size(param: Param, args: dict[str, ArgValue]) -> tuple[int | None, int, tuple[int, ...]]:
    """(normalized axis or None for 0-d, its size, the tensor's shape) for `param.of` along `param.along`.

    An axis left out or out of range stands for the last dimension: the case is about
    something else then (an invalid axis), and any index will do.
    """
    tensor = first_tensor(args.get(param.of)) if param.of is not None else None
    shape = tensor.shape if tensor is not None else ()
    if not shape:
        return None, 1, shape  # torch treats a 0-d tensor as one element along dims 0 and -1
    value = args.get(param.along) if param.along is not None else None
    axis = value if isinstance(value, int) and not isinstance(value, bool) else -1
    if not -len(shape) <= axis < len(shape):
        axis = -1
    axis %= len(shape)
    return axis, shape[axis], shape


def resolve(spec: Spec, args: list[tuple[str, ArgValue | Dependent]]) -> list[tuple[str, ArgValue]]:
    """Replace every Dependent placeholder by its value for this call."""
    known: dict[str, ArgValue] = {n: v for n, v in args if not isinstance(v, Dependent)}
    out: list[tuple[str, ArgValue]] = []
    for name, value in args:
        if isinstance(value, Dependent):
            param = spec.param(name)
            if param.kind is ParamKind.INDEX:
                value = index_value(param, value, known)
            else:
                value = bound_value(param, value, known)
        out.append((name, value))
    return out


def bound_value(param: Param, want: Dependent, args: dict[str, ArgValue]) -> int:
    """An int bounded by the size: 2 (or the size if smaller), 0, the size, or one past it."""
    _, size, _ = axis_and_size(param, args)
    return {
        Variant.ZERO: 0,
        Variant.ALL: size,
        Variant.PAST_END: size + 1,
    }.get(want.variant, min(2, size))


def index_value(param: Param, want: Dependent, args: dict[str, ArgValue]) -> TensorArg:
    """An index tensor of the tensor's shape (or one edited by the variant) with values in range.

    A `vector` index is 1-D and as long as the dimension it indexes (torch.index_select);
    its longer and narrower variants are one longer and one shorter.
    """
    axis, size, shape = axis_and_size(param, args)
    dtype = want.dtype or ("int64" if "int64" in param.dtypes else param.dtypes[0])
    low, high = 0, max(size, 1)
    # `fill: unique`: in-range values never repeat along the axis (torch.scatter writes a position
    # twice in no defined order); a longer index cannot be distinct, so it keeps the range fill.
    distinct = param.fill == "unique" and want.variant in (Variant.VALID, Variant.NARROWER)
    if param.shape is ShapeRule.VECTOR:
        length = {Variant.LONGER: size + 1, Variant.NARROWER: max(size - 1, 0)}.get(want.variant, size)
        if want.variant is Variant.PAST_END:
            low, high = size, size + 1
        elif want.variant is Variant.NEGATIVE:
            low, high = -1, 0
        if distinct:
            return TensorArg(dtype=dtype, shape=(length,), fill="distinct", data=0, low=0, high=size)
        return TensorArg(dtype=dtype, shape=(length,), fill="range", low=low, high=high)
    dims = list(shape)
    if want.variant is Variant.PAST_END:
        low, high = size, size + 1
    elif want.variant is Variant.NEGATIVE:
        low, high = -1, 0
    elif want.variant is Variant.LONGER and axis is not None:
        dims[axis] += 1
    elif want.variant is Variant.NARROWER:
        other = next((d for d in range(len(dims)) if d != axis and dims[d] > 1), None)
        if other is not None:
            dims[other] -= 1
    if distinct and axis is not None:
        return TensorArg(dtype=dtype, shape=tuple(dims), fill="distinct", data=axis, low=0, high=size)
    return TensorArg(dtype=dtype, shape=tuple(dims), fill="range", low=low, high=high)


def index_label(param: Param, tensor: TensorArg, args: dict[str, ArgValue]) -> str:
    """What an index tensor is, for facets: in_range, past_end, negative, longer, narrower."""
    axis, size, shape = axis_and_size(param, args)
    if tensor.size and tensor.low is not None and tensor.low < 0:
        return "negative"
    if tensor.size and tensor.low is not None and tensor.low >= size:
        return "past_end"
    if param.shape is ShapeRule.VECTOR and len(tensor.shape) == 1:
        return {size + 1: "longer", size - 1: "narrower"}.get(tensor.shape[0], "in_range")
    if axis is not None and len(tensor.shape) == len(shape):
        if tensor.shape[axis] > shape[axis]:
            return "longer"
        if any(t < s for d, (t, s) in enumerate(zip(tensor.shape, shape, strict=True)) if d != axis):
            return "narrower"
    return "in_range"


def bound_label(param: Param, value: ArgValue, args: dict[str, ArgValue]) -> str:
    """What a size-bounded int is, for facets: zero, in_range, all, past_end (or negative)."""
    _, size, _ = axis_and_size(param, args)
    if not isinstance(value, int):
        return "other"
    if value < 0:
        return "negative"
    if value > size:
        return "past_end"
    return "zero" if value == 0 else "all" if value == size else "in_range"
