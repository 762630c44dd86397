"""Aggregate per-case comparisons of a target against the source into differences."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from apicompat.compare.names import display_name
from apicompat.compare.outputs import Comparison, compare_observations
from apicompat.records import Case, Difference, DiffKind, Implementation, Observation, Status

# How many case ids a difference lists as evidence; the count is always complete.
MAX_EVIDENCE = 40

# Facets that explain a failure when no dtype does, in the order they are tried.
_SHAPE_FACETS = (
    ("empty", "true", "empty tensors"),
    ("rank", "0", "0-d tensors"),
    ("large", "true", "large inputs"),
)


@dataclass
class _Group:
    """Cases that share one cause, collected before they become a Difference."""

    cases: list[Case] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    notes: set[str] = field(default_factory=set)

    def add(self, case: Case, comparison: Comparison | None = None, note: str | None = None) -> None:
        self.cases.append(case)
        if comparison is not None:
            self.comparisons.append(comparison)
        if note:
            self.notes.add(note)


@dataclass(frozen=True)
class Pairing:
    """Observations of the source, one target and the reference on one device, by case."""

    cases: Sequence[Case]
    source: Sequence[Observation]
    target: Sequence[Observation]
    reference: Sequence[Observation]


def classify(
    source: Implementation,
    target: Implementation,
    pairing: Pairing,
    device: str,
    overrides: Mapping[str, tuple[float, float]] | None = None,
) -> list[Difference]:
    """Differences in behaviour between `source` and `target` measured on `device`."""
    builder = _Builder(source, target, device)
    mismatched: list[tuple[Case, Observation, Observation, Observation]] = []
    for case, s, t, r in zip(pairing.cases, pairing.source, pairing.target, pairing.reference, strict=True):
        if t.status is Status.NOT_RUN:
            builder.group(DiffKind.PARAM_ONLY_IN_ONE, _given_unsupported(case, target)).add(case)
            continue
        if s.status in (Status.NOT_RUN, Status.UNAVAILABLE) or t.status is Status.UNAVAILABLE:
            continue
        cmp = compare_observations(s, t, overrides)
        if cmp.signed_zeros and case.facet_dict.get("special"):
            # -0.0 against 0.0 passes any tolerance; it matters only where the inputs hold -0.0.
            builder.group(DiffKind.SPECIAL_VALUES, "signed_zero").add(case, cmp, _closer_sign(s, t, r))
        if cmp.agree:
            continue
        if cmp.status:
            mismatched.append((case, s, t, r))
        elif cmp.error_type:
            builder.group(DiffKind.ERROR_BEHAVIOR, f"error_type:{s.error_type}->{t.error_type}").add(
                case, cmp
            )
        else:
            _classify_outputs(builder, case, s, t, r, cmp, overrides)
    _classify_status(builder, mismatched, pairing)
    return builder.build()


def _classify_outputs(
    builder: _Builder,
    case: Case,
    s: Observation,
    t: Observation,
    r: Observation,
    cmp: Comparison,
    overrides: Mapping[str, tuple[float, float]] | None,
) -> None:
    facets = case.facet_dict
    if cmp.dtype or cmp.count:
        pair = f"{_dtypes(s)}->{_dtypes(t)}"
        builder.group(DiffKind.OUTPUT_DTYPE, pair).add(case, cmp)
    if cmp.shape:
        builder.group(DiffKind.SHAPE_SUPPORT, f"output_shape:{facets.get('group', 'case')}").add(case, cmp)
    if cmp.values:
        special = facets.get("special")
        closer = _closer_to_reference(s, t, r, overrides)
        if special:
            builder.group(DiffKind.SPECIAL_VALUES, special).add(case, cmp, closer)
        else:
            builder.group(DiffKind.VALUE_MISMATCH, facets.get("dtype", "values")).add(case, cmp, closer)


def _classify_status(
    builder: _Builder, mismatched: list[tuple[Case, Observation, Observation, Observation]], pairing: Pairing
) -> None:
    """Explain cases where exactly one side raised: invalid input, dtype, shape, values."""
    valid: list[tuple[Case, Observation, Observation]] = []
    for case, s, t, r in mismatched:
        invalid = r.status is Status.ERROR or case.facet_dict.get("expect_error") == "true"
        if invalid:
            side = "target_accepts_invalid" if t.ok else "target_rejects_invalid"
            builder.group(DiffKind.ERROR_BEHAVIOR, side).add(case, note=_error_note(s if t.ok else t))
        else:
            valid.append((case, s, t))
    if not valid:
        return
    explained: set[str] = set()
    # A dtype explains the failures when the target fails on every valid case of it (or the source does).
    by_dtype = _valid_cases_by(pairing, "dtype")
    for facet_key in [
        "dtype",
        *sorted({k for c in pairing.cases for k in c.facet_dict if k.startswith("param:")}),
    ]:
        by_value = by_dtype if facet_key == "dtype" else _valid_cases_by(pairing, facet_key)
        for value, rows in sorted(by_value.items()):
            if value in ("omitted", "given"):
                continue
            target_fails = [c for c, s, t in rows if s.ok and not t.ok]
            source_fails = [c for c, s, t in rows if t.ok and not s.ok]
            ok_both = [c for c, s, t in rows if s.ok and t.ok]
            for fails, side in ((target_fails, "target_rejects"), (source_fails, "target_accepts")):
                if fails and not ok_both and len(fails) == len([c for c, s, t in rows if s.ok != t.ok]):
                    name = value if facet_key == "dtype" else f"{facet_key[6:]}={value}"
                    group = builder.group(DiffKind.INPUT_DTYPE_SUPPORT, f"{side}:{name}")
                    for case in fails:
                        if case.id not in explained:
                            group.add(case, note=_error_note(_obs_for(valid, case)))
                            explained.add(case.id)
    for case, s, t in valid:
        if case.id in explained:
            continue
        facets = case.facet_dict
        failing = t if s.ok else s
        side = "target_rejects" if s.ok else "target_accepts"
        kind, subject = DiffKind.ERROR_BEHAVIOR, f"{side}:valid_input"
        for key, value, label in _SHAPE_FACETS:
            if facets.get(key) == value:
                kind, subject = DiffKind.SHAPE_SUPPORT, f"{side}:{label}"
                break
        else:
            if facets.get("special"):
                kind, subject = DiffKind.SPECIAL_VALUES, f"{side}:{facets['special']}"
        builder.group(kind, subject).add(case, note=_error_note(failing))


def _valid_cases_by(pairing: Pairing, facet: str) -> dict[str, list[tuple[Case, Observation, Observation]]]:
    rows: dict[str, list[tuple[Case, Observation, Observation]]] = defaultdict(list)
    for case, s, t, r in zip(pairing.cases, pairing.source, pairing.target, pairing.reference, strict=True):
        value = case.facet_dict.get(facet)
        if value is None or r.status is Status.ERROR or case.facet_dict.get("expect_error") == "true":
            continue
        if Status.NOT_RUN in (s.status, t.status) or Status.UNAVAILABLE in (s.status, t.status):
            continue
        rows[value].append((case, s, t))
    return rows


def _obs_for(valid: list[tuple[Case, Observation, Observation]], case: Case) -> Observation:
    for c, s, t in valid:
        if c.id == case.id:
            return t if s.ok else s
    raise KeyError(case.id)


def _error_note(obs: Observation) -> str:
    """The exception type and the first informative line of its message, run-independent."""
    lines = [
        ln.strip()
        for ln in (obs.error_message or "").splitlines()
        if ln.strip() and not ln.lstrip().startswith("-")
    ]
    # Op instance numbers (CumSum-op48) and addresses change from run to run; reports must not.
    first = _VOLATILE.sub(lambda m: m.group(1) or "0x…", lines[0])[:160] if lines else ""
    head = obs.error_type if obs.status is Status.ERROR else obs.status.value
    return f"{head}: {first}".rstrip(": ")


_VOLATILE = re.compile(r"(-op)\d+|0x[0-9a-fA-F]{6,}")


def _closer_to_reference(
    s: Observation, t: Observation, r: Observation, overrides: Mapping[str, tuple[float, float]] | None
) -> str:
    if not r.ok:
        return "no reference"
    s_ok = compare_observations(r, s, overrides)
    t_ok = compare_observations(r, t, overrides)
    s_good = not (s_ok.values or s_ok.shape or s_ok.count)
    t_good = not (t_ok.values or t_ok.shape or t_ok.count)
    if s_good and not t_good:
        return "source matches reference"
    if t_good and not s_good:
        return "target matches reference"
    return "neither matches reference" if not s_good else "both match reference"


def _closer_sign(s: Observation, t: Observation, r: Observation) -> str:
    if not r.ok:
        return "no reference"
    s_off = compare_observations(r, s).signed_zeros
    t_off = compare_observations(r, t).signed_zeros
    if s_off == t_off:
        return "both match reference" if not s_off else "neither matches reference"
    return "source matches reference" if not s_off else "target matches reference"


def _dtypes(obs: Observation) -> str:
    return ",".join(o.dtype for o in obs.outputs) or "none"


def _given_unsupported(case: Case, target: Implementation) -> str:
    for name, _ in case.args:
        if not target.supports(name):
            return name
    return "?"


class _Builder:
    """Collects groups of cases and turns them into Differences with summaries."""

    def __init__(self, source: Implementation, target: Implementation, device: str) -> None:
        self.source, self.target, self.device = source, target, device
        self.groups: dict[tuple[DiffKind, str], _Group] = {}

    def group(self, kind: DiffKind, subject: str) -> _Group:
        return self.groups.setdefault((kind, subject), _Group())

    def build(self) -> list[Difference]:
        out = []
        for (kind, subject), group in sorted(self.groups.items(), key=lambda kv: (kv[0][0].value, kv[0][1])):
            if group.cases:
                out.append(self._difference(kind, subject, group))
        return out

    def _difference(self, kind: DiffKind, subject: str, group: _Group) -> Difference:
        cases = sorted(group.cases, key=_size_then_id)
        dtypes = tuple(sorted({c.facet_dict["dtype"] for c in cases if "dtype" in c.facet_dict}))
        details: dict[str, object] = {"case_count": len(cases)}
        if group.comparisons:
            details["max_abs_error"] = max(c.max_abs for c in group.comparisons)
            details["max_rel_error"] = max(c.max_rel for c in group.comparisons)
        if group.notes:
            details["notes"] = sorted(group.notes)
        source_param = target_param = None
        if kind is DiffKind.PARAM_ONLY_IN_ONE:
            source_param = subject
        details["source"], details["target"] = _evidence(kind, subject, group)
        summary = _SUMMARIES[kind](self, subject, dtypes, group)
        return Difference(
            kind=kind,
            summary=summary,
            subject=subject if self.device == "cpu" else f"{subject}@{self.device}",
            source_param=source_param,
            target_param=target_param,
            dtypes=dtypes,
            cases=tuple(c.id for c in cases[:MAX_EVIDENCE]),
            labels=tuple(c.label for c in cases[:3]),
            device=self.device,
            details=details,
        )

    @property
    def s(self) -> str:
        return display_name(self.source.framework)

    @property
    def t(self) -> str:
        return display_name(self.target.framework)


def _evidence(kind: DiffKind, subject: str, group: _Group) -> tuple[str, str]:
    """What each side did, in a few words, for the page's PyTorch / MindSpore columns."""
    errors = "; ".join(sorted(group.notes)[:2]) or "raises"
    if kind is DiffKind.OUTPUT_DTYPE:
        src, tgt = subject.split("->")
        return src, tgt
    if subject.startswith("error_type:"):
        src, tgt = subject[len("error_type:") :].split("->")
        return f"raises {src}", f"raises {tgt}"
    if subject.startswith("target_rejects"):
        return "returns", errors
    if subject.startswith("target_accepts"):
        return errors, "returns"
    if kind in (DiffKind.VALUE_MISMATCH, DiffKind.SPECIAL_VALUES):
        verdicts = " ".join(sorted(group.notes))
        src = (
            "matches the reference"
            if "source matches" in verdicts or "both match" in verdicts
            else "differs from the reference"
        )
        tgt = (
            "matches the reference" if "target matches" in verdicts or "both match" in verdicts else "differs"
        )
        return src, tgt
    if kind is DiffKind.PARAM_ONLY_IN_ONE:
        return f"accepts `{subject}`", "no counterpart"
    return "-", "-"


