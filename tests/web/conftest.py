"""A real headless Chromium (Debian's package) driven by Playwright against a real server.

Screenshots land in ``var/screenshots/`` for a person to look at. Without Chromium the page
tests skip, except with ``CI=true``, where they fail.
"""

import re
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

from canteen import db
from canteen.auth import service as auth
from canteen.config import get_settings
from canteen.http import session
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


@asynccontextmanager
async def server_on_copy(
    sqlite_template: str, folder: Path, before_start: Callable[[], Awaitable[object]] | None = None
) -> AsyncIterator[LiveServer]:
    """A real server on a copy of the run's migrated SQLite database in ``folder``, with this
    process connected to the same file (to set data up through the services and to check what
    a page claims against the database); ``before_start`` runs on it before the server starts.
    Pages are the same on either database."""
    target = folder / "pages.sqlite3"
    shutil.copy(sqlite_template, target)
    url = f"sqlite://{target}"
    async with db.database(url, pool_size=2):
        if before_start is not None:
            await before_start()
        server = LiveServer(url)
        try:
            await server.wait_ready()
            yield server
        finally:
            server.stop()


@pytest.fixture
async def site(tmp_path: Path, sqlite_template: str) -> AsyncIterator[LiveServer]:
    """A real server of the test's own."""
    async with server_on_copy(sqlite_template, tmp_path) as server:
        yield server


async def sign_in(context: BrowserContext, url: str, username: str) -> None:
    """``context`` holds the session cookie a login through the form leaves, its token issued
    by the auth service the form calls (on the database this process shares with the server,
    ``server_on_copy``). For the tests that are not about logging in (``test_login.py`` is):
    the form's page, its post and the page it leads to cost a second or more each."""
    issued = await auth.issue_token(username, PASSWORD, get_settings().token_ttl_seconds)
    await context.add_cookies(
        [
            {
                "name": session.SESSION_COOKIE,
                "value": issued.access_token,
                "url": url,
                "expires": issued.expires_at.timestamp(),
                "httpOnly": True,
                "sameSite": "Strict",
            }
        ]
    )


async def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


async def top_of(page: Page, name: str, height: int) -> None:
    """The picture of a very tall page's first ``height`` px at the window's width, taken with
    the window made that tall: a whole-page picture (clipped or not) paints every pixel of it
    first, seconds for the API reference's 64,000 px or the demo's board's 14,000."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    window = page.viewport_size
    assert window is not None
    await page.set_viewport_size({"width": window["width"], "height": height})
    await page.screenshot(path=SCREENSHOTS / f"{name}.png")
    await page.set_viewport_size(window)


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
