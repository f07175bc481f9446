"""The /staff pages in a real Chromium against a real server on the demo's six weeks of data.

The demo is what a district office would see on its first day: three canteens, ~1,700 meals,
their books and last month's claims part-way through their lifecycle. Every figure the page
shows is compared with the JSON API's answer over the same session, every chart must load as
an image, and each page is photographed (``var/screenshots/staff-*.png``) for a person to look
at.
"""

import asyncio
import dataclasses
import re
import shutil
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import quote

import pytest
from playwright.async_api import Browser, Page, StorageState, ViewportSize, expect

from canteen import clock, demo, periods
from canteen.config import get_settings
from tests.conftest import LiveServer, demo_copy
from tests.test_demo import read_passwords
from tests.web.conftest import broken, screenshot

pytestmark = pytest.mark.browser
DESK = {"width": 1280, "height": 900}
TABLET = {"width": 820, "height": 1180}


@dataclasses.dataclass
class Office:
    url: str
    passwords: dict[str, str]
    last_month: str
    sessions: "Sessions" = dataclasses.field(init=False)
    """Each user's session, from one log-in per module (``signed_in``)."""

    def __post_init__(self) -> None:
        self.sessions = Sessions(self)


class Sessions:
    """Each user's session on the module's demo, from one log-in by the login form's POST (its
    CSRF token and the password; the answer, a 303 to where the user lands, sets the cookie):
    every page after it opens in a new context of its own holding that cookie, for the tests
    that are not about logging in. A log-in in the browser costs the login page, a password
    hash at the production cost and the page the user lands on (the office's has a chart the
    server draws): 3 to 6 s each on the busy test machine."""

    def __init__(self, office: Office) -> None:
        self.office = office
        self.states: dict[str, StorageState] = {}
        self.landings: dict[str, str] = {}
        """Where each user's log-in sent them (its answer's ``Location``)."""

    async def log_in(self, browser: Browser, username: str) -> None:
        context = await browser.new_context()
        try:
            form = await context.request.get(self.office.url + "/login")
            csrf = re.search(r'name="csrf" value="([^"]+)"', await form.text())
            assert csrf is not None, await form.text()
            fields = {"username": username, "password": self.office.passwords[username]}
            answer = await context.request.post(
                self.office.url + "/login",
                form={**fields, "csrf": csrf.group(1), "next": ""},
                max_redirects=0,
            )
            assert answer.status == 303, await answer.text()
            self.landings[username] = answer.headers["location"]
            self.states[username] = await context.storage_state()
        finally:
            await context.close()

    async def window(self, browser: Browser, username: str, viewport: ViewportSize) -> Page:
        """A new window at ``viewport``, blank, logged in as ``username``; ``page.errors``
        lists what goes wrong in its scripts from here, and its dialogs are accepted."""
        if username not in self.states:
            await self.log_in(browser, username)
        context = await browser.new_context(viewport=viewport, storage_state=self.states[username])
        page = await context.new_page()
        page.errors = broken(page)  # type: ignore[attr-defined]
        page.on("dialog", lambda dialog: asyncio.ensure_future(dialog.accept()))
        return page

    async def open(
        self, browser: Browser, username: str, path: str | None, viewport: ViewportSize
    ) -> Page:
        """``window``, loaded at ``path`` (None: where the user's log-in sent them)."""
        page = await self.window(browser, username, viewport)
        await page.goto(self.office.url + (path or self.landings[username]))
        return page


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Office]:
    """A copy of the run's demo for the module (which its tests change), served by a real
    server."""
    tmp = tmp_path_factory.mktemp("staff-demo")
    copy = demo_copy("sqlite", tmp)
    server = LiveServer(copy.url)
    try:
        asyncio.run(server.wait_ready())
        today = clock.today(get_settings().tz)
        yield Office(
            server.url,
            read_passwords(copy.var_dir / demo.PASSWORDS_FILE),
            periods.month_of(today.replace(day=1) - timedelta(days=1)),
        )
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def watched(page: Page) -> Page:
    """``page.errors`` lists what went wrong in its scripts; its dialogs are accepted."""
    page.errors = broken(page)  # type: ignore[attr-defined]
    page.on("dialog", lambda dialog: asyncio.ensure_future(dialog.accept()))
    return page


