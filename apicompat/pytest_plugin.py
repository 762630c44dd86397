"""pytest plugin: collects YAML specs as test items (registered via pytest11)."""

from __future__ import annotations
