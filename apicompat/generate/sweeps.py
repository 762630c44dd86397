"""The systematic sweeps: fixed cases every run measures, whatever the seed."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from functools import partial

from apicompat.generate.build import OMIT, Choice, Overrides, Primary, build_case, secondary_value
from apicompat.generate.dependent import INDEX_VARIANTS, SIZE_VARIANTS, Dependent, Variant
from apicompat.generate.facets import AXIS_KINDS, TENSOR_KINDS, primary_param
from apicompat.generate.probes import precision_sweep
from apicompat.generate.secondary import shape_variants
from apicompat.generate.shapes import (
    axes_values,
    axis_bound,
    clamp_rank,
    empty_shapes,
    large_shape,
    modest_shape,
    size1_shapes,
    valid_axes,
)
from apicompat.generate.sizes import size_values
from apicompat.records import DTYPES, ArgValue, Case, DtypeArg, OutArg, TensorArg, TensorListArg
from apicompat.spec import Param, ParamKind, Spec
from apicompat.spec.model import ShapeRule

# Systematic cases do not depend on the run's seed: the same spec always measures
# the same systematic calls, so their ids can be compared across runs and seeds.
SYSTEMATIC_SALT: tuple[object, ...] = ("systematic",)

# One float and one int dtype stand for all in shape sweeps; float32 and int64 are
# each framework's defaults, so a shape finding is not confounded by dtype support.
_FLOATS = ("float32", "float64", "float16", "bfloat16")
_INTS = ("int64", "int32", "int16", "int8", "uint8")
_SPECIAL_FLOATS = ("float16", "bfloat16", "float32", "float64", "complex64")
_OVERFLOW_INTS = ("uint8", "int8", "int16", "int32")
_LARGE = ((1, "float32"), (2, "float64"), (1, "int32"))
_DTYPE_PARAM_INPUTS = ("float32", "int64", "int8")
_OUT_DTYPES = ("float32", "int64")
# Dtypes a secondary tensor also tries besides the primary's, for type promotion.
_CROSS_DTYPES = ("float64", "int64", "bool")

AxisValue = int | tuple[int, ...]
Sweep = Callable[[Spec, Param], Iterator[Case]]


def systematic_cases(spec: Spec) -> Iterator[Case]:
    """Every sweep in order; duplicates across sweeps are left to the caller to drop."""
    primary = primary_param(spec)
    if primary is None:
        yield from param_sweep(spec, None)
        return
    for sweep in SWEEPS:
        yield from sweep(spec, primary)


def domain(param: Param) -> tuple[str, ...]:
    """The dtypes a tensor parameter is tried in."""
    return param.dtypes or DTYPES


def shape_dtypes(param: Param) -> list[str]:
    """The stand-in dtypes for shape sweeps: one float and one int where allowed."""
    found = [_pick(domain(param), prefs) for prefs in (_FLOATS, _INTS)]
    picked = [d for d in found if d is not None]
    return picked or [domain(param)[0]]


def base_primary(param: Param, dtype: str | None = None) -> Primary:
    """The everyday input: the first listed shape, else a modest shape at rank 2 (within the ranks)."""
    shape = param.shapes[0] if param.shapes else modest_shape(clamp_rank(2, param.ranks))
    count = clamp_rank(2, param.count)  # a list of two tensors, where the count allows it
    return Primary(dtype=dtype or shape_dtypes(param)[0], shape=shape, fill=param.fill, count=count)


def dtype_sweep(spec: Spec, primary: Param) -> Iterator[Case]:
    """Every dtype of the primary's domain at the base shape."""
    for dtype in domain(primary):
        yield build_case(spec, "dtype_sweep", base_primary(primary, dtype), {}, SYSTEMATIC_SALT)


def shapes_sweep(spec: Spec, primary: Param) -> Iterator[Case]:
    """Each listed shape (a layer's input with its weight), with every valid axis value."""
    for index, shape in enumerate(primary.shapes):
        for dtype in shape_dtypes(primary):
            start = replace(base_primary(primary, dtype), shape=shape, shape_index=index)
            for overrides in axis_variants(spec, partial(_every_axis, rank=len(shape))):
                yield build_case(spec, "shapes", start, overrides, SYSTEMATIC_SALT)


def rank_sweep(spec: Spec, primary: Param) -> Iterator[Case]:
    """Each allowed rank, with every valid axis value and one out of range."""
    if primary.shapes:
        return  # listed shapes stand in for ranks (shapes_sweep)
    for rank in range(primary.ranks[0], primary.ranks[1] + 1):
        for dtype in shape_dtypes(primary):
            start = replace(base_primary(primary, dtype), shape=modest_shape(rank))
            for overrides in axis_variants(spec, partial(_every_axis, rank=rank)):
                yield build_case(spec, "rank_sweep", start, overrides, SYSTEMATIC_SALT)


