"""Reproducer scripts: short standalone programs that rebuild one case and call one API.

A script builds its inputs exactly as `materialize()` does, calls the API in the
implementation's own names and call convention (as `execute.invoke.build_call`
does), and prints the outcome in a framework-neutral form, so two sides' outputs
can be compared line by line:

    dtype: int64
    shape: (4,)
    [ 1  3  6 10]

or `error: RuntimeError: <first line of the message>`. Everything here is string
building: no framework is imported.
"""

from __future__ import annotations

import keyword
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from apicompat.records import Case, DtypeArg, Implementation, OutArg, SizeArg, TensorArg, TensorListArg
from apicompat.records.arrays import _SPECIALS, OFFSET, OFFSET_STEP, materialize
from apicompat.records.cases import CONSTANT, ArgValue
from apicompat.records.dtypes import carrier, dtype_category

#: Arrays up to this many elements are written out as literals; larger ones as a
#: NumPy expression that rebuilds them from the recipe's seed.
LITERAL_LIMIT = 64

# Names the script itself uses; a parameter with one of these names gets a trailing "_".
_RESERVED = frozenset(
    {"np", "torch", "mindspore", "y", "item", "rng"}
    | {"print", "isinstance", "tuple", "list", "str", "enumerate", "float", "complex", "type", "Exception"}
    | {"exc"}
)


@dataclass(frozen=True)
class CallPlan:
    """How one implementation is called for one case: canonical -> target names, by role."""

    receiver: tuple[str, str] | None  # the tensor a method is called on
    positional: tuple[tuple[str, str], ...]
    keyword: tuple[tuple[str, str], ...]


def plan_call(impl: Implementation, case: Case) -> CallPlan:
    """The call convention of `execute.invoke.build_call`; unsupported parameters are left out."""
    names = impl.name_of
    target: dict[str, str] = {}
    for canonical, _ in case.args:
        name = names.get(canonical, canonical)
        if name is not None:
            target[canonical] = name
    receiver = None
    if impl.method:
        self_param = next((c for c, v in case.args if isinstance(v, TensorArg) and c in target), None)
        if self_param is None:
            raise ValueError(f"{impl.api} is called as a method, but the case has no tensor argument")
        receiver = (self_param, target.pop(self_param))
    positional: list[tuple[str, str]] = []
    for canonical in impl.positional:
        if receiver is not None and canonical == receiver[0]:
            continue
        # After the first absent one (or one the case names by keyword), later positional params
        # go by keyword: position would shift.
        if canonical not in target or canonical in case.by_keyword:
            break
        positional.append((canonical, target.pop(canonical)))
    return CallPlan(receiver, tuple(positional), tuple(target.items()))


def render_call(impl: Implementation, case: Case) -> str:
    """The call expression, e.g. `mindspore.ops.cumsum(x, axis, dtype=mindspore.int8)`."""
    syntax = _syntax(impl.framework)
    plan = plan_call(impl, case)
    values = native_values(impl, case)
    args = [_positional(syntax, variable(name), values[c]) for c, name in plan.positional]
    unspellable: list[str] = []  # keyword names Python cannot write as `name=` (`lambda`)
    for c, name in plan.keyword:
        value = _argument(syntax, variable(name), values[c])
        if name.isidentifier() and not keyword.iskeyword(name):
            args.append(f"{name}={value}")
        else:
            unspellable.append(f"{name!r}: {value}")
    if unspellable:
        args.append("**{" + ", ".join(unspellable) + "}")
    if plan.receiver is not None:
        return f"{variable(plan.receiver[1])}.{_function_name(impl.api)}({', '.join(args)})"
    return f"{impl.api.replace(':', '.')}({', '.join(args)})"


def render_script(impl: Implementation, case: Case, *, device: str = "cpu", outputs: int = 1) -> str:
    """A short standalone script that runs `case` with `impl` and prints the result and its dtype.

    An exception is left to propagate: whoever runs the script records it as the outcome.
    """
    return render_calls([(impl, case)], device=device, outputs=outputs)