async def log_in_by_form(
    browser: Browser, office: Office, username: str, viewport=DESK, then: str = ""
) -> Page:
    """Logged in through the form, as a person does: the page is where the login sent them
    (``then``, as a link to it would, else the user's landing page), loaded. The staff pages
    fetch nothing as they load: their scripts only wait for the user."""
    page = watched(await browser.new_page(viewport=viewport))
    await page.goto(office.url + "/login" + (f"?next={quote(then)}" if then else ""))
    await page.fill("input[name=username]", username)
    await page.fill("input[name=password]", office.passwords[username])
    async with page.expect_navigation():
        await page.click("button.primary")
    return page


async def log_in(browser: Browser, office: Office, username: str, viewport=DESK) -> Page:
    """Logged in through the form, then no request of the page's for half a second."""
    page = watched(await browser.new_page(viewport=viewport))
    await page.goto(office.url + "/login")
    await page.fill("input[name=username]", username)
    await page.fill("input[name=password]", office.passwords[username])
    await page.click("button.primary")
    await page.wait_for_load_state("networkidle")
    return page


async def signed_in(
    browser: Browser, office: Office, username: str, path: str, viewport=DESK
) -> Page:
    """The page at ``path`` in a new window with the user's session (``Office.sessions``), for
    the tests that are not about logging in; those that are log in by the form."""
    return await office.sessions.open(browser, username, path, viewport)


async def api(page: Page, office: Office, path: str) -> dict:
    """The JSON API's answer, with the page's own session cookie."""
    response = await page.request.get(office.url + "/api/v1" + path)
    assert response.ok, await response.text()
    return await response.json()


async def charts_loaded(page: Page) -> list[int]:
    """The natural width of every chart: 0 for an image that did not load (the page's load
    event waits for each image to load or fail)."""
    await page.wait_for_load_state("load")
    return await page.eval_on_selector_all(".chart img", "imgs => imgs.map(i => i.naturalWidth)")


def fen_of(text: str) -> int:
    """ "+¥1,234.50" or "-¥3.00" as fen."""
    sign = -1 if text.startswith("-") else 1
    whole, part = text.lstrip("+-¥").replace(",", "").split(".")
    return sign * (int(whole) * 100 + int(part))


def yuan(fen: int) -> str:
    whole, part = divmod(abs(fen), 100)
    return f"{'-' if fen < 0 else ''}¥{whole:,}.{part:02d}"


async def test_the_office_reads_last_months_claim_approves_it_and_marks_it_paid(browser, demo_site):
    page = await log_in_by_form(browser, demo_site, "minzheng")
    assert page.url.endswith("/staff")
    month = demo_site.last_month
    await page.goto(f"{demo_site.url}/staff?month={month}")
    claim = await api(page, demo_site, f"/reports/subsidy-claims?month={month}")
    await expect(page.locator("#claim-total")).to_have_text(yuan(claim["totals"]["subsidy_fen"]))
    await expect(page.locator("#claim-meals")).to_have_text(f"{claim['totals']['meals']:,}")
    for funder, fen in claim["totals"]["by_funder"].items():
        row = page.locator(f'#by-funder tr[data-funder="{funder}"] td').nth(2)
        await expect(row).to_have_text(yuan(fen))
    widths = await charts_loaded(page)
    assert len(widths) == 1 and widths[0] > 0
    await screenshot(page, "staff-claim")

    # The demo left the street office's claim submitted: approve it, then record the payment.
    street = page.locator("#claims-table tr.status-submitted")
    await street.locator("button").click()
    await expect(page.locator("#claims-table tr.status-approved")).to_have_count(2)
    approved = page.locator("#claims-table tr.status-approved").last
    await approved.locator("input[name=amount_fen]").fill("12.345")
    await approved.locator("button").click()
    await expect(approved.locator(".status")).to_contain_text("金额")  # not paid
    await approved.locator("input[name=amount_fen]").fill("1200")
    asked = []  # 1,200 yuan is not the amount claimed: the page asks (and log_in accepts)
    page.once("dialog", lambda dialog: asked.append(dialog.message))
    await approved.locator("button").click()
    await expect(page.locator("#claims-table tr.status-paid")).to_have_count(2)
    await expect(page.locator("#claims-table")).to_contain_text("¥1,200.00 ·")
    assert len(asked) == 1 and "¥1200.00" in asked[0], asked
    assert (await charts_loaded(page))[0] > 0
    await screenshot(page, "staff-claim-paid")
    assert page.errors == []  # type: ignore[attr-defined]


