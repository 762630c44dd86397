"""The validated, typed form of a spec file (the loader builds these)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from apicompat.records import DTYPES, Implementation


class ParamKind(str, Enum):
    """What kind of value a canonical parameter takes."""

    TENSOR = "tensor"  # one tensor
    TENSORS = "tensors"  # a list of tensors
    AXIS = "axis"  # an int indexing a dimension of `of`
    AXES = "axes"  # an int or tuple of ints indexing dimensions of `of`
    DTYPE = "dtype"  # a dtype object
    SCALAR = "scalar"  # a Python number
    INT = "int"  # a Python int with a domain (`values` or `min`/`max`)
    BOOL = "bool"  # True / False
    OUT = "out"  # a preallocated output tensor


@dataclass(frozen=True)
class Param:
    """A canonical parameter, named as in the source framework."""

    name: str
    kind: ParamKind
    required: bool = True
    default: Any = None
    dtypes: tuple[str, ...] = DTYPES  # tensor kinds: accepted input dtypes to try
    ranks: tuple[int, int] = (0, 4)  # tensor kinds: smallest and largest rank
    of: str | None = None  # axis/out kinds: the tensor parameter it refers to
    values: tuple[Any, ...] = ()  # dtype/int/scalar/bool kinds: values to try
    fill: str = "random"  # tensor kinds: how values are drawn by default
    keyword_only: bool = False
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class KnownDifference:
    """A difference the spec accepts, with the reason; it only annotates findings."""

    kind: str
    reason: str
    target: str | None = None  # api; None means every target
    param: str | None = None
    dtypes: tuple[str, ...] = ()
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Spec:
    """One API mapping: parameters, the source, its targets and the reference."""

    id: str
    path: str
    title: str
    summary: str
    params: tuple[Param, ...]
    source: Implementation
    targets: tuple[Implementation, ...]
    reference: str  # import path of the NumPy reference, "module:function"
    known_differences: tuple[KnownDifference, ...] = ()
    tolerances: tuple[tuple[str, tuple[float, float]], ...] = ()  # dtype -> (rtol, atol)

    @property
    def implementations(self) -> tuple[Implementation, ...]:
        """The source first, then every target."""
        return (self.source, *self.targets)

    def param(self, name: str) -> Param:
        """The canonical parameter called `name`."""
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    @property
    def frameworks(self) -> tuple[str, ...]:
        """Frameworks used by the source and targets, in order of first use."""
        seen: dict[str, None] = {}
        for impl in self.implementations:
            seen.setdefault(impl.framework, None)
        return tuple(seen)
