"""Hand-written cases: the seeds' published cumsum examples load, and bad case files say where."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apicompat import references
from apicompat.generate.handwritten import load_case_dir, load_cases
from apicompat.records import DtypeArg, OutArg, SpecError, TensorArg
from apicompat.records.arrays import materialize
from apicompat.spec import Spec, load_spec

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def specs() -> dict[str, Spec]:
    spec = load_spec(ROOT / "specs" / "cumsum.yaml", check_imports=False)
    return {spec.id: spec}


MATRIX = ((3, 4, 6, 10), (1, 6, 7, 9), (4, 3, 8, 7), (1, 3, 7, 9))


def test_cumsum_cases_hold_every_seed_example(
    specs: dict[str, Spec], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Origins name the file relative to the working directory, so reports carry no absolute paths.
    monkeypatch.chdir(ROOT)
    cases = {c.facet_dict["name"]: c for c in load_cases(ROOT / "cases" / "cumsum.yaml", specs)}
    assert len(cases) == 7
    first = cases["mindspore-docs-cumsum-code-example-1"]
    assert first.args == (
        ("input", TensorArg("float32", (4, 4), fill="literal", data=MATRIX)),
        ("dim", -1),
    )
    assert first.expected == ((3, 7, 13, 23), (1, 7, 14, 23), (4, 7, 15, 22), (1, 4, 11, 20))
    assert first.expected_dtype == "float32"
    assert first.origin == "handwritten:cases/cumsum.yaml#mindspore-docs-cumsum-code-example-1"
    assert first.facets == (
        ("group", "handwritten"),
        ("name", "mindspore-docs-cumsum-code-example-1"),
        ("dtype", "float32"),
    )
    second = cases["mindspore-docs-cumsum-code-example-2"]
    assert second.arg_dict["dim"] == 0 and second.arg_dict["dtype"] == DtypeArg("int8")
    assert second.expected_dtype == "int8"
    assert cases["sprintchase-tutorial-cumsum-1d"].expected == (1, 3, 6, 10)
    assert cases["sprintchase-tutorial-cumsum-2d-rows"].arg_dict["dim"] == 1
    assert cases["sprintchase-tutorial-cumsum-2d-columns"].expected == ((5, 6, 7), (6, 8, 10))
    dtype_case = cases["sprintchase-tutorial-cumsum-dtype-int32"]
    assert dtype_case.arg_dict["dtype"] == DtypeArg("int32") and dtype_case.expected == (1, 3, 6)
    out_case = cases["sprintchase-tutorial-cumsum-out"]
    assert out_case.arg_dict["out"] == OutArg("int64", (3,))
    assert len({c.id for c in cases.values()}) == 7


def test_published_outputs_agree_with_the_numpy_reference(specs: dict[str, Spec]) -> None:
    # Other specs' files (cases/conv2d.yaml) are their own references' business.
    for case in load_case_dir(ROOT / "cases", specs, skip_unknown=True):
        args = case.arg_dict
        tensor = args["input"]
        assert isinstance(tensor, TensorArg)
        dtype = args.get("dtype")
        result = references.cumsum(
            materialize(tensor),
            int(args["dim"]),  # type: ignore[arg-type]
            dtype.name if isinstance(dtype, DtypeArg) else None,
            dtypes={"input": tensor.dtype},
        )
        assert result.dtype == case.expected_dtype, case.origin
        np.testing.assert_array_equal(result.values, np.array(case.expected), err_msg=case.origin)


def test_cases_are_hashable_and_ids_stable(specs: dict[str, Spec]) -> None:
    first = load_cases(ROOT / "cases" / "cumsum.yaml", specs)
    again = load_cases(ROOT / "cases" / "cumsum.yaml", specs)
    assert [c.id for c in first] == [c.id for c in again]
    assert len(set(first)) == len(first)


GOOD = """\
apicompat: 1
spec: cumsum
source: a test
cases:
  - name: one
    args:
      input: {dtype: float32, values: [[1, 2], [3, 4]]}
      dim: 0
    expect: {dtype: float32, values: [[1, 2], [4, 6]]}
