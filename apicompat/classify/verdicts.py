"""A target's verdict, in the words of MindSpore's mapping table, earned by its evidence ledger.

- "Consistent": nothing worse than `minor`, and every parameter both sides have ran on both sides;
- "Consistent, but …": only `interface` differences (names, defaults, a one-sided parameter);
- "Differs: <the worst difference in one phrase>": a `silent` or `loud` difference;
- "Not runnable on <device>: <why>": the target raises on every valid case there (or "Not runnable
  with PyTorch's arguments: <why>" when every call raises TypeError: the calls do not fit);
- "Not measured: …": nothing worse than `interface` was seen, but the ledger has gaps.
"""

from __future__ import annotations

from collections.abc import Sequence

from apicompat.classify.precision import SINGLE
from apicompat.generate.sizes import size_words
from apicompat.records import Difference, DiffKind, Evidence, Severity, Verdict, VerdictKind
from apicompat.records.history import AFTER_CALLS

#: Subjects that say a target cannot run at all on a device.
NOT_RUNNABLE_SUBJECTS = ("target_rejects_all", "target_rejects:every_valid_case")
#: The subject of "every valid call raises TypeError": the spec's calls do not fit the target.
CALL_MISFIT = "target_rejects:every_valid_case"


def is_not_runnable(diff: Difference) -> bool:
    """Whether a difference says the target raises on every valid case of a device."""
    return diff.subject.split("@", 1)[0] in NOT_RUNNABLE_SUBJECTS


def verdict_for(
    differences: Sequence[Difference], evidence: Evidence | None, source_name: str, target_name: str
) -> Verdict:
    """The verdict from the differences no other one explains, and the evidence behind them."""
    standing = [d for d in differences if d.explained_by is None]
    blocked = [d for d in standing if is_not_runnable(d)]
    if blocked:
        first = min(blocked, key=lambda d: d.device or "")
        # A TypeError from every call is the calls not fitting the signature (mindspore.ops.logspace
        # takes tensors for start and end), not the device lacking a kernel.
        where = "with PyTorch's arguments" if first.subject.startswith(CALL_MISFIT) else f"on {first.device}"
        return Verdict(VerdictKind.NOT_RUNNABLE, f"Not runnable {where}: {_why(first)}", Severity.LOUD)
    worst = min((d.severity for d in standing), key=lambda s: s.rank, default=None)
    if worst in (Severity.SILENT, Severity.LOUD):
        top = _headline(standing, worst)
        serious = [d for d in standing if d.severity in (Severity.SILENT, Severity.LOUD)]
        others = len({d.kind for d in serious} - {top[0].kind})
        more = f" (and {others} more kind{'s' if others != 1 else ''} of difference)" if others else ""
        return Verdict(VerdictKind.DIFFERS, f"Differs: {phrases(top, source_name)}{more}", worst)
    gaps = _gaps(evidence)
    if gaps:
        return Verdict(VerdictKind.NOT_MEASURED, f"Not measured: {gaps}", worst)
    if worst is Severity.INTERFACE:
        return Verdict(VerdictKind.CONSISTENT_INTERFACE, _interface_text(standing, target_name), worst)
    return Verdict(VerdictKind.CONSISTENT, "Consistent", worst)


def _headline(standing: Sequence[Difference], worst: Severity) -> list[Difference]:
    """What a reader should hear of first: of the worst severity, the kind seen on the most cases."""
    by_kind: dict[DiffKind, list[Difference]] = {}
    for diff in standing:
        if diff.severity is worst:
            by_kind.setdefault(diff.kind, []).append(diff)
    kind = max(by_kind, key=lambda k: (sum(d.case_count for d in by_kind[k]), -_KIND_ORDER.index(k)))
    return sorted(by_kind[kind], key=lambda d: (-d.case_count, d.subject))


def phrases(diffs: Sequence[Difference], source_name: str) -> str:
    """One phrase for one or several differences of one kind (output dtypes are listed together)."""
    if diffs[0].kind is DiffKind.OUTPUT_DTYPE and len(diffs) > 1:
        got = ", ".join(dict.fromkeys(str(d.details.get("target", "")) for d in diffs))
        want = " or ".join(dict.fromkeys(str(d.details.get("source", "")) for d in diffs))
        return f"returns {got} where {source_name} returns {want}"
    return phrase(diffs[0], source_name)


_KIND_ORDER = list(DiffKind)


