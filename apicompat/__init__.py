"""apicompat: measure how deep-learning framework APIs correspond."""

from __future__ import annotations

__version__ = "0.1.0"
