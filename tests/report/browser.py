"""Headless Chromium for the HTML site's tests: Debian's `chromium`, driven by Playwright.

Playwright (a dev dependency) talks to the browser over its DevTools pipe; it is
pointed at the system browser (`/usr/bin/chromium`, or APICOMPAT_CHROMIUM) and never
downloads one. Where either is missing the tests skip and say which and how to get it.
Every request a page makes is logged, and any that is not for a file:// URL is
aborted, so a test can assert that nothing left the site.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

#: Flags that work as root in a container: no sandbox, no GPU, nothing that phones home.
#: (Playwright adds --headless itself, and a fresh --user-data-dir per launch.)
FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

#: Where the screenshots are copied for people to look at (gitignored; docs/report-format.md).
ARTIFACTS = Path(__file__).resolve().parents[2] / ".artifacts" / "html"


def chromium_path() -> str:
    """The system Chromium, or skip saying how to install it."""
    wanted = os.environ.get("APICOMPAT_CHROMIUM")
    found = wanted if wanted and Path(wanted).is_file() else None
    found = found or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.skip(
            "no Chromium browser: install Debian's package (apt-get install chromium) to run this test"
        )
    return found


@contextmanager
def launch() -> Iterator[Browser]:
    """A headless Chromium with a fresh profile (Playwright makes a temporary one per launch)."""
    executable = chromium_path()
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed: pip install -e '.[dev]' (it uses the system Chromium)")
    with sync_playwright() as driver:
        try:
            browser = driver.chromium.launch(executable_path=executable, args=list(FLAGS), headless=True)
        except Error as exc:
            pytest.skip(f"Chromium at {executable} did not start: {str(exc).splitlines()[0]}")
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Visit:
    """A page with every request it made, and every error its scripts or console reported."""

    page: Page
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@contextmanager
def visit(browser: Browser, path: Path, *, javascript: bool = True, width: int = 1280) -> Iterator[Visit]:
    """Open a file of the site in a fresh context; requests off file:// are logged and aborted."""
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": width, "height": 900})
    page = context.new_page()
    seen = Visit(page)

    def route(route: Any) -> None:
        url = route.request.url
        seen.requests.append(url)
        if url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", route)
    page.on("console", lambda msg: seen.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: seen.errors.append(str(exc)))
    try:
        page.goto(path.resolve().as_uri())
        yield seen
    finally:
        context.close()


def screenshot(page: Page, tmp_path: Path, name: str, *, full_page: bool = False) -> Path:
    """A PNG of the page in the test's tmp dir, copied to .artifacts/html/ for people to look at."""
    shot = tmp_path / name
    # A full page of the index grows with the shipped specs (90,000 px at 346): on a loaded machine
    # its capture takes more than Playwright's default 30 s.
    page.screenshot(path=str(shot), full_page=full_page, timeout=120_000 if full_page else 30_000)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, ARTIFACTS / name)
    return shot
