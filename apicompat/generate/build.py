"""Turn one planned call (primary tensor + chosen parameter values) into a seeded Case."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import Enum

from apicompat.generate.dependent import Dependent, Variant, is_dependent, resolve
from apicompat.generate.facets import AXIS_KINDS, TENSOR_KINDS, case_facets, primary_param
from apicompat.generate.secondary import everyday_shape
from apicompat.generate.shapes import axis_bound
from apicompat.generate.sizes import everyday_size
from apicompat.records import ArgValue, Case, DtypeArg, OutArg, TensorArg, TensorListArg
from apicompat.spec import Param, ParamKind, Spec


class Choice(Enum):
    """Instead of a value: leave the parameter out, or use its default for this call."""

    OMIT = "omit"
    DEFAULT = "default"


OMIT = Choice.OMIT
DEFAULT = Choice.DEFAULT

#: What a sweep sets per parameter name; names not listed take DEFAULT.
Overrides = Mapping[str, ArgValue | Choice | Dependent]


@dataclass(frozen=True)
class Primary:
    """The primary tensor of one case: its recipe before a seed is chosen."""

    dtype: str
    shape: tuple[int, ...]
    fill: str = "random"
    count: int = 2  # items, when the primary is a TENSORS list
    shape_index: int = 0  # which of the spec's listed `shapes` this is (secondaries take their n-th)

    def tensor(self) -> TensorArg:
        """The unseeded recipe."""
        return TensorArg(dtype=self.dtype, shape=self.shape, fill=self.fill)


def derive_seed(*parts: object) -> int:
    """A 31-bit seed from any reprs; stable across processes, unlike hash()."""
    digest = hashlib.sha256(repr(parts).encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


def build_case(
    spec: Spec, group: str, primary: Primary, overrides: Overrides, salt: tuple[object, ...]
) -> Case:
    """A Case for `spec`: overrides first, defaults for the rest, tensors seeded from `salt`."""
    args: list[tuple[str, ArgValue | Dependent]] = []
    for param in spec.params:
        value = overrides.get(param.name, DEFAULT)
        if value is DEFAULT:
            value = default_value(spec, param, primary)
        if not isinstance(value, Choice):
            args.append((param.name, value))
    args = drop_excluded(spec, args, overrides)
    seeded = separate_items(spec, seed_tensors(tuple_axes(spec, resolve(spec, args)), salt))
    return Case(spec_id=spec.id, args=seeded, facets=case_facets(spec, group, seeded))


def tuple_axes(spec: Spec, args: Sequence[tuple[str, ArgValue]]) -> list[tuple[str, ArgValue]]:
    """A bare axis becomes a 1-tuple for a parameter the source takes only as a tuple (torch.flip)."""
    only = {p.name for p in spec.params if p.tuple_only}
    return [(n, (v,) if n in only and isinstance(v, int) and not isinstance(v, bool) else v) for n, v in args]


def separate_items(spec: Spec, args: Sequence[tuple[str, ArgValue]]) -> tuple[tuple[str, ArgValue], ...]:
    """A list of tensors the source takes as separate arguments (`varargs: true`) is passed so."""
    spread = {p.name for p in spec.params if p.kind is ParamKind.TENSORS and p.varargs}
    return tuple(
        (n, replace(v, varargs=True) if n in spread and isinstance(v, TensorListArg) else v) for n, v in args
    )


def default_value(spec: Spec, param: Param, primary: Primary) -> ArgValue | Choice | Dependent:
    """What a parameter gets when a sweep does not set it: optionals are omitted."""
    first = primary_param(spec)
    if first is not None and param.name == first.name:
        return primary_value(param, primary)
    if not param.given_everyday:
        return OMIT
    if param.kind in AXIS_KINDS:
        # Axes are the heart of axis APIs, so even optional ones get a valid value.
        return default_axis(len(primary.shape), axis_ordinal(spec, param))
    if is_dependent(param):
        return Dependent(Variant.VALID)
    return required_value(param, primary)


def drop_excluded(
    spec: Spec, args: list[tuple[str, ArgValue | Dependent]], overrides: Overrides
) -> list[tuple[str, ArgValue | Dependent]]:
    """Leave out a parameter that excludes one already given; a sweep's own choice wins."""
    given = [name for name, _ in args]
    dropped: set[str] = set()
    for name in sorted(given, key=lambda n: (n not in overrides, given.index(n))):
        if name in dropped:
            continue
        for other in given:
            if other != name and other not in dropped and _exclusive(spec, name, other):
                dropped.add(other)
    return [(n, v) for n, v in args if n not in dropped]


