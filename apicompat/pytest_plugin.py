"""pytest plugin: `pytest specs/` runs every apicompat spec as conformance tests.

Registered through the `pytest11` entry point, so it loads in every pytest run;
importing it is cheap (no NumPy, no framework) and it collects nothing but
apicompat specs. A YAML file is collected when

- its name ends in `.yaml` or `.yml`,
- it lies under a directory named `specs`, or was named on the command line, and
- it has the top-level keys `apicompat:` and `params:` (so hand-written case
  files and other YAML are left alone).

Each spec file yields one item per spec × target × device × check, the same
units as `apicompat check --junit`. The spec runs once per file, on the first
item that needs it, in one worker session per pytest process (each xdist worker
has its own); items then report from that result against the baseline. A failing
item shows the shared difference listing (the same text as the CLI), not a
traceback. Disable with `-p no:apicompat`.
"""

from __future__ import annotations

import argparse
import re
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pytest

from apicompat.defaults import DEFAULT_RETRIES, MAX_RETRIES  # plain constants: light to import

if TYPE_CHECKING:
    from _pytest._code.code import TerminalRepr

    from apicompat.conformance import Baseline, Unit, UnitVerdict
    from apicompat.execute import Session
    from apicompat.records import SpecResult
    from apicompat.spec import Spec

#: The defaults of `apicompat check`, repeated here so importing the plugin stays light.
DEFAULT_BASELINE = "reports/baseline.json"
DEFAULT_CASES_DIR = "cases"
SPEC_DIR_NAME = "specs"
SPEC_SUFFIXES = (".yaml", ".yml")

N = TypeVar("N", int, float)

_TOP_LEVEL_KEY = r"^{}[ \t]*:"
_HEAD_BYTES = 1 << 16  # top-level keys of a spec are near its start; do not read huge files


class ApicompatStaleWarning(UserWarning):
    """A baseline entry is no longer measured, and strictness is off."""


class ConformanceFailure(Exception):
    """A unit failed: its text is the shared difference listing."""


