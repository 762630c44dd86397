"""Static check: compare parameter lists from the spec and the live signatures.

The live signatures drive the page's parameter table: every parameter either side
takes gets a row, declared in the spec or not, so a one-sided `out=` is never
invisible. Where the spec names a parameter the live signature lacks (spec drift),
the row says so and no name difference is claimed from the spec's word alone.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

from apicompat.classify.severity import severity_of
from apicompat.compare.names import display_name
from apicompat.records import (
    Difference,
    DiffKind,
    Implementation,
    Overload,
    ParamInfo,
    ParamRow,
    SignatureInfo,
)
from apicompat.spec.suggest import did_you_mean, one_of

_VARIADIC = ("VAR_POSITIONAL", "VAR_KEYWORD")
_POSITIONAL = ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD")
#: What the table says of a parameter the spec does not declare.
NOT_DECLARED = "not exercised: the spec does not declare it"


@dataclass(frozen=True)
class StaticResult:
    """Parameter differences, the page's parameter rows, and spec drift."""

    differences: tuple[Difference, ...]
    rows: tuple[ParamRow, ...]
    drift: tuple[str, ...]


@dataclass(frozen=True)
class SignatureProblem:
    """Where a spec disagrees with a live signature, relative to the implementation's key."""

    key: str  # "params.dim", "positional[1]", "overloads[0]"
    message: str
    hint: str | None = None
    drift: bool = True  # a name or order the live signature contradicts; False: a misused spec key


def live(sig: SignatureInfo | None) -> bool:
    """Whether `sig` was read from the callable (not rebuilt from the spec)."""
    return sig is not None and sig.origin != "spec"


def selects(params: Sequence[ParamInfo], names: Sequence[str]) -> bool:
    """An overload is selected by names it takes all of, when it requires no name left out."""
    return set(names) <= _taken(params) and _required(params) <= set(names)


def select_overloads(
    sig: SignatureInfo, impl: Implementation, receiver: str | None, required: Sequence[str] = ()
) -> SignatureInfo:
    """`sig` with each overload marked covered or not: by the spec's `overloads`; else an overload
    is covered when it takes every name of the spec's `required` parameters and requires only
    names the spec maps (torch.max(input, dim, keepdim) yes, max(input) and max(input, other) no)."""
    if not sig.overloads:
        return sig
    if impl.overloads:
        marked = tuple(
            dataclasses.replace(o, covered=any(selects(o.params, names) for names in impl.overloads))
            for o in sig.overloads
        )
    else:
        mapped = set(mapped_names(impl, receiver))
        needed = {n for c in required if (n := impl.name_of.get(c, c)) is not None} & mapped
        marked = tuple(
            dataclasses.replace(o, covered=needed <= _taken(o.params) and _required(o.params) <= mapped)
            for o in sig.overloads
        )
    return dataclasses.replace(sig, overloads=marked)


def _taken(params: Sequence[ParamInfo]) -> set[str]:
    # `*size` takes the name a spec maps: torch.zeros(*size) is called as zeros(2, 3) (kind size).
    return {p.name for p in params if p.kind != "VAR_KEYWORD"}


def _required(params: Sequence[ParamInfo]) -> set[str]:
    return {p.name for p in params if p.default is None and p.kind not in _VARIADIC}


def mapped_names(impl: Implementation, receiver: str | None) -> tuple[str, ...]:
    """The names the spec passes to `impl` (a method's receiver is `self`, not a parameter)."""
    return tuple(
        name
        for canonical, name in impl.params
        if name is not None and not (impl.method and canonical == receiver)
    )


def live_params(sig: SignatureInfo | None) -> tuple[ParamInfo, ...]:
    """The parameters of the covered overloads (all of the signature's when it has one form)."""
    if sig is None or not live(sig):
        return ()
    covered = [o for o in sig.overloads if o.covered]
    if not covered:
        return tuple(p for p in sig.params if p.name != "self")
    seen: dict[str, ParamInfo] = {}
    for overload in covered:
        for p in overload.params:
            # torch.zeros(*size) and zeros(size): the form that takes the name by keyword describes it.
            if p.name not in seen or (seen[p.name].kind == "VAR_POSITIONAL" and p.kind != "VAR_POSITIONAL"):
                seen[p.name] = p
    return tuple(_optional_in_some_form(p, covered) for p in seen.values())


