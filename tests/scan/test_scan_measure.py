"""A script's recorded calls as cases of a spec, and each call's outcome read from observations."""

from __future__ import annotations

from scan_helpers import REPO, use

from apicompat.records import (
    Difference,
    DiffKind,
    Observation,
    Severity,
    SpecResult,
    Status,
    TargetResult,
    TensorArg,
)
from apicompat.records.scan import CallSeen, DtypeSeen, OtherSeen, TensorSeen
from apicompat.scan.measure import call_case, call_cases, outcomes
from apicompat.spec import load_spec

CONV = load_spec(REPO / "specs" / "conv2d.yaml", check_imports=False)
CE = load_spec(REPO / "specs" / "cross_entropy.yaml", check_imports=False)
SOFTMAX = load_spec(REPO / "specs" / "softmax.yaml", check_imports=False)
X, W = TensorSeen("float32", (4, 3, 16, 16)), TensorSeen("float32", (8, 3, 3, 3))


def _call(*positional: object, **keywords: object) -> CallSeen:
    return CallSeen(tuple(positional), tuple(keywords.items()), 1)  # type: ignore[arg-type]


def test_positionals_bind_in_the_sources_order_with_generated_values() -> None:
    entry = call_case(
        CONV, use("torch.nn.functional.conv2d"), _call(X, W, None, (2, 2), (1, 1), (1, 1), 1), 0
    )
    assert entry.case is not None, entry.why_not
    args = entry.case.arg_dict
    assert isinstance(args["input"], TensorArg) and args["input"].shape == (4, 3, 16, 16)
    assert args["input"].fill == "random" and args["input"].seed != 0  # generated, never the model's data
    assert (args["bias"], args["stride"], args["padding"], args["groups"]) == (None, (2, 2), (1, 1), 1)
    assert entry.case.facet_dict["group"] == "scan"


def test_a_method_call_binds_its_receiver_first() -> None:
    entry = call_case(SOFTMAX, use("torch.Tensor.softmax"), _call(TensorSeen("float32", (2, 3)), dim=-1), 0)
    assert entry.case is not None
    assert entry.case.arg_dict["dim"] == -1 and isinstance(entry.case.arg_dict["input"], TensorArg)
    dtype = call_case(
        SOFTMAX, use("torch.softmax"), _call(TensorSeen("float32", (2, 3)), 1, DtypeSeen("float64")), 0
    )
    assert dtype.case is not None and dtype.case.arg_dict["dtype"].name == "float64"  # type: ignore[union-attr]


def test_trailing_positionals_the_spec_does_not_model_are_dropped_when_off() -> None:
    entry = call_case(CONV, use("c"), _call(X, W, None, 1, 0, 1, 1, None, False), 0)
    assert entry.case is not None and len(entry.case.args) == 7


def test_index_targets_get_values_in_range_and_off_keywords_are_dropped() -> None:
    call = _call(
        TensorSeen("float32", (4, 10)), TensorSeen("int64", (4,)), size_average=None, reduction="sum"
    )
    entry = call_case(CE, use("torch.nn.functional.cross_entropy"), call, 0)
    assert entry.case is not None, entry.why_not
    target = entry.case.arg_dict["target"]
    assert isinstance(target, TensorArg) and target.fill == "range" and (target.low, target.high) == (0, 4)
    assert entry.case.arg_dict["reduction"] == "sum" and "size_average" not in entry.case.arg_dict


def test_calls_a_case_cannot_carry_say_why() -> None:
    reasons = [
        call_case(CONV, use("c"), call, 0).why_not
        for call in (
            _call(X, W, generator=OtherSeen("Generator")),
            _call(X, W, None, 1, 0, 1, 1, "extra"),
            _call(X, W, None, 1, 0, 1, 1, 2),
            _call(X),
            _call(TensorSeen("complex32", (2,)), W),
            _call(X, OtherSeen("Parameter")),
        )
    ]
    assert reasons == [
        "argument generator=<Generator> is not a parameter of spec conv2d",
        "8 positional arguments, the spec has 7",
        "8 positional arguments, the spec has 7",
        "the call gives no weight",
        "dtype complex32 of input is outside the compared dtypes",
        "weight is <Parameter>, which a case cannot carry",
    ]


def _obs(case_id: str, api: str, ok: bool) -> Observation:
    status = Status.OK if ok else Status.ERROR
    return Observation(case_id, api, "cpu", status, error_type=None if ok else "RuntimeError")


def test_each_call_gets_an_outcome_per_candidate() -> None:
    api = use("torch.nn.functional.conv2d", signatures=(_call(X, W), _call(X, W, None, 2), _call(X)))
    consistent, differs, unsupported = call_cases(CONV, api)
    assert consistent.case is not None and differs.case is not None and unsupported.case is None
    mint, ops = (t.api for t in CONV.targets)
    diff = Difference(
        DiffKind.VALUE_MISMATCH, "results differ (3 case(s))", "values", cases=(differs.case.id,),
        severity=Severity.SILENT,
    )  # fmt: skip
    result = SpecResult("conv2d", "conv2d", "", CONV.source.api, None, {}, ("cpu",), (), 1, 2, (
        TargetResult(mint, "mindspore", None, ()),
        TargetResult(ops, "mindspore", None, (diff,)),
    ))  # fmt: skip
    observations = {
        (CONV.source.api, "cpu"): [_obs(consistent.case.id, CONV.source.api, True),
                                   _obs(differs.case.id, CONV.source.api, True)],
        (mint, "cpu"): [_obs(consistent.case.id, mint, False), _obs(differs.case.id, mint, True)],
        (ops, "cpu"): [_obs(consistent.case.id, ops, True), _obs(differs.case.id, ops, True)],
    }  # fmt: skip
    found = [
        (o.target, o.outcome, o.severity)
        for o in outcomes(CONV, [consistent, differs, unsupported], result, observations)
    ]
    assert found == [
        (mint, "MindSpore raises RuntimeError", None),
        (ops, "consistent", None),
        (mint, "consistent", None),
        (ops, "differs: results differ", Severity.SILENT),
        (mint, "not run: the call gives no weight", None),
        (ops, "not run: the call gives no weight", None),
    ]
