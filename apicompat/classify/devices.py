"""Compare one implementation across devices: what works on cpu but not elsewhere."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from apicompat.classify.severity import severity_of
from apicompat.compare.names import display_name
from apicompat.compare.outputs import compare_observations
from apicompat.records import Case, Difference, DiffKind, Implementation, Observation, Status

_MAX_EVIDENCE = 40


def classify_devices(
    impl: Implementation,
    cases: Sequence[Case],
    cpu: Sequence[Observation],
    other: Sequence[Observation],
    device: str,
    overrides: Mapping[str, tuple[float, float]] | None = None,
) -> list[Difference]:
    """device_support differences of `impl` on `device` relative to its cpu results."""
    groups: dict[str, list[Case]] = {}
    for case, a, b in zip(cases, cpu, other, strict=True):
        if Status.NOT_RUN in (a.status, b.status) or Status.UNAVAILABLE in (a.status, b.status):
            continue
        cmp = compare_observations(a, b, overrides)
        if cmp.status:
            subject = f"{device}:raises" if a.ok else f"{device}:returns"
        elif cmp.dtype or cmp.shape or cmp.values or cmp.count:
            subject = f"{device}:results"
        else:
            continue
        groups.setdefault(subject, []).append(case)
    name = f"{display_name(impl.framework)} {impl.api}"
    texts = {
        "raises": f"{name} raises on {device} where it returns on cpu",
        "returns": f"{name} returns on {device} where it raises on cpu",
        "results": f"{name} gives different results on {device} than on cpu",
    }
    out = []
    for subject, members in sorted(groups.items()):
        members.sort(key=lambda c: c.id)
        dtypes = tuple(sorted({c.facet_dict["dtype"] for c in members if "dtype" in c.facet_dict}))
        out.append(
            Difference(
                kind=DiffKind.DEVICE_SUPPORT,
                summary=f"{texts[subject.split(':', 1)[1]]} ({len(members)} case(s))",
                subject=subject,
                dtypes=dtypes,
                cases=tuple(c.id for c in members[:_MAX_EVIDENCE]),
                labels=tuple(c.label for c in members[:3]),
                device=device,
                severity=severity_of(DiffKind.DEVICE_SUPPORT, subject),
                case_count=len(members),
            )
        )
    return out