def pytest_addoption(parser: pytest.Parser) -> None:
    """The `apicompat` option group (mirrors `apicompat check`)."""
    group = parser.getgroup("apicompat", "apicompat conformance (spec YAML files under specs/)")
    group.addoption(
        "--apicompat-baseline",
        metavar="FILE",
        default=None,
        help=f"accepted differences (default <rootdir>/{DEFAULT_BASELINE})",
    )
    group.addoption(
        "--apicompat-seed",
        metavar="SEED",
        type=_seed,
        default=None,
        help="case generation seed (default: apicompat's)",
    )
    group.addoption(
        "--apicompat-cases",
        metavar="N",
        type=_positive_int,
        default=None,
        help="cases per spec (default: the systematic set)",
    )
    group.addoption("--apicompat-device", metavar="cpu,gpu", default="cpu", help="devices (default cpu)")
    group.addoption(
        "--apicompat-cases-dir",
        metavar="DIR",
        default=None,
        help=f"hand-written cases (default <rootdir>/{DEFAULT_CASES_DIR}; ignored when missing)",
    )
    group.addoption(
        "--apicompat-timeout",
        metavar="S",
        type=_positive_float,
        default=60.0,
        help="seconds per case (default 60)",
    )
    group.addoption(
        "--apicompat-retries",
        metavar="N",
        type=_retries,
        default=DEFAULT_RETRIES,
        help=f"runs again of a case whose worker died or timed out (default {DEFAULT_RETRIES})",
    )
    group.addoption(
        "--apicompat-no-strict",
        dest="apicompat_strict",
        action="store_false",
        default=True,
        help="stale baseline entries warn instead of failing",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Check the device option up front, and create this process's lazy run state."""
    devices = tuple(d.strip() for d in str(config.getoption("apicompat_device")).split(",") if d.strip())
    from apicompat.frameworks import DEVICES  # a light module: names only

    bad = [d for d in devices if d not in DEVICES]
    if not devices or bad:
        raise pytest.UsageError(
            f"--apicompat-device: unknown device {', '.join(bad) or '(none)'}; "
            f"choose from {', '.join(DEVICES)}"
        )
    config.stash[_STATE] = _State(config, devices)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Stop the worker processes this pytest process started."""
    state = session.config.stash.get(_STATE, None)
    if state is not None:
        state.close()


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> SpecFile | None:
    """Collect apicompat spec files; leave every other file to other plugins."""
    if file_path.suffix not in SPEC_SUFFIXES:
        return None
    if not (_under_spec_dir(file_path, parent.config) or _named_explicitly(file_path, parent.config)):
        return None
    if not looks_like_spec(file_path):
        return None
    return SpecFile.from_parent(parent, path=file_path)


def looks_like_spec(path: Path) -> bool:
    """Whether a YAML file has the top-level keys `apicompat:` and `params:` (read as text, not parsed)."""
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError:
        return False
    return all(re.search(_TOP_LEVEL_KEY.format(key), head, re.MULTILINE) for key in ("apicompat", "params"))


def _under_spec_dir(path: Path, config: pytest.Config) -> bool:
    """A `specs` directory inside the rootdir (a `specs` above the project does not count)."""
    try:
        parts = path.parent.relative_to(config.rootpath).parts
    except ValueError:
        parts = path.parent.parts
    return SPEC_DIR_NAME in parts


def _named_explicitly(path: Path, config: pytest.Config) -> bool:
    base = config.invocation_params.dir
    for arg in config.args:
        named = Path(str(arg).split("::", 1)[0])
        if (base / named).resolve() == path.resolve():
            return True
    return False


class SpecFile(pytest.File):
    """One spec file (or family file): loads its specs, plans their units, runs each spec once when asked."""

    specs: dict[str, Spec]
    _verdicts: dict[str, dict[Unit, UnitVerdict]]
    _failures: dict[str, BaseException]
    _drift: dict[tuple[str, str], tuple[str, ...]]  # (spec, target) -> where a live signature contradicts it

    def collect(self) -> list[SpecItem]:
        """One item per unit of each spec (a family's items are named after the member)."""
        from apicompat.conformance import planned_units
        from apicompat.spec.loader import load_file

        state = self.config.stash[_STATE]
        self.specs = {spec.id: spec for spec in load_file(self.path)}
        self._verdicts, self._failures, self._drift = {}, {}, {}
        items = []
        for spec in self.specs.values():
            targets = [t.api for t in spec.targets]
            prefix = f"{spec.id}." if len(self.specs) > 1 else ""
            for unit in planned_units(spec.id, targets, state.devices, state.baseline()):
                items.append(SpecItem.from_parent(self, name=prefix + unit.name, unit=unit))
        return items

    def verdict(self, unit: Unit) -> UnitVerdict | None:
        """The verdict of one unit; runs its spec on the first call (a failed run fails its items)."""
        if unit.spec in self._failures:
            raise self._failures[unit.spec]
        if unit.spec not in self._verdicts:
            from apicompat.conformance import judge_result

            state = self.config.stash[_STATE]
            try:
                result = measure_spec(self.specs[unit.spec], state)
            except Exception as exc:
                self._failures[unit.spec] = exc
                raise
            verdicts = judge_result(result, state.baseline(), state.devices, strict=state.strict)
            self._verdicts[unit.spec] = {v.unit: v for v in verdicts}
            self._drift.update({(unit.spec, t.api): t.drift for t in result.targets})
        return self._verdicts[unit.spec].get(unit)

    def drift(self, unit: Unit) -> tuple[str, ...]:
        """Spec drift of the unit's target, reported on its parameter-name unit (after `verdict`)."""
        if unit.check != "param_name":
            return ()
        return self._drift.get((unit.spec, unit.target), ())

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException]) -> str | TerminalRepr:  # type: ignore[override]
        """A spec or baseline error shows its message (file, line, key), not a traceback."""
        return _user_error(excinfo) or super().repr_failure(excinfo)


class SpecItem(pytest.Item):
    """One unit: passes when its measured differences match the baseline."""

    def __init__(self, *, unit: Unit, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.unit = unit

    def runtest(self) -> None:
        """Fail with the listing of new (and, strictly, stale) differences; skip an unmeasured device."""
        assert isinstance(self.parent, SpecFile)
        verdict = self.parent.verdict(self.unit)
        drift = self.parent.drift(self.unit)
        if drift:  # a framework upgrade renamed a parameter: fail here, naming spec and parameter
            lines = "\n".join(f"  {line}" for line in drift)
            raise ConformanceFailure(f"{self.path}: spec drift in {self.unit.target}:\n{lines}")
        if verdict is None:
            return
        from apicompat.conformance import format_findings, format_unit

        if verdict.skipped is not None:
            pytest.skip(verdict.skipped)
        if verdict.warnings:
            # Attributed to the spec file, where the stale acceptance belongs, not to this module.
            warning = ApicompatStaleWarning(format_findings(verdict.warnings))
            warnings.warn_explicit(warning, ApicompatStaleWarning, str(self.path), 1)
        if verdict.failed:
            raise ConformanceFailure(format_unit(verdict))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException]) -> str | TerminalRepr:  # type: ignore[override]
        """The difference listing for a failed check; a run error's message for a user error."""
        if isinstance(excinfo.value, ConformanceFailure):
            return str(excinfo.value)
        return _user_error(excinfo) or super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """Where the item comes from, for pytest's report headers."""
        return self.path, None, f"{self.unit.spec}: {self.unit.name}"


