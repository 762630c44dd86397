"""A stand-in for Session.run in engine tests of the run layer: observations from a Python rule."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import cast

from apicompat.execute import Session
from apicompat.records import Case, Implementation, Observation

Rule = Callable[[Implementation, Case], Observation]


class StubSession:
    """Runs every case on every job by `rule`, and records each run as (api, number of cases)."""

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.runs: list[tuple[str, int]] = []

    def run(
        self, jobs: Sequence[tuple[Implementation, str]], cases: Sequence[Case]
    ) -> dict[tuple[str, str], list[Observation]]:
        self.runs += [(impl.api, len(cases)) for impl, _ in jobs]
        return {(impl.api, device): [self.rule(impl, c) for c in cases] for impl, device in jobs}

    def as_session(self) -> Session:
        """This stub where a Session is expected (only `run` is called)."""
        return cast(Session, self)