def _gaps(evidence: Evidence | None) -> str:
    if evidence is None:
        return ""
    if evidence.compared == 0:
        return "no case returned on both sides"
    if evidence.unexercised:
        names = ", ".join(f"`{p}`" for p in evidence.unexercised)
        return f"no case with {names} ran on both sides"
    return ""


def _interface_text(standing: Sequence[Difference], target_name: str) -> str:
    kinds = {d.kind for d in standing if d.severity is Severity.INTERFACE}
    parts = []
    if DiffKind.PARAM_NAME in kinds:
        parts.append("parameter names differ")
    if DiffKind.PARAM_DEFAULT in kinds:
        parts.append("default values differ")
    one_sided = [d for d in standing if d.kind is DiffKind.PARAM_ONLY_IN_ONE]
    missing = sorted({d.source_param for d in one_sided if d.source_param})
    extra = sorted({d.target_param for d in one_sided if d.target_param and not d.source_param})
    if missing:
        parts.append(f"{target_name} lacks " + ", ".join(f"`{p}`" for p in missing if p))
    if extra:
        parts.append(f"{target_name} adds " + ", ".join(f"`{p}`" for p in extra if p))
    return "Consistent, but " + "; ".join(parts) if parts else "Consistent"


def _why(diff: Difference) -> str:
    """The error that stops every call, as the classifier recorded it."""
    notes = diff.details.get("notes") or []
    if isinstance(notes, list) and notes:
        return str(notes[0])
    target = diff.details.get("target")
    return str(target) if target else "raises on every valid case"


def phrase(diff: Difference, source_name: str) -> str:
    """One plain phrase for a difference, for verdicts and the index."""
    subject = diff.subject.split("@", 1)[0]
    item = subject.split(":", 1)[1] if ":" in subject else subject
    src, tgt = diff.details.get("source", ""), diff.details.get("target", "")
    kind = diff.kind
    if kind is DiffKind.OUTPUT_DTYPE:
        return f"returns {tgt} where {source_name} returns {src}"
    if kind is DiffKind.OUTPUT_STRUCTURE:
        return f"returns {tgt} where {source_name} returns {src}"
    if kind is DiffKind.PRECISION:
        probe, _, dtype = subject.partition(":")
        if probe == "single":
            return f"computes {dtype} at {SINGLE.get(dtype, 'lower')} precision"
        what = "long" if probe == "long" else "large-offset" if probe == "offset" else "large"
        return f"loses precision on {what} {dtype} inputs"
    if kind is DiffKind.ORDERING:
        return "returns the same values in another order"
    if kind is DiffKind.PARAM_DEFAULT:
        return f"the default of `{diff.source_param}` differs, which changes results"
    if kind is DiffKind.VALUE_MISMATCH:
        if subject == "empty_input":
            return "returns other values for empty inputs, computed from no element"
        if subject.startswith("nondeterministic"):
            return "returns different values on each run"
        if subject == "shared_outputs":
            return "different values"
        dtype, _, given = subject.partition("+")
        return f"different values on {dtype} inputs" + (f" with `{given}` given" if given else "")
    if kind is DiffKind.SPECIAL_VALUES and not subject.startswith("target_"):
        return f"handles {_SPECIAL.get(subject, subject)} differently"
    if kind is DiffKind.SHAPE_SUPPORT and subject.startswith("output_shape"):
        return "returns other output shapes"
    if kind is DiffKind.DEVICE_SUPPORT:
        return diff.summary
    if subject == AFTER_CALLS:
        return f"fails after earlier calls in the same process, where {source_name} returns"
    if subject.startswith("target_rejects"):
        return f"raises on {_object(kind, item)} where {source_name} returns"
    return diff.summary


_SPECIAL = {"nan_inf": "NaN and ±inf", "overflow": "overflowing values", "signed_zero": "the sign of zero"}


def _object(kind: DiffKind, item: str) -> str:
    words = size_words(item)  # a creation op's size: `size` given as separate ints, a 0-d `size`
    if words is not None:
        return words
    if kind is DiffKind.PARAM_VALUE_SUPPORT or "=" in item:
        return f"`{item}`"
    if kind is DiffKind.INPUT_DTYPE_SUPPORT:
        return f"{item} inputs"
    if kind is DiffKind.SPECIAL_VALUES:
        return _SPECIAL.get(item, item)
    if item == "valid_input":
        return "valid input"
    return item
