"""The NumPy reference worker: runs `apicompat.references` functions as the oracle."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from apicompat.frameworks.base import Adapter
from apicompat.records import DTYPES, OutArg, Output
from apicompat.records.dtypes import carrier, dtype_category
from apicompat.references import Result
from apicompat.references.locate import load_reference


class NumpyAdapter(Adapter):
    """Drives NumPy reference functions; tensors stay NumPy carrier arrays."""

    name = "numpy"

    def load(self) -> None:
        """Check the device: the reference runs on the CPU only."""
        if self.device != "cpu":
            raise RuntimeError(f"the NumPy reference runs on 'cpu' only, not on {self.device!r}")

    def version(self) -> str:
        """NumPy's version string."""
        return str(np.__version__)

    def available_devices(self) -> list[str]:
        """Only the CPU."""
        return ["cpu"]

    def tensor(self, values: np.ndarray, dtype: str) -> np.ndarray:
        """A private copy of the carrier array (references must not share inputs)."""
        _check_dtype(dtype)
        if values.dtype != carrier(dtype):
            raise ValueError(f"a {dtype} tensor travels as {carrier(dtype)}, got a {values.dtype} array")
        return values.copy()

    def dtype(self, name: str) -> str:
        """References take dtypes by vocabulary name."""
        _check_dtype(name)
        return name

    def out(self, arg: OutArg) -> Any:
        """References return new arrays; an out= argument has no meaning here."""
        raise TypeError("the NumPy reference takes no out= argument; leave `out` out of reference calls")

    def call(
        self, fn: Callable[..., Any], args: list[Any], kwargs: dict[str, Any], dtypes: dict[str, str]
    ) -> Any:
        """Call a reference, passing the vocabulary dtype of each tensor argument."""
        return fn(*args, **kwargs, dtypes=dtypes)

    def resolve(self, api: str) -> Callable[..., Any]:
        """A reference: a declaration, a module file beside the specs, or `module:function`."""
        return load_reference(api)

    def outputs(self, result: Any) -> tuple[Output, ...]:
        """Read a `Result` (or a tuple or list of them), keeping high precision."""
        # Result is a NamedTuple, hence a tuple: test for it before sequences.
        if isinstance(result, Result):
            return (_output(result),)
        if isinstance(result, (tuple, list)):
            outs = []
            for i, item in enumerate(result):
                if not isinstance(item, Result):
                    raise TypeError(f"reference output {i} is a {type(item).__name__}, expected a Result")
                outs.append(_output(item))
            return tuple(outs)
        raise TypeError(
            f"a reference must return a Result or a tuple of Results, not a {type(result).__name__}"
        )


def _check_dtype(name: str) -> None:
    if name not in DTYPES:
        raise ValueError(f"unknown dtype {name!r}; expected one of {', '.join(DTYPES)}")


def _output(result: Result) -> Output:
    """An Output at the reference's precision: float64 / complex128, or exact integers."""
    _check_dtype(result.dtype)
    values = np.asarray(result.values)
    kind = dtype_category(result.dtype)
    if kind == "float":
        precise = values.astype(np.float64)
    elif kind == "complex":
        precise = values.astype(np.complex128)
    else:
        # Integer and bool results are exact in their own dtype (wraparound included);
        # float values here would be silently truncated, so they are a reference bug.
        if values.dtype.kind not in "biu":
            raise TypeError(f"reference returned {values.dtype} values for a {result.dtype} output")
        precise = values.astype(np.dtype(result.dtype))
    return Output(dtype=result.dtype, shape=tuple(int(d) for d in precise.shape), values=precise)
