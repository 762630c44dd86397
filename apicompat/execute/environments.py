"""Isolated environments for other framework versions: one cached venv per `name==version`.

`apicompat report --with mindspore==2.9.0` measures the specs against that version
beside the installed one. Its workers run under the Python of a venv created once,
under the user cache directory (`$XDG_CACHE_HOME/apicompat/envs/mindspore-2.9.0`, or
`$APICOMPAT_ENVS_DIR/mindspore-2.9.0`), that holds that framework version and what
the worker needs (NumPy). apicompat itself is not installed there: the worker finds
it through its import path, so the environment always runs the checkout in use.

The project's constraints.txt pins everything else (without its pin of the framework
itself). When the framework's own requirements conflict with those pins (mindspore
2.9.0 needs numpy<2, the constraints pin numpy 2.4.6), the install falls back to the
framework's own requirements and says so: those are what users of that version get.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib.util
import json
import os
import re
import shutil
import site
import subprocess
import sys
import threading
import time
import venv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import apicompat
from apicompat.execute.options import Interpreter
from apicompat.records import ApicompatError

#: Environment variable: the directory holding the environments (tests point it at a temporary one).
ENVS_DIR_ENV = "APICOMPAT_ENVS_DIR"
#: Written last: an environment without it is incomplete (an interrupted install) and is rebuilt.
MARKER = "apicompat-env.json"
#: What a worker imports besides its framework (apicompat.execute.protocol uses NumPy).
WORKER_REQUIREMENTS = ("numpy",)
#: Framework name -> its distribution name on the package index, where they differ.
DISTRIBUTIONS: dict[str, str] = {}

_REQUIREMENT = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_.-]*)\s*==\s*([A-Za-z0-9][A-Za-z0-9_.+!-]*)\s*$")
_PROGRESS_SECONDS = 15.0


@dataclass(frozen=True, order=True)
class Requirement:
    """One extra framework version to measure, e.g. mindspore==2.9.0."""

    framework: str
    version: str

    def __str__(self) -> str:
        return f"{self.framework}=={self.version}"

    @property
    def distribution(self) -> str:
        """The package to install."""
        return DISTRIBUTIONS.get(self.framework, self.framework)


def parse_requirement(text: str) -> Requirement:
    """`name==version`; raises ApicompatError saying the expected form."""
    match = _REQUIREMENT.match(text)
    if match is None:
        raise ApicompatError(f"expected FRAMEWORK==VERSION, e.g. mindspore==2.9.0, got {text!r}")
    return Requirement(match.group(1).lower(), match.group(2))


@dataclass(frozen=True)
class Environment:
    """A complete environment: its directory and the framework version it holds."""

    requirement: Requirement
    directory: Path
    python_version: str
    constrained: bool  # whether the project's constraints applied to everything else

    @property
    def python(self) -> Path:
        """The environment's interpreter (not resolved: a venv is found through this path)."""
        return self.directory / "bin" / "python"

    @property
    def site_packages(self) -> Path:
        """Where the environment's packages are installed."""
        major_minor = ".".join(self.python_version.split(".")[:2])
        return self.directory / "lib" / f"python{major_minor}" / "site-packages"

    def interpreter(self) -> Interpreter:
        """How a worker runs here: this Python, with apicompat, then its own packages, then the session's
        own paths (adapter modules), so its framework version wins over any the session can see."""
        path = worker_path(self.directory)
        return Interpreter(str(self.python), (path[0], str(self.site_packages), *path[1:]))


def envs_root() -> Path:
    """Where environments live: $APICOMPAT_ENVS_DIR, else $XDG_CACHE_HOME/apicompat/envs (~/.cache)."""
    explicit = os.environ.get(ENVS_DIR_ENV)
    if explicit:
        return Path(explicit)
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "apicompat" / "envs"


def env_dir(requirement: Requirement) -> Path:
    """The directory of one requirement's environment."""
    return envs_root() / f"{requirement.framework}-{requirement.version}"


def find(requirement: Requirement) -> Environment | None:
    """The complete environment of `requirement`, or None."""
    return _read(env_dir(requirement))


def list_environments() -> list[Environment]:
    """Every complete environment, sorted by framework and version."""
    root = envs_root()
    if not root.is_dir():
        return []
    found = [env for path in sorted(root.iterdir()) if (env := _read(path)) is not None]
    return sorted(found, key=lambda e: e.requirement)


