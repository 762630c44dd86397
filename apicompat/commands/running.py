"""Load specs and hand-written cases, and run them in one worker session."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

from apicompat.execute import RunOptions, Session
from apicompat.generate.handwritten import load_case_dir
from apicompat.pipeline import RunConfig, run_spec
from apicompat.records import Case, SpecResult
from apicompat.spec import Spec, load_specs


def config_from(args: argparse.Namespace) -> RunConfig:
    """The run configuration the command-line options describe."""
    options = RunOptions(timeout=args.timeout, memory_mb=args.memory_mb)
    return RunConfig(seed=args.seed, devices=tuple(args.device), budget=args.cases, options=options)


def load_inputs(args: argparse.Namespace) -> tuple[list[Spec], dict[str, list[Case]]]:
    """Specs from the given paths (default specs/) and their hand-written cases."""
    specs = load_specs(args.paths or ["specs"])
    handwritten: dict[str, list[Case]] = {}
    cases_dir = Path(args.cases_dir)
    if cases_dir.is_dir():
        for case in load_case_dir(cases_dir, {s.id: s for s in specs}):
            handwritten.setdefault(case.spec_id, []).append(case)
    return specs, handwritten


def run_all(specs: list[Spec], handwritten: dict[str, list[Case]], config: RunConfig) -> Iterator[SpecResult]:
    """Run each spec in turn, reusing the workers; yields results as they finish."""
    with Session(config.options) as session:
        for spec in specs:
            print(f"apicompat: running {spec.id} ({spec.source.api})", file=sys.stderr)
            yield run_spec(spec, session, config, handwritten.get(spec.id, []))
