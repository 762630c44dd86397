"""Classification of per-case comparisons into differences, on synthetic observations."""

from __future__ import annotations

import numpy as np

from apicompat.classify.behaviour import Pairing, classify, named_parameter
from apicompat.classify.devices import classify_devices
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

SOURCE = Implementation("torch", "torch.op", (("input", "input"), ("out", "out")))
TARGET = Implementation("mindspore", "mindspore.ops.op", (("input", "x"), ("out", None)))


def case(dtype: str, n: int = 3, **facets: str) -> Case:
    args = (("input", TensorArg(dtype, (n,), seed=n + len(facets))),)
    base = {"dtype": dtype, "rank": "1", "group": "dtype_sweep"} | facets
    return Case("op", args, tuple(sorted(base.items())))


def ok(c: Case, values: list[float], dtype: str = "float32") -> Observation:
    arr = np.asarray(values)
    return Observation(c.id, "x", "cpu", Status.OK, (Output(dtype, arr.shape, arr),))


def err(c: Case, etype: str = "TypeError") -> Observation:
    return Observation(
        c.id, "x", "cpu", Status.ERROR, error_type=etype, error_message=f"{etype} raised | here"
    )


def run(rows: list[tuple[Case, Observation, Observation, Observation]]) -> dict[DiffKind, list[str]]:
    pairing = Pairing([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], [r[3] for r in rows])
    found: dict[DiffKind, list[str]] = {}
    for d in classify(SOURCE, TARGET, pairing, "cpu"):
        found.setdefault(d.kind, []).append(d.subject)
        assert d.cases and d.summary
    return found


def test_agreeing_observations_give_no_difference() -> None:
    c = case("float32")
    assert run([(c, ok(c, [1, 2]), ok(c, [1, 2]), ok(c, [1, 2]))]) == {}


def test_output_dtype_groups_by_dtype_pair() -> None:
    a, b = case("int8"), case("int16", n=4)
    found = run(
        [
            (a, ok(a, [1], "int64"), ok(a, [1], "int8"), ok(a, [1], "int64")),
            (b, ok(b, [1], "int64"), ok(b, [1], "int16"), ok(b, [1], "int64")),
        ]
    )
    assert sorted(found[DiffKind.OUTPUT_DTYPE]) == ["int64->int16", "int64->int8"]


def test_dtype_rejected_everywhere_is_input_dtype_support() -> None:
    a1, a2, b = case("uint8"), case("uint8", n=5), case("float32")
    found = run(
        [
            (a1, ok(a1, [1], "int64"), err(a1), ok(a1, [1], "int64")),
            (a2, ok(a2, [1], "int64"), err(a2), ok(a2, [1], "int64")),
            (b, ok(b, [1]), ok(b, [1]), ok(b, [1])),
        ]
    )
    assert found == {DiffKind.INPUT_DTYPE_SUPPORT: ["target_rejects:uint8"]}


def test_partial_failure_on_empty_tensor_is_shape_support() -> None:
    a, e = case("float32"), case("float32", n=0, empty="true")
    found = run([(a, ok(a, [1]), ok(a, [1]), ok(a, [1])), (e, ok(e, []), err(e), ok(e, []))])
    assert found == {DiffKind.SHAPE_SUPPORT: ["target_rejects:empty tensors"]}


def test_invalid_input_accepted_by_target_is_error_behavior() -> None:
    a = case("float32", expect_error="true")
    found = run([(a, err(a, "IndexError"), ok(a, [1]), err(a, "IndexError"))])
    assert found == {DiffKind.ERROR_BEHAVIOR: ["target_accepts_invalid"]}


def test_different_exception_types_are_error_behavior() -> None:
    a = case("float32", expect_error="true")
    found = run([(a, err(a, "IndexError"), err(a, "ValueError"), err(a, "IndexError"))])
    assert found == {DiffKind.ERROR_BEHAVIOR: ["error_type:IndexError->ValueError"]}


