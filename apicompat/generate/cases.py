"""Cases from a spec and a seed: the systematic sweeps first, then seeded random ones."""

from __future__ import annotations

from collections.abc import Iterator

from apicompat.generate.random_cases import random_case
from apicompat.generate.sweeps import systematic_cases
from apicompat.records import Case
from apicompat.spec import Spec

# Random ids repeat only when a spec has (almost) no freedom, e.g. no tensors and a
# few values; after this many repeats in a row the space is taken as exhausted.
_MAX_REPEATS = 1000


def iter_cases(spec: Spec, seed: int, budget: int | None = None) -> Iterator[Case]:
    """Yield the cases of `spec` lazily: systematic first, then random ones up to `budget`."""
    if budget is not None and budget < 0:
        raise ValueError(f"budget must be None or >= 0, got {budget}")
    seen: set[str] = set()
    for case in systematic_cases(spec):
        if budget is not None and len(seen) >= budget:
            return
        if case.id not in seen:
            seen.add(case.id)
            yield case
    if budget is None:
        return
    index = repeats = 0
    while len(seen) < budget and repeats < _MAX_REPEATS:
        case = random_case(spec, seed, index)
        index += 1
        if case.id in seen:
            repeats += 1
            continue
        repeats = 0
        seen.add(case.id)
        yield case


def generate_cases(spec: Spec, seed: int, budget: int | None = None) -> list[Case]:
    """All cases of `spec` for `seed` as a list (see iter_cases)."""
    return list(iter_cases(spec, seed, budget))
