"""What the fresh pass found: target-only failures run again in a fresh worker (apicompat.run.fresh)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from apicompat.records.observations import Observation

#: The subject of the row that says a target fails after earlier calls in the same process.
AFTER_CALLS = "target_rejects:after_earlier_calls"


@dataclass(frozen=True)
class AfterCalls:
    """Cases one target failed in its run while the source and the reference returned, and that
    returned when run again in a fresh worker: the failure came from the calls before them.

    `probe` is the case the page reproduces; `trigger` the one earlier case of the spec after
    which `probe` fails again in a fresh worker, when a single one does (run with `trigger_api`);
    `preceding` how many earlier calls the shortest failing sequence found held (0: not reproduced in
    a fresh worker with this spec's earlier calls), and `reproduced` the failure that sequence gave.
    """

    cases: tuple[str, ...]  # in case order
    first: dict[str, Observation]  # case id -> the failing observation of the first run
    probe: str
    trigger: str | None = None
    trigger_api: str | None = None  # the implementation the trigger call ran (another target's, maybe)
    preceding: int = 0
    reproduced: Observation | None = None


@dataclass(frozen=True)
class FreshRuns:
    """Observations run again in fresh workers, and the history-dependent failures among them."""

    # (api, device) -> case id -> the fresh observation, reported instead of the first run's
    settled: dict[tuple[str, str], dict[str, Observation]] = field(default_factory=dict)
    after_calls: dict[tuple[str, str], AfterCalls] = field(default_factory=dict)
    executions: int = 0  # case executions the pass ran (its cost)

    def settle(self, api: str, device: str, observations: Sequence[Observation]) -> list[Observation]:
        """`observations` of (`api`, `device`) with the fresh ones in their place."""
        settled = self.settled.get((api, device), {})
        return [settled.get(o.case_id, o) for o in observations]