def _size_then_id(case: Case) -> tuple[int, str]:
    size = sum(getattr(v, "size", 0) for _, v in case.args)
    return size, case.id


def _list(items: Sequence[str] | set[str], limit: int = 6) -> str:
    items = sorted(items)
    text = ", ".join(items[:limit])
    return text + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _side(b: _Builder, subject: str) -> tuple[str, str]:
    """(the side that raises, the side that returns) for a status subject."""
    return (b.t, b.s) if subject.startswith("target_rejects") else (b.s, b.t)


def _sum_param_only(b: _Builder, subject: str, dtypes: tuple[str, ...], g: _Group) -> str:
    n = len(g.cases)
    return f"`{subject}` has no counterpart in {b.target.api}; {n} case(s) that pass it cannot run there"


def _sum_output_dtype(b: _Builder, subject: str, dtypes: tuple[str, ...], g: _Group) -> str:
    src, tgt = subject.split("->")
    return f"{b.t} returns {tgt} where {b.s} returns {src} (inputs: {_list(dtypes)})"


def _sum_values(b: _Builder, subject: str, dtypes: tuple[str, ...], g: _Group) -> str:
    worst = max(g.comparisons, key=lambda c: c.max_abs)
    verdict = "; ".join(sorted(g.notes))
    return (
        f"values differ beyond the {subject} tolerance on {len(g.cases)} case(s) "
        f"(max abs error {worst.max_abs:.3g}, max rel error {worst.max_rel:.3g}; {verdict})"
    )