def render_calls(
    calls: Sequence[tuple[Implementation, Case]], *, device: str = "cpu", outputs: int = 1
) -> str:
    """A script that makes each call (an implementation of one framework, a case) in turn, in one
    process, printing each result: the reproducer of a failure that follows from an earlier call."""
    syntax = _syntax(calls[0][0].framework)
    lines = ["import numpy as np", f"import {syntax.module}"]
    for module in dict.fromkeys(_module_of(impl.api) for impl, _ in calls):
        if module != syntax.module:
            lines.append(f"import {module}")
    lines.append("")
    lines += syntax.prelude(device)
    for n, (impl, case) in enumerate(calls):
        call = _call_lines(syntax, impl, case, device, outputs)
        if n < len(calls) - 1:
            # An earlier call that raises must not end the script before the call it precedes.
            call = [
                "try:",
                *(f"    {line}" for line in call),
                "except Exception as exc:",
                '    print(f"{type(exc).__name__}: {exc}".splitlines()[0])',
                "",
            ]
        lines += call
    return "\n".join(lines) + "\n"


def _call_lines(syntax: _Syntax, impl: Implementation, case: Case, device: str, outputs: int) -> list[str]:
    """The inputs of one case, the call, and the lines that print what it returned."""
    plan = plan_call(impl, case)
    values = native_values(impl, case)
    lines: list[str] = []
    used = ([plan.receiver] if plan.receiver else []) + list(plan.positional) + list(plan.keyword)
    for canonical, name in used:
        lines += _assignment(syntax, variable(name), values[canonical], device)
    lines.append(f"y = {render_call(impl, case)}")
    if "undefined" in impl.canonical:
        # Uninitialized memory (torch.empty): its values would make the page differ on every run.
        lines += [
            "for item in y if isinstance(y, (tuple, list)) else (y,):",
            "    print(tuple(item.shape))",
            "    print(item.dtype)",
        ]
    elif outputs == 1:
        lines += ["print(y)", "print(y.dtype)"]
    else:
        # A side may return one tensor where the other returns a tuple: print either the same way.
        lines += [
            "for item in y if isinstance(y, (tuple, list)) else (y,):",
            "    print(item)",
            "    print(item.dtype)",
        ]
    return lines


def native_values(impl: Implementation, case: Case) -> dict[str, ArgValue]:
    """The case's arguments as `impl` is passed them: canonical names, values mapped (unbiased -> ddof)."""
    return {canonical: impl.native_value(canonical, value) for canonical, value in case.args}


def variable(name: str) -> str:
    """A Python variable for a parameter name that is neither a keyword nor used by the script."""
    if not name.isidentifier():
        name = "".join(ch if ch.isalnum() else "_" for ch in name)
        name = name if name.isidentifier() else f"arg_{name}"
    return f"{name}_" if keyword.iskeyword(name) or name in _RESERVED else name


# --- arrays -----------------------------------------------------------------------------------


def array_lines(arg: TensorArg, var: str) -> list[str]:
    """Statements that assign to `var` the NumPy array `materialize(arg)` returns, bit for bit."""
    setup, expression = _array_source(arg, var)
    return [*setup, f"{var} = {expression}"]