def _read(directory: Path) -> Environment | None:
    try:
        data = json.loads((directory / MARKER).read_text(encoding="utf-8"))
        env = Environment(
            Requirement(str(data["framework"]), str(data["version"])),
            directory,
            str(data["python"]),
            bool(data["constrained"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return env if env.python.exists() else None


def remove(requirement: Requirement) -> bool:
    """Delete an environment (complete or not); False when there was none."""
    directory = env_dir(requirement)
    if not directory.exists():
        return False
    shutil.rmtree(directory)
    return True


def ensure(requirement: Requirement, report: Callable[[str], None] = print) -> Environment:
    """The environment of `requirement`, created first if it does not exist or is incomplete.

    Two runs asking for the same missing version at once install it once: the second
    waits for the first (a lock file beside the environment) and then finds it complete.
    """
    existing = find(requirement)
    if existing is not None:
        return existing
    with _locked(requirement, report):
        existing = find(requirement)
        return existing if existing is not None else create(requirement, report)


@contextlib.contextmanager
def _locked(requirement: Requirement, report: Callable[[str], None]) -> Iterator[None]:
    directory = env_dir(requirement)
    directory.parent.mkdir(parents=True, exist_ok=True)
    with open(directory.parent / f".{directory.name}.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            report(f"apicompat: waiting for another process that is installing {requirement}")
            fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def create(requirement: Requirement, report: Callable[[str], None] = print) -> Environment:
    """Create (or rebuild) the environment: a venv, then pip installs the framework version.

    Raises ApicompatError naming the version when the package index lacks it, or when
    pip fails for another reason (its last lines, and where the full log is).
    """
    directory = env_dir(requirement)
    if directory.exists():
        shutil.rmtree(directory)  # incomplete: an interrupted or failed install
    directory.mkdir(parents=True)
    try:
        own_pip = importlib.util.find_spec("pip") is not None
        # Without pip here, the venv gets its own (slower to create).
        venv.create(directory, with_pip=not own_pip, symlinks=True)
        python = directory / "bin" / "python"
        constraints = _constraints(requirement, directory)
        log = directory / "install.log"
        constrained = constraints is not None
        result = _pip_install(requirement, python, constraints, log, report, own_pip)
        if result.returncode != 0 and constraints is not None and "ResolutionImpossible" in result.output:
            report(
                f"apicompat: {requirement} conflicts with the pins in constraints.txt "
                f"({_conflict(result.output)}); installing it with its own requirements"
            )
            constrained = False
            result = _pip_install(requirement, python, None, log, report, own_pip)
        if result.returncode != 0:
            raise ApicompatError(_install_error(requirement, result.output, log))
        installed = _installed_version(python, requirement)
        if installed != requirement.version:
            raise ApicompatError(
                f"installing {requirement} gave {requirement.distribution} {installed}; see {log}"
            )
        python_version = subprocess.run(
            [str(python), "-c", "import platform; print(platform.python_version())"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)  # never leave a half-built environment behind
        raise
    marker = {
        "framework": requirement.framework,
        "version": requirement.version,
        "python": python_version,
        "constrained": constrained,
    }
    (directory / MARKER).write_text(json.dumps(marker, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    report(f"apicompat: {requirement} ready in {directory}")
    env = _read(directory)
    assert env is not None
    return env


def project_constraints() -> Path | None:
    """constraints.txt of the apicompat checkout in use, if there is one."""
    path = Path(apicompat.__file__).resolve().parents[1] / "constraints.txt"
    return path if path.is_file() else None


def _constraints(requirement: Requirement, directory: Path) -> Path | None:
    """The project's constraints without the framework's own pin, written into the environment."""
    source = project_constraints()
    if source is None:
        return None
    name = _normalize(requirement.distribution)
    kept = []
    for line in source.read_text(encoding="utf-8").splitlines():
        pinned = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9_.-]*)", line)
        if pinned is not None and not line.lstrip().startswith("#") and _normalize(pinned.group(1)) == name:
            continue
        kept.append(line)
    path = directory / "constraints.txt"
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return path


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class _PipResult:
    returncode: int
    output: str


def _pip_install(
    requirement: Requirement,
    python: Path,
    constraints: Path | None,
    log: Path,
    report: Callable[[str], None],
    own_pip: bool,
) -> _PipResult:
    """Run pip for the environment, its output in `log`, with a progress line while it works."""
    # This process's pip installs into the venv (pip --python), so the venv needs none of its own.
    pip = [sys.executable, "-m", "pip", "--python", str(python)] if own_pip else [str(python), "-m", "pip"]
    command = [
        *pip, "install", "--disable-pip-version-check", "--no-input",
        f"{requirement.distribution}=={requirement.version}", *WORKER_REQUIREMENTS,
    ]  # fmt: skip
    if constraints is not None:
        command += ["-c", str(constraints)]
    report(f"apicompat: installing {requirement} into {python.parent.parent} (pip; this can take minutes)")
    lines: list[str] = []
    with open(log, "a", encoding="utf-8") as out:
        out.write("$ " + " ".join(command) + "\n")
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            errors="replace",
        )
        assert process.stdout is not None
        with _progress(requirement, lines, report):
            for line in process.stdout:
                out.write(line)
                lines.append(line.rstrip())
        returncode = process.wait()
    return _PipResult(returncode, "\n".join(lines))


@contextlib.contextmanager
def _progress(requirement: Requirement, lines: list[str], report: Callable[[str], None]) -> Iterator[None]:
    """Every few seconds, one line: how long the install has run and what pip does now."""
    done = threading.Event()
    began = time.monotonic()

    def tick() -> None:
        while not done.wait(_PROGRESS_SECONDS):
            last = next((ln for ln in reversed(lines) if ln.strip()), "")
            step = f": {last.strip()[:100]}" if last else ""
            report(f"apicompat: installing {requirement}, {time.monotonic() - began:.0f} s{step}")

    thread = threading.Thread(target=tick, name="apicompat-install-progress", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def _conflict(output: str) -> str:
    """pip's reason for a resolution conflict, in a line: "mindspore 2.9.0 depends on numpy<2.0"."""
    causes = [ln.strip() for ln in output.splitlines() if " depends on " in ln or "user requested" in ln]
    return "; ".join(dict.fromkeys(causes)) or "see pip's output"


def _install_error(requirement: Requirement, output: str, log: Path) -> str:
    """The error for a failed install: a missing version names the ones the index has."""
    if "No matching distribution found" in output or "Could not find a version" in output:
        found = re.search(r"\(from versions: ([^)]*)\)", output)
        versions = found.group(1).strip() if found else ""
        python = ".".join(str(v) for v in sys.version_info[:2])
        available = f"; it has {versions}" if versions and versions != "none" else ""
        return (
            f"{requirement.distribution} {requirement.version} is not on the package index for "
            f"Python {python}{available}. Choose another version with --with, e.g. "
            f"{requirement.framework}==<version> (pip's log: {log})"
        )
    tail = "\n".join("  " + ln for ln in output.splitlines()[-8:])
    return f"pip could not install {requirement}:\n{tail}\n(full log: {log})"


def _installed_version(python: Path, requirement: Requirement) -> str:
    code = f"import importlib.metadata as m; print(m.version({requirement.distribution!r}))"
    done = subprocess.run([str(python), "-c", code], capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else f"nothing ({done.stderr.strip()[-200:]})"


def worker_path(directory: Path) -> tuple[str, ...]:
    """The import path of a worker in an environment: apicompat's checkout, then the session's own
    paths except its installation's (those hold the installed framework version)."""
    installed = _installation_dirs()
    package = Path(apicompat.__file__).resolve().parent
    root = package.parent
    if any(_inside(root, d) for d in installed):
        # apicompat is installed, not checked out: expose only its package through a link.
        link_dir = directory / "apicompat-link"
        link_dir.mkdir(exist_ok=True)
        link = link_dir / "apicompat"
        if not link.is_symlink() or link.resolve() != package:
            tmp = link_dir / f".apicompat-{os.getpid()}"
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            tmp.symlink_to(package, target_is_directory=True)
            os.replace(tmp, link)
        root = link_dir
    paths = [str(root)]
    for entry in sys.path:
        path = Path(entry or os.getcwd()).resolve()
        if str(path) not in paths and not any(_inside(path, d) for d in installed):
            paths.append(str(path))
    return tuple(paths)


def _installation_dirs() -> list[Path]:
    """This interpreter's own prefixes (standard library, site-packages) and the user site."""
    dirs = {Path(p).resolve() for p in (sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix)}
    user = site.getusersitepackages()
    if user:
        dirs.add(Path(user).resolve())
    return sorted(dirs)


def _inside(path: Path, directory: Path) -> bool:
    return path == directory or directory in path.parents
