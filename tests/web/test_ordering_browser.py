"""Ordering meals ahead in a real headless Chromium against a real server: a daughter orders her
father's lunch for tomorrow on a phone and sees it listed, cancels a dinner, and is told in
words why an order is refused; a manager edits a day's menu and the order settings; the
office takes an order by phone. Data is set up with the services on the server's own SQLite
file, and what a page claims is checked against the database. Screenshots land in
``var/screenshots/ordering-*.png``.
"""

from collections.abc import AsyncIterator
from datetime import date, timedelta

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from canteen import clock
from canteen.canteens import service as canteens
from canteen.canteens.models import Canteen
from canteen.orders.models import Menu, Order
from tests.conftest import LiveServer
from tests.web.conftest import broken, screenshot, server_on_copy, sign_in
from tests.web.test_ordering import SHANGHAI, kitchen

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture(scope="module")
async def site(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: str
) -> AsyncIterator[LiveServer]:
    """One server for the module: each test builds a canteen, its users and a diner of its own
    (``kitchen``), and checks only those."""
    async with server_on_copy(sqlite_template, tmp_path_factory.mktemp("ordering")) as server:
        yield server


async def session_context(browser: Browser, url: str, username: str, **options) -> BrowserContext:
    """A browser context (``options`` as ``new_context`` takes them) signed in as ``username``."""
    context = await browser.new_context(**options)
    await sign_in(context, url, username)
    return context


async def open_as(browser: Browser, site, username: str, path: str, viewport=PHONE) -> Page:
    """The page at ``path``, logged in as ``username``."""
    context = await session_context(
        browser,
        site.url,
        username,
        viewport=viewport,
        device_scale_factor=2 if viewport == PHONE else 1,
    )
    page = await context.new_page()
    page.errors = broken(page)  # type: ignore[attr-defined]
    await page.goto(site.url + path)
    return page


async def open_day(page: Page, on: date) -> None:
    """Unfold a day of the menu (the first day still open for orders comes unfolded)."""
    await page.eval_on_selector(f'details[data-date="{on.isoformat()}"]', "d => { d.open = true; }")


def tomorrow() -> date:
    return clock.today(SHANGHAI) + timedelta(days=1)


def dish(page: Page, on: date, offering_id: int):
    return page.locator(
        f'details[data-date="{on.isoformat()}"] article[data-offering-id="{offering_id}"]'
    )


async def sideways(page: Page) -> int:
    return await page.evaluate("document.documentElement.scrollWidth - innerWidth")


