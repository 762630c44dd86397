"""Aggregate per-case comparisons of a target against the source into differences."""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from apicompat.compare.names import display_name
from apicompat.compare.outputs import Comparison, compare_observations, compare_outputs
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
    # case id -> the names of its outputs (values, indices), for APIs that return several
    output_names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # ids of cases whose outputs changed when run again, per side: their values prove nothing
    source_unstable: frozenset[str] = frozenset()
    target_unstable: frozenset[str] = frozenset()


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
            # A parameter neither side takes (a method form without out=) is no difference.
            if s.status is not Status.NOT_RUN:
                builder.group(DiffKind.PARAM_ONLY_IN_ONE, _given_unsupported(case, target)).add(case)
            continue
        if s.status in (Status.NOT_RUN, Status.UNAVAILABLE) or t.status is Status.UNAVAILABLE:
            continue
        unstable = "target" if case.id in pairing.target_unstable else None
        unstable = "source" if case.id in pairing.source_unstable else unstable
        if unstable is not None and case.facet_dict.get("empty") != "true":
            # Random values cannot be compared; that they change is the difference.
            builder.group(DiffKind.VALUE_MISMATCH, f"nondeterministic:{unstable}").add(case)
            continue
        cmp = compare_observations(s, t, overrides)
        if _undefined_output(case, s, t, cmp, pairing.target_unstable):
            # Values computed from no element: MindSpore reads uninitialized memory there, so one
            # run's values (and whether they happen to match) say nothing; the difference is stated once.
            builder.group(DiffKind.VALUE_MISMATCH, "empty_input").add(case)
            continue
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
            names = pairing.output_names.get(case.id, ())
            _classify_outputs(builder, case, s, t, r, cmp, overrides, names)
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
    names: tuple[str, ...] = (),
) -> None:
    facets = case.facet_dict
    outputs_note = _differing_outputs(s, t, names, overrides)
    if cmp.dtype or cmp.count:
        pair = _dtype_subject(s, t, names)
        builder.group(DiffKind.OUTPUT_DTYPE, pair).add(case, cmp)
    if cmp.count:
        # Different numbers of outputs hide the values; the outputs both return still compare
        # (mindspore.ops.unique returns its values unsorted, besides an extra inverse).
        cmp = _shared_outputs(s, t, overrides)
        outputs_note = "in the outputs both return" if cmp.values or cmp.shape else None
    if cmp.shape:
        builder.group(DiffKind.SHAPE_SUPPORT, f"output_shape:{facets.get('group', 'case')}").add(case, cmp)
    if cmp.values:
        special = facets.get("special")
        closer = _closer_to_reference(s, t, r, overrides)
        if special:
            group = builder.group(DiffKind.SPECIAL_VALUES, special)
        elif outputs_note == "in the outputs both return":
            group = builder.group(DiffKind.VALUE_MISMATCH, "shared_outputs")  # one row, not one per dtype
        else:
            group = builder.group(DiffKind.VALUE_MISMATCH, facets.get("dtype", "values"))
        group.add(case, cmp, closer)
        if outputs_note:
            group.notes.add(outputs_note)


def _shared_outputs(
    s: Observation, t: Observation, overrides: Mapping[str, tuple[float, float]] | None
) -> Comparison:
    """The comparison of the outputs both sides return (the first ones), ignoring the count."""
    shared = min(len(s.outputs), len(t.outputs))
    return compare_observations(
        dataclasses.replace(s, outputs=s.outputs[:shared]),
        dataclasses.replace(t, outputs=t.outputs[:shared]),
        overrides,
    )


def _output_labels(s: Observation, names: tuple[str, ...]) -> tuple[str, ...]:
    """The outputs' names where the spec gives them, else `output 0`, `output 1`, …"""
    if len(names) == len(s.outputs):
        return names
    return tuple(f"output {i}" for i in range(len(s.outputs)))


def _dtype_subject(s: Observation, t: Observation, names: tuple[str, ...]) -> str:
    """`int64->int32`, or for several outputs only those that differ: `indices:int64->int32`.

    Naming the differing output keeps one row for "indices are int32" instead of one per input dtype.
    """
    if len(s.outputs) != len(t.outputs):
        # One row for "returns a tuple of two where torch returns one tensor", whatever the dtype.
        return f"count:{len(s.outputs)}->{len(t.outputs)}"
    if len(s.outputs) < 2:
        return f"{_dtypes(s)}->{_dtypes(t)}"
    labels = _output_labels(s, names)
    return ";".join(
        f"{n}:{x.dtype}->{y.dtype}"
        for n, x, y in zip(labels, s.outputs, t.outputs, strict=True)
        if x.dtype != y.dtype
    )


def _dtype_pairs(subject: str) -> list[tuple[str, str, str]]:
    """(output name or "", source dtype, target dtype) for each part of an output_dtype subject."""
    if ":" not in subject:
        src, _, tgt = subject.partition("->")
        return [("", src, tgt)]
    pairs = []
    for part in subject.split(";"):
        left, _, tgt = part.partition("->")
        name, _, src = left.rpartition(":")
        pairs.append((name, src, tgt))
    return pairs


