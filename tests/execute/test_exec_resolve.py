"""Resolving API paths in workers before anything runs, and refusing a spec the live callables contradict."""

from __future__ import annotations

from pathlib import Path

import pytest

from apicompat.execute import Session
from apicompat.records import Implementation
from apicompat.run.preflight import SpecRefused, preflight, refuse
from apicompat.spec import load_spec

SPEC = """\
apicompat: 1
id: resolving
params:
  - name: input
    kind: tensor
  - name: dim
    kind: axis
    of: input
reference: apicompat.references:cumsum
source:
  framework: fake
  api: fake.ok
  positional: [input, dim]
targets:
  - framework: fake
    api: fake.okk
  - framework: fake
    api: fake_frameworks.documented
    params: {dim: dimm}
  - framework: fake
    api: fake_frameworks.FAKE_ADAPTERS
"""


def test_the_worker_says_where_a_path_stops(session: Session) -> None:
    found = session.resolve(Implementation("fake", "fake.okk", ()))
    assert (
        not found.ok and found.message == "module 'fake' has no attribute 'okk'" and "ok" in found.candidates
    )
    assert session.resolve(Implementation("fake", "fake.ok", ())).ok
    not_callable = session.resolve(Implementation("fake", "fake_frameworks.FAKE_ADAPTERS", ()))
    assert not_callable.message == "'fake_frameworks.FAKE_ADAPTERS' is not callable (it is a dict)"


def test_preflight_refuses_with_file_line_and_key(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "resolving.yaml"
    path.write_text(SPEC)
    spec = load_spec(path, check_imports=False, frameworks=("numpy", "fake"))
    check = preflight(spec, session)
    assert [str(e) for e in check.errors] == [
        f"{path}:16: error at 'targets[0].api': module 'fake' has no attribute 'okk' (did you mean 'ok'?)",
        f"{path}:21: error at 'targets[2].api': 'fake_frameworks.FAKE_ADAPTERS' is not callable "
        "(it is a dict) (name a function, or a class's method with method: true)",
    ]
    (drift,) = check.drift
    assert (drift.line, drift.key) == (19, "targets[1].params.dim")
    assert "has no parameter 'dimm'" in drift.message and drift.hint == "did you mean 'dim'?"
    with pytest.raises(SpecRefused) as refused:
        refuse(spec, check, allow_drift=True)
    assert len(refused.value.problems) == 2  # drift allowed; the unresolvable paths never are
    with pytest.raises(SpecRefused) as refused:
        refuse(spec, check, allow_drift=False)
    assert [p.line for p in refused.value.problems] == [16, 19, 21]
