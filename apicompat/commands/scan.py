"""`apicompat scan`: trace a script's torch calls in a worker and write its porting-readiness report."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from apicompat.execute import RunOptions, Session
from apicompat.records import ApicompatError
from apicompat.records.scan import ApiReadiness, Readiness, Trace
from apicompat.report import write_text_atomic
from apicompat.report.readiness import render_readiness_json, render_readiness_markdown, render_readiness_text
from apicompat.run.pipeline import RunConfig, assemble_plan, plan_cases
from apicompat.scan.match import readiness_rows
from apicompat.scan.measure import call_cases, outcomes
from apicompat.scan.recorder import recorder_script
from apicompat.scan.trace import ScriptFailed, parse_trace
from apicompat.spec import Spec, load_specs

#: The exit status of a script that raised, timed out or called no torch API (bad input: the script).
EXIT_SCRIPT = 2


def check_script(path: str) -> Path:
    """The script's absolute path; a clear error when it is not a readable Python file."""
    script = Path(path)
    if not script.exists():
        raise ApicompatError(f"{path}: no such file (give the path of a Python script that runs a model)")
    if not script.is_file():
        raise ApicompatError(f"{path}: not a file (give the path of a Python script that runs a model)")
    return script.resolve()


def trace_script(session: Session, display: str, script: Path) -> Trace:
    """Run the script under the recorder in a torch worker (torch is never imported here)."""
    result = session.run_script("torch", "cpu", recorder_script(str(script)))
    trace = parse_trace(display, result.stdout, result.error)
    if not trace.apis:
        raise ScriptFailed(
            f"{display} ran to the end but called no torch API: nothing to check "
            "(does it build and run a model when run as `python SCRIPT`?)"
        )
    return trace


def measure_calls(
    session: Session, specs: list[Spec], rows: tuple[ApiReadiness, ...], timeout: float
) -> tuple[ApiReadiness, ...]:
    """Run each measured API's recorded calls as cases of its spec; the rows with their outcomes."""
    by_id = {s.id: s for s in specs}
    config = RunConfig(options=RunOptions(timeout=timeout))
    grouped: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        if row.candidates and row.spec_id is not None:
            grouped.setdefault(row.spec_id, []).append(i)
    done = list(rows)
    for spec_id in sorted(grouped):
        spec = by_id[spec_id]
        entries = {i: call_cases(spec, rows[i].use) for i in grouped[spec_id]}
        cases = list(
            {e.case.id: e.case for es in entries.values() for e in es if e.case is not None}.values()
        )
        if not cases:
            result, observations = None, {}
        else:
            plan = plan_cases(spec, session, config, cases)
            observations = session.run(plan.jobs, plan.cases, spread=config.spread)
            result = assemble_plan(spec, session, config, plan, observations)
        for i, calls in entries.items():
            found = outcomes(spec, calls, result, observations)
            done[i] = dataclasses.replace(rows[i], measured_calls=tuple(found))
    return tuple(done)


def run(args: argparse.Namespace) -> int:
    """Trace the script, match its APIs with the specs, write OUT/<name>.md and .json, print a summary."""
    script = check_script(args.script)
    specs = load_specs(args.specs)
    out = Path(args.out)
    with Session(RunOptions(timeout=args.timeout)) as session:
        try:
            trace = trace_script(session, args.script, script)
        except ScriptFailed as exc:
            print(f"apicompat: {exc}", file=sys.stderr)
            return EXIT_SCRIPT
        rows, problems = readiness_rows(trace.apis, specs, Path(args.reports), out)
        if args.measure:
            rows = measure_calls(session, specs, rows, args.timeout)
    readiness = Readiness(
        trace=trace, apis=rows, reports_dir=args.reports, measured_run=args.measure, report_problems=problems
    )
    out.mkdir(parents=True, exist_ok=True)
    stem = script.stem
    markdown, json_path = out / f"{stem}.md", out / f"{stem}.json"
    write_text_atomic(markdown, render_readiness_markdown(readiness) + "\n")
    write_text_atomic(json_path, render_readiness_json(readiness))
    if args.json:
        sys.stdout.write(render_readiness_json(readiness))
    else:
        print(render_readiness_text(readiness))
        print(f"wrote {markdown.as_posix()} and {json_path.as_posix()}")
    return 0
