"""Aggregate per-case comparisons of a target against the source into differences."""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from apicompat.classify.precision import SINGLE, single_precision_pair, subject_for
from apicompat.classify.precision import SUBJECT as SINGLE_SUBJECT
from apicompat.classify.severity import severity_of
from apicompat.compare.names import display_name
from apicompat.compare.outputs import Comparison, compare_observations, compare_outputs
from apicompat.compare.tolerance import tolerance_for
from apicompat.generate.sizes import FORM_WORDS, size_words
from apicompat.records import (
    Case,
    Difference,
    DiffKind,
    DtypeArg,
    Implementation,
    Observation,
    Output,
    Status,
    TensorArg,
    TensorListArg,
    dtype_category,
)
from apicompat.records.canonical import canonical_outputs

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
    note_counts: Counter[str] = field(default_factory=Counter)  # how many cases gave each note
    out_of: int = 0  # for a facet value that explains failures: the cases of it that ran on a side
    # Per case, which side matched the float64 reference (see _closer_to_reference).
    closeness: list[str] = field(default_factory=list)
    # Per case, each side's error against the reference (precision findings).
    errors: list[tuple[Comparison, Comparison]] = field(default_factory=list)

    def add(self, case: Case, comparison: Comparison | None = None, note: str | None = None) -> None:
        self.cases.append(case)
        if comparison is not None:
            self.comparisons.append(comparison)
        if note:
            self.notes.add(note)
            self.note_counts[note] += 1

    def common_notes(self) -> list[str]:
        """Notes, the most frequent first (ties by text): the error most cases raised leads."""
        return sorted(self.notes, key=lambda n: (-self.note_counts[n], n))


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
        if unstable is not None and s.ok and t.ok and case.facet_dict.get("empty") != "true":
            # Random values cannot be compared; that they change is the difference. (Where one side
            # raised, they compare with nothing: the status row below says it, the same every run.)
            builder.group(DiffKind.VALUE_MISMATCH, f"nondeterministic:{unstable}").add(case)
            continue
        cmp = compare_observations(s, t, overrides)
        if _undefined_output(case, s, t, cmp, pairing.target_unstable):
            # Values computed from no element: MindSpore on CPU can read memory an earlier call left
            # behind there, in one process and not in another, so whether they vary is not something
            # one run can settle; the difference is stated once, without values, the same every run.
            builder.group(DiffKind.VALUE_MISMATCH, "empty_input").add(case)
            continue
        if cmp.signed_zeros and case.facet_dict.get("special"):
            # -0.0 against 0.0 passes any tolerance; it matters only where the inputs hold -0.0.
            group = builder.group(DiffKind.SPECIAL_VALUES, "signed_zero")
            group.add(case, cmp)
            group.closeness.append(_closer_sign(s, t, r))
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


