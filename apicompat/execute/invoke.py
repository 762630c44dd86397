"""Run one case inside a worker: build native arguments, call, read back, force completion."""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from apicompat.frameworks.base import Adapter
from apicompat.records import (
    ArgValue,
    Case,
    DtypeArg,
    Implementation,
    Observation,
    OutArg,
    SizeArg,
    Status,
    TensorArg,
    TensorListArg,
)
from apicompat.records.arrays import materialize
from apicompat.records.canonical import canonical_outputs

MESSAGE_LIMIT = 1000  # characters of an exception message kept (MindSpore's carry C++ stacks)


_CUT = " …[truncated]"


def trim(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """`text` cut to `limit` characters, marked when cut."""
    return text if len(text) <= limit else text[: limit - len(_CUT)] + _CUT


#: An object's address in its repr (`<... object at 0x7f3a19f52340>`): different in every process.
_ADDRESS = re.compile(r"\bat 0x[0-9a-fA-F]+")


def without_addresses(text: str) -> str:
    """`text` with object addresses blanked, so a report is the same on every run."""
    return _ADDRESS.sub("at 0x…", text)


def describe_exception(exc: BaseException) -> str:
    """str(exc), or its repr when str() itself fails; object addresses blanked."""
    try:
        text = str(exc)
    except Exception:  # an exception whose __str__ raises still deserves a message
        text = repr(exc)
    return without_addresses(text)


def unsupported_parameter(impl: Implementation, case: Case) -> str | None:
    """Why `impl` cannot run `case` (a parameter with no counterpart), or None."""
    names = impl.name_of
    for canonical, _ in case.args:
        if canonical in names and names[canonical] is None:
            return f"parameter '{canonical}' has no counterpart in {impl.api}"
    return None


class BuildError(Exception):
    """An argument could not be built; the observation reports the cause's type."""

    def __init__(self, name: str, label: str, cause: BaseException) -> None:
        super().__init__(f"while building argument '{name}' ({label}): {describe_exception(cause)}")
        self.cause = cause


@dataclass
class Call:
    """Native arguments for one call, in the implementation's calling convention."""

    args: list[Any] = field(default_factory=list)
    kwargs: dict[str, Any] = field(default_factory=dict)
    dtypes: dict[str, str] = field(default_factory=dict)  # canonical tensor param -> dtype name
    self_param: str | None = None  # canonical param that is `self` for a method call
    receiver: Any = None


def native(adapter: Adapter, name: str, value: ArgValue, dtypes: dict[str, str]) -> Any:
    """The native form of one argument; records tensor dtypes in `dtypes`."""
    if isinstance(value, SizeArg):
        return value.python()
    if not isinstance(value, (TensorArg, TensorListArg, DtypeArg, OutArg)):
        return value  # int, float, bool, None, str, tuple pass through
    try:
        return _build(adapter, name, value, dtypes)
    except Exception as exc:
        # Say which argument could not be built: "no complex tensors on this device" is
        # about the framework, not about the API under test.
        raise BuildError(name, value.describe(), exc) from exc


def _build(
    adapter: Adapter, name: str, value: TensorArg | TensorListArg | DtypeArg | OutArg, dtypes: dict[str, str]
) -> Any:
    if isinstance(value, TensorArg):
        dtypes[name] = value.dtype
        return adapter.tensor(materialize(value), value.dtype)
    if isinstance(value, TensorListArg):
        # The list's own name carries the first item's dtype; each item is also name[i].
        for i, item in enumerate(value.items):
            dtypes[f"{name}[{i}]"] = item.dtype
        if value.items:
            dtypes[name] = value.items[0].dtype
        return [adapter.tensor(materialize(item), item.dtype) for item in value.items]
    if isinstance(value, DtypeArg):
        return adapter.dtype(value.name)
    dtypes[name] = value.dtype
    return adapter.out(value)


def build_call(adapter: Adapter, impl: Implementation, case: Case) -> Call:
    """Arguments in `impl`'s convention: `self`, then `impl.positional` in order, the rest by keyword."""
    names = impl.name_of
    call = Call()
    values: dict[str, Any] = {}
    for canonical, value in case.args:
        # A value map translates what a parameter means here (torch's unbiased=True is ddof=1).
        value = impl.native_value(canonical, value)
        values[canonical] = native(adapter, canonical, value, call.dtypes)
    if impl.method:
        call.self_param = next((c for c, v in case.args if isinstance(v, TensorArg)), None)
        if call.self_param is None:
            raise TypeError(f"{impl.api} is called as a method, but the case has no tensor argument")
        call.receiver = values.pop(call.self_param)
    positional_open = True
    for canonical in impl.positional:
        if canonical == call.self_param:
            continue
        # After the first absent one (or one this case names by keyword), later positional
        # params go by keyword: position would shift.
        if canonical in case.by_keyword:
            positional_open = False
        if canonical in values and positional_open:
            given = case.arg_dict.get(canonical)
            if (isinstance(given, SizeArg) and given.form == "varargs") or (
                isinstance(given, TensorListArg) and given.varargs
            ):
                # torch.zeros(2, 3), torch.block_diag(a, b): the dims or tensors as separate arguments
                call.args.extend(values.pop(canonical))
            else:
                call.args.append(values.pop(canonical))
        else:
            positional_open = False
    for canonical, native_value in values.items():
        call.kwargs[names.get(canonical) or canonical] = native_value
    return call


def resolve_target(adapter: Adapter, impl: Implementation) -> Callable[..., Any] | None:
    """The callable for a function implementation; None for a method (looked up per receiver)."""
    if impl.method:
        return None
    return adapter.resolve(impl.api)


def run_case(
    adapter: Adapter,
    impl: Implementation,
    device: str,
    case: Case,
    resolved: Callable[..., Any] | BaseException | None,
) -> Observation:
    """Run one case and observe it; every failure is attributed to this case."""

    def observe(status: Status, **details: Any) -> Observation:
        return Observation(case.id, impl.key, device, status, **details)

    reason = unsupported_parameter(impl, case)
    if reason is not None:
        return observe(Status.NOT_RUN, error_message=reason)
    if isinstance(resolved, BaseException):
        return observe(
            Status.ERROR,
            error_type=type(resolved).__name__,
            error_message=trim(f"cannot resolve {impl.api}: {describe_exception(resolved)}"),
        )
    start = time.perf_counter()
    try:
        adapter.reset()  # an earlier case's change to global state must not reach this one
        call = build_call(adapter, impl, case)
        fn = resolved if resolved is not None else getattr(call.receiver, impl.api.rsplit(".", 1)[-1])
        result = adapter.call(fn, call.args, call.kwargs, call.dtypes)
        outputs = adapter.outputs(result)
        if impl.canonical:
            outputs = canonical_outputs(outputs, impl.canonical)
        # In the same try: an asynchronous error (MindSpore PyNative, CUDA) surfaces at
        # read-back or here, and belongs to this case, not to the next one.
        adapter.synchronize()
    except BaseException as exc:  # SystemExit from a library is this case's error too
        elapsed = time.perf_counter() - start
        _drain(adapter)
        cause = exc.cause if isinstance(exc, BuildError) else exc
        return observe(
            Status.ERROR,
            error_type=type(cause).__name__,
            error_message=trim(describe_exception(exc)),
            seconds=elapsed,
        )
    return observe(Status.OK, outputs=tuple(outputs), seconds=time.perf_counter() - start)


def _drain(adapter: Adapter) -> None:
    """Let pending asynchronous work fail now, so its error is not charged to the next case."""
    with contextlib.suppress(BaseException):  # already reported with the case that failed
        adapter.synchronize()
