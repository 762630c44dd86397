"""Size arguments of creation ops: the sizes a spec lists, and the ways a call can write them.

`torch.zeros` takes its size as a tuple, a list or separate ints (`torch.zeros(2, 3)`);
MindSpore's functions take a tuple. Which forms a target accepts is an interface
difference a port meets at once, so the sweep writes the everyday size every way the
source takes it.
"""

from __future__ import annotations

from apicompat.records import SizeArg
from apicompat.spec import Param

#: How a page words each `size:<name>` facet value (the everyday `tuple` is never named).
FORM_WORDS = {"list": "as a list", "int": "as a single int", "separate_ints": "as separate ints"}

#: How a page names the sizes of a `dims:<name>` facet value (`positive` is everyday).
DIMS_WORDS = {"0d": "a 0-d `{name}` `()`", "empty": "a `{name}` with a zero dimension"}


def size_words(item: str) -> str | None:
    """A page's words for a `<name>=<facet value>` of a size facet (`size=separate_ints`), or None."""
    name, _, value = item.partition("=")
    if value in FORM_WORDS:
        return f"`{name}` given {FORM_WORDS[value]}"
    if value in DIMS_WORDS:
        return DIMS_WORDS[value].format(name=name)
    return None


def size_values(param: Param) -> list[SizeArg]:
    """Each listed size as a tuple, then the everyday one as a list and, where the source takes
    them, every non-empty size as separate ints (`torch.zeros(2, 3)`, `torch.zeros(4)`)."""
    sizes = [tuple(v) for v in param.values]
    values = [SizeArg(dims) for dims in sizes]
    if sizes:
        values.append(SizeArg(sizes[0], "list"))
    if param.varargs:
        # No dims at all would be `torch.zeros()`, a different call (a missing argument).
        values += [SizeArg(dims, "varargs") for dims in sizes if dims]
    return values


def everyday_size(param: Param) -> SizeArg:
    """The size cases use when they sweep something else: the first listed, as a tuple."""
    return SizeArg(tuple(param.values[0]) if param.values else (2, 3))


def dims_label(dims: tuple[int, ...]) -> str:
    """The `dims:<name>` facet: `negative` (the call must raise), `empty`, `0d` or `positive`."""
    if any(d < 0 for d in dims):
        return "negative"
    if 0 in dims:
        return "empty"
    return "0d" if not dims else "positive"


def form_label(size: SizeArg) -> str:
    """The `size:<name>` facet: `tuple`, `list`, `int` (`zeros(4)`) or `separate_ints` (`zeros(2, 3)`).

    One int and several are told apart: MindSpore's functions take `zeros(4)` but not `zeros(2, 3)`.
    """
    if size.form != "varargs":
        return size.form
    return "int" if len(size.dims) == 1 else "separate_ints"
