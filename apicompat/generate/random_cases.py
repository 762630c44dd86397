"""Seeded random cases: what fills a budget once the systematic sweeps are spent."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import numpy as np

from apicompat.generate.build import DEFAULT, OMIT, Choice, Primary, build_case, secondary_value
from apicompat.generate.facets import primary_param
from apicompat.generate.shapes import axis_bound, random_shape
from apicompat.generate.sizes import size_values
from apicompat.records import DTYPES, ArgValue, Case, DtypeArg, OutArg, dtype_category
from apicompat.spec import Param, ParamKind, Spec

_SPECIAL_SHARE = 0.15  # how often the primary is filled with special / overflow values
_GIVEN_SHARE = 0.5  # how often an optional parameter is given
_OMIT_AXIS_SHARE = 0.25  # how often an optional axis parameter is left out


def random_case(spec: Spec, seed: int, index: int) -> Case:
    """The `index`-th random case for `seed`; independent of every other index."""
    digest = hashlib.sha256(repr(("random", spec.id, seed, index)).encode()).digest()
    rng = np.random.default_rng(int.from_bytes(digest[:16], "big"))
    first = primary_param(spec)
    primary = _random_primary(rng, first)
    overrides: dict[str, ArgValue | Choice] = {}
    for param in spec.params:
        if param is not first:
            overrides[param.name] = _random_value(rng, param, primary, overrides)
    return build_case(spec, "random", primary, overrides, ("random", seed, index))


def _random_primary(rng: np.random.Generator, param: Param | None) -> Primary:
    """A random dtype from the domain, a random rank and shape, usually a random fill."""
    if param is None:
        return Primary("float32", ())
    dtypes = param.dtypes or DTYPES
    dtype = dtypes[int(rng.integers(len(dtypes)))]
    index = int(rng.integers(len(param.shapes))) if param.shapes else 0
    if param.shapes:
        shape = param.shapes[index]
    else:
        shape = random_shape(rng, int(rng.integers(param.ranks[0], param.ranks[1] + 1)))
    fill = param.fill
    if rng.random() < _SPECIAL_SHARE:
        kind = dtype_category(dtype)
        fill = {"float": "special", "complex": "special", "int": "overflow"}.get(kind, fill)
    return Primary(dtype, shape, fill, count=int(rng.integers(1, 4)), shape_index=index)


def _random_value(
    rng: np.random.Generator, param: Param, primary: Primary, chosen: dict[str, ArgValue | Choice]
) -> ArgValue | Choice:
    """A random value for one non-primary parameter (OMIT / DEFAULT where fitting)."""
    rank = len(primary.shape)
    if param.kind in (ParamKind.AXIS, ParamKind.AXES):
        if not param.required and rng.random() < _OMIT_AXIS_SHARE:
            return OMIT
        return _random_axes(rng, rank) if param.kind is ParamKind.AXES else _random_axis(rng, rank)
    if param.required and param.kind in (ParamKind.TENSOR, ParamKind.TENSORS, ParamKind.OUT):
        return DEFAULT
    if not param.required and rng.random() >= _GIVEN_SHARE:
        return OMIT
    if param.kind is ParamKind.DTYPE:
        return DtypeArg(str(_choose(rng, param.values or DTYPES)))
    if param.kind is ParamKind.BOOL:
        return bool(_choose(rng, param.values or (False, True)))
    if param.kind is ParamKind.OUT:
        # An out= of the requested dtype when dtype= is given, so the pair is coherent.
        dtypes = [v.name for v in chosen.values() if isinstance(v, DtypeArg)]
        return OutArg(dtype=dtypes[0] if dtypes else primary.dtype, shape=(0,))
    if param.kind in (ParamKind.TENSOR, ParamKind.TENSORS):
        return secondary_value(param, primary)
    if param.kind is ParamKind.SIZE:
        return _choose(rng, size_values(param))  # type: ignore[no-any-return]
    if param.values:
        return _choose(rng, param.values)  # type: ignore[no-any-return]
    return DEFAULT if param.required else OMIT


def _random_axis(rng: np.random.Generator, rank: int) -> int:
    """A valid axis, negative or not."""
    bound = axis_bound(rank)
    return int(rng.integers(-bound, bound))


def _random_axes(rng: np.random.Generator, rank: int) -> int | tuple[int, ...]:
    """A single valid axis, or a tuple of distinct axes, some written negative."""
    if rank == 0 or rng.random() < 0.5:
        return _random_axis(rng, rank)
    count = int(rng.integers(1, rank + 1))
    picked = sorted(int(a) for a in rng.choice(rank, size=count, replace=False))
    return tuple(a - rank if rng.random() < 0.5 else a for a in picked)


def _choose(rng: np.random.Generator, values: Sequence[Any]) -> Any:
    """One of `values`, as the Python object itself (never a NumPy scalar)."""
    return values[int(rng.integers(len(values)))]
