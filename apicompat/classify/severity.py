"""Severity: what a difference does to a port, from its kind and subject (docs/report-format.md).

- silent: the target returns, without error, something other than the source on valid input;
- loud: the target raises where the source returns on valid input (a missing kernel included);
- interface: names, defaults and one-sided optional parameters, with no measured effect;
- minor: another exception class on input both reject, leniency, the sign of a zero.

A changed default starts as `interface`; apicompat.classify.causes raises it to the severity of the
differences it is shown to cause.
"""

from __future__ import annotations

from apicompat.records import DiffKind, Severity

#: Kinds whose every difference is about the interface alone.
_INTERFACE = frozenset({DiffKind.PARAM_NAME, DiffKind.PARAM_ONLY_IN_ONE, DiffKind.PARAM_DEFAULT})

#: Kinds where the target returns something else, without error.
_SILENT = frozenset(
    {
        DiffKind.OUTPUT_DTYPE,
        DiffKind.OUTPUT_STRUCTURE,
        DiffKind.VALUE_MISMATCH,
        DiffKind.PRECISION,
        DiffKind.ORDERING,
    }
)


def severity_of(kind: DiffKind, subject: str) -> Severity:
    """The severity of a difference of `kind` about `subject` (a device suffix `@gpu` is ignored)."""
    subject = subject.split("@", 1)[0]
    if kind in _INTERFACE:
        return Severity.INTERFACE
    if kind in _SILENT:
        return Severity.SILENT
    if subject == "signed_zero":
        return Severity.MINOR  # -0.0 against 0.0: equal in every comparison a program makes
    if subject.startswith("error_type:") or subject in ("target_accepts_invalid", "target_rejects_invalid"):
        return Severity.MINOR  # both sides reject the input, or it is invalid in the first place
    if subject.startswith("target_accepts"):
        return Severity.MINOR  # the target is more lenient: code that ran on the source still runs
    if subject.startswith("target_rejects"):
        return Severity.LOUD
    if kind is DiffKind.SHAPE_SUPPORT and subject.startswith("output_shape"):
        return Severity.SILENT
    if kind is DiffKind.SPECIAL_VALUES:
        return Severity.SILENT  # both return, and NaN, inf or overflow come out differently
    if kind is DiffKind.DEVICE_SUPPORT:
        # The same framework on another device than cpu: `gpu:raises`, `gpu:results`, `gpu:returns`.
        return _DEVICE.get(subject.rpartition(":")[2], Severity.LOUD)
    return Severity.MINOR


_DEVICE = {"raises": Severity.LOUD, "results": Severity.SILENT, "returns": Severity.MINOR}