def precision_rows(
    source: Implementation,
    target: Implementation,
    device: str,
    found: Sequence[tuple[Case, str, Comparison, Comparison]],
) -> list[Difference]:
    """Precision rows (`single:float64`, `offset:float32`) for cases measured apart from the pairing
    (a default's re-run): each case with its row's subject and the source's and target's error
    against the reference."""
    builder = _Builder(source, target, device)
    for case, subject, s_err, t_err in found:
        group = builder.group(DiffKind.PRECISION, subject)
        group.add(case, t_err)
        group.errors.append((s_err, t_err))
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
    order = None if cmp.count else _output_order(s, t, overrides, builder.target.canonical)
    if order is not None:
        # Every output matches one of the other side's, in another place (mindspore.ops.svd's
        # (S, U, V) against torch.svd's (U, S, V)): unpacking by position swaps them.
        labels = _output_labels(s, names)
        placed = [labels[order.index(j)] for j in range(len(order))]
        subject = f"order:{','.join(labels)}->{','.join(placed)}"
        builder.group(DiffKind.OUTPUT_STRUCTURE, subject).add(case, cmp)
        moved = dataclasses.replace(t, outputs=tuple(t.outputs[j] for j in order))
        if any(x.dtype != y.dtype for x, y in zip(s.outputs, moved.outputs, strict=True)):
            # In their places, what else differs is the dtype (S as complex64 for complex input).
            builder.group(DiffKind.OUTPUT_DTYPE, _dtype_subject(s, moved, names)).add(case, cmp)
        return
    outputs_note = _differing_outputs(s, t, names, overrides)
    if cmp.count:
        subject = f"count:{len(s.outputs)}->{len(t.outputs)}"
        builder.group(DiffKind.OUTPUT_STRUCTURE, subject).add(case, cmp)
    elif cmp.dtype:
        builder.group(DiffKind.OUTPUT_DTYPE, _dtype_subject(s, t, names)).add(case, cmp)
    if cmp.count:
        # Different numbers of outputs hide the values; the outputs both return still compare
        # (mindspore.ops.unique returns its values unsorted, besides an extra inverse).
        cmp = _shared_outputs(s, t, overrides)
        if (cmp.values or cmp.shape) and _some_of(s, t, overrides):
            return  # the target returns some of the outputs (ops.svd's S alone): the count says it all
        outputs_note = "in the outputs both return" if cmp.values or cmp.shape else None
    if cmp.shape and facets.get("special"):
        # Another shape only where NaN, inf or -0.0 are in the input: how those values are told
        # apart (unique keeping -0.0 and 0.0 apart), which is what the row should say.
        group = builder.group(DiffKind.SPECIAL_VALUES, facets["special"])
        group.add(case, cmp, f"output shapes {_shapes(s)} and {_shapes(t)}")
        group.closeness.append(_closer_to_reference(s, t, r, overrides))
        return
    if cmp.shape:
        # The shapes each side returned, so the row says how they differ (a page reader cannot
        # tell rows of different sweeps apart by their counts alone).
        shapes = f"{builder.s} returns {_shapes(s)}, {builder.t} {_shapes(t)}"
        builder.group(DiffKind.SHAPE_SUPPORT, f"output_shape:{facets.get('group', 'case')}").add(
            case, cmp, shapes
        )
    if cmp.values:
        special = facets.get("special")
        closer = _closer_to_reference(s, t, r, overrides)
        if closer == "both match reference":
            # Each side within the tolerance of the float64 reference, the two apart by a little
            # more than one tolerance (float16's 0.1000 against 0.1001): both answers are right.
            return
        errors = precision_errors(case, s, t, r, overrides)
        if errors is not None:
            # Off the float64 reference far beyond the dtype's tolerance on a long or large-offset
            # input, while the other side stays within it: accumulation or cancellation.
            group = builder.group(DiffKind.PRECISION, f"{facets.get('probe', 'large')}:{facets.get('dtype')}")
            group.add(case, cmp)
            group.errors.append(errors)
            return
        single = None if special else single_precision_pair(r, s, t, overrides)
        if single is not None:
            # Off the float64 reference by float32's epsilon, while the other side matches it.
            group = builder.group(DiffKind.PRECISION, subject_for(t if single[0].agree else s))
            group.add(case, cmp)
            group.errors.append(single)
            return
        shared = min(len(s.outputs), len(t.outputs))
        if not special and _same_multiset(s.outputs[:shared], t.outputs[:shared], overrides):
            # The same values in another order (unsorted unique values, ties broken otherwise).
            group = builder.group(DiffKind.ORDERING, "order")
            group.add(case, cmp, outputs_note)
            return
        if special:
            group = builder.group(DiffKind.SPECIAL_VALUES, special)
        elif outputs_note == "in the outputs both return":
            group = builder.group(DiffKind.VALUE_MISMATCH, "shared_outputs")  # one row, not one per dtype
        else:
            group = builder.group(DiffKind.VALUE_MISMATCH, facets.get("dtype", "values"))
        group.add(case, cmp)
        group.closeness.append(closer)
        if outputs_note:
            group.notes.add(outputs_note)


#: A side is "far" off the reference when its relative error exceeds this many times the tolerance.
_FAR = 10.0


def precision_errors(
    case: Case,
    s: Observation,
    t: Observation,
    r: Observation,
    overrides: Mapping[str, tuple[float, float]] | None,
) -> tuple[Comparison, Comparison] | None:
    """Each side's error against the reference, when exactly one is far beyond tolerance (probes only)."""
    facets = case.facet_dict
    if not (facets.get("probe") or facets.get("large") == "true") or not r.ok or facets.get("special"):
        return None
    dtype = facets.get("dtype", "")
    if dtype_category(dtype) not in ("float", "complex"):
        return None
    s_err, t_err = compare_observations(r, s, overrides), compare_observations(r, t, overrides)
    if s_err.count or t_err.count or s_err.shape or t_err.shape:
        return None
    rtol, _ = tolerance_for(dtype, overrides)
    far = _FAR * max(rtol, 1e-12)
    s_far, t_far = s_err.values and s_err.max_rel > far, t_err.values and t_err.max_rel > far
    if s_far != t_far:
        # One side far beyond the tolerance, the other within it or near it (a float32 std of values
        # near 1e8 is a little off in any algorithm, and 10,000 times off where the variance cancels).
        return s_err, t_err
    return None


def _same_multiset(
    s: Sequence[Output], t: Sequence[Output], overrides: Mapping[str, tuple[float, float]] | None
) -> bool:
    """Whether every output holds the same values on both sides once sorted (order is all that differs)."""
    if len(s) != len(t) or not s:
        return False
    for x, y in zip(s, t, strict=True):
        if (
            x.shape != y.shape
            or x.values.size < 2
            or x.values.dtype.kind == "c"
            or y.values.dtype.kind == "c"
        ):
            return False
        ordered = [dataclasses.replace(o, values=np.sort(o.values, axis=None)) for o in (x, y)]
        if compare_outputs(ordered[0], ordered[1], overrides).values:
            return False
    return True


def _shapes(obs: Observation) -> str:
    return " + ".join(str(tuple(o.shape)) for o in obs.outputs)


