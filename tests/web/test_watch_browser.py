"""The watchers' pages in headless Chromium against a real server: a building head handles a
missed lunch and follows up the day before's on a phone (390 wide), and the office's board at
1366x768 shows the first handled and the second closed, with the steps and who took them; the
office adds a watcher on an elder's record. Screenshots: ``var/screenshots/watch-*.png``. The
board and a building head's phone on the demo are in ``test_kitchen_browser.py``, on the copy
of the demo that module serves."""

import pytest
from playwright.async_api import Browser, Page, expect

from canteen.alerts.models import Alert
from canteen.watchers.models import Watcher
from tests.conftest import LiveServer, make_user
from tests.web import test_ordering_browser
from tests.web.conftest import screenshot
from tests.web.test_ordering_browser import session_context
from tests.web.test_watch import World

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
site = test_ordering_browser.site
"""One server on one SQLite file for the module."""
READ_AGAIN_MS = 1200
"""How long the page leaves what it says after a case is sent before it reads itself again
(``watch.js``): the test moves the page's clock on by as much rather than wait."""


@pytest.fixture(scope="module")
async def world(site: LiveServer) -> World:
    """One ``World`` for the module's tests: one handles and follows up its alerts, the other
    adds a watcher to an elder and removes them again; neither looks at what the other
    changes."""
    return await World().build()


