"""The home page and the API reference, as a person sees them in Chromium.

The demo's usernames appear on the home page of a demo server only (``CANTEEN_DEMO=1``, which
``make run`` sets): a real deployment's front page names no account to try passwords on.
"""

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from canteen.app import create_app
from tests.conftest import LiveServer, settings_for
from tests.web.conftest import screenshot, server_on_copy, top_of

DEMO_USERNAMES = ("admin", "minzheng", "manager1", "cashier1", "family1")
DOCS_SHOT_HEIGHT = 3 * 768
"""The API reference is over 60,000 px tall at 1024 wide: its picture is its first three
windows (the whole page's took seconds to encode, a 6 MB file no one scrolls through)."""


@pytest.fixture(scope="module")
async def site(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: str
) -> AsyncIterator[LiveServer]:
    """One real deployment's server (not in demo mode) for the module's tests, which only read
    its pages; nothing in this process connects to its copy of the migrated database."""
    folder = tmp_path_factory.mktemp("home")
    target = folder / "pages.sqlite3"
    shutil.copy(sqlite_template, target)
    server = LiveServer(f"sqlite://{target}")
    try:
        await server.wait_ready()
        yield server
    finally:
        server.stop()


@pytest.fixture
async def demo_site(
    tmp_path: Path, sqlite_template: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[LiveServer]:
    """A real server started as ``make run`` starts it: in demo mode."""
    monkeypatch.setenv("CANTEEN_DEMO", "1")
    async with server_on_copy(sqlite_template, tmp_path) as server:
        yield server


async def test_home_page_says_what_this_is_and_how_to_log_in(browser, demo_site):
    page = await browser.new_page(viewport={"width": 1024, "height": 768})
    await page.goto(demo_site.url + "/")
    assert "社区老年食堂" in await page.locator("h1").inner_text()
    assert "cashier1" in await page.content()
    await screenshot(page, "home-1024")
    await page.click("main a[href='/docs']")
    assert page.url.endswith("/docs")
    await page.wait_for_selector("#top_up")
    assert "/api/v1/diners/{diner_id}/topups" in await page.locator("#top_up").inner_text()
    await top_of(page, "docs-1024", DOCS_SHOT_HEIGHT)


async def test_a_real_deployments_home_page_names_no_account(browser, site):
    page = await browser.new_page(viewport={"width": 1024, "height": 768})
    await page.goto(site.url + "/")
    text = await page.locator("main").inner_text()
    assert "社区老年食堂" in text and "演示" not in text
    for username in DEMO_USERNAMES:
        assert f'"{username}"' not in await page.content() and username not in text.split()
    await page.click("main a[href='/login']")
    await page.wait_for_url("**/login")
    await screenshot(page, "home-not-demo-1024")


@pytest.mark.parametrize("demo", [False, True], ids=["deployment", "demo"])
async def test_the_demo_accounts_are_listed_only_in_demo_mode(database_url, demo):
    app = create_app(settings_for(database_url).model_copy(update={"demo": demo}))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            html = (await c.get("/")).text
    listed = [name for name in DEMO_USERNAMES if f"<code>{name}</code>" in html]
    assert listed == (list(DEMO_USERNAMES) if demo else [])
    assert ("demo-passwords" in html) is demo


async def test_home_page_fits_a_phone(browser, site):
    page = await browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    await page.goto(site.url + "/")
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "no sideways scrolling on a phone"
    await screenshot(page, "home-phone")