def _exclusive(spec: Spec, a: str, b: str) -> bool:
    return b in spec.param(a).excludes or a in spec.param(b).excludes


def required_value(param: Param, primary: Primary) -> ArgValue:
    """The value a required non-axis parameter gets by default."""
    if param.kind is ParamKind.TENSOR_OR_SCALAR and not param.required and param.values:
        return param.values[0]  # type: ignore[no-any-return]  # an optional operand: a number everyday
    if param.kind in TENSOR_KINDS or param.kind is ParamKind.TENSOR_OR_SCALAR:
        return secondary_value(param, primary)
    if param.kind is ParamKind.DTYPE:
        return DtypeArg(str(param.values[0]) if param.values else primary.dtype)
    if param.kind is ParamKind.OUT:
        return OutArg(dtype=primary.dtype)
    if param.kind is ParamKind.SIZE:
        return everyday_size(param)
    if param.kind is ParamKind.BOOL:
        return param.default if isinstance(param.default, bool) else bool(param.values and param.values[0])
    if param.values:
        return param.values[0]  # type: ignore[no-any-return]
    if param.default is not None:
        return param.default  # type: ignore[no-any-return]
    return 1 if param.kind in (ParamKind.INT, ParamKind.INTS) else 1.0


def primary_value(param: Param, primary: Primary) -> TensorArg | TensorListArg:
    """The primary tensor, or a list of `count` alike tensors for a TENSORS parameter."""
    if param.kind is ParamKind.TENSORS:
        return TensorListArg(items=(primary.tensor(),) * primary.count)
    return primary.tensor()


def secondary_value(
    param: Param, primary: Primary, shape: tuple[int, ...] | None = None, dtype: str | None = None
) -> TensorArg | TensorListArg:
    """Another tensor parameter: its rule's everyday shape (always compatible), its own dtype and fill."""
    if dtype is None:
        dtype = primary.dtype if primary.dtype in param.dtypes or not param.dtypes else param.dtypes[0]
    if shape is None and param.shapes:
        shape = param.shapes[primary.shape_index % len(param.shapes)]
    if shape is None:
        shape = everyday_shape(param.shape, primary.shape)
    low = high = None
    if param.fill == "range":
        # An index valid along every axis of the primary (index_select).
        low, high = 0, min((d for d in primary.shape if d > 0), default=1)
    tensor = TensorArg(dtype=dtype, shape=shape, fill=param.fill, low=low, high=high)
    if param.kind is ParamKind.TENSORS:
        return TensorListArg(items=(tensor, tensor))
    return tensor


def axis_ordinal(spec: Spec, param: Param) -> int:
    """Position of `param` among the axis parameters (transpose has dim0 and dim1)."""
    axes = [p.name for p in spec.params if p.kind in AXIS_KINDS]
    return axes.index(param.name)


def default_axis(rank: int, ordinal: int) -> int:
    """A valid axis: the last for the first axis parameter, the one before for the next."""
    return (rank - 1 - ordinal) % axis_bound(rank)


def seed_tensors(
    args: list[tuple[str, ArgValue]] | tuple[tuple[str, ArgValue], ...], salt: tuple[object, ...]
) -> tuple[tuple[str, ArgValue], ...]:
    """Give every tensor a seed derived from the salt and the whole call.

    Seeds depend on the call's content, not on its position in a sweep, so ids stay
    stable when a spec gains cases, and the same call in two sweeps dedupes to one.
    """
    content = repr(args)  # the call's content with every seed still 0
    seeded: list[tuple[str, ArgValue]] = []
    for name, value in args:
        if isinstance(value, TensorArg):
            value = replace(value, seed=derive_seed(salt, content, name))
        elif isinstance(value, TensorListArg):
            items = tuple(
                replace(t, seed=derive_seed(salt, content, name, n)) for n, t in enumerate(value.items)
            )
            value = replace(value, items=items)
        seeded.append((name, value))
    return tuple(seeded)
