"""The `apicompat` command line: argument parsing, dispatch, and error reporting.

Sub-commands import their layers lazily, so `apicompat --help` stays fast and
imports no framework.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from apicompat import __version__

EXIT_OK, EXIT_DIFFERENCES, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with a one-line hint instead of a usage dump on errors."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n(run '{self.prog} --help' for the options)\n")


def _devices(text: str) -> tuple[str, ...]:
    """Parse `cpu,gpu`."""
    from apicompat.frameworks import DEVICES

    names = tuple(d.strip() for d in text.split(",") if d.strip())
    bad = [d for d in names if d not in DEVICES]
    if not names or bad:
        raise argparse.ArgumentTypeError(
            f"unknown device {', '.join(bad) or text!r}; choose from {', '.join(DEVICES)}"
        )
    return names


def _whole_number(text: str) -> int:
    """Parse an int, or fail with a message argparse shows as it is."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None


def _positive_int(text: str) -> int:
    value = _whole_number(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a number greater than 0, got {value}")
    return value


#: The most cases per spec `--cases` accepts: far beyond a useful run, short of exhausting memory.
MAX_CASES = 100_000


def _case_budget(text: str) -> int:
    value = _positive_int(text)
    if value > MAX_CASES:
        raise argparse.ArgumentTypeError(f"expected at most {MAX_CASES} cases per spec, got {value}")
    return value


def _seed(text: str) -> int:
    value = _whole_number(text)
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"the seed must be between 0 and 2**63-1, got {value}")
    return value