def _undefined_output(
    case: Case, s: Observation, t: Observation, cmp: Comparison, unstable: frozenset[str]
) -> bool:
    """Whether the target returned, for an empty input, results that differ from the source's or vary."""
    if case.facet_dict.get("empty") != "true" or not (s.ok and t.ok):
        return False
    return case.id in unstable or cmp.values or cmp.shape or cmp.count


def _differing_outputs(
    s: Observation,
    t: Observation,
    names: tuple[str, ...],
    overrides: Mapping[str, tuple[float, float]] | None,
) -> str | None:
    """`in indices` when an API returns several outputs and only some differ in value."""
    if len(s.outputs) < 2 or len(s.outputs) != len(t.outputs):
        return None
    labels = _output_labels(s, names)
    differ = [
        n
        for n, x, y in zip(labels, s.outputs, t.outputs, strict=True)
        if compare_outputs(x, y, overrides).values
    ]
    return f"in {', '.join(differ)}" if differ else None


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
    if _rejects_everything(pairing):
        # One cause for every failure, not one row per dtype: a kernel this device lacks, or
        # (a TypeError from every call) a signature the spec's calls do not fit.
        call_errors = all(t.error_type == "TypeError" for _, s, t in valid if s.ok)
        group = (
            builder.group(DiffKind.ERROR_BEHAVIOR, "target_rejects:every_valid_case")
            if call_errors
            else builder.group(DiffKind.DEVICE_SUPPORT, "target_rejects_all")
        )
        for case, s, t in valid:
            if s.ok:
                group.add(case, note=_error_note(t))
                explained.add(case.id)
    # A dtype explains the failures when the target fails on every valid case of it (or the source does).
    by_dtype = _valid_cases_by(pairing, "dtype")
    for facet_key in [
        "dtype",
        *sorted({k for c in pairing.cases for k in c.facet_dict if k.startswith("param:")}),
        # How a case's arguments relate (a mixed-dtype list, a broadcast operand, a scalar operand).
        *sorted({k for c in pairing.cases for k in c.facet_dict if k.startswith(_RELATION_FACETS)}),
    ]:
        by_value = by_dtype if facet_key == "dtype" else _valid_cases_by(pairing, facet_key)
        for value, rows in sorted(by_value.items()):
            if value in ("omitted", "given", "same", "in_range", "tensor"):
                continue  # the everyday value explains nothing
            target_fails = [c for c, s, t in rows if s.ok and not t.ok]
            source_fails = [c for c, s, t in rows if t.ok and not s.ok]
            ok_both = [c for c, s, t in rows if s.ok and t.ok]
            for fails, side in ((target_fails, "target_rejects"), (source_fails, "target_accepts")):
                if fails and not ok_both and len(fails) == len([c for c, s, t in rows if s.ok != t.ok]):
                    name = value if facet_key == "dtype" else f"{facet_key.split(':', 1)[1]}={value}"
                    kind = (
                        DiffKind.SHAPE_SUPPORT
                        if _about_shape(facet_key, value)
                        else DiffKind.INPUT_DTYPE_SUPPORT
                    )
                    group = builder.group(kind, f"{side}:{name}")
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


#: A target that fails on at least this many valid cases, and on every one, lacks the op.
_ALL_FAIL_MINIMUM = 5


def _rejects_everything(pairing: Pairing) -> bool:
    """Whether the target raises on every valid case the source handles (and there are several)."""
    rows = [row for rows in _valid_cases_by(pairing, "group").values() for row in rows]
    handled = [t for _, s, t in rows if s.ok]
    return len(handled) >= _ALL_FAIL_MINIMUM and not any(t.ok for t in handled)


#: Facets of argument relations (generate/facets.py) that can explain a failure.
_RELATION_FACETS = ("list:", "operand:", "shape:", "index:", "bound:")


def _about_shape(facet_key: str, value: str) -> bool:
    """Whether a relation facet is about shapes (a broadcast, a ragged list) rather than values."""
    return facet_key.startswith(("shape:", "index:")) or (
        facet_key.startswith("list:") and "dtypes" not in value
    )


def _valid_cases_by(pairing: Pairing, facet: str) -> dict[str, list[tuple[Case, Observation, Observation]]]:
    rows: dict[str, list[tuple[Case, Observation, Observation]]] = defaultdict(list)
    for case, s, t in _valid_rows(pairing):
        value = case.facet_dict.get(facet)
        if value is not None:
            rows[value].append((case, s, t))
    return rows