def measure_spec(spec: Spec, state: _State) -> SpecResult:
    """Run one spec with the plugin's options (tests replace this to avoid real frameworks)."""
    from apicompat.defaults import DEFAULT_SEED
    from apicompat.execute import RunOptions
    from apicompat.generate.handwritten import load_case_dir
    from apicompat.run.pipeline import RunConfig, run_spec

    config = RunConfig(
        devices=state.devices,
        budget=state.cases,
        options=RunOptions(timeout=state.timeout, retries=state.retries),
        seed=state.seed if state.seed is not None else DEFAULT_SEED,
        allow_drift=True,  # measured anyway; the parameter-name item of the target fails on it
    )
    handwritten = []
    if state.cases_dir.is_dir():
        handwritten = load_case_dir(state.cases_dir, {spec.id: spec}, skip_unknown=True)
    return run_spec(spec, state.session(), config, handwritten)


class _State:
    """Per-process options, the baseline (read once) and the worker session (started on first use)."""

    def __init__(self, config: pytest.Config, devices: tuple[str, ...]) -> None:
        root = config.rootpath
        here = config.invocation_params.dir
        baseline = config.getoption("apicompat_baseline")
        cases_dir = config.getoption("apicompat_cases_dir")
        self.devices = devices
        self.baseline_path = here / baseline if baseline else root / DEFAULT_BASELINE
        self.cases_dir = here / cases_dir if cases_dir else root / DEFAULT_CASES_DIR
        self.seed: int | None = config.getoption("apicompat_seed")
        self.cases: int | None = config.getoption("apicompat_cases")
        self.timeout: float = config.getoption("apicompat_timeout")
        self.retries: int = config.getoption("apicompat_retries")
        self.strict: bool = config.getoption("apicompat_strict")
        self._baseline: Baseline | None = None
        self._session: Session | None = None

    def baseline(self) -> Baseline:
        """The baseline, read on first use (a broken file fails the spec files, naming the problem)."""
        if self._baseline is None:
            from apicompat.conformance import load_baseline

            self._baseline = load_baseline(self.baseline_path)
        return self._baseline

    def session(self) -> Session:
        """The worker session, started on first use."""
        if self._session is None:
            from apicompat.execute import RunOptions, Session

            self._session = Session(RunOptions(timeout=self.timeout, retries=self.retries))
        return self._session

    def close(self) -> None:
        """Stop the workers, if any were started."""
        if self._session is not None:
            self._session.close()
            self._session = None


_STATE = pytest.StashKey[_State]()


def _user_error(excinfo: pytest.ExceptionInfo[BaseException]) -> str | None:
    """The message of an error the user can fix (spec, baseline, missing framework), else None."""
    from apicompat.records import ApicompatError

    return str(excinfo.value) if isinstance(excinfo.value, ApicompatError) else None


def _seed(text: str) -> int:
    return _number(text, int, lambda v: 0 <= v < 2**63, "a whole number between 0 and 2**63-1")


def _positive_float(text: str) -> float:
    return _number(text, float, lambda v: 0 < v < float("inf"), "a finite number of seconds greater than 0")


def _retries(text: str) -> int:
    return _number(text, int, lambda v: 0 <= v <= MAX_RETRIES, f"a whole number from 0 to {MAX_RETRIES}")


def _positive_int(text: str) -> int:
    return _number(text, int, lambda v: v > 0, "a whole number greater than 0")


def _number(text: str, kind: Callable[[str], N], ok: Callable[[N], bool], wanted: str) -> N:
    """Parse an option value; argparse (under pytest) reports the message as a usage error."""
    try:
        value = kind(text)
    except ValueError:
        value = None
    if value is None or not ok(value):
        raise argparse.ArgumentTypeError(f"expected {wanted}, got {text!r}")
    return value
