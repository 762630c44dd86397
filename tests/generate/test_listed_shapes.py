"""Listed shapes and the layer kinds in generated cases: secondaries pair with the primary's shapes."""

from __future__ import annotations

from pathlib import Path

from apicompat.generate import generate_cases
from apicompat.generate.handwritten import load_cases
from apicompat.records import TensorArg
from apicompat.spec import load_spec

REPO = Path(__file__).resolve().parents[2]
LINEAR = load_spec(REPO / "specs" / "linear.yaml", check_imports=False)
CONV = load_spec(REPO / "specs" / "conv2d.yaml", check_imports=False)
PAIRS = {(3, 4): (5, 4), (2, 3, 4): (5, 4), (4,): (2, 4)}


def _shape(value: object) -> tuple[int, ...]:
    assert isinstance(value, TensorArg)
    return value.shape


def test_every_case_pairs_the_weight_with_the_inputs_shape() -> None:
    cases = generate_cases(LINEAR, seed=1, budget=60)  # systematic and random cases alike
    assert len(cases) == 60
    for case in cases:
        args = case.arg_dict
        assert PAIRS[_shape(args["input"])] == _shape(args["weight"]), case.label
        if "bias" in args:
            assert _shape(args["bias"]) == (_shape(args["weight"])[0],), case.label


def test_each_listed_shape_is_a_case_and_no_rank_sweep_runs() -> None:
    cases = generate_cases(LINEAR, seed=1, budget=None)
    groups = {c.facet_dict["group"] for c in cases}
    assert {"shapes", "dtype_sweep", "optional", "special"} <= groups
    assert not groups & {"rank_sweep", "empty", "size1", "large"}
    # The first listed shape at float32 is also the dtype sweep's case, which keeps it.
    listed = {
        _shape(c.arg_dict["input"]) for c in cases if c.facet_dict["group"] in ("shapes", "dtype_sweep")
    }
    assert listed == set(PAIRS)


def test_an_optional_tensor_is_tried_omitted_and_given() -> None:
    cases = [c for c in generate_cases(LINEAR, seed=1, budget=None) if c.facet_dict["group"] == "optional"]
    biases = [c.arg_dict.get("bias") for c in cases]
    assert None in biases  # omitted
    given = [b for b in biases if isinstance(b, TensorArg)]
    assert {b.dtype for b in given} >= {"float64"} and {b.shape for b in given} == {(5,)}


def test_ints_values_pass_as_ints_and_tuples() -> None:
    strides = {
        c.arg_dict["stride"] for c in generate_cases(CONV, seed=1, budget=None) if "stride" in c.arg_dict
    }
    assert strides == {2, (2, 1)}


def test_a_hand_written_tensor_may_give_a_shape_for_generated_values(tmp_path: Path) -> None:
    path = tmp_path / "conv2d.yaml"
    path.write_text(
        "apicompat: 1\nspec: conv2d\ncases:\n  - name: grouped\n    args:\n"
        "      input: {dtype: float32, shape: [2, 4, 6, 6]}\n"
        "      weight: {dtype: float32, shape: [6, 2, 3, 3]}\n"
        "      padding: [1, 0]\n      groups: 2\n",
        encoding="utf-8",
    )
    (case,) = load_cases(path, {"conv2d": CONV})
    args = case.arg_dict
    assert isinstance(args["input"], TensorArg) and args["input"].fill == "random"
    assert args["input"].shape == (2, 4, 6, 6) and args["input"].seed != args["weight"].seed  # type: ignore[union-attr]
    assert args["padding"] == (1, 0) and args["groups"] == 2
    again = load_cases(path, {"conv2d": CONV})[0]
    assert again == case and again.id == case.id  # the same file generates the same values
