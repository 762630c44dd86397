"""apicompat's benchmark: end to end against a naive one-process loop, stage costs, all specs.

    python benchmarks/run.py                 # the full benchmark (about 10 minutes on 2 cores)
    python benchmarks/run.py --sizes 2000 --repeat 1 --no-all-specs   # a quick look

For the cumsum spec at each size N (cases generated per spec; the hand-written
cases come on top, as in `apicompat report`) it measures, side by side and
alternating the order, `apicompat report SPEC --cases N` end to end and the naive
baseline (benchmarks/naive.py) on the very same calls; then the per-case cost of
each stage of apicompat (benchmarks/stages.py); then `apicompat --help`; then every
shipped spec, in cases per second. It prints Markdown tables, optionally writes the
numbers as JSON (--json), and exits 1 when a target is missed, saying by how much.

Targets (docs/performance.md says why each is what it is):

- apicompat / naive at N = 2,000: at most 1.0 (0.7 is the stretch goal, reported only);
- linear growth: the N = 10,000 run within 5.5x of the N = 2,000 one;
- `apicompat --help` under 0.2 s;
- peak memory of apicompat's main process under 500 MB at N = 10,000;
- the whole shipped suite (`apicompat report specs`) at most 2x a naive loop over the
  same calls of every spec (paired runs, as for cumsum);
- with --ci, the CI command (`make test`'s lint and `pytest -n 2`) on a clean clone of
  the committed code under 15 minutes.

Every timing is a median of --repeat runs; the machine's other load shows in the spread.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent

RATIO_TARGET = 1.0
RATIO_STRETCH = 0.7
LINEAR_TARGET = 5.5
HELP_TARGET_SECONDS = 0.2
MEMORY_TARGET_MB = 500.0
SUITE_TARGET = 2.0
CI_TARGET_MINUTES = 15.0
DEFAULT_SIZES = (500, 2000, 10000)


@dataclass
class Target:
    """One target: its name, what was measured, the limit, and whether it was met."""

    name: str
    measured: float
    limit: float
    unit: str
    met: bool
    note: str = ""


@dataclass
class Results:
    """Everything the benchmark measured, as it is written to --json."""

    environment: dict[str, Any] = field(default_factory=dict)
    sizes: list[dict[str, Any]] = field(default_factory=list)
    help_seconds: list[float] = field(default_factory=list)
    specs: dict[str, Any] = field(default_factory=dict)
    ci_seconds: float | None = None
    targets: list[Target] = field(default_factory=list)


def _env() -> dict[str, str]:
    """The environment of every child: this checkout first on the path, quiet MindSpore."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    env.setdefault("GLOG_v", "3")
    return env


def _run(command: list[str], env: dict[str, str] | None = None, timeout: float = 1800.0) -> tuple[float, str]:
    """Run a command from the repository root; (wall seconds, stdout). Raises if it fails."""
    began = time.perf_counter()
    done = subprocess.run(
        command, cwd=ROOT, env=env or _env(), capture_output=True, text=True, timeout=timeout, check=False
    )
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return seconds, done.stdout


def stage_run(paths: list[str], cases: int | None, work: Path, plan: Path | None) -> dict[str, Any]:
    """benchmarks/stages.py in a fresh process: stage timings (and the naive plan)."""
    out = work / "stages.json"
    command = [sys.executable, str(BENCH / "stages.py"), *paths, "--json", str(out)]
    if cases is not None:
        command += ["--cases", str(cases)]
    if plan is not None:
        command += ["--plan", str(plan)]
    _run(command)
    data: dict[str, Any] = json.loads(out.read_text())
    return data


def apicompat_run(spec: str, cases: int, work: Path) -> tuple[float, float]:
    """`apicompat report SPEC --cases N`, end to end: (wall seconds, main-process peak MB)."""
    rss = work / "rss.json"
    out = work / "reports"
    env = _env()
    env["APICOMPAT_BENCH_RSS"] = str(rss)
    command = [sys.executable, str(BENCH / "apicompat_main.py"), "report", spec]
    command += ["--cases", str(cases), "--out", str(out)]
    seconds, _ = _run(command, env)
    peak = float(json.loads(rss.read_text())["peak_rss_mb"])
    return seconds, peak