def _output_order(
    s: Observation,
    t: Observation,
    overrides: Mapping[str, tuple[float, float]] | None,
    canonical: Sequence[str],
) -> tuple[int, ...] | None:
    """Where each of the source's outputs stands among the target's, when all of them are there in
    another order (`(1, 0, 2)`: the target returns the second first); None when the order is the
    same or no order makes every output agree."""
    n = len(s.outputs)
    if n < 2 or n != len(t.outputs) or n > _MAX_ORDERED:
        return None
    if all(_same_values(x, y, overrides) for x, y in zip(s.outputs, t.outputs, strict=True)):
        return None  # in place they agree (a dtype aside): sorted values equal to their indices are no swap
    # A factor defined up to sign was put in canonical form for its own place; in another place it
    # is compared in the form the source's output there takes.
    for order in itertools.permutations(range(n)):
        if order == tuple(range(n)):
            continue
        moved = [t.outputs[j] for j in order]
        if canonical:
            moved = list(canonical_outputs(moved, canonical))
        if all(_same_values(x, y, overrides) for x, y in zip(s.outputs, moved, strict=True)):
            return order
    return None


def _same_values(x: Output, y: Output, overrides: Mapping[str, tuple[float, float]] | None) -> bool:
    """Whether two outputs hold the same values in the same shape, whatever their dtypes."""
    c = compare_outputs(x, y, overrides)
    return not (c.shape or c.values)


def _some_of(s: Observation, t: Observation, overrides: Mapping[str, tuple[float, float]] | None) -> bool:
    """Whether each of the target's (fewer) outputs is one of the source's, each a different one."""
    if len(t.outputs) >= len(s.outputs):
        return False
    free = list(range(len(s.outputs)))
    for y in t.outputs:
        match = next((i for i in free if _same_values(s.outputs[i], y, overrides)), None)
        if match is None:
            return False
        free.remove(match)
    return True


#: Outputs beyond this many are not searched for another order (n! orders).
_MAX_ORDERED = 4


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
    """The outputs' names where the spec gives them, else `output 0`, `output 1`, …

    One name for several outputs is a list output (torch.chunk): its items are `chunks[0]`, ….
    """
    if len(names) == len(s.outputs):
        return names
    if len(names) == 1:
        return tuple(f"{names[0]}[{i}]" for i in range(len(s.outputs)))
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
    """Whether both returned for an empty input and the target's results differ or varied between runs.

    A different number of outputs is no such value (torch.chunk of an empty dimension returns
    `chunks` pieces, mindspore.ops.chunk one): unless the target varied, it is classified as usual.
    """
    if case.facet_dict.get("empty") != "true" or not (s.ok and t.ok):
        return False
    return case.id in unstable or cmp.values or cmp.shape


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
            builder.group(DiffKind.ERROR_BEHAVIOR, side).add(case, note=error_note(s if t.ok else t))
        else:
            valid.append((case, s, t))
    if not valid:
        return
    explained: set[str] = set()
    if _rejects_everything(pairing):
        # One cause for every failure, not one row per dtype: a kernel this device lacks, or (argument
        # checks only, TypeErrors among them) a signature the spec's calls do not fit. A RuntimeError
        # ("The kernel Addmm unregistered") is the device's; a ValueError beside TypeErrors (a rank
        # the target also refuses) is the arguments'.
        failures = [t.error_type for _, s, t in valid if s.ok]
        call_errors = "TypeError" in failures and set(failures) <= _ARGUMENT_ERRORS
        group = (
            builder.group(DiffKind.ERROR_BEHAVIOR, "target_rejects:every_valid_case")
            if call_errors
            else builder.group(DiffKind.DEVICE_SUPPORT, "target_rejects_all")
        )
        for case, s, t in valid:
            if s.ok:
                group.add(case, note=error_note(t))
                explained.add(case.id)
    # A dtype (a parameter value, an argument relation) explains the failures when the target fails on
    # every valid case of it, or the source does. Then, for what is left, when it fails on most of
    # its cases and more often than on the facet's other values: more random cases keep the verdict.
    by_dtype = _valid_cases_by(pairing, "dtype")
    facet_keys = [
        # An index's own dtype first (mindspore.ops.index_add takes int32 indices only): otherwise
        # the input's dtype would seem to explain every failure of the int64 index it goes with.
        *sorted({k for c in pairing.cases for k in c.facet_dict if k.startswith("dtype:")}),
        "dtype",
        *sorted({k for c in pairing.cases for k in c.facet_dict if k.startswith("param:")}),
        # How a case's arguments relate (a mixed-dtype list, a broadcast operand, a scalar operand).
        *sorted({k for c in pairing.cases for k in c.facet_dict if k.startswith(_RELATION_FACETS)}),
    ]
    for strict in (True, False):
        for facet_key in facet_keys:
            by_value = by_dtype if facet_key == "dtype" else _valid_cases_by(pairing, facet_key)
            for value, rows in sorted(by_value.items()):
                if value in ("omitted", "given", "same", "in_range", "tensor", "tuple", "positive"):
                    continue  # the everyday value explains nothing
                rows = [row for row in rows if row[0].id not in explained]
                target_fails = [c for c, s, t in rows if s.ok and not t.ok]
                source_fails = [c for c, s, t in rows if t.ok and not s.ok]
                ok_both = [c for c, s, t in rows if s.ok and t.ok]
                if strict and ok_both:
                    continue
                elsewhere = [row for other, more in by_value.items() if other != value for row in more]
                for fails, side in ((target_fails, "target_rejects"), (source_fails, "target_accepts")):
                    if _explains(fails, ok_both, rows, elsewhere, side):
                        name = value if facet_key == "dtype" else f"{facet_key.split(':', 1)[1]}={value}"
                        group = builder.group(_status_kind(facet_key, value), f"{side}:{name}")
                        group.out_of = max(group.out_of, len(fails) + len(ok_both))
                        for case in fails:
                            group.add(case, note=error_note(_obs_for(valid, case)))
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
        builder.group(kind, subject).add(case, note=error_note(failing))