def test_values_and_special_values_record_which_side_matches_reference() -> None:
    a, s = case("float32"), case("float32", n=4, special="nan_inf")
    pairing = Pairing(
        [a, s],
        [ok(a, [1.0]), ok(s, [np.nan])],
        [ok(a, [1.5]), ok(s, [0.0])],
        [ok(a, [1.0]), ok(s, [np.nan])],
    )
    diffs = {d.kind: d for d in classify(SOURCE, TARGET, pairing, "cpu")}
    assert set(diffs) == {DiffKind.VALUE_MISMATCH, DiffKind.SPECIAL_VALUES}
    values = diffs[DiffKind.VALUE_MISMATCH]
    assert "matches the float64 reference on 1 of 1 case(s), MindSpore on 0" in values.summary
    assert values.details["reference"] == {"cases": 1, "source": 1, "target": 0}
    assert diffs[DiffKind.VALUE_MISMATCH].details["max_abs_error"] == 0.5


def test_values_apart_where_both_sides_are_within_tolerance_of_the_reference_are_no_difference() -> None:
    # float16's tolerance is rtol 1e-3: 0.1 and 0.10009 are each within it of 0.10004, not of each other.
    a, s = case("float16"), case("float16", n=4, special="nan_inf")
    found = run(
        [
            (a, ok(a, [0.09995], "float16"), ok(a, [0.10009], "float16"), ok(a, [0.10002], "float64")),
            (
                s,
                ok(s, [np.nan, 0.09995], "float16"),
                ok(s, [np.nan, 0.10009], "float16"),
                ok(s, [np.nan, 0.10002], "float64"),
            ),
        ]
    )
    assert found == {}


def test_values_apart_where_one_side_is_off_the_reference_stay_a_difference() -> None:
    a = case("float16")
    found = run([(a, ok(a, [0.1], "float16"), ok(a, [0.1002], "float16"), ok(a, [0.1], "float64"))])
    assert found == {DiffKind.VALUE_MISMATCH: ["float16"]}


def test_unsupported_parameter_is_param_only_in_one() -> None:
    a = case("float32")
    not_run = Observation(a.id, "x", "cpu", Status.NOT_RUN, error_message="no out")
    found = run([(a, ok(a, [1]), not_run, ok(a, [1]))])
    assert DiffKind.PARAM_ONLY_IN_ONE in found


def test_crash_on_target_counts_as_status_difference() -> None:
    a, b = case("float64"), case("float64", n=7)
    crash = Observation(a.id, "x", "cpu", Status.CRASH, error_message="worker died with SIGSEGV")
    found = run(
        [
            (a, ok(a, [1], "float64"), crash, ok(a, [1], "float64")),
            (b, ok(b, [1], "float64"), ok(b, [1], "float64"), ok(b, [1], "float64")),
        ]
    )
    assert found == {DiffKind.ERROR_BEHAVIOR: ["target_rejects:valid_input"]}


def test_device_support_compares_one_target_across_devices() -> None:
    a, b = case("float32"), case("bfloat16")
    cpu = [ok(a, [1.0]), ok(b, [1.0], "bfloat16")]
    gpu = [ok(a, [1.0]), err(b, "RuntimeError")]
    diffs = classify_devices(TARGET, [a, b], cpu, gpu, "gpu")
    assert [(d.kind, d.subject, d.dtypes) for d in diffs] == [
        (DiffKind.DEVICE_SUPPORT, "gpu:raises", ("bfloat16",))
    ]


def test_signed_zero_on_special_inputs_is_special_values() -> None:
    s, plain = case("float32", n=4, special="nan_inf"), case("float32", n=5)
    found = run(
        [
            (s, ok(s, [0.0]), ok(s, [-0.0]), ok(s, [-0.0])),
            (plain, ok(plain, [0.0]), ok(plain, [-0.0]), ok(plain, [-0.0])),
        ]
    )
    assert found == {DiffKind.SPECIAL_VALUES: ["signed_zero"]}


def _probe(dtype: str, n: int = 6) -> Case:
    return case(dtype, n=n, probe="long", group="probe")