def _array_source(arg: TensorArg, var: str) -> tuple[list[str], str]:
    """Setup statements, and an expression for the array (they may use `var` and `rng`)."""
    values = materialize(arg)
    np_dtype = _np_dtype(values.dtype)
    # A distinct index (no value twice along an axis) has no one-line recipe: its values are written out.
    if arg.size <= LITERAL_LIMIT or arg.fill in ("literal", "distinct"):
        return [], array_literal(values)
    shape = repr(tuple(arg.shape))
    rng = f"np.random.default_rng({arg.seed})"
    kind = dtype_category(arg.dtype)
    fill = arg.fill
    if fill == "special" and kind in ("int", "bool"):
        fill = "overflow"  # as materialize() does
    # bfloat16 values travel rounded to bfloat16: only fills whose values are already
    # bfloat16-exact (quarter steps, specials, a constant) are rebuilt from an expression.
    if arg.dtype == "bfloat16" and fill not in (
        "random",
        "positive",
        "special",
        "overflow",
        "unit",
        "sign",
        CONSTANT,
    ):
        return [], array_literal(values)
    if fill == CONSTANT:
        return [], f"np.full({shape}, {scalar_literal(values.flat[0])}, dtype={np_dtype})"
    if fill == "overflow":
        if kind == "int":
            info = np.iinfo(values.dtype)
            low, high = int(info.max) // 2, int(info.max) + 1
            return [], f"{rng}.integers({low}, {high}, size={shape}).astype({np_dtype})"
        # A constant near the dtype's top (bool: True): the materialized value itself.
        return [], f"np.full({shape}, {scalar_literal(values.flat[0])}, dtype={np_dtype})"
    if fill == "range":
        low = 0 if arg.low is None else arg.low
        high = max(1 if arg.high is None else arg.high, low + 1)
        return [], f"{rng}.integers({low}, {high}, size={shape}).astype({np_dtype})"
    if fill == "unique":
        return [], f"{rng}.permutation({arg.size}).reshape({shape}).astype({np_dtype})"
    if fill == "special":
        return _special_source(arg, var, rng, shape, np_dtype, kind)
    if fill == "unit":
        # As arrays.unit_values: 0 or 1 for integers and bool, quarter steps in [0, 1] for floats.
        top, scale = ("2", "") if kind in ("int", "bool") else ("5", " / 4.0")
        return [], f"({rng}.integers(0, {top}, size={shape}){scale}).astype({np_dtype})"
    if fill == "sign":
        # As arrays.sign_values: 1 and -1, or 0 and 1 for uint8 and bool.
        signs = "" if arg.dtype in ("uint8", "bool") else " * 2 - 1"
        return [], f"({rng}.integers(0, 2, size={shape}){signs}).astype({np_dtype})"
    if fill == "sorted":  # as arrays._build: the random fill, sorted along the last axis
        setup, drawn = _random_source(arg, rng, shape, np_dtype, kind)
        return setup, f"np.sort({drawn}, axis=-1)"
    if fill == "offset" and kind in ("float", "complex"):
        draw = f"{rng}.integers(-16, 17, size={shape}) * {OFFSET_STEP!r}"
        return [], f"({OFFSET!r} + {draw}).astype({np_dtype})"
    return _random_source(arg, rng, shape, np_dtype, kind)


def _special_source(
    arg: TensorArg, var: str, rng: str, shape: str, np_dtype: str, kind: str
) -> tuple[list[str], str]:
    """The float and complex `special` fill, following `arrays._special`."""
    flat = f"{var}_flat" if kind == "complex" else var
    specials = ", ".join(scalar_literal(v) for v in _SPECIALS)
    setup = [
        f"rng = {rng}",
        f"{flat} = np.resize(np.array([{specials}]), {arg.size})  # the special values, cycled",
        f"rng.shuffle({flat})",
    ]
    if kind == "complex":
        setup += [
            f"{var} = np.empty({arg.size}, dtype=np.complex128)",
            f"{var}.real, {var}.imag = {flat}, np.roll({flat}, 1)",
        ]
    return setup, f"{var}.reshape({shape}).astype({np_dtype})"


def _random_source(arg: TensorArg, rng: str, shape: str, np_dtype: str, kind: str) -> tuple[list[str], str]:
    """The `random` and `positive` fills, following `arrays._random`."""
    positive = arg.fill == "positive"
    if kind == "bool":
        return [], f"{rng}.integers(0, 2, size={shape}).astype(np.bool_)"
    if kind == "int":
        low = 1 if positive else (0 if arg.dtype == "uint8" else -9)
        return [], f"{rng}.integers({low}, 10, size={shape}).astype({np_dtype})"
    # Quarter steps are exact in every float dtype.
    draw = f"rng.integers(-16, 17, size={shape}) / 4.0"
    real = f"np.abs({draw}) + 0.25" if positive else draw
    if kind == "complex":
        # Python evaluates the real part's draw first, as arrays._random does.
        return [f"rng = {rng}"], f"(({real}) + 1j * ({draw})).astype({np_dtype})"
    return [f"rng = {rng}"], f"({real}).astype({np_dtype})"