def naive_run(plan: Path, skip: set[tuple[int, int]], work: Path) -> tuple[float, dict[str, Any]]:
    """The naive baseline on `plan`, end to end: (wall seconds, its own timings).

    When a call kills the process (SIGFPE in MindSpore), the loop starts again after
    that call, and `skip` keeps it out of later runs. The time counted is what one
    process would have taken had the call not been there: every segment's wall time,
    less the start-up (interpreter, imports) of the segments after the first.
    """
    progress = work / "naive-progress"
    skip_file = work / "naive-skip.json"
    total, start, restarts = 0.0, 0, 0
    while True:
        progress.write_bytes(struct.pack("qqq", -1, -1, 0))
        skip_file.write_text(json.dumps(sorted(skip)))
        command = [sys.executable, str(BENCH / "naive.py"), str(plan)]
        command += ["--start", str(start), "--skip", str(skip_file), "--progress", str(progress)]
        began = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, env=_env(), capture_output=True, text=True, check=False)
        wall = time.perf_counter() - began
        case, call, startup_us = struct.unpack("qqq", progress.read_bytes())
        if restarts:
            wall -= startup_us / 1e6
        total += wall
        if done.returncode == 0:
            report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
            report["restarts"] = restarts
            return total, report
        if done.returncode > 0 or case < 0:
            raise RuntimeError(f"the naive baseline failed ({done.returncode}):\n{done.stderr[-3000:]}")
        skip.add((case, call))
        start, restarts = case, restarts + 1
        print(
            f"[bench] naive: killed by signal {-done.returncode} at case {case}; again from there",
            file=sys.stderr,
        )


def measure_size(spec: str, n: int, repeat: int, work: Path) -> dict[str, Any]:
    """apicompat against naive at one size, alternating which goes first; and the stage costs."""
    plan = work / f"plan-{n}.pickle"
    print(f"[bench] N={n}: stage run (and the naive plan) ...", file=sys.stderr, flush=True)
    stages = stage_run([spec], n, work, plan)
    with open(plan, "rb") as f:
        planned = pickle.load(f)
    calls = sum(len(case["calls"]) for case in planned["cases"])
    pairs: list[dict[str, Any]] = []
    skip: set[tuple[int, int]] = set()
    for rep in range(repeat):
        order = ("apicompat", "naive") if rep % 2 == 0 else ("naive", "apicompat")
        pair: dict[str, Any] = {}
        for who in order:
            print(f"[bench] N={n}: run {rep + 1}/{repeat}: {who} ...", file=sys.stderr, flush=True)
            if who == "apicompat":
                pair["apicompat"], pair["peak_rss_mb"] = apicompat_run(spec, n, work)
            else:
                pair["naive"], pair["naive_report"] = naive_run(plan, skip, work)
        pair["ratio"] = pair["apicompat"] / pair["naive"]
        pairs.append(pair)
    return {
        "n": n,
        "cases": stages["specs"][0]["cases"],
        "naive_calls": calls,
        "apicompat": statistics.median(p["apicompat"] for p in pairs),
        "naive": statistics.median(p["naive"] for p in pairs),
        "ratio": statistics.median(p["ratio"] for p in pairs),
        "ratios": [p["ratio"] for p in pairs],
        "peak_rss_mb": max(p["peak_rss_mb"] for p in pairs),
        # The last run's own timings: by then the calls that kill the process are known and skipped.
        "naive_report": pairs[-1]["naive_report"],
        "naive_restarts": [p["naive_report"]["restarts"] for p in pairs],
        "stages": stages["specs"][0],
    }