def watched(page: Page) -> list[str]:
    """What broke in the page's scripts (uncaught errors, CSP refusals) while it was driven."""
    found: list[str] = []
    page.on("pageerror", lambda error: found.append(str(error)))
    page.on(
        "console",
        lambda msg: found.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return found


async def log_in(
    browser: Browser, site, username: str, to: str, viewport, clock: bool = False
) -> Page:
    """The page at ``to``, logged in as ``username`` (``session_context``); with ``clock``,
    its timers on a clock the test can move on (``page.clock``), which until then keeps time."""
    context = await session_context(
        browser, site.url, username, viewport=viewport, device_scale_factor=1
    )
    page = await context.new_page()
    page.errors = watched(page)  # type: ignore[attr-defined]
    if clock:
        await page.clock.install()
    await page.goto(site.url + to)
    return page


async def fits(page: Page, width: int) -> None:
    assert await page.evaluate("document.documentElement.scrollWidth") <= width


async def test_a_watcher_handles_and_follows_up_on_a_phone_and_the_board_shows_it(
    browser, site, world
):
    w = world
    wang, li = w.alerts["王秀兰"], w.alerts["李建国"]
    page = await log_in(browser, site, w.head.username, "/watch", PHONE, clock=True)
    await expect(page.locator("h1")).to_have_text("我看护的老人")
    await expect(page.locator("section.elder h2")).to_have_text(["王秀兰", "李建国"])
    case = page.locator(f"#case-{wang}")
    await expect(case.locator(".badge")).to_have_text("待处置")
    await expect(case.locator(".what")).to_contain_text("午餐时间已过，还没有到北京街长者饭堂吃饭")
    for tap in await case.locator(".outcome, .go").all():
        box = await tap.bounding_box()
        assert box is not None and box["height"] >= 48
    await fits(page, PHONE["width"])
    await screenshot(page, "watch-phone")

    await case.locator(".go").click()
    await expect(case.locator(".problem")).to_have_text("请选择怎么处置的")
    await case.get_by_text("已上门，平安").click()
    await case.locator("textarea").fill("上门看了，老人感冒在家，已送药")
    await case.locator(".go").click()
    await expect(case.locator(".result")).to_have_text("已处置，明天回访。")
    await page.clock.fast_forward(READ_AGAIN_MS)
    await expect(page.locator(f"#case-{wang} .badge")).to_have_text("待回访")  # read again
    await expect(page.locator(f"#case-{wang} .later")).to_contain_text("回访")

    follow = page.locator(f"#case-{li}")
    await expect(follow.locator(".due")).to_be_visible()
    await follow.locator("textarea").fill("次日回访：已好转，明天来吃饭")
    await follow.locator(".go").click()
    await expect(follow.locator(".result")).to_have_text("已回访，此事完结。")
    await page.clock.fast_forward(READ_AGAIN_MS)
    await expect(page.locator(f"#case-{li}")).to_have_count(0)
    await expect(page.locator(f"#elder-{w.elders['李建国']} .calm")).to_have_text(
        "没有待处理的提醒"
    )
    await fits(page, PHONE["width"])
    await screenshot(page, "watch-phone-done")
    assert page.errors == []  # type: ignore[attr-defined]

    handled, closed = await Alert.get(id=wang), await Alert.get(id=li)
    assert (handled.status, handled.outcome, handled.handled_by_id) == (
        "handled",
        "visited_well",
        w.head.user_id,
    )
    assert (closed.status, closed.followed_up_by_id) == ("followed_up", w.head.user_id)

    # A case no longer open is on the board of the (local) month it was found in, and the
    # board shows this month's by default: ask for the cases' months, as the two weekdays
    # may lie in the month before this one, or straddle a month's end.
    office = await log_in(
        browser,
        site,
        (await make_user("staff")).username,
        f"/staff/alerts?month={w.before:%Y-%m}",
        LAPTOP,
    )
    done = office.locator(f"#case-{li}")
    await expect(done.locator(".state")).to_have_text("已回访，完结")
    await expect(done.locator(".steps li.done")).to_have_count(4)
    await expect(done.locator(".steps li").nth(3)).to_contain_text(w.head.username)
    await expect(done.locator(".steps li").nth(3)).to_contain_text("次日回访：已好转")
    await expect(done.locator(".steps li").nth(2)).to_contain_text("wangge")
    await expect(office.locator("#followed-up .value")).to_have_text("1")
    if f"{w.last:%Y-%m}" != f"{w.before:%Y-%m}":
        await office.goto(f"{site.url}/staff/alerts?month={w.last:%Y-%m}")
    now_handled = office.locator(f"#case-{wang}")
    await expect(now_handled.locator(".state")).to_contain_text("已处置，待回访")
    await expect(now_handled.locator(".steps li").nth(2)).to_contain_text("已上门，平安")
    await expect(office.locator(f"#case-{w.alerts['赵淑芬']} .state")).to_contain_text("待处置")
    await fits(office, LAPTOP["width"])
    await screenshot(office, "watch-board")
    await office.set_viewport_size(PHONE)
    await fits(office, PHONE["width"])
    await screenshot(office, "watch-board-phone")
    assert office.errors == []  # type: ignore[attr-defined]


async def test_the_office_adds_and_removes_a_watcher_on_the_elders_record(browser, site, world):
    w = world
    neighbour = await make_user("volunteer", username="linju")
    elder = w.elders["王秀兰"]
    page = await log_in(
        browser, site, (await make_user("staff")).username, f"/staff/diners/{elder}", LAPTOP
    )
    section = page.locator("#watchers")
    await expect(section.locator("tbody tr")).to_have_count(1)
    await section.locator("select[name=user_id]").select_option(str(neighbour.user_id))
    await section.locator("select[name=relation]").select_option("neighbour")
    await section.get_by_role("button", name="添加看护人").click()
    await expect(section.locator("tbody tr")).to_have_count(2)
    await expect(section.locator("tbody")).to_contain_text("linju")
    await expect(section.locator("tbody")).to_contain_text("邻居")
    await screenshot(page, "watch-diner-watchers")
    assert await Watcher.filter(diner_id=elder, user_id=neighbour.user_id).exists()

    page.on("dialog", lambda dialog: dialog.accept())
    row = section.locator("tbody tr", has_text="linju")
    await row.get_by_role("button", name="移除").click()
    await expect(section.locator("tbody tr")).to_have_count(1)
    assert not await Watcher.filter(diner_id=elder, user_id=neighbour.user_id).exists()
    assert page.errors == []  # type: ignore[attr-defined]
