"""The site's menu in Chromium, on the demo: for each role, on a 390-wide phone and at 1366x768,
the menu opens without a script, lists the role's pages within the window with taps of 48 px,
marks the page the visitor is on, and takes them to the page they tap. Chinese and English.
Screenshots: ``var/screenshots/nav-*.png``."""

import re

import pytest
from playwright.async_api import Browser, Page, ViewportSize, expect

from canteen.roles import Role
from canteen.web.login import LANDING
from tests.web import test_staff_browser, test_staff_phone
from tests.web.conftest import SCREENSHOTS
from tests.web.test_staff_browser import Office, Sessions

pytestmark = pytest.mark.browser
LAPTOP: ViewportSize = {"width": 1366, "height": 768}
PHONE: ViewportSize = {"width": 390, "height": 844}
demo_site = test_staff_browser.demo_site
"""The demo, filled once for this module."""
sessions = test_staff_phone.sessions
"""One log-in per user on it; each page a window of its own with that session."""
DEMO_USERS = {
    "cashier": "cashier1",
    "manager": "manager1",
    "staff": "minzheng",
    "admin": "admin",
    "family": "family1",
    "volunteer": "volunteer1",
}


async def shot(page: Page, name: str) -> None:
    """The window as the visitor sees it, the open menu over the page (a whole page's picture
    would show a list as long as the page)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=SCREENSHOTS / f"{name}.png")


async def open_menu(page: Page) -> list[dict]:
    """Opens the menu as a person does (a tap on its summary); returns each link's box."""
    menu = page.locator("header details.site-menu")
    await menu.locator("summary").click()
    await expect(menu.locator("ul")).to_be_visible()
    return await menu.locator("li a").evaluate_all(
        """links => links.map(a => {
            const box = a.getBoundingClientRect();
            return {href: a.getAttribute('href'), text: a.textContent.trim(),
                    here: a.getAttribute('aria-current') === 'page',
                    left: box.left, right: box.right, height: box.height};
        })"""
    )


async def one_row(page: Page) -> None:
    """The header's menu, language, log-out and API links side by side on one row, each on one
    line, within the window (a long page name is cut short on a phone)."""
    boxes = await page.locator("header.bar nav > *").evaluate_all(
        "els => els.map(e => { const b = e.getBoundingClientRect();"
        " return {mid: b.top + b.height / 2, right: b.right, height: b.height}; })"
    )
    width = page.viewport_size["width"]  # type: ignore[index]
    assert max(b["mid"] for b in boxes) - min(b["mid"] for b in boxes) <= 2, boxes
    assert all(b["right"] <= width and b["height"] <= 50 for b in boxes), boxes


async def settled(page: Page) -> None:
    """Before leaving a page: its scripts' requests answered (no request for half a second
    since, counted from its load, so the menu's checks overlap the wait), so that an error
    their answers cause shows in ``page.errors``."""
    await page.wait_for_load_state("networkidle")


def fits(links: list[dict], width: int) -> None:
    for link in links:
        assert link["left"] >= 0 and link["right"] <= width, link
        assert link["height"] >= 48, link


@pytest.mark.parametrize("role", list(DEMO_USERS))
async def test_the_menu_on_a_phone_lists_the_roles_pages_and_goes_there(
    browser: Browser, demo_site: Office, sessions: Sessions, role: str
):
    page = await sessions.open(browser, DEMO_USERS[role], None, PHONE)  # where log-in sent them
    landing = LANDING[Role(role)]
    assert page.url == demo_site.url + landing
    summary = page.locator("header details.site-menu summary")
    assert (await summary.bounding_box())["height"] >= 48
    links = await open_menu(page)
    fits(links, PHONE["width"])
    await one_row(page)
    assert [link["href"] for link in links if link["here"]] == [landing]
    assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert not any(re.search(r"[A-Za-z]{3}", link["text"]) for link in links), links
    await shot(page, f"nav-{role}-phone")
    await settled(page)

    last = links[-1]
    async with page.expect_navigation():
        await page.locator("header details.site-menu li a").last.click()
    assert page.url == demo_site.url + last["href"]
    await expect(summary).to_contain_text(last["text"])  # where they are now, on the summary
    moved = await open_menu(page)
    assert [link["href"] for link in moved if link["here"]] == [last["href"]]
    await settled(page)

    await page.goto(demo_site.url + landing + "?lang=en")
    english = await open_menu(page)
    fits(english, PHONE["width"])
    await one_row(page)
    assert [link["href"] for link in english] == [link["href"] for link in links]
    assert not any(re.search(r"[\u4e00-\u9fff]", link["text"]) for link in english), english
    await shot(page, f"nav-{role}-phone-en")
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("role", ["admin", "manager"])
async def test_the_menu_at_1366_by_768(browser: Browser, sessions: Sessions, role: str):
    page = await sessions.open(browser, DEMO_USERS[role], None, LAPTOP)  # where log-in sent them
    links = await open_menu(page)
    fits(links, LAPTOP["width"])
    await one_row(page)
    bottom = await page.locator("header details.site-menu ul").evaluate(
        "ul => ul.getBoundingClientRect().bottom"
    )
    assert bottom <= LAPTOP["height"]  # a long list scrolls inside the window
    await shot(page, f"nav-{role}-laptop")
    await settled(page)
    await page.goto(page.url.split("?")[0] + "?lang=en")
    fits(await open_menu(page), LAPTOP["width"])
    await shot(page, f"nav-{role}-laptop-en")
    assert page.errors == []  # type: ignore[attr-defined]
