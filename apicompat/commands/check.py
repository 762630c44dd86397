"""`apicompat check`: run specs and compare the measured differences with the accepted baseline.

Exit 0 when they match, 1 when a difference is new or (strict) an accepted one
is no longer measured, 2 for usage, spec or baseline errors.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from pathlib import Path

from apicompat.commands.progress import make_progress
from apicompat.commands.report import RESUME_HINT, note_faults
from apicompat.commands.running import config_from, load_inputs, refusal, run_all
from apicompat.conformance import (
    Baseline,
    format_verdict,
    judge,
    junit_suites,
    load_baseline,
    save_baseline,
    updated_baseline,
)
from apicompat.records import ApicompatError, SpecResult
from apicompat.report import write_index, write_reports
from apicompat.report.atomic import WriteError, check_writable_dir
from apicompat.report.junit import write_junit
from apicompat.run.preflight import SpecRefused

# The CLI's exit codes (apicompat.cli); commands may not import the CLI module.
EXIT_OK, EXIT_DIFFERENCES = 0, 1


def run(args: argparse.Namespace) -> int:
    """Run the specs (or this shard's share), judge them against the baseline, write JUnit; 0 or 1."""
    specs, handwritten = load_inputs(args)
    progress = make_progress(args.quiet)
    if args.shard is not None:
        specs = args.shard.select(specs, key=lambda s: s.id)
        progress.note(
            f"apicompat check: shard {args.shard} runs {len(specs)} spec(s): "
            f"{', '.join(s.id for s in specs) or '-'}"
        )
    baseline_path = Path(args.baseline)
    # Read the baseline before the (long) run, so a broken file fails fast.
    baseline = load_baseline(baseline_path, missing_ok=args.update_baseline)
    devices = tuple(args.device)
    out = Path(args.out) if args.out else None
    if out is not None:
        check_writable_dir(out)  # before the (long) run, as the baseline is read first

    results: list[SpecResult] = []
    durations: dict[str, float] = {}
    refused: list[SpecRefused] = []
    # Drift runs (so its other differences are still judged) and then fails as its own item.
    config = dataclasses.replace(config_from(args), allow_drift=True)
    try:
        if specs:
            started = time.monotonic()
            with progress:
                progress.start(len(specs))
                for result in run_all(specs, handwritten, config, progress, refused=refused):
                    now = time.monotonic()
                    durations[result.spec_id], started = now - started, now
                    results.append(result)
                    note_faults(result)
                    if out is not None:
                        write_reports(result, out)  # as each spec finishes: an interrupted run keeps them
                    progress.spec_finished(result.spec_id, result.cases)
        if out is not None:
            write_index(results, out)
    except WriteError as exc:  # a disk that fills up: the results so far are kept as partial results
        raise ApicompatError(f"{exc}; {RESUME_HINT}") from None

    if args.update_baseline:
        new = updated_baseline(baseline, results, devices)
        save_baseline(baseline_path, new)
        print(_baseline_change(baseline, new, baseline_path))
        baseline = new

    verdict = judge(results, baseline, devices, strict=args.strict)
    if args.junit:
        write_junit(args.junit, junit_suites(verdict, results, durations))
    print(format_verdict(verdict))
    drift = drift_items(results)
    for line in drift:
        print(line)
    if refused:
        raise refusal(refused)
    if verdict.failed or drift:
        print(
            f"\nTo accept the measured behaviour, run `apicompat check --update-baseline` with the same "
            f"options and commit the change to {baseline_path}; otherwise fix the cause."
        )
    return EXIT_DIFFERENCES if verdict.failed or drift else EXIT_OK


def drift_items(results: list[SpecResult]) -> list[str]:
    """One failing line per place a live signature contradicts a spec (after a framework upgrade)."""
    return [
        f"FAILED {result.spec_id} {target.api}: spec drift: {line}"
        for result in results
        for target in result.targets
        for line in target.drift
    ]


def _baseline_change(old: Baseline, new: Baseline, path: Path) -> str:
    """What --update-baseline changed, one key per line."""
    before, after = set(old.by_key()), set(new.by_key())
    added, removed = sorted(after - before), sorted(before - after)
    lines = [f"baseline {path}: {len(new.entries)} entries ({len(added)} added, {len(removed)} removed)"]
    lines += [f"  + {key}" for key in added]
    lines += [f"  - {key}" for key in removed]
    return "\n".join(lines)
