"""What a worker found at an import path: the callable, or where the path stopped and why."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Resolution:
    """The outcome of resolving one `api` in its framework's worker.

    A path that stops early names the object it reached (`owner`, e.g. module
    `mindspore.ops`), the attribute it lacks, and that object's public names, so the
    session can suggest the closest one without importing the framework itself.
    """

    api: str
    ok: bool
    owner: str = ""  # how far the path resolved: "module 'mindspore.ops'", "class 'Tensor'"
    missing: str | None = None  # the attribute the owner lacks
    candidates: tuple[str, ...] = ()  # the owner's public names, for a did-you-mean
    not_callable: str | None = None  # the type of a resolved object that cannot be called
    error: str | None = None  # another failure while importing: "ImportError: ..."

    @property
    def message(self) -> str:
        """Why the path does not name a callable (empty when it does)."""
        if self.ok:
            return ""
        if self.missing is not None:
            return f"{self.owner} has no attribute '{self.missing}'"
        if self.not_callable is not None:
            return f"'{self.api}' is not callable (it is a {self.not_callable})"
        return f"cannot import {self.api}: {self.error or 'unknown error'}"
