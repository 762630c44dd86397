"""Environments for other framework versions: created with pip (offline, from a local wheel), cached,
listed and removed; a missing version is a clear error; a worker runs under the environment's Python."""

from __future__ import annotations

import sys
import sysconfig
from pathlib import Path

import pytest
from versioned_frameworks import build_wheel

from apicompat.execute import Session, environments
from apicompat.execute.environments import ENVS_DIR_ENV, Requirement, parse_requirement
from apicompat.records import ApicompatError, Implementation


@pytest.fixture
def offline_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty environment root and a package 'index' that is a directory with fakefw 1.0 and 2.0."""
    wheels = tmp_path / "wheels"
    build_wheel(wheels, "1.0")
    build_wheel(wheels, "2.0")
    monkeypatch.setenv(ENVS_DIR_ENV, str(tmp_path / "envs"))
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(wheels))
    # The worker's NumPy comes from this interpreter's site-packages (below): nothing to fetch.
    monkeypatch.setattr(environments, "WORKER_REQUIREMENTS", ())
    return wheels


def _with_numpy(env: environments.Environment) -> None:
    """Let the environment import this interpreter's NumPy (after its own packages), as pip would install."""
    (env.site_packages / "numpy-from-tests.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")


def test_requirements_parse_or_say_the_form() -> None:
    assert parse_requirement(" MindSpore == 2.9.0 ") == Requirement("mindspore", "2.9.0")
    with pytest.raises(
        ApicompatError, match=r"expected FRAMEWORK==VERSION, e.g. mindspore==2.9.0, got 'mindspore'"
    ):
        parse_requirement("mindspore")


def test_the_root_follows_xdg_cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENVS_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert (
        environments.env_dir(Requirement("mindspore", "2.9.0")) == tmp_path / "apicompat/envs/mindspore-2.9.0"
    )


def test_create_list_reuse_remove(offline_index: Path) -> None:
    lines: list[str] = []
    requirement = Requirement("fakefw", "1.0")
    env = environments.ensure(requirement, lines.append)
    assert env.directory == environments.envs_root() / "fakefw-1.0"
    assert env.python_version == ".".join(map(str, sys.version_info[:3]))
    assert (env.site_packages / "fakefw" / "__init__.py").read_text().count('__version__ = "1.0"') == 1
    assert any("installing fakefw==1.0" in line for line in lines)
    assert [e.requirement for e in environments.list_environments()] == [requirement]
    lines.clear()
    assert environments.ensure(requirement, lines.append) == env and lines == []  # cached: no install
    assert environments.remove(requirement) and environments.list_environments() == []
    assert not environments.remove(requirement)


def test_a_version_the_index_lacks_is_named(offline_index: Path) -> None:
    with pytest.raises(ApicompatError) as caught:
        environments.create(Requirement("fakefw", "3.0"), lambda _: None)
    message = str(caught.value)
    assert "fakefw 3.0 is not on the package index for Python" in message
    assert "it has 1.0, 2.0" in message
    assert not environments.env_dir(Requirement("fakefw", "3.0")).exists()  # nothing half-built is kept


def test_constraints_drop_the_framework_pin(tmp_path: Path) -> None:
    path = environments._constraints(Requirement("mindspore", "2.9.0"), tmp_path)
    assert path is not None
    text = path.read_text(encoding="utf-8")
    assert "mindspore==" not in text and "numpy==" in text and "torch==" in text


def test_a_worker_runs_the_environments_version_not_the_sessions(
    offline_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # fakefw 2.0 is on the session's own path; the environment has 1.0 installed.
    from versioned_frameworks import write_package

    monkeypatch.syspath_prepend(str(write_package(tmp_path / "v2", "2.0")))
    env = environments.ensure(Requirement("fakefw", "1.0"), lambda _: None)
    _with_numpy(env)
    adapters = {"fakefw": "versioned_frameworks:FakeFwAdapter"}
    impl = Implementation("fakefw", "fakefw.total", params=())
    with (
        Session(adapters=adapters) as here,
        Session(adapters=adapters, interpreters={"fakefw": env.interpreter()}) as there,
    ):
        assert here.worker_info("fakefw", "cpu").version == "2.0"
        info = there.worker_info("fakefw", "cpu")
        assert info.available and info.version == "1.0", info.message
        assert [p.name for p in there.signature(impl).params] == ["input", "dim", "keepdim"]
        assert [p.name for p in here.signature(impl).params] == ["input", "axis", "keepdim"]


def test_a_crash_in_the_environments_worker_costs_only_its_case(offline_index: Path) -> None:
    from fake_frameworks import FAST_MEMORY_MB, FAST_TIMEOUT, make_case, make_impl

    from apicompat.execute import RunOptions
    from apicompat.records import Status

    env = environments.ensure(Requirement("fakefw", "1.0"), lambda _: None)
    _with_numpy(env)
    options = RunOptions(timeout=FAST_TIMEOUT, memory_mb=FAST_MEMORY_MB, batch_size=2)
    impl = make_impl("fake.dispatch", framework="fakefw", params={"input": "input", "action": "action"})
    cases = [make_case(1), make_case(2, action="segfault"), make_case(3), make_case(4)]
    adapters = {"fakefw": "versioned_frameworks:FakeFwAdapter"}
    with Session(options, adapters=adapters, interpreters={"fakefw": env.interpreter()}) as session:
        (observations,) = session.run([(impl, "cpu")], cases).values()
    assert [o.status for o in observations] == [Status.OK, Status.CRASH, Status.OK, Status.OK]
    assert observations[1].error_type == "SIGSEGV" and observations[1].case_id == cases[1].id


def test_a_second_process_waits_for_the_install_under_way(offline_index: Path) -> None:
    import fcntl
    import threading

    requirement = Requirement("fakefw", "1.0")
    root = environments.envs_root()
    root.mkdir(parents=True)
    lines: list[str] = []
    found: list[environments.Environment] = []
    with open(root / ".fakefw-1.0.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # "another process" is installing
        waiter = threading.Thread(target=lambda: found.append(environments.ensure(requirement, lines.append)))
        waiter.start()
        waiter.join(1.0)
        assert waiter.is_alive() and lines == [
            "apicompat: waiting for another process that is installing fakefw==1.0"
        ]
        fcntl.flock(lock, fcntl.LOCK_UN)
    waiter.join(60)
    assert found and found[0].requirement == requirement