def money(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


async def test_on_a_phone_a_daughter_orders_tomorrows_lunch_and_cancels_a_dinner(browser, site):
    k = await kitchen()
    page = await open_as(browser, site, k.family.username, f"/family/diners/{k.diner_id}")
    await open_day(page, tomorrow())
    soft = dish(page, tomorrow(), k.soft.id)
    await expect(soft.locator(".clash-line")).to_have_count(0)
    await expect(dish(page, tomorrow(), k.lunch.id).locator(".clash-line").first).to_have_text(
        "⚠ 含花生，长者对此过敏"
    )
    button = soft.get_by_role("button", name="送餐上门 +¥3.00")
    box = await button.bounding_box()
    assert box and box["height"] >= 48, "a thumb-sized button"
    await button.click()
    status = page.locator("#order-status")
    await expect(status).to_contain_text("已预订")
    [order] = await Order.filter(diner_id=k.diner_id)
    assert order.delivery and order.local_date == tomorrow() and order.offering_id == k.soft.id
    await expect(status).to_contain_text("午餐「控糖软饭套餐」，送餐上门。价格 ¥13.00，补贴 ¥")
    await expect(status).to_contain_text(f"送餐费 ¥3.00，预计自付 ¥{money(order.estimate_fen)}。")
    listed = page.locator(f'.open-order[data-order-id="{order.id}"]')
    await expect(listed).to_contain_text("控糖软饭套餐")
    await expect(listed.locator(".pay")).to_have_text(f"预计自付 ¥{money(order.estimate_fen)}")
    assert await sideways(page) <= 0
    await screenshot(page, "ordering-family-placed-phone")

    # A dinner to eat in, then cancelled: it costs nothing and leaves the list as cancelled.
    dinner = dish(page, tomorrow(), k.dinner.id)
    await dinner.get_by_role("button", name="到店吃").click()
    await expect(status).to_contain_text("清淡晚餐套餐")
    supper = await Order.get(diner_id=k.diner_id, meal_type="dinner")
    row = page.locator(f'.open-order[data-order-id="{supper.id}"]')
    await row.get_by_role("button", name="取消预订").click()
    await expect(row.locator(".row-status")).to_have_text("已取消，不收费")
    assert (await Order.get(id=supper.id)).status == "cancelled"

    # The same lunch a second time: refused, in words, and nothing written.
    await dish(page, tomorrow(), k.lunch.id).get_by_role("button", name="到店吃").click()
    await expect(status).to_have_text("这一餐已经预订过了，可以在下面的「已预订」里查看或取消。")
    assert await Order.filter(diner_id=k.diner_id, meal_type="lunch").count() == 1
    await page.reload()  # what the server lists now: the lunch waiting, the dinner gone
    await expect(page.locator(".open-order")).to_have_count(1)
    await expect(page.locator(".open-order .what")).to_contain_text("控糖软饭套餐 · 送餐上门")
    assert await sideways(page) <= 0
    await screenshot(page, "ordering-family-listed-phone")
    assert page.errors == []  # type: ignore[attr-defined]


async def test_a_refusal_is_said_in_words_short_money_and_a_passed_cutoff(browser, site):
    k = await kitchen(balance_fen=500)
    page = await open_as(browser, site, k.family.username, f"/family/diners/{k.diner_id}")
    await open_day(page, tomorrow())
    await dish(page, tomorrow(), k.lunch.id).get_by_role("button", name="送餐上门 +¥3.00").click()
    status = page.locator("#order-status")
    await expect(status).to_contain_text("余额不够：加上其他待取的预订，还差 ¥")
    await expect(status).to_contain_text("请先充值。")
    await expect(status).to_have_class("order-status bad")
    await screenshot(page, "ordering-family-short-phone")

    # The canteen closes tomorrow's lunch orders the day before, while the page is open.
    await canteens.update_canteen(
        k.manager, k.canteen_id, {"order_cutoffs": {"lunch": "00:00 the day before"}}
    )
    await k.family_top_up(5000)
    await dish(page, tomorrow(), k.soft.id).get_by_role("button", name="到店吃").click()
    await expect(status).to_contain_text("已过预订截止时间（")
    await expect(status).to_contain_text("），不能再预订或取消这一餐。")
    assert not await Order.exists(diner_id=k.diner_id)
    await page.goto(f"{page.url}?lang=en")
    await open_day(page, tomorrow())
    await dish(page, tomorrow(), k.dinner.id).get_by_role("button", name="Eat in").click()
    await expect(status).to_contain_text("Ordered Dinner on")
    await expect(status).to_contain_text("eat in. Price ¥12.00, subsidy ¥")
    await screenshot(page, "ordering-family-en-phone")
    assert page.errors == []  # type: ignore[attr-defined]


async def test_a_manager_edits_tomorrows_menu_and_the_order_settings(browser, site):
    k = await kitchen()
    page = await open_as(
        browser, site, k.manager.username, f"/staff/canteens/{k.canteen_id}", LAPTOP
    )
    day = page.locator(f'details.menu-edit-day[data-date="{tomorrow().isoformat()}"]')
    if not await day.count():  # tomorrow is next week's Monday
        await page.click("#week-next")
    await page.eval_on_selector(
        f'details.menu-edit-day[data-date="{tomorrow().isoformat()}"]', "d => { d.open = true; }"
    )
    plain = day.locator(f'.menu-line[data-offering-id="{k.lunch.id}"]')
    await plain.locator("input[name=served]").uncheck()
    soft = day.locator(f'.menu-line[data-offering-id="{k.soft.id}"]')
    await soft.locator("input[name=dishes]").fill("清蒸鲈鱼，南瓜饭、 蒜蓉菜心")
    await soft.locator("input[name=allergens]").fill("鱼")
    await day.get_by_role("button", name="保存这天的菜单").click()
    await expect(day.locator(".status")).to_have_text("已保存")
    await expect(day.locator("summary .served")).to_contain_text("午餐 1")
    rows = await Menu.filter(canteen_id=k.canteen_id, local_date=tomorrow()).order_by("id")
    assert {(r.meal_type, r.offering_id) for r in rows} == {
        ("lunch", k.soft.id),
        ("dinner", k.dinner.id),
    }
    [lunch] = [r for r in rows if r.meal_type == "lunch"]
    assert lunch.dishes == ["清蒸鲈鱼", "南瓜饭", "蒜蓉菜心"] and lunch.allergens == ["鱼"]
    await screenshot(page, "ordering-menu-laptop")

    form = page.locator("#order-settings-form")
    lunch_row = form.locator('tr[data-meal="lunch"]')
    await lunch_row.locator("select[name=day_before]").select_option("1")
    await lunch_row.locator("input[name=at]").fill("20:00")
    await form.locator("input[name=delivery_fee_fen]").fill("12")
    await form.get_by_role("button").click()
    await expect(form.locator(".status")).to_have_text("送餐费是 0 到 10 元")
    await form.locator("input[name=delivery_fee_fen]").fill("2.5")
    await form.get_by_role("button").click()
    await expect(form.locator(".status")).to_have_text("已保存")
    canteen = await Canteen.get(id=k.canteen_id)
    assert canteen.delivery_fee_fen == 250
    assert canteen.order_cutoffs["lunch"] == "20:00 the day before"
    assert canteen.order_cutoffs["dinner"] == "14:00"
    await page.set_viewport_size(PHONE)
    assert await sideways(page) <= 0
    await screenshot(page, "ordering-canteen-phone")
    assert page.errors == []  # type: ignore[attr-defined]


async def test_the_office_orders_by_phone_for_an_elder(browser, site):
    from tests.conftest import make_user

    k = await kitchen()
    staff = await make_user("staff")
    page = await open_as(browser, site, staff.username, f"/staff/diners/{k.diner_id}", LAPTOP)
    section = page.locator("#ordering")
    await open_day(page, tomorrow())
    await section.locator("#order-note").fill("电话预订，少饭")
    await dish(page, tomorrow(), k.soft.id).get_by_role("button", name="到店吃").click()
    await expect(section.locator("#order-status")).to_contain_text("已预订")
    order = await Order.get(diner_id=k.diner_id)
    assert order.note == "电话预订，少饭" and order.placed_by_id == staff.user_id
    await expect(section.locator(".open-order")).to_have_count(1)
    await screenshot(page, "ordering-staff-laptop")
    assert page.errors == []  # type: ignore[attr-defined]


async def test_the_counter_shows_todays_menu_beside_the_dishes(browser, site):
    from tests.conftest import make_user

    k = await kitchen()
    cashier = await make_user("cashier", k.canteen_id)
    page = await open_as(browser, site, cashier.username, "/counter", LAPTOP)
    panel = page.locator("#today-menu")
    await expect(panel.locator("h2")).to_have_text("今日菜单")
    await expect(panel).to_contain_text("两荤一素套餐 宫保鸡丁、炒青菜 含：花生")
    assert await panel.is_visible()
    await screenshot(page, "ordering-counter-laptop")
    await page.set_viewport_size(PHONE)
    assert await sideways(page) <= 0
    await screenshot(page, "ordering-counter-phone")
