"""Cases that pass a positional parameter by keyword: each side must accept the name the spec gives it.

The sweeps call every parameter a spec lists as `positional` by position, so a name
the target does not take would never be tried. A few copies of everyday cases per
such parameter name it instead; what they return is compared with the positional
call they copy (apicompat.classify.calls).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from apicompat.records import Case, TensorArg, TensorListArg
from apicompat.spec import ParamKind, Spec

#: Copies per parameter: enough to tell a rejected name from a dtype the target rejects anyway.
PER_PARAM = 2
_EVERYDAY = ("dtype_sweep", "rank_sweep", "optional")


def keyword_cases(spec: Spec, cases: Sequence[Case], per_param: int = PER_PARAM) -> list[Case]:
    """For each parameter some implementation takes positionally, `per_param` copies of everyday
    cases that pass it by keyword (float32 inputs of rank 1 or more first, in-range axes)."""
    positional = dict.fromkeys(c for impl in spec.implementations for c in impl.positional)
    # Tensors passed as separate arguments (torch.block_diag(*tensors)) have no name to pass, and
    # neither has a parameter before them (einsum's equation): naming it would name them too.
    spread = {p.name for p in spec.params if p.varargs and p.kind is ParamKind.TENSORS}
    for impl in spec.implementations:
        cut = next((j for j, c in enumerate(impl.positional) if c in spread), None)
        for name in impl.positional[: cut + 1] if cut is not None else ():
            positional.pop(name, None)
    out: list[Case] = []
    for name in positional:
        bases = [c for c in cases if _everyday(c) and name in c.arg_dict]
        # float32 and rank >= 1 first (what every framework takes); stable: generation order after.
        bases.sort(key=lambda c: (c.facet_dict.get("dtype") != "float32", c.facet_dict.get("rank") == "0"))
        for base in bases[:per_param]:
            facets = tuple((k, v) for k, v in base.facets if k != "group")
            out.append(
                dataclasses.replace(
                    base,
                    by_keyword=(name,),
                    facets=(("group", "keyword"), ("keyword", name), ("copies", base.id), *facets),
                    id="",
                )
            )
    return out


def base_of(case: Case) -> str | None:
    """The id of the positional case a keyword case copies; None for any other case."""
    return case.facet_dict.get("copies") if case.by_keyword else None


def _everyday(case: Case) -> bool:
    facets = case.facet_dict
    if facets.get("group") not in _EVERYDAY or case.origin != "generated":
        return False
    if any(k.startswith("axis:") and v != "in_range" for k, v in facets.items()):
        return False
    tensors = [v for _, v in case.args if isinstance(v, (TensorArg, TensorListArg))]
    return all(t.fill == "random" for t in tensors if isinstance(t, TensorArg))
