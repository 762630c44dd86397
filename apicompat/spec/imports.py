"""Import checks for specs: the NumPy reference is resolved; framework packages only found.

Importing torch or MindSpore belongs to worker processes. Here a framework `api`
is checked by finding its top-level package, never importing it, and the
reference, which must be NumPy code, is the one thing imported.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from apicompat.references.locate import load_file_module
from apicompat.spec.suggest import did_you_mean, one_of

#: Packages that load a framework when imported; only workers may import them.
WORKER_ONLY = frozenset({"torch", "mindspore"})


class ImportProblem(Exception):
    """Why a reference cannot be used: a message and an optional hint."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def package_installed(package: str) -> bool:
    """Whether a top-level package can be imported, found without importing it."""
    try:
        return importlib.util.find_spec(package) is not None
    except (ImportError, ValueError):
        return False


def resolve_reference(ref: str) -> Callable[..., Any]:
    """The callable at `module:function` (importlib, never eval); raises ImportProblem."""
    module_name, _, attrs = ref.partition(":")
    top = module_name.split(".")[0]
    if top in WORKER_ONLY:
        raise ImportProblem(
            f"the reference must be NumPy code, but '{module_name}' belongs to {top}",
            "frameworks are imported only inside workers; see apicompat/references/",
        )
    loaded_before = {m for m in WORKER_ONLY if m in sys.modules}
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and (module_name == exc.name or module_name.startswith(exc.name + ".")):
            raise ImportProblem(
                f"reference module '{exc.name}' does not exist", _module_hint(exc.name)
            ) from None
        raise ImportProblem(f"importing reference module '{module_name}' failed: {exc}") from None
    except (Exception, SystemExit) as exc:  # a broken module can raise anything, even exit, on import
        raise ImportProblem(
            f"importing reference module '{module_name}' raised {type(exc).__name__}: {exc}"
        ) from None
    leaked = {m for m in WORKER_ONLY if m in sys.modules} - loaded_before
    if leaked:
        raise ImportProblem(
            f"importing '{module_name}' loaded {one_of(sorted(leaked))}; a reference must be NumPy-only"
        )
    obj: Any = module
    for part in attrs.split("."):
        if not hasattr(obj, part):
            public = [n for n in dir(obj) if not n.startswith("_")]
            raise ImportProblem(f"'{module_name}' has no attribute '{part}'", did_you_mean(part, public))
        obj = getattr(obj, part)
    if not callable(obj):
        raise ImportProblem(
            f"reference '{ref}' is not callable (it is a {type(obj).__name__})", "name a function"
        )
    return obj  # type: ignore[no-any-return]


def resolve_file_reference(path: Path, function: str) -> Callable[..., Any]:
    """The callable `function` in the module file `path` (in references/); raises ImportProblem."""
    loaded_before = {m for m in WORKER_ONLY if m in sys.modules}
    try:
        module = load_file_module(path)
    except (Exception, SystemExit) as exc:  # a broken module can raise anything, even exit, on import
        raise ImportProblem(f"importing reference module {path} raised {type(exc).__name__}: {exc}") from None
    leaked = {m for m in WORKER_ONLY if m in sys.modules} - loaded_before
    if leaked:
        raise ImportProblem(
            f"importing {path} loaded {one_of(sorted(leaked))}; a reference must be NumPy-only"
        )
    obj: Any = module
    for part in function.split("."):
        if not hasattr(obj, part):
            public = [n for n in dir(obj) if not n.startswith("_")]
            raise ImportProblem(f"{path} has no attribute '{part}'", did_you_mean(part, public))
        obj = getattr(obj, part)
    if not callable(obj):
        raise ImportProblem(f"reference '{function}' in {path} is not callable", "name a function")
    return obj  # type: ignore[no-any-return]


def _module_hint(name: str) -> str | None:
    """A did-you-mean among the sibling modules of a module that does not exist."""
    parent, _, leaf = name.rpartition(".")
    if not parent:
        return did_you_mean(leaf, [m.name for m in pkgutil.iter_modules()])
    try:
        package = importlib.import_module(parent)
    except Exception:  # the parent is broken or missing too; no suggestion then
        return None
    search = getattr(package, "__path__", None)
    return did_you_mean(leaf, [m.name for m in pkgutil.iter_modules(search)]) if search else None
