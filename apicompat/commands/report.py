"""`apicompat report`: run specs and write pages, JSON and the index."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from apicompat.commands.running import config_from, interrupted, load_inputs, remove_partial, run_all
from apicompat.records import ApicompatError, SpecResult
from apicompat.report import render_index, write_reports, write_text_atomic
from apicompat.report.atomic import WriteError, check_writable_dir

#: What to do after a report could not be written: the run's results are kept as partial results.
RESUME_HINT = "make room (or fix the directory) and run the same command with --resume to finish"


def note_faults(result: SpecResult) -> None:
    """Say on stderr (a CI log) that a spec's run survived faults from outside, if it did."""
    faults = result.faults
    if faults.retried:
        reasons = ", ".join(f"{reason}: {count}" for reason, count in faults.reasons)
        print(
            f"apicompat: {result.spec_id}: {faults.retried} execution(s) ran again after a fault from "
            f"outside that did not repeat ({reasons}); the results are those of the runs that followed",
            file=sys.stderr,
        )


def run(args: argparse.Namespace) -> int:
    """Write DIR/<spec>.md, DIR/<spec>.json and DIR/index.md; exit 0."""
    specs, handwritten = load_inputs(args)
    out = Path(args.out)
    check_writable_dir(out)  # a file of that name, a read-only disk: say so before any work is done
    # The partial results go once index.md is written too: an interrupt before that can resume.
    config = dataclasses.replace(config_from(args), cleanup=False)
    results = []
    try:
        for result in run_all(specs, handwritten, config):
            write_reports(result, out)  # as each spec finishes (atomically): an interrupted run keeps them
            results.append(result)
            differing = sum(1 for t in result.targets if t.differences)
            print(
                f"{result.spec_id}: {result.cases} cases, {len(result.targets)} target(s), "
                f"{differing} with differences -> {out / (result.spec_id + '.md')}"
            )
            note_faults(result)
        write_text_atomic(
            out / "index.md", render_index(results, {r.spec_id: f"{r.spec_id}.md" for r in results})
        )
    except KeyboardInterrupt as exc:  # also while this command writes a page or the index
        raise interrupted(config, specs, exc) from None
    except WriteError as exc:  # a disk that fills up: the finished specs' results are kept
        raise ApicompatError(f"{exc}; {RESUME_HINT}") from None
    remove_partial(config, specs)
    return 0
