"""A process killed (SIGKILL) at any moment while it rewrites a report leaves the old file or the new one.

tests/report/test_report_atomic.py simulates failures inside one process; this kills a
real writer at seeded random moments, which no exception handler can see.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

WRITER = """
import sys
from pathlib import Path
from apicompat.report.atomic import write_text_atomic

target = Path(sys.argv[1])
versions = ["A" * 3_000_000 + "\\n", "B" * 2_000_000 + "\\n"]
print("ready", flush=True)
i = 0
while True:
    write_text_atomic(target, versions[i % 2])
    i += 1
"""
KILLS = 12


def test_sigkill_during_atomic_writes_never_leaves_a_torn_file(tmp_path: Path) -> None:
    target = tmp_path / "page.md"
    whole = {b"A" * 3_000_000 + b"\n", b"B" * 2_000_000 + b"\n"}
    rng = random.Random(7)
    for _ in range(KILLS):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(target)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert writer.stdout is not None and writer.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0.0, 0.05))
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
        if target.exists():  # not there yet only if the kill came before the first rename
            assert target.read_bytes() in whole
    assert target.exists()
    # What a kill can leave is a hidden temporary file next to the page, never a torn page.
    leftovers = [p.name for p in tmp_path.iterdir() if p != target]
    assert all(name.startswith(".page.md.") and name.endswith(".tmp") for name in leftovers)
