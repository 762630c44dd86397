"""Precision probes: inputs that reveal accumulation and conditioning, not ordinary correctness.

A sum, scan or mean of many low-precision values of one sign drifts when it accumulates in the
input's own dtype (the cumulative sum of 5,000 float16 ones is 2048 in float16); a variance of
values near 1e8 cancels catastrophically in float32. Ordinary inputs never show either, so every
spec whose primary tensor takes those dtypes also measures these calls. A spec with an axis also
measures them along the first axis of a (5000, 2) input: a reduction along a strided axis takes
another kernel path (MindSpore's float32 sum along axis 0 accumulates naively where the last-axis
sum does not).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from apicompat.generate.build import Overrides, Primary, build_case
from apicompat.generate.facets import AXIS_KINDS
from apicompat.generate.shapes import clamp_rank
from apicompat.records import DTYPES, Case
from apicompat.spec import Param, ParamKind, Spec

#: Probe salt: like the systematic cases, probes do not depend on the run's seed.
PROBE_SALT: tuple[object, ...] = ("probe",)

#: Elements along the probed (last) axis: beyond 4,096, where float16 spacing reaches 4.
PROBE_LENGTH = 5000

#: (probe name, fill, dtypes): long inputs of one sign in low precision, large offsets in float32/64.
PROBES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("long", "positive", ("float16", "bfloat16")),
    ("offset", "offset", ("float32", "float64")),
)


def probe_shape(rank: int) -> tuple[int, ...]:
    """A shape of `rank` whose last axis holds PROBE_LENGTH elements, the others 2 (rank 0: none)."""
    return (2,) * (rank - 1) + (PROBE_LENGTH,)


#: The shape of the strided probe: the long axis first, reduced along axis 0.
STRIDED_SHAPE = (PROBE_LENGTH, 2)


def precision_sweep(spec: Spec, primary: Param) -> Iterator[Case]:
    """One probe per probe kind and dtype the primary tensor takes, at rank 1 (or its lowest rank),
    and again along axis 0 of a (5000, 2) input where the spec has an axis of that tensor."""
    if primary.shapes:
        return  # listed shapes pair with the other tensors' (linear's weight): a long input would not
    if primary.kind is ParamKind.TENSORS or primary.fill not in ("random", "positive"):
        # A list's items are sized by its own sweep, and a tensor whose values the spec prescribes
        # (unique values, valid indices) keeps them: probes concern one long tensor of free values.
        return
    rank = clamp_rank(1, primary.ranks)
    if rank == 0:
        return
    layouts: list[tuple[tuple[int, ...], Overrides]] = [(probe_shape(rank), {})]
    axis = next((p for p in spec.params if p.kind in AXIS_KINDS and p.of in (None, primary.name)), None)
    if axis is not None and clamp_rank(2, primary.ranks) == 2:
        layouts.append((STRIDED_SHAPE, {axis.name: 0}))
    for shape, overrides in layouts:
        for name, fill, dtypes in PROBES:
            for dtype in dtypes:
                if dtype in (primary.dtypes or DTYPES):
                    start = Primary(dtype=dtype, shape=shape, fill=fill)
                    case = build_case(spec, "probe", start, overrides, PROBE_SALT)
                    yield replace(case, facets=(*case.facets, ("probe", name)))
