"""`apicompat init`: draft a spec from the live signatures and docstrings of a source and its targets."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import apicompat.references
from apicompat.author.draft import TODO, render_spec, spec_id
from apicompat.author.introspect import ApiInfo, introspection_script, parse_introspection
from apicompat.execute import RunOptions, Session
from apicompat.frameworks import ADAPTERS
from apicompat.records import ApicompatError
from apicompat.report import write_text_atomic


def framework_of(api: str) -> str:
    """The framework an api belongs to: its top-level package (`torch.cumsum` -> torch)."""
    top = api.replace(":", ".").split(".", 1)[0]
    if top not in ADAPTERS or top == "numpy":
        known = ", ".join(sorted(k for k in ADAPTERS if k != "numpy"))
        raise ApicompatError(f"cannot tell the framework of {api!r}: it should start with one of {known}")
    return top


def introspect(session: Session, api: str) -> ApiInfo:
    """Read `api` in its framework's worker (the framework is never imported here)."""
    framework = framework_of(api)
    result = session.run_script(framework, "cpu", introspection_script(api))
    return parse_introspection(api, framework, result.stdout, result.error)


def run(args: argparse.Namespace) -> int:
    """Write the drafted spec to --out (default specs/<id>.yaml); refuse to overwrite without --force."""
    ident = args.id or spec_id(args.source)
    out = Path(args.out) if args.out else Path("specs") / f"{ident}.yaml"
    if out.exists() and not args.force:
        raise ApicompatError(
            f"{out} already exists; pass --force to overwrite it, or --out to write elsewhere"
        )
    for api in (args.source, *args.targets):
        framework_of(api)  # a bad name fails before any worker starts
    with Session(RunOptions(timeout=args.timeout)) as session:
        source = introspect(session, args.source)
        targets = [introspect(session, api) for api in args.targets]
    text = render_spec(source, targets, hasattr(apicompat.references, ident), ident)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(out, text)
    todos = text.count(f"{TODO}:")
    counts = f"{len(source.params)} parameter(s), {len(targets)} target(s), {todos} line(s) to check"
    print(f"drafted {out}: {counts} ({TODO})")
    if todos:
        print(f"apicompat: check the lines marked {TODO} in {out}", file=sys.stderr)
    return 0
