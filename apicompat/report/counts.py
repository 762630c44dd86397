"""How many cases showed a difference: the one count every page, listing and changelog shows."""

from __future__ import annotations

from apicompat.records import Difference


def case_count(diff: Difference) -> int:
    """How many cases showed a difference (`cases` lists only the first few dozen)."""
    if diff.case_count:
        return diff.case_count
    count = diff.details.get("case_count")
    if isinstance(count, int) and not isinstance(count, bool):
        return count
    return len(diff.cases)
