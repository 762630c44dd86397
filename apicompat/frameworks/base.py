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

from apicompat.records import OutArg, Output


class Adapter(ABC):
    """Converts recipes to native tensors, calls APIs, and reads results back."""

    #: Framework name as used in specs ("torch", "mindspore", "numpy").
    name: str = ""

    def __init__(self, device: str = "cpu") -> None:
        self.device = device

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

    def synchronize(self) -> None:  # noqa: B027 (a no-op is right for synchronous frameworks)
        """Wait for every launched operation (CUDA streams, MindSpore PyNative)."""

    def resolve(self, api: str) -> Callable[..., Any]:
        """The callable at a dotted import path (`pkg.mod.func`, `pkg.Class.method`,
        or `pkg.mod:func`)."""
        return resolve_callable(api)


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
