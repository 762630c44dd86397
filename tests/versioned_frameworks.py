"""A fake framework package, `fakefw`, in two versions, for release-drift tests.

Version 2.0 differs from 1.0 in exactly three ways:
- a renamed parameter: `total(input, dim, ...)` becomes `total(input, axis, ...)`;
- a default: `keepdim=False` becomes `keepdim=True`;
- a dtype rule: an int32 sum is int64 in 1.0 (as in torch) and int32 in 2.0.

`write_package` puts a version on a directory (for a worker's path); `build_wheel`
writes a real wheel of it, for pip to install into an environment without a network.
The source API, `torch_total`, behaves as 1.0 does, so 1.0 is consistent with it.
"""

from __future__ import annotations

import base64
import hashlib
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
from fake_frameworks import FakeAdapter

from apicompat.records.dtypes import carrier

#: APICOMPAT_ADAPTERS value registering both frameworks the spec names.
ADAPTERS = "fake=fake_frameworks:FakeAdapter,fakefw=versioned_frameworks:FakeFwAdapter"

_PACKAGE = '''\
"""fakefw {version}: a NumPy-backed framework for apicompat's release-drift tests."""

import numpy as np

__version__ = "{version}"


def total(input, {dim}=None, keepdim={keepdim}):
    """Sum over `{dim}` (all dimensions when None)."""
    values = np.asarray(input)
    dtype = {int_rule} if values.dtype.kind in "iub" else None
    return np.asarray(np.sum(values, axis={dim}, keepdims=keepdim, dtype=dtype))
'''

VERSIONS = {
    "1.0": {"dim": "dim", "keepdim": "False", "int_rule": "np.int64"},
    "2.0": {
        "dim": "axis",
        "keepdim": "True",
        "int_rule": "(np.int32 if values.dtype == np.int32 else np.int64)",
    },
}

SPEC = """\
apicompat: 1
id: total
title: total
summary: Sum of a tensor's elements, over one dimension or all of them.
params:
  - name: input
    kind: tensor
    ranks: [1, 2]
    dtypes: [int32, float32]
  - name: dim
    kind: axis
    of: input
    required: false
    default: null
  - name: keepdim
    kind: bool
    required: false
    default: false
reference: {numpy: numpy.sum, args: {input: 0, dim: axis, keepdim: keepdims}, promotion: sum}
source:
  framework: fake
  api: versioned_frameworks.torch_total
  positional: [input, dim, keepdim]
targets:
  - framework: fakefw
    api: fakefw.total
    positional: [input, dim, keepdim]
"""


def torch_total(input: np.ndarray, dim: int | None = None, keepdim: bool = False) -> np.ndarray:
    """torch.sum's rules: integers accumulate in int64."""
    dtype = np.int64 if input.dtype.kind in "iub" else None
    return np.asarray(np.sum(input, axis=dim, keepdims=keepdim, dtype=dtype))


def package_source(version: str) -> str:
    """fakefw/__init__.py of `version`."""
    return _PACKAGE.format(version=version, **VERSIONS[version])


def write_package(directory: Path, version: str) -> Path:
    """Put fakefw `version` in `directory` (to go on a worker's path); returns the directory."""
    package = directory / "fakefw"
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text(package_source(version), encoding="utf-8")
    return directory


def build_wheel(directory: Path, version: str) -> Path:
    """A pure-Python wheel of fakefw `version` in `directory`, as a build backend would write it."""
    directory.mkdir(parents=True, exist_ok=True)
    info = f"fakefw-{version}.dist-info"
    files = {
        "fakefw/__init__.py": package_source(version),
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: fakefw\nVersion: {version}\n",
        f"{info}/WHEEL": (
            "Wheel-Version: 1.0\nGenerator: apicompat-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        ),
    }
    record = []
    for name, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(text.encode())}")
    record.append(f"{info}/RECORD,,")
    path = directory / f"fakefw-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as wheel:
        for name, text in files.items():
            wheel.writestr(name, text)
        wheel.writestr(f"{info}/RECORD", "\n".join(record) + "\n")
    return path


class FakeFwAdapter(FakeAdapter):
    """The adapter of `fakefw`: whichever version the worker's interpreter and path import."""

    name = "fakefw"
    DEVICES = ("cpu",)

    def load(self) -> None:
        """Import fakefw (the version this worker finds first)."""
        super().load()
        import fakefw  # noqa: F401  # type: ignore[import-not-found]

    def version(self) -> str:
        """fakefw.__version__."""
        import fakefw  # type: ignore[import-not-found]

        return str(fakefw.__version__)

    def tensor(self, values: np.ndarray, dtype: str) -> Any:
        """A copy of the carrier array."""
        return np.array(values, dtype=carrier(dtype), copy=True)
