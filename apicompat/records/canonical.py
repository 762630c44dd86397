"""Outputs defined only up to a sign per vector, or not at all, put in one canonical form before anyone
compares them.

A QR or SVD factor is unique only up to the sign (for complex values: the phase) of each
column or row: Q's columns and R's rows flip together, and torch, MindSpore and NumPy pick
differently without either being wrong. A spec says so with `up_to_sign: columns|rows` on an
output; every worker then scales each such vector so that its first entry of at least half
the vector's largest magnitude is real and positive. Comparing the canonical forms compares
what the API defines, and only that. An output marked `undefined: true` (torch.empty) is read
as zeros, so only its dtype and shape are compared.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from apicompat.records.observations import Output

#: `up_to_sign` values: the axis along which one vector runs, for the last two dimensions.
AXES = {"columns": -2, "rows": -1}


#: The rule of an output whose values are not defined (torch.empty's uninitialized memory): only its
#: dtype and shape mean anything, so its values are read as zeros on every side.
UNDEFINED = "undefined"


def canonical_outputs(outputs: Sequence[Output], rules: Sequence[str]) -> tuple[Output, ...]:
    """`outputs` with each one whose rule is `columns` or `rows` in canonical sign, each `undefined`
    one as zeros of its dtype and shape, the others as they are."""
    out: list[Output] = []
    for i, output in enumerate(outputs):
        rule = rules[i] if i < len(rules) else ""
        if rule == UNDEFINED:
            output = Output(output.dtype, output.shape, np.zeros_like(output.values))
        elif rule in AXES:
            output = _canonical(output, rule)
        out.append(output)
    return tuple(out)


def _canonical(out: Output, rule: str) -> Output:
    values = out.values
    if values.ndim < 2 or values.size == 0 or values.dtype.kind not in "fc":
        return out  # a vector of singular values, an empty factor: no sign to choose
    axis = AXES[rule]
    magnitude = np.abs(values)
    finite = np.where(np.isfinite(magnitude), magnitude, 0.0)
    largest = finite.max(axis=axis, keepdims=True)
    # The first entry of at least half the largest magnitude: robust to rounding, where an argmax
    # between two nearly equal entries would pick differently on each side.
    pick = np.argmax(finite >= 0.5 * largest, axis=axis)
    chosen = np.take_along_axis(values, np.expand_dims(pick, axis), axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        unit = np.where(np.abs(chosen) > 0, chosen / np.abs(chosen), 1)
    scaled = values * np.conj(unit) if values.dtype.kind == "c" else values * np.sign(unit.real)
    return Output(out.dtype, out.shape, np.asarray(scaled, dtype=values.dtype))