def _explains(
    fails: Sequence[Case],
    ok_both: Sequence[Case],
    rows: Sequence[tuple[Case, Observation, Observation]],
    elsewhere: Sequence[tuple[Case, Observation, Observation]],
    side: str,
) -> bool:
    """Whether a facet value explains one side's failures: all of them on that side, at least half of
    its cases, and a rate above the other values' (so more random cases do not change the verdict)."""
    if not fails or len(fails) != sum(1 for _, s, t in rows if s.ok != t.ok):
        return False
    if len(fails) < len(ok_both):
        return False
    if not ok_both:
        return True
    ran = [(s, t) for _, s, t in elsewhere if s.ok or t.ok]
    if not ran:
        return False  # a value with nothing to contrast it with explains only when it always fails
    rejects = side == "target_rejects"
    failed = sum(1 for s, t in ran if ((s.ok and not t.ok) if rejects else (t.ok and not s.ok)))
    rate_elsewhere = failed / len(ran) if ran else 0.0
    return len(fails) / (len(fails) + len(ok_both)) > rate_elsewhere


#: The exceptions MindSpore's argument checks raise: failures of only these do not fit the call.
_ARGUMENT_ERRORS = frozenset({"TypeError", "ValueError"})

#: A target that fails on at least this many valid cases, and on every one, lacks the op.
_ALL_FAIL_MINIMUM = 5


def _rejects_everything(pairing: Pairing) -> bool:
    """Whether the target raises on every valid case the source handles (and there are several)."""
    rows = [row for rows in _valid_cases_by(pairing, "group").values() for row in rows]
    handled = [t for _, s, t in rows if s.ok]
    return len(handled) >= _ALL_FAIL_MINIMUM and not any(t.ok for t in handled)


#: Facets of argument relations (generate/facets.py) that can explain a failure.
_RELATION_FACETS = ("list:", "operand:", "shape:", "index:", "bound:", "size:", "dims:")


def _status_kind(facet_key: str, value: str) -> DiffKind:
    """What a facet that explains one side's failures is about: a parameter value, a shape, a dtype."""
    if facet_key.startswith(("param:", "bound:", "size:")):
        return DiffKind.PARAM_VALUE_SUPPORT  # k=0, inplace=True: a value, not the input's dtype
    if _about_shape(facet_key, value):
        return DiffKind.SHAPE_SUPPORT
    return DiffKind.INPUT_DTYPE_SUPPORT


