"""Classification for several outputs, unstable outputs, empty inputs and targets that reject everything."""

from __future__ import annotations

import numpy as np

from apicompat.classify.behaviour import Pairing, classify
from apicompat.records import (
    Case,
    Difference,
    DiffKind,
    Implementation,
    Observation,
    Output,
    Status,
    TensorArg,
)
from apicompat.records.arrays import materialize
from apicompat.records.cases import CONSTANT
from apicompat.run.stability import filled, has_empty_input, same_outputs

SOURCE = Implementation("torch", "torch.op", (("input", "input"),))
TARGET = Implementation("mindspore", "mindspore.ops.op", (("input", "input"),))


def case(dtype: str, n: int = 3, **facets: str) -> Case:
    args = (("input", TensorArg(dtype, (n,), seed=n + len(facets))),)
    base = {"dtype": dtype, "rank": "1", "group": "dtype_sweep"} | facets
    return Case("op", args, tuple(sorted(base.items())))


def out(*arrays: tuple[str, list[float]]) -> tuple[Output, ...]:
    return tuple(Output(d, np.asarray(v).shape, np.asarray(v, dtype=d)) for d, v in arrays)


def ok(c: Case, *arrays: tuple[str, list[float]]) -> Observation:
    return Observation(c.id, "x", "cpu", Status.OK, out(*arrays))


def err(c: Case, etype: str = "RuntimeError", message: str = "The kernel Op unregistered.") -> Observation:
    return Observation(c.id, "x", "cpu", Status.ERROR, error_type=etype, error_message=message)


def diffs(rows: list[tuple[Case, Observation, Observation]], **extra: object) -> list[Difference]:
    cases = [r[0] for r in rows]
    pairing = Pairing(cases, [r[1] for r in rows], [r[2] for r in rows], [r[1] for r in rows], **extra)  # type: ignore[arg-type]
    return classify(SOURCE, TARGET, pairing, "cpu")


def test_index_dtype_of_several_outputs_is_one_row_across_input_dtypes() -> None:
    rows = []
    for n, dtype in enumerate(("float32", "int8", "int16")):
        c = case(dtype, n + 2)
        rows.append((c, ok(c, (dtype, [1]), ("int64", [0])), ok(c, (dtype, [1]), ("int32", [0]))))
    names = {c.id: ("values", "indices") for c, _, _ in rows}
    (found,) = diffs(rows, output_names=names)
    assert found.kind is DiffKind.OUTPUT_DTYPE and found.subject == "indices:int64->int32"
    assert "returns indices as int32 where PyTorch returns int64" in found.summary
    assert found.details["source"] == "indices: int64" and found.details["target"] == "indices: int32"


def test_value_differences_name_the_outputs_that_differ() -> None:
    c = case("float32")
    (found,) = diffs(
        [(c, ok(c, ("float32", [3]), ("int64", [2])), ok(c, ("float32", [3]), ("int64", [1])))],
        output_names={c.id: ("values", "indices")},
    )
    assert found.kind is DiffKind.VALUE_MISMATCH and "in indices" in found.summary


def test_a_different_number_of_outputs_still_compares_the_shared_ones() -> None:
    c = case("int64")
    found = diffs([(c, ok(c, ("int64", [1, 3])), ok(c, ("int64", [4, 1]), ("int64", [1, 0, 0])))])
    subjects = {(d.kind, d.subject) for d in found}
    assert subjects == {
        (DiffKind.OUTPUT_STRUCTURE, "count:1->2"),
        (DiffKind.VALUE_MISMATCH, "shared_outputs"),
    }
    count = next(d for d in found if d.kind is DiffKind.OUTPUT_STRUCTURE)
    assert "returns 2 outputs where PyTorch returns 1 output" in count.summary
    assert count.severity.value == "silent"


def test_the_same_values_in_another_order_are_an_ordering_difference() -> None:
    c = case("int64")
    found = diffs([(c, ok(c, ("int64", [1, 3])), ok(c, ("int64", [3, 1]), ("int64", [1, 0, 0])))])
    assert {(d.kind, d.subject) for d in found} == {
        (DiffKind.OUTPUT_STRUCTURE, "count:1->2"),
        (DiffKind.ORDERING, "order"),
    }


def test_unstable_target_cases_are_one_group_without_values() -> None:
    a, b = case("float32"), case("float32", 4)
    found = diffs(
        [
            (a, ok(a, ("float32", [1])), ok(a, ("float32", [9]))),
            (b, ok(b, ("float32", [1])), ok(b, ("float32", [1]))),
        ],
        target_unstable=frozenset({a.id, b.id}),
    )
    (only,) = found
    assert only.subject == "nondeterministic:target" and only.case_count == 2
    assert "max_abs_error" not in only.details, "random values have no error size worth reporting"


def test_empty_inputs_with_results_that_differ_are_stated_once_without_values() -> None:
    a, b = case("float32", 0, empty="true"), case("int64", 0, empty="true")
    found = diffs(
        [
            (a, ok(a, ("float32", [0.0])), ok(a, ("float32", [1e30]))),
            (b, ok(b, ("int64", [0])), ok(b, ("int64", [0]))),
        ],
        target_unstable=frozenset({b.id}),
    )
    (only,) = found
    # Stable in this run or not, the same row every run: whether such values vary is not one run's to say.
    assert only.subject == "empty_input" and only.case_count == 2
    assert "1e+30" not in only.summary and "not shown" in only.summary


def test_a_target_that_raises_on_every_valid_case_is_one_device_row() -> None:
    rows = [
        (c, ok(c, ("float32", [1])), err(c))
        for c in (
            case(d, 2 + i) for i, d in enumerate(("float32", "int8", "int16", "int32", "int64", "uint8"))
        )
    ]
    (only,) = diffs(rows)
    assert only.kind is DiffKind.DEVICE_SUPPORT and only.subject == "target_rejects_all"
    typed = [(c, s, err(c, "TypeError", "takes 2 positional arguments but 3 were given")) for c, s, _ in rows]
    (call,) = diffs(typed)
    assert call.kind is DiffKind.ERROR_BEHAVIOR and call.subject == "target_rejects:every_valid_case"


def test_neither_side_running_a_parameter_is_no_difference() -> None:
    c = case("float32")
    skipped = Observation(c.id, "x", "cpu", Status.NOT_RUN, error_message="no out=")
    assert diffs([(c, skipped, skipped)]) == []


def test_stability_helpers() -> None:
    c, e = case("float32"), case("float32", 0)
    assert not has_empty_input(c) and has_empty_input(e)
    assert same_outputs(ok(c, ("float32", [float("nan")])), ok(c, ("float32", [float("nan")])))
    assert not same_outputs(ok(c, ("float32", [1])), ok(c, ("float32", [2])))
    dirty = filled(c, -3.5, 7)
    tensor = dirty.arg_dict["input"]
    # A recipe of one value, not a literal list of every element: it builds the same array.
    assert isinstance(tensor, TensorArg) and tensor.fill == CONSTANT and tensor.data == -3.5
    assert materialize(tensor).tolist() == [-3.5, -3.5, -3.5]
    as_int = filled(case("int64"), 2.5, 7).arg_dict["input"]
    assert as_int == TensorArg("int64", (3,), CONSTANT, data=2, low=7)
    assert filled(c, -3.5, 8).id != dirty.id, "each dirty call is a distinct case"