def array_literal(values: np.ndarray) -> str:
    """`np.array([...], dtype=np.float32)` holding exactly `values`."""
    np_dtype = _np_dtype(values.dtype)
    if values.size == 0:
        return f"np.zeros({tuple(values.shape)!r}, dtype={np_dtype})"
    return f"np.array({_nested(values.tolist())}, dtype={np_dtype})"


def _nested(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_nested(v) for v in value) + "]"
    return scalar_literal(value)


def scalar_literal(value: object) -> str:
    """Python source for one number that evaluates to exactly the same value (signed zeros, nan, inf)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "np.nan"
        if math.isinf(value):
            return "np.inf" if value > 0 else "-np.inf"
        return repr(value)
    if isinstance(value, complex):
        return f"complex({scalar_literal(value.real)}, {scalar_literal(value.imag)})"
    raise TypeError(f"cannot write a {type(value).__name__} as a number literal")


def _np_dtype(dtype: np.dtype[np.generic]) -> str:
    return "np.bool_" if dtype == np.bool_ else f"np.{dtype.name}"


# --- per-framework syntax ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Syntax:
    module: str

    def prelude(self, device: str) -> list[str]:
        """Lines run before the inputs are built."""
        if self.module != "mindspore":
            return []
        lines = []
        if device == "gpu":
            lines.append('mindspore.set_device("GPU")')
        return [
            *lines,
            # The settings apicompat's MindSpore worker runs every case with (mindspore_adapter.load):
            # without them a script can fail or pass where the page says otherwise.
            "# As apicompat ran it: one CPU kernel thread, deterministic kernels (set once per process),",
            "# and each op's error raised by that op, not by a later one.",
            "try:",
            "    mindspore.device_context.cpu.op_tuning.threads_num(1)",
            "    mindspore.set_deterministic(True)",
            "except RuntimeError:",
            "    pass",
            "mindspore.runtime.launch_blocking()",
            "# MindSpore 2.10 under NumPy 2: the first op on a Python scalar fails once (SystemError).",
            "try:",
            "    mindspore.Tensor(np.zeros(1, dtype=np.float32)) + 1",
            "except SystemError:",
            "    pass",
            "",
        ]

    def tensor(self, array: str, dtype: str, device: str) -> str:
        """A tensor from a NumPy expression of the dtype's carrier."""
        if self.module == "torch":
            on = ', device="cuda"' if device == "gpu" else ""
            made = f"torch.tensor({array}{on})"
            return f"{made}.to(torch.bfloat16)" if dtype == "bfloat16" else made
        if dtype == "bfloat16":  # from its float32 carrier, as the adapter does
            return f"mindspore.Tensor({array}, dtype=mindspore.bfloat16)"
        return f"mindspore.Tensor({array})"

    def out(self, arg: OutArg, device: str) -> str:
        """A preallocated output tensor."""
        if self.module == "torch":
            on = ', device="cuda"' if device == "gpu" else ""
            return f"torch.empty({tuple(arg.shape)!r}, dtype=torch.{arg.dtype}{on})"
        zeros = f"np.zeros({tuple(arg.shape)!r}, dtype={_np_dtype(carrier(arg.dtype))})"
        return f"mindspore.Tensor({zeros}, dtype=mindspore.{arg.dtype})"


_TORCH = _Syntax(module="torch")

_MINDSPORE = _Syntax(module="mindspore")

_SYNTAX = {"torch": _TORCH, "mindspore": _MINDSPORE}


def writes_scripts_for(framework: str) -> bool:
    """Whether reproducer scripts can be written for `framework` (an adapter may be registered without)."""
    return framework in _SYNTAX


