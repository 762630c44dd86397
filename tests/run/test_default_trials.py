"""The defaults trial on a stub session: the value a default stands for, and a trial that cannot run."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import numpy as np
from stub_session import StubSession

from apicompat.records import (
    Case,
    Difference,
    DiffKind,
    Implementation,
    Observation,
    Output,
    ParamInfo,
    Severity,
    SignatureInfo,
    Status,
    TensorArg,
)
from apicompat.run.defaults import default_trials
from apicompat.spec import load_spec

SPEC = load_spec("specs/softmax.yaml")
SOURCE = Implementation("torch", "torch.nn.functional.softmax", (("input", "input"), ("dim", "dim")))
TARGET = Implementation("mindspore", "mindspore.ops.softmax", (("input", "input"), ("dim", "axis")))
SOURCE_SIG = SignatureInfo(
    SOURCE.api,
    (ParamInfo("input", "POSITIONAL_OR_KEYWORD", None), ParamInfo("dim", "POSITIONAL_OR_KEYWORD", "None")),
    "inspect",
    SOURCE.api,
)


def _case(rank: int) -> Case:
    shape = (2,) * rank
    return Case("softmax", (("input", TensorArg("float32", shape, seed=rank)),), (("dtype", "float32"),))


def _returns(case: Case, value: float) -> Observation:
    return Observation(case.id, "x", "cpu", Status.OK, (Output("float32", (1,), np.asarray([value])),))


def _implicit_dim(impl: Implementation, case: Case) -> Observation:
    """torch picks dim 0 for rank 3 (its legacy rule); MindSpore rejects axis=None and uses -1 omitted."""
    rank = len(cast(TensorArg, case.arg_dict["input"]).shape)
    dim = case.arg_dict.get("dim", "omitted")
    if impl is TARGET and dim is None:
        return Observation(
            case.id,
            "x",
            "cpu",
            Status.ERROR,
            error_type="TypeError",
            error_message="axis must be int\ntrace",
        )
    if dim == "omitted":
        dim = 0 if impl is SOURCE and rank == 3 else rank - 1
    return _returns(case, float(cast(int, dim) % rank))


def _trial(rule: Callable[[Implementation, Case], Observation], cases: list[Case]) -> Any:
    session = StubSession(rule)
    default = Difference(
        DiffKind.PARAM_DEFAULT, "`dim` defaults to None", "dim", "dim", "axis", severity=Severity.INTERFACE
    )
    values = Difference(
        DiffKind.VALUE_MISMATCH,
        "values",
        "float32",
        cases=tuple(c.id for c in cases),
        device="cpu",
        severity=Severity.SILENT,
    )
    source_obs = [rule(SOURCE, c) for c in cases]
    trials = default_trials(
        session.as_session(),
        SPEC,
        SOURCE,
        TARGET,
        SOURCE_SIG,
        [default, values],
        {c.id: c for c in cases},
        source_obs,
    )
    return trials["dim"], session


def test_where_the_default_raises_in_the_target_the_value_it_stands_for_is_tried() -> None:
    case = _case(3)
    trial, session = _trial(_implicit_dim, [case])
    assert trial.raised == 1 and "TypeError: axis must be int" in trial.raised_note
    assert dict(trial.implied) == {case.id: 0}  # torch's omitted dim behaves as dim=0 on rank 3
    assert trial.agreed == frozenset({case.id})
    # the default on the target, each axis on the source, the found value on the target
    assert session.runs == [(TARGET.api, 1), (SOURCE.api, 3), (TARGET.api, 1)]


def test_a_trial_that_cannot_run_says_why() -> None:
    from apicompat.classify.causes import fold_defaults

    def rejects_every_value(impl: Implementation, case: Case) -> Observation:
        if impl is TARGET and "dim" in case.arg_dict:
            return Observation(
                case.id, "x", "cpu", Status.ERROR, error_type="TypeError", error_message="no\nx"
            )
        return _returns(case, 9.0 if impl is SOURCE and "dim" not in case.arg_dict else 1.0)

    case = _case(2)
    trial, _ = _trial(rejects_every_value, [case])
    assert trial.raised == 1 and not trial.implied and not trial.agreed
    default = Difference(
        DiffKind.PARAM_DEFAULT, "`dim` defaults to None", "dim", "dim", "axis", severity=Severity.INTERFACE
    )
    (judged,) = fold_defaults([default], {"dim": trial}, "softmax", "t")
    assert (
        "the trial could not run: passing `axis=None` raises in the target (TypeError: no)" in judged.summary
    )