def test_a_probe_far_off_the_reference_on_one_side_is_a_precision_difference() -> None:
    p = _probe("float16")
    exact = [5000.0, 10000.0]
    pairing = Pairing(
        [p], [ok(p, exact, "float16")], [ok(p, [2048.0, 2048.0], "float16")], [ok(p, exact, "float64")]
    )
    (found,) = classify(SOURCE, TARGET, pairing, "cpu")
    assert found.kind is DiffKind.PRECISION and found.subject == "long:float16"
    assert found.severity.value == "silent"
    assert "MindSpore's result is off the float64 reference by up to 7952" in found.summary
    assert found.details["source_error"] == {"max_abs_error": 0.0, "max_rel_error": 0.0}


def test_a_probe_is_no_precision_finding_where_ordinary_inputs_of_its_dtype_differ_too() -> None:
    a, p = case("float16"), _probe("float16")
    pairing = Pairing(
        [a, p],
        [ok(a, [1.0], "float16"), ok(p, [5000.0], "float16")],
        [ok(a, [2.0], "float16"), ok(p, [2048.0], "float16")],
        [ok(a, [1.0], "float64"), ok(p, [5000.0], "float64")],
    )
    (found,) = classify(SOURCE, TARGET, pairing, "cpu")
    assert found.kind is DiffKind.VALUE_MISMATCH and found.subject == "float16" and found.case_count == 2


def test_a_probe_where_both_sides_are_off_is_an_ordinary_value_difference() -> None:
    p = _probe("float16")
    pairing = Pairing(
        [p], [ok(p, [4000.0], "float16")], [ok(p, [2048.0], "float16")], [ok(p, [5000.0], "float64")]
    )
    (found,) = classify(SOURCE, TARGET, pairing, "cpu")
    assert found.kind is DiffKind.VALUE_MISMATCH


def test_a_parameter_value_rejected_by_one_side_is_param_value_support() -> None:
    rows = []
    for n, k in ((3, "0"), (4, "0"), (5, "1")):
        c = case("float32", n=n, **{"param:k": k})
        target = err(c) if k == "0" else ok(c, [1.0])
        rows.append((c, ok(c, [1.0]), target, ok(c, [1.0])))
    found = run(rows)
    assert found == {DiffKind.PARAM_VALUE_SUPPORT: ["target_rejects:k=0"]}


def test_integer_value_differences_report_the_integer_error() -> None:
    a = case("int8")
    pairing = Pairing([a], [ok(a, [300], "int64")], [ok(a, [44], "int64")], [ok(a, [300], "int64")])
    (found,) = classify(SOURCE, TARGET, pairing, "cpu")
    assert found.details["max_abs_error"] == 256.0
    assert "max abs error 256" in found.summary


def test_a_dtype_that_fails_on_most_of_its_cases_still_explains_them() -> None:
    # bfloat16 fails on 2 of 3 cases (one passes, e.g. with a dtype= cast), float32 never fails.
    b1, b2, b3 = case("bfloat16", n=3), case("bfloat16", n=4), case("bfloat16", n=5)
    f1, f2 = case("float32", n=6), case("float32", n=7)
    rows = [(c, ok(c, [1.0]), err(c), ok(c, [1.0])) for c in (b1, b2)]
    rows += [(c, ok(c, [1.0]), ok(c, [1.0]), ok(c, [1.0])) for c in (b3, f1, f2)]
    pairing = Pairing([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], [r[3] for r in rows])
    (found,) = classify(SOURCE, TARGET, pairing, "cpu")
    assert found.kind is DiffKind.INPUT_DTYPE_SUPPORT and found.subject == "target_rejects:bfloat16"
    assert "2 of 3 cases; the others return on both sides" in found.summary


def test_another_order_on_special_inputs_is_a_special_value_difference() -> None:
    # A sort that leaves rows holding NaN unsorted: the order is the value there.
    s = case("float32", n=4, special="nan_inf")
    pairing = Pairing([s], [ok(s, [1.0, np.nan])], [ok(s, [np.nan, 1.0])], [ok(s, [1.0, np.nan])])
    (found,) = classify(SOURCE, TARGET, pairing, "cpu")
    assert (found.kind, found.subject) == (DiffKind.SPECIAL_VALUES, "nan_inf")


