"""The adapter contract: how a worker drives one framework on one device.

Adapters never import their framework at module level; `load()` does, inside the
worker process that owns the framework.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

import numpy as np

from apicompat.records import OutArg, Output, Resolution


class Adapter(ABC):
    """Converts recipes to native tensors, calls APIs, and reads results back."""

    #: Framework name as used in specs ("torch", "mindspore", "numpy").
    name: str = ""

    def __init__(self, device: str = "cpu") -> None:
        self.device = device

    @classmethod  # noqa: B027 (a framework with nothing to import ahead has nothing to do)
    def preload(cls) -> None:
        """Import the framework ahead of `load()`, without choosing a device or running an op.

        A fork server calls it once and then forks every worker of this framework from
        its process, so that no worker imports the framework again. It must leave the
        process safe to fork: no device, no thread pool, no op.
        """

    @abstractmethod
    def load(self) -> None:
        """Import the framework and select `self.device`; raise if unavailable."""

    @abstractmethod
    def version(self) -> str:
        """The framework's version string."""

    @abstractmethod
    def available_devices(self) -> list[str]:
        """Devices this framework can use here, from "cpu" and "gpu"."""

    @abstractmethod
    def tensor(self, values: np.ndarray, dtype: str) -> Any:
        """A native tensor of `dtype` on the device, holding `values` (a NumPy carrier)."""

    @abstractmethod
    def dtype(self, name: str) -> Any:
        """The native dtype object for a vocabulary name (raises if none)."""

    @abstractmethod
    def out(self, arg: OutArg) -> Any:
        """A preallocated output tensor."""

    @abstractmethod
    def outputs(self, result: Any) -> tuple[Output, ...]:
        """Read a call's result (tensor, tuple, named tuple) back to NumPy carriers.

        Reading forces asynchronous work to finish, so errors surface here, in the
        case that caused them.
        """

    def call(
        self, fn: Callable[..., Any], args: list[Any], kwargs: dict[str, Any], dtypes: dict[str, str]
    ) -> Any:
        """Call `fn`; `dtypes` gives each tensor argument's vocabulary dtype (the
        NumPy reference needs it, since bfloat16 travels as float32)."""
        return fn(*args, **kwargs)

    def reset(self) -> None:  # noqa: B027 (a framework without global state has nothing to reset)
        """Restore process-global state an earlier case may have changed (default dtype, RNG seed).

        The worker calls it before every case, so what one case does to the framework's
        global state cannot change what a later case measures, and a case measures the
        same whether its worker is fresh (after a restart, or in a resumed run) or not.
        """

    def synchronize(self) -> None:  # noqa: B027 (a no-op is right for synchronous frameworks)
        """Wait for every launched operation (CUDA streams, MindSpore PyNative)."""

    def resolve(self, api: str) -> Callable[..., Any]:
        """The callable at a dotted import path (`pkg.mod.func`, `pkg.Class.method`,
        or `pkg.mod:func`)."""
        return resolve_callable(api)

    def locate(self, api: str) -> Resolution:
        """Where `api` leads: a callable, or where and why the path stops (never raises for a typo).

        `resolve` decides (an adapter may resolve names of its own); the import path is
        walked only to describe a failure.
        """
        from apicompat.frameworks.locate import locate

        try:
            fn = self.resolve(api)
        except Exception as exc:
            found = locate(api)
            return found if not found.ok else Resolution(api, ok=False, error=f"{type(exc).__name__}: {exc}")
        if not callable(fn):
            return Resolution(api, ok=False, not_callable=type(fn).__name__)
        return Resolution(api, ok=True)

    def schemas(self, api: str) -> list[str]:
        """Operator schemas the framework registers for `api` (torch's ATen overloads); none by default."""
        return []


def resolve_callable(api: str) -> Callable[..., Any]:
    """Import the longest importable module prefix of `api`, then walk attributes."""
    path = api.replace(":", ".")
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        if not callable(obj):
            raise TypeError(f"{api} is not callable (it is a {type(obj).__name__})")
        return obj  # type: ignore[no-any-return]
    raise ImportError(f"no module of {api!r} can be imported")


_SCALARS: dict[type, str] = {bool: "bool", int: "int64", float: "float64", complex: "complex128"}


def collect_outputs(
    value: Any, tensor_type: type, read_tensor: Callable[[Any, str], Output], framework: str
) -> tuple[Output, ...]:
    """Flatten a result (tensor, Python scalar, tuple, named tuple, list) into Outputs, in order."""
    outs: list[Output] = []

    def visit(item: Any, where: str) -> None:
        if isinstance(item, tensor_type):
            outs.append(read_tensor(item, where))
        elif isinstance(item, (tuple, list)):  # named tuples (torch.return_types) too
            for i, sub in enumerate(item):
                visit(sub, f"{where}[{i}]")
        elif type(item) in _SCALARS:  # exact type: a bool is not an int here
            outs.append(_scalar_output(item, where))
        else:
            raise TypeError(
                f"cannot read {where} of type {type(item).__name__}: {framework} results must be tensors, "
                "Python scalars, or tuples/lists of them"
            )

    visit(value, "result")
    return tuple(outs)


def _scalar_output(value: bool | int | float | complex, where: str) -> Output:
    """A 0-d Output for a Python scalar an API returned (`Tensor.item`, `torch.equal`)."""
    name = _SCALARS[type(value)]
    try:
        return Output(name, (), np.asarray(value, dtype=name))
    except OverflowError as exc:
        raise TypeError(f"{where} is the int {value}, outside int64") from exc
