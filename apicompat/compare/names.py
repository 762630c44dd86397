"""Display names of frameworks in reports and summaries."""

from __future__ import annotations

_DISPLAY = {"torch": "PyTorch", "mindspore": "MindSpore", "numpy": "NumPy"}


def display_name(framework: str) -> str:
    """The name people use for a framework, e.g. torch -> PyTorch."""
    return _DISPLAY.get(framework, framework)