def test_another_output_shape_on_special_inputs_names_both_shapes() -> None:
    s = case("float32", n=4, special="nan_inf")
    pairing = Pairing([s], [ok(s, [0.0, 1.0])], [ok(s, [-0.0, 0.0, 1.0])], [ok(s, [0.0, 1.0])])
    (found,) = classify(SOURCE, TARGET, pairing, "cpu")
    assert (found.kind, found.subject) == (DiffKind.SPECIAL_VALUES, "nan_inf")
    assert "output shapes (2,) and (3,)" in found.summary


def test_float64_off_by_float32_epsilon_where_the_source_matches_is_precision_not_values() -> None:
    # mindspore.ops.std on float64: about 1e-7 relative off, every case; torch matches the reference.
    a, b = case("float64"), case("float64", n=4)
    exact = [2.25, 3.5, 1.125]
    single = [float(np.float32(v) * (1 + 2e-7)) for v in exact]
    pairing = Pairing(
        [a, b],
        [ok(a, exact, "float64"), ok(b, exact, "float64")],
        [ok(a, single, "float64"), ok(b, single, "float64")],
        [ok(a, exact, "float64"), ok(b, exact, "float64")],
    )
    (diff,) = classify(SOURCE, TARGET, pairing, "cpu")
    assert (diff.kind, diff.subject, diff.case_count) == (DiffKind.PRECISION, "single:float64", 2)
    assert diff.summary.startswith("MindSpore computes float64 at float32 precision")


def test_float64_off_by_more_than_float32_precision_stays_a_value_row() -> None:
    a = case("float64")
    found = run([(a, ok(a, [2.0], "float64"), ok(a, [2.001], "float64"), ok(a, [2.0], "float64"))])
    assert found == {DiffKind.VALUE_MISMATCH: ["float64"]}


def test_float32_results_are_never_single_precision_rows() -> None:
    a = case("float32")
    found = run([(a, ok(a, [2.0]), ok(a, [2.0001]), ok(a, [2.0]))])
    assert found == {DiffKind.VALUE_MISMATCH: ["float32"]}


def _given(c: Case, **params: object) -> Case:
    """`c` with more arguments (an optional parameter given)."""
    return Case(c.spec_id, (*c.args, *params.items()), c.facets)  # type: ignore[arg-type]


def test_a_probe_is_judged_against_ordinary_cases_that_call_it_alike() -> None:
    # Tensor.cumsum: dtype=int8 casts after the sum (rel error 1); the probe passes no dtype.
    from apicompat.records import DtypeArg

    a, p = _given(case("float16"), dtype=DtypeArg("int8")), _probe("float16")
    pairing = Pairing(
        [a, p],
        [ok(a, [1.0], "int8"), ok(p, [5000.0], "float16")],
        [ok(a, [2.0], "int8"), ok(p, [2048.0], "float16")],
        [ok(a, [1.0], "int8"), ok(p, [5000.0], "float64")],
    )
    found = {(d.kind, d.subject): d for d in classify(SOURCE, TARGET, pairing, "cpu")}
    assert set(found) == {(DiffKind.PRECISION, "long:float16"), (DiffKind.VALUE_MISMATCH, "float16")}


def test_a_value_row_splits_by_a_given_parameter_whose_cases_err_otherwise() -> None:
    from apicompat.records import DtypeArg

    plain = [case("float32", n=n) for n in (3, 4)]
    cast = [_given(case("float32", n=n), dtype=DtypeArg("int32")) for n in (5, 6)]
    rows = [(c, ok(c, [100.0]), ok(c, [100.1]), ok(c, [100.0])) for c in plain]
    rows += [(c, ok(c, [1.0], "int32"), ok(c, [2.0], "int32"), ok(c, [1.0], "int32")) for c in cast]
    diffs = {
        d.subject: d for d in classify(SOURCE, TARGET, Pairing(*map(list, zip(*rows, strict=True))), "cpu")
    }
    assert set(diffs) == {"float32", "float32+dtype"}
    assert diffs["float32"].case_count == 2 and set(diffs["float32+dtype"].all_cases) == {c.id for c in cast}
    assert "with float32 inputs where `dtype` is given (int32)" in diffs["float32+dtype"].summary


