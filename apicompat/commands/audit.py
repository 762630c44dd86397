"""`apicompat audit PAGE --spec SPEC`: check a published mapping page against what the spec measures.

Exit 1 when a documented row is contradicted, a measured silent difference is
missing from the page, or a code example prints other than the page publishes;
0 otherwise; 2 when the page or the spec cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from apicompat.author.audit import (
    Audit,
    OutputFinding,
    audit_dict,
    instrumented,
    judge_outputs,
    judge_rows,
    render_audit,
    unmentioned,
)
from apicompat.author.page import PageError, parse_page
from apicompat.commands.running import extra_adapters
from apicompat.defaults import DEFAULT_SEED
from apicompat.execute import RunOptions, Session
from apicompat.records import ApicompatError
from apicompat.report import write_text_atomic
from apicompat.run.pipeline import RunConfig, run_spec
from apicompat.spec import load_spec
from apicompat.spec.loader import KNOWN_FRAMEWORKS
from apicompat.spec.suggest import did_you_mean, one_of

EXIT_OK, EXIT_FAILED = 0, 1


def run(args: argparse.Namespace) -> int:
    """Parse the page, measure the spec, run the page's examples, and judge; 0 or 1."""
    path = Path(args.page)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ApicompatError(
            f"cannot read the page {path}: {getattr(exc, 'strerror', None) or exc}"
        ) from None
    page = parse_page(text, str(path))
    spec = load_spec(args.spec, frameworks=(*KNOWN_FRAMEWORKS, *extra_adapters()))
    if page.source != spec.source.api:
        raise PageError(
            str(path), 1, f"the page maps {page.source}, but {args.spec} measures {spec.source.api}"
        )
    apis = [t.api for t in spec.targets]
    target = next((api for api in page.targets if api in apis), None)
    if target is None:
        wanted = page.targets[0]
        hint = did_you_mean(wanted, apis)
        raise ApicompatError(
            f"{args.spec} has no target {one_of(page.targets)} that {path} documents; its targets: "
            f"{one_of(apis)}" + (f" ({hint})" if hint else "")
        )
    config = RunConfig(
        seed=args.seed if args.seed is not None else DEFAULT_SEED, options=RunOptions(timeout=args.timeout)
    )
    print(f"apicompat: measuring {spec.id} for {path}", file=sys.stderr)
    with Session(config.options, adapters=extra_adapters()) as session:
        result = run_spec(spec, session, config)
        outputs: list[OutputFinding] = []
        for snippet in page.snippets:
            printed = session.run_script(snippet.framework, "cpu", instrumented(snippet))
            outputs += judge_outputs(snippet, printed.stdout, printed.error)
    measured = next(t for t in result.targets if t.api == target)
    audit = Audit(
        page=str(path),
        spec=spec.id,
        target=target,
        rows=judge_rows(page, measured),
        missing=unmentioned(page, measured),
        outputs=tuple(outputs),
    )
    print(render_audit(audit))
    if args.json:
        write_text_atomic(Path(args.json), json.dumps(audit_dict(audit), indent=2, sort_keys=True) + "\n")
    return EXIT_FAILED if audit.failed else EXIT_OK
