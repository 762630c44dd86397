"""`apicompat` as the benchmark runs it: the CLI, plus the main process's own peak memory.

`python benchmarks/apicompat_main.py report …` is `apicompat report …`; when the
environment variable APICOMPAT_BENCH_RSS names a file, the main process's peak
resident memory (RUSAGE_SELF, so no worker counts) is written there as JSON at exit.
"""

from __future__ import annotations

import json
import os
import resource
import sys

from apicompat.cli import main

if __name__ == "__main__":
    code = main(sys.argv[1:])
    path = os.environ.get("APICOMPAT_BENCH_RSS")
    if path:
        peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        with open(path, "w") as f:
            json.dump({"peak_rss_mb": peak_kib / 1024}, f)
    sys.exit(code)