def test_a_value_row_whose_errors_are_alike_stays_one_row() -> None:
    from apicompat.records import DtypeArg

    plain, cast = case("float32"), _given(case("float32", n=4), dtype=DtypeArg("float32"))
    rows = [(c, ok(c, [1.0]), ok(c, [2.0]), ok(c, [1.0])) for c in (plain, cast)]
    (diff,) = classify(SOURCE, TARGET, Pairing(*map(list, zip(*rows, strict=True))), "cpu")
    assert diff.subject == "float32" and diff.case_count == 2


def _pieces(c: Case, *pieces: list[float]) -> Observation:
    outs = tuple(Output("float32", np.asarray(p).shape, np.asarray(p, dtype=np.float64)) for p in pieces)
    return Observation(c.id, "x", "cpu", Status.OK, outs)


def test_fewer_pieces_for_an_empty_input_are_a_count_difference_not_undefined_values() -> None:
    """torch.chunk of an empty dimension gives `chunks` pieces, mindspore.ops.chunk one: no value differs."""
    e = case("float32", n=0, empty="true")
    s, t = _pieces(e, [], []), _pieces(e, [])
    assert run([(e, s, t, s)]) == {DiffKind.OUTPUT_STRUCTURE: ["count:2->1"]}


def test_the_items_of_a_list_output_are_named_by_position() -> None:
    c = case("float32")
    s, t = _pieces(c, [1.0], [2.0]), _pieces(c, [1.0], [5.0])
    pairing = Pairing([c], [s], [t], [s], {c.id: ("chunks",)})
    (diff,) = classify(SOURCE, TARGET, pairing, "cpu")
    assert diff.kind is DiffKind.VALUE_MISMATCH and "chunks[1]" in diff.summary, diff.summary


def _sized(form: str, dims: str, n: int) -> Case:
    """A creation op's case: no tensor, only the size facets (generate/sizes.py)."""
    facets = {"group": "optional", "size:size": form, "dims:size": dims}
    return Case("zeros", (("size", n),), tuple(sorted(facets.items())))


def test_a_size_form_the_target_rejects_is_named_in_words() -> None:
    rows = []
    for n, form in enumerate(["separate_ints", "separate_ints", "tuple", "tuple", "int"]):
        c = _sized(form, "positive", n)
        target = err(c) if form == "separate_ints" else ok(c, [0.0])
        rows.append((c, ok(c, [0.0]), target, ok(c, [0.0])))
    pairing = Pairing([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], [r[3] for r in rows])
    (diff,) = classify(SOURCE, TARGET, pairing, "cpu")
    assert (diff.kind, diff.subject) == (DiffKind.PARAM_VALUE_SUPPORT, "target_rejects:size=separate_ints")
    assert diff.summary.startswith(
        "MindSpore raises when `size` is given as separate ints where PyTorch returns"
    )


def test_a_0d_size_the_target_rejects_is_a_shape_difference() -> None:
    rows = []
    for n, dims in enumerate(["0d", "positive", "positive"]):
        c = _sized("tuple", dims, n)
        target = err(c) if dims == "0d" else ok(c, [0.0])
        rows.append((c, ok(c, [0.0]), target, ok(c, [0.0])))
    pairing = Pairing([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], [r[3] for r in rows])
    (diff,) = classify(SOURCE, TARGET, pairing, "cpu")
    assert (diff.kind, diff.subject) == (DiffKind.SHAPE_SUPPORT, "target_rejects:size=0d")
    assert diff.summary.startswith("MindSpore raises on a 0-d `size` `()` where PyTorch returns")


