"""Errors a user can fix: each says what went wrong, where, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass


class ApicompatError(Exception):
    """An error caused by the user's input; the CLI prints it and exits 2."""


@dataclass
class SpecError(ApicompatError):
    """A problem in a spec or case file, located by file, line and key."""

    file: str
    message: str
    line: int | None = None
    key: str | None = None
    hint: str | None = None

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        at = f" at '{self.key}'" if self.key else ""
        text = f"{where}: error{at}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text