def empty_sweep(spec: Spec, primary: Param) -> Iterator[Case]:
    """Shapes with a zero dimension, along each axis."""
    if primary.shapes:
        return  # a zero dimension would break the pairing with the other listed shapes
    for shape in empty_shapes(primary.ranks):
        for dtype in shape_dtypes(primary):
            start = replace(base_primary(primary, dtype), shape=shape)
            for overrides in axis_variants(spec, partial(_each_axis, rank=len(shape))):
                yield build_case(spec, "empty", start, overrides, SYSTEMATIC_SALT)


def size1_sweep(spec: Spec, primary: Param) -> Iterator[Case]:
    """Shapes with a dimension of size 1, along each axis."""
    if primary.shapes:
        return
    for shape in size1_shapes(primary.ranks):
        start = replace(base_primary(primary), shape=shape)
        for overrides in axis_variants(spec, partial(_each_axis, rank=len(shape))):
            yield build_case(spec, "size1", start, overrides, SYSTEMATIC_SALT)


def large_sweep(spec: Spec, primary: Param) -> Iterator[Case]:
    """Inputs of 10**4 elements or more, where accumulation error and tiling show."""
    if primary.shapes:
        return
    wanted = [(rank, dtype) for rank, dtype in _LARGE if dtype in domain(primary)]
    for rank, dtype in wanted or [(1, domain(primary)[0])]:
        shape = large_shape(clamp_rank(rank, primary.ranks))
        if shape is not None:
            start = replace(base_primary(primary, dtype), shape=shape)
            yield build_case(spec, "large", start, {}, SYSTEMATIC_SALT)


def special_sweep(spec: Spec, primary: Param) -> Iterator[Case]:
    """NaN, ±inf and -0.0 in float dtypes; values that overflow when summed in small ints."""
    fills = [(d, "special") for d in _SPECIAL_FLOATS] + [(d, "overflow") for d in _OVERFLOW_INTS]
    shape = base_primary(primary).shape
    for dtype, fill in fills:
        if dtype in domain(primary):
            start = replace(base_primary(primary, dtype), shape=shape, fill=fill)
            yield build_case(spec, "special", start, {}, SYSTEMATIC_SALT)


def list_sweep(spec: Spec, primary: Param) -> Iterator[Case]:
    """A list primary (torch.cat): each count, items ragged along the axis, mixed dtypes, a 1-D empty item."""
    if primary.kind is not ParamKind.TENSORS:
        return
    start = base_primary(primary)
    for count in range(primary.count[0], primary.count[1] + 1):
        yield build_case(spec, "list", replace(start, count=count), {}, SYSTEMATIC_SALT)
    if primary.count[1] < 2:
        return
    item = start.tensor()
    if primary.along is not None:
        for axis in range(len(start.shape)):
            items = tuple(_grown(item, axis, i) for i in range(start.count))
            overrides: dict[str, ArgValue] = {primary.name: TensorListArg(items), primary.along: axis}
            yield build_case(spec, "list", start, overrides, SYSTEMATIC_SALT)
    mixed = [d for d in (_pick(domain(primary), _FLOATS), _pick(domain(primary), _INTS)) if d is not None]
    if len(mixed) == 2:
        items = tuple(replace(item, dtype=d) for d in mixed)
        yield build_case(spec, "list", start, {primary.name: TensorListArg(items)}, SYSTEMATIC_SALT)
    if len(start.shape) >= 2:
        # torch.cat skips 1-D empty tensors whatever the other shapes (a legacy rule worth measuring).
        items = (item, replace(item, shape=(0,)))
        yield build_case(spec, "list", start, {primary.name: TensorListArg(items)}, SYSTEMATIC_SALT)


def _grown(item: TensorArg, axis: int, extra: int) -> TensorArg:
    """`item` with `extra` more elements along `axis`."""
    shape = list(item.shape)
    shape[axis] += extra
    return replace(item, shape=tuple(shape))


def param_sweep(spec: Spec, primary: Param | None) -> Iterator[Case]:
    """Each non-tensor parameter through its values; optional ones given and omitted."""
    start = base_primary(primary) if primary is not None else Primary("float32", ())
    if primary is None:
        yield build_case(spec, "optional", start, {}, SYSTEMATIC_SALT)
    for param in spec.params:
        if primary is not None and param.name == primary.name:
            continue
        if param.kind is ParamKind.DTYPE:
            yield from _dtype_param_cases(spec, param, primary, start)
        elif param.kind is ParamKind.OUT:
            yield from _out_cases(spec, param, primary, start)
        else:
            for value in _param_values(param, start):
                overrides: dict[str, ArgValue | Choice | Dependent] = {param.name: value}
                if param.kind is ParamKind.TENSOR_OR_SCALAR and isinstance(value, TensorArg):
                    # An operand swept as a tensor goes alone: torch.clamp takes two tensor bounds
                    # or two numbers, so another operand given as a number everyday would clash.
                    overrides |= {p.name: OMIT for p in _other_operands(spec, param)}
                yield build_case(spec, "optional", start, overrides, SYSTEMATIC_SALT)


