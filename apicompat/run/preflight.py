"""Before any case runs: every import path of a spec resolves, and its mapping fits the live signatures.

A typo in an API path, a path to something that cannot be called (`torch.float32`),
a parameter mapped to a name the callable lacks, or a positional order that is not
the live one would otherwise run every case and publish a confident, wrong page.
Each is refused here with the file, line and key, in the words of the loader's
errors. Frameworks are resolved in their workers, never in this process; the NumPy
reference was resolved by the loader.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from apicompat.classify.signatures import select_overloads, signature_problems
from apicompat.execute import Session
from apicompat.records import ApicompatError, Resolution, SignatureInfo, SpecError
from apicompat.spec import ParamKind, Spec
from apicompat.spec.suggest import did_you_mean

_TENSORS = (ParamKind.TENSOR, ParamKind.TENSORS, ParamKind.INDEX, ParamKind.TENSOR_OR_SCALAR)


@dataclass(frozen=True)
class Preflight:
    """What the live frameworks say about a spec before it runs."""

    errors: tuple[SpecError, ...] = ()  # the spec cannot run: refuse it
    drift: tuple[SpecError, ...] = ()  # names or orders a live signature contradicts
    signatures: tuple[tuple[str, SignatureInfo], ...] = ()  # api -> live signature (overloads marked)
    unreadable: tuple[str, ...] = ()  # apis whose live signature could not be read: names unchecked


class SpecRefused(ApicompatError):
    """A spec the live frameworks contradict; every problem found is listed, one per line."""

    def __init__(self, spec: Spec, problems: Sequence[SpecError]) -> None:
        self.spec_id = spec.id
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def receiver(spec: Spec) -> str | None:
    """The canonical parameter a method is called on: the first tensor one."""
    return next((p.name for p in spec.params if p.kind in _TENSORS), None)


def required(spec: Spec) -> tuple[str, ...]:
    """The canonical parameters every case passes."""
    return tuple(p.name for p in spec.params if p.required)


def preflight(spec: Spec, session: Session) -> Preflight:
    """Resolve every implementation of `spec` in its worker and check its mapping against the
    live signature."""
    errors: list[SpecError] = []
    drift: list[SpecError] = []
    signatures: dict[str, SignatureInfo] = {}
    unreadable: list[str] = []
    self_param = receiver(spec)
    for impl in spec.implementations:
        where = spec.key_of(impl)
        found = session.resolve(impl)
        if not found.ok:
            errors.append(_error(spec, f"{where}.api", found.message, _hint(found)))
            continue
        try:
            sig = select_overloads(session.signature(impl), impl, self_param, required(spec))
        except ApicompatError:
            unreadable.append(impl.api)  # the page says the names were not checked
            continue
        signatures[impl.api] = sig
        for problem in signature_problems(impl, sig, self_param):
            error = _error(spec, f"{where}.{problem.key}", problem.message, problem.hint)
            (drift if problem.drift else errors).append(error)
    return Preflight(tuple(errors), tuple(drift), tuple(signatures.items()), tuple(unreadable))


def refuse(spec: Spec, check: Preflight, *, allow_drift: bool) -> None:
    """Raise SpecRefused when the spec cannot run, or has drift that is not allowed."""
    problems = [*check.errors, *(() if allow_drift else check.drift)]
    if problems:
        problems.sort(key=lambda e: e.line or 0)
        raise SpecRefused(spec, problems)


def _error(spec: Spec, key: str, message: str, hint: str | None) -> SpecError:
    return SpecError(spec.path, message, line=spec.line_of(key), key=key, hint=hint)


def _hint(found: Resolution) -> str | None:
    if found.missing is not None:
        return did_you_mean(found.missing, found.candidates) or "check the spelling of the import path"
    if found.not_callable is not None:
        return "name a function, or a class's method with method: true"
    return None