def _about_shape(facet_key: str, value: str) -> bool:
    """Whether a relation facet is about shapes (a broadcast, a ragged list) rather than values."""
    return facet_key.startswith(("shape:", "index:", "dims:")) or (
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


def error_note(obs: Observation) -> str:
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


def _closeness_of(s_err: Comparison, t_err: Comparison) -> str:
    """_closer_to_reference's verdict from each side's comparison with the reference."""
    s_good, t_good = not s_err.values, not t_err.values
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


def named_parameter(message: str, impl: Implementation) -> str | None:
    """The parameter of `impl` an error message names in brackets or quotes (MindSpore's
    "the input argument[index] must be ...", "'output_size' must be ..."), if any."""
    names = sorted({n for _, n in impl.params if n}, key=lambda n: (-len(n), n))
    for name in names:
        if re.search(rf"[\['\"`]{re.escape(name)}[\]'\"`]", message):
            return name
    return None


class _Builder:
    """Collects groups of cases and turns them into Differences with summaries."""

    def __init__(self, source: Implementation, target: Implementation, device: str) -> None:
        self.source, self.target, self.device = source, target, device
        self.groups: dict[tuple[DiffKind, str], _Group] = {}

    def group(self, kind: DiffKind, subject: str) -> _Group:
        return self.groups.setdefault((kind, subject), _Group())

    def build(self) -> list[Difference]:
        self._precision_needs_agreement()
        self._split_values_by_given_parameter()
        out = []
        for (kind, subject), group in sorted(self.groups.items(), key=lambda kv: (kv[0][0].value, kv[0][1])):
            if group.cases:
                out.append(self._difference(kind, subject, group))
        return out

    def _precision_needs_agreement(self) -> None:
        """A probe's error is a precision finding where ordinary inputs of its dtype agree, or differ
        by far less (10x) than the probe does.

        Where they differ as much (a changed default, another formula), the probe shows the same
        difference at a larger size: its cases join that dtype's value row.
        """
        for (kind, subject), group in list(self.groups.items()):
            if kind is not DiffKind.PRECISION or subject.startswith(f"{SINGLE_SUBJECT}:"):
                continue  # a float64 result at float32 precision is decided case by case
            dtype = subject.partition(":")[2]
            values = self.groups.get((DiffKind.VALUE_MISMATCH, dtype))
            if values is None or not values.cases:
                continue
            # Only ordinary cases that call it as the probe does: a row of `dtype=int8` casts says
            # nothing of a probe that passes no dtype.
            given = set().union(*(_given_params(c) for c in group.cases))
            ordinary = max(
                (
                    cmp.max_rel
                    for c, cmp in zip(values.cases, values.comparisons, strict=True)
                    if _given_params(c) <= given
                ),
                default=0.0,
            )
            if max((c.max_rel for c in group.comparisons), default=0.0) > _FAR * ordinary:
                continue  # far worse than what ordinary inputs show: accumulation, not the formula
            for case, cmp, (s_err, t_err) in zip(group.cases, group.comparisons, group.errors, strict=True):
                values.add(case, cmp)
                values.closeness.append(_closeness_of(s_err, t_err))
            del self.groups[(kind, subject)]

    def _split_values_by_given_parameter(self) -> None:
        """A value row whose cases that give an optional parameter (`dtype=int8`) are off by errors
        of another order than the others (>= 100x apart) is two rows: another cause each."""
        for (kind, subject), group in list(self.groups.items()):
            if kind is not DiffKind.VALUE_MISMATCH or subject in _NOT_BY_DTYPE or ":" in subject:
                continue
            if len(group.comparisons) != len(group.cases):
                continue
            for name in sorted(set().union(*(_given_params(c) for c in group.cases))):
                given = [
                    cmp
                    for c, cmp in zip(group.cases, group.comparisons, strict=True)
                    if name in _given_params(c)
                ]
                rest = [
                    cmp
                    for c, cmp in zip(group.cases, group.comparisons, strict=True)
                    if name not in _given_params(c)
                ]
                if given and rest and _apart(given, rest):
                    self.groups[(kind, subject)] = self._divide(group, name, f"{subject}+{name}")
                    break

    def _divide(self, group: _Group, name: str, subject: str) -> _Group:
        """Move the cases of `group` that give `name` to the value row `subject`; the others' group."""
        split, kept = self.group(DiffKind.VALUE_MISMATCH, subject), _Group()
        closeness = group.closeness or [""] * len(group.cases)
        for case, cmp, closer in zip(group.cases, group.comparisons, closeness, strict=True):
            part = split if name in _given_params(case) else kept
            part.add(case, cmp)
            if group.closeness:
                part.closeness.append(closer)
        split.notes |= group.notes
        kept.notes |= group.notes
        return kept

    def _difference(self, kind: DiffKind, subject: str, group: _Group) -> Difference:
        cases = sorted(group.cases, key=size_then_id)
        dtypes = tuple(sorted({c.facet_dict["dtype"] for c in cases if "dtype" in c.facet_dict}))
        details: dict[str, object] = {}
        if group.comparisons:
            # Over every case of the group, each statistic on its own (not the worst case's pair).
            details["max_abs_error"] = max(c.max_abs for c in group.comparisons)
            details["max_rel_error"] = max(c.max_rel for c in group.comparisons)
            details["mismatched_elements"] = sum(c.mismatched for c in group.comparisons)
        if group.closeness:
            details["reference"] = _closeness_counts(group.closeness)
        if group.errors:
            details["source_error"] = _error_stats(e for e, _ in group.errors)
            details["target_error"] = _error_stats(e for _, e in group.errors)
        if group.notes:
            details["notes"] = group.common_notes()
        source_param = target_param = None
        if kind is DiffKind.PARAM_ONLY_IN_ONE:
            source_param = subject
        elif subject == "target_rejects:every_valid_case" and group.notes:
            # The calls do not fit: the parameter the leading TypeError names is where they differ.
            target_param = named_parameter(group.common_notes()[0], self.target)
        elif kind is DiffKind.PARAM_VALUE_SUPPORT:
            # `target_rejects:mode='r'`: a value of one parameter, named as each side names it.
            canonical = subject.partition(":")[2].partition("=")[0]
            source_param = self.source.name_of.get(canonical)
            target_param = self.target.name_of.get(canonical)
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
            all_cases=tuple(c.id for c in cases),
            labels=tuple(c.label for c in cases[:3]),
            device=self.device,
            severity=severity_of(kind, subject),
            case_count=len(cases),
            details=details,
        )

    @property
    def s(self) -> str:
        return display_name(self.source.framework)

    @property
    def t(self) -> str:
        return display_name(self.target.framework)


def _given_params(case: Case) -> set[str]:
    """The parameters a case gives (from its arguments: hand-written cases carry no param facets)."""
    return {name for name, _ in case.args}


def _value_text(case: Case, name: str) -> str:
    """How a case gave a parameter, for a row's text: `int8`, `True`, `2`, `a tensor`."""
    value = case.arg_dict.get(name)
    if isinstance(value, DtypeArg):
        return value.name
    return "a tensor" if isinstance(value, (TensorArg, TensorListArg)) else repr(value)


