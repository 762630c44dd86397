"""How a long run shows its progress: a live bar on a terminal, one line per spec elsewhere, or silence.

Three modes, chosen by `make_progress`:
- **bar** (stdout and stderr are terminals, not CI): a rich progress bar on stderr with specs
  done / total, the current spec, cases per second, elapsed and remaining time; the per-spec
  lines print above it.
- **lines** (CI, a pipe, a file, TERM=dumb): the one-line-per-spec log, `apicompat: running …`
  on stderr and each command's summary line on stdout, exactly as before the bar existed.
- **quiet** (`--quiet`): nothing per spec; errors and the command's final summary still print.

The bar draws on stderr only and only when stdout is a terminal too, so it can never end up
inside a report, a JSON or anything else a pipe or redirect collects. rich is imported only
when the bar is drawn.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


class RunProgress:
    """The one-line-per-spec log (the mode for CI and pipes); the other modes override it."""

    def __init__(self, stdout: IO[str] | None = None, stderr: IO[str] | None = None) -> None:
        # Resolved when used, so pytest's capture (which swaps sys.stdout) sees the output.
        self._stdout = stdout
        self._stderr = stderr

    @property
    def out(self) -> IO[str]:
        """Where the command's per-spec lines go."""
        return self._stdout if self._stdout is not None else sys.stdout

    @property
    def err(self) -> IO[str]:
        """Where the log of what runs goes."""
        return self._stderr if self._stderr is not None else sys.stderr

    def __enter__(self) -> RunProgress:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def start(self, total: int) -> None:
        """A run of `total` specs begins."""

    def spec_started(self, spec_id: str, api: str) -> None:
        """A spec starts running."""
        print(f"apicompat: running {spec_id} ({api})", file=self.err, flush=True)

    def spec_finished(self, spec_id: str, cases: int, line: str | None = None) -> None:
        """A spec finished after `cases` executed cases; `line` is the command's summary of it."""
        if line is not None:
            print(line, file=self.out, flush=True)

    def note(self, text: str) -> None:
        """Information about the run that is neither an error nor a result (e.g. a shard's specs)."""
        print(text, file=self.err, flush=True)

    def close(self) -> None:
        """The run ended (finished, failed or interrupted)."""


class QuietProgress(RunProgress):
    """`--quiet`: nothing per spec; errors and final summaries are the commands' own prints."""

    def spec_started(self, spec_id: str, api: str) -> None:
        """Say nothing."""

    def spec_finished(self, spec_id: str, cases: int, line: str | None = None) -> None:
        """Say nothing."""

    def note(self, text: str) -> None:
        """Say nothing."""


class BarProgress(RunProgress):
    """A rich progress bar: specs done / total, current spec, cases per second, elapsed, remaining."""

    def __init__(self, console: Console | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._console = console if console is not None else Console(stderr=True)
        self._clock = clock
        self._started = clock()
        self._cases = 0
        self._progress = Progress(
            TextColumn("[bold]apicompat[/bold]"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("specs"),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[current]}"),
            console=self._console,
            # Workers log to their own files; a stray print from this process goes above the bar.
            redirect_stdout=True,
            redirect_stderr=True,
        )
        self._task = self._progress.add_task("run", total=None, rate="", current="")

    def start(self, total: int) -> None:
        """Show the bar with its total."""
        self._started = self._clock()
        self._progress.update(self._task, total=total)
        self._progress.start()

    def spec_started(self, spec_id: str, api: str) -> None:
        """Name the spec that runs now."""
        self._progress.update(self._task, current=f"{spec_id} ({api})")

    def spec_finished(self, spec_id: str, cases: int, line: str | None = None) -> None:
        """Advance the bar, update the rate, and print the command's line above the bar."""
        self._cases += cases
        elapsed = max(self._clock() - self._started, 1e-9)
        self._progress.update(self._task, advance=1, rate=f"{self._cases / elapsed:,.0f} cases/s", current="")
        if line is not None:
            self._progress.console.print(line, markup=False, highlight=False, soft_wrap=True)

    def note(self, text: str) -> None:
        """Print above the bar."""
        self._progress.console.print(text, markup=False, highlight=False, soft_wrap=True)

    def close(self) -> None:
        """Stop redrawing; the last state of the bar stays on screen."""
        self._progress.stop()


def make_progress(
    quiet: bool = False,
    *,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> RunProgress:
    """Quiet with `--quiet`; a bar when both stdout and stderr are terminals outside CI; else lines."""
    if quiet:
        return QuietProgress()
    env = os.environ if environ is None else environ
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    if _in_ci(env) or env.get("TERM") == "dumb" or not (_isatty(out) and _isatty(err)):
        return RunProgress()
    return BarProgress()


def _in_ci(env: Mapping[str, str]) -> bool:
    """CI=true (GitHub, GitLab, most runners) or a runner's own marker."""
    flag = env.get("CI", "").strip().lower()
    return flag not in ("", "0", "false", "no") or any(
        env.get(name) for name in ("GITHUB_ACTIONS", "GITLAB_CI", "BUILDKITE", "JENKINS_URL", "TF_BUILD")
    )


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed, or not a real file
        return False