def _sum_special(b: _Builder, subject: str, dtypes: tuple[str, ...], g: _Group) -> str:
    what = {
        "nan_inf": "NaN, ±inf and -0.0",
        "overflow": "values that overflow the dtype",
        "signed_zero": "the sign of zero results (-0.0 against 0.0)",
    }
    if ":" in subject:
        raises, returns = _side(b, subject)
        kind = subject.split(":", 1)[1]
        return f"{raises} raises on {what.get(kind, kind)} where {returns} returns ({_list(dtypes)})"
    return f"results differ on {what.get(subject, subject)} ({_list(dtypes)}); {'; '.join(sorted(g.notes))}"


def _sum_input_dtype(b: _Builder, subject: str, dtypes: tuple[str, ...], g: _Group) -> str:
    raises, returns = _side(b, subject)
    name = subject.split(":", 1)[1]
    what = f"{name} inputs" if "=" not in name else f"`{name}`"
    return f"{raises} raises on {what} where {returns} returns ({len(g.cases)} case(s))"


def _sum_shape(b: _Builder, subject: str, dtypes: tuple[str, ...], g: _Group) -> str:
    if subject.startswith("output_shape"):
        return f"output shapes differ on {len(g.cases)} case(s)"
    raises, returns = _side(b, subject)
    return f"{raises} raises on {subject.split(':', 1)[1]} where {returns} returns ({len(g.cases)} case(s))"