def _summaries(rows: list[tuple[Case, Observation, Observation, Observation]]) -> list[str]:
    pairing = Pairing([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], [r[3] for r in rows])
    return [d.summary for d in classify(SOURCE, TARGET, pairing, "cpu")]


def test_a_side_that_only_crashes_is_said_to_crash_not_to_raise() -> None:
    a, e = case("float32"), case("float32", n=0, empty="true")
    crash = Observation(e.id, "x", "cpu", Status.CRASH, error_message="worker died with SIGFPE")
    summaries = _summaries([(a, ok(a, [1]), ok(a, [1]), ok(a, [1])), (e, ok(e, []), crash, ok(e, []))])
    assert summaries == [
        "MindSpore crashes (its worker process died) on empty tensors where PyTorch returns (1 case(s))"
    ]


def test_a_side_that_raises_on_some_cases_and_crashes_on_others_is_said_to_raise() -> None:
    a, b = case("float64", n=2), case("float64", n=7)
    crash = Observation(a.id, "x", "cpu", Status.CRASH, error_message="worker died with SIGSEGV")
    summaries = _summaries(
        [
            (a, ok(a, [1], "float64"), crash, ok(a, [1], "float64")),
            (b, ok(b, [1], "float64"), err(b), ok(b, [1], "float64")),
        ]
    )
    assert summaries == ["MindSpore raises on float64 inputs where PyTorch returns (2 case(s))"]


def test_the_parameter_a_misfit_error_names_is_found_in_brackets_or_quotes() -> None:
    impl = Implementation(
        "mindspore",
        "mindspore.ops.fold",
        (("input", "input"), ("output_size", "output_size"), ("index", "index"), ("out", None)),
    )
    col2im = "For Primitive[Col2Im], the type of input argument[output_size] must be Tensor but got Tuple."
    assert named_parameter(col2im, impl) == "output_size"  # not `input`, which the text also says
    assert named_parameter("For 'IndexFill', 'index' must be Tensor[Int32]", impl) == "index"
    assert named_parameter('Failed calling fold with "fold(input=Tensor)"', impl) is None


def several(c: Case, *arrays: tuple[list[float], str]) -> Observation:
    outs = tuple(Output(dtype, np.asarray(v).shape, np.asarray(v)) for v, dtype in arrays)
    return Observation(c.id, "x", "cpu", Status.OK, outs)


def classified(
    rows: list[tuple[Case, Observation, Observation, Observation]], names: tuple[str, ...]
) -> list[Difference]:
    pairing = Pairing(
        [r[0] for r in rows],
        [r[1] for r in rows],
        [r[2] for r in rows],
        [r[3] for r in rows],
        {r[0].id: names for r in rows},
    )
    return classify(SOURCE, TARGET, pairing, "cpu")


def test_the_same_outputs_in_another_order_are_one_structure_row() -> None:
    # torch.svd returns (U, S, V); mindspore.ops.svd returns (S, U, V); S is complex on one side.
    c = case("complex64")
    u, s, v = [[1.0, 0.0], [0.0, 1.0]], [3.0, 2.0], [[0.0, 1.0], [1.0, 0.0]]
    torch_side = several(c, (u, "complex64"), (s, "float32"), (v, "complex64"))
    ms_side = several(c, (s, "complex64"), (u, "complex64"), (v, "complex64"))
    found = {
        (d.kind, d.subject): d for d in classified([(c, torch_side, ms_side, torch_side)], ("U", "S", "V"))
    }
    order = found[(DiffKind.OUTPUT_STRUCTURE, "order:U,S,V->S,U,V")]
    assert order.details["source"] == "(U, S, V)" and order.details["target"] == "(S, U, V)"
    assert "another order, (S, U, V), where PyTorch returns (U, S, V)" in order.summary
    assert (DiffKind.OUTPUT_DTYPE, "S:float32->complex64") in found  # compared in its own place
    assert not any(k is DiffKind.VALUE_MISMATCH or k is DiffKind.SHAPE_SUPPORT for k, _ in found)


