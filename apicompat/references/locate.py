"""Find a reference callable from its `api` text: a declaration, a file beside the specs, or an import path.

Three forms reach the NumPy worker (and the loader, which checks them first):

- `declarative:{...}`: a declaration the spec wrote as a mapping (`apicompat.references.declarative`);
- `file:/dir/specs/references/my_refs.py:function`: a module in a spec directory's
  `references/` folder, loaded from its file, so no PYTHONPATH is needed;
- `package.module:function`: an importable module (`apicompat.references:cumsum`).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from apicompat.references.declarative import build, is_declarative

#: How the `api` of a reference loaded from a file starts.
FILE_PREFIX = "file:"

#: The folder, beside a directory of specs, whose modules specs may name as references.
SEARCH_DIR = "references"

#: The package name modules loaded from files are registered under (kept apart from real packages).
_FILE_PACKAGE = "apicompat_spec_references"


def file_api(path: Path, function: str) -> str:
    """The `api` text of `function` in the module file at `path`."""
    return f"{FILE_PREFIX}{path.resolve()}:{function}"


def split_file_api(api: str) -> tuple[Path, str]:
    """(module file, attribute path) of a `file:` api."""
    path, _, function = api[len(FILE_PREFIX) :].rpartition(":")
    return Path(path), function


def load_file_module(path: Path) -> ModuleType:
    """Import a module from its file (once); its folder is on sys.path so it may import its siblings."""
    name = f"{_FILE_PACKAGE}.{path.stem}"
    loaded = sys.modules.get(name)
    if loaded is not None and getattr(loaded, "__file__", None) == str(path):
        return loaded
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load a module from {path}")
    module = importlib.util.module_from_spec(spec)
    folder = str(path.parent)
    if folder not in sys.path:
        sys.path.append(folder)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def attribute(obj: Any, dotted: str) -> Any:
    """`obj.a.b` for `dotted` = "a.b"; raises AttributeError naming the missing part."""
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def load_reference(api: str) -> Callable[..., Any]:
    """The reference callable for any of the three `api` forms."""
    if is_declarative(api):
        return build(api)
    if api.startswith(FILE_PREFIX):
        path, function = split_file_api(api)
        found: Callable[..., Any] = attribute(load_file_module(path), function)
        return found
    module, _, function = api.partition(":")
    found = attribute(importlib.import_module(module), function)
    return found
