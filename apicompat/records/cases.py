"""Cases: one call of an API, described by recipes that every worker materializes alike."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Union

# A tensor travels as a recipe (dtype, shape, fill, seed): every worker builds the
# same array from it, so inputs never cross a process boundary as data.
FILLS = ("random", "literal", "special", "overflow", "range", "positive", "unique")


@dataclass(frozen=True)
class TensorArg:
    """A tensor argument built from a recipe; `data` holds literal values."""

    dtype: str
    shape: tuple[int, ...]
    fill: str = "random"
    seed: int = 0
    data: Any = None  # nested lists when fill == "literal"
    low: int | None = None  # integer range for fill == "range"
    high: int | None = None

    @property
    def size(self) -> int:
        """Number of elements."""
        n = 1
        for d in self.shape:
            n *= d
        return n

    def describe(self) -> str:
        """Short label, e.g. `float32[3,4]` or `float32[3,4] special`."""
        dims = ",".join(str(d) for d in self.shape)
        extra = "" if self.fill in ("random", "literal") else f" {self.fill}"
        return f"{self.dtype}[{dims}]{extra}"


@dataclass(frozen=True)
class TensorListArg:
    """A list or tuple of tensors (torch.cat's `tensors`)."""

    items: tuple[TensorArg, ...]

    def describe(self) -> str:
        """Short label listing each tensor."""
        return "[" + ", ".join(t.describe() for t in self.items) + "]"


@dataclass(frozen=True)
class DtypeArg:
    """A dtype passed as an argument (torch.float32, mindspore.float32, …)."""

    name: str

    def describe(self) -> str:
        """The dtype name."""
        return self.name


@dataclass(frozen=True)
class OutArg:
    """A preallocated output tensor, passed as `out=`."""

    dtype: str
    shape: tuple[int, ...] = (0,)

    def describe(self) -> str:
        """Label for the preallocated tensor."""
        return f"out {self.dtype}[{','.join(str(d) for d in self.shape)}]"


ArgValue = Union[TensorArg, TensorListArg, DtypeArg, OutArg, int, float, bool, str, None, tuple[Any, ...]]  # noqa: UP007 (runtime alias on 3.10)


def describe_value(value: ArgValue) -> str:
    """A short human-readable label for one argument value."""
    if isinstance(value, (TensorArg, TensorListArg, DtypeArg, OutArg)):
        return value.describe()
    return repr(value)


def _canonical(value: Any) -> Any:
    """A JSON-able form of a value, used for stable ids."""
    if isinstance(value, (TensorArg, TensorListArg, DtypeArg, OutArg)):
        return {"type": type(value).__name__, **{k: _canonical(v) for k, v in vars(value).items()}}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, float) and value != value:
        return "nan"
    return value


@dataclass(frozen=True)
class Case:
    """One call: canonical argument names to values; omitted optionals are absent."""

    spec_id: str
    args: tuple[tuple[str, ArgValue], ...]
    facets: tuple[tuple[str, str], ...] = ()
    origin: str = "generated"
    expected: Any = None  # published output values, for hand-written cases
    expected_dtype: str | None = None
    id: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", self.make_id())

    def make_id(self) -> str:
        """A stable id: the spec id and a hash of the arguments."""
        blob = json.dumps(_canonical(list(self.args)), sort_keys=True, default=str)
        digest = hashlib.sha1(blob.encode()).hexdigest()[:10]
        return f"{self.spec_id}-{digest}"

    @property
    def arg_dict(self) -> dict[str, ArgValue]:
        """The arguments as a dict (canonical names)."""
        return dict(self.args)

    @property
    def facet_dict(self) -> dict[str, str]:
        """Facets as a dict: what makes this case interesting (dtype, rank, special…)."""
        return dict(self.facets)

    @property
    def label(self) -> str:
        """Human-readable label, e.g. `input=int8[3,4] dim=1 dtype=float32`."""
        return " ".join(f"{k}={describe_value(v)}" for k, v in self.args)


@dataclass(frozen=True)
class Implementation:
    """One callable implementing the API in one framework."""

    framework: str
    api: str  # import path, e.g. "mindspore.ops.cumsum" or "torch.Tensor.cumsum"
    params: tuple[tuple[str, str | None], ...]  # canonical name -> name here, or None
    positional: tuple[str, ...] = ()  # canonical params passed positionally, in order
    method: bool = False  # called as a method of the first tensor parameter
    line: int | None = field(default=None, compare=False)

    @property
    def name_of(self) -> dict[str, str | None]:
        """Canonical parameter name -> this implementation's name (None: unsupported)."""
        return dict(self.params)

    def supports(self, canonical: str) -> bool:
        """True when this implementation has a counterpart for the canonical parameter."""
        return self.name_of.get(canonical, canonical) is not None

    @property
    def key(self) -> str:
        """The name reports use for this callable, e.g. `mindspore.ops.cumsum`."""
        return self.api
