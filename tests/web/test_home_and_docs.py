"""The home page and the API reference, as a person sees them in Chromium.

The demo's usernames appear on the home page of a demo server only (``CANTEEN_DEMO=1``, which
``make run`` sets): a real deployment's front page names no account to try passwords on.
"""

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from canteen.app import create_app
from tests.conftest import LiveServer, settings_for
from tests.web.conftest import screenshot, server_on_copy

DEMO_USERNAMES = ("admin", "minzheng", "manager1", "cashier1", "family1")


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
    await screenshot(page, "docs-1024")


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