"""


def _write(tmp_path: Path, text: str, name: str = "cases.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_explicit_null_complex_and_empty_tensors(tmp_path: Path, specs: dict[str, Spec]) -> None:
    text = """\
    apicompat: 1
    spec: cumsum
    cases:
      - name: empty
        source: an edge case
        args: {input: {dtype: float32, values: []}, dim: 0, dtype: null}
      - name: complex
        args: {input: {dtype: complex64, values: ['1+2j', 3]}, dim: 0}
        expect: {dtype: complex64, values: ['1+2j', '4+2j']}
    """
    empty, complex_case = load_cases(_write(tmp_path, text), specs)
    assert empty.arg_dict["input"] == TensorArg("float32", (0,), fill="literal", data=())
    assert empty.arg_dict["dtype"] is None and empty.expected is None and empty.expected_dtype is None
    assert complex_case.arg_dict["input"] == TensorArg("complex64", (2,), fill="literal", data=(1 + 2j, 3))
    assert complex_case.expected == (1 + 2j, 4 + 2j)


IN = "{dtype: float32, values: [[1, 2], [3, 4]]}"

BAD = [
    # (id, old, new, line, key, says, did-you-mean)
    ("unknown-spec", "spec: cumsum", "spec: cumsun", 2, "spec", "unknown spec id 'cumsun'", "cumsum"),
    ("unknown-arg", "      dim: 0", "      dimm: 0", 8, "cases[0].args.dimm",
     "'dimm' is not a parameter of cumsum", "dim"),
    ("missing-arg", "      dim: 0\n", "", 6, "cases[0].args", "missing required argument 'dim'", None),
    ("ragged", "[[1, 2], [3, 4]]", "[[1, 2], [3]]", 7, "cases[0].args.input.values[1]",
     "ragged values: this item has shape [1] but item 0 has [2]", None),
    ("bad-dtype", IN, IN.replace("float32", "flaot32"), 7, "cases[0].args.input.dtype", "got 'flaot32'",
     "float32"),
    ("axis-not-int", "      dim: 0", "      dim: '0'", 8, "cases[0].args.dim",
     "'dim' has kind 'axis': expected an integer but got '0'", None),
    ("axis-bool", "      dim: 0", "      dim: true", 8, "cases[0].args.dim",
     "expected an integer but got true", None),
    ("int-out-of-range", IN, "{dtype: int8, values: [[1, 2], [3, 400]]}", 7,
     "cases[0].args.input.values[1][1]", "400 does not fit in int8 [-128, 127]", None),
    ("float-in-int", IN, "{dtype: int32, values: [[1, 2], [3, 4.5]]}", 7, "cases[0].args.input.values[1][1]",
     "int32 values must be integers, but got 4.5", None),
    ("tensor-key-typo", IN, IN.replace("values", "vals"), 7, "cases[0].args.input.vals",
     "unknown key 'vals'", "values"),
    ("case-key-typo", "    expect:", "    expected:", 9, "cases[0].expected", "unknown key 'expected'",
     "expect"),
    ("file-key-typo", "source: a test", "sources: a test", 3, "sources", "unknown key 'sources'", "source"),
    ("missing-name", "  - name: one\n    args:", "  - args:", 5, "cases[0].name",
     "missing required key 'name'", None),
    ("bad-version", "apicompat: 1", "apicompat: 3", 1, "apicompat", "unsupported format version 3", None),
    ("missing-version", "apicompat: 1\n", "", 1, "apicompat", "missing required key 'apicompat'", None),
    ("required-null", "      dim: 0", "      dim: null", 8, "cases[0].args.dim", "'dim' is required", None),
    ("out-shape", "      dim: 0\n", "      dim: 0\n      out: {dtype: float32, shape: [-1]}\n", 9,
     "cases[0].args.out.shape", "expected a list of sizes", None),
    ("expect-missing-dtype", "{dtype: float32, values: [[1, 2], [4, 6]]}", "{values: [[1, 2], [4, 6]]}", 9,
     "cases[0].expect.dtype", "missing required key 'dtype'", None),
    ("bad-name", "name: one", "name: one two", 5, "cases[0].name", "expected a name of letters", None),
    ("no-cases", "cases:\n", "cases: []\nx:\n", 4, "cases", "expected a non-empty list of cases", None),
]  # fmt: skip


@pytest.mark.parametrize("bad", BAD, ids=[b[0] for b in BAD])
def test_malformed_case_file(tmp_path: Path, specs: dict[str, Spec], bad: tuple[str, ...]) -> None:
    name, old, new, line, key, says, suggests = bad
    if name == "no-cases":
        text = "apicompat: 1\nspec: cumsum\nsource: a test\ncases: []\n"
    else:
        assert GOOD.count(old) == 1
        text = GOOD.replace(old, new)
    path = _write(tmp_path, text, f"{name}.yaml")
    with pytest.raises(SpecError) as info:
        load_cases(path, specs)
    message = str(info.value)
    assert (info.value.line, info.value.key) == (int(line), key), message
    assert info.value.file.endswith(f"/{name}.yaml")
    assert f"{info.value.file}:{line}: error at '{key}'" in message
    assert says in message
    if suggests:
        assert f"did you mean '{suggests}'?" in message


def test_duplicate_names_and_arguments(tmp_path: Path, specs: dict[str, Spec]) -> None:
    case = GOOD.split("cases:\n")[1]
    twice = GOOD + case
    with pytest.raises(
        SpecError, match=r":10: error at 'cases\[1\]\.name': duplicate case name 'one' \(first on line 5\)"
    ):
        load_cases(_write(tmp_path, twice), specs)
    renamed = GOOD + case.replace("name: one", "name: two")
    with pytest.raises(
        SpecError, match=r":11: error at 'cases\[1\]\.args': the same arguments as case 'one'"
    ):
        load_cases(_write(tmp_path, renamed), specs)


def test_case_dir(tmp_path: Path, specs: dict[str, Spec]) -> None:
    _write(tmp_path, GOOD, "a.yaml")
    _write(tmp_path, GOOD.replace("spec: cumsum", "spec: sum"), "b.yaml")
    with pytest.raises(SpecError, match="unknown spec id 'sum'"):
        load_case_dir(tmp_path, specs)
    assert [c.facet_dict["name"] for c in load_case_dir(tmp_path, specs, skip_unknown=True)] == ["one"]
    with pytest.raises(SpecError, match="no such directory"):
        load_case_dir(tmp_path / "missing", specs)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert load_case_dir(empty, specs) == []


def test_empty_and_non_mapping_case_files(tmp_path: Path, specs: dict[str, Spec]) -> None:
    with pytest.raises(SpecError, match="the file is empty"):
        load_cases(_write(tmp_path, "# nothing\n"), specs)
    with pytest.raises(SpecError, match=r":1: error: a case file must be a mapping"):
        load_cases(_write(tmp_path, "- 1\n"), specs)


_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-300, 300)
    | st.floats(allow_nan=False, width=32)
    | st.sampled_from(["float32", "int8", "1+2j", "cumsum", "input", ""]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["dtype", "values", "x"]), inner)
    ),
    max_leaves=6,
)


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _paths(value, (*path, i))
    return found


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_edit_gives_cases_or_a_located_error(
    tmp_path: Path, specs: dict[str, Spec], data: st.DataObject
) -> None:
    doc = yaml.safe_load((ROOT / "cases" / "cumsum.yaml").read_text(encoding="utf-8"))
    where = data.draw(st.sampled_from([p for p in _paths(doc) if p]))
    parent = doc
    for part in where[:-1]:
        parent = parent[part]
    parent[where[-1]] = data.draw(_VALUES)
    path = tmp_path / "fuzz.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    try:
        load_cases(path, specs)
    except SpecError as error:
        assert error.line is not None and error.line >= 1, str(error)


def test_a_tensor_gives_values_or_a_shape_not_both(tmp_path: Path) -> None:
    from apicompat.spec import load_spec

    spec = load_spec(Path(__file__).resolve().parents[2] / "specs" / "linear.yaml", check_imports=False)
    for tensor, says in [
        ("{dtype: float32, shape: [3, 4], values: [[1]]}", "not both"),
        ("{dtype: float32}", "not neither"),
        ("{dtype: float32, shape: [3, -4]}", "expected a list of sizes"),
    ]:
        path = tmp_path / "linear.yaml"
        path.write_text(
            "apicompat: 1\nspec: linear\ncases:\n  - name: c\n    args:\n"
            f"      input: {tensor}\n      weight: {{dtype: float32, shape: [5, 4]}}\n",
            encoding="utf-8",
        )
        with pytest.raises(SpecError) as info:
            load_cases(path, {"linear": spec})
        assert info.value.key is not None and info.value.key.startswith("cases[0].args.input"), str(
            info.value
        )
        assert says in str(info.value) and info.value.line == 6


def test_a_tensor_or_scalar_takes_a_tensor_or_a_number(tmp_path: Path) -> None:
    spec = load_spec(ROOT / "specs" / "bucketize.yaml", check_imports=False)
    path = tmp_path / "bucketize.yaml"

    def write(value: str) -> Path:
        path.write_text(
            "apicompat: 1\nspec: bucketize\ncases:\n  - name: c\n    args:\n"
            f"      input: {value}\n      boundaries: {{dtype: int64, values: [1, 3]}}\n",
            encoding="utf-8",
        )
        return path

    (tensor,) = load_cases(write("{dtype: int64, values: [2, 4]}"), {spec.id: spec})
    assert tensor.arg_dict["input"] == TensorArg("int64", (2,), fill="literal", data=(2, 4))
    (number,) = load_cases(write("2.5"), {spec.id: spec})
    assert number.arg_dict["input"] == 2.5
    with pytest.raises(SpecError, match=r"expected a tensor \(\{dtype, values\}\) or a number but got"):
        load_cases(write("true"), {spec.id: spec})
