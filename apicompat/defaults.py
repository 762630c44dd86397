"""Defaults shared by the CLI and the pipeline, importable without heavy layers."""

from __future__ import annotations

#: The seed used when none is given, so reports are reproducible by default.
DEFAULT_SEED = 20240229
