"""A case with optional parameters it omits given: everyday values, as the sweeps would choose them.

`mindspore.ops.batch_norm` requires `weight` and `bias`, which torch's batch_norm makes optional:
a case that omits them raises there and measures nothing. The same call with them given (a tensor
of the parameter's own shape rule, a listed value) measures the rest of the behaviour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from apicompat.generate.build import Primary, derive_seed, required_value
from apicompat.generate.facets import primary_param
from apicompat.records import ArgValue, Case, TensorArg, TensorListArg
from apicompat.spec import Spec


def with_given(spec: Spec, case: Case, names: Sequence[str]) -> Case | None:
    """`case` with each parameter of `names` it omits given an everyday value (new tensors seeded
    from the case's id, the case's own tensors kept); None when there is no primary tensor to
    size them by."""
    first = primary_param(spec)
    tensor = case.arg_dict.get(first.name) if first is not None else None
    if first is None or not isinstance(tensor, TensorArg):
        return None
    listed = [tuple(s) for s in first.shapes]
    index = listed.index(tensor.shape) if tensor.shape in listed else 0
    primary = Primary(dtype=tensor.dtype, shape=tensor.shape, shape_index=index)
    given = dict(case.args)
    filled = [name for name in names if name not in given]
    for name in filled:
        given[name] = _seeded(required_value(spec.param(name), primary), case.id, name)
    order = [p.name for p in spec.params]
    args = tuple(sorted(given.items(), key=lambda kv: order.index(kv[0])))
    facets = tuple((k, "given" if k.removeprefix("param:") in filled else v) for k, v in case.facets)
    return Case(case.spec_id, args, facets, origin=f"given:{','.join(filled)}")


def _seeded(value: ArgValue, case_id: str, name: str) -> ArgValue:
    """A new tensor (or list) with a seed of its own, derived from the case and the parameter."""
    if isinstance(value, TensorArg):
        return replace(value, seed=derive_seed("given", case_id, name))
    if isinstance(value, TensorListArg):
        items = tuple(
            replace(t, seed=derive_seed("given", case_id, name, n)) for n, t in enumerate(value.items)
        )
        return TensorListArg(items)
    return value
