"""Malformed and hostile specs, case files and command lines, through the real CLI entry point.

Hypothesis generates at least 1,000 spec or case files (random bytes, invalid UTF-8,
control characters, alias bombs, deep nesting, unknown keys and kinds, missing keys,
huge numbers, Python tags, duplicate keys, wrong types, import paths to nothing, to
non-callables and to modules with side effects) and hundreds of bad command lines.
Each goes through `apicompat.cli.main` in-process, and must end with exit code 2 and
one clear message naming the file and the line (or the option), with no traceback,
quickly (no hang, no blow-up). Runs never start: `run_all` is replaced by a stand-in
that only generates the cases of whatever was accepted, so that generation is fuzzed too.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import apicompat.commands.report as report_command
from apicompat.cli import EXIT_OK, EXIT_USAGE, main
from apicompat.records import DTYPES, Case, SpecResult
from apicompat.run.pipeline import RunConfig, spec_cases
from apicompat.spec import ParamKind, Spec
from apicompat.spec.yamlpos import MAX_DEPTH, MAX_REPEATED

ROOT = Path(__file__).resolve().parents[2]
BASE_SPEC = (ROOT / "specs" / "cumsum.yaml").read_text(encoding="utf-8")
BASE_CASES = (ROOT / "cases" / "cumsum.yaml").read_text(encoding="utf-8")
SCHEMA = json.loads((ROOT / "apicompat" / "spec" / "schema.json").read_text(encoding="utf-8"))
SLOW_SECONDS = 5.0  # far above any example's time: more means a hang or a blow-up

#: Errors about a whole file, which has no line to point at.
WHOLE_FILE = ("the file is empty", "bytes, more than a spec or case file may be")


def _schema_names(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        if isinstance(node.get("properties"), dict):
            found |= set(node["properties"])
        for value in node.values():
            found |= _schema_names(value)
    elif isinstance(node, list):
        for value in node:
            found |= _schema_names(value)
    return found


KNOWN_KEYS = _schema_names(SCHEMA)


# --- what a side-effect module does when a spec's reference imports it ----------------------

SIDE_EFFECT_MODULES = {
    "apicompat_fuzz_raises": "raise RuntimeError('a module that fails to import')\n",
    "apicompat_fuzz_exits": "import sys\nsys.exit(3)\n",
    "apicompat_fuzz_prints": "print('side effect: printed on import')\nanswer = 42\n",
    "apicompat_fuzz_recurses": "def f():\n    return f()\nf()\n",
    "apicompat_fuzz_env": "import os, sys\nos.environ['APICOMPAT_FUZZ'] = '1'\nsys.path.append('/nowhere')\n",
}
REFERENCES = [
    "apicompat_no_such_module:f",
    "apicompat.references:no_such_function",
    "math:pi",  # not callable
    "os:sep",
    "sys:path",
    "apicompat:__version__",
    "apicompat.references.core:Result.nope",
    *(f"{name}:f" for name in SIDE_EFFECT_MODULES),
    "apicompat_fuzz_prints:answer",  # imports fine, but names an int
    "torch:cumsum",  # a framework: only workers may import it
]


# --- hostile files -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Hostile:
    """One generated input: which file it replaces, its bytes, and whether it must be refused."""

    family: str
    target: str  # "spec" or "cases"
    content: bytes
    must_fail: bool = True


# LibYAML where available: generating 1,000 examples with the pure-Python emitter is slow.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PARSED = {text: yaml.load(text, Loader=_LOADER) for text in (BASE_SPEC, BASE_CASES)}


def _parsed(text: str) -> Any:
    """A fresh copy of BASE_SPEC or BASE_CASES as data."""
    return copy.deepcopy(_PARSED[text])


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=10_000)


def _leaf_paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if path else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _leaf_paths(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _leaf_paths(value, (*path, i))
    return found


def _replace(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    return data


HUGE = st.one_of(
    st.integers(20, 1500).map(lambda k: 10**k),
    st.integers(20, 1500).map(lambda k: -(10**k)),
    st.sampled_from([2**63, 2**64 + 1, -(2**63) - 1, 1e308, float("inf"), float("-inf"), float("nan")]),
)
ODD_TEXT = st.text(
    st.characters(blacklist_categories=["Cs"]),  # YAML writes any text but lone surrogates
    min_size=0,
    max_size=40,
) | st.sampled_from(["", " ", "\t", "a|b", "<script>alert(1)</script>", "\x07\x1b[31m", "x" * 5000])
WRONG = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=True),
    ODD_TEXT,
    st.lists(st.integers(), max_size=3),
    st.dictionaries(ODD_TEXT, st.integers(), max_size=3),
    HUGE,
)


@st.composite
def _invalid_utf8(draw: st.DrawFn, base: str, target: str) -> Hostile:
    raw = base.encode("utf-8")
    at = draw(st.integers(0, len(raw)))
    bad = draw(
        st.sampled_from(
            [b"\xff", b"\xfe", b"\x80", b"\xc3\x28", b"\xe2\x82", b"\xed\xa0\x80", b"\xf8\x88\x80"]
        )
    )
    return Hostile("invalid_utf8", target, raw[:at] + bad + raw[at:])


@st.composite
def _control_char(draw: st.DrawFn, base: str, target: str) -> Hostile:
    at = draw(st.integers(0, len(base)))
    char = draw(st.sampled_from([*map(chr, [*range(0, 9), 11, 12, *range(14, 32), 127]), "\ufffe"]))
    return Hostile("control_char", target, (base[:at] + char + base[at:]).encode("utf-8"))


@st.composite
def _alias_bomb(draw: st.DrawFn, base: str, target: str) -> Hostile:
    width = draw(st.integers(2, 10))
    depth = next(d for d in range(1, 40) if width**d > MAX_REPEATED)
    depth = draw(st.integers(depth, depth + 3))
    lines = [f"lol0: &lol0 [{', '.join(['lol'] * width)}]"]
    lines += [f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * width)}]" for i in range(1, depth + 1)]
    return Hostile("alias_bomb", target, (base + "\n" + "\n".join(lines) + "\n").encode())


@st.composite
def _deep_nesting(draw: st.DrawFn, base: str, target: str) -> Hostile:
    depth = draw(st.integers(MAX_DEPTH + 1, 3000))
    opening, closing = ("[", "]") if draw(st.booleans()) else ("{a: ", "}")
    value = opening * depth + "1" + closing * depth
    data = _parsed(base)
    key = draw(st.sampled_from(sorted(data)))
    return Hostile("deep_nesting", target, (base + f"\n{key}_deep: {value}\n").encode())


@st.composite
def _unknown_key(draw: st.DrawFn) -> Hostile:
    data = _parsed(BASE_SPEC)
    name = draw(
        st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,15}", fullmatch=True).filter(lambda k: k not in KNOWN_KEYS)
    )
    where = draw(st.sampled_from(["top", "param", "source"]))
    mapping = {
        "top": data,
        "param": data["params"][draw(st.integers(0, len(data["params"]) - 1))],
        "source": data["source"],
    }[where]
    mapping[name] = draw(WRONG)
    return Hostile("unknown_key", "spec", _dump(data).encode())


@st.composite
def _bad_kind(draw: st.DrawFn) -> Hostile:
    data = _parsed(BASE_SPEC)
    kinds = {k.value for k in ParamKind}
    i = draw(st.integers(0, len(data["params"]) - 1))
    data["params"][i]["kind"] = draw(
        st.one_of(
            ODD_TEXT.filter(lambda t: t not in kinds),
            WRONG.filter(lambda v: not isinstance(v, str) or v not in kinds),
        )
    )
    return Hostile("bad_kind", "spec", _dump(data).encode())


@st.composite
def _missing_key(draw: st.DrawFn) -> Hostile:
    data = _parsed(BASE_SPEC)
    del data[draw(st.sampled_from(SCHEMA["required"]))]
    return Hostile("missing_key", "spec", _dump(data).encode())


@st.composite
def _huge_number(draw: st.DrawFn) -> Hostile:
    data = _parsed(BASE_SPEC)
    where = draw(
        st.sampled_from(["apicompat", "ranks_low", "ranks_high", "dtype_value", "tolerance", "positional"])
    )
    value = draw(HUGE)
    if where == "apicompat":
        data["apicompat"] = value
    elif where.startswith("ranks"):
        data["params"][0]["ranks"][0 if where == "ranks_low" else 1] = value
    elif where == "dtype_value":
        data["params"][2]["values"][0] = value
    elif where == "tolerance":
        data["tolerances"] = {"float32": {"rtol": value, "atol": value}}
    else:
        data["source"]["positional"][0] = value
    text = _dump(data)
    if draw(st.booleans()):  # the same number written out in full, as a person or a program might
        text = text.replace(_dump(value).split("\n")[0], str(value) if isinstance(value, int) else ".inf")
    return Hostile("huge_number", "spec", text.encode(), must_fail=where != "tolerance")


@st.composite
def _wrong_type(draw: st.DrawFn, base: str, target: str) -> Hostile:
    data = _parsed(base)
    path = draw(st.sampled_from(_leaf_paths(data)))
    _replace(data, path, draw(WRONG))
    # Replacing a value with one of another type is usually, not always, an error.
    return Hostile("wrong_type", target, _dump(data).encode(), must_fail=False)


@st.composite
def _reference(draw: st.DrawFn) -> Hostile:
    data = _parsed(BASE_SPEC)
    data["reference"] = draw(st.sampled_from(REFERENCES))
    return Hostile("reference", "spec", _dump(data).encode())


@st.composite
def _python_tag(draw: st.DrawFn, base: str, target: str) -> Hostile:
    tag = draw(
        st.sampled_from(
            [
                "!!python/object/apply:os.system ['echo pwned']",
                "!!python/name:os.system",
                "!!python/object/new:subprocess.Popen [['true']]",
                "!!binary aGVsbG8=",
                "!custom {a: 1}",
                "!!set {a, b}",
            ]
        )
    )
    return Hostile("python_tag", target, (base + f"\nextra: {tag}\n").encode(), must_fail=True)


@st.composite
def _duplicate_key(draw: st.DrawFn, base: str, target: str) -> Hostile:
    data = _parsed(base)
    key = draw(st.sampled_from(sorted(data)))
    return Hostile("duplicate_key", target, (base + f"\n{key}: {json.dumps(draw(ODD_TEXT))}\n").encode())


@st.composite
def _bad_case_file(draw: st.DrawFn) -> Hostile:
    data = _parsed(BASE_CASES)
    case = data["cases"][0]
    change = draw(st.sampled_from(["spec", "dtype", "values", "arg", "expect", "name"]))
    if change == "spec":
        data["spec"] = draw(ODD_TEXT.filter(lambda t: t != "cumsum"))
    elif change == "dtype":
        case["args"]["input"]["dtype"] = draw(
            WRONG.filter(lambda v: not isinstance(v, str) or v not in DTYPES)
        )
    elif change == "values":
        case["args"]["input"]["values"] = draw(
            st.sampled_from([[[1, 2], [3]], [["a"]], [HUGE_VALUE], {"a": 1}, [None]])
        )
    elif change == "arg":
        case["args"][draw(ODD_TEXT.filter(lambda t: t not in ("input", "dim", "dtype", "out")))] = 1
    elif change == "expect":
        case["expect"] = draw(
            st.sampled_from(
                [{"dtype": "float32"}, {"values": "x"}, 3, [], None, {"dtype": "int4", "values": [1]}]
            )
        )
    else:
        data["cases"].append(dict(case))  # the same name (and arguments) twice
    # A case file for another spec is skipped when the run names its specs (a subset run).
    return Hostile("bad_case_file", "cases", _dump(data).encode(), must_fail=change != "spec")


HUGE_VALUE = 10**400


def _both(strategy: Any) -> st.SearchStrategy[Hostile]:
    return st.one_of(strategy(BASE_SPEC, "spec"), strategy(BASE_CASES, "cases"))


# A family is drawn first, so each gets about the same share of the examples.
FAMILIES: list[st.SearchStrategy[Hostile]] = [
    st.binary(max_size=400).map(lambda b: Hostile("random_bytes", "spec", b)),
    st.binary(max_size=400).map(lambda b: Hostile("random_bytes", "cases", b)),
    _both(_invalid_utf8),
    _both(_control_char),
    _both(_alias_bomb),
    _both(_deep_nesting),
    _both(_python_tag),
    _both(_duplicate_key),
    _both(_wrong_type),
    _unknown_key(),
    _bad_kind(),
    _missing_key(),
    _huge_number(),
    _reference(),
    _bad_case_file(),
]
HOSTILE = st.sampled_from(FAMILIES).flatmap(lambda family: family)


# --- the harness -------------------------------------------------------------------------------


@dataclass
class Workspace:
    """Where the files go, and whether the stand-in for a run was reached."""

    root: Path
    reached: list[int]

    @property
    def spec(self) -> Path:
        return self.root / "spec.yaml"

    @property
    def cases(self) -> Path:
        return self.root / "cases"


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    modules = tmp_path / "modules"
    modules.mkdir()
    for name, code in SIDE_EFFECT_MODULES.items():
        (modules / f"{name}.py").write_text(code, encoding="utf-8")
    monkeypatch.syspath_prepend(str(modules))
    monkeypatch.delenv("APICOMPAT_FUZZ", raising=False)
    reached: list[int] = []

    def no_run(
        specs: list[Spec],
        handwritten: dict[str, list[Case]],
        config: RunConfig,
        progress: object = None,
        *,
        refused: object = None,
    ) -> Iterator[SpecResult]:
        for spec in specs:  # generation is fuzzed too: whatever the loader accepts must generate
            spec_cases(spec, config, handwritten.get(spec.id, []))
        reached.append(len(specs))
        return iter(())

    monkeypatch.setattr(report_command, "run_all", no_run)
    (tmp_path / "cases").mkdir()
    yield Workspace(tmp_path, reached)


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str, float]:
    """Call main() as the console script does; (exit code, stdout, stderr, seconds)."""
    capsys.readouterr()
    started = time.monotonic()
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse exits for usage errors
        code = exc.code if isinstance(exc.code, int) else 1
    seconds = time.monotonic() - started
    out, err = capsys.readouterr()
    return code, out, err, seconds


def assert_clear_error(err: str, name: str) -> None:
    """One message that names the file and a line in it (or says what is wrong with the whole file)."""
    assert err.startswith("apicompat: "), err
    assert name in err, err
    located = re.search(rf"{re.escape(name)}:\d+: error", err)
    assert located or any(phrase in err for phrase in WHOLE_FILE), err


@settings(
    max_examples=1000,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(bad=HOSTILE)
def test_hostile_files_get_a_clear_error(
    workspace: Workspace, bad: Hostile, capsys: pytest.CaptureFixture[str]
) -> None:
    for stale in workspace.cases.iterdir():
        stale.unlink()
    if bad.target == "spec":
        workspace.spec.write_bytes(bad.content)
        spec, name = workspace.spec, "spec.yaml"
    else:
        (workspace.cases / "bad.yaml").write_bytes(bad.content)
        spec, name = ROOT / "specs" / "cumsum.yaml", "bad.yaml"
    workspace.reached.clear()
    argv = ["report", str(spec), "--cases-dir", str(workspace.cases), "--out", str(workspace.root / "out")]
    code, out, err, seconds = run_cli(argv, capsys)
    assert "Traceback" not in err + out
    assert seconds < SLOW_SECONDS, f"{bad.family} took {seconds:.1f} s"
    if workspace.reached:
        assert not bad.must_fail, f"{bad.family} was accepted: {bad.content!r}"
        assert code == EXIT_OK
        event(f"{bad.family}: accepted")
        return
    event(f"{bad.family}: refused")
    assert code == EXIT_USAGE, err
    assert_clear_error(err, name)


def test_an_alias_bomb_is_refused_fast(workspace: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    lines = ["apicompat: 1", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]  # 10**10 values
    workspace.spec.write_text("\n".join(lines) + "\n", encoding="utf-8")
    argv = ["report", str(workspace.spec), "--out", str(workspace.root / "out")]
    code, _, err, seconds = run_cli(argv, capsys)
    assert code == EXIT_USAGE and seconds < 2.0
    assert "spec.yaml:" in err and "aliases expand to more than" in err


# --- bad command lines -------------------------------------------------------------------------

BAD_OPTIONS = [
    ["--seed", "abc"], ["--seed", "-1"], ["--seed", str(2**63)], ["--seed", "9" * 5000], ["--seed", ""],
    ["--cases", "0"], ["--cases", "-3"], ["--cases", "1.5"], ["--cases", str(10**9)], ["--cases", "nan"],
    ["--device", "tpu"], ["--device", ""], ["--device", ","], ["--device", "cpu,,npu"],
    ["--timeout", "nan"], ["--timeout", "inf"], ["--timeout", "0"], ["--timeout", "-1"],
    ["--timeout", "1e400"],
    ["--memory-mb", "0"], ["--memory-mb", "lots"], ["--memory-mb", "-8"],
    ["--frobnicate"], ["--seed"], ["--out"], ["-x"], ["--resume=yes"],
]  # fmt: skip
GOOD_OPTIONS = [["--seed", "3"], ["--cases", "5"], ["--device", "cpu"], ["--timeout", "30"], ["--resume"]]


@st.composite
def bad_command_lines(draw: st.DrawFn) -> tuple[list[str], str]:
    """A report or check command line with at least one bad option, and what the error must name."""
    command = draw(st.sampled_from(["report", "check"]))
    options = draw(st.lists(st.sampled_from(GOOD_OPTIONS), max_size=3))
    bad = draw(st.sampled_from(BAD_OPTIONS))
    options.insert(draw(st.integers(0, len(options))), bad)
    return [command, *(token for option in options for token in option)], bad[0]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=bad_command_lines())
def test_bad_command_lines_get_a_clear_error(
    workspace: Workspace, case: tuple[list[str], str], capsys: pytest.CaptureFixture[str]
) -> None:
    argv, option = case
    code, out, err, _ = run_cli(argv, capsys)
    assert code == EXIT_USAGE, (argv, err)
    assert "Traceback" not in err + out
    assert "error: " in err and (option.split("=")[0] in err or "unrecognized arguments" in err), (argv, err)
    assert not workspace.reached


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["report", "{missing}"], "no such file or directory"),
        (["report", "{spec}", "--out", "{file}"], "cannot create the output directory"),
        (["report", "{file}"], "plain.txt:1: error"),
        (["report", "{dir}"], "holds no spec files"),
        (["merge", "{dir}"], "no apicompat reports"),
        (["check", "--baseline", "{file}"], "baseline"),
    ],
)
def test_bad_paths_get_a_clear_error(
    workspace: Workspace, argv: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = workspace.root / "empty"
    empty.mkdir(exist_ok=True)
    plain = workspace.root / "plain.txt"
    plain.write_text("not yaml: [", encoding="utf-8")
    names = {
        "missing": str(workspace.root / "nope.yaml"),
        "file": str(plain),
        "dir": str(empty),
        "spec": str(ROOT / "specs" / "cumsum.yaml"),
    }
    code, out, err, _ = run_cli([a.format(**names) for a in argv], capsys)
    assert code == EXIT_USAGE, err
    assert says in err and "Traceback" not in err + out


def test_undecodable_bytes_in_a_path_are_shown_not_fatal(tmp_path: Path) -> None:
    # A real process: its stderr escapes what cannot be encoded (capsys in-process would not).
    bad = os.fsencode(tmp_path) + b"/bad\xff.yaml"
    run = subprocess.run([sys.executable, "-m", "apicompat", "report", bad], capture_output=True, timeout=60)
    assert run.returncode == EXIT_USAGE
    assert b"bad\\udcff.yaml: error: no such file or directory" in run.stderr
    assert b"Traceback" not in run.stderr
