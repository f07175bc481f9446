"""The kitchen page (``/kitchen``) in a real Chromium against a real server on the demo: the
manager reads a past lunch's count with what was cooked, sold and left over (recorded by the
demo's kitchens), a cashier records what was cooked on a phone, and the page refuses the roles
it is not for. Every figure shown is checked against the JSON API over the same session, and
each screen is photographed (``var/screenshots/kitchen-*.png``) for a person to look at. The
watchers' board and a building head's phone on the demo are here too, on this module's copy of
the demo (``test_watch_browser.py`` has the watchers' pages on data of their own)."""

import re
from datetime import date, timedelta
from typing import Literal

import pytest
from playwright.async_api import Browser, Page, Response, ViewportSize, expect

from canteen import clock, demo_watch, periods
from canteen.alerts import detect
from canteen.config import get_settings
from tests.web import test_staff_browser, test_staff_phone
from tests.web.conftest import SCREENSHOTS, screenshot, top_of
from tests.web.test_staff_browser import Office, Sessions, api
from tests.web.test_staff_phone import off_screen
from tests.web.test_staff_phone import sideways as wide

pytestmark = pytest.mark.browser
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 820, "height": 1180}
demo_site = test_staff_browser.demo_site
"""The demo, filled once for this module, as for the staff pages'."""


sessions = test_staff_phone.sessions
"""Each demo user's session, from one log-in per module (``test_staff_phone.Sessions``)."""


async def signed_in(
    browser: Browser,
    sessions: Sessions,
    username: str,
    path: str,
    viewport: ViewportSize,
    wait_until: Literal["domcontentloaded", "load"] = "load",
) -> tuple[Page, Response | None]:
    """The page at ``path`` as ``username`` in a window of its own, and the server's answer
    for it (these tests are not about logging in: ``test_login.py`` is)."""
    page = await sessions.window(browser, username, viewport)
    return page, await page.goto(sessions.office.url + path, wait_until=wait_until)


def count_path(canteen: str, on: date) -> str:
    return f"/canteens/{canteen}/kitchen-count?date={on}&meal_type=lunch&lang=zh"


async def canteen_of(page: Page) -> str:
    """The canteen of the kitchen page open in ``page``."""
    return await page.get_attribute("#kitchen", "data-canteen-id") or ""


async def lunch_day(page: Page, office: Office, canteen: str, recorded: bool) -> tuple[date, dict]:
    """The latest past weekday whose lunch sold meals and was (or was not) recorded as cooked
    by the demo's kitchens, with its count from the API."""
    day = clock.today(get_settings().tz) - timedelta(days=1)
    for _ in range(40):
        found = await api(page, office, count_path(canteen, day))
        if found["sold"] and (found["cooked"] is not None) == recorded:
            return day, found
        day -= timedelta(days=1)
    raise AssertionError("no such lunch in the demo")


async def sideways(page: Page) -> int:
    return await page.evaluate("document.documentElement.scrollWidth - innerWidth")


async def test_the_manager_reads_a_past_lunch_cooked_sold_and_left_over(
    browser, demo_site, sessions
):
    page, _ = await signed_in(browser, sessions, "manager1", "/kitchen", LAPTOP)
    canteen = await canteen_of(page)
    day, found = await lunch_day(page, demo_site, canteen, recorded=True)

    await page.goto(f"{demo_site.url}/kitchen?date={day}&meal=lunch")

    await expect(page.locator("h1")).to_contain_text("厨房备餐")
    for tile, key in (("#to-cook", "to_cook"), ("#cooked", "cooked"), ("#sold", "sold")):
        await expect(page.locator(tile)).to_have_text(str(found[key]))
    await expect(page.locator("#left-over")).to_have_text(str(found["left_over"]))
    await expect(page.locator("#walk-ins")).to_have_text(str(found["forecast_walk_ins"]))
    await expect(page.locator("#basis")).to_have_text(found["basis"])
    rows = page.locator("#by-dish tbody tr")
    await expect(rows).to_have_count(len(found["by_offering"]))
    for i, dish in enumerate(found["by_offering"]):
        cells = rows.nth(i).locator("td")
        await expect(rows.nth(i).locator("th")).to_have_text(dish["name"])
        await expect(cells.nth(3)).to_have_text(str(dish["to_cook"]))
        await expect(cells.nth(4)).to_have_text(str(dish["cooked"]))
        await expect(cells.nth(5)).to_have_text(str(dish["sold"]))
        await expect(cells.nth(6)).to_have_text(str(dish["left_over"]))
    # recorded already: the form offers to correct it, prefilled with what was recorded
    inputs = page.locator("#cooked-form input[name=portions]")
    assert [await i.input_value() for i in await inputs.all()] == [
        str(d["cooked"]) for d in found["by_offering"]
    ]
    assert await sideways(page) <= 0
    assert page.errors == []  # type: ignore[attr-defined]
    await screenshot(page, "kitchen-manager-past-lunch")