def _valid_rows(pairing: Pairing) -> list[tuple[Case, Observation, Observation]]:
    """Cases with valid input that both sides ran; computed once per pairing (asked once per facet)."""
    cached: list[tuple[Case, Observation, Observation]] | None = pairing.__dict__.get("_valid_rows")
    if cached is not None:
        return cached
    rows = []
    for case, s, t, r in zip(pairing.cases, pairing.source, pairing.target, pairing.reference, strict=True):
        if r.status is Status.ERROR or case.facet_dict.get("expect_error") == "true":
            continue
        if Status.NOT_RUN in (s.status, t.status) or Status.UNAVAILABLE in (s.status, t.status):
            continue
        rows.append((case, s, t))
    object.__setattr__(pairing, "_valid_rows", rows)  # a cache on a frozen record, not a field
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
            case_count=len(cases),
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
    if kind is DiffKind.OUTPUT_DTYPE and subject.startswith("count:"):
        src, _, tgt = subject[len("count:") :].partition("->")
        return f"{src} output(s)", f"{tgt} output(s)"
    if kind is DiffKind.OUTPUT_DTYPE:
        pairs = _dtype_pairs(subject)
        if len(pairs) == 1 and not pairs[0][0]:
            return pairs[0][1], pairs[0][2]
        return ", ".join(f"{n}: {a}" for n, a, _ in pairs), ", ".join(f"{n}: {b}" for n, _, b in pairs)
    if subject.startswith("error_type:"):
        src, tgt = subject[len("error_type:") :].split("->")
        return f"raises {src}", f"raises {tgt}"
    if subject.startswith("target_rejects"):
        return "returns", errors
    if subject.startswith("target_accepts"):
        return errors, "returns"
    if subject == "empty_input":
        return "values the input defines", "values computed from no element"
    if subject == "nondeterministic:target":
        return "the same values on every run", "different values on every run"
    if subject == "nondeterministic:source":
        return "different values on every run", "the same values on every run"
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


def _size_then_id(case: Case) -> tuple[bool, int, str]:
    """Smallest first, but a case with elements before an empty one: it shows more."""
    size = sum(getattr(v, "size", 0) for _, v in case.args)
    return case.facet_dict.get("empty") == "true", size, case.id


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
    if subject.startswith("count:"):
        src, _, tgt = subject[len("count:") :].partition("->")
        return f"{b.t} returns {tgt} output(s) where {b.s} returns {src} (inputs: {_list(dtypes)})"
    pairs = _dtype_pairs(subject)
    if len(pairs) == 1 and not pairs[0][0]:
        return f"{b.t} returns {pairs[0][2]} where {b.s} returns {pairs[0][1]} (inputs: {_list(dtypes)})"
    what = "; ".join(f"{n} as {tgt} where {b.s} returns {src}" for n, src, tgt in pairs)
    return f"{b.t} returns {what} (inputs: {_list(dtypes)})"


def _sum_values(b: _Builder, subject: str, dtypes: tuple[str, ...], g: _Group) -> str:
    if subject == "shared_outputs":
        return (
            f"the outputs both return differ in value on {len(g.cases)} case(s) "
            f"({_list(dtypes)}; {'; '.join(sorted(n for n in g.notes if 'reference' in n))})"
        )
    if subject == "empty_input":
        return (
            f"{b.t} returns other values or shapes than {b.s} where the input holds no elements "
            f"({len(g.cases)} case(s)); such results may change from run to run (uninitialized memory), "
            "so they are not shown"
        )
    if subject.startswith("nondeterministic:"):
        who = b.t if subject.endswith("target") else b.s
        return (
            f"{who} returns different values each time the same call runs ({len(g.cases)} case(s), "
            "each run three times): the output is not defined by the input"
        )
    worst = max(g.comparisons, key=lambda c: c.max_abs)
    verdict = "; ".join(sorted(g.notes))
    if worst.max_abs == 0 and any(c.mismatched for c in g.comparisons):
        # Integers compare exactly, and NaN or inf against a number has no error size: "max
        # abs error 0" would read as agreement.
        elements = sum(c.mismatched for c in g.comparisons)
        return (
            f"values differ on {len(g.cases)} case(s) of {subject} inputs ({elements} element(s): "
            f"integers, NaN or infinities, which no tolerance covers; {verdict})"
        )
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
    what = subject.split(":", 1)[1]
    what = f"`{what}`" if "=" in what else what
    return f"{raises} raises on {what} where {returns} returns ({len(g.cases)} case(s))"


def _sum_error(b: _Builder, subject: str, dtypes: tuple[str, ...], g: _Group) -> str:
    if subject.startswith("error_type:"):
        src, tgt = subject[len("error_type:") :].split("->")
        return f"both raise, but {b.s} raises {src} and {b.t} raises {tgt} ({len(g.cases)} case(s))"
    if subject == "target_accepts_invalid":
        return f"{b.t} returns on invalid input where {b.s} raises ({len(g.cases)} case(s))"
    if subject == "target_rejects:every_valid_case":
        return f"{b.t} raises on every valid case, where {b.s} returns ({len(g.cases)} case(s))"
    if subject == "target_rejects_invalid":
        return f"{b.s} returns on input the reference rejects, {b.t} raises ({len(g.cases)} case(s))"
    raises, returns = _side(b, subject)
    return f"{raises} raises on valid input where {returns} returns ({len(g.cases)} case(s))"


def _sum_device(b: _Builder, subject: str, dtypes: tuple[str, ...], g: _Group) -> str:
    if subject == "target_rejects_all":
        return (
            f"{b.target.api} raises on every valid case on {b.device}, where {b.s} returns "
            f"({len(g.cases)} case(s)); see the error for the cause"
        )
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
