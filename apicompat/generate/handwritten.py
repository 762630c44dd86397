"""Hand-written cases: published examples (docs, tutorials) with their published outputs.

A case file names one spec and lists cases; each argument is written by the
kind of its canonical parameter (a tensor as {dtype, values}, an out as
{dtype, shape}, a dtype by name, numbers and booleans as themselves). Every
problem is a SpecError naming the file, the line and the key path.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from apicompat.generate.build import derive_seed
from apicompat.records import (
    DTYPES,
    Case,
    DtypeArg,
    OutArg,
    SizeArg,
    SpecError,
    TensorArg,
    TensorListArg,
    dtype_category,
)
from apicompat.records.cases import ArgValue
from apicompat.spec.loader import FORMAT_VERSION, SPEC_SUFFIXES
from apicompat.spec.model import Param, ParamKind, Spec
from apicompat.spec.schema import show
from apicompat.spec.suggest import did_you_mean, one_of
from apicompat.spec.yamlpos import KeyPath, Positions, format_path, load_document

_FILE_KEYS = ("apicompat", "spec", "source", "cases")
_CASE_KEYS = ("name", "source", "args", "expect")
_TENSOR_KEYS = ("dtype", "values")
_GENERATED_KEYS = ("dtype", "values", "shape")
_OUT_KEYS = ("dtype", "shape")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def load_cases(path: str | Path, specs: Mapping[str, Spec]) -> list[Case]:
    """The cases of one hand-written case file; its `spec:` must be one of `specs`."""
    return _CaseFile(Path(path), _display(Path(path)), specs).cases()


def load_case_dir(
    directory: str | Path, specs: Mapping[str, Spec], *, skip_unknown: bool = False
) -> list[Case]:
    """The cases of every *.yaml / *.yml file in `directory` (sorted); none is fine.

    With `skip_unknown`, files for specs not in `specs` are skipped (a run over a
    subset of specs); otherwise they are an error.
    """
    root = Path(directory)
    if not root.is_dir():
        raise SpecError(str(directory), "no such directory of hand-written cases")
    cases: list[Case] = []
    for file in sorted(
        p for p in root.iterdir() if p.suffix in SPEC_SUFFIXES and p.is_file() and not p.name.startswith(".")
    ):
        case_file = _CaseFile(file, _display(file), specs)
        if skip_unknown and case_file.spec_id() not in specs:
            continue
        cases.extend(case_file.cases())
    return cases


def _display(path: Path) -> str:
    """The file as origins and errors show it: relative to the working directory when inside it."""
    if path.is_absolute():
        try:
            return path.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return path.as_posix()
    return path.as_posix()


class _CaseFile:
    """One case file, checked key by key."""

    def __init__(self, path: Path, display: str, specs: Mapping[str, Spec]) -> None:
        self.display = display
        self.specs = specs
        self.data, self.positions = _load(path, display)

    def error(
        self, path: KeyPath, message: str, hint: str | None = None, *, at_key: bool = False
    ) -> SpecError:
        """A SpecError at `path`."""
        line = self.positions.key_line(path) if at_key else self.positions.line(path)
        return SpecError(self.display, message, line=line, key=format_path(path) or None, hint=hint)

    def spec_id(self) -> str:
        """The id the file's `spec:` names."""
        self.keys((), self.data, _FILE_KEYS, ("apicompat", "spec", "cases"))
        spec_id = self.data["spec"]
        if not isinstance(spec_id, str):
            raise self.error(("spec",), f"expected a spec id but got {show(spec_id)}")
        return spec_id

    def cases(self) -> list[Case]:
        """Every case in the file, in order."""
        spec_id = self.spec_id()
        if spec_id not in self.specs:
            raise self.error(
                ("spec",),
                f"unknown spec id '{spec_id}'; loaded specs: {one_of(sorted(self.specs)) or 'none'}",
                did_you_mean(spec_id, self.specs),
            )
        spec = self.specs[spec_id]
        self.text(("source",), self.data.get("source", ""))
        raws = self.data["cases"]
        if not isinstance(raws, list) or not raws:
            raise self.error(("cases",), f"expected a non-empty list of cases but got {show(raws)}")
        cases: list[Case] = []
        names: dict[str, int] = {}
        by_args: dict[str, str] = {}
        for i, raw in enumerate(raws):
            case = self.case(("cases", i), raw, spec)
            name = case.facet_dict["name"]
            if name in names:
                raise self.error(
                    ("cases", i, "name"), f"duplicate case name '{name}' (first on line {names[name]})"
                )
            names[name] = self.positions.line(("cases", i, "name")) or 0
            if case.id in by_args:
                raise self.error(
                    ("cases", i, "args"),
                    f"the same arguments as case '{by_args[case.id]}'",
                    hint="a case is identified by its arguments; keep one and name both sources in it",
                    at_key=True,
                )
            by_args[case.id] = name
            cases.append(case)
        return cases

    def keys(self, path: KeyPath, raw: Any, known: tuple[str, ...], required: tuple[str, ...]) -> None:
        """`raw` is a mapping with only `known` keys and every `required` one."""
        if not isinstance(raw, dict):
            raise self.error(path, f"expected a mapping with keys {one_of(known)} but got {show(raw)}")
        for key in raw:
            if key not in known:
                hint = did_you_mean(key, [k for k in known if k not in raw]) or did_you_mean(key, known)
                raise self.error(
                    (*path, key), f"unknown key '{key}'; expected one of {one_of(known)}", hint, at_key=True
                )
        for key in required:
            if key not in raw:
                raise self.error((*path, key), f"missing required key '{key}'")

    def text(self, path: KeyPath, value: Any) -> str:
        """A string value."""
        if not isinstance(value, str):
            raise self.error(path, f"expected a string but got {show(value)}")
        return value

    def case(self, path: KeyPath, raw: Any, spec: Spec) -> Case:
        """One case: its arguments in canonical order, and the published output."""
        self.keys(path, raw, _CASE_KEYS, ("name", "args"))
        name = self.text((*path, "name"), raw["name"])
        if not _NAME.match(name):
            raise self.error(
                (*path, "name"), f"expected a name of letters, digits, '.', '_' and '-' but got {name!r}"
            )
        self.text((*path, "source"), raw.get("source", ""))
        args_raw = raw["args"]
        if not isinstance(args_raw, dict):
            raise self.error(
                (*path, "args"), f"expected a mapping of argument names to values but got {show(args_raw)}"
            )
        names = [p.name for p in spec.params]
        for key in args_raw:
            if key not in names:
                raise self.error(
                    (*path, "args", key),
                    f"'{key}' is not a parameter of {spec.id}; parameters: {one_of(names)}",
                    did_you_mean(key, names),
                    at_key=True,
                )
        args: list[tuple[str, ArgValue]] = []
        for param in spec.params:
            if param.name in args_raw:
                args.append((param.name, self.arg((*path, "args", param.name), param, args_raw[param.name])))
            elif param.required:
                raise self.error(
                    (*path, "args"), f"missing required argument '{param.name}' of {spec.id}", at_key=True
                )
        expected: Any = None
        expected_dtype: str | None = None
        if "expect" in raw:
            epath = (*path, "expect")
            self.keys(epath, raw["expect"], _TENSOR_KEYS, _TENSOR_KEYS)
            expected_dtype = self.dtype((*epath, "dtype"), raw["expect"]["dtype"])
            expected = self.tensor_values((*epath, "values"), expected_dtype, raw["expect"]["values"])[0]
        facets = [("group", "handwritten"), ("name", name)]
        first_tensor = next((v for _, v in args if isinstance(v, (TensorArg, TensorListArg))), None)
        if isinstance(first_tensor, TensorListArg) and first_tensor.items:
            first_tensor = first_tensor.items[0]
        if isinstance(first_tensor, TensorArg):
            facets.append(("dtype", first_tensor.dtype))
        return Case(
            spec_id=spec.id,
            args=tuple(args),
            facets=tuple(facets),
            origin=f"handwritten:{self.display}#{name}",
            expected=expected,
            expected_dtype=expected_dtype,
        )

    # -- argument values by parameter kind ------------------------------------------------------

    def arg(self, path: KeyPath, param: Param, value: Any) -> ArgValue:
        """One argument, written as its parameter's kind says."""
        kind = param.kind
        if value is None:
            if param.required:
                raise self.error(path, f"'{param.name}' is required, so it cannot be null")
            return None  # passed explicitly as None, e.g. dtype=None
        if kind is ParamKind.TENSOR or (kind is ParamKind.TENSOR_OR_SCALAR and isinstance(value, dict)):
            return self.tensor(path, value)
        if (
            kind is ParamKind.TENSOR_OR_SCALAR
            and isinstance(value, (int, float))
            and not isinstance(value, bool)
        ):
            return value
        if kind is ParamKind.TENSORS:
            if not isinstance(value, list):
                raise self.error(
                    path, f"expected a list of tensors ({{dtype, values}}) but got {show(value)}"
                )
            items = tuple(self.tensor((*path, j), item) for j, item in enumerate(value))
            return TensorListArg(items, varargs=param.varargs)  # torch.einsum(eq, *operands)
        if kind is ParamKind.DTYPE:
            return DtypeArg(self.dtype(path, value))
        if kind is ParamKind.OUT:
            self.keys(path, value, _OUT_KEYS, _OUT_KEYS)
            shape = value["shape"]
            if not isinstance(shape, list) or not all(_is_int(d) and d >= 0 for d in shape):
                raise self.error(
                    (*path, "shape"), f"expected a list of sizes (integers >= 0) but got {show(shape)}"
                )
            return OutArg(self.dtype((*path, "dtype"), value["dtype"]), tuple(shape))
        if kind in (ParamKind.AXIS, ParamKind.INT) and _is_int(value):
            return int(value)
        if kind is ParamKind.OPTION and isinstance(value, str):
            return value
        if kind in (ParamKind.AXES, ParamKind.INTS) and (
            _is_int(value) or (isinstance(value, list) and all(map(_is_int, value)))
        ):
            return tuple(value) if isinstance(value, list) else int(value)
        if kind is ParamKind.SCALAR and isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        if kind is ParamKind.BOOL and isinstance(value, bool):
            return value
        if kind is ParamKind.SIZE and isinstance(value, list) and all(map(_is_int, value)):
            return SizeArg(tuple(value))  # a published call's size, written as a tuple
        expected = {
            ParamKind.AXIS: "an integer",
            ParamKind.INT: "an integer",
            ParamKind.AXES: "an integer or a list of integers",
            ParamKind.INTS: "an integer or a list of integers",
            ParamKind.OPTION: "a string",
            ParamKind.SCALAR: "a number",
            ParamKind.BOOL: "true or false",
            ParamKind.SIZE: "a list of integers",
            ParamKind.TENSOR_OR_SCALAR: "a tensor ({dtype, values}) or a number",
        }.get(kind, "a value of its kind")
        raise self.error(
            path, f"'{param.name}' has kind '{kind.value}': expected {expected} but got {show(value)}"
        )

    def dtype(self, path: KeyPath, value: Any) -> str:
        """A dtype name from the vocabulary."""
        if value not in DTYPES:
            raise self.error(
                path,
                f"expected a dtype ({one_of(DTYPES)}) but got {show(value)}",
                did_you_mean(value, DTYPES),
            )
        return str(value)

    def tensor(self, path: KeyPath, value: Any) -> TensorArg:
        """A literal tensor {dtype, values}, or generated values of a given shape {dtype, shape}."""
        self.keys(path, value, _GENERATED_KEYS, ("dtype",))
        dtype = self.dtype((*path, "dtype"), value["dtype"])
        if ("shape" in value) == ("values" in value):
            raise self.error(
                path,
                "a tensor gives either values (a literal) or a shape (generated values), not "
                + ("both" if "shape" in value else "neither"),
                hint="write {dtype: float32, values: [[1, 2]]} or {dtype: float32, shape: [2, 3]}",
            )
        if "shape" in value:
            shape = value["shape"]
            if not isinstance(shape, list) or not all(_is_int(d) and d >= 0 for d in shape):
                raise self.error(
                    (*path, "shape"), f"expected a list of sizes (integers >= 0) but got {show(shape)}"
                )
            # Seeded by where the tensor is written, so the same file always generates the same values.
            return TensorArg(
                dtype, tuple(shape), fill="random", seed=derive_seed(Path(self.display).name, path)
            )
        data, shape = self.tensor_values((*path, "values"), dtype, value["values"])
        return TensorArg(dtype=dtype, shape=shape, fill="literal", data=data)

    def tensor_values(self, path: KeyPath, dtype: str, value: Any) -> tuple[Any, tuple[int, ...]]:
        """Nested lists as nested tuples (hashable, like every record), and their shape."""
        if isinstance(value, list):
            items = [self.tensor_values((*path, j), dtype, v) for j, v in enumerate(value)]
            shapes = {shape for _, shape in items}
            if len(shapes) > 1:
                first = items[0][1]
                bad = next(j for j, (_, s) in enumerate(items) if s != first)
                raise self.error(
                    (*path, bad),
                    f"ragged values: this item has shape {list(items[bad][1])} but item 0 has {list(first)}",
                    hint="every row must have the same length",
                )
            inner = items[0][1] if items else ()
            return tuple(data for data, _ in items), (len(items), *inner)
        return self.element(path, dtype, value), ()

    def element(self, path: KeyPath, dtype: str, value: Any) -> Any:
        """One element, checked against the dtype (complex numbers may be written '1+2j')."""
        category = dtype_category(dtype)
        if category == "bool":
            if isinstance(value, bool):
                return value
            raise self.error(path, f"bool values must be true or false, but got {show(value)}")
        if isinstance(value, bool):
            raise self.error(path, f"{dtype} values must be numbers, but got {show(value)}")
        if category == "int":
            if not isinstance(value, int):
                raise self.error(path, f"{dtype} values must be integers, but got {show(value)}")
            info = _INT_RANGES[dtype]
            if not info[0] <= value <= info[1]:
                raise self.error(path, f"{value} does not fit in {dtype} [{info[0]}, {info[1]}]")
            return value
        if isinstance(value, (int, float)):
            if isinstance(value, int) and abs(value) > _FLOAT_MAX:  # float() would raise OverflowError
                raise self.error(path, f"{value} is too large for {dtype} (its largest value is below 2e308)")
            return value
        if category == "complex" and isinstance(value, str):
            try:
                # complex() parses a literal; it never evaluates code.
                return complex(value.replace(" ", ""))
            except ValueError:
                pass
        word = "numbers (or strings such as '1+2j')" if category == "complex" else "numbers"
        raise self.error(path, f"{dtype} values must be {word}, but got {show(value)}")


def _load(path: Path, display: str) -> tuple[dict[str, Any], Positions]:
    data, positions = load_document(
        path, display, "case file", FORMAT_VERSION, "apicompat, spec, source, cases"
    )
    return data, positions


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_FLOAT_MAX = int(sys.float_info.max)

_INT_RANGES: dict[str, tuple[int, int]] = {
    "uint8": (0, 2**8 - 1),
    "int8": (-(2**7), 2**7 - 1),
    "int16": (-(2**15), 2**15 - 1),
    "int32": (-(2**31), 2**31 - 1),
    "int64": (-(2**63), 2**63 - 1),
}