def _sum_error(b: _Builder, subject: str, dtypes: tuple[str, ...], g: _Group) -> str:
    if subject.startswith("error_type:"):
        src, tgt = subject[len("error_type:") :].split("->")
        return f"both raise, but {b.s} raises {src} and {b.t} raises {tgt} ({len(g.cases)} case(s))"
    if subject == "target_accepts_invalid":
        return f"{b.t} returns on invalid input where {b.s} raises ({len(g.cases)} case(s))"
    if subject == "target_rejects_invalid":
        return f"{b.s} returns on input the reference rejects, {b.t} raises ({len(g.cases)} case(s))"
    raises, returns = _side(b, subject)
    return f"{raises} raises on valid input where {returns} returns ({len(g.cases)} case(s))"


def _sum_device(b: _Builder, subject: str, dtypes: tuple[str, ...], g: _Group) -> str:
    return f"{b.t} on {b.device} differs from {b.t} on cpu: {subject} ({len(g.cases)} case(s))"


_SUMMARIES: dict[DiffKind, Callable[[_Builder, str, tuple[str, ...], _Group], str]] = {
    DiffKind.PARAM_ONLY_IN_ONE: _sum_param_only,
    DiffKind.OUTPUT_DTYPE: _sum_output_dtype,
    DiffKind.VALUE_MISMATCH: _sum_values,
    DiffKind.SPECIAL_VALUES: _sum_special,
    DiffKind.INPUT_DTYPE_SUPPORT: _sum_input_dtype,
    DiffKind.SHAPE_SUPPORT: _sum_shape,
    DiffKind.ERROR_BEHAVIOR: _sum_error,
    DiffKind.DEVICE_SUPPORT: _sum_device,
}