#: Value rows that are not one dtype's: never split by a parameter.
_NOT_BY_DTYPE = ("shared_outputs", "empty_input")

#: Two sets of cases differ in pattern when their errors are this many times apart.
_APART = 100.0


def _apart(a: Sequence[Comparison], b: Sequence[Comparison]) -> bool:
    """Whether every error of one set is at least _APART times every error of the other."""
    lo_a, hi_a = min(c.max_rel for c in a), max(c.max_rel for c in a)
    lo_b, hi_b = min(c.max_rel for c in b), max(c.max_rel for c in b)
    return lo_a > _APART * hi_b or lo_b > _APART * hi_a


def _closeness_counts(closeness: Sequence[str]) -> dict[str, int]:
    """How many cases each side matched the float64 reference on: {"source": n, "target": m, "cases": k}."""
    graded = [c for c in closeness if c != "no reference"]
    return {
        "cases": len(graded),
        "source": sum(c in ("source matches reference", "both match reference") for c in graded),
        "target": sum(c in ("target matches reference", "both match reference") for c in graded),
    }


def _error_stats(errors: Iterable[Comparison]) -> dict[str, float]:
    """The largest absolute and relative errors against the reference over a group's cases."""
    items = list(errors)
    return {
        "max_abs_error": max((e.max_abs for e in items), default=0.0),
        "max_rel_error": max((e.max_rel for e in items), default=0.0),
    }


def _evidence(kind: DiffKind, subject: str, group: _Group) -> tuple[str, str]:
    """What each side did, in a few words, for the page's PyTorch / MindSpore columns."""
    errors = "; ".join(group.common_notes()[:2]) or "raises"
    if kind is DiffKind.OUTPUT_STRUCTURE and subject.startswith("order:"):
        src, _, tgt = subject[len("order:") :].partition("->")
        return f"({src.replace(',', ', ')})", f"({tgt.replace(',', ', ')})"
    if kind is DiffKind.OUTPUT_STRUCTURE:
        src, _, tgt = subject[len("count:") :].partition("->")
        return _outputs(src), _outputs(tgt)
    if kind is DiffKind.PRECISION:
        s_err, t_err = _error_stats(e for e, _ in group.errors), _error_stats(e for _, e in group.errors)
        s_within = not any(e.values for e, _ in group.errors)
        t_within = not any(e.values for _, e in group.errors)
        return _off_reference_text(s_err, s_within), _off_reference_text(t_err, t_within)
    if kind is DiffKind.ORDERING:
        return "the same values, in one order", "the same values, in another order"
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
    if kind in (DiffKind.VALUE_MISMATCH, DiffKind.SPECIAL_VALUES) and group.closeness:
        counts = _closeness_counts(group.closeness)
        if not counts["cases"]:
            return "no reference", "no reference"
        return _matches_text(counts["source"], counts["cases"]), _matches_text(
            counts["target"], counts["cases"]
        )
    if kind is DiffKind.PARAM_ONLY_IN_ONE:
        return f"accepts `{subject}`", "no counterpart"
    return "-", "-"


def _outputs(count: str) -> str:
    return "1 output" if count == "1" else f"{count} outputs"


def _matches_text(matched: int, cases: int) -> str:
    """`matches the float64 reference`, or on how many of the cases it does."""
    if matched == cases:
        return "matches the float64 reference"
    if matched == 0:
        return "off the float64 reference"
    return f"matches the float64 reference on {matched} of {cases} cases"


def _off_reference_text(err: Mapping[str, float], within: bool) -> str:
    """One side's error against the float64 reference, and whether the dtype's tolerance covers it."""
    if not err["max_abs_error"]:
        return "equals the float64 reference"
    size = f"up to {err['max_abs_error']:.4g} (relative {err['max_rel_error']:.2g})"
    return (
        f"within tolerance of the float64 reference ({size})"
        if within
        else f"off the float64 reference by {size}"
    )


def size_then_id(case: Case) -> tuple[bool, int, str]:
    """Smallest first, but a case with elements before an empty one: it shows more."""
    size = sum(getattr(v, "size", 0) for _, v in case.args)
    return case.facet_dict.get("empty") == "true", size, case.id


def _share(g: _Group) -> str:
    """`3 case(s)`, or `7 of 9 cases; the others return on both sides` when only some fail."""
    if g.out_of > len(g.cases):
        return f"{len(g.cases)} of {g.out_of} cases; the others return on both sides"
    return f"{len(g.cases)} case(s)"


def _list(items: Sequence[str] | set[str], limit: int = 6) -> str:
    items = sorted(items)
    text = ", ".join(items[:limit])
    return text + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _inputs(dtypes: Sequence[str], g: _Group) -> str:
    """`inputs: float32, int8`, or the case count for calls without a tensor input (creation ops)."""
    return f"inputs: {_list(dtypes)}" if dtypes else f"{len(g.cases)} case(s)"


def _side(b: _Builder, subject: str) -> tuple[str, str]:
    """(the side that raises, the side that returns) for a status subject."""
    return (b.t, b.s) if subject.startswith("target_rejects") else (b.s, b.t)