async def test_a_cashier_records_what_was_cooked_on_a_phone(browser, demo_site, sessions):
    page, _ = await signed_in(browser, sessions, "cashier1", "/kitchen", PHONE)
    canteen = await canteen_of(page)
    day, before = await lunch_day(page, demo_site, canteen, recorded=False)
    await page.goto(f"{demo_site.url}/kitchen?date={day}&meal=lunch")
    await expect(page.locator("#cooked")).to_have_count(0)  # nothing recorded yet
    await screenshot(page, "kitchen-phone-before")

    inputs = page.locator("#cooked-form input[name=portions]")
    portions = [30 + 5 * i for i in range(await inputs.count())]
    for i, n in enumerate(portions):
        await inputs.nth(i).fill(str(n))
    box = await page.locator("#cooked-form button").bounding_box()
    assert box is not None and box["height"] >= 48 and box["x"] + box["width"] <= PHONE["width"]
    await page.locator("#cooked-form button").click()

    sold = [d["sold"] for d in before["by_offering"]]
    left = sum(max(n - s, 0) for n, s in zip(portions, sold, strict=True))
    await expect(page.locator("#cooked")).to_have_text(str(sum(portions)))
    await expect(page.locator("#left-over")).to_have_text(str(left))
    after = await api(page, demo_site, count_path(canteen, day))
    assert [d["cooked"] for d in after["by_offering"]] == portions
    assert (after["cooked"], after["left_over"]) == (sum(portions), left)
    assert await sideways(page) <= 0
    assert page.errors == []  # type: ignore[attr-defined]
    await screenshot(page, "kitchen-phone-recorded")


async def test_today_on_a_tablet_opens_on_the_meal_at_hand_with_its_orders(
    browser, demo_site, sessions
):
    page, _ = await signed_in(browser, sessions, "manager1", "/kitchen", TABLET)
    canteen = await canteen_of(page)
    meal = await page.get_attribute("#kitchen", "data-meal")
    today = clock.today(get_settings().tz)
    found = await api(page, demo_site, f"/canteens/{canteen}/kitchen-count?meal_type={meal}")
    orders = await api(
        page, demo_site, f"/orders?canteen_id={canteen}&date={today}&meal_type={meal}&limit=500"
    )
    open_orders = [o for o in orders["items"] if o["status"] != "cancelled"]

    await expect(page.locator("#when")).to_contain_text("今天")
    await expect(page.locator("#to-cook")).to_have_text(str(found["to_cook"]))
    await expect(page.locator("h2").last).to_have_text(f"当餐预订（{len(open_orders)}）")
    await expect(page.locator("#orders tbody tr")).to_have_count(len(open_orders))
    # diet flags in the page's words (糖尿病餐, 过敏:花生), no code left in English
    diets = await page.locator("#orders .diet").all_inner_texts()
    assert not [d for d in diets if re.search("[A-Za-z]", d)], diets
    assert await sideways(page) <= 0
    assert page.errors == []  # type: ignore[attr-defined]
    await screenshot(page, "kitchen-tablet-today")


async def test_a_bad_count_is_refused_in_the_pages_words_and_nothing_changes(
    browser, demo_site, sessions
):
    page, _ = await signed_in(browser, sessions, "manager1", "/kitchen", LAPTOP)
    canteen = await canteen_of(page)
    day, before = await lunch_day(page, demo_site, canteen, recorded=True)
    await page.goto(f"{demo_site.url}/kitchen?date={day}&meal=lunch&lang=en")
    await expect(page.locator("h1")).to_contain_text("Kitchen")

    # the browser's own check stops 5001 before it is sent; a value past it would reach the
    # API, which refuses it: the page says so in its words and leaves the count as it was
    first = page.locator("#cooked-form input[name=portions]").first
    await first.evaluate("input => input.removeAttribute('max')")
    await first.fill("5001")
    await page.locator("#cooked-form button").click()

    await expect(page.locator("#cooked-status")).to_have_text(
        "Portions must be whole numbers from 0 to 5000, and the day not after today"
    )
    assert await api(page, demo_site, count_path(canteen, day)) == before
    await screenshot(page, "kitchen-refused-en")