def _optional_in_some_form(param: ParamInfo, forms: Sequence[Overload]) -> ParamInfo:
    """`param` as the covered forms together take it: a default one form gives (torch documents
    `prod(input, *, dtype)` beside `prod(input, dim, ..., *, dtype=None)`), else optional (`None`)
    where a form returning the same thing lacks it (`prod(input)` reduces every dimension). A form
    that returns something else (`max(input)` against `max(input, dim)`) is another function."""
    if param.default is not None or param.kind in _VARIADIC:
        return param
    having = [o for o in forms if param.name in _taken(o.params)]
    given = next((p.default for o in having for p in o.params if p.name == param.name and p.default), None)
    returns = {_returns(o) for o in having}
    if given is None and any(_returns(o) in returns for o in forms if o not in having):
        given = "None"
    return param if given is None else dataclasses.replace(param, default=given)


def _returns(overload: Overload) -> str:
    """What a form returns, without ATen's alias annotations (`Tensor(a)` is `Tensor`)."""
    text = overload.text.rpartition(") -> ")[2] if ") -> " in overload.text else ""
    return re.sub(r"\([a-z!]+\)", "", text).strip()


def _names(sig: SignatureInfo | None) -> list[str]:
    return [p.name for p in live_params(sig) if p.kind not in _VARIADIC]


def _star_args(sig: SignatureInfo | None) -> set[str]:
    """The name of a live `*args` parameter (MindSpore's `Tensor.expand(*size)`): a name the
    signature has, though only by position."""
    return {p.name for p in live_params(sig) if p.kind == "VAR_POSITIONAL"}


def signature_problems(
    impl: Implementation, sig: SignatureInfo | None, receiver: str | None
) -> list[SignatureProblem]:
    """Overload selectors that match nothing, mapped names the live signature lacks, and
    positional lists whose order is not the live one."""
    if sig is None or not live(sig):
        return []
    problems = _overload_problems(impl, sig)
    if problems:
        return problems
    params = live_params(sig)
    # Every form the callable has (each overload, docstring lines and ATen schemas alike): a name or
    # an order that one of them accepts is a call that can work; the keyword calls measure which.
    forms = [tuple(p for p in o.params if p.name != "self") for o in sig.overloads] + [params]
    if any(p.kind in _VARIADIC for form in forms for p in form):
        return []  # *args or **kwargs take any name or order; the calls will tell
    names = list(dict.fromkeys(p.name for form in forms for p in form))
    has = one_of(names) or "no parameters"
    for canonical, name in impl.params:
        if name is None or (impl.method and canonical == receiver) or name in names:
            continue
        mapped = f"the spec maps '{canonical}' to '{name}', but " if name != canonical else ""
        problems.append(
            SignatureProblem(
                f"params.{canonical}",
                f"{mapped}{impl.api} has no parameter '{name}'; its live signature {sig.text} has: {has}",
                did_you_mean(name, names)
                # The live callable may take the canonical name itself (a spec mapped it needlessly).
                or (f"did you mean '{canonical}'?" if canonical in names else None)
                or f"map '{canonical}' to one of {has}, or to null",
            )
        )
    if not problems and not (impl.method and sig.origin != "inspect"):
        # A method's docstring line (torch's Tensor methods) names its parameters loosely and drops
        # `self`: its order is not checked here; the positional calls measure it.
        found = [_order_problems(impl, form, sig, receiver) for form in forms if form]
        if found and all(found):
            problems += found[-1]  # no form takes that order: say it against the live signature
    return problems


def _overload_problems(impl: Implementation, sig: SignatureInfo) -> list[SignatureProblem]:
    forms = [o.params for o in sig.overloads] or [sig.params]
    texts = [o.text for o in sig.overloads] or [sig.text]
    problems = []
    for j, names in enumerate(impl.overloads):
        if not any(selects(params, names) for params in forms):
            problems.append(
                SignatureProblem(
                    f"overloads[{j}]",
                    f"[{', '.join(names)}] selects no overload of {impl.api}; it has: {'; '.join(texts)}",
                    "list an overload's parameter names: every required one, and optional ones at will",
                    drift=False,
                )
            )
    return problems


