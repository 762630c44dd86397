"""Defaults shared by the CLI and the pipeline, importable without heavy layers."""

from __future__ import annotations

#: The seed used when none is given, so reports are reproducible by default.
DEFAULT_SEED = 20240229

#: How many times an execution whose worker died or timed out runs again before the loss is believed.
DEFAULT_RETRIES = 1
#: The most `--retries` accepts: a case that hangs costs 2N + 1 timeouts.
MAX_RETRIES = 10
