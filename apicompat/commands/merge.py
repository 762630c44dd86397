"""`apicompat merge`: combine the JSON results of shards into the reports one run would write."""

from __future__ import annotations

import argparse
import json
from functools import cache
from pathlib import Path
from typing import Any

from apicompat.commands.report import HTML_DIR, write_site
from apicompat.records import ApicompatError, SpecResult
from apicompat.report import SCHEMA_PATH, render_json, write_index, write_reports
from apicompat.report.load import is_report, load_result, read_report


def run(args: argparse.Namespace) -> int:
    """Write OUT/<spec>.md, OUT/<spec>.json, OUT/index.md (and OUT/html/) from the reports in the inputs."""
    results = merge_results([Path(p) for p in args.inputs])
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for result in results:
        write_reports(result, out)
    write_index(results, out)
    if args.html:
        write_site(results, out / HTML_DIR)
    print(f"apicompat merge: {len(results)} spec(s) from {len(args.inputs)} input(s) -> {out / 'index.md'}")
    return 0


def merge_results(inputs: list[Path]) -> list[SpecResult]:
    """The results in the report files of `inputs` (files or directories), sorted by spec id.

    A spec found twice must have the same JSON both times (the same shard
    uploaded twice); different results for one spec are an error.
    """
    found: dict[str, tuple[Path, str, SpecResult]] = {}
    for path in _report_files(inputs):
        data = read_report(path)
        if not is_report(data):
            if path.is_file() and path in inputs:
                raise ApicompatError(f"{path}: not an apicompat report")
            continue  # other JSON next to the reports, such as baseline.json
        _validate(data, path)
        result = load_result(data, str(path))
        text = render_json(result)
        if result.spec_id in found:
            other, other_text, _ = found[result.spec_id]
            if other_text != text:
                raise ApicompatError(
                    f"spec '{result.spec_id}' has different results in {other} and {path}: "
                    "were the shards run with different options or versions?"
                )
            continue
        found[result.spec_id] = (path, text, result)
    if not found:
        raise ApicompatError(f"no apicompat reports (*.json) in {', '.join(str(p) for p in inputs)}")
    return [found[spec][2] for spec in sorted(found)]


def _report_files(inputs: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in inputs:
        if path.is_dir():
            files += sorted(p for p in path.glob("*.json") if p.is_file() and not p.name.startswith("."))
        elif path.is_file():
            files.append(path)
        else:
            raise ApicompatError(f"{path}: no such file or directory")
    return files


def _validate(data: Any, path: Path) -> None:
    """Check a report against its JSON Schema, naming the file and the first problem's location."""
    import jsonschema  # only merge needs it; keeps `apicompat --help` light

    error = jsonschema.exceptions.best_match(_validator().iter_errors(data))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise ApicompatError(f"{path}: not a valid apicompat report at {where}: {error.message}")


@cache
def _validator() -> Any:
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)