def _retries(text: str) -> int:
    from apicompat.defaults import MAX_RETRIES

    value = _whole_number(text)
    if not 0 <= value <= MAX_RETRIES:
        raise argparse.ArgumentTypeError(f"expected a number of retries from 0 to {MAX_RETRIES}, got {value}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not value > 0 or value != value or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a finite number greater than 0, got {text}")
    return value


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by every command that runs specs."""
    from apicompat.defaults import DEFAULT_RETRIES, DEFAULT_SEED

    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="spec files or directories (default: specs/)"
    )
    parser.add_argument(
        "--seed", type=_seed, default=DEFAULT_SEED, help=f"case generation seed (default {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--device", type=_devices, default=("cpu",), metavar="cpu,gpu", help="devices (default cpu)"
    )
    parser.add_argument(
        "--cases",
        type=_case_budget,
        default=None,
        metavar="N",
        help="cases per spec: the systematic ones first, then random ones (default: systematic set)",
    )
    parser.add_argument(
        "--cases-dir",
        default="cases",
        metavar="DIR",
        help="hand-written cases (default cases/; ignored when missing)",
    )
    parser.add_argument(
        "--timeout", type=_positive_float, default=60.0, metavar="S", help="seconds per case (default 60)"
    )
    parser.add_argument(
        "--memory-mb",
        type=_positive_int,
        default=8192,
        metavar="MB",
        help="memory limit per worker process (default 8192)",
    )
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="print only errors and the final summary (no progress bar, no line per spec)",
    )
    parser.add_argument(
        "--retries",
        type=_retries,
        default=DEFAULT_RETRIES,
        metavar="N",
        help="runs again, alone in a fresh worker, of a case whose worker died or timed out; the "
        f"loss is recorded only once it repeats N+1 times, a SIGKILL N+3 times (default {DEFAULT_RETRIES})",
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="finish an interrupted run: reuse the results it kept in OUT/.apicompat-partial "
        "(same options required) and run only the rest",
    )


def build_parser() -> argparse.ArgumentParser:
    """The full command-line parser."""
    parser = _Parser(
        prog="apicompat",
        description="Measure how an API of one deep-learning framework maps onto another, "
        "and write verified migration pages.",
    )
    parser.add_argument("--version", action="version", version=f"apicompat {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    report = sub.add_parser(
        "report",
        help="run specs and write one page (Markdown + JSON) per API and index.md (--html: a site too)",
    )
    add_run_options(report)
    report.add_argument("--out", default="reports", metavar="DIR", help="output directory (default reports/)")
    report.add_argument(
        "--html",
        action="store_true",
        help="also write a static HTML site into DIR/html/: the mapping table, a support heatmap, "
        "a page per API (offline, no request leaves the directory)",
    )
    report.add_argument(
        "--with",
        dest="with_versions",
        action="append",
        metavar="FRAMEWORK==VERSION",
        help="also measure with this framework version, in a cached environment (repeatable); "
        "the pages gain a 'Changes between versions' section",
    )
    report.add_argument(
        "--allow-drift",
        action="store_true",
        help="write the page of a spec whose names or positional order a live signature contradicts "
        "(with a drift banner) instead of refusing it",
    )

    from apicompat.run.shards import shard_option

    check = sub.add_parser(
        "check",
        help="run specs and compare their differences with the accepted baseline (exit 1 on a change)",
        description="Run specs and compare the measured differences with the accepted baseline. "
        "Exit 0 when they match; 1 when a difference is new or an accepted one is no longer measured "
        "(stale; see --no-strict); 2 for usage, spec or baseline errors.",
    )
    add_run_options(check)
    check.add_argument(
        "--baseline",
        default="reports/baseline.json",
        metavar="FILE",
        help="accepted differences (default reports/baseline.json)",
    )
    check.add_argument(
        "--update-baseline",
        action="store_true",
        help="accept what this run measures: rewrite the baseline's entries for the specs run, then check",
    )
    check.add_argument(
        "--strict",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="fail on stale baseline entries, no longer measured (default: --strict)",
    )
    check.add_argument(
        "--junit", metavar="FILE", help="also write JUnit XML: a testcase per spec, target, device and check"
    )
    check.add_argument(
        "--shard",
        type=shard_option,
        metavar="i/N",
        help="run only share i of N (specs sorted by id, dealt round-robin), for CI matrices",
    )
    check.add_argument(
        "--out", metavar="DIR", help="also write pages, JSON and index.md here (input to `apicompat merge`)"
    )

    merge = sub.add_parser(
        "merge", help="combine the JSON reports of shards into the pages, JSON and index.md of one run"
    )
    merge.add_argument(
        "inputs", nargs="+", metavar="DIR", help="directories (or files) of JSON reports from `check --out`"
    )
    merge.add_argument("--out", default="reports", metavar="DIR", help="output directory (default reports/)")
    merge.add_argument("--html", action="store_true", help="also write the HTML site into DIR/html/")
    init = sub.add_parser(
        "init",
        help="draft a spec for SOURCE and its TARGETs from their live signatures and docstrings",
        description="Draft specs/<id>.yaml: parameters matched by position, name similarity and "
        "docstrings; kinds and domains guessed from annotations, defaults and docstrings; every guess "
        "to check is marked TODO(init). The frameworks are imported in worker processes only.",
    )
    init.add_argument("source", metavar="SOURCE", help="the API migrated from, e.g. torch.cumsum")
    init.add_argument(
        "targets",
        nargs="*",
        metavar="TARGET",
        help="the APIs migrated to, e.g. mindspore.ops.cumsum (default: every MindSpore candidate found "
        "in mindspore.ops, mindspore.mint, mindspore.Tensor and mindspore.mint.nn.functional)",
    )
    init.add_argument("--id", metavar="ID", help="the spec id (default: the source's last name)")
    init.add_argument("--out", metavar="FILE", help="where to write (default specs/<id>.yaml)")
    init.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    init.add_argument(
        "--timeout", type=_positive_float, default=60.0, metavar="S", help="seconds per API read (default 60)"
    )
    _add_diff(sub)
    _add_envs(sub)
    add_audit_parser(sub)
    scan = sub.add_parser(
        "scan",
        help="trace the torch calls a model script makes and write its porting-readiness report",
        description="Run SCRIPT in a torch worker process under torch's function mode, record every "
        "public torch API it calls (names, counts, dtypes, shapes and non-tensor arguments, never the "
        "data), and write OUT/<script>.md and .json: which spec measures each API, each MindSpore "
        "candidate's verdict and worst severity, and an `apicompat init` line for the rest. "
        "Exit 2 when the script raises, runs past --timeout or calls no torch API.",
    )
    scan.add_argument("script", metavar="SCRIPT", help="a Python script that builds a model and runs it")
    scan.add_argument(
        "--out", default="readiness", metavar="DIR", help="output directory (default readiness/)"
    )
    scan.add_argument("--json", action="store_true", help="print the readiness JSON instead of the summary")
    scan.add_argument(
        "--timeout",
        type=_positive_float,
        default=300.0,
        metavar="S",
        help="seconds the script may run (and per case with --measure; default 300)",
    )
    scan.add_argument(
        "--measure",
        action="store_true",
        help="also run each recorded call signature (generated values) through its spec's pipeline",
    )
    scan.add_argument(
        "--specs",
        nargs="+",
        default=["specs"],
        metavar="PATH",
        help="spec files or directories (default specs/)",
    )
    scan.add_argument(
        "--reports",
        default="reports",
        metavar="DIR",
        help="where the specs' report JSON is read for verdicts (default reports/)",
    )
    return parser


def _add_diff(sub: argparse._SubParsersAction[_Parser]) -> None:
    diff = sub.add_parser(
        "diff",
        help="the changelog between two report sets (exit 1 when something changed)",
        description="Compare two directories of apicompat JSON reports (two releases, two commits) and "
        "write what changed per API and target, new silent differences first. Exit 0 when nothing "
        "changed, 1 when something did, 2 on bad input.",
    )
    diff.add_argument("old", metavar="OLD", help="the earlier report directory")
    diff.add_argument("new", metavar="NEW", help="the later report directory")
    diff.add_argument("--out", metavar="FILE.md", help="write the Markdown changelog here (default: stdout)")
    diff.add_argument("--json", metavar="FILE", help="also write the changelog as JSON")


def _add_envs(sub: argparse._SubParsersAction[_Parser]) -> None:
    envs = sub.add_parser(
        "envs",
        help="list, add or remove the cached environments `report --with` measures other versions in",
    )
    action = envs.add_subparsers(dest="envs_action", metavar="ACTION", parser_class=_Parser, required=True)
    action.add_parser("list", help="the environments and where they are")
    for name, text in (("add", "create (install) environments"), ("remove", "delete environments")):
        item = action.add_parser(name, help=text)
        item.add_argument("requirements", nargs="+", metavar="FRAMEWORK==VERSION")


def add_audit_parser(sub: argparse._SubParsersAction[_Parser]) -> None:
    """`apicompat audit PAGE --spec SPEC`: the migration-guide author's check of a published page."""
    audit = sub.add_parser(
        "audit",
        help="check a published mapping page against what the spec measures",
        description="Read a mapping page in MindSpore's 'Function Differences with torch.X' layout "
        "(Markdown, or the same text flattened onto one line), measure its spec, and say per documented "
        "parameter row whether it is confirmed, contradicted or not measured; list the measured silent "
        "and loud differences the page does not mention; run its code examples and check their printed "
        "output. Exit 1 when a row is contradicted, a silent difference is missing or an example's "
        "output differs; 0 otherwise; 2 when the page cannot be parsed.",
    )
    audit.add_argument("page", metavar="PAGE", help="the published page (Markdown or flattened text)")
    audit.add_argument("--spec", required=True, metavar="SPEC", help="the spec of the API the page maps")
    audit.add_argument("--json", metavar="OUT", help="also write the audit as JSON")
    audit.add_argument("--seed", type=_seed, default=None, metavar="N", help="case generation seed")
    audit.add_argument(
        "--timeout", type=_positive_float, default=60.0, metavar="S", help="seconds per case (default 60)"
    )


#: command -> module with `run(args) -> int`
COMMANDS = {
    "init": "apicompat.commands.init",
    "report": "apicompat.commands.report",
    "check": "apicompat.commands.check",
    "merge": "apicompat.commands.merge",
    "diff": "apicompat.commands.diff",
    "envs": "apicompat.commands.envs",
    "audit": "apicompat.commands.audit",
    "scan": "apicompat.commands.scan",
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `apicompat` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    from apicompat.records import ApicompatError

    try:
        module = importlib.import_module(COMMANDS[args.command])
        return int(module.run(args))
    except ApicompatError as exc:
        print(f"apicompat: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM while a run is under way
        # A run's interruption says what it kept and how to resume (apicompat.commands.running).
        print(f"apicompat: {str(exc) or 'interrupted'}", file=sys.stderr)
        return EXIT_INTERRUPTED
