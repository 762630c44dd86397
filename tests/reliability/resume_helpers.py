"""Shared by the resume tests: two small specs on fake frameworks, and output-directory comparisons."""

from __future__ import annotations

import contextlib
from pathlib import Path

#: Fake frameworks for `APICOMPAT_ADAPTERS` (tests/reliability/chaos_frameworks.py).
ADAPTERS = "fake=chaos_frameworks:ChaosAdapter,fake2=chaos_frameworks:ChaosAdapter"

SPEC = """\
apicompat: 1
id: {id}
title: {id}
summary: A cumulative sum that takes its time, on two fake frameworks.
params:
  - name: input
    kind: tensor
    ranks: [1, 2]
    dtypes: [float32, int32]
  - name: dim
    kind: axis
    of: input
reference: apicompat.references:cumsum
source:
  framework: fake
  api: chaos_frameworks.slow_cumsum
  positional: [input, dim]
targets:
  - framework: fake2
    api: chaos_frameworks.slow_cumsum_too
    positional: [input, dim]
"""

SPEC_IDS = ("slow_a", "slow_b")


def write_specs(directory: Path) -> list[str]:
    """Write the two specs into `directory`; their paths, in run order."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for spec_id in SPEC_IDS:
        path = directory / f"{spec_id}.yaml"
        path.write_text(SPEC.format(id=spec_id), encoding="utf-8")
        paths.append(str(path))
    return paths


def visible_files(directory: Path) -> dict[str, bytes]:
    """Every file a reader of the reports sees (hidden files, such as partial results, left out)."""
    if not directory.exists():
        return {}
    return {
        p.name: p.read_bytes()
        for p in sorted(directory.iterdir())
        if p.is_file() and not p.name.startswith(".")
    }


def partial_lines(out: Path) -> int:
    """Observation lines written so far to the partial results under `out` (headers left out)."""
    total = 0
    directory = out / ".apicompat-partial"
    if directory.is_dir():
        for path in directory.glob("*.jsonl"):
            with contextlib.suppress(FileNotFoundError):  # removed by a run that just finished
                total += max(0, path.read_bytes().count(b"\n") - 1)
    return total
