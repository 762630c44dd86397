"""Facets: the tags the classifier groups generated cases by (group, dtype, rank, …)."""

from __future__ import annotations

from collections.abc import Sequence

from apicompat.generate.dependent import bound_label, first_tensor, index_label
from apicompat.generate.secondary import relation
from apicompat.generate.shapes import LARGE_ELEMENTS, axis_is_valid, shape_label
from apicompat.generate.sizes import dims_label, form_label
from apicompat.records import ArgValue, DtypeArg, OutArg, SizeArg, TensorArg, TensorListArg, dtype_category
from apicompat.spec import Param, ParamKind, Spec
from apicompat.spec.model import ShapeRule
from apicompat.spec.relations import primary_name

#: The values of the `group` facet, in the order the sweeps run.
GROUPS = (
    "dtype_sweep",
    "shapes",
    "rank_sweep",
    "empty",
    "size1",
    "large",
    "special",
    "list",
    "optional",
    "out",
    "probe",
    "random",
)

AXIS_KINDS = (ParamKind.AXIS, ParamKind.AXES)
TENSOR_KINDS = (ParamKind.TENSOR, ParamKind.TENSORS)


#: Secondary parameters that may hold a tensor whose shape follows a rule.
SHAPED_KINDS = (ParamKind.TENSOR, ParamKind.TENSOR_OR_SCALAR, ParamKind.INDEX)


def primary_param(spec: Spec) -> Param | None:
    """The tensor the sweeps vary: the one marked primary, else the first TENSOR or TENSORS."""
    name = primary_name(spec.params)
    return spec.param(name) if name is not None else None


def value_label(value: ArgValue) -> str:
    """The label of a given optional value: dtype name, `True`, `2`, `given` for tensors."""
    if isinstance(value, DtypeArg):
        return value.name
    if isinstance(value, SizeArg):
        return value.describe()
    if isinstance(value, (OutArg, TensorArg, TensorListArg)):
        return "given"
    if isinstance(value, float) and value != value:
        return "nan"
    return repr(value)


def axis_label(value: ArgValue, rank: int) -> str:
    """`out_of_range` if any axis is invalid for `rank`, else `negative` or `in_range`."""
    axes = value if isinstance(value, tuple) else (value,)
    ints = [a for a in axes if isinstance(a, int) and not isinstance(a, bool)]
    if any(not axis_is_valid(a, rank) for a in ints):
        return "out_of_range"
    return "negative" if any(a < 0 for a in ints) else "in_range"


def special_label(tensor: TensorArg) -> str | None:
    """`nan_inf` or `overflow` for the fills that materialize as such, else None."""
    kind = dtype_category(tensor.dtype)
    if tensor.fill == "special" and kind in ("float", "complex"):
        return "nan_inf"
    # arrays.materialize fills integer tensors asked for "special" with overflow values.
    if tensor.fill == "overflow" or (tensor.fill == "special" and kind == "int"):
        return "overflow"
    return None


def tensor_facets(tensor: TensorArg) -> list[tuple[str, str]]:
    """dtype, rank, shape, and the empty / large / special flags of the primary tensor."""
    facets = [
        ("dtype", tensor.dtype),
        ("rank", str(len(tensor.shape))),
        ("shape", shape_label(tensor.shape)),
    ]
    if 0 in tensor.shape:
        facets.append(("empty", "true"))
    if tensor.size >= LARGE_ELEMENTS:
        facets.append(("large", "true"))
    special = special_label(tensor)
    if special is not None:
        facets.append(("special", special))
    return facets


