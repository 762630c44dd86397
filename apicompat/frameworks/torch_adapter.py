"""The PyTorch adapter; torch is imported only inside a worker, by `load()`."""

from __future__ import annotations

import contextlib
import importlib
import os
from collections.abc import Callable
from typing import Any

import numpy as np

from apicompat.frameworks.base import Adapter
from apicompat.records import DTYPES, OutArg, Output
from apicompat.records.dtypes import carrier


def _torch() -> Any:
    """The torch module, imported on first use (never at apicompat import time)."""
    return importlib.import_module("torch")


class TorchAdapter(Adapter):
    """Drives PyTorch on "cpu" or "gpu" (CUDA)."""

    name = "torch"

    def __init__(self, device: str = "cpu") -> None:
        super().__init__(device)
        self._loaded = False

    @property
    def _native_device(self) -> str:
        return "cuda" if self.device == "gpu" else "cpu"

    def load(self) -> None:
        """Import torch, check the device, and make runs deterministic."""
        if self.device not in ("cpu", "gpu"):
            raise ValueError(f"unknown device {self.device!r}; torch runs on 'cpu' or 'gpu'")
        if self._loaded:
            return
        # cuBLAS is only deterministic with a fixed workspace; it must be set before CUDA starts.
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        torch = _torch()
        if self.device == "gpu" and not torch.cuda.is_available():
            raise RuntimeError(
                f"device 'gpu' is unavailable: torch {torch.__version__} sees no CUDA device "
                f"(built with CUDA {torch.version.cuda or 'none'})"
            )
        torch.manual_seed(0)
        # Several workers share few cores: one thread each avoids oversubscription, and
        # float reductions then do not depend on the machine's core count.
        torch.set_num_threads(1)
        with contextlib.suppress(RuntimeError):  # settable only before the first parallel work
            torch.set_num_interop_threads(1)
        # Same inputs, same bits: deterministic kernels (and NaN-filled torch.empty); only
        # warn where an op has no deterministic version, so its behaviour is still measured.
        torch.use_deterministic_algorithms(True, warn_only=True)
        if self.device == "gpu":
            torch.cuda.init()
        self._loaded = True

    def version(self) -> str:
        """torch's version string, e.g. `2.13.0+cpu`."""
        return str(_torch().__version__)

    def available_devices(self) -> list[str]:
        """The CPU, plus "gpu" when CUDA is usable."""
        return ["cpu", "gpu"] if _torch().cuda.is_available() else ["cpu"]

    def tensor(self, values: np.ndarray, dtype: str) -> Any:
        """A torch tensor of `dtype` on the device (bfloat16 from its float32 carrier)."""
        native = self.dtype(dtype)
        if values.dtype != carrier(dtype):
            raise ValueError(f"a {dtype} tensor travels as {carrier(dtype)}, got a {values.dtype} array")
        torch = _torch()
        # torch.tensor copies, so the case's array is never shared with the framework.
        t = torch.tensor(values)
        if dtype == "bfloat16":
            t = t.to(native)  # exact: the carrier already holds bfloat16 values
        return t.to(self._native_device)

    def dtype(self, name: str) -> Any:
        """`torch.<name>` for a vocabulary name."""
        if name not in DTYPES:
            raise ValueError(f"unknown dtype {name!r}; expected one of {', '.join(DTYPES)}")
        return getattr(_torch(), name)

    def out(self, arg: OutArg) -> Any:
        """`torch.empty(shape, dtype=...)` on the device."""
        return _torch().empty(arg.shape, dtype=self.dtype(arg.dtype), device=self._native_device)

    def call(
        self, fn: Callable[..., Any], args: list[Any], kwargs: dict[str, Any], dtypes: dict[str, str]
    ) -> Any:
        """Call `fn` and wait for it, so an asynchronous CUDA error belongs to this call."""
        result = fn(*args, **kwargs)
        self.synchronize()
        return result

    def synchronize(self) -> None:
        """Wait for the CUDA stream on "gpu"; CPU ops are synchronous."""
        if self.device == "gpu":
            _torch().cuda.synchronize()

    def outputs(self, result: Any) -> tuple[Output, ...]:
        """Read a tensor, tuple, named tuple or list (flattened in order) back to NumPy."""
        self.synchronize()
        torch = _torch()
        outs: list[Output] = []
        _collect(torch, result, outs, "result")
        return tuple(outs)


_SCALARS: dict[type, str] = {bool: "bool", int: "int64", float: "float64", complex: "complex128"}


def _collect(torch: Any, value: Any, outs: list[Output], where: str) -> None:
    """Append the Outputs in `value`; `where` names it in error messages."""
    if isinstance(value, torch.Tensor):
        outs.append(_read_tensor(torch, value, where))
    elif isinstance(value, (tuple, list)):  # torch.return_types are tuples too
        for i, item in enumerate(value):
            _collect(torch, item, outs, f"{where}[{i}]")
    elif type(value) in _SCALARS:  # exact type: a bool is not an int here
        outs.append(_scalar_output(value, where))
    else:
        raise TypeError(
            f"cannot read {where} of type {type(value).__name__}: torch results must be tensors, "
            "Python scalars, or tuples/lists of them"
        )


def _scalar_output(value: bool | int | float | complex, where: str) -> Output:
    """A 0-d Output for a Python scalar an API returned (`Tensor.item`, `torch.equal`)."""
    name = _SCALARS[type(value)]
    try:
        return Output(name, (), np.asarray(value, dtype=name))
    except OverflowError as exc:
        raise TypeError(f"{where} is the int {value}, outside int64") from exc


def _read_tensor(torch: Any, t: Any, where: str) -> Output:
    name = str(t.dtype).removeprefix("torch.")
    if name not in DTYPES:
        raise TypeError(f"{where} has dtype {t.dtype}, which is outside apicompat's vocabulary")
    if t.layout != torch.strided:
        raise TypeError(f"{where} has layout {t.layout}; only dense (strided) tensors can be read")
    t = t.detach()
    if name == "bfloat16":
        t = t.float()  # NumPy has no bfloat16; float32 holds every bfloat16 value exactly
    # numpy() refuses tensors with a lazy conjugate or negative bit (torch.conj views).
    values = t.cpu().resolve_conj().resolve_neg().numpy().copy()
    return Output(name, tuple(int(d) for d in t.shape), values)