async def test_the_admin_picks_a_canteen_and_other_roles_are_refused(browser, demo_site, sessions):
    page, _ = await signed_in(browser, sessions, "admin", "/kitchen", LAPTOP)
    options = page.locator("select[name=canteen] option")
    assert await options.count() == 3
    second = await options.nth(1).get_attribute("value")
    await page.select_option("select[name=canteen]", second)
    await page.click(".k-pick button")
    await expect(page.locator("#kitchen")).to_have_attribute("data-canteen-id", str(second))
    response = await page.goto(demo_site.url + "/kitchen?canteen=999999")
    assert response is not None and response.status == 404

    for username in ("minzheng", "family1"):
        other, response = await signed_in(browser, sessions, username, "/kitchen", PHONE)
        assert response is not None and response.status == 403, username
        await expect(other.locator("main")).to_contain_text("您的账号不能使用此页面")


async def test_the_sustainability_page_shows_the_waste_of_the_kitchens_counts(
    browser, demo_site, sessions
):
    path = "/staff/sustainability"
    # Its load waits for the three charts the server draws (3 s of the test's 5 on the busy
    # test machine); this test reads the waste table, so they load while it does.
    page, _ = await signed_in(browser, sessions, "minzheng", path, LAPTOP, "domcontentloaded")
    start = await page.input_value("input[name=from]")
    end = await page.input_value("input[name=to]")
    report = await api(page, demo_site, f"/reports/sustainability?from={start}&to={end}")
    waste = report["waste"]
    assert waste["portions_cooked"] > 0 and waste["rows"]

    await expect(page.locator("#waste-rate")).to_have_text(f"{waste['waste_rate_pct']:.1f}%")
    await expect(page.locator("#waste-cost")).to_have_text(
        test_staff_browser.yuan(waste["waste_cost_fen"])
    )
    await expect(page.locator("#waste-rows tbody tr")).to_have_count(len(waste["rows"]))
    await page.locator("#waste").scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.locator("#waste").screenshot(path=SCREENSHOTS / "staff-sustainability-waste.png")


BOARD_SHOT_HEIGHT = 3 * 900
"""The demo's board lists every case of its six weeks: over 14,000 px at the desk's 1280 wide.
Its picture is its first three windows (the whole page's, 3.6 MB, took 6 s on the busy test
machine)."""


async def test_the_demos_board_and_a_building_heads_phone(browser, demo_site, sessions):
    """The watchers' pages (``test_watch_browser.py``) on the demo, here for its copy."""
    desk = test_staff_browser.DESK
    office, _ = await signed_in(browser, sessions, "minzheng", "/staff/alerts", desk)
    cases = office.locator("#cases .case")
    await expect(cases.first).to_have_class("case state-open overdue")
    await expect(office.locator("#cases .state", has_text="待处置").first).to_be_visible()
    # The board shows every open case and the cases found in a month, Shanghai's, this one
    # unless asked. The demo's older cases were found on the last weekdays before today
    # (``demo_watch``): the one before last's handled, older ones closed. In a month's first
    # days they are the month before's, looked for on its board.
    today = clock.today(get_settings().tz)
    found = detect.weekdays_before(today, demo_watch.CASE_DAYS)
    shown = periods.month_of(today)
    for state, day in (("已处置，待回访", found[1]), ("已回访，完结", found[2])):
        if periods.month_of(day) != shown:
            shown = periods.month_of(day)
            await office.goto(f"{demo_site.url}/staff/alerts?month={shown}")
        await expect(office.locator("#cases .state", has_text=state).first).to_be_visible()
    assert await wide(office) == [] and await off_screen(office) == []
    await top_of(office, "watch-board-demo", BOARD_SHOT_HEIGHT)
    await office.goto(demo_site.url + "/staff/alerts?kind=missed_meal&lang=en")
    await expect(office.locator("h1")).to_contain_text("Alert board")
    await screenshot(office, "watch-board-demo-en")
    assert office.errors == []  # type: ignore[attr-defined]

    phone, _ = await signed_in(browser, sessions, "louzhang1", "/watch", PHONE)
    await expect(phone.locator("section.elder")).to_have_count(5)
    assert await wide(phone) == [] and await off_screen(phone) == []
    await screenshot(phone, "watch-demo-phone")
    assert phone.errors == []  # type: ignore[attr-defined]
