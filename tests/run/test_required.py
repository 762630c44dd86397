"""Parameters only the target requires: the cases are measured with them given, the raise is a row."""

from __future__ import annotations

from typing import cast

import numpy as np
from stub_session import StubSession

from apicompat.generate import generate_cases
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
from apicompat.run.pipeline import reference_implementation
from apicompat.run.required import required_params, required_rows, required_trial
from apicompat.spec import load_spec

SPEC = load_spec("specs/batch_norm.yaml")
SOURCE, OPS = SPEC.source, SPEC.targets[1]  # torch's batch_norm; mindspore.ops.batch_norm
POK = "POSITIONAL_OR_KEYWORD"


def _sig(api: str, *params: tuple[str, str | None]) -> SignatureInfo:
    return SignatureInfo(api, tuple(ParamInfo(n, POK, d) for n, d in params), "inspect", api)


SOURCE_SIG = _sig(SOURCE.api, ("input", None), ("running_mean", None), ("weight", "None"), ("bias", "None"))
TARGET_SIG = _sig(OPS.api, ("input_x", None), ("running_mean", None), ("weight", None), ("bias", None))


def test_a_parameter_with_a_source_default_and_none_in_the_target_is_required_there() -> None:
    assert required_params([p.name for p in SPEC.params], SOURCE, OPS, SOURCE_SIG, TARGET_SIG) == (
        "weight",
        "bias",
    )
    assert required_params([p.name for p in SPEC.params], SOURCE, OPS, SOURCE_SIG, SOURCE_SIG) == ()


def _needs_weight_and_bias(impl: Implementation, case: Case) -> Observation:
    """The source and the reference take any call; the target raises without weight and bias."""
    if impl.api == OPS.api and not {"weight", "bias"} <= set(case.arg_dict):
        return Observation(
            case.id, "x", "cpu", Status.ERROR, error_type="TypeError", error_message="missing 'weight'\ntb"
        )
    shape = cast(TensorArg, case.arg_dict["input"]).shape
    return Observation(case.id, "x", "cpu", Status.OK, (Output("float32", shape, np.zeros(shape)),))


def test_cases_that_omit_them_are_measured_with_them_given_and_the_raise_is_the_default_row() -> None:
    cases = generate_cases(SPEC, 0, None)[:8]
    jobs = [(reference_implementation(SPEC), "cpu"), (SOURCE, "cpu"), (OPS, "cpu")]
    observations = {(impl.api, d): [_needs_weight_and_bias(impl, c) for c in cases] for impl, d in jobs}
    session = StubSession(_needs_weight_and_bias).as_session()
    trial = required_trial(session, SPEC, jobs, ("weight", "bias"), cases, observations)
    assert trial is not None
    assert all({"weight", "bias"} <= set(c.arg_dict) for c in trial.cases)
    assert all(o.ok for o in trial.observations[(OPS.api, "cpu")])  # measured, no longer raising
    omitted = {c.id for c in cases if "weight" not in c.arg_dict}
    assert set(trial.raised["weight"]) == omitted and "TypeError: missing 'weight'" in trial.error
    row = Difference(
        DiffKind.PARAM_DEFAULT,
        "`weight` defaults to None",
        "weight",
        "weight",
        "weight",
        severity=Severity.INTERFACE,
    )
    (judged,) = required_rows([row], trial, {c.id: c for c in cases}, SOURCE, OPS)
    assert judged.severity is Severity.INTERFACE and judged.case_count == len(omitted)
    assert "raise in MindSpore where PyTorch returns (TypeError: missing 'weight')" in judged.summary


def test_no_trial_where_giving_them_does_not_help() -> None:
    def always_raises(impl: Implementation, case: Case) -> Observation:
        if impl.api == OPS.api:
            return Observation(
                case.id, "x", "cpu", Status.ERROR, error_type="RuntimeError", error_message="no kernel"
            )
        return _needs_weight_and_bias(impl, case)

    cases = generate_cases(SPEC, 0, None)[:4]
    jobs = [(reference_implementation(SPEC), "cpu"), (SOURCE, "cpu"), (OPS, "cpu")]
    observations = {(impl.api, d): [always_raises(impl, c) for c in cases] for impl, d in jobs}
    session = StubSession(always_raises).as_session()
    assert required_trial(session, SPEC, jobs, ("weight", "bias"), cases, observations) is None