def case_facets(spec: Spec, group: str, args: Sequence[tuple[str, ArgValue]]) -> tuple[tuple[str, str], ...]:
    """Every facet of one generated case, in a fixed order."""
    given = dict(args)
    facets: list[tuple[str, str]] = [("group", group)]
    primary = primary_param(spec)
    tensor = first_tensor(given[primary.name]) if primary and primary.name in given else None
    if tensor is not None:
        facets.extend(tensor_facets(tensor))
    invalid = False
    for param in spec.params:
        if param.kind in AXIS_KINDS and param.name in given:
            label = axis_label(given[param.name], _rank_of(spec, param, given))
            invalid = invalid or label == "out_of_range"
            facets.append((f"axis:{param.name}", label))
    relations = relation_facets(spec, given)
    facets += relations
    invalid = invalid or any(_invalid(key, label) for key, label in relations)
    for param in spec.params:
        if not param.required:
            label = value_label(given[param.name]) if param.name in given else "omitted"
            facets.append((f"param:{param.name}", label))
    if invalid:
        facets.append(("expect_error", "true"))
    return tuple(facets)


# Labels of relation facets that make a call invalid for the source.
# (Index values past the end or negative are not among them: torch.take_along_dim wraps both,
# index_fill counts -1 from the end, gather rejects both; the reference says which.)
_INVALID_LABELS = frozenset({"mismatch"})
# A negative size is invalid for every creation op (torch.zeros(-1) raises).
_INVALID_BY_FACET = {"dims": frozenset({"negative"})}


def _invalid(key: str, label: str) -> bool:
    """Whether a relation facet's label makes the call invalid for the source."""
    return label in _INVALID_LABELS or label in _INVALID_BY_FACET.get(key.partition(":")[0], frozenset())


def relation_facets(spec: Spec, given: dict[str, ArgValue]) -> list[tuple[str, str]]:
    """Facets of the format's relations: list items, operands, shape rules, indexes, bounded ints."""
    facets: list[tuple[str, str]] = []
    primary = primary_param(spec)
    base = first_tensor(given[primary.name]) if primary and primary.name in given else None
    for param in spec.params:
        value = given.get(param.name)
        if value is None and param.name not in given:
            continue
        if isinstance(value, TensorListArg) and param is primary:
            facets.append((f"items:{param.name}", str(len(value.items))))
            facets += _list_facets(param.name, value)
        if param.kind is ParamKind.TENSOR_OR_SCALAR:
            facets.append((f"operand:{param.name}", "tensor" if isinstance(value, TensorArg) else "scalar"))
        if param.kind is ParamKind.INDEX and isinstance(value, TensorArg):
            facets.append((f"index:{param.name}", index_label(param, value, given)))
            if len(param.dtypes) > 1:
                # The index's own dtype, so a target that takes only int32 indices is told by it.
                facets.append((f"dtype:{param.name}", value.dtype))
        if param.kind is ParamKind.INT and param.along is not None:
            facets.append((f"bound:{param.name}", bound_label(param, value, given)))
        if isinstance(value, SizeArg):
            facets.append((f"size:{param.name}", form_label(value)))
            facets.append((f"dims:{param.name}", dims_label(value.dims)))
        # A vector index's shape is told by its index facet (longer, narrower), not a shape rule.
        shaped = param.kind in SHAPED_KINDS and param.shape not in (ShapeRule.SAME, ShapeRule.VECTOR)
        if shaped and isinstance(value, TensorArg) and base is not None and param is not primary:
            facets.append((f"shape:{param.name}", relation(param.shape, base.shape, value.shape)))
    return facets


def _list_facets(name: str, value: TensorListArg) -> list[tuple[str, str]]:
    """Whether a list's items differ in shape or dtype (cat's ragged and mixed lists)."""
    kinds = []
    shapes = {t.shape for t in value.items}
    if (0,) in shapes and len(shapes) > 1:
        kinds.append("with_1d_empty")  # torch.cat skips such items whatever their rank
    elif len(shapes) > 1:
        kinds.append("ragged")
    if len({t.dtype for t in value.items}) > 1:
        kinds.append("mixed_dtypes")
    return [(f"list:{name}", "_".join(kinds))] if kinds else []


def _rank_of(spec: Spec, axis: Param, given: dict[str, ArgValue]) -> int:
    """Rank of the tensor an axis parameter indexes (its `of`, else the primary)."""
    primary = primary_param(spec)
    name = axis.of or (primary.name if primary else None)
    tensor = first_tensor(given[name]) if name is not None and name in given else None
    return len(tensor.shape) if tensor is not None else 0