def axis_variants(spec: Spec, values: Callable[[Param], Sequence[AxisValue | Choice]]) -> Iterator[Overrides]:
    """One override per axis value, varying one axis parameter at a time (others default)."""
    axis_params = [p for p in spec.params if p.kind in AXIS_KINDS]
    if not axis_params or any(not p.given_everyday for p in axis_params):
        yield {}  # every axis left to its default (omitted where the spec says so)
    for param in axis_params:
        for value in values(param):
            yield {param.name: value}


def _every_axis(param: Param, rank: int) -> list[AxisValue | Choice]:
    """Every valid value (negatives included), one just past the end, and omitted if optional
    (a default such as softmax's implicit dim depends on the rank)."""
    valid: list[AxisValue | Choice] = list(
        axes_values(rank) if param.kind is ParamKind.AXES else valid_axes(rank)
    )
    omitted: list[AxisValue | Choice] = [] if param.required else [OMIT]
    return [*valid, axis_bound(rank), *omitted]


def _each_axis(param: Param, rank: int) -> list[AxisValue]:
    """Each axis once, counted from the front (negatives are the rank sweep's job)."""
    return list(range(rank))


def _dtype_param_cases(spec: Spec, param: Param, primary: Param | None, start: Primary) -> Iterator[Case]:
    """Each value of a dtype parameter, crossed with a float and two int inputs."""
    inputs = [d for d in _DTYPE_PARAM_INPUTS if primary is None or d in domain(primary)]
    for value in param.values or DTYPES:
        for dtype in inputs or [start.dtype]:
            given = replace(start, dtype=dtype)
            yield build_case(spec, "optional", given, {param.name: DtypeArg(str(value))}, SYSTEMATIC_SALT)


def _out_cases(spec: Spec, param: Param, primary: Param | None, start: Primary) -> Iterator[Case]:
    """out= given, an empty tensor of the input's dtype that the call must resize."""
    dtypes = [d for d in _OUT_DTYPES if primary is None or d in domain(primary)] or [start.dtype]
    for dtype in dtypes:
        given = replace(start, dtype=dtype)
        yield build_case(spec, "out", given, {param.name: OutArg(dtype=dtype, shape=(0,))}, SYSTEMATIC_SALT)


def _param_values(param: Param, start: Primary) -> list[ArgValue | Choice | Dependent]:
    """Values to try for one parameter: omitted (if optional) plus its declared values."""
    values: list[ArgValue | Choice | Dependent] = []
    if not param.required:
        values.append(OMIT)
    if param.kind is ParamKind.BOOL:
        values.extend(param.values or (False, True))
    elif param.kind is ParamKind.INT and param.along is not None:
        values.extend(Dependent(v) for v in SIZE_VARIANTS)
    elif param.kind in (ParamKind.INT, ParamKind.SCALAR, ParamKind.OPTION, ParamKind.INTS):
        values.extend(param.values)
    elif param.kind is ParamKind.SIZE:
        values.extend(size_values(param))
    elif param.kind is ParamKind.INDEX:
        values.extend(Dependent(Variant.VALID, d) for d in param.dtypes)
        values.extend(Dependent(v) for v in INDEX_VARIANTS)
    elif param.kind is ParamKind.TENSOR_OR_SCALAR:
        values.extend(param.values)
        values.extend(_tensor_variants(param, start))
    elif param.kind in TENSOR_KINDS and (not param.required or _varies(param)):
        values.extend(_tensor_variants(param, start))
    return values


def _other_operands(spec: Spec, param: Param) -> list[Param]:
    """The other optional tensor-or-number parameters (clamp's max, for min)."""
    return [
        p for p in spec.params if p is not param and p.kind is ParamKind.TENSOR_OR_SCALAR and not p.required
    ]


def _varies(param: Param) -> bool:
    """Whether a secondary tensor has shapes or dtypes of its own to sweep."""
    return param.shape is not ShapeRule.SAME or len(domain(param)) > 1


def _tensor_variants(param: Param, start: Primary) -> list[ArgValue]:
    """A secondary tensor in each shape its rule allows, then in other dtypes (type promotion)."""
    if param.kind is ParamKind.TENSORS:
        return [secondary_value(param, start)]
    # A listed shape is the one partner shape that fits; the rule's variants would not pair.
    shapes: list[tuple[int, ...] | None] = [None]
    if not param.shapes:
        shapes = list(shape_variants(param.shape, start.shape))
    variants: list[ArgValue] = [secondary_value(param, start, shape=s) for s in shapes]
    everyday = secondary_value(param, start)
    assert isinstance(everyday, TensorArg)
    for dtype in _CROSS_DTYPES:
        if dtype in domain(param) and dtype != everyday.dtype:
            variants.append(secondary_value(param, start, dtype=dtype))
    return variants


def _pick(dtypes: tuple[str, ...], preferred: tuple[str, ...]) -> str | None:
    """The first preferred dtype that `dtypes` contains."""
    return next((d for d in preferred if d in dtypes), None)


SWEEPS: tuple[Sweep, ...] = (
    dtype_sweep,
    shapes_sweep,
    rank_sweep,
    empty_sweep,
    size1_sweep,
    large_sweep,
    special_sweep,
    list_sweep,
    param_sweep,
    precision_sweep,
)