async def test_the_dashboard_shows_each_canteen_and_its_charts(browser, demo_site):
    page = await signed_in(browser, demo_site, "minzheng", "/staff/sustainability")
    start = await page.input_value("input[name=from]")
    end = await page.input_value("input[name=to]")
    report = await api(page, demo_site, f"/reports/sustainability?from={start}&to={end}")
    await expect(page.locator("#revenue")).to_have_text(yuan(report["revenue_fen"]))
    await expect(page.locator("#cost")).to_have_text(yuan(report["cost_fen"]))
    await expect(page.locator("#margin")).to_have_text(yuan(report["margin_fen"]))
    widths = await charts_loaded(page)
    assert len(widths) == 3 and all(w > 0 for w in widths)
    await screenshot(page, "staff-sustainability")

    first = report["canteens"][0]
    async with page.expect_navigation():
        await page.locator("#by-canteen a").first.click()
    await expect(page.locator("#margin")).to_have_text(yuan(first["margin_fen"]))
    assert all(w > 0 for w in await charts_loaded(page))
    await screenshot(page, "staff-sustainability-canteen")

    tablet = await signed_in(browser, demo_site, "manager2", "/staff/sustainability", TABLET)
    assert await tablet.evaluate("document.documentElement.scrollWidth") <= TABLET["width"]
    await screenshot(tablet, "staff-sustainability-manager-tablet")
    assert page.errors == [] and tablet.errors == []  # type: ignore[attr-defined]


async def test_a_manager_records_a_grant_once_however_often_save_is_clicked(browser, demo_site):
    page = await signed_in(browser, demo_site, "manager1", "/staff/finance")
    before = len(await page.locator("#entries tbody tr").all())
    await page.select_option("#entry-kind", "grant")
    assert await page.input_value("#entry-category") == "operating_grant"  # only grants offered
    await page.select_option("#entry-category", "donation")
    await page.fill("input[name=amount_fen]", "8OO")  # letters O, not zeros
    await page.click("#entry-form button")
    await expect(page.locator("#entry-form .status")).to_have_text("请输入金额，如 1200 或 1200.50")
    await page.fill("input[name=amount_fen]", "800")
    await page.fill("input[name=note]", "区慈善会捐赠")
    await page.dblclick("#entry-form button")
    await expect(page.locator("#entries tbody tr").first).to_contain_text("区慈善会捐赠")
    await page.reload()
    rows = page.locator("#entries tbody tr")
    await expect(rows).to_have_count(before + 1)
    await expect(rows.first).to_contain_text("慈善捐赠")
    await expect(rows.first).to_contain_text("¥800.00")
    await screenshot(page, "staff-finance")
    assert page.errors == []  # type: ignore[attr-defined]


async def test_the_simulator_prices_last_month_under_a_draft(browser, demo_site):
    page = await signed_in(browser, demo_site, "minzheng", "/staff/simulate")
    draft = await page.input_value("textarea[name=policy]")
    raised = await page.evaluate(
        """text => { const p = JSON.parse(text); p.name = "草案：市级补贴提高 1 元";
           for (const r of p.rules) if (r.funder === "city") r.amount_fen += 100;
           return JSON.stringify(p, null, 2); }""",
        draft,
    )
    await page.fill("textarea[name=policy]", raised)
    async with page.expect_navigation():  # the form posts to the page, which answers
        await page.click("#simulate-form button")
    # Every meal the city paid for last month gets one more yuan from it; under "highest"
    # stacking a few meals then take the city's amount instead of another funder's.
    claim = await api(page, demo_site, f"/reports/subsidy-claims?month={demo_site.last_month}")
    city_meals = claim["totals"]["by_funder_meals"]["city"]
    city = page.locator('#sim-funders tr[data-funder="city"] td').nth(3)
    await expect(city).to_have_text(f"+{yuan(city_meals * 100)}")
    changes = await page.locator("#sim-funders td.change").all_inner_texts()
    total = sum(fen_of(text) for text in changes)
    assert 0 < total <= city_meals * 100
    await expect(page.locator("#sim-change")).to_have_text(f"+{yuan(total)}")
    await screenshot(page, "staff-simulate")
    assert page.errors == []  # type: ignore[attr-defined]


async def test_the_planted_misuse_shows_with_its_meals(browser, demo_site):
    page = await signed_in(browser, demo_site, "minzheng", "/staff/misuse")
    for kind in ("card_at_two_canteens", "manual_rate_diner", "fed_far_more"):
        await expect(page.locator(f".signal-{kind}").first).to_be_visible()
    await screenshot(page, "staff-misuse")
    assert page.errors == []  # type: ignore[attr-defined]
