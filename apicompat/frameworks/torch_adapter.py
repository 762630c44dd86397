"""The PyTorch adapter; torch is imported only inside a worker, by `load()`."""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from collections.abc import Callable
from typing import Any

import numpy as np

from apicompat.frameworks.base import Adapter, collect_outputs
from apicompat.records import DTYPES, OutArg, Output
from apicompat.records.dtypes import carrier


def _torch() -> Any:
    """The torch module, imported on first use (never at apicompat import time)."""
    return importlib.import_module("torch")


def _deterministic(torch: Any) -> None:
    """`torch.use_deterministic_algorithms(True, warn_only=True)` for eager ops.

    The public function also sets `torch._inductor.config.deterministic`, and importing
    that config imports dynamo and sympy: 1.7 s of CPU per worker, more than torch's own
    import, for a setting that only compiled graphs read. apicompat runs eager ops, so
    the eager switch (what the public function sets in torch._C) is the whole effect.
    """
    set_flag = getattr(torch._C, "_set_deterministic_algorithms", None)
    if set_flag is None or "torch._inductor.config" in sys.modules:
        torch.use_deterministic_algorithms(True, warn_only=True)
        return
    set_flag(True, warn_only=True)


class TorchAdapter(Adapter):
    """Drives PyTorch on "cpu" or "gpu" (CUDA)."""

    name = "torch"

    def __init__(self, device: str = "cpu") -> None:
        super().__init__(device)
        self._loaded = False

    @property
    def _native_device(self) -> str:
        return "cuda" if self.device == "gpu" else "cpu"

    @classmethod
    def preload(cls) -> None:
        """Import torch (CUDA is initialized only by `load()`, in the worker)."""
        _torch()

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
        _deterministic(torch)
        if self.device == "gpu":
            torch.cuda.init()
        self._loaded = True

    def reset(self) -> None:
        """Undo an earlier case's default dtype or thread count, and reseed (random ops repeat)."""
        torch = _torch()
        if torch.get_default_dtype() != torch.float32:
            torch.set_default_dtype(torch.float32)
        if torch.get_num_threads() != 1:
            torch.set_num_threads(1)
        # Not torch.manual_seed: without CUDA initialized it also queues a CUDA reseed carrying
        # a formatted stack trace, 0.2–2 ms per case, more than most calls take. The CPU
        # generator is what a cpu worker uses; a gpu worker has CUDA initialized (load()).
        torch.default_generator.manual_seed(0)
        if self.device == "gpu":
            torch.cuda.manual_seed_all(0)

    def schemas(self, api: str) -> list[str]:
        """The ATen schemas of `torch.X` / `torch.Tensor.X` (every overload torch registers)."""
        prefix, _, name = api.rpartition(".")
        if prefix not in ("torch", "torch.Tensor") or not name.isidentifier():
            return []
        torch = _torch()
        try:
            return [str(s) for s in torch._C._jit_get_schemas_for_operator(f"aten::{name}")]
        except Exception:  # a private API: when it is gone, the docstring's overloads remain
            return []

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
        return collect_outputs(result, torch.Tensor, lambda t, where: _read_tensor(torch, t, where), "torch")


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
