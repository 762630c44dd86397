"""Conformance units: the spec × target × device × check cells that CI passes or fails.

A unit is what one JUnit testcase and one pytest item stand for. The set of
units follows from the spec, the configured devices and the baseline alone, so
pytest can collect them before anything runs and every xdist worker collects the
same items.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from apicompat.records import DiffKind

#: Differences about the signature: they hold on every device, so they get one unit per target.
SIGNATURE_KINDS: tuple[DiffKind, ...] = (
    DiffKind.PARAM_NAME,
    DiffKind.PARAM_ONLY_IN_ONE,
    DiffKind.PARAM_DEFAULT,
)
#: Differences in behaviour: one unit per target and device.
BEHAVIOUR_KINDS: tuple[DiffKind, ...] = tuple(k for k in DiffKind if k not in SIGNATURE_KINDS)
#: The device slot of signature units.
ANY_DEVICE = "any"

_SIGNATURE_VALUES = frozenset(k.value for k in SIGNATURE_KINDS)


@dataclass(frozen=True, order=True)
class Unit:
    """One cell: a spec's target, on a device (or `any`), for one kind of difference."""

    spec: str
    target: str
    device: str
    check: str  # a DiffKind value

    @property
    def name(self) -> str:
        """The pytest item name and JUnit testcase name, e.g. `mindspore.ops.cumsum[cpu-output_dtype]`."""
        return f"{self.target}[{self.device}-{self.check}]"

    @property
    def classname(self) -> str:
        """The JUnit classname: one class per spec."""
        return f"apicompat.{self.spec}"


def unit_device(kind: str, device: str | None, devices: Sequence[str]) -> str | None:
    """The device slot of a difference or baseline entry; None when no configured device covers it.

    A behaviour difference without a device belongs to the first configured device.
    """
    if kind in _SIGNATURE_VALUES:
        return ANY_DEVICE
    if device is None:
        return devices[0] if devices else None
    return device if device in devices else None


def unit_of(spec: str, target: str, kind: str, device: str | None, devices: Sequence[str]) -> Unit | None:
    """The unit a difference or baseline entry belongs to, or None when it is out of scope."""
    slot = unit_device(kind, device, devices)
    return None if slot is None else Unit(spec, target, slot, kind)


def plan_units(
    spec: str,
    targets: Sequence[str],
    devices: Sequence[str],
    extra: Iterable[Unit] = (),
) -> tuple[Unit, ...]:
    """Every unit of a spec: signature checks per target, behaviour checks per target and device.

    `extra` adds the units of baseline entries the spec no longer plans (a target
    that was renamed), so their stale entries still have a unit to fail in.
    """
    units: list[Unit] = []
    for target in targets:
        units += [Unit(spec, target, ANY_DEVICE, k.value) for k in SIGNATURE_KINDS]
        units += [Unit(spec, target, d, k.value) for d in devices for k in BEHAVIOUR_KINDS]
    known = set(units)
    units += sorted({u for u in extra if u.spec == spec and u not in known})
    return tuple(units)
