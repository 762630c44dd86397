"""`apicompat init`: draft a spec from the live signatures and docstrings of a source and its targets."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import apicompat.references
from apicompat.author.candidates import Candidate, candidate_names, candidate_script, parse_candidates
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


def find_candidates(session: Session, source: str) -> list[Candidate]:
    """MindSpore callables that may stand for `source` (ops, mint, Tensor methods, mint.nn.functional)."""
    result = session.run_script("mindspore", "cpu", candidate_script(candidate_names(source)))
    return parse_candidates(result.stdout, result.error)


def draft(session: Session, source_api: str, target_apis: list[str], ident: str) -> str:
    """The drafted spec text; with no targets named, every MindSpore candidate that exists."""
    source = introspect(session, source_api)
    aliases: dict[str, str] = {}
    if not target_apis:
        for candidate in find_candidates(session, source_api):
            target_apis.append(candidate.api)
            if candidate.alias_of is not None:
                aliases[candidate.api] = candidate.alias_of
    targets = [introspect(session, api) for api in target_apis]
    method = None
    if any(api.startswith("mindspore.Tensor.") for api in target_apis) and not source_api.startswith(
        "torch.Tensor."
    ):
        try:
            method = introspect(session, "torch.Tensor." + source_api.rsplit(".", 1)[-1])
        except ApicompatError:
            targets = [t for t in targets if not t.api.startswith("mindspore.Tensor.")]
    return render_spec(source, targets, hasattr(apicompat.references, ident), ident, aliases, method)


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
        text = draft(session, args.source, list(args.targets), ident)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(out, text)
    todos = text.count(f"{TODO}:")
    params = text.count("\n  - name: ")
    targets = text.count("\n  - framework: ")
    counts = f"{params} parameter(s), {targets} target(s), {todos} line(s) to check"
    print(f"drafted {out}: {counts} ({TODO})")
    if todos:
        print(f"apicompat: check the lines marked {TODO} in {out}", file=sys.stderr)
    return 0
