"""The office's report pages (claims, sustainability, books, simulation, misuse) on a 390-wide
phone and at 1366x768, as the admin on the demo: nothing scrolls sideways, neither the page nor
a panel inside it, so every link and button can be seen and reached without hunting for it.

A panel that scrolls inside itself hides its right-hand column (a claim's files and its submit
button) as surely as a page that does, so both are measured. Each page is photographed
(``var/screenshots/phone-*.png``) for a person to look at.
"""

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, Page, ViewportSize

from canteen.web import i18n
from tests.web import test_staff_browser
from tests.web.conftest import screenshot
from tests.web.test_staff_browser import Office, Sessions

pytestmark = pytest.mark.browser
LAPTOP: ViewportSize = {"width": 1366, "height": 768}
PHONE: ViewportSize = {"width": 390, "height": 844}
demo_site = test_staff_browser.demo_site
"""The demo, filled once for this module as for the other staff pages'."""
REPORT_PAGES = (
    ("claims", "/staff"),
    ("sustainability", "/staff/sustainability"),
    ("books", "/staff/finance"),
    ("simulate", "/staff/simulate"),
    ("misuse", "/staff/misuse"),
)


@pytest.fixture(scope="module")
def sessions(demo_site: Office) -> Sessions:
    return demo_site.sessions


@pytest.fixture(scope="module")
async def admins_window(chromium: Browser, sessions: Sessions) -> AsyncIterator[Page]:
    """One window with the admin's session for the module's tests, which only read the pages:
    a new window costs a renderer process (0.3 to 1.5 s on the busy test machine), a page
    loaded in this one costs its load alone. None of them asks for ``browser``, which closes
    every window at a test's end."""
    page = await sessions.window(chromium, "admin", PHONE)
    yield page
    await page.context.close()


async def opened(window: Page, office: Office, path: str) -> Page:
    """``window`` made 390 wide and loaded at ``path``, as a new one would be: its list of
    script errors emptied, and no language kept from an earlier test's ``?lang=``."""
    window.errors.clear()  # type: ignore[attr-defined]
    await window.context.clear_cookies(name=i18n.LANG_COOKIE)
    await window.set_viewport_size(PHONE)
    await window.goto(office.url + path)
    return window


async def sideways(page: Page) -> list[str]:
    """What is wider than its room: the page, or any panel or table holder that would scroll.
    The row of tabs is left out: on a phone it is a strip meant to be swiped (office.css)."""
    return await page.evaluate(
        """() => {
            const wide = [];
            const root = document.documentElement;
            if (root.scrollWidth > innerWidth) wide.push(`page ${root.scrollWidth}`);
            for (const box of document.querySelectorAll('main *:not(.tabs, .tabs *)')) {
                if (box.scrollWidth > box.clientWidth + 1 &&
                    ['auto', 'scroll'].includes(getComputedStyle(box).overflowX))
                    wide.push(`${box.tagName}#${box.id}.${box.className} `
                        + `${box.scrollWidth}>${box.clientWidth}`);
            }
            return wide;
        }"""
    )


async def off_screen(page: Page) -> list[str]:
    """Links, buttons and inputs (the swiped tabs aside) whose right edge lies past the window's."""
    return await page.eval_on_selector_all(
        ":is(main a, main button, main input, main select):not(.tabs *)",
        """els => els.filter(e => e.offsetParent !== null
                && e.getBoundingClientRect().right > innerWidth + 1)
            .map(e => `${e.tagName} ${e.textContent.trim() || e.name}`)""",
    )


@pytest.mark.parametrize(("name", "path"), REPORT_PAGES)
async def test_a_report_page_fits_a_phone_and_a_laptop(
    admins_window: Page, demo_site: Office, name: str, path: str
):
    """The page loaded once (its charts are drawn by the server at each load), measured at
    390, then with the window widened to 1366: the pages' layout is their stylesheets' alone
    (no script reads the window's width)."""
    page = await opened(admins_window, demo_site, path)
    for size, viewport in (("390", PHONE), ("1366", LAPTOP)):
        await page.set_viewport_size(viewport)
        await screenshot(page, f"phone-{name}-{size}")
        assert await sideways(page) == [], (path, size)
        assert await off_screen(page) == [], (path, size)
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_last_months_claims_can_be_worked_on_a_phone(
    admins_window: Page, demo_site: Office, lang: str
):
    """Last month's claims (part-way through their lifecycle on the demo), in Chinese and in
    English's longer words: each row's files and its next step are on the screen, and each
    claim is seen whole on one screen."""
    page = await opened(
        admins_window, demo_site, f"/staff?month={demo_site.last_month}&lang={lang}"
    )
    await screenshot(page, f"phone-claims-last-month-{lang}-390")
    rows = page.locator("#claims-table tbody tr")
    assert await rows.count() >= 2
    assert await sideways(page) == []
    assert await off_screen(page) == []
    heights = await rows.evaluate_all("rows => rows.map(r => r.getBoundingClientRect().height)")
    assert max(heights) < PHONE["height"], heights
    # A paid claim has nothing left to do: no empty "next step" is shown under it.
    assert await page.locator("tr.status-paid td.actions").is_hidden()
    assert await page.locator("tr.status-submitted td.actions button").is_visible()
    first = rows.first
    assert await first.locator("td.files a").count() == 4
    await first.locator("td.files a").first.scroll_into_view_if_needed()
    assert await first.locator("td.files a").first.is_visible()


async def test_a_simulations_result_fits_a_phone(admins_window: Page, demo_site: Office):
    """The draft in the form (the policy in force) priced over last month: its three tables of
    figures stay within the screen."""
    page = await opened(admins_window, demo_site, "/staff/simulate")
    async with page.expect_navigation():  # the form's POST answers with the priced page
        await page.click("#simulate-form button.primary")
    await screenshot(page, "phone-simulated-390")
    assert await page.locator("#sim-categories tbody tr").count() >= 1
    assert await sideways(page) == []
    assert await off_screen(page) == []
    assert page.errors == []  # type: ignore[attr-defined]