def measure_help(repeat: int = 7) -> list[float]:
    """Wall seconds of `apicompat --help` (the console script when installed, else python -m)."""
    script = Path(sys.executable).with_name("apicompat")
    installed = script.exists() and Path(__file__).resolve().parents[1] == ROOT
    command = [str(script)] if installed else [sys.executable, "-m", "apicompat"]
    return [_run([*command, "--help"])[0] for _ in range(repeat)]


def measure_specs(work: Path, repeat: int) -> dict[str, Any]:
    """Every shipped spec at its default case budget: stage run per spec (and the suite's naive plan),
    then `apicompat report specs` end to end against the naive loop over the same calls, in pairs."""
    print("[bench] all specs: stage run (and the naive plan) ...", file=sys.stderr, flush=True)
    plan = work / "plan-all.pickle"
    stages = stage_run(["specs"], None, work, plan)
    with open(plan, "rb") as f:
        calls = sum(len(case["calls"]) for case in pickle.load(f)["cases"])
    pairs: list[dict[str, float]] = []
    skip: set[tuple[int, int]] = set()
    for rep in range(repeat):
        pair: dict[str, float] = {}
        for who in ("apicompat", "naive") if rep % 2 == 0 else ("naive", "apicompat"):
            print(f"[bench] all specs: run {rep + 1}/{repeat}: {who} ...", file=sys.stderr, flush=True)
            if who == "apicompat":
                pair["apicompat"], pair["peak_rss_mb"] = suite_run(work)
            else:
                pair["naive"], _ = naive_run(plan, skip, work)
        pair["ratio"] = pair["apicompat"] / pair["naive"]
        pairs.append(pair)
    total_cases = sum(s["cases"] for s in stages["specs"])
    return {
        "stages": stages,
        "end_to_end": statistics.median(p["apicompat"] for p in pairs),
        "naive": statistics.median(p["naive"] for p in pairs),
        "ratio": statistics.median(p["ratio"] for p in pairs),
        "ratios": [p["ratio"] for p in pairs],
        "peak_rss_mb": max(p["peak_rss_mb"] for p in pairs),
        "naive_calls": calls,
        "cases": total_cases,
    }


def suite_run(work: Path) -> tuple[float, float]:
    """`apicompat report specs`, end to end: (wall seconds, main-process peak MB)."""
    env = _env()
    env["APICOMPAT_BENCH_RSS"] = str(work / "rss-all.json")
    command = [
        sys.executable,
        str(BENCH / "apicompat_main.py"),
        "report",
        "specs",
        "--out",
        str(work / "all"),
    ]
    seconds, _ = _run(command, env)
    return seconds, float(json.loads((work / "rss-all.json").read_text())["peak_rss_mb"])


