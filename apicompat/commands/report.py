"""`apicompat report`: run specs and write pages, JSON and the index."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

from apicompat.commands.running import (
    config_from,
    interrupted,
    load_inputs,
    refusal,
    remove_partial,
    run_all,
)
from apicompat.records import ApicompatError
from apicompat.report import render_index, write_reports, write_text_atomic
from apicompat.run.preflight import SpecRefused


def run(args: argparse.Namespace) -> int:
    """Write DIR/<spec>.md, DIR/<spec>.json and DIR/index.md; exit 0 (2 when a spec was refused)."""
    specs, handwritten = load_inputs(args)
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a file of that name, no permission: say so before any work is done
        raise ApicompatError(f"cannot create the output directory {out}: {exc.strerror or exc}") from None
    # The partial results go once index.md is written too: an interrupt before that can resume.
    config = dataclasses.replace(config_from(args), cleanup=False)
    results = []
    refused: list[SpecRefused] = []
    try:
        for result in run_all(specs, handwritten, config, refused):
            write_reports(result, out)  # as each spec finishes (atomically): an interrupted run keeps them
            results.append(result)
            differing = sum(1 for t in result.targets if t.differences)
            print(
                f"{result.spec_id}: {result.cases} cases, {len(result.targets)} target(s), "
                f"{differing} with differences -> {out / (result.spec_id + '.md')}"
            )
        write_text_atomic(
            out / "index.md", render_index(results, {r.spec_id: f"{r.spec_id}.md" for r in results})
        )
    except KeyboardInterrupt as exc:  # also while this command writes a page or the index
        raise interrupted(config, specs, exc) from None
    remove_partial(config, specs)
    if refused:
        raise refusal(refused)
    return 0
