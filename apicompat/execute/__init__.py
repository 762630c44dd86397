"""Execution: long-lived worker processes per framework × device, fed batches of cases.

The session process never imports a framework; only workers do, through their adapters.
"""

from __future__ import annotations

from apicompat.execute.options import RunOptions, ScriptResult, WorkerInfo
from apicompat.execute.session import Session

__all__ = ["RunOptions", "ScriptResult", "Session", "WorkerInfo"]