def _order_problems(
    impl: Implementation, params: tuple[ParamInfo, ...], sig: SignatureInfo, receiver: str | None
) -> list[SignatureProblem]:
    """The spec's positional list against the live positional parameters, slot by slot."""
    slots: list[str] = []
    for p in params:
        if p.kind == "VAR_POSITIONAL":
            return []  # *args takes any order; the calls will tell
        if p.kind in _POSITIONAL:
            slots.append(p.name)
    kinds = {p.name: p.kind for p in params}
    order = [c for c in impl.positional if not (impl.method and c == receiver)]
    offset = len(impl.positional) - len(order)
    for j, canonical in enumerate(order):
        name = impl.name_of.get(canonical) or canonical
        key = f"positional[{j + offset}]"
        if kinds.get(name) == "KEYWORD_ONLY":
            return [
                SignatureProblem(
                    key,
                    f"'{canonical}' is passed positionally, but '{name}' is keyword-only in {sig.text}",
                    f"remove '{canonical}' from positional",
                )
            ]
        if j >= len(slots) or slots[j] != name:
            where = f"slot {j + 1} is '{slots[j]}'" if j < len(slots) else f"it takes {len(slots)}"
            return [
                SignatureProblem(
                    key,
                    f"'{canonical}' ('{name}' here) is passed as positional argument {j + 1} of {impl.api}, "
                    f"but {where} in its live signature {sig.text}",
                    f"list positional in the live order: {one_of(slots[: len(order)])}",
                )
            ]
    return []


def static_check(
    params: tuple[str, ...],
    source: Implementation,
    target: Implementation,
    source_sig: SignatureInfo | None,
    target_sig: SignatureInfo | None,
) -> StaticResult:
    """Compare canonical parameters as each side names them, their live defaults, and every live
    parameter the spec does not declare."""
    s_name, t_name = display_name(source.framework), display_name(target.framework)
    s_defaults, t_defaults = _defaults(source_sig), _defaults(target_sig)
    s_live, t_live = _names(source_sig), _names(target_sig)
    s_free, t_free = _free(source_sig), _free(target_sig)
    s_star, t_star = _star_args(source_sig), _star_args(target_sig)
    checked = "signature" if live(source_sig) and live(target_sig) else ""
    diffs: list[Difference] = []
    rows: list[ParamRow] = []
    claimed: set[str] = set()  # target names a row already shows
    for canonical in params:
        sp, tp = source.name_of.get(canonical, canonical), target.name_of.get(canonical, canonical)
        receiver = canonical == params[0]  # a method's receiver is `self`, in no signature
        s_lost = sp is not None and live(source_sig) and not s_free and sp not in s_live and sp not in s_star
        t_lost = tp is not None and live(target_sig) and not t_free and tp not in t_live and tp not in t_star
        s_lost, t_lost = (
            s_lost and not (source.method and receiver),
            t_lost and not (target.method and receiver),
        )
        if s_lost or t_lost:
            rows.append(_drift_row(canonical, sp, tp, s_lost, t_lost, source, target, t_live, claimed))
            continue
        notes = []
        if tp is None:
            notes.append(f"Not involved: {s_name} only")
            diffs.append(
                _diff(DiffKind.PARAM_ONLY_IN_ONE, canonical, sp, None, f"`{sp}` exists only in {s_name}")
            )
        elif sp is None:
            notes.append(f"Not involved: {t_name} only")
            diffs.append(
                _diff(DiffKind.PARAM_ONLY_IN_ONE, canonical, None, tp, f"`{tp}` exists only in {t_name}")
            )
        elif sp != tp:
            notes.append("Same function, different parameter names")
            diffs.append(
                _diff(DiffKind.PARAM_NAME, canonical, sp, tp, f"{s_name} `{sp}` is called `{tp}` in {t_name}")
            )
        for name, star, side in ((sp, s_star, s_name), (tp, t_star, t_name)):
            if name in star and not (sp in s_star and tp in t_star):
                notes.append(f"{side}'s signature takes `*{name}`")
        if tp is not None:
            claimed.add(tp)
        if (
            sp
            and tp
            and sp in s_defaults
            and tp in t_defaults
            and not _same_default(canonical, s_defaults[sp], t_defaults[tp], source, target)
        ):
            sd, td = s_defaults[sp] or "required", t_defaults[tp] or "required"
            notes.append(f"Default differs: {sd} vs {td}")
            diffs.append(
                _diff(
                    DiffKind.PARAM_DEFAULT,
                    canonical,
                    sp,
                    tp,
                    f"`{sp}` defaults to {sd} in {s_name}, {td} in {t_name}",
                )
            )
        # A one-sided row is read from signatures too: the live source has it (else: drift above).
        rows.append(ParamRow(canonical, sp, tp, "; ".join(notes) or "-", checked if sp or tp else ""))
    declared_source = {source.name_of.get(p, p) for p in params}
    for extra in s_live:
        if extra in declared_source:
            continue
        if extra in t_live and extra not in claimed:
            claimed.add(extra)
            rows.append(ParamRow("-", extra, extra, f"Same name; {NOT_DECLARED}", "signature"))
            continue
        rows.append(ParamRow("-", extra, None, f"{s_name} only; {NOT_DECLARED}", "signature"))
        summary = f"`{extra}` exists only in {s_name} (the spec does not declare it)"
        diffs.append(_diff(DiffKind.PARAM_ONLY_IN_ONE, f"{s_name}:{extra}", extra, None, summary))
    for extra in t_live:
        if extra in claimed:
            continue
        rows.append(ParamRow("-", None, extra, f"Not involved: {t_name} only", "signature"))
        diffs.append(
            _diff(
                DiffKind.PARAM_ONLY_IN_ONE,
                f"{t_name}:{extra}",
                None,
                extra,
                f"`{extra}` exists only in {t_name}",
            )
        )
    drift = _drift(params, source, source_sig) + _drift(params, target, target_sig)
    return StaticResult(tuple(diffs), tuple(rows), tuple(drift))


