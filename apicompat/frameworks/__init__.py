"""Framework adapters, found by name; nothing here imports a framework."""

from __future__ import annotations

#: Framework name -> "module:Class" of its adapter. Tests add fakes by import path.
ADAPTERS: dict[str, str] = {
    "numpy": "apicompat.frameworks.numpy_ref:NumpyAdapter",
    "torch": "apicompat.frameworks.torch_adapter:TorchAdapter",
    "mindspore": "apicompat.frameworks.mindspore_adapter:MindSporeAdapter",
}

#: Devices apicompat knows; "gpu" means CUDA for torch and GPU or Ascend for MindSpore.
DEVICES: tuple[str, ...] = ("cpu", "gpu")
