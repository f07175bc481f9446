"""A real headless Chromium (Debian's package) driven by Playwright against a real server.

Screenshots land in ``var/screenshots/`` for a person to look at. Without Chromium the page
tests skip, except with ``CI=true``, where they fail.
"""

import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright

from canteen import db
from tests.conftest import IN_CI, PASSWORD, LiveServer

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture(scope="session")
async def chromium() -> AsyncIterator[Browser]:
    """One Chromium for the whole run of a process: a start costs seconds of CPU on the busy
    test machine, and each test's pages live in contexts of their own anyway."""
    if shutil.which(CHROMIUM) is None:
        if IN_CI:
            pytest.fail("CI=true needs chromium for the page tests (apt-get install chromium)")
        pytest.skip("chromium is not installed")
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        await browser.close()


@pytest.fixture
async def browser(chromium: Browser) -> AsyncIterator[Browser]:
    """The run's Chromium. ``browser.new_page()`` opens a page in a context of its own (its own
    cookies and storage); the contexts a test opened are closed when it ends."""
    yield chromium
    for context in chromium.contexts:
        await context.close()


@pytest.fixture
async def site(tmp_path: Path, sqlite_template: str) -> AsyncIterator[LiveServer]:
    """A real server on its own SQLite database (pages are the same on either database)."""
    target = tmp_path / "pages.sqlite3"
    shutil.copy(sqlite_template, target)
    url = f"sqlite://{target}"
    async with db.database(url, pool_size=2):
        server = LiveServer(url)
        try:
            await server.wait_ready()
            yield server
        finally:
            server.stop()


async def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


async def log_in(client, username: str) -> str:
    """Log in through the form, as a person does; returns where the page sends them."""
    page = await client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    r = await client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf": csrf, "next": ""}
    )
    assert r.status_code == 303, r.text
    return r.headers["location"]


def broken(page: Page) -> list[str]:
    """What went wrong in the page's scripts as it is driven: uncaught errors, CSP refusals."""
    found: list[str] = []
    page.on("pageerror", lambda error: found.append(str(error)))
    page.on(
        "console",
        lambda msg: found.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return found
