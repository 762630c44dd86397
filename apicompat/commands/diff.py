"""`apicompat diff OLD NEW`: the changelog between two report sets (directories of JSON reports)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from apicompat.records import ApicompatError, SpecResult
from apicompat.report import write_text_atomic
from apicompat.report.changelog import changelog
from apicompat.report.changelog_page import render_changelog, render_changelog_json, summary_line
from apicompat.report.load import is_report, load_result, read_report

EXIT_SAME, EXIT_CHANGED = 0, 1


def run(args: argparse.Namespace) -> int:
    """Print (or write) the changelog from OLD to NEW; exit 0 when nothing changed, 1 when something did."""
    old = load_report_set(Path(args.old))
    new = load_report_set(Path(args.new))
    log = changelog(old, new, old_label=str(args.old), new_label=str(args.new))
    text = render_changelog(log)
    if args.json:
        write_text_atomic(Path(args.json), render_changelog_json(log))
    if args.out:
        write_text_atomic(Path(args.out), text)
        print(f"apicompat diff: {summary_line(log)} -> {args.out}")
    else:
        sys.stdout.write(text)
    if not log.changed:
        print("no changes")
        return EXIT_SAME
    return EXIT_CHANGED


def load_report_set(path: Path) -> list[SpecResult]:
    """The reports in a directory (or one report file); other JSON there (a baseline) is skipped.

    Raises ApicompatError naming the file for a report of another format version, a
    damaged report, a spec found twice, or a directory without any report.
    """
    if path.is_dir():
        files = sorted(p for p in path.glob("*.json") if p.is_file() and not p.name.startswith("."))
    elif path.is_file():
        files = [path]
    else:
        raise ApicompatError(f"{path}: no such file or directory (expected a directory of apicompat reports)")
    results: dict[str, tuple[Path, SpecResult]] = {}
    for file in files:
        data = read_report(file)
        if not is_report(data):
            if path.is_file():
                raise ApicompatError(f"{file}: not an apicompat report (no format_version, spec and targets)")
            continue  # baseline.json and other JSON beside the reports
        result = load_result(data, str(file))
        if result.spec_id in results:
            other = results[result.spec_id][0]
            raise ApicompatError(
                f"{file}: spec '{result.spec_id}' is also reported in {other}; keep one report per spec"
            )
        results[result.spec_id] = (file, result)
    if not results:
        raise ApicompatError(
            f"{path}: not a report set: no apicompat JSON reports (*.json) in it; "
            "write one with `apicompat report --out DIR`"
        )
    return [results[spec][1] for spec in sorted(results)]
