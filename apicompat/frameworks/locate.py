"""Resolve an import path step by step, saying where it stops (runs inside a worker)."""

from __future__ import annotations

import importlib
import inspect
from typing import Any

from apicompat.records import Resolution


def locate(api: str) -> Resolution:
    """Import the longest importable module prefix of `api`, then walk its attributes.

    Unlike `Adapter.resolve`, a failure is described, not raised: which object the
    path reached, the attribute it lacks and the names that object has.
    """
    parts = api.replace(":", ".").split(".")
    module: Any = None
    cut = len(parts)
    error: str | None = None
    while cut > 0:
        name = ".".join(parts[:cut])
        try:
            module = importlib.import_module(name)
            break
        except ModuleNotFoundError as exc:
            # A missing module further down is a typo; a dependency missing inside an existing
            # module is a broken install, and says so.
            if exc.name is not None and not name.startswith(exc.name) and error is None:
                error = f"ModuleNotFoundError: {exc}"
        except Exception as exc:  # a module that fails on import is not a typo in the path
            return Resolution(api, ok=False, error=f"{type(exc).__name__}: {exc}")
        cut -= 1
    if module is None:
        return Resolution(api, ok=False, error=error or f"no module of '{api}' can be imported")
    obj: Any = module
    owner = f"module '{'.'.join(parts[:cut])}'"
    for i in range(cut, len(parts)):
        attr = parts[i]
        try:
            obj = getattr(obj, attr)
        except AttributeError:
            return Resolution(api, ok=False, owner=owner, missing=attr, candidates=_public_names(obj))
        except Exception as exc:  # a lazy attribute whose import fails
            return Resolution(api, ok=False, error=f"{type(exc).__name__}: {exc}")
        owner = f"{_what(obj)} '{'.'.join(parts[: i + 1])}'"
    if not callable(obj):
        return Resolution(api, ok=False, not_callable=_type_name(obj))
    return Resolution(api, ok=True)


def _public_names(obj: Any) -> tuple[str, ...]:
    """The names an object offers (what a user could have meant), sorted."""
    try:
        names = dir(obj)
    except Exception:  # an object whose __dir__ raises offers no suggestion
        return ()
    return tuple(sorted(n for n in names if not n.startswith("_")))


def _what(obj: Any) -> str:
    if inspect.ismodule(obj):
        return "module"
    if inspect.isclass(obj):
        return "class"
    return "object"


def _type_name(obj: Any) -> str:
    kind = type(obj)
    module = kind.__module__
    return kind.__name__ if module in ("builtins", None) else f"{module}.{kind.__name__}"
