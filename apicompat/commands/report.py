"""`apicompat report`: run specs and write pages, JSON and the index (and, with --html, a static site)."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from apicompat.commands.envs import other_versions
from apicompat.commands.progress import make_progress
from apicompat.commands.running import (
    config_from,
    interrupted,
    load_inputs,
    refusal,
    remove_partial,
    run_all,
)
from apicompat.records import ApicompatError, SpecResult, TargetResult, VerdictKind
from apicompat.report import write_index, write_reports
from apicompat.report.atomic import WriteError, check_writable_dir
from apicompat.run.preflight import SpecRefused

#: Where `--html` writes the site, inside the output directory (docs/report-format.md).
HTML_DIR = "html"


def differs(target: TargetResult) -> bool:
    """Whether a target's verdict says it differs or cannot run (minor differences never count)."""
    if target.verdict is None:
        return bool(target.differences)
    return target.verdict.kind in (VerdictKind.DIFFERS, VerdictKind.NOT_RUNNABLE)


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
    """Write DIR/<spec>.md, DIR/<spec>.json, DIR/index.md and with --html DIR/html/; exit 0
    (2 when a spec was refused: the others still get their pages)."""
    specs, handwritten = load_inputs(args)
    out = Path(args.out)
    check_writable_dir(out)  # a file of that name, a read-only disk: say so before any work is done
    # The partial results go once index.md is written too: an interrupt before that can resume.
    # Environments for --with are ready (installed if needed) before any worker starts.
    others = other_versions(getattr(args, "with_versions", None) or [])
    config = dataclasses.replace(config_from(args), cleanup=False, other_versions=others)
    results: list[SpecResult] = []
    refused: list[SpecRefused] = []
    try:
        with make_progress(args.quiet) as progress:
            progress.start(len(specs))
            for result in run_all(specs, handwritten, config, progress, refused=refused):
                write_reports(result, out)  # as each spec finishes, atomically: an interrupt keeps them
                results.append(result)
                note_faults(result)
                differing = sum(1 for t in result.targets if differs(t))
                progress.spec_finished(
                    result.spec_id,
                    result.cases,
                    f"{result.spec_id}: {result.cases} cases, {len(result.targets)} target(s), "
                    f"{differing} with differences -> {out / (result.spec_id + '.md')}",
                )
        write_index(results, out)
        if args.html:
            write_site(results, out / HTML_DIR)
    except KeyboardInterrupt as exc:  # also while this command writes a page or the index
        raise interrupted(config, specs, exc) from None
    except WriteError as exc:  # a disk that fills up: the finished specs' results are kept
        raise ApicompatError(f"{exc}; {RESUME_HINT}") from None
    remove_partial(config, specs)
    print(summary(results, out, html=args.html))
    if refused:
        raise refusal(refused)
    return 0


def write_site(results: list[SpecResult], directory: Path) -> None:
    """Write the HTML site (Jinja2 is imported only when a site is asked for)."""
    from apicompat.report.html import write_html_site

    try:
        write_html_site(results, directory)
    except OSError as exc:
        raise ApicompatError(f"cannot write the HTML site into {directory}: {exc.strerror or exc}") from None


def summary(results: list[SpecResult], out: Path, *, html: bool) -> str:
    """The final line: specs, cases, targets with differences, and where the index is."""
    targets = sum(len(r.targets) for r in results)
    differing = sum(1 for r in results for t in r.targets if differs(t))
    cases = sum(r.cases for r in results)
    where = str(out / "index.md") + (f" and {out / HTML_DIR / 'index.html'}" if html else "")
    return (
        f"apicompat report: {len(results)} spec(s), {cases} cases, {differing} of {targets} target(s) "
        f"with differences -> {where}"
    )