def measure_ci(work: Path) -> float:
    """The CI command on a clean clone of the committed code (HEAD): lint, then `pytest -n 2`.

    The clone runs with this interpreter's environment (the frameworks already installed):
    `make test` would install into it, and the time that measures is pip's, not the tests'.
    """
    clone = work / "clean-clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    bin_dir = Path(sys.executable).parent
    env = _env()
    env["PYTHONPATH"] = str(clone)
    env["PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD"] = "1"
    commands = [
        [str(bin_dir / "ruff"), "check", "."],
        [str(bin_dir / "ruff"), "format", "--check", "apicompat", "tests"],
        [str(bin_dir / "mypy")],
        [str(bin_dir / "lint-imports")],
        [sys.executable, "-m", "pytest", "-n", "2", "-q", "-p", "no:cacheprovider"],
    ]
    began = time.perf_counter()
    for command in commands:
        print(f"[bench] ci: {Path(command[0]).name} {' '.join(command[1:])} ...", file=sys.stderr, flush=True)
        done = subprocess.run(command, cwd=clone, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(f"[bench] ci: {' '.join(command)} failed:\n{done.stdout[-2000:]}", file=sys.stderr)
    return time.perf_counter() - began


# --- reporting ----------------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{seconds:.2f}"


def _us(seconds: float, count: int) -> str:
    return f"{seconds / max(count, 1) * 1e6:.0f}"


def size_table(sizes: list[dict[str, Any]]) -> str:
    """apicompat against naive, per size."""
    lines = [
        "| N | cases run | apicompat (s) | naive (s) | apicompat / naive | ratios of the pairs "
        "| main-process peak (MB) |",
        "| ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for s in sizes:
        ratios = ", ".join(f"{r:.2f}" for r in s["ratios"])
        lines.append(
            f"| {s['n']:,} | {s['cases']:,} | {_ms(s['apicompat'])} | {_ms(s['naive'])} | "
            f"**{s['ratio']:.2f}** | {ratios} | {s['peak_rss_mb']:.0f} |"
        )
    return "\n".join(lines)


STAGE_ORDER = (
    "generation",
    "start-up",
    "execution",
    "stability",
    "comparison",
    "signatures",
    "scripts",
    "reporting",
)


def stage_table(sizes: list[dict[str, Any]]) -> str:
    """Per-case cost of each stage (µs per generated case), from the in-process stage runs."""
    header = "| stage (µs per case) | " + " | ".join(f"N = {s['n']:,}" for s in sizes) + " |"
    lines = [header, "| --- | " + " | ".join("---:" for _ in sizes) + " |"]
    rows: list[tuple[str, list[str]]] = []
    for stage in STAGE_ORDER:
        rows.append((stage, [_us(s["stages"]["stages"].get(stage, 0.0), s["cases"]) for s in sizes]))
    frameworks = sorted({f for s in sizes for f in s["stages"]["frameworks"]})
    for fw in frameworks:
        for key, label in (("in_worker", "execution in the worker"), ("transport", "transport and dispatch")):
            rows.append(
                (
                    f"{fw}: {label}",
                    [_us(s["stages"]["frameworks"].get(fw, {}).get(key, 0.0), s["cases"]) for s in sizes],
                )
            )
        rows.append(
            (
                f"{fw}: restarts (count)",
                [str(int(s["stages"]["frameworks"].get(fw, {}).get("restarts", 0))) for s in sizes],
            )
        )
    rows.append(("in-process total", [_us(s["stages"]["seconds"], s["cases"]) for s in sizes]))
    for name, values in rows:
        lines.append(f"| {name} | " + " | ".join(values) + " |")
    return "\n".join(lines)


def naive_table(sizes: list[dict[str, Any]]) -> str:
    """Where the naive baseline's time goes (its own timers)."""
    lines = ["| naive baseline (s) | " + " | ".join(f"N = {s['n']:,}" for s in sizes) + " |"]
    lines.append("| --- | " + " | ".join("---:" for _ in sizes) + " |")
    keys: list[str] = []
    for s in sizes:
        for key in s["naive_report"]["timings"]:
            if key not in keys:
                keys.append(key)
    for key in keys:
        lines.append(
            f"| {key} | " + " | ".join(_ms(s["naive_report"]["timings"].get(key, 0.0)) for s in sizes) + " |"
        )
    apis: list[str] = []
    for s in sizes:
        for api in s["naive_report"]["implementations"]:
            if api not in apis:
                apis.append(api)
    for api in apis:
        cells = []
        for s in sizes:
            row = s["naive_report"]["implementations"].get(api, {})
            cells.append(f"{_ms(row.get('seconds', 0.0))} ({row.get('calls', 0)} calls)")
        lines.append(f"| calls to {api} | " + " | ".join(cells) + " |")
    restarts = " | ".join(", ".join(str(r) for r in s.get("naive_restarts", [])) or "-" for s in sizes)
    lines.append(f"| restarts after a call killed the process, per run (start-up not counted) | {restarts} |")
    lines.append("| total, process start to exit | " + " | ".join(_ms(s["naive"]) for s in sizes) + " |")
    return "\n".join(lines)


def specs_table(specs: dict[str, Any], previous: dict[str, Any] | None) -> str:
    """Cases per second per shipped spec; a spec far below the others, or below its last run, is flagged."""
    rows = specs["stages"]["specs"]
    rates = {r["spec"]: r["cases"] / _working(r) for r in rows if _working(r) > 0}
    median = statistics.median(rates.values()) if rates else 0.0
    before: dict[str, float] = {}
    if previous:
        for r in previous.get("specs", {}).get("stages", {}).get("specs", []):
            if _working(r) > 0:
                before[r["spec"]] = r["cases"] / _working(r)
    lines = [
        "| spec | cases | seconds | of which worker start-up | cases / s (without start-up) | note |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in rows:
        rate = rates.get(r["spec"], 0.0)
        notes = []
        if median and rate < median / 4:
            notes.append(f"slow: {median / rate:.1f}x below the median")
        if r["spec"] in before and rate < before[r["spec"]] / 2:
            notes.append(f"regression: was {before[r['spec']]:.0f} cases/s")
        startup = r["stages"].get("start-up", 0.0)
        lines.append(
            f"| {r['spec']} | {r['cases']} | {r['seconds']:.2f} | {startup:.2f} | {rate:.0f} | "
            f"{'; '.join(notes) or '-'} |"
        )
    total = specs["cases"]
    ratios = ", ".join(f"{r:.2f}" for r in specs["ratios"])
    lines.append(
        f"| all, in one session | {total} | {specs['stages']['seconds']:.2f} | - | "
        f"{total / specs['stages']['seconds']:.0f} | "
        f"`apicompat report specs` end to end: {specs['end_to_end']:.2f} s; the naive loop over the "
        f"same {specs['naive_calls']:,} calls: {specs['naive']:.2f} s; ratio **{specs['ratio']:.2f}** "
        f"(pairs: {ratios}); main-process peak {specs['peak_rss_mb']:.0f} MB |"
    )
    return "\n".join(lines)


def _working(row: dict[str, Any]) -> float:
    """A spec's seconds without its worker start-up (the first spec of a session pays the imports)."""
    return float(row["seconds"] - row["stages"].get("start-up", 0.0))


def judge(results: Results) -> list[Target]:
    """The targets, measured."""
    targets = []
    by_n = {s["n"]: s for s in results.sizes}
    if 2000 in by_n:
        ratio = by_n[2000]["ratio"]
        note = f"stretch goal {RATIO_STRETCH}: {'met' if ratio <= RATIO_STRETCH else 'missed'}"
        targets.append(
            Target("apicompat / naive at N = 2,000", ratio, RATIO_TARGET, "x", ratio <= RATIO_TARGET, note)
        )
    if 2000 in by_n and 10000 in by_n:
        growth = by_n[10000]["apicompat"] / by_n[2000]["apicompat"]
        targets.append(
            Target(
                "time at N = 10,000 / time at N = 2,000", growth, LINEAR_TARGET, "x", growth <= LINEAR_TARGET
            )
        )
    if results.help_seconds:
        seconds = statistics.median(results.help_seconds)
        targets.append(
            Target("apicompat --help", seconds, HELP_TARGET_SECONDS, "s", seconds < HELP_TARGET_SECONDS)
        )
    if 10000 in by_n:
        peak = by_n[10000]["peak_rss_mb"]
        targets.append(
            Target(
                "main-process peak memory at N = 10,000",
                peak,
                MEMORY_TARGET_MB,
                "MB",
                peak < MEMORY_TARGET_MB,
            )
        )
    if results.specs:
        ratio = float(results.specs["ratio"])
        targets.append(
            Target(
                "whole shipped suite / naive loop over its calls",
                ratio,
                SUITE_TARGET,
                "x",
                ratio <= SUITE_TARGET,
            )
        )
    if results.ci_seconds is not None:
        minutes = results.ci_seconds / 60
        targets.append(
            Target(
                "CI (lint + pytest -n 2) on a clean clone",
                minutes,
                CI_TARGET_MINUTES,
                "min",
                minutes < CI_TARGET_MINUTES,
            )
        )
    return targets


def target_table(targets: list[Target]) -> str:
    """Each target, met or missed, and by how much."""
    lines = ["| target | measured | limit | verdict |", "| --- | ---: | ---: | --- |"]
    for t in targets:
        if t.met:
            verdict = "met"
        else:
            over = (t.measured / t.limit - 1) * 100
            verdict = f"**missed** by {t.measured - t.limit:.2f} {t.unit} ({over:.0f}% over)"
        if t.note:
            verdict += f"; {t.note}"
        lines.append(f"| {t.name} | {t.measured:.2f} {t.unit} | {t.limit:g} {t.unit} | {verdict} |")
    return "\n".join(lines)


def environment() -> dict[str, Any]:
    """What the numbers were measured on."""
    versions = {}
    for dist in ("numpy", "torch", "mindspore"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = "not installed"
    return {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
        "versions": versions,
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(prog="python benchmarks/run.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--spec", default="specs/cumsum.yaml", help="the spec timed against naive")
    parser.add_argument(
        "--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="cases per spec, comma-separated"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side per size (median taken)")
    parser.add_argument(
        "--no-all-specs", dest="all_specs", action="store_false", help="skip the shipped-specs run"
    )
    parser.add_argument(
        "--suite-repeat", type=int, default=2, help="runs of each side for the whole suite (median taken)"
    )
    parser.add_argument(
        "--ci", action="store_true", help="also time the CI command on a clean clone (minutes)"
    )
    parser.add_argument("--json", metavar="FILE", help="also write the numbers here")
    parser.add_argument("--compare", metavar="FILE", help="an earlier --json, to flag specs that got slower")
    parser.add_argument(
        "--root",
        metavar="DIR",
        help="measure the apicompat checkout in DIR (default: this one), e.g. an old commit",
    )
    args = parser.parse_args(argv)
    if args.root:
        global ROOT
        ROOT = Path(args.root).resolve()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    previous = json.loads(Path(args.compare).read_text()) if args.compare else None
    results = Results(environment=environment())
    with tempfile.TemporaryDirectory(prefix="apicompat-bench-") as tmp:
        work = Path(tmp)
        for n in sizes:
            results.sizes.append(measure_size(args.spec, n, args.repeat, work))
        results.help_seconds = measure_help()
        if args.all_specs:
            try:
                results.specs = measure_specs(work, args.suite_repeat)
            except RuntimeError as exc:  # a broken spec is reported, the rest of the numbers kept
                print(f"[bench] all specs: failed: {exc}", file=sys.stderr)
        if args.ci:
            results.ci_seconds = measure_ci(work)
    results.targets = judge(results)
    env = results.environment
    print(f"# apicompat benchmark ({env['date']})\n")
    print(
        f"Python {env['python']}, {env['cpus']} CPUs, "
        f"load average at start {env['load_average_at_start'][0]:.2f}; "
        + ", ".join(f"{k} {v}" for k, v in env["versions"].items())
        + f". Spec {args.spec}; {args.repeat} run(s) per side, medians.\n"
    )
    print("## apicompat against the naive loop\n")
    print(size_table(results.sizes) + "\n")
    print("## apicompat per stage (in-process run)\n")
    print(stage_table(results.sizes) + "\n")
    print("## The naive baseline\n")
    print(naive_table(results.sizes) + "\n")
    if results.specs:
        print("## Every shipped spec\n")
        print(specs_table(results.specs, previous) + "\n")
    print(
        f"`apicompat --help`: median {statistics.median(results.help_seconds):.3f} s "
        f"of {len(results.help_seconds)} runs.\n"
    )
    print("## Targets\n")
    print(target_table(results.targets))
    if args.json:
        payload = {
            "environment": results.environment,
            "sizes": results.sizes,
            "help_seconds": results.help_seconds,
            "specs": results.specs,
            "ci_seconds": results.ci_seconds,
            "targets": [t.__dict__ for t in results.targets],
        }
        Path(args.json).write_text(json.dumps(payload, indent=1))
    missed = [t for t in results.targets if not t.met]
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
