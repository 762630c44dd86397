"""`apicompat envs list|add|remove`, and the environments `report --with` measures in."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from apicompat.commands.running import OtherVersion, extra_adapters
from apicompat.execute import environments
from apicompat.execute.environments import Requirement
from apicompat.records import ApicompatError
from apicompat.spec.loader import KNOWN_FRAMEWORKS


def run(args: argparse.Namespace) -> int:
    """List, add or remove environments; exit 0."""
    if args.envs_action == "list":
        found = environments.list_environments()
        if not found:
            print(f"no environments in {environments.envs_root()}")
        for env in found:
            pins = "constraints.txt" if env.constrained else "its own requirements"
            print(f"{env.requirement}  (Python {env.python_version}, {pins})  {env.directory}")
        return 0
    requirements = [_requirement(text) for text in args.requirements]
    if args.envs_action == "add":
        for requirement in requirements:
            env = environments.ensure(requirement, _progress)
            print(f"{requirement}: {env.directory}")
        return 0
    for requirement in requirements:
        removed = environments.remove(requirement)
        print(f"{requirement}: {'removed' if removed else 'no such environment'}")
    return 0


def other_versions(texts: Sequence[str]) -> tuple[OtherVersion, ...]:
    """The environments of `report --with` options, created where missing, in the order given."""
    requirements = [_requirement(text) for text in texts]
    seen = set()
    others = []
    for requirement in requirements:
        if requirement in seen:
            raise ApicompatError(f"--with {requirement} is given twice")
        seen.add(requirement)
        env = environments.ensure(requirement, _progress)
        others.append(OtherVersion(requirement.framework, requirement.version, env.interpreter()))
    return tuple(others)


def _requirement(text: str) -> Requirement:
    requirement = environments.parse_requirement(text)
    known = (*KNOWN_FRAMEWORKS, *extra_adapters())
    if requirement.framework not in known:
        raise ApicompatError(
            f"{text!r}: unknown framework '{requirement.framework}' (known: {', '.join(sorted(known))})"
        )
    return requirement


def _progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
