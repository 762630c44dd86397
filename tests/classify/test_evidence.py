"""The evidence ledger counts how cases ended on both sides and which parameter values ran."""

from __future__ import annotations

import numpy as np

from apicompat.classify.behaviour import Pairing
from apicompat.classify.evidence import evidence_ledger
from apicompat.records import (
    DTYPES,
    Case,
    DtypeOutcome,
    Implementation,
    Observation,
    Output,
    Status,
    TensorArg,
)

SOURCE = Implementation("torch", "torch.op", (("input", "input"), ("dim", "dim"), ("out", "out")))
TARGET = Implementation("mindspore", "ms.op", (("input", "x"), ("dim", "axis"), ("out", None)))


def case(dtype: str, dim: int | None, n: int = 3) -> Case:
    args: list[tuple[str, object]] = [("input", TensorArg(dtype, (n,), seed=n))]
    if dim is not None:
        args.append(("dim", dim))
    return Case("op", tuple(args), (("dtype", dtype),))  # type: ignore[arg-type]


def ok(c: Case) -> Observation:
    return Observation(c.id, "x", "cpu", Status.OK, (Output("float32", (1,), np.ones(1)),))


def err(c: Case) -> Observation:
    return Observation(c.id, "x", "cpu", Status.ERROR, error_type="TypeError", error_message="no")


def test_ledger_counts_and_parameter_values() -> None:
    a, b, c, d = case("float32", 0), case("float32", None, 4), case("bfloat16", 0, 5), case("int8", 1, 6)
    pairing = Pairing(
        [a, b, c, d],
        [ok(a), ok(b), ok(c), err(d)],
        [ok(a), ok(b), err(c), err(d)],
        [ok(a), ok(b), ok(c), ok(d)],
    )
    ev = evidence_ledger(pairing, ["input", "dim", "out"], SOURCE, TARGET)
    assert (ev.compared, ev.both_raised, ev.only_target_raised, ev.only_source_raised) == (2, 1, 1, 0)
    # `out` is one-sided: an interface matter, not a gap in the evidence.
    assert [(p.name, p.values) for p in ev.params] == [("input", ("float32",)), ("dim", ("omitted", "0"))]
    assert ev.unexercised == ()
    assert set(ev.dtypes) == {
        DtypeOutcome("float32", compared=2),
        DtypeOutcome("bfloat16", only_target_raised=1),
        DtypeOutcome("int8", both_raised=1),
    }
    assert [d.dtype for d in ev.dtypes] == [d for d in DTYPES if d in ("float32", "bfloat16", "int8")]


def test_a_parameter_never_given_where_both_returned_is_a_gap() -> None:
    a, b = case("float32", None), case("float32", 1, 4)
    pairing = Pairing([a, b], [ok(a), ok(b)], [ok(a), err(b)], [ok(a), ok(b)])
    assert evidence_ledger(pairing, ["input", "dim"], SOURCE, TARGET).unexercised == ("dim",)
