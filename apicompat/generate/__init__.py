"""Generate cases from a spec and a seed: systematic sweeps, then seeded random cases.

The generate layer imports only apicompat.spec and apicompat.records.
"""

from __future__ import annotations

from apicompat.generate.cases import generate_cases, iter_cases
from apicompat.generate.facets import GROUPS

__all__ = ["GROUPS", "generate_cases", "iter_cases"]