def _fails(g: _Group) -> str:
    """How the failing side fails: `raises`, unless every case of the group crashed or timed out."""
    heads = {note.split(":", 1)[0] for note in g.notes}
    if heads == {Status.CRASH.value}:
        return "crashes (its worker process died)"
    if heads == {Status.TIMEOUT.value}:
        return "times out"
    return "raises"


def _sum_param_only(b: _Builder, subject: str, dtypes: tuple[str, ...], g: _Group) -> str:
    n = len(g.cases)
    return f"`{subject}` has no counterpart in {b.target.api}; {n} case(s) that pass it cannot run there"


def _sum_output_structure(b: _Builder, subject: str, dtypes: tuple[str, ...], g: _Group) -> str:
    if subject.startswith("order:"):
        src, _, tgt = subject[len("order:") :].partition("->")
        return (
            f"{b.t} returns the same outputs in another order, ({tgt.replace(',', ', ')}), where {b.s} "
            f"returns ({src.replace(',', ', ')}) ({_inputs(dtypes, g)})"
        )
    src, _, tgt = subject[len("count:") :].partition("->")
    return f"{b.t} returns {_outputs(tgt)} where {b.s} returns {_outputs(src)} ({_inputs(dtypes, g)})"


def _sum_precision(b: _Builder, subject: str, dtypes: tuple[str, ...], g: _Group) -> str:
    probe, _, dtype = subject.partition(":")
    if probe == SINGLE_SUBJECT:
        return _sum_single(b, dtype, g)
    what = {"long": "long inputs of one sign", "offset": "inputs with a large offset (1e8 + small steps)"}
    s_err = _error_stats(e for e, _ in g.errors)
    t_err = _error_stats(e for _, e in g.errors)
    worse, better = (b.t, b.s) if t_err["max_rel_error"] > s_err["max_rel_error"] else (b.s, b.t)
    bad = t_err if worse == b.t else s_err
    shapes = _list({c.facet_dict.get("shape", "") for c in g.cases} - {""})
    return (
        f"on {what.get(probe, 'large inputs')} ({dtype}, {len(g.cases)} case(s), shape {shapes}), "
        f"{worse}'s result is "
        f"off the float64 reference by up to {bad['max_abs_error']:.4g} "
        f"(relative {bad['max_rel_error']:.2g}), far beyond the {dtype} tolerance, "
        f"while {better}'s stays within it"
    )


def _sum_single(b: _Builder, dtype: str, g: _Group) -> str:
    """`MindSpore computes float64 at float32 precision: ...`, from each side's error."""
    s_err = _error_stats(e for e, _ in g.errors)
    t_err = _error_stats(e for _, e in g.errors)
    worse, better = (b.t, b.s) if t_err["max_rel_error"] > s_err["max_rel_error"] else (b.s, b.t)
    bad = t_err if worse == b.t else s_err
    single = SINGLE[dtype]
    eps = float(np.finfo(single).eps)
    return (
        f"{worse} computes {dtype} at {single} precision: on {len(g.cases)} {dtype} case(s) its result is "
        f"off the float64 reference by up to {bad['max_rel_error']:.2g} relative ({single}'s epsilon is "
        f"{eps:.2g}), beyond the {dtype} tolerance and within the {single} one, while {better}'s matches it"
    )


def _sum_ordering(b: _Builder, subject: str, dtypes: tuple[str, ...], g: _Group) -> str:
    where = "; ".join(sorted(n for n in g.notes if n.startswith("in ")))
    return (
        f"{b.t} returns the same values as {b.s} in another order{f' ({where})' if where else ''} "
        f"on {len(g.cases)} case(s) ({_list(dtypes)})"
    )


def _sum_param_value(b: _Builder, subject: str, dtypes: tuple[str, ...], g: _Group) -> str:
    raises, returns = _side(b, subject)
    value = subject.split(":", 1)[1]
    name, _, form = value.partition("=")
    if form in FORM_WORDS:  # a size:<name> facet: how the call wrote the size
        return (
            f"{raises} raises when `{name}` is given {FORM_WORDS[form]} where {returns} returns ({_share(g)})"
        )
    return f"{raises} raises for `{value}` where {returns} returns ({_share(g)})"


def _reference_clause(b: _Builder, g: _Group) -> str:
    """`PyTorch matches the float64 reference on 45 of 45 cases, MindSpore on 0`."""
    counts = _closeness_counts(g.closeness)
    if not counts["cases"]:
        return "no reference to judge by"
    return (
        f"{b.s} matches the float64 reference on {counts['source']} of {counts['cases']} case(s), "
        f"{b.t} on {counts['target']}"
    )


def _sum_output_dtype(b: _Builder, subject: str, dtypes: tuple[str, ...], g: _Group) -> str:
    pairs = _dtype_pairs(subject)
    if len(pairs) == 1 and not pairs[0][0]:
        return f"{b.t} returns {pairs[0][2]} where {b.s} returns {pairs[0][1]} ({_inputs(dtypes, g)})"
    what = "; ".join(f"{n} as {tgt} where {b.s} returns {src}" for n, src, tgt in pairs)
    return f"{b.t} returns {what} ({_inputs(dtypes, g)})"


