"""Where `init` looks for a torch API's MindSpore counterparts, and which of them are aliases.

`candidate_script` runs in the MindSpore worker (the framework is imported there
only); it prints one JSON line that `parse_candidates` reads back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from apicompat.records import ApicompatError

#: Marks the JSON line among whatever else the script's imports print.
MARKER = "APICOMPAT-CANDIDATES "

#: Namespaces searched for a torch function, a torch.Tensor method and a torch.nn.functional one.
FUNCTION_PLACES = ("mindspore.ops", "mindspore.mint", "mindspore.Tensor")
FUNCTIONAL_PLACES = ("mindspore.mint.nn.functional", "mindspore.ops")

#: MindSpore names for torch names that MindSpore spells differently (besides the same name).
OTHER_NAMES: dict[str, tuple[str, ...]] = {
    "clamp": ("clip",),
    "absolute": ("abs",),
    "true_divide": ("div",),
    "greater": ("gt",),
    "less": ("lt",),
    "concat": ("cat",),
    "concatenate": ("concat", "cat"),
    "solve": ("matrix_solve",),
    "cat": ("concat",),
    "moveaxis": ("movedim",),
    "swapaxes": ("transpose",),
    "arccos": ("acos",),
    "arcsin": ("asin",),
    "arctan": ("atan",),
    # torch.special's names for functions mindspore.ops calls otherwise
    "gammaln": ("lgamma",),
    "psi": ("digamma",),
    "i0": ("bessel_i0",),
    "i0e": ("bessel_i0e",),
    "i1": ("bessel_i1",),
    "i1e": ("bessel_i1e",),
    "trapezoid": ("trapz",),
}


@dataclass(frozen=True)
class Candidate:
    """One MindSpore callable that may stand for the torch API."""

    api: str
    alias_of: str | None  # the candidate it is the same object as, or whose function it wraps


def candidate_names(source: str) -> list[str]:
    """The MindSpore import paths to try for the torch api `source`, in the order drafts list them."""
    parts = source.split(".")
    name = parts[-1]
    names = (name, *OTHER_NAMES.get(name, ()))
    if source.startswith("torch.nn.functional."):
        return [f"{place}.{n}" for n in names for place in FUNCTIONAL_PLACES]
    if source.startswith("torch.Tensor."):
        return [f"mindspore.Tensor.{n}" for n in names]
    return [f"{place}.{n}" for n in names for place in FUNCTION_PLACES]


def candidate_script(apis: list[str]) -> str:
    """A script that checks which of `apis` exist in MindSpore and which are the same object."""
    return (
        "import importlib, json\n"
        f"apis = {apis!r}\n"
        "found, seen = [], {}\n"
        "for api in apis:\n"
        "    module, _, name = api.rpartition('.')\n"
        "    try:\n"
        "        owner = importlib.import_module(module)\n"
        "    except ImportError:\n"
        "        parent, _, attr = module.rpartition('.')\n"
        "        owner = getattr(importlib.import_module(parent), attr)\n"
        "    obj = getattr(owner, name, None)\n"
        "    if obj is None or not callable(obj):\n"
        "        continue\n"
        "    key = getattr(obj, '__wrapped__', obj)\n"
        "    alias = next((a for a, o in seen.items() if o is key), None)\n"
        "    seen[api] = key\n"
        "    found.append([api, alias])\n"
        f"print({MARKER!r} + json.dumps(found))\n"
    )


def parse_candidates(stdout: str, error: str | None) -> list[Candidate]:
    """The candidates the script found, in order."""
    line = next((ln for ln in stdout.splitlines() if ln.startswith(MARKER)), None)
    if line is None:
        why = error.splitlines()[0] if error else "it printed nothing"
        raise ApicompatError(f"cannot search MindSpore for candidates: {why}")
    found = json.loads(line[len(MARKER) :])
    return [Candidate(str(api), None if alias is None else str(alias)) for api, alias in found]
