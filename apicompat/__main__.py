"""`python -m apicompat` runs the command-line interface."""

from __future__ import annotations

from apicompat.cli import main

raise SystemExit(main())
