"""The validated, typed form of a spec file (the loader builds these)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from apicompat.records import DTYPES, Implementation
from apicompat.references.declarative import PREFIX as DECLARATIVE_PREFIX


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
    TENSOR_OR_SCALAR = "tensor_or_scalar"  # a tensor or a Python number (clamp's min, where's other)
    INDEX = "index"  # an integer tensor whose values index a dimension of `of` (gather)
    OPTION = "option"  # one of a fixed set of strings (reduction="mean", mode="bilinear")
    INTS = "ints"  # an int or a tuple of ints (stride, padding, kernel_size, normalized_shape)
    SIZE = "size"  # a creation op's shape: a tuple, a list, or separate ints (torch.zeros(2, 3))


class ShapeRule(str, Enum):
    """How a secondary tensor's shape follows the primary tensor's."""

    SAME = "same"  # the primary's shape
    BROADCAST = "broadcast"  # shapes that broadcast with the primary's (and one that does not)
    MATMUL = "matmul"  # contracts the primary's last dimension: (..., n, k) @ (..., k, m)
    VECTOR = "vector"  # an index only: 1-D, as long as the dimension it indexes (index_select)


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
    primary: bool = False  # tensor kinds: the tensor the sweeps vary (default: the first one)
    shape: ShapeRule = ShapeRule.SAME  # secondary tensors: how the shape follows the primary's
    count: tuple[int, int] = (2, 2)  # tensors kind: smallest and largest number of items
    along: str | None = None  # index, int, tensors kinds: the axis parameter this depends on
    excludes: tuple[str, ...] = ()  # parameters a call never gives together with this one
    tuple_only: bool = False  # axes kind: the source takes a tuple only (torch.flip's dims), never a bare int
    # size kind: the source also takes the dims as separate ints (torch.zeros(2, 3)); tensors kind:
    # cases pass the items as separate arguments (torch.block_diag(a, b), torch.meshgrid(x, y))
    varargs: bool = False
    everyday: str = ""  # optional params: "given" or "omitted" in cases no sweep varies ("": by kind)
    # tensor kind: the shapes cases use instead of ranks; a secondary's pair with the primary's by position
    shapes: tuple[tuple[int, ...], ...] = ()

    @property
    def given_everyday(self) -> bool:
        """Whether cases that do not vary this parameter give it: axes yes, other optionals no."""
        if self.required:
            return True
        if self.everyday:
            return self.everyday == "given"
        return self.kind in (ParamKind.AXIS, ParamKind.AXES)

    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Output:
    """One output of the API, by name; `when` names a bool parameter that must be true for it."""

    name: str
    when: str | None = None
    many: bool = False  # a list of tensors whose length depends on the call (torch.chunk); the only output
    up_to_sign: str | None = None  # "columns" or "rows": defined up to each vector's sign (QR, SVD factors)
    undefined: bool = False  # values not defined (torch.empty): only dtype and shape are compared

    @property
    def canonical(self) -> str:
        """How every side's output is put in one form before it is compared (records/canonical.py)."""
        return "undefined" if self.undefined else self.up_to_sign or ""


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
    reference: str  # the reference's api: "module:function", "file:...:function" or "declarative:{...}"
    known_differences: tuple[KnownDifference, ...] = ()
    tolerances: tuple[tuple[str, tuple[float, float]], ...] = ()  # dtype -> (rtol, atol)
    outputs: tuple[Output, ...] = ()  # empty: one output
    source_method: Implementation | None = None  # the source as a tensor method
    # Key path ("targets[0].params.dim") -> its line, for errors found after loading (live checks).
    lines: tuple[tuple[str, int], ...] = field(default=(), compare=False, repr=False)

    def line_of(self, key: str) -> int | None:
        """The line of `key`, or of its nearest ancestor the file has."""
        found = dict(self.lines)
        while key:
            if key in found:
                return found[key]
            cut = max(key.rfind("."), key.rfind("["))
            key = key[:cut] if cut > 0 else ""
        return None

    def key_of(self, impl: Implementation) -> str:
        """Where an implementation sits in the file: `source`, `source_method` or `targets[i]`."""
        if impl is self.source:
            return "source"
        if impl is self.source_method:
            return "source_method"
        return f"targets[{self.targets.index(impl)}]"

    @property
    def declarative(self) -> bool:
        """Whether the reference is declared (a NumPy callable and dtype rules) rather than Python."""
        return self.reference.startswith(DECLARATIVE_PREFIX)

    @property
    def implementations(self) -> tuple[Implementation, ...]:
        """The source first, its method form if any, then every target."""
        extra = (self.source_method,) if self.source_method is not None else ()
        return (self.source, *extra, *self.targets)

    def source_for(self, target: Implementation) -> Implementation:
        """What `target` is compared with: the source's method form for a method, else the source."""
        if target.method and self.source_method is not None:
            return self.source_method
        return self.source

    def output_names(self, given: dict[str, Any]) -> tuple[str, ...]:
        """The outputs a call with these canonical arguments returns (defaults fill the rest)."""
        if not self.outputs:
            return ("output",)
        names = []
        for output in self.outputs:
            if output.when is not None:
                value = given.get(output.when, self.param(output.when).default)
                if value is not True:
                    continue
            names.append(output.name)
        return tuple(names)

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
