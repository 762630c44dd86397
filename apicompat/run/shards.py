"""Split a suite of specs into N stable shares, so a CI matrix can spread them over machines.

Specs are ordered by id and dealt round-robin: shard i of N takes positions
i-1, i-1+N, i-1+2N, ... Every spec lands in exactly one shard, the shares differ
in size by at most one, and neither file order nor the paths given change them.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

_SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True)
class Shard:
    """Shard `index` (1-based) of `count`."""

    index: int
    count: int

    def __post_init__(self) -> None:
        if self.count < 1 or not 1 <= self.index <= self.count:
            raise ValueError(f"a shard is i/N with 1 <= i <= N, got {self.index}/{self.count}")

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def select(self, items: Sequence[T], key: Callable[[T], str]) -> list[T]:
        """This shard's share of `items`, in their original order."""
        ranked = sorted(range(len(items)), key=lambda i: (key(items[i]), i))
        mine = {pos for rank, pos in enumerate(ranked) if rank % self.count == self.index - 1}
        return [item for pos, item in enumerate(items) if pos in mine]


def parse_shard(text: str) -> Shard:
    """`2/4` -> Shard(2, 4); raises ValueError with the accepted form."""
    match = _SHARD.match(text)
    if not match:
        raise ValueError(f"expected i/N such as 1/4, got {text!r}")
    index, count = int(match.group(1)), int(match.group(2))
    if count < 1:
        raise ValueError(f"the number of shards must be at least 1, got {text!r}")
    if not 1 <= index <= count:
        raise ValueError(f"the shard number must be between 1 and {count}, got {text!r}")
    return Shard(index, count)


def shard_option(text: str) -> Shard:
    """argparse type for `--shard i/N`: a usage error (exit 2) with a clear message otherwise."""
    try:
        return parse_shard(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
