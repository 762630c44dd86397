"""The report layer imports only apicompat.records, itself, the standard library and Jinja2."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import apicompat.report

#: Jinja2 renders the HTML site (report/html.py); nothing else from outside.
ALLOWED_THIRD_PARTY: set[str] = {"jinja2"}


def test_report_imports_only_records_and_stdlib() -> None:
    package = Path(apicompat.report.__file__).parent
    for path in sorted(package.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top == "apicompat":
                    assert name.startswith(("apicompat.records", "apicompat.report")), f"{path.name}: {name}"
                else:
                    assert top in sys.stdlib_module_names or top in ALLOWED_THIRD_PARTY, (
                        f"{path.name}: {name}"
                    )
                    if top == "jinja2":
                        assert path.name == "html.py", f"{path.name}: only the HTML writer needs {name}"