def _sum_values(b: _Builder, subject: str, dtypes: tuple[str, ...], g: _Group) -> str:
    if subject == "shared_outputs":
        return (
            f"the outputs both return differ in value on {len(g.cases)} case(s) "
            f"({_list(dtypes)}; {_reference_clause(b, g)})"
        )
    if subject == "empty_input":
        return (
            f"{b.t} returns other values or shapes than {b.s} where the input holds no elements "
            f"({len(g.cases)} case(s)); values computed from no element can depend on memory an earlier "
            "call left behind, so they are not shown"
        )
    if subject.startswith("nondeterministic:"):
        who = b.t if subject.endswith("target") else b.s
        return (
            f"{who} returns different values each time the same call runs ({len(g.cases)} case(s), "
            "each run three times): the output is not defined by the input"
        )
    max_abs = max(c.max_abs for c in g.comparisons)
    max_rel = max(c.max_rel for c in g.comparisons)
    elements = sum(c.mismatched for c in g.comparisons)
    where = "; ".join(sorted(n for n in g.notes if n.startswith("in ")))
    dtype, _, given = subject.partition("+")
    # A call without a tensor input (torch.full) has no input dtype to name: the subject is "values".
    inputs = f" with {dtype} inputs" if dtype != "values" else ""
    head = f"values differ{f' {where}' if where else ''} on {len(g.cases)} case(s){inputs}"
    if given:  # the parameter the row was split by
        values = _list({_value_text(c, given) for c in g.cases})
        head += f" where `{given}` is given ({values})"
    if max_abs == 0:
        # NaN or inf against a number has no error size: "max abs error 0" would read as agreement.
        return f"{head} ({elements} element(s) where NaN or infinities differ; {_reference_clause(b, g)})"
    nonfinite = sum(c.nonfinite for c in g.comparisons)
    # The error sizes cover finite elements only: say when NaN or inf placement differs too.
    also = f", {nonfinite} of them where NaN or infinities differ" if nonfinite else ""
    return (
        f"{head} ({elements} element(s){also}; max abs error {max_abs:.3g}, max rel error {max_rel:.3g}; "
        f"{_reference_clause(b, g)})"
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
        return f"{raises} {_fails(g)} on {what.get(kind, kind)} where {returns} returns ({_list(dtypes)})"
    shapes = sorted(n for n in g.notes if n.startswith("output shapes"))
    extra = f"; {shapes[0]}" if shapes else ""
    return (
        f"results differ on {what.get(subject, subject)} ({_list(dtypes)}{extra}); {_reference_clause(b, g)}"
    )


def _sum_input_dtype(b: _Builder, subject: str, dtypes: tuple[str, ...], g: _Group) -> str:
    raises, returns = _side(b, subject)
    name = subject.split(":", 1)[1]
    what = f"{name} inputs" if "=" not in name else f"`{name}`"
    return f"{raises} {_fails(g)} on {what} where {returns} returns ({_share(g)})"


def _sum_shape(b: _Builder, subject: str, dtypes: tuple[str, ...], g: _Group) -> str:
    if subject.startswith("output_shape"):
        example = g.common_notes()  # the most frequent pair of shapes
        shown = f" (e.g. {example[0]})" if example else ""
        return f"output shapes differ on {len(g.cases)} case(s){shown}"
    raises, returns = _side(b, subject)
    what = subject.split(":", 1)[1]
    quoted = f"`{what}`" if "=" in what else what
    what = size_words(what) or quoted  # a dims:<name> facet: the size a creation op was asked for
    return f"{raises} {_fails(g)} on {what} where {returns} returns ({_share(g)})"


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
    return f"{raises} {_fails(g)} on valid input where {returns} returns ({len(g.cases)} case(s))"


def _sum_device(b: _Builder, subject: str, dtypes: tuple[str, ...], g: _Group) -> str:
    count = f"({len(g.cases)} case(s))"
    if subject != "target_rejects_all":
        return f"{b.t} on {b.device} differs from {b.t} on cpu: {subject} {count}"
    where = f"on every valid case on {b.device}, where {b.s} returns"
    return f"{b.target.api} raises {where} {count}; see the error for the cause"


_SUMMARIES: dict[DiffKind, Callable[[_Builder, str, tuple[str, ...], _Group], str]] = {
    DiffKind.PARAM_ONLY_IN_ONE: _sum_param_only,
    DiffKind.OUTPUT_DTYPE: _sum_output_dtype,
    DiffKind.OUTPUT_STRUCTURE: _sum_output_structure,
    DiffKind.PRECISION: _sum_precision,
    DiffKind.ORDERING: _sum_ordering,
    DiffKind.PARAM_VALUE_SUPPORT: _sum_param_value,
    DiffKind.VALUE_MISMATCH: _sum_values,
    DiffKind.SPECIAL_VALUES: _sum_special,
    DiffKind.INPUT_DTYPE_SUPPORT: _sum_input_dtype,
    DiffKind.SHAPE_SUPPORT: _sum_shape,
    DiffKind.ERROR_BEHAVIOR: _sum_error,
    DiffKind.DEVICE_SUPPORT: _sum_device,
}
