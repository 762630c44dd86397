"""Profile one `apicompat report` run, workers included, and say where the time goes per process.

    python benchmarks/profile_run.py --cases 2000            # needs py-spy (the dev extra pins it)
    python benchmarks/profile_run.py --raw prof.txt          # summarize an earlier `py-spy record -f raw`

It runs `py-spy record --subprocesses` on `apicompat report SPEC --cases N` and
prints, for the main process, each fork server and each worker kind, the share of
samples and the functions with the most samples (inclusive, then self). py-spy
samples wall-clock stacks of threads that are not idle; a thread blocked in a
system call py-spy does not know as idle (a worker's watchdog sleep, the session's
poll) can still show up, so read the `self` lines with that in mind.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_FRAME = re.compile(r" \((?:.*/)?([^/]*?)(?::\d+)?\)$")
# Frames that say how a process started, not where its time goes.
_PLUMBING = ("<frozen", "(threading.py)", "(runpy)", "<module> (worker.py)", "<module> (forkserver.py)")


def record(spec: str, cases: int, raw: Path, rate: int, root: Path) -> None:
    """py-spy on `apicompat report` in `root`, subprocesses included, as raw collapsed stacks."""
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(root), *filter(None, [env.get("PYTHONPATH")])])
    with tempfile.TemporaryDirectory(prefix="apicompat-profile-") as out:
        command = [py_spy, "record", "--subprocesses", "-r", str(rate), "-f", "raw", "-o", str(raw), "--"]
        command += [sys.executable, "-m", "apicompat", "report", spec, "--cases", str(cases), "--out", out]
        subprocess.run(command, cwd=root, env=env, check=True)


def process_kind(header: str) -> str:
    """A short name for the process a stack was sampled in."""
    adapter = re.search(r"--adapter \S+:(\S+)", header)
    if adapter:
        server = "apicompat.execute.forkserver" in header
        return f"{adapter.group(1)}{' (fork server and its workers)' if server else ' worker'}"
    return "main" if " -m apicompat" in header else header[:60]


def summarize(raw: Path, top: int) -> str:
    """Per process kind: its share of samples, then the top functions, inclusive and self."""
    samples: collections.Counter[str] = collections.Counter()
    inclusive: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    own: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        frames = stack.split(";")
        headers = [f for f in frames if f.startswith("process ")]
        kind = process_kind(headers[-1] if headers else "")
        calls = [_FRAME.sub(r" (\1)", f) for f in frames if not f.startswith("process ")]
        n = int(count)
        samples[kind] += n
        for name in set(calls):
            inclusive[kind][name] += n
        if calls:
            own[kind][calls[-1]] += n
    total = sum(samples.values()) or 1
    out = []
    for kind, n in samples.most_common():
        out.append(f"## {kind}: {n} samples ({100 * n / total:.0f}%)\n")
        out.append("| inclusive | function |\n| ---: | --- |")
        shown = [(n_, c) for n_, c in inclusive[kind].most_common() if not any(p in n_ for p in _PLUMBING)]
        out += [f"| {100 * c / n:.0f}% | `{name}` |" for name, c in shown[:top]]
        out.append("\n| self | function |\n| ---: | --- |")
        out += [f"| {100 * c / n:.0f}% | `{name}` |" for name, c in own[kind].most_common(top // 2)]
        out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Record (unless --raw names an existing file) and print the summary."""
    parser = argparse.ArgumentParser(prog="python benchmarks/profile_run.py")
    parser.add_argument("--spec", default="specs/cumsum.yaml")
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--rate", type=int, default=100, help="samples per second")
    parser.add_argument("--raw", type=Path, help="py-spy raw output: written, or read if it exists")
    parser.add_argument("--top", type=int, default=16)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to profile (default: this one)")
    args = parser.parse_args(argv)
    raw = args.raw or Path(tempfile.mkstemp(prefix="apicompat-profile-", suffix=".txt")[1])
    if args.raw is None or not args.raw.exists():
        record(args.spec, args.cases, raw, args.rate, args.root.resolve())
    print(summarize(raw, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