def _syntax(framework: str) -> _Syntax:
    if framework == "numpy":
        raise NotImplementedError("reproducers are written for frameworks, not for the NumPy reference")
    if framework not in _SYNTAX:
        raise ValueError(f"no reproducer syntax for framework {framework!r}; known: {', '.join(_SYNTAX)}")
    return _SYNTAX[framework]


def _assignment(syntax: _Syntax, var: str, value: ArgValue, device: str) -> list[str]:
    """Statements that bind `var` to one argument's value (dtypes and None are written inline)."""
    if isinstance(value, TensorArg):
        return _tensor_lines(syntax, var, value, device)
    if isinstance(value, TensorListArg):
        lines: list[str] = []
        for i, item in enumerate(value.items):
            lines += _tensor_lines(syntax, f"{var}_{i}", item, device)
        items = ", ".join(f"{var}_{i}" for i in range(len(value.items)))
        return [*lines, f"{var} = [{items}]"]
    if isinstance(value, OutArg):
        return [f"{var} = {syntax.out(value, device)}"]
    if isinstance(value, (DtypeArg, SizeArg)) or value is None:
        return []
    return [f"{var} = {python_literal(value)}"]


def _tensor_lines(syntax: _Syntax, var: str, arg: TensorArg, device: str) -> list[str]:
    setup, expression = _array_source(arg, var)
    if not setup:
        return [f"{var} = {syntax.tensor(expression, arg.dtype, device)}"]
    return [*setup, f"{var} = {expression}", f"{var} = {syntax.tensor(var, arg.dtype, device)}"]


def _positional(syntax: _Syntax, var: str, value: ArgValue) -> str:
    """A positional argument; a size written as separate ints is spelled out (`torch.zeros(2, 3)`)."""
    if isinstance(value, SizeArg) and value.form == "varargs":
        return ", ".join(str(d) for d in value.dims)
    if isinstance(value, TensorListArg) and value.varargs:
        return f"*{var}"  # torch.block_diag(*tensors): the items as separate arguments
    return _argument(syntax, var, value)


def _argument(syntax: _Syntax, var: str, value: ArgValue) -> str:
    """How an argument appears in the call: its variable, or a dtype, size or None inline."""
    if isinstance(value, SizeArg):
        return python_literal(value.python())
    if isinstance(value, DtypeArg):
        return f"{syntax.module}.{value.name}"
    if value is None:
        return "None"
    return var


def python_literal(value: object) -> str:
    """Python source for a scalar, string or (nested) tuple argument."""
    if isinstance(value, tuple):
        inner = ", ".join(python_literal(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(python_literal(v) for v in value) + "]"
    if isinstance(value, float):
        if math.isnan(value):
            return 'float("nan")'
        if math.isinf(value):
            return 'float("inf")' if value > 0 else '-float("inf")'
    if isinstance(value, (str, bool, int, float, complex)) or value is None:
        return repr(value)
    raise TypeError(f"cannot write a {type(value).__name__} argument in a script")


def _function_name(api: str) -> str:
    return api.replace(":", ".").rsplit(".", 1)[-1]


def _module_of(api: str) -> str:
    """The module to import for `api`: before a `:`, else the dotted path without the
    function and any classes (`torch.Tensor.cumsum` -> `torch`)."""
    if ":" in api:
        return api.split(":", 1)[0]
    parts = api.split(".")[:-1]
    while len(parts) > 1 and parts[-1][:1].isupper():
        parts.pop()
    return ".".join(parts)


def identity_script(first: str, second: str) -> str:
    """A script that prints whether two import paths name the very same object (an alias)."""
    return "\n".join(
        [
            "import importlib",
            "",
            "def resolve(path):",
            "    parts = path.split('.')",
            "    for n in range(len(parts), 0, -1):",
            "        try:",
            "            obj = importlib.import_module('.'.join(parts[:n]))",
            "        except ImportError:",
            "            continue",
            "        for name in parts[n:]:",
            "            obj = getattr(obj, name)",
            "        return obj",
            "    raise ImportError(path)",
            "",
            f"print(resolve({first!r}) is resolve({second!r}))",
            "",
        ]
    )
