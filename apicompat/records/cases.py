"""Cases: one call of an API, described by recipes that every worker materializes alike."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Union

# A tensor travels as a recipe (dtype, shape, fill, seed): every worker builds the
# same array from it, so inputs never cross a process boundary as data.
FILLS = (
    *("random", "literal", "special", "overflow", "range", "positive", "unique", "offset", "unit"),
    "sign",
    "sorted",
    "distinct",
)
#: A fill only apicompat itself makes (the stability pass's probes): `data` is one value, everywhere.
CONSTANT = "constant"


@dataclass(frozen=True)
class TensorArg:
    """A tensor argument built from a recipe; `data` holds literal values."""

    dtype: str
    shape: tuple[int, ...]
    fill: str = "random"
    seed: int = 0
    # nested lists when fill == "literal"; one scalar, every element, when "constant"; the axis
    # along which values never repeat when "distinct" (an index with `fill: unique`)
    data: Any = None
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
    # The call passes the items as separate arguments (torch.block_diag(a, b)), not as one list.
    varargs: bool = False

    def describe(self) -> str:
        """Short label listing each tensor; `*[...]` when they are passed as separate arguments."""
        text = "[" + ", ".join(t.describe() for t in self.items) + "]"
        return f"*{text}" if self.varargs else text


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


#: How a size argument is written in a call: `zeros((2, 3))`, `zeros([2, 3])`, `zeros(2, 3)`.
SIZE_FORMS = ("tuple", "list", "varargs")


@dataclass(frozen=True)
class SizeArg:
    """A creation op's size: its dimensions and how the call writes them (`SIZE_FORMS`)."""

    dims: tuple[int, ...]
    form: str = "tuple"

    def __post_init__(self) -> None:
        if self.form not in SIZE_FORMS:
            raise ValueError(f"unknown size form {self.form!r}; expected one of {', '.join(SIZE_FORMS)}")

    def python(self) -> tuple[int, ...] | list[int]:
        """The value a call passes: a tuple, or a list; separate ints (varargs) travel as a tuple."""
        return list(self.dims) if self.form == "list" else tuple(self.dims)

    def describe(self) -> str:
        """`(2, 3)`, `[2, 3]`, or `*(2, 3)` for separate ints."""
        inner = ", ".join(str(d) for d in self.dims)
        if self.form == "list":
            return f"[{inner}]"
        text = f"({inner},)" if len(self.dims) == 1 else f"({inner})"
        return f"*{text}" if self.form == "varargs" else text


ArgValue = Union[  # noqa: UP007 (runtime alias on 3.10)
    TensorArg, TensorListArg, DtypeArg, OutArg, SizeArg, int, float, bool, str, None, tuple[Any, ...]
]


def describe_value(value: ArgValue) -> str:
    """A short human-readable label for one argument value."""
    if isinstance(value, (TensorArg, TensorListArg, DtypeArg, OutArg, SizeArg)):
        return value.describe()
    return repr(value)


_RECIPES = (TensorArg, TensorListArg, DtypeArg, OutArg, SizeArg)
_PLAIN = frozenset({int, str, bool, type(None)})


def _canonical(value: Any) -> Any:
    """A JSON-able form of a value, used for stable ids."""
    # Every case id is built from this, so the common leaves (ints, strings, None, floats:
    # literal tensors hold thousands) are recognized first, by their exact type.
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is float:
        return value if value == value else "nan"
    if isinstance(value, _RECIPES):
        fields = vars(value).items()
        # A list passed as one argument keeps the id it had before `varargs` existed.
        return {"type": type(value).__name__, **{k: _canonical(v) for k, v in fields if k != "varargs" or v}}
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
    # Canonical parameters passed by keyword even where the implementation lists them as
    # positional: a few cases per parameter check that each side accepts its name.
    by_keyword: tuple[str, ...] = ()
    id: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", self.make_id())

    def make_id(self) -> str:
        """A stable id: the spec id and a hash of the arguments."""
        identity: Any = _canonical(list(self.args))
        if self.by_keyword:  # only then: every other case keeps its id (baselines name them)
            identity = [identity, {"by_keyword": list(self.by_keyword)}]
        blob = json.dumps(identity, sort_keys=True, default=str)
        digest = hashlib.sha1(blob.encode()).hexdigest()[:10]
        return f"{self.spec_id}-{digest}"

    @property
    def arg_dict(self) -> dict[str, ArgValue]:
        """The arguments as a dict (canonical names)."""
        return dict(self.args)

    @property
    def facet_dict(self) -> dict[str, str]:
        """Facets as a dict: what makes this case interesting (dtype, rank, special…).

        Built once per case and shared (classification asks tens of times per case):
        read it, never change it.
        """
        cached: dict[str, str] | None = self.__dict__.get("_facet_dict")
        if cached is None:
            cached = dict(self.facets)
            object.__setattr__(self, "_facet_dict", cached)  # a cache, not a field: frozen stays true
        return cached

    def __getstate__(self) -> dict[str, Any]:
        """The fields only: a case travels to workers without its caches."""
        return {k: v for k, v in self.__dict__.items() if k != "_facet_dict"}

    @property
    def label(self) -> str:
        """Human-readable label, e.g. `input=int8[3,4] dim=1 dtype=float32`."""
        text = " ".join(f"{k}={describe_value(v)}" for k, v in self.args)
        return f"{text} (by keyword: {', '.join(self.by_keyword)})" if self.by_keyword else text


@dataclass(frozen=True)
class Implementation:
    """One callable implementing the API in one framework."""

    framework: str
    api: str  # import path, e.g. "mindspore.ops.cumsum" or "torch.Tensor.cumsum"
    params: tuple[tuple[str, str | None], ...]  # canonical name -> name here, or None
    positional: tuple[str, ...] = ()  # canonical params passed positionally, in order
    method: bool = False  # called as a method of the first tensor parameter
    line: int | None = field(default=None, compare=False)
    # canonical name -> ((canonical value, value passed here), ...): torch's unbiased=True is ddof=1
    value_map: tuple[tuple[str, tuple[tuple[Any, Any], ...]], ...] = ()
    # The live overloads the spec covers, each by its parameter names here; empty: those taking
    # every mapped name (see apicompat.classify.signatures.select_overloads).
    overloads: tuple[tuple[str, ...], ...] = ()
    # Per output, how it is put in canonical form before it is compared: "columns" or "rows"
    # (defined up to the sign of each; apicompat.records.canonical), or "" (as returned).
    canonical: tuple[str, ...] = ()

    def native_value(self, canonical: str, value: Any) -> Any:
        """The value this callable is passed for a canonical parameter's value (mapped if listed)."""
        for name, pairs in self.value_map:
            if name == canonical:
                for before, after in pairs:
                    # The type too: True, 1 and 1.0 are different canonical values.
                    if type(before) is type(value) and before == value:
                        return after
                raise ValueError(f"{self.api}: no value_map entry for {canonical}={value!r}")
        return value

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
