"""Malformed specs: each error names the file, the line and the key, and suggests a fix for typos."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apicompat.records import ApicompatError, SpecError
from apicompat.spec import load_spec, load_specs

BASE = """\
# yaml-language-server: $schema=../apicompat/spec/schema.json
apicompat: 1
id: cumsum
title: cumsum
summary: Cumulative sum.
params:
  - name: input
    kind: tensor
    ranks: [0, 4]
  - name: dim
    kind: axis
    of: input
  - name: dtype
    kind: dtype
    required: false
    default: null
    keyword_only: true
    values: [int8, int32, float32]
  - name: out
    kind: out
    of: input
    required: false
    keyword_only: true
reference: apicompat.references:cumsum
source:
  framework: torch
  api: torch.cumsum
  positional: [input, dim]
targets:
  - framework: mindspore
    api: mindspore.ops.cumsum
    params: {input: x, dim: axis, out: null}
    positional: [input, dim]
known_differences:
  - kind: param_only_in_one
    param: out
    target: mindspore.ops.cumsum
    reason: no out= in mindspore.ops.
tolerances:
  float32: {rtol: 1.0e-6, atol: 1.0e-6}
"""


@dataclass(frozen=True)
class Bad:
    """A one-place edit of BASE, and what the error must say."""

    id: str
    old: str
    new: str
    line: int
    key: str
    says: str
    suggests: str | None = None  # the did-you-mean target


_SRC_END = "  positional: [input, dim]\ntargets"


def _with_overloads(value: str) -> str:
    return f"  positional: [input, dim]\n  overloads: {value}\ntargets"


CASES = [
    Bad("overloads-not-a-list", _SRC_END, _with_overloads("input"), 29, "source.overloads",
        "expected a list"),
    Bad("overloads-empty", _SRC_END, _with_overloads("[]"), 29, "source.overloads", "at least 1"),
    Bad("overload-not-a-list-of-names", _SRC_END, _with_overloads("[input, dim]"), 29, "source.overloads[0]",
        "expected a list"),
    Bad("overload-name-not-an-identifier", _SRC_END, _with_overloads("[[input, 2dim]]"), 29,
        "source.overloads[0][1]", "2dim"),
    Bad("overload-listed-twice", _SRC_END, _with_overloads("[[input, dim], [input, dim]]"), 29,
        "source.overloads", "is listed twice"),
    Bad("top-level-key-typo", "summary:", "sumary:", 5, "sumary", "unknown key 'sumary'", "summary"),
    Bad("param-key-typo", "    keyword_only: true\n    values", "    keywordonly: true\n    values",
        17, "params[2].keywordonly", "unknown key", "keyword_only"),
    Bad("implementation-key-typo", "  framework: torch", "  framwork: torch", 26, "source.framwork",
        "unknown key", "framework"),
    Bad("kind-typo", "kind: tensor", "kind: tensr", 8, "params[0].kind",
        "expected one of tensor, tensors, axis, axes, dtype, scalar, int, bool, out, tensor_or_scalar, "
        "index, option, ints, size but got 'tensr'",
        "tensor"),
    Bad("kind-case", "kind: axis", "kind: Axis", 11, "params[1].kind", "but got 'Axis'", "axis"),
    Bad("fill-typo", "    ranks: [0, 4]\n", "    ranks: [0, 4]\n    fill: unti\n", 10, "params[0].fill",
        "but got 'unti'", "unit"),
    Bad("fill-on-a-non-tensor", "    of: input\n  - name: dtype",
        "    of: input\n    fill: unit\n  - name: dtype", 13, "params[1].fill",
        "'fill' does not apply to kind 'axis'"),
    Bad("wrong-type", "ranks: [0, 4]", "ranks: 3", 9, "params[0].ranks", "expected a list but got 3"),
    Bad("rank-out-of-range", "ranks: [0, 4]", "ranks: [0, 9]", 9, "params[0].ranks[1]", "<= 8 but got 9"),
    Bad("ranks-reversed", "ranks: [0, 4]", "ranks: [4, 1]", 9, "params[0].ranks", "[smallest, largest]"),
    Bad("missing-required-key", "reference: apicompat.references:cumsum\n", "", 2, "reference",
        "missing required key 'reference'"),
    Bad("missing-param-kind", "  - name: dim\n    kind: axis\n", "  - name: dim\n", 10, "params[1].kind",
        "missing required key 'kind'"),
    Bad("unknown-framework", "framework: mindspore", "framework: mindspor", 30, "targets[0].framework",
        "unknown framework 'mindspor'", "mindspore"),
    Bad("api-in-wrong-package", "api: torch.cumsum", "api: mindspore.ops.cumsum", 27, "source.api",
        "is not in the torch package"),
    Bad("api-not-a-path", "api: torch.cumsum", "api: torch cumsum", 27, "source.api",
        "expected a dotted import path"),
    Bad("reference-attr-missing", "references:cumsum", "references:cumsun", 24, "reference",
        "has no attribute 'cumsun'", "cumsum"),
    Bad("reference-module-missing", "references:cumsum", "referencs:cumsum", 24, "reference",
        "'apicompat.referencs' does not exist", "references"),
    Bad("reference-not-callable", "apicompat.references:cumsum", "apicompat.records.dtypes:DTYPES", 24,
        "reference", "is not callable (it is a tuple)"),
    Bad("reference-in-a-framework", "apicompat.references:cumsum", "torch.cumsum:__call__", 24, "reference",
        "must be NumPy code"),
    Bad("reference-not-module-colon-function", "apicompat.references:cumsum", "apicompat.references.cumsum",
        24, "reference", "expected a NumPy reference function given as module:function"),
    Bad("of-names-missing-param", "    of: input\n    required", "    of: inptu\n    required", 21,
        "params[3].of", "'of' names 'inptu', which is not a parameter", "input"),
    Bad("of-names-non-tensor", "    of: input\n    required", "    of: dim\n    required", 21, "params[3].of",
        "'of' must name a tensor parameter, but 'dim' has kind 'axis'"),
    Bad("axis-without-of", "    kind: axis\n    of: input\n", "    kind: axis\n", 10, "params[1]",
        "needs 'of'"),
    Bad("key-not-for-kind", "    values: [int8, int32, float32]", "    ranks: [0, 1]", 18, "params[2].ranks",
        "'ranks' does not apply to kind 'dtype'"),
    Bad("default-on-required", "    of: input\n  - name: dtype",
        "    of: input\n    default: 0\n  - name: dtype", 13, "params[1].default",
        "a required parameter has no default"),
    Bad("default-on-tensor", "    kind: tensor\n", "    kind: tensor\n    required: false\n    default: 0\n",
        10, "params[0].default", "the default of kind 'tensor' can only be null, but got 0"),
    Bad("default-wrong-dtype", "default: null", "default: flaot32", 16, "params[2].default",
        "must be null or a dtype name", "float32"),
    Bad("mapping-key-not-a-param", "{input: x,", "{inputs: x,", 32, "targets[0].params.inputs",
        "'inputs' is not a parameter of this spec", "input"),
    Bad("two-params-one-name", "{input: x, dim: axis,", "{input: x, dim: x,", 32, "targets[0].params.dim",
        "'x' would name both 'input' and 'dim'"),
    Bad("duplicate-param", "  - name: out", "  - name: dim", 19, "params[3].name",
        "duplicate parameter 'dim' (first defined on line 10)"),
    Bad("bad-dtype-value", "values: [int8,", "values: [int9,", 18, "params[2].values[0]", "got 'int9'",
        "int8"),
    Bad("bad-dtypes-name", "ranks: [0, 4]", "dtypes: [float32, flaot64]", 9, "params[0].dtypes[1]",
        "got 'flaot64'", "float64"),
    Bad("positional-not-a-param", "  positional: [input, dim]\ntargets",
        "  positional: [input, dims]\ntargets", 28, "source.positional[1]", "'dims' is not a parameter",
        "dim"),
    Bad("positional-keyword-only", "  positional: [input, dim]\ntargets",
        "  positional: [input, dim, dtype]\ntargets", 28, "source.positional[2]", "'dtype' is keyword_only"),
    Bad("positional-unsupported", "    positional: [input, dim]\nknown",
        "    positional: [input, dim, out]\nknown", 33, "targets[0].positional[2]",
        "no counterpart in mindspore.ops.cumsum"),
    Bad("positional-twice", "  positional: [input, dim]\ntargets", "  positional: [input, input]\ntargets",
        28, "source.positional", "'input' is listed twice"),
    Bad("unknown-known-difference-kind", "kind: param_only_in_one", "kind: param_only_in_on", 35,
        "known_differences[0].kind", "but got 'param_only_in_on'", "param_only_in_one"),
    Bad("known-difference-param", "    param: out\n", "    param: outt\n", 36, "known_differences[0].param",
        "'outt' is not a parameter", "out"),
    Bad("known-difference-target", "    target: mindspore.ops.cumsum", "    target: mindspore.ops.cumsun", 37,
        "known_differences[0].target", "is not the api of a target", "mindspore.ops.cumsum"),
    Bad("known-difference-without-reason", "    reason: no out= in mindspore.ops.\n", "", 35,
        "known_differences[0].reason", "missing required key 'reason'"),
    Bad("tolerance-for-int", "  float32: {rtol", "  int32: {rtol", 40, "tolerances.int32",
        "unknown key 'int32'; expected one of float16, bfloat16, float32, float64, complex64, complex128 "
        "(integer and bool results are always compared exactly)"),
    Bad("negative-tolerance", "rtol: 1.0e-6", "rtol: -1.0e-6", 40, "tolerances.float32.rtol", ">= 0"),
    Bad("wrong-version", "apicompat: 1", "apicompat: 2", 2, "apicompat", "unsupported format version 2"),
    Bad("version-as-string", "apicompat: 1", "apicompat: '1'", 2, "apicompat",
        "unsupported format version '1'"),
    Bad("duplicate-key", "title: cumsum", "title: cumsum\ntitle: again", 5, "title",
        "duplicate key 'title' (first given on line 4)"),
    Bad("key-read-as-boolean", "title: cumsum", "on: cumsum", 4, "on", "YAML reads 'on' as a boolean"),
    Bad("duplicate-target", "known_differences:", "  - {framework: mindspore, api: mindspore.ops.cumsum}\n"
        "known_differences:", 34, "targets[1].api", "listed twice"),
    Bad("bad-id", "id: cumsum", "id: cum sum", 3, "id", "expected a short unique id"),
]  # fmt: skip


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _error(path: Path, check_imports: bool = False, frameworks: tuple[str, ...] | None = None) -> SpecError:
    with pytest.raises(SpecError) as info:
        if frameworks is None:
            load_spec(path, check_imports=check_imports)
        else:
            load_spec(path, check_imports=check_imports, frameworks=frameworks)
    return info.value


def test_base_is_valid(tmp_path: Path) -> None:
    assert load_spec(_write(tmp_path, "base.yaml", BASE), check_imports=False).id == "cumsum"


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 20 and len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("bad", CASES, ids=[c.id for c in CASES])
def test_malformed_spec(tmp_path: Path, bad: Bad) -> None:
    assert BASE.count(bad.old) == 1, "the edit must apply to exactly one place"
    path = _write(tmp_path, f"{bad.id}.yaml", BASE.replace(bad.old, bad.new))
    error = _error(path)
    text = str(error)
    assert (error.file, error.line, error.key) == (str(path), bad.line, bad.key), text
    assert f"{path}:{bad.line}: error at '{bad.key}': " in text
    assert bad.says in text
    if bad.suggests is not None:
        assert f"did you mean '{bad.suggests}'?" in text
    # Messages are for people: no schema dumps.
    assert "is not one of" not in text and "Failed validating" not in text


def test_yaml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    path = _write(tmp_path, "syntax.yaml", BASE.replace("ranks: [0, 4]", "ranks: [0, 4"))
    error = _error(path)
    assert error.line == 10 and "invalid YAML at column" in str(error)
    assert "starts on line 9" in str(error) and str(path) in str(error)


def test_two_documents(tmp_path: Path) -> None:
    error = _error(_write(tmp_path, "two.yaml", BASE + "---\napicompat: 1\n"))
    assert error.line == 41 and "a second YAML document" in str(error)


def test_bad_indentation(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "indent.yaml",
        BASE.replace("    of: input\n  - name: dtype", "   of: input\n  - name: dtype"),
    )
    error = _error(path)
    assert error.line == 12 and "invalid YAML" in str(error)


def test_python_tags_are_refused(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "tag.yaml", BASE.replace("title: cumsum", "title: !!python/object/apply:os.system ['true']")
    )
    error = _error(path)
    assert error.line == 4 and "could not determine a constructor" in str(error)


def test_empty_file(tmp_path: Path) -> None:
    for name, text in [("empty.yaml", ""), ("comments.yaml", "# only a comment\n")]:
        error = _error(_write(tmp_path, name, text))
        assert (
            error.file.endswith(name) and "the file is empty" in str(error) and "apicompat: 1" in str(error)
        )


def test_list_at_top_level(tmp_path: Path) -> None:
    error = _error(_write(tmp_path, "list.yaml", "\n- id: cumsum\n"))
    assert error.line == 2 and "must be a mapping of keys" in str(error) and "holds a list" in str(error)


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    raw = BASE.replace("summary: Cumulative sum.", "summary: Cumulative \xff sum.").encode("latin-1")
    error = _error(_write(tmp_path, "latin1.yaml", raw))
    assert error.line == 5 and "not valid UTF-8" in str(error) and "0xff" in str(error)


def test_unprintable_character(tmp_path: Path) -> None:
    error = _error(_write(tmp_path, "bell.yaml", BASE.replace("Cumulative", "Cumul\x07ative")))
    assert error.line == 5 and "invalid YAML" in str(error)


def test_missing_file(tmp_path: Path) -> None:
    error = _error(tmp_path / "nope.yaml")
    assert str(tmp_path / "nope.yaml") in str(error) and "no such file" in str(error)
    with pytest.raises(SpecError, match="no such file or directory"):
        load_specs([tmp_path / "nope.yaml"], check_imports=False)


def test_directory_without_specs(tmp_path: Path) -> None:
    _write(tmp_path, "README.md", "not a spec")
    with pytest.raises(SpecError) as info:
        load_specs([tmp_path], check_imports=False)
    assert info.value.file == str(tmp_path) and "no spec files (*.yaml, *.yml)" in str(info.value)


def test_duplicate_spec_ids_name_both_files(tmp_path: Path) -> None:
    first = _write(tmp_path, "a.yaml", BASE)
    second = _write(tmp_path, "b.yaml", BASE)
    with pytest.raises(SpecError) as info:
        load_specs([tmp_path], check_imports=False)
    text = str(info.value)
    assert info.value.file == str(second) and info.value.line == 3 and info.value.key == "id"
    assert f"{first}:3" in text and "duplicate spec id 'cumsum'" in text


def test_framework_not_installed(tmp_path: Path) -> None:
    frameworks = ("torch", "mindspore", "fakefw")
    text = BASE.replace(
        "known_differences:",
        "  - {framework: fakefw, api: apicompat_no_such_pkg.ops.cumsum}\nknown_differences:",
    )
    path = _write(tmp_path, "fake.yaml", text)
    error = _error(path, check_imports=True, frameworks=frameworks)
    text = str(error)
    assert (error.line, error.key) == (34, "targets[1].api")
    assert "framework 'fakefw' is not installed" in text
    assert "pip install -e '.[frameworks]' -c constraints.txt" in text
    # A linter without frameworks skips the check.
    assert (
        load_spec(path, check_imports=False, frameworks=frameworks).targets[1].api
        == "apicompat_no_such_pkg.ops.cumsum"
    )


def test_spec_error_is_an_apicompat_error(tmp_path: Path) -> None:
    assert isinstance(_error(_write(tmp_path, "e.yaml", "")), ApicompatError)


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 10),
    st.floats(allow_nan=False, width=32),
    st.sampled_from(["input", "dim", "tensor", "axis", "float32", "all", "torch", "x", "", "a b"]),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["name", "kind", "of", "x"]), inner)
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


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_edit_gives_a_spec_or_a_located_spec_error(tmp_path: Path, data: st.DataObject) -> None:
    spec = yaml.safe_load(BASE)
    paths = [p for p in _paths(spec) if p]
    where = data.draw(st.sampled_from(paths))
    value = data.draw(_VALUES)
    parent = spec
    for part in where[:-1]:
        parent = parent[part]
    parent[where[-1]] = value
    path = tmp_path / "fuzz.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    try:
        load_spec(path, check_imports=False)
    except SpecError as error:
        assert error.line is not None and error.line >= 1, str(error)