def test_outputs_that_no_order_makes_agree_are_compared_in_place() -> None:
    c = case("float32")
    torch_side = several(c, ([1.0, 2.0], "float32"), ([3.0], "float32"))
    ms_side = several(c, ([3.0], "float32"), ([1.0, 5.0], "float32"))
    subjects = [d.subject for d in classified([(c, torch_side, ms_side, torch_side)], ("a", "b"))]
    assert not any(s.startswith("order:") for s in subjects)


def test_a_target_returning_some_of_the_outputs_is_one_count_row() -> None:
    c = case("float32")
    torch_side = several(
        c, ([[0.0, 0.0], [0.0, 0.0]], "float32"), ([3.0, 2.0], "float32"), ([[0.0]], "float32")
    )
    ms_side = several(c, ([3.0, 2.0], "float32"))
    found = [(d.kind, d.subject) for d in classified([(c, torch_side, ms_side, torch_side)], ("U", "S", "V"))]
    assert found == [(DiffKind.OUTPUT_STRUCTURE, "count:3->1")]


def test_outputs_that_agree_in_place_but_for_a_dtype_are_no_swap() -> None:
    # sort of [0, 1, 2]: values equal the indices, so a swapped order would agree too.
    c = case("float32")
    torch_side = several(c, ([0.0, 1.0, 2.0], "float32"), ([0, 1, 2], "int64"))
    ms_side = several(c, ([0.0, 1.0, 2.0], "float32"), ([0, 1, 2], "int32"))
    found = [
        (d.kind, d.subject) for d in classified([(c, torch_side, ms_side, torch_side)], ("values", "indices"))
    ]
    assert found == [(DiffKind.OUTPUT_DTYPE, "indices:int64->int32")]


def test_argument_errors_on_every_call_are_a_call_misfit_and_a_kernel_error_is_the_device() -> None:
    cases = [case("float32", n=n) for n in range(2, 8)]
    # Six calls raise: five TypeErrors and a ValueError (argument checks), or a RuntimeError instead.
    misfit = [
        (c, ok(c, [1]), err(c, "ValueError" if c is cases[-1] else "TypeError"), ok(c, [1])) for c in cases
    ]
    assert "target_rejects:every_valid_case" in run(misfit).get(DiffKind.ERROR_BEHAVIOR, [])
    kernel = [
        (c, ok(c, [1]), err(c, "RuntimeError" if c is cases[-1] else "TypeError"), ok(c, [1])) for c in cases
    ]
    assert run(kernel).get(DiffKind.DEVICE_SUPPORT) == ["target_rejects_all"]


def test_an_output_shape_row_names_the_shapes_each_side_returned() -> None:
    a, b = case("float32"), case("float32", n=4)
    pairing = Pairing(
        [a, b],
        [ok(a, [1, 2, 3]), ok(b, [1, 2, 3])],
        [ok(a, [1, 2]), ok(b, [1, 2])],
        [ok(a, [1, 2, 3]), ok(b, [1, 2, 3])],
    )
    (diff,) = classify(SOURCE, TARGET, pairing, "cpu")
    assert diff.kind is DiffKind.SHAPE_SUPPORT
    assert diff.summary == "output shapes differ on 2 case(s) (e.g. PyTorch returns (3,), MindSpore (2,))"


def test_changing_values_where_the_source_raised_are_a_status_row_not_nondeterminism() -> None:
    # torch.linalg.pinv raises on NaN input; MindSpore returns values that change from run to run.
    c = case("float32", special="nan")
    rows = [(c, err(c, "RuntimeError"), ok(c, [1.0]), err(c, "RuntimeError"))]
    pairing = Pairing([c], [rows[0][1]], [rows[0][2]], [rows[0][3]], {}, frozenset(), frozenset({c.id}))
    subjects = [(d.kind, d.subject) for d in classify(SOURCE, TARGET, pairing, "cpu")]
    assert subjects == [(DiffKind.ERROR_BEHAVIOR, "target_accepts_invalid")]
