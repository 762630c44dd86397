"""The MindSpore adapter (PyNative mode); mindspore is imported only by `load()`.

What MindSpore 2.10 does here, measured on CPU with NumPy 2.4 (see the tests):

- Ops run asynchronously. `ops.gather_elements` with an index out of range returns at
  once; its RuntimeError is raised by whatever touches the runtime next: a later op,
  or the next case's `.asnumpy()`. Without a sync every such error is reported one
  case late. So `load()` turns on `mindspore.runtime.launch_blocking()` (the error is
  then raised by the call itself), and `call()` and `outputs()` also drain the
  PyNative pipeline (`_pynative_executor.sync()`; `mindspore.runtime.synchronize()`
  is a no-op that logs an error on CPU).
- The first op of a process that turns a Python scalar into a tensor (`x + 1`)
  raises SystemError: MindSpore's bundled pybind11 was built against NumPy 1.x and
  its first look-up of NumPy's C API fails; later calls succeed. `load()` runs one
  such op, so that failure does not land on the first case.
- `asnumpy()` refuses bfloat16 (NumPy has no such dtype): read through float32.
- Kernel selection errors (e.g. CumSum has no bfloat16 or bool CPU kernel) raise at
  the call; their message starts with a blank line and a rule of dashes.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
from collections.abc import Callable
from typing import Any

import numpy as np

from apicompat.frameworks.base import Adapter, collect_outputs
from apicompat.records import DTYPES, OutArg, Output
from apicompat.records.dtypes import carrier

# Where the PyNative executor lives (it moved from mindspore.common.api in 2.10).
_EXECUTOR_MODULES = ("mindspore.graph.api", "mindspore.common.api")


def _mindspore() -> Any:
    """The mindspore module, imported with its logging quieted."""
    # MindSpore's logger reads GLOG_v once, at import: 3 keeps only errors, so plugin
    # probes ("Load dynamic library ... failed") do not flood the worker's stderr.
    # A value the user set wins.
    os.environ.setdefault("GLOG_v", "3")
    return importlib.import_module("mindspore")


def _gpu_target(ms: Any) -> str | None:
    """The MindSpore target behind "gpu" ("GPU", else "Ascend"), or None if neither works."""
    for target, module in (("GPU", ms.device_context.gpu), ("Ascend", ms.device_context.ascend)):
        # is_available() only says the plugin loaded; device_count() needs a real device.
        try:
            if module.is_available() and module.device_count() > 0:
                return target
        except RuntimeError:
            continue
    return None


class MindSporeAdapter(Adapter):
    """Drives MindSpore in PyNative mode on "cpu", or "gpu" (CUDA GPU, else Ascend)."""

    name = "mindspore"

    def __init__(self, device: str = "cpu") -> None:
        super().__init__(device)
        self._loaded = False
        self._target = "CPU"
        self._executor: Any = None

    @classmethod
    def preload(cls) -> None:
        """Import MindSpore (quietly), without selecting a device or running an op."""
        _mindspore()

    def load(self) -> None:
        """Import MindSpore, select the device, make ops synchronous, and warm up."""
        if self.device not in ("cpu", "gpu"):
            raise ValueError(f"unknown device {self.device!r}; mindspore runs on 'cpu' or 'gpu'")
        if self._loaded:
            return
        ms = _mindspore()
        if self.device == "gpu":
            target = _gpu_target(ms)
            if target is None:
                raise RuntimeError(
                    f"device 'gpu' is unavailable: mindspore {ms.__version__} has no usable GPU or Ascend "
                    "device here (its package may be the CPU build)"
                )
            self._target = target
        ms.set_context(mode=ms.PYNATIVE_MODE)
        ms.set_device(self._target)  # raises if this process already runs on another device
        # Each MindSpore setter below raises RuntimeError when set twice in one process
        # (a second adapter there); the first setting stands, which is what we want.
        with contextlib.suppress(RuntimeError):
            # 25 CPU kernel threads by default: one per worker avoids oversubscribing the
            # cores and keeps float reductions independent of the machine.
            ms.device_context.cpu.op_tuning.threads_num(1)
        with contextlib.suppress(RuntimeError):
            ms.set_deterministic(True)
        # An op's error is raised by the op's own call, not by a later op.
        ms.runtime.launch_blocking()
        self._executor = _find_executor()
        self._warm_up(ms)
        self._loaded = True

    def _warm_up(self, ms: Any) -> None:
        """Absorb the one-time SystemError of the first Python-scalar op (see the module doc)."""
        x = ms.Tensor(np.zeros(1, dtype=np.float32))
        # NumPy writes its "compiled using NumPy 1.x" notice to stderr before raising.
        with contextlib.redirect_stderr(io.StringIO()), contextlib.suppress(SystemError):
            (x + 1).asnumpy()
        try:
            (x + 1).asnumpy()
            self.synchronize()
        except Exception as exc:
            raise RuntimeError(f"mindspore cannot run a basic op on {self._target}: {exc}") from exc

    def reset(self) -> None:
        """Reseed before each case, so a random op gives the same values wherever its case runs."""
        _mindspore().set_seed(0)

    def version(self) -> str:
        """MindSpore's version string."""
        return str(_mindspore().__version__)

    def available_devices(self) -> list[str]:
        """The CPU, plus "gpu" when a GPU or Ascend device is usable."""
        return ["cpu", "gpu"] if _gpu_target(_mindspore()) else ["cpu"]

    def tensor(self, values: np.ndarray, dtype: str) -> Any:
        """A MindSpore tensor of `dtype` (bfloat16 from its float32 carrier)."""
        native = self.dtype(dtype)
        if values.dtype != carrier(dtype):
            raise ValueError(f"a {dtype} tensor travels as {carrier(dtype)}, got a {values.dtype} array")
        ms = _mindspore()
        # A private copy: the case's array is never shared with the framework.
        return ms.Tensor(values.copy(), dtype=native)

    def dtype(self, name: str) -> Any:
        """`mindspore.<name>` for a vocabulary name."""
        if name not in DTYPES:
            raise ValueError(f"unknown dtype {name!r}; expected one of {', '.join(DTYPES)}")
        return getattr(_mindspore(), name)

    def out(self, arg: OutArg) -> Any:
        """A zero-filled tensor (mindspore.ops have no out=; mint may)."""
        return self.tensor(np.zeros(arg.shape, dtype=carrier(arg.dtype)), arg.dtype)

    def call(
        self, fn: Callable[..., Any], args: list[Any], kwargs: dict[str, Any], dtypes: dict[str, str]
    ) -> Any:
        """Call `fn` and drain the pipeline, so a deferred error belongs to this call."""
        try:
            result = fn(*args, **kwargs)
        except Exception:
            # Ops launched before the raise may still fail; that failure is this case's
            # too, and must not surface in the next one. The raised error is reported.
            with contextlib.suppress(Exception):
                self.synchronize()
            raise
        self.synchronize()
        return result

    def synchronize(self) -> None:
        """Wait for every launched op; raises the first deferred error."""
        if self._executor is not None:
            self._executor.sync()
        if self._target != "CPU":
            _mindspore().runtime.synchronize()

    def outputs(self, result: Any) -> tuple[Output, ...]:
        """Read a tensor, tuple, named tuple or list (flattened in order) back to NumPy."""
        self.synchronize()
        ms = _mindspore()
        return collect_outputs(result, ms.Tensor, lambda t, where: _read_tensor(ms, t, where), "mindspore")


def _find_executor() -> Any:
    """MindSpore's PyNative executor, whose sync() drains the op pipeline (None if not found)."""
    for module in _EXECUTOR_MODULES:
        try:
            return importlib.import_module(module)._pynative_executor
        except (ImportError, AttributeError):
            continue
    return None  # launch_blocking() and asnumpy() still force completion


def _read_tensor(ms: Any, t: Any, where: str) -> Output:
    # str(mindspore.int64) is "Int64", str(mindspore.bfloat16) is "BFloat16".
    name = str(t.dtype).lower()
    if name not in DTYPES:
        raise TypeError(f"{where} has dtype {t.dtype}, which is outside apicompat's vocabulary")
    if name == "bfloat16":
        t = t.astype(ms.float32)  # asnumpy() has no bfloat16; float32 holds it exactly
    values = np.array(t.asnumpy(), copy=True)
    return Output(name, tuple(int(d) for d in values.shape), values)
