"""Static check: compare parameter lists from the spec and the live signatures."""

from __future__ import annotations

from dataclasses import dataclass

from apicompat.classify.severity import severity_of
from apicompat.compare.names import display_name
from apicompat.records import Difference, DiffKind, Implementation, ParamRow, SignatureInfo

_VARIADIC = ("VAR_POSITIONAL", "VAR_KEYWORD")


@dataclass(frozen=True)
class StaticResult:
    """Parameter differences, the page's parameter rows, and spec drift."""

    differences: tuple[Difference, ...]
    rows: tuple[ParamRow, ...]
    drift: tuple[str, ...]


def static_check(
    params: tuple[str, ...],
    source: Implementation,
    target: Implementation,
    source_sig: SignatureInfo | None,
    target_sig: SignatureInfo | None,
) -> StaticResult:
    """Compare canonical parameters as each side names them, and their live defaults."""
    s_name, t_name = display_name(source.framework), display_name(target.framework)
    s_defaults, t_defaults = _defaults(source_sig), _defaults(target_sig)
    diffs: list[Difference] = []
    rows: list[ParamRow] = []
    for canonical in params:
        sp, tp = source.name_of.get(canonical, canonical), target.name_of.get(canonical, canonical)
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
        if sp and tp and sp in s_defaults and tp in t_defaults and s_defaults[sp] != t_defaults[tp]:
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
        rows.append(ParamRow(canonical, sp, tp, "; ".join(notes) or "-"))
    mapped = {target.name_of.get(p, p) for p in params}
    for extra in _names(target_sig):
        if extra not in mapped:
            rows.append(ParamRow("-", None, extra, f"Not involved: {t_name} only"))
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


def _diff(kind: DiffKind, subject: str, sp: str | None, tp: str | None, summary: str) -> Difference:
    return Difference(
        kind=kind,
        summary=summary,
        subject=subject,
        source_param=sp,
        target_param=tp,
        severity=severity_of(kind, subject),
    )


def _names(sig: SignatureInfo | None) -> list[str]:
    if sig is None or sig.origin == "spec":
        return []
    return [p.name for p in sig.params if p.kind not in _VARIADIC and p.name != "self"]


def _defaults(sig: SignatureInfo | None) -> dict[str, str | None]:
    if sig is None or sig.origin == "spec":
        return {}
    return {p.name: p.default for p in sig.params if p.kind not in _VARIADIC}


def _drift(params: tuple[str, ...], impl: Implementation, sig: SignatureInfo | None) -> list[str]:
    """Spec names a parameter the live signature lacks: the framework changed, or the spec is wrong."""
    if sig is None or sig.origin == "spec" or any(p.kind == "VAR_KEYWORD" for p in sig.params):
        return []
    live = set(_names(sig))
    out = []
    for canonical in params:
        name = impl.name_of.get(canonical, canonical)
        if name is not None and name not in live and not (impl.method and canonical == params[0]):
            out.append(
                f"the spec maps `{canonical}` to `{name}` in {impl.api}, whose live signature "
                f"({sig.origin}) has no such parameter (it has: {', '.join(sorted(live)) or 'none'})"
            )
    return out
