"""Load spec files: safe YAML, then the JSON Schema, then meaning; the result is a typed Spec.

Every problem is a SpecError naming the file, the line and the key path
(`params[2].kind`), with a did-you-mean for misspelt names. Framework packages
are never imported (see apicompat.spec.imports).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import Any

from apicompat.records import DTYPES, Implementation, SpecError, dtype_category
from apicompat.spec.declared import reference_api
from apicompat.spec.family import expand_family, is_family
from apicompat.spec.imports import WORKER_ONLY, package_installed
from apicompat.spec.model import KnownDifference, Param, ParamKind, ShapeRule, Spec
from apicompat.spec.relations import check_outputs, check_relations, check_value_map
from apicompat.spec.schema import schema_problems, show
from apicompat.spec.suggest import did_you_mean, one_of
from apicompat.spec.yamlpos import KeyPath, Positions, format_path, load_document

#: The spec format version this loader reads (`apicompat: 1`).
FORMAT_VERSION = 1

#: Frameworks a spec may name: the keys of apicompat.frameworks.ADAPTERS. The spec layer may
#: not import the frameworks layer, so the names are repeated here and a test keeps them equal.
KNOWN_FRAMEWORKS: tuple[str, ...] = ("numpy", "torch", "mindspore")

#: File suffixes a directory of specs is searched for.
SPEC_SUFFIXES = (".yaml", ".yml")

#: Group names `dtypes` and dtype `values` may use, and what they expand to.
DTYPE_GROUPS: dict[str, tuple[str, ...]] = {
    "all": DTYPES,
    "int": tuple(d for d in DTYPES if dtype_category(d) == "int"),
    "float": tuple(d for d in DTYPES if dtype_category(d) == "float"),
    "complex": tuple(d for d in DTYPES if dtype_category(d) == "complex"),
}

#: How to install the frameworks that specs name.
INSTALL_HINT = "pip install -e '.[frameworks]' -c constraints.txt"

# Per-kind keys of a parameter, and the kinds each applies to.
_T = ParamKind
_KIND_KEYS: dict[str, frozenset[ParamKind]] = {
    "dtypes": frozenset({_T.TENSOR, _T.TENSORS, _T.OUT, _T.TENSOR_OR_SCALAR, _T.INDEX}),
    "ranks": frozenset({_T.TENSOR, _T.TENSORS}),
    "fill": frozenset({_T.TENSOR, _T.TENSORS, _T.TENSOR_OR_SCALAR, _T.INDEX}),
    "of": frozenset({_T.AXIS, _T.AXES, _T.OUT, _T.INDEX, _T.INT}),
    "values": frozenset(
        {_T.DTYPE, _T.INT, _T.SCALAR, _T.BOOL, _T.TENSOR_OR_SCALAR, _T.OPTION, _T.INTS, _T.SIZE}
    ),
    "shapes": frozenset({_T.TENSOR, _T.TENSORS}),
    "min": frozenset({_T.INT, _T.SCALAR}),
    "max": frozenset({_T.INT, _T.SCALAR}),
    "step": frozenset({_T.SCALAR}),
    "primary": frozenset({_T.TENSOR, _T.TENSORS}),
    "shape": frozenset({_T.TENSOR, _T.TENSOR_OR_SCALAR, _T.INDEX}),
    "count": frozenset({_T.TENSORS}),
    "along": frozenset({_T.INDEX, _T.INT, _T.TENSORS}),
    "tuple_only": frozenset({_T.AXES}),
    "varargs": frozenset({_T.SIZE, _T.TENSORS}),
}

#: The sizes a size parameter tries when it lists none: 2-d, 1-d, 0-d, empty, and a negative one.
DEFAULT_SIZES: tuple[tuple[int, ...], ...] = ((2, 3), (4,), (), (0,), (2, 0), (-1, 2))

#: The dtypes an index parameter tries when it lists none: the integer types torch accepts.
INDEX_DTYPES: tuple[str, ...] = ("int32", "int64")
_TENSOR_KINDS = frozenset({_T.TENSOR, _T.TENSORS})
_MAX_RANGE = 64  # min/max expands to values; a wider range would explode the case count


def load_spec(
    path: str | Path, *, check_imports: bool = True, frameworks: Collection[str] = KNOWN_FRAMEWORKS
) -> Spec:
    """Load and validate one spec file; raises SpecError naming file, line and key.

    `check_imports` checks that each api's top-level package is installed (without
    importing it); `frameworks` are the names a spec may use (pass the adapter
    registry's keys when it holds extra adapters). A family file of several members
    is an error here: `load_file` returns all of them.
    """
    loaded = _load(Path(path), str(path), check_imports, frameworks)
    if len(loaded) != 1:
        raise SpecError(
            str(path),
            f"the file is a family of {len(loaded)} specs ({', '.join(s.id for s, _ in loaded)})",
            line=1,
            hint="load it with load_file or load_specs",
        )
    return loaded[0][0]


def load_file(
    path: str | Path, *, check_imports: bool = True, frameworks: Collection[str] = KNOWN_FRAMEWORKS
) -> list[Spec]:
    """The specs one file defines: one for a spec file, one per member for a family file."""
    return [spec for spec, _ in _load(Path(path), str(path), check_imports, frameworks)]


def load_specs(
    paths: Sequence[str | Path] | str | Path,
    *,
    check_imports: bool = True,
    frameworks: Collection[str] = KNOWN_FRAMEWORKS,
) -> list[Spec]:
    """Load spec files and directories of them (their *.yaml / *.yml, sorted); ids must be unique."""
    specs: list[Spec] = []
    defined: dict[str, str] = {}
    for file in spec_files(paths):
        for spec, positions in _load(file, str(file), check_imports, frameworks):
            if spec.id in defined:
                raise SpecError(
                    str(file),
                    f"duplicate spec id '{spec.id}': {defined[spec.id]} already defines it",
                    line=positions.key_line(("id",)),
                    key="id",
                    hint="give each spec a unique id",
                )
            defined[spec.id] = f"{file}:{positions.key_line(('id',))}"
            specs.append(spec)
    return specs


def spec_files(paths: Sequence[str | Path] | str | Path) -> list[Path]:
    """The spec files that `paths` name: files as given, directories expanded (sorted)."""
    items = [paths] if isinstance(paths, (str, Path)) else list(paths)
    files: list[Path] = []
    seen: set[Path] = set()
    for item in items:
        path = Path(item)
        if path.is_dir():
            found = sorted(
                p
                for p in path.iterdir()
                if p.suffix in SPEC_SUFFIXES and p.is_file() and not p.name.startswith(".")
            )
            if not found:
                raise SpecError(str(path), "the directory holds no spec files (*.yaml, *.yml)")
        elif path.exists():
            found = [path]
        else:
            raise SpecError(str(path), "no such file or directory")
        for file in found:
            # The same file named twice (a directory and one of its files) loads once.
            if file.resolve() not in seen:
                seen.add(file.resolve())
                files.append(file)
    return files


def expand_dtypes(names: Iterable[str]) -> tuple[str, ...]:
    """Dtype names with groups (all, int, float, complex) expanded, in first-seen order, once each."""
    out: dict[str, None] = {}
    for name in names:
        for dtype in DTYPE_GROUPS.get(name, (name,)):
            out.setdefault(dtype, None)
    return tuple(out)


def _load(
    path: Path, display: str, check_imports: bool, frameworks: Collection[str]
) -> list[tuple[Spec, Positions]]:
    data, positions = load_document(
        path, display, "spec", FORMAT_VERSION, "apicompat, id, params, source, targets, …"
    )
    documents = expand_family(data, positions, display) if is_family(data) else [(data, positions)]
    loaded = []
    for document, where in documents:
        problems = schema_problems(document)
        if problems:
            # The first problem in the file is the one a reader meets first.
            first = min(
                problems,
                key=lambda p: (where.key_line(p.path) if p.at_key else where.line(p.path)) or 0,
            )
            line = where.key_line(first.path) if first.at_key else where.line(first.path)
            raise SpecError(
                display,
                first.message,
                line=line,
                key=_family_key(data, document, first.path),
                hint=first.hint,
            )
        builder = _Builder(display, document, where, check_imports, frameworks, path)
        builder.member = None if document is data else str(document.get("id"))
        loaded.append((builder.build(), where))
    return loaded


def _family_key(data: dict[str, Any], document: dict[str, Any], path: KeyPath) -> str | None:
    """A key path as the reader wrote it: a family member's keys are named under its id."""
    text = format_path(path) or None
    if document is data or text is None:
        return text
    return f"{text} (member {document.get('id')})"


class _Builder:
    """Checks what the schema cannot (names that refer to each other, imports) and builds a Spec."""

    def __init__(
        self,
        display: str,
        data: dict[str, Any],
        positions: Positions,
        check_imports: bool,
        frameworks: Collection[str],
        file: Path | None = None,
    ) -> None:
        self.display = display
        self.member: str | None = None  # a family member's id: error keys name it
        self.file = file if file is not None else Path(display)
        self.frameworks = tuple(frameworks)
        self.data = data
        self.positions = positions
        self.check_imports = check_imports
        self.kinds: dict[str, ParamKind] = {}
        self.param_models: tuple[Param, ...] = ()

    def error(
        self, path: KeyPath, message: str, hint: str | None = None, *, at_key: bool = False
    ) -> SpecError:
        """A SpecError at `path` (at its key's line when the key itself is wrong)."""
        line = self.positions.key_line(path) if at_key else self.positions.line(path)
        key = format_path(path) or None
        if key is not None and self.member is not None:
            key = f"{key} (member {self.member})"
        return SpecError(self.display, message, line=line, key=key, hint=hint)

    def build(self) -> Spec:
        """The validated Spec."""
        data = self.data
        params = self.params(data["params"])
        check_relations(params, self.error)
        outputs = check_outputs(data.get("outputs", []), params, self.error)
        # Checked in file order, so the first problem reported is the first in the file.
        source = self.implementation(("source",), data["source"], True)
        source_method = None
        if "source_method" in data:
            source_method = self.implementation(("source_method",), data["source_method"], True, method=True)
        targets = tuple(
            self.implementation(("targets", i), raw, False) for i, raw in enumerate(data["targets"])
        )
        canonical = tuple(o.canonical for o in outputs) if any(o.canonical for o in outputs) else ()
        if canonical:  # every side puts those outputs in one canonical sign before they are compared
            source = dataclasses.replace(source, canonical=canonical)
            targets = tuple(dataclasses.replace(t, canonical=canonical) for t in targets)
            if source_method is not None:
                source_method = dataclasses.replace(source_method, canonical=canonical)
        first_api: dict[str, int] = {}
        for i, target in enumerate(targets):
            if target.api in first_api:
                raise self.error(
                    ("targets", i, "api"),
                    f"target '{target.api}' is listed twice (first as targets[{first_api[target.api]}])",
                )
            first_api[target.api] = i
        return Spec(
            id=data["id"],
            path=self.display,
            title=data.get("title", data["id"]),
            summary=str(data.get("summary", "")).strip(),
            params=params,
            source=source,
            targets=targets,
            reference=reference_api(data["reference"], self.file, params, outputs, self.error, expand_dtypes),
            known_differences=tuple(
                self.known_difference(i, raw, targets)
                for i, raw in enumerate(data.get("known_differences", []))
            ),
            tolerances=self.tolerances(data.get("tolerances", {})),
            outputs=outputs,
            source_method=source_method,
            lines=self.lines(),
        )

    def lines(self) -> tuple[tuple[str, int], ...]:
        """Every key path's line (a key's own line where it has one), for checks after loading."""
        paths = {**self.positions.value_lines, **self.positions.key_lines}
        return tuple(sorted((format_path(path), line) for path, line in paths.items() if path))

    # -- parameters ---------------------------------------------------------------------------

    def params(self, raws: list[dict[str, Any]]) -> tuple[Param, ...]:
        """Canonical parameters; names are unique."""
        first: dict[str, int] = {}
        for i, raw in enumerate(raws):
            name = raw["name"]
            if name in first:
                first_line = self.positions.line(("params", first[name]))
                raise self.error(
                    ("params", i, "name"),
                    f"duplicate parameter '{name}' (first defined on line {first_line})",
                )
            first[name] = i
            self.kinds[name] = ParamKind(raw["kind"])
        self.param_models = tuple(self.param(("params", i), raw) for i, raw in enumerate(raws))
        return self.param_models

    def param(self, path: KeyPath, raw: dict[str, Any]) -> Param:
        """One parameter, with the keys its kind allows."""
        kind = self.kinds[raw["name"]]
        for key in raw:
            allowed = _KIND_KEYS.get(key)
            if allowed is not None and kind not in allowed:
                raise self.error(
                    (*path, key),
                    f"'{key}' does not apply to kind '{kind.value}'; "
                    f"it applies to {one_of(k.value for k in ParamKind if k in allowed)}",
                    at_key=True,
                )
        required = bool(raw.get("required", True))
        if "default" in raw and required:
            raise self.error(
                (*path, "default"),
                "a required parameter has no default",
                hint="add 'required: false', or remove 'default'",
                at_key=True,
            )
        ranks = tuple(raw.get("ranks", (0, 4)))
        if ranks[0] > ranks[1]:
            raise self.error((*path, "ranks"), f"expected [smallest, largest] but got {list(ranks)}")
        count = tuple(raw.get("count", (2, 2)))
        if count[0] > count[1]:
            raise self.error((*path, "count"), f"expected [smallest, largest] but got {list(count)}")
        if "everyday" in raw and required:
            raise self.error(
                (*path, "everyday"),
                "a required parameter is in every call; 'everyday' applies to optional ones",
                hint="add 'required: false', or remove 'everyday'",
                at_key=True,
            )
        if raw.get("everyday") == "given" and kind is _T.OUT:
            raise self.error((*path, "everyday"), "an out= tensor is never given everyday", at_key=True)
        if kind in (_T.OPTION, _T.INTS) and "values" not in raw:
            what = "the strings it accepts" if kind is _T.OPTION else "the ints or lists of ints to try"
            raise self.error(
                path,
                f"kind '{kind.value}' needs 'values': {what}",
                hint="add e.g. values: [mean, sum]" if kind is _T.OPTION else "add e.g. values: [1, [2, 1]]",
            )
        if kind is _T.INDEX and raw.get("fill", "unique") != "unique":
            raise self.error(
                (*path, "fill"),
                f"an index's values are generated in range along its axis; the only fill it takes is "
                f"'unique' (no value twice along the axis), not {raw['fill']!r}",
                hint="write fill: unique, or leave fill out",
                at_key=True,
            )
        if "shapes" in raw and "ranks" in raw:
            raise self.error((*path, "shapes"), "give either shapes or ranks, not both", at_key=True)
        default_dtypes = INDEX_DTYPES if kind is _T.INDEX else DTYPES
        return Param(
            name=raw["name"],
            kind=kind,
            required=required,
            default=self.default((*path, "default"), kind, raw.get("default")),
            dtypes=tuple(d for d in DTYPES if d in expand_dtypes(raw["dtypes"]))
            if "dtypes" in raw
            else default_dtypes,
            ranks=(ranks[0], ranks[1]),
            of=self.of(path, kind, raw.get("of")),
            values=self.values(path, kind, raw),
            fill=raw.get("fill", "random"),
            keyword_only=bool(raw.get("keyword_only", False)),
            primary=bool(raw.get("primary", False)),
            shape=ShapeRule(raw.get("shape", "same")),
            count=(count[0], count[1]),
            along=self.along(path, kind, raw.get("along")),
            excludes=tuple(raw.get("excludes", ())),
            tuple_only=bool(raw.get("tuple_only", False)),
            varargs=bool(raw.get("varargs", False)),
            everyday=str(raw.get("everyday", "")),
            shapes=tuple(tuple(int(d) for d in shape) for shape in raw.get("shapes", ())),
            line=self.positions.line(path),
        )

    def along(self, path: KeyPath, kind: ParamKind, along: str | None) -> str | None:
        """The axis parameter an index, int or tensors parameter depends on."""
        axes = [n for n, k in self.kinds.items() if k is _T.AXIS]
        if along is None:
            if kind is _T.INDEX:
                raise self.error(
                    path,
                    "kind 'index' needs 'along': the axis parameter whose dimension its values index",
                    hint=f"add 'along: {axes[0]}'" if axes else "add an axis parameter",
                )
            return None
        if along not in self.kinds or self.kinds[along] is not _T.AXIS:
            what = (
                "is not a parameter" if along not in self.kinds else f"has kind '{self.kinds[along].value}'"
            )
            raise self.error(
                (*path, "along"),
                f"'along' must name an axis parameter, but '{along}' {what}; axis parameters: {one_of(axes)}",
                did_you_mean(along, axes),
            )
        return along

    def of(self, path: KeyPath, kind: ParamKind, of: str | None) -> str | None:
        """The tensor parameter an axis, axes or out parameter refers to."""
        tensors = [n for n, k in self.kinds.items() if k in _TENSOR_KINDS]
        if of is None:
            if kind in (_T.AXIS, _T.AXES, _T.INDEX):
                raise self.error(
                    path,
                    f"kind '{kind.value}' needs 'of': the tensor parameter whose dimensions it indexes",
                    hint=f"add 'of: {tensors[0]}'" if tensors else None,
                )
            return None
        if of not in self.kinds:
            raise self.error(
                (*path, "of"),
                f"'of' names '{of}', which is not a parameter; tensor parameters: {one_of(tensors)}",
                did_you_mean(of, tensors),
            )
        if self.kinds[of] not in _TENSOR_KINDS:
            raise self.error(
                (*path, "of"),
                f"'of' must name a tensor parameter, but '{of}' has kind '{self.kinds[of].value}'",
                did_you_mean(of, tensors),
            )
        return of

    def default(self, path: KeyPath, kind: ParamKind, value: Any) -> Any:
        """The default, checked against the kind (lists become tuples, so Params stay hashable)."""
        if value is None:
            return None
        if kind in (_T.TENSOR, _T.TENSORS, _T.OUT, _T.INDEX):
            raise self.error(
                path, f"the default of kind '{kind.value}' can only be null, but got {show(value)}"
            )
        if kind in (_T.AXIS, _T.INT) and _is_int(value):
            return value
        if kind is _T.AXES and (_is_int(value) or (isinstance(value, list) and all(map(_is_int, value)))):
            return tuple(value) if isinstance(value, list) else value
        if kind in (_T.SCALAR, _T.TENSOR_OR_SCALAR) and _is_number(value):
            return value
        if kind is _T.BOOL and isinstance(value, bool):
            return value
        if kind is _T.DTYPE and value in DTYPES:
            return value
        if kind is _T.OPTION and isinstance(value, str):
            return value
        if kind is _T.INTS and _is_ints(value):
            return tuple(value) if isinstance(value, list) else value
        if kind is _T.SIZE and _is_size(value):
            return tuple(value)
        expected = {
            _T.AXIS: "an integer",
            _T.INT: "an integer",
            _T.AXES: "an integer or a list of integers",
            _T.SCALAR: "a number",
            _T.TENSOR_OR_SCALAR: "a number",
            _T.BOOL: "true or false",
            _T.DTYPE: f"a dtype name ({one_of(DTYPES)})",
            _T.OPTION: "a string",
            _T.INTS: "an integer or a list of integers",
            _T.SIZE: "a list of integers (a shape: [2, 3]; [] is 0-d)",
        }[kind]
        raise self.error(
            path,
            f"the default of kind '{kind.value}' must be null or {expected}, but got {show(value)}",
            did_you_mean(value, DTYPES) if kind is _T.DTYPE else None,
        )

    def values(self, path: KeyPath, kind: ParamKind, raw: dict[str, Any]) -> tuple[Any, ...]:
        """The values a dtype, int, scalar or bool parameter tries (min/max expanded)."""
        if "min" in raw or "max" in raw or "step" in raw:
            return self.scalar_range(path, raw) if kind is _T.SCALAR else self.int_range(path, raw)
        if kind is _T.SIZE and "values" not in raw:
            return DEFAULT_SIZES
        found: list[Any] = []
        seen: set[tuple[Any, type]] = set()
        for j, value in enumerate(raw.get("values", [])):
            vpath = (*path, "values", j)
            if kind is _T.DTYPE:
                choices = [*DTYPES, *DTYPE_GROUPS]
                if not isinstance(value, str) or (value not in DTYPES and value not in DTYPE_GROUPS):
                    raise self.error(
                        vpath,
                        f"expected a dtype or group ({one_of(choices)}) but got {show(value)}",
                        did_you_mean(value, choices),
                    )
                found.extend(d for d in expand_dtypes([value]) if d not in found)
                continue
            checks = {
                _T.INT: _is_int,
                _T.SCALAR: _is_number,
                _T.TENSOR_OR_SCALAR: _is_number,
                _T.BOOL: _is_bool,
                _T.OPTION: lambda v: isinstance(v, str),
                _T.INTS: _is_ints,
                _T.SIZE: _is_size,
            }
            if not checks[kind](value):
                words = {
                    _T.INT: "an integer",
                    _T.BOOL: "true or false",
                    _T.OPTION: "a string",
                    _T.INTS: "an integer or a list of integers",
                    _T.SIZE: "a list of integers (a shape: [2, 3]; [] is 0-d)",
                }
                word = words.get(kind, "a number")
                raise self.error(
                    vpath, f"values of kind '{kind.value}' must be {word}, but got {show(value)}"
                )
            if isinstance(value, list):
                value = tuple(value)  # an ints value such as stride [2, 1]: hashable, passed as a tuple
            # (value, type) keeps 1 and 1.0 and True apart; they are different cases.
            if (value, type(value)) not in seen:
                seen.add((value, type(value)))
                found.append(value)
        return tuple(found)

    def scalar_range(self, path: KeyPath, raw: dict[str, Any]) -> tuple[int | float, ...]:
        """A scalar's `min`/`max`/`step` as the values they span: ints when all three are ints."""
        if "values" in raw:
            first = next(k for k in ("min", "max", "step") if k in raw)
            raise self.error((*path, first), "give either values or min/max, not both", at_key=True)
        if "min" not in raw or "max" not in raw:
            raise self.error(
                path, "'min' and 'max' go together", hint="give both (and 'step'), or use values"
            )
        low, high, step = raw["min"], raw["max"], raw.get("step", 1)
        if low > high:
            raise self.error((*path, "max"), f"max {high} is less than min {low}")
        count = int((high - low) / step + 1e-9) + 1
        if count > _MAX_RANGE:
            raise self.error(
                (*path, "step" if "step" in raw else "max"),
                f"min..max by {step} spans {count} values, more than {_MAX_RANGE}",
                hint="use a larger step, or list a few representative ones in values",
            )
        if all(_is_int(v) for v in (low, high, step)):
            return tuple(range(low, high + 1, step))
        # Computed from min each time (not summed), so 0.1 steps do not drift.
        return tuple(float(low + k * step) for k in range(count))

    def int_range(self, path: KeyPath, raw: dict[str, Any]) -> tuple[int, ...]:
        """`min`/`max` as the values they span."""
        if "values" in raw:
            raise self.error(
                (*path, "min" if "min" in raw else "max"),
                "give either values or min/max, not both",
                at_key=True,
            )
        if "min" not in raw or "max" not in raw:
            raise self.error(path, "'min' and 'max' go together", hint="give both, or use values")
        low, high = raw["min"], raw["max"]
        for key in ("min", "max"):
            if not _is_int(raw[key]):
                raise self.error(
                    (*path, key), f"{key} of kind 'int' must be an integer, but got {show(raw[key])}"
                )
        if low > high:
            raise self.error((*path, "max"), f"max {high} is less than min {low}")
        if high - low + 1 > _MAX_RANGE:
            raise self.error(
                (*path, "max"),
                f"min..max spans {high - low + 1} values, more than {_MAX_RANGE}",
                hint="list a few representative ones in values instead",
            )
        return tuple(range(low, high + 1))

    # -- implementations ----------------------------------------------------------------------

    def implementation(
        self, path: KeyPath, raw: dict[str, Any], is_source: bool, *, method: bool = False
    ) -> Implementation:
        """The source (or its method form) or one target: framework, api, names, positional order."""
        if method and raw.get("method") is False:
            raise self.error(
                (*path, "method"),
                "source_method is called as a method of a tensor; 'method: false' contradicts it",
                hint="remove 'method: false'",
            )
        framework, api = raw["framework"], raw["api"]
        if framework not in self.frameworks:
            raise self.error(
                (*path, "framework"),
                f"unknown framework '{framework}'; known frameworks: {one_of(sorted(self.frameworks))}",
                did_you_mean(framework, self.frameworks),
            )
        top = api.split(":")[0].split(".")[0]
        if framework in WORKER_ONLY and top != framework:
            raise self.error(
                (*path, "api"),
                f"api '{api}' is not in the {framework} package, yet framework says {framework}",
            )
        if self.check_imports and not package_installed(top):
            raise self.error(
                (*path, "api"),
                f"framework '{framework}' is not installed: there is no module '{top}' for {api}",
                f"install it with {INSTALL_HINT}, or lint without frameworks (check_imports=False)",
            )
        names = list(self.kinds)
        mapping: dict[str, str | None] = raw.get("params", {})
        owner: dict[str, str] = {}
        for key in mapping:
            if key not in self.kinds:
                raise self.error(
                    (*path, "params", key),
                    f"'{key}' is not a parameter of this spec; keys are canonical names: {one_of(names)}",
                    did_you_mean(key, names),
                    at_key=True,
                )
        for name in names:
            here = mapping.get(name, name)
            # Two parameters the source never takes together may share a name (unbiased, correction -> ddof).
            if here is not None and here in owner and not self.exclusive(owner[here], name):
                raise self.error(
                    (*path, "params", name if name in mapping else owner[here]),
                    f"'{here}' would name both '{owner[here]}' and '{name}' in {api}",
                )
            if here is not None:
                owner[here] = name
        positional: list[str] = raw.get("positional", [])
        for j, name in enumerate(positional):
            ppath = (*path, "positional", j)
            if name not in self.kinds:
                raise self.error(
                    ppath,
                    f"'{name}' is not a parameter; parameters: {one_of(names)}",
                    did_you_mean(name, names),
                )
            if mapping.get(name, name) is None:
                raise self.error(
                    ppath,
                    f"'{name}' has no counterpart in {api} (params maps it to null); it cannot be positional",
                )
            if is_source and self.param_keyword_only(name):
                raise self.error(
                    ppath, f"'{name}' is keyword_only, so the source cannot take it positionally"
                )
        self.check_varargs(path, positional, is_source)
        method = method or bool(raw.get("method", False))
        if method and not any(k in _TENSOR_KINDS for k in self.kinds.values()):
            raise self.error((*path, "method"), "a method needs a tensor parameter to be called on")
        value_map = check_value_map(path, raw.get("value_map", {}), self.param_models, mapping, self.error)
        return Implementation(
            framework=framework,
            api=api,
            params=tuple((name, mapping.get(name, name)) for name in names),
            positional=tuple(positional),
            method=method,
            line=self.positions.line(path),
            value_map=value_map,
            overloads=tuple(tuple(names) for names in raw.get("overloads", [])),
        )

    def check_varargs(self, path: KeyPath, positional: list[str], is_source: bool) -> None:
        """A size the source takes as separate ints is positional there, and last wherever positional."""
        for param in self.param_models:
            if not param.varargs:
                continue
            what = "tensors as separate arguments" if param.kind is _T.TENSORS else "dims as separate ints"
            if is_source and param.name not in positional:
                raise self.error(
                    (*path, "positional"),
                    f"'{param.name}' has varargs: true (the source takes its {what}), "
                    "so the source must take it positionally",
                    f"add '{param.name}' to positional",
                )
            if param.name in positional and positional[-1] != param.name:
                j = positional.index(param.name)
                raise self.error(
                    (*path, "positional", j),
                    f"'{param.name}' may be passed as separate arguments, which take every position "
                    "after it; it must be the last positional parameter",
                    f"pass {one_of(positional[j + 1 :])} by keyword",
                )

    def exclusive(self, a: str, b: str) -> bool:
        """Whether canonical parameters `a` and `b` are never given together."""
        models = {p.name: p for p in self.param_models}
        return b in models[a].excludes or a in models[b].excludes

    def param_keyword_only(self, name: str) -> bool:
        """Whether the canonical parameter is keyword-only in the source."""
        return any(p.get("name") == name and p.get("keyword_only", False) for p in self.data["params"])

    # -- reference, known differences, tolerances ---------------------------------------------

    def known_difference(
        self, i: int, raw: dict[str, Any], targets: tuple[Implementation, ...]
    ) -> KnownDifference:
        """One accepted difference; its param and target must exist."""
        path: KeyPath = ("known_differences", i)
        names = list(self.kinds)
        param = raw.get("param")
        if param is not None and param not in self.kinds:
            raise self.error(
                (*path, "param"),
                f"'{param}' is not a parameter; parameters: {one_of(names)}",
                did_you_mean(param, names),
            )
        apis = [t.api for t in targets]
        target = raw.get("target")
        if target is not None and target not in apis:
            raise self.error(
                (*path, "target"),
                f"'{target}' is not the api of a target; targets: {one_of(apis)}",
                did_you_mean(target, apis),
            )
        dtypes = expand_dtypes(raw.get("dtypes", []))
        return KnownDifference(
            kind=raw["kind"],
            reason=str(raw["reason"]).strip(),
            target=target,
            param=param,
            dtypes=tuple(d for d in DTYPES if d in dtypes),
            line=self.positions.line(path),
        )

    def tolerances(self, raw: dict[str, dict[str, float]]) -> tuple[tuple[str, tuple[float, float]], ...]:
        """Per-dtype (rtol, atol), in vocabulary order."""
        found = []
        for d in (d for d in DTYPES if d in raw):
            for key in ("rtol", "atol"):
                if isinstance(raw[d][key], int) and abs(raw[d][key]) > 1e308:  # float() would overflow
                    raise self.error(("tolerances", d, key), f"{raw[d][key]} is too large for a tolerance")
            found.append((d, (float(raw[d]["rtol"]), float(raw[d]["atol"]))))
        return tuple(found)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_ints(value: Any) -> bool:
    """An int, or a list of ints (kind `ints`)."""
    return _is_int(value) or (isinstance(value, list) and all(map(_is_int, value)))


def _is_size(value: Any) -> bool:
    """A list of ints (kind `size`): a shape, negative sizes allowed (they must raise)."""
    return isinstance(value, list) and all(map(_is_int, value))


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
