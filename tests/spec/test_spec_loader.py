"""The loader turns valid spec files into the expected typed Spec."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from apicompat.frameworks import ADAPTERS
from apicompat.records import DTYPES, Implementation, SpecError
from apicompat.references.declarative import AxisArg, Declaration, Rejection
from apicompat.spec import KnownDifference, Param, ParamKind, Spec, load_spec, load_specs
from apicompat.spec.loader import DTYPE_GROUPS, KNOWN_FRAMEWORKS, expand_dtypes, spec_files

ROOT = Path(__file__).resolve().parents[2]
CUMSUM = ROOT / "specs" / "cumsum.yaml"

MINIMAL = """\
apicompat: 1
id: {id}
params:
  - name: input
    kind: tensor
reference: apicompat.references:cumsum
source: {{framework: torch, api: torch.neg}}
targets:
  - {{framework: mindspore, api: mindspore.ops.neg}}
"""


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_cumsum_spec_loads_into_the_expected_spec() -> None:
    spec = load_spec(CUMSUM, check_imports=False)
    expected = Spec(
        id="cumsum",
        path=str(CUMSUM),
        title="cumsum",
        summary="Cumulative sum of the elements of a tensor along one dimension.",
        params=(
            Param("input", ParamKind.TENSOR, ranks=(0, 4)),
            Param("dim", ParamKind.AXIS, of="input"),
            Param(
                "dtype",
                ParamKind.DTYPE,
                required=False,
                default=None,
                keyword_only=True,
                values=("int8", "int32", "int64", "float16", "float32", "float64", "bool", "complex64"),
            ),
            Param("out", ParamKind.OUT, required=False, of="input", keyword_only=True),
        ),
        source=Implementation(
            framework="torch",
            api="torch.cumsum",
            params=(("input", "input"), ("dim", "dim"), ("dtype", "dtype"), ("out", "out")),
            positional=("input", "dim"),
        ),
        targets=(
            Implementation(
                framework="mindspore",
                api="mindspore.ops.cumsum",
                params=(("input", "x"), ("dim", "axis"), ("dtype", "dtype"), ("out", None)),
                positional=("input", "dim"),
            ),
            Implementation(
                framework="mindspore",
                api="mindspore.mint.cumsum",
                params=(("input", "input"), ("dim", "dim"), ("dtype", "dtype"), ("out", None)),
                positional=("input", "dim"),
            ),
            Implementation(
                framework="mindspore",
                api="mindspore.Tensor.cumsum",
                params=(("input", "input"), ("dim", "dim"), ("dtype", "dtype"), ("out", None)),
                positional=("dim",),
                method=True,
            ),
        ),
        reference=Declaration(
            numpy="numpy.cumsum",
            args=(("dim", "axis"), ("input", 0)),
            promotion=("sum",),
            operands=("input",),
            axes=(AxisArg("dim", "input", many=False),),
            dtype_param="dtype",
            rejects=(
                Rejection(
                    ("bool",),
                    "NotImplementedError",
                    message="\"cumsum_out_cpu\" not implemented for 'Bool'",
                    result=True,
                ),
            ),
            drop=("out",),
        ).to_api(),
        known_differences=(
            KnownDifference(
                kind="param_only_in_one",
                param="out",
                reason="MindSpore functions return new tensors; there is no out= in mindspore.ops "
                "or mindspore.mint.",
            ),
        ),
        source_method=Implementation(
            framework="torch",
            api="torch.Tensor.cumsum",
            params=(("input", "input"), ("dim", "dim"), ("dtype", "dtype"), ("out", None)),
            positional=("dim",),
            method=True,
        ),
    )
    assert spec == expected
    assert spec.targets[0].name_of == {"input": "x", "dim": "axis", "dtype": "dtype", "out": None}
    assert not spec.targets[0].supports("out")


def test_lines_are_recorded_for_params_implementations_and_known_differences() -> None:
    spec = load_spec(CUMSUM, check_imports=False)
    lines = CUMSUM.read_text().splitlines()
    for param in spec.params:
        assert param.line is not None and f"name: {param.name}" in lines[param.line - 1]
    assert spec.source.line is not None and "framework: torch" in lines[spec.source.line - 1]
    assert spec.targets[0].line is not None and "framework: mindspore" in lines[spec.targets[0].line - 1]
    known = spec.known_differences[0]
    assert known.line is not None and "kind: param_only_in_one" in lines[known.line - 1]


def test_loading_checks_packages_without_importing_any_framework() -> None:
    code = (
        "import sys; from apicompat.spec import load_specs; load_specs(['specs'], check_imports=True); "
        "print(sorted(m for m in ('torch', 'mindspore') if m in sys.modules))"
    )
    # check_imports needs the frameworks; without them, the same run shows nothing was imported either.
    try:
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
    except subprocess.CalledProcessError as exc:
        assert "not installed" in exc.stderr
        code = code.replace("check_imports=True", "check_imports=False")
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
    assert out.strip() == "[]"


def test_defaults_fill_every_param_and_mapping(tmp_path: Path) -> None:
    spec = load_spec(write(tmp_path, "neg.yaml", MINIMAL.format(id="neg")), check_imports=False)
    (param,) = spec.params
    assert param == Param("input", ParamKind.TENSOR)
    assert param.dtypes == DTYPES and param.ranks == (0, 4) and param.fill == "random"
    assert spec.title == "neg" and spec.summary == ""
    assert spec.source.params == (("input", "input"),)
    assert spec.targets[0].params == (("input", "input"),)
    assert spec.known_differences == () and spec.tolerances == ()


def test_dtype_groups_expand(tmp_path: Path) -> None:
    text = MINIMAL.format(id="neg").replace(
        "    kind: tensor\n",
        "    kind: tensor\n    dtypes: [complex, int8, float]\n"
        "  - name: dtype\n    kind: dtype\n    required: false\n    values: [float64, int, bool]\n",
    )
    spec = load_spec(write(tmp_path, "neg.yaml", text), check_imports=False)
    # Accepted dtypes are a set: vocabulary order. Values to try keep the spec's order.
    assert spec.param("input").dtypes == (
        "int8", "float16", "bfloat16", "float32", "float64", "complex64", "complex128",
    )  # fmt: skip
    assert spec.param("dtype").values == ("float64", "uint8", "int8", "int16", "int32", "int64", "bool")
    assert expand_dtypes(["all"]) == DTYPES
    assert DTYPE_GROUPS["int"] == ("uint8", "int8", "int16", "int32", "int64")


def test_values_min_max_tolerances_and_yaml12_floats(tmp_path: Path) -> None:
    text = MINIMAL.format(id="neg").replace(
        "    kind: tensor\n",
        "    kind: tensor\n"
        "  - {name: k, kind: int, required: false, default: 1, min: -1, max: 2}\n"
        "  - {name: alpha, kind: scalar, required: false, values: [1, 1.0, 0.5, .nan]}\n"
        "  - {name: flag, kind: bool, required: false, default: false, values: [true, false, true]}\n",
    ) + ("tolerances:\n  float64: {rtol: 1e-12, atol: 0}\n  float16: {rtol: 1.0e-3, atol: 1E-5}\n")
    spec = load_spec(write(tmp_path, "neg.yaml", text), check_imports=False)
    assert spec.param("k").values == (-1, 0, 1, 2) and spec.param("k").default == 1
    alpha = spec.param("alpha").values
    assert alpha[:3] == (1, 1.0, 0.5) and type(alpha[1]) is float and alpha[3] != alpha[3]
    assert spec.param("flag").values == (True, False)
    # YAML 1.1 would read 1e-12 as a string; specs read it as a number.
    assert spec.tolerances == (("float16", (1e-3, 1e-5)), ("float64", (1e-12, 0.0)))


def test_load_specs_expands_directories_sorted_and_loads_each_file_once(tmp_path: Path) -> None:
    write(tmp_path, "b.yaml", MINIMAL.format(id="b"))
    write(tmp_path, "a.yml", MINIMAL.format(id="a"))
    write(tmp_path, "notes.txt", "not a spec")
    write(tmp_path, ".hidden.yaml", "{")
    specs = load_specs([tmp_path, tmp_path / "b.yaml"], check_imports=False)
    assert [s.id for s in specs] == ["a", "b"]
    assert [p.name for p in spec_files(str(tmp_path))] == ["a.yml", "b.yaml"]
    assert [s.id for s in load_specs(str(tmp_path / "a.yml"), check_imports=False)] == ["a"]


def test_every_shipped_spec_loads() -> None:
    specs = load_specs([ROOT / "specs"], check_imports=False)
    assert "cumsum" in {s.id for s in specs}


def test_method_flag_and_source_mapping(tmp_path: Path) -> None:
    text = MINIMAL.format(id="neg").replace(
        "  - {framework: mindspore, api: mindspore.ops.neg}\n",
        "  - {framework: mindspore, api: mindspore.Tensor.neg, method: true, params: {input: self}}\n",
    )
    spec = load_spec(write(tmp_path, "neg.yaml", text), check_imports=False)
    assert spec.targets[0].method and spec.targets[0].params == (("input", "self"),)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_utf8_with_or_without_bom(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "neg.yaml"
    path.write_text(
        MINIMAL.format(id="neg").replace("apicompat: 1", "apicompat: 1\nsummary: négation"), encoding
    )
    assert load_spec(path, check_imports=False).summary == "négation"


def test_known_frameworks_are_the_adapter_registry() -> None:
    assert set(KNOWN_FRAMEWORKS) == set(ADAPTERS)


def test_extra_frameworks_can_be_allowed(tmp_path: Path) -> None:
    text = MINIMAL.format(id="neg").replace("framework: mindspore", "framework: fake")
    path = write(tmp_path, "neg.yaml", text)
    with pytest.raises(SpecError, match="unknown framework 'fake'"):
        load_spec(path, check_imports=False)
    spec = load_spec(path, check_imports=False, frameworks=(*KNOWN_FRAMEWORKS, "fake"))
    assert spec.frameworks == ("torch", "fake")


def test_a_spec_keeps_the_lines_of_its_keys_for_checks_after_loading() -> None:
    spec = load_spec("specs/cumsum.yaml")
    text = Path("specs/cumsum.yaml").read_text().splitlines()
    line = spec.line_of("targets[0].params.dim")
    assert line is not None and "dim: axis" in text[line - 1]
    # A key the file does not have falls back to its nearest ancestor.
    assert spec.line_of("targets[1].params.dim") == spec.line_of("targets[1].params")
    assert spec.key_of(spec.targets[2]) == "targets[2]" and spec.key_of(spec.source) == "source"


def test_overloads_are_loaded_as_name_tuples(tmp_path: Path) -> None:
    text = (
        Path("specs/max.yaml")
        .read_text()
        .replace("  api: torch.max\n", "  api: torch.max\n  overloads: [[input, dim, keepdim, out]]\n")
    )
    path = tmp_path / "max.yaml"
    path.write_text(text)
    assert load_spec(path).source.overloads == (("input", "dim", "keepdim", "out"),)
