"""Did-you-mean suggestions for misspelt keys, names and enum values."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice closest to `word`, or None when nothing is close enough."""
    options = [c for c in choices if isinstance(c, str)]
    # Case slips (Float32, Dim) are the commonest typo; match them first.
    lowered = {c.lower(): c for c in options}
    key = word.lower()
    if key in lowered:
        return lowered[key]
    candidates = difflib.get_close_matches(key, list(lowered), n=5, cutoff=0.6)
    if not candidates:
        return None
    # difflib's ratio favours shorter words ('int9' -> 'int'); fewer edits, then equal length, win.
    best = min(candidates, key=lambda c: (_edits(key, c), abs(len(c) - len(key))))
    return lowered[best]


def did_you_mean(word: object, choices: Iterable[str]) -> str | None:
    """A hint such as "did you mean 'tensor'?", or None."""
    if not isinstance(word, str):
        return None
    match = closest(word, choices)
    return None if match is None or match == word else f"did you mean '{match}'?"


def one_of(choices: Iterable[object]) -> str:
    """Choices as a readable list: `a, b, c`."""
    return ", ".join(str(c) for c in choices)


def _edits(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions, swaps."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[len(b)]