def _drift_row(
    canonical: str,
    sp: str | None,
    tp: str | None,
    s_lost: bool,
    t_lost: bool,
    source: Implementation,
    target: Implementation,
    t_live: list[str],
    claimed: set[str],
) -> ParamRow:
    """The row of a parameter whose mapped name a live signature lacks: what each side really
    has, never a name difference taken from the spec's word alone."""
    lost = [
        f"{impl.api} has no `{name}`"
        for impl, name, gone in ((source, sp, s_lost), (target, tp, t_lost))
        if gone
    ]
    shown_target = tp
    if t_lost and sp in t_live and sp not in claimed:
        shown_target = sp  # the live target takes the source's own name: the likely counterpart
        claimed.add(sp)
        lost.append(f"its live signature has `{sp}`")
    elif tp is not None and not t_lost:
        claimed.add(tp)
    return ParamRow(
        canonical,
        None if s_lost else sp,
        None if t_lost and shown_target == tp else shown_target,
        "Spec drift: " + "; ".join(lost) + " (not compared)",
        "signature",
    )


def _free(sig: SignatureInfo | None) -> bool:
    """Whether the live signature takes any keyword (**kwargs): then no name can be missing."""
    return any(p.kind == "VAR_KEYWORD" for p in live_params(sig))


def _diff(kind: DiffKind, subject: str, sp: str | None, tp: str | None, summary: str) -> Difference:
    return Difference(
        kind=kind,
        summary=summary,
        subject=subject,
        source_param=sp,
        target_param=tp,
        severity=severity_of(kind, subject),
    )


def _defaults(sig: SignatureInfo | None) -> dict[str, str | None]:
    return {p.name: p.default for p in live_params(sig) if p.kind not in _VARIADIC}


def _drift(params: tuple[str, ...], impl: Implementation, sig: SignatureInfo | None) -> list[str]:
    """Where the spec's names or positional order disagree with the live signature."""
    return [p.message for p in signature_problems(impl, sig, params[0] if params else None) if p.drift]


def _same_default(
    canonical: str,
    source_default: str | None,
    target_default: str | None,
    source: Implementation,
    target: Implementation,
) -> bool:
    """Whether two defaults mean the same once the spec's value maps translate them (torch's
    `unbiased=True` is `correction=1`): a difference only in how a value is spelled is none."""
    if source_default == target_default:
        return True
    if source_default is None or target_default is None:
        return False
    try:
        src, tgt = ast.literal_eval(source_default), ast.literal_eval(target_default)
    except (ValueError, SyntaxError):
        return False
    try:
        canonical_value = _canonical_value(canonical, src, source)
        return bool(target.native_value(canonical, canonical_value) == tgt) and type(
            target.native_value(canonical, canonical_value)
        ) is type(tgt)
    except ValueError:
        return False


def _canonical_value(canonical: str, native: object, impl: Implementation) -> object:
    """The canonical value whose form in `impl` is `native` (the inverse of its value map)."""
    for name, pairs in impl.value_map:
        if name == canonical:
            for before, after in pairs:
                if type(after) is type(native) and after == native:
                    return before
            raise ValueError(f"no value_map entry gives {native!r}")
    return native
