"""The cashier's page in a real Chromium against a real server: what the cashier sees and does.

A USB QR scanner is a keyboard: it types the card's payload and presses Enter, which is what
``page.keyboard`` does here. The data is set up with the services (the server shares the
SQLite file), and what the page claims is checked against the database.
"""

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import qrcode
from playwright.async_api import Browser, Page, Request, expect
from tortoise.queryset import QuerySet

from canteen.accounts import service as accounts
from canteen.accounts.models import Account, Topup
from canteen.canteens import service as canteens
from canteen.cards import service as cards
from canteen.checkout.models import Meal
from canteen.diners import service as diners
from canteen.policies import service as policies
from canteen.policies.models import Policy
from canteen.roles import SYSTEM, Actor
from tests.checkout.conftest import POLICY
from tests.conftest import PASSWORD, LiveServer, make_user
from tests.factories import id_number
from tests.web.conftest import CHROMIUM, screenshot, server_on_copy, sign_in

TOUCHSCREEN = {"width": 1024, "height": 768}
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 768}
BROKEN: list[str] = []
"""Uncaught script errors and CSP violations seen by any page of the running test."""


@pytest.fixture(scope="module")
async def site(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: str
) -> AsyncIterator[LiveServer]:
    """One real server for the module, on a SQLite database of its own: a start costs a second
    or two of the busy test machine, and every test works in a canteen of its own (its elders,
    its tills, its day's count and sales list), so no test sees another's sales. What a test
    counts over every meal, it counts over the meals made since its canteen opened
    (``Canteen.meals``). The policy is adopted before the server caches what is in force."""
    folder = tmp_path_factory.mktemp("counter")
    async with server_on_copy(
        sqlite_template, folder, lambda: policies.create(SYSTEM, POLICY)
    ) as server:
        yield server


class Tills:
    """The module's till pages, each in a browser context of its own (its own cookies and
    storage), handed to one test at a time and wiped between tests: the test that asks for a
    page gets it with no cookie, no storage of the counter's origin (its pending sales, its
    offline snapshot), no route, on a blank page at the touchscreen's size. A page opened in a
    context of its own costs the busy test machine about a second (a renderer process), and the
    counter's scripts come again from the server into each new context's empty cache; a wiped
    page costs a tenth of it. A test that needs two tills (a colleague, a manager, another till
    with its own storage) gets two pages of two contexts."""

    def __init__(self, chromium: Browser, url: str) -> None:
        self.chromium = chromium
        self.url = url
        self.free: list[Page] = []
        self.taken: list[Page] = []

    async def page(self) -> Page:
        """A wiped till page for the running test."""
        page = None
        while self.free and page is None:
            page = self.free.pop()
            if page.is_closed():  # closed under us (a fixture closing every context)
                page = None
        if page is None:
            # The offline counter's worker is blocked: once a worker controls the page,
            # Playwright's ``page.route`` no longer sees the page's requests (see ``log_in``).
            context = await self.chromium.new_context(
                viewport=TOUCHSCREEN, device_scale_factor=1, service_workers="block"
            )
            page = watch(await context.new_page())
        self.taken.append(page)
        return page

    async def give_back(self) -> None:
        """Wipe the running test's pages for the next test. A page that will not be wiped (a
        test that failed half-way may leave one so) is closed with its context, and the next
        test that needs one gets a new context."""
        taken, self.taken = self.taken, []
        for page in taken:
            try:
                await page.unroute_all(behavior="ignoreErrors")
                await page.goto("about:blank")  # the counter's page unloaded: no timer, no fetch
                await page.context.clear_cookies()
                cdp = await page.context.new_cdp_session(page)
                try:
                    await cdp.send(
                        "Storage.clearDataForOrigin", {"origin": self.url, "storageTypes": "all"}
                    )
                finally:
                    await cdp.detach()
                await page.set_viewport_size(TOUCHSCREEN)
            except Exception:
                await page.context.close()
            else:
                self.free.append(page)

    async def close(self) -> None:
        for page in self.free + self.taken:
            await page.context.close()


@pytest.fixture(scope="module")
async def till_pages(chromium: Browser, site: LiveServer) -> AsyncIterator[Tills]:
    pool = Tills(chromium, site.url)
    yield pool
    await pool.close()


@pytest.fixture
async def tills(till_pages: Tills) -> AsyncIterator[Tills]:
    """The module's till pages; the pages the test took are wiped when it ends. (No test here
    asks for ``browser``: it closes every context of the run's Chromium, these too.)"""
    yield till_pages
    await till_pages.give_back()


@pytest.fixture(autouse=True)
def _no_broken_script():
    BROKEN.clear()
    yield
    assert BROKEN == [], "the page's script broke or met the CSP"


def watch(page: Page) -> Page:
    page.on("pageerror", lambda error: BROKEN.append(str(error)))
    page.on(
        "console",
        lambda msg: BROKEN.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return page


@dataclass
class Elder:
    id: int
    name: str
    card: str
    card_id: int
    serial: str
    """Printed on the card, to be typed in when it will not scan."""
    last4: str
    """What the elder tells the cashier when the card is missing."""


@dataclass
class Canteen:
    id: int
    admin: Actor
    last_meal_before: int
    """The newest meal's id when the canteen opened (0: none): the server is the module's."""

    def meals(self) -> QuerySet[Meal]:
        """Every meal made since the canteen opened, in any canteen."""
        return Meal.filter(id__gt=self.last_meal_before)


async def open_canteen() -> Canteen:
    admin = await make_user("admin")
    canteen = await canteens.create_canteen(
        admin,
        name="北京街长者饭堂",
        district="越秀区",
        street="北京街",
        timezone=None,
        default_timezone="Asia/Shanghai",
    )
    for name, price in (("两荤一素", 1500), ("一荤两素", 1200)):
        await canteens.create_offering(
            admin, canteen.id, name=name, meal_type="lunch", price_fen=price, tags=[]
        )
    if not await Policy.exists():
        await policies.create(SYSTEM, POLICY)
    newest = await Meal.all().order_by("-id").first()
    return Canteen(canteen.id, admin, newest.id if newest else 0)


async def enrol(
    canteen: Canteen,
    name: str,
    balance_fen: int = 5000,
    dietary: tuple[str, ...] = (),
    home: bool = False,
) -> Elder:
    """An elder with a card; ``home``: this canteen is their home canteen (a counter reaches
    their account for a top-up before they have eaten here)."""
    number = id_number("19400101")
    diner = await diners.enrol(
        SYSTEM,
        id_number=number,
        name=name,
        district="越秀区",
        street="北京街",
        categories=["low_income"],
        dietary=list(dietary),
        home_canteen_id=canteen.id if home else None,
    )
    if balance_fen:
        await accounts.top_up(canteen.admin, diner.id, amount_fen=balance_fen, method="cash")
    card = await cards.issue(canteen.admin, diner.id)
    return Elder(diner.id, name, cards.payload_of(card), card.id, card.serial, number[-4:])


async def log_in(tills: Tills, site, role: str, canteen: Canteen, by_form: bool = False) -> Page:
    """A counter online, on a till page of the module's (``Tills``). Its service worker (the
    offline counter's, tested in test_counter_offline.py) is blocked: once a worker controls
    the page, Playwright's ``page.route`` no longer sees the page's requests, and these tests
    lose answers with it."""
    user = await make_user(role, canteen_id=canteen.id)
    page = await tills.page()
    if by_form:
        return await log_in_by_form(page, site, user)
    return await log_in_as(page, site, user)


async def log_in_by_form(page: Page, site, user: Actor) -> Page:
    """Log ``page`` in through the form, as a cashier does, and wait until the counter, where
    the form sends them, is ready for a scan."""
    await page.goto(site.url + "/login")
    await page.fill("input[name=username]", user.username)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("button.primary")
    await page.wait_for_url("**/counter")
    await expect(page.locator('.dish[aria-pressed="true"]')).to_have_count(1)
    return page


async def log_in_as(page: Page, site, user: Actor) -> Page:
    """``page`` in ``user``'s session, on the counter, ready for a scan."""
    await sign_in(page.context, site.url, user.username)
    await page.goto(site.url + "/counter")
    await expect(page.locator('.dish[aria-pressed="true"]')).to_have_count(1)
    return page


async def scan(page: Page, payload: str) -> None:
    """What a USB scanner does: type the payload into whatever has focus, then Enter."""
    await page.keyboard.type(payload)
    await page.keyboard.press("Enter")


def yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d} 元"


def fen_of(shown: str) -> int:
    """The fen of an amount as the page shows it ("12.50 元")."""
    whole, cents = shown.removesuffix(" 元").split(".")
    return int(whole) * 100 + int(cents)


async def balance(diner_id: int) -> int:
    return (await Account.get(diner_id=diner_id)).balance_fen


async def no_sideways_scroll(page: Page) -> bool:
    width = await page.evaluate("document.documentElement.scrollWidth")
    return width <= page.viewport_size["width"]


async def test_a_cashier_scans_confirms_and_sees_the_new_balance(tills, site):
    canteen = await open_canteen()
    elder = await enrol(canteen, "王秀英", dietary=("diabetic", "allergy:peanut"))
    page = await log_in(tills, site, "cashier", canteen, by_form=True)
    await expect(page.locator("#count")).to_have_text("今日已售 0 份")
    await expect(page.locator("#scan")).to_be_focused()
    await page.click(".dish >> nth=1")
    await page.click("#stage")
    await expect(page.locator("#scan")).to_be_focused()
    await screenshot(page, "counter-idle")

    await scan(page, elder.card)
    await expect(page.locator("#q-name")).to_have_text("王秀英")
    await expect(page.locator("#q-warnings")).to_contain_text("糖尿病餐")
    await expect(page.locator("#q-warnings")).to_contain_text("过敏:peanut")
    shown = await page.locator("#stage").inner_text()
    assert "低保" not in shown and "80 岁" not in shown, "no category or breakdown on screen"
    pay_shown = await page.locator("#q-pay").inner_text()
    await screenshot(page, "counter-quote")

    await page.keyboard.press("Enter")
    await expect(page.locator("#sold")).to_be_visible()
    meal = await Meal.get(diner_id=elder.id)
    assert pay_shown == yuan(meal.pay_fen) and meal.pay_fen > 0
    assert await balance(elder.id) == 5000 - meal.pay_fen
    await expect(page.locator("#s-amount-label")).to_have_text("新余额")
    await expect(page.locator("#s-amount")).to_have_text(yuan(5000 - meal.pay_fen))
    await expect(page.locator("#count")).to_have_text("今日已售 1 份")
    await screenshot(page, "counter-sold")
    await page.click("#sold summary")  # the breakdown, folded away by default
    await expect(page.locator("#s-receipt")).to_contain_text("80 岁及以上")
    await screenshot(page, "counter-receipt")

    await scan(page, elder.card)  # the same card again, seconds later
    await expect(page.locator("#double")).to_contain_text("秒前已给此人售出一份，再售一份？")
    await expect(page.locator("#q-warnings")).to_contain_text("秒前刚售过")  # kind "sale"
    await expect(page.locator("#q-warnings")).to_contain_text("今日补贴已用完")  # age80: 1 a day
    await screenshot(page, "counter-double")
    await page.keyboard.press("Enter")  # the safe answer: no second meal
    await expect(page.locator("#double")).to_be_hidden()
    assert await Meal.filter(diner_id=elder.id).count() == 1

    await scan(page, elder.card)
    await page.click("#double-yes")
    await expect(page.locator("#count")).to_have_text("今日已售 2 份")
    assert await Meal.filter(diner_id=elder.id).count() == 2

    await page.click("#void-open")
    await page.click("text=扫错了")
    await expect(page.locator("#count")).to_have_text("今日已售 1 份")
    await expect(page.locator("#last")).to_contain_text("已撤销")
    assert await balance(elder.id) == 5000 - meal.pay_fen
    assert await Meal.filter(diner_id=elder.id, voided_at__isnull=False).count() == 1


async def test_errors_turn_the_screen_red_until_answered(tills, site):
    canteen = await open_canteen()
    revoked, broke = await enrol(canteen, "李建国"), await enrol(canteen, "孙国华", balance_fen=0)
    await cards.revoke(canteen.admin, revoked.card_id, "lost")
    page = await log_in(tills, site, "cashier", canteen)

    await scan(page, revoked.card)
    await expect(page.locator("#error")).to_be_visible()
    await expect(page.locator("#error-text")).to_have_text("此卡已挂失或作废")
    await screenshot(page, "counter-error")
    await page.keyboard.press("Enter")
    await expect(page.locator("#error")).to_be_hidden()
    await expect(page.locator("#idle")).to_be_visible()

    await scan(page, "not-a-card")
    await expect(page.locator("#error-text")).to_have_text("无效的卡")
    await page.click("#error-ok")
    await expect(page.locator("#error")).to_be_hidden()

    await scan(page, broke.card)
    await expect(page.locator("#q-warnings")).to_contain_text("余额不足提醒")
    await page.keyboard.press("Enter")  # an account that cannot pay is never charged
    await expect(page.locator("#confirm")).to_have_text("余额不足，不能从账户扣款")
    await expect(page.locator("#confirm")).to_be_disabled()
    assert await canteen.meals().count() == 0


async def test_a_proxys_page_instead_of_an_answer_is_a_server_fault_to_retry(tills, site):
    canteen = await open_canteen()
    elder = await enrol(canteen, "黄美兰")
    page = await log_in(tills, site, "cashier", canteen)
    failures = [502]  # a proxy in front of a restarting server

    async def proxy_fails_once(route):
        if failures:
            await route.fulfill(
                status=failures.pop(), content_type="text/html", body="<h1>Bad</h1>"
            )
        else:
            await route.continue_()

    await page.route("**/api/v1/checkout/quote", proxy_fails_once)
    await scan(page, elder.card)
    await expect(page.locator("#error-text")).to_have_text("系统故障，请重试")
    await expect(page.locator("#error-ok")).to_have_text("重试（回车）")
    await page.keyboard.press("Enter")
    await expect(page.locator("#q-name")).to_have_text("黄美兰")


async def test_a_sale_whose_answer_is_lost_is_retried_with_its_key_and_sold_once(tills, site):
    canteen = await open_canteen()
    elder = await enrol(canteen, "刘德兰")
    page = await log_in(tills, site, "cashier", canteen)
    keys = []

    async def lose_the_first_answer(route):
        keys.append(route.request.headers["idempotency-key"])
        if len(keys) == 1:
            await route.fetch()  # the server sells...
            await route.abort("connectionreset")  # ...but the till never hears of it
        else:
            await route.continue_()

    await page.route("**/api/v1/meals", lose_the_first_answer)
    await scan(page, elder.card)
    await expect(page.locator("#q-name")).to_have_text("刘德兰")
    await page.keyboard.press("Enter")
    await expect(page.locator("#error-text")).to_have_text("网络故障，请重试")
    await page.keyboard.press("Enter")  # retry
    await expect(page.locator("#sold")).to_be_visible()
    assert len(keys) == 2 and keys[0] == keys[1]
    assert await Meal.filter(diner_id=elder.id).count() == 1
    await expect(page.locator("#count")).to_have_text("今日已售 1 份")


async def _lose_the_first_sale(page: Page) -> list[str]:
    """The server sells the first POST /meals, but its answer never reaches the till."""
    keys: list[str] = []

    async def lose(route):
        keys.append(route.request.headers["idempotency-key"])
        if len(keys) == 1:
            await route.fetch()
            await route.abort("connectionreset")
        else:
            await route.continue_()

    await page.route("**/api/v1/meals", lose)
    return keys


async def test_a_lost_answer_given_up_then_rescanned_never_sells_twice(tills, site):
    """Issue 12, item 4: lost answer, 放弃这一笔, rescan. Before: a second meal, no warning."""
    canteen = await open_canteen()
    elder = await enrol(canteen, "刘德兰")
    page = await log_in(tills, site, "cashier", canteen)
    keys = await _lose_the_first_sale(page)
    await scan(page, elder.card)
    await expect(page.locator("#q-name")).to_have_text("刘德兰")
    await page.keyboard.press("Enter")
    await expect(page.locator("#error-text")).to_have_text("网络故障，请重试")
    await page.click("#error-give-up")
    await expect(page.locator("#pending")).to_contain_text("1 笔收款未确认")
    assert await Meal.filter(diner_id=elder.id).count() == 1, "the server did sell it"

    await scan(page, elder.card)  # the elder is still there; the cashier scans again
    await expect(page.locator("#double")).to_be_visible()
    await expect(page.locator("#double-title")).to_contain_text("秒前已给此人售出一份")
    await screenshot(page, "counter-lost-answer-resolved")
    assert keys == [keys[0], keys[0]], "the unanswered sale was sent again with its own key"
    await page.keyboard.press("Enter")  # the safe answer: no second meal
    await expect(page.locator("#double")).to_be_hidden()
    await expect(page.locator("#pending")).to_be_hidden()
    await expect(page.locator("#count")).to_have_text("今日已售 1 份")
    await expect(page.locator("#last")).to_contain_text("刘德兰")
    assert await Meal.filter(diner_id=elder.id).count() == 1
    assert await balance(elder.id) == 5000 - (await Meal.get(diner_id=elder.id)).pay_fen


async def test_a_lost_answer_survives_a_reload_and_another_till_is_warned(tills, site):
    canteen = await open_canteen()
    elder = await enrol(canteen, "陈玉珍")
    page = await log_in(tills, site, "cashier", canteen)
    await _lose_the_first_sale(page)
    await scan(page, elder.card)
    await expect(page.locator("#q-name")).to_have_text("陈玉珍")
    await page.keyboard.press("Enter")
    await expect(page.locator("#error-text")).to_have_text("网络故障，请重试")
    await page.reload()  # the cashier reloads the page instead of answering
    await expect(page.locator("#pending")).to_contain_text("1 笔收款未确认")
    await expect(page.locator('.dish[aria-pressed="true"]')).to_have_count(1)
    await scan(page, elder.card)
    await expect(page.locator("#double-title")).to_contain_text("秒前已给此人售出一份")
    await page.keyboard.press("Enter")
    assert await Meal.filter(diner_id=elder.id).count() == 1

    await screenshot(page, "counter-after-reload")
    other = await log_in(tills, site, "cashier", canteen)  # another till, its own storage
    await scan(other, elder.card)
    await expect(other.locator("#double-title")).to_contain_text("秒前已给此人售出一份")
    await other.keyboard.press("Enter")
    assert await Meal.filter(diner_id=elder.id).count() == 1


async def test_a_balance_that_cannot_pay_offers_cash_not_a_green_confirm(tills, site):
    canteen = await open_canteen()
    elder = await enrol(canteen, "孙国华", balance_fen=300)
    page = await log_in(tills, site, "cashier", canteen)
    await scan(page, elder.card)
    await expect(page.locator("#confirm")).to_be_disabled()
    await expect(page.locator("#confirm")).to_have_class(re.compile(r"\bshort\b"))
    await expect(page.locator("#q-short")).to_contain_text("请先充值，或收现金")
    await screenshot(page, "counter-short")
    await page.keyboard.press("Enter")  # Enter sells nothing from an account that cannot pay
    await expect(page.locator("#quote")).to_be_visible()
    assert await canteen.meals().count() == 0
    await page.click("#cash")
    await expect(page.locator("#cash-received")).to_be_focused()
    await page.keyboard.press("Enter")  # the exact sum, as the dialog offers it
    await expect(page.locator("#sold")).to_be_visible()
    meal = await Meal.get(diner_id=elder.id)
    assert meal.payment == "cash" and await balance(elder.id) == 300
    await expect(page.locator("#s-amount")).to_have_text("0.00 元")  # no change


async def test_a_cashier_takes_cash_for_a_meal_and_sees_the_change(tills, site):
    canteen = await open_canteen()
    elder = await enrol(canteen, "钱桂英")
    page = await log_in(tills, site, "cashier", canteen)
    await page.set_viewport_size(DESK)
    await scan(page, elder.card)
    await expect(page.locator("#q-name")).to_have_text("钱桂英")
    pay = await page.locator("#q-pay").inner_text()
    await page.click("#cash")
    await expect(page.locator("#cash-due")).to_have_text(pay)
    await expect(page.locator("#cash-quick")).to_contain_text("20.00 元")  # a note that covers it
    await page.fill("#cash-received", "1")
    await page.keyboard.press("Enter")
    await expect(page.locator("#cash-error")).to_contain_text("实收不够，还差")
    await expect(page.locator("#cash-received")).to_be_focused()
    await page.fill("#cash-received", "20")
    meal_fen = fen_of(pay)
    await expect(page.locator("#cash-change")).to_have_text(yuan(2000 - meal_fen))
    await screenshot(page, "counter-cash-1366")
    await page.keyboard.press("Enter")

    await expect(page.locator("#s-paid-by")).to_have_text("已收现金")
    await expect(page.locator("#s-amount-label")).to_have_text("找零")
    await expect(page.locator("#s-amount")).to_have_text(yuan(2000 - meal_fen))
    untouched = f"实收 20.00 元 · 未从账户扣款，余额 {yuan(5000)}"
    await expect(page.locator("#s-cash")).to_have_text(untouched)
    await expect(page.locator("#last")).to_contain_text(f"已收现金 {pay}")
    meal = await Meal.get(diner_id=elder.id)
    assert meal.payment == "cash" and meal.pay_fen == meal_fen
    assert await balance(elder.id) == 5000, "a cash meal leaves the account alone"
    assert await no_sideways_scroll(page)
    await screenshot(page, "counter-cash-sold-1366")
    await page.set_viewport_size(PHONE)
    assert await no_sideways_scroll(page)
    await screenshot(page, "counter-cash-sold-390")


async def test_a_cash_top_up_shows_the_change_and_the_new_balance_then_the_account_pays(
    tills, site
):
    canteen = await open_canteen()
    elder = await enrol(canteen, "冯淑华", balance_fen=300, home=True)
    page = await log_in(tills, site, "cashier", canteen)
    await page.set_viewport_size(PHONE)
    await scan(page, elder.card)
    await expect(page.locator("#confirm")).to_be_disabled()  # 3 yuan cannot pay for the meal
    await page.click("#q-topup")
    await expect(page.locator("#topup-title")).to_have_text("现金充值 · 冯淑华")
    await expect(page.locator("#topup-balance")).to_have_text("当前余额 3.00 元")
    await expect(page.locator("#topup-amount")).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(page.locator("#topup-amount-error")).to_have_text("请输入金额，如 20 或 20.50")
    await page.locator("#topup-quick").get_by_role("button", name="100 元", exact=True).click()
    await page.fill("#topup-received", "150")
    await expect(page.locator("#topup-change")).to_have_text("50.00 元")
    assert await no_sideways_scroll(page)
    await screenshot(page, "counter-topup-390")
    await page.keyboard.press("Enter")

    await expect(page.locator("#topup-done")).to_have_text("已充值 100.00 元，找零 50.00 元")
    await expect(page.locator("#topup-balance")).to_have_text("当前余额 103.00 元")
    assert await balance(elder.id) == 10300
    assert await Topup.filter(account__diner_id=elder.id, method="cash").count() == 2
    await screenshot(page, "counter-topup-done-390")
    await expect(page.locator("#topup-close")).to_be_focused()
    await page.keyboard.press("Enter")  # 完成
    await expect(page.locator("#topup")).to_be_hidden()
    await expect(page.locator("#confirm")).to_be_enabled()  # quoted again: the account pays
    await expect(page.locator("#scan")).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(page.locator("#s-paid-by")).to_have_text("已收款")
    meal = await Meal.get(diner_id=elder.id)
    assert meal.payment == "account" and await balance(elder.id) == 10300 - meal.pay_fen

    await page.set_viewport_size(DESK)
    await page.click("#s-topup")  # the person just sold to, still on screen
    await expect(page.locator("#topup-balance")).to_have_text(
        f"当前余额 {yuan(10300 - meal.pay_fen)}"
    )
    await page.fill("#topup-amount", "20")
    await page.keyboard.press("Enter")
    await expect(page.locator("#topup-done")).to_be_visible()
    await page.keyboard.press("Enter")
    await expect(page.locator("#topup")).to_be_hidden()
    await expect(page.locator("#s-amount")).to_have_text(yuan(12300 - meal.pay_fen))
    await expect(page.locator("#s-topped")).to_have_text(
        f"已充值 20.00 元，余额 {yuan(12300 - meal.pay_fen)}"
    )
    assert await balance(elder.id) == 12300 - meal.pay_fen
    await screenshot(page, "counter-topped-1366")


async def test_a_double_tap_or_a_resend_of_a_top_up_credits_once(tills, site):
    canteen = await open_canteen()
    elder = await enrol(canteen, "蒋玉兰", balance_fen=0, home=True)
    page = await log_in(tills, site, "cashier", canteen)
    keys: list[str] = []

    async def lose_the_first_answer(route):
        keys.append(route.request.headers["idempotency-key"])
        if len(keys) == 1:
            await route.fetch()  # the server credits...
            await route.abort("connectionreset")  # ...but the till never hears of it
        else:
            await route.continue_()

    await page.route("**/api/v1/diners/*/topups", lose_the_first_answer)
    await scan(page, elder.card)
    await page.click("#q-topup")
    await page.fill("#topup-amount", "50")
    await page.dblclick("#topup-send")
    await expect(page.locator("#topup-status")).to_contain_text("这笔充值可能已经到账")
    assert len(keys) == 1, "a double tap sends the top-up once"
    assert await balance(elder.id) == 5000, "the server did credit it"

    await page.keyboard.press("Escape")  # the cashier closes it, then thinks better of it
    await page.click("#q-topup")
    await expect(page.locator("#topup-status")).to_have_text("上一笔充值未确认，请按重试核对")
    await expect(page.locator("#topup-amount")).to_have_value("50.00")
    assert await page.locator("#topup-amount").evaluate("(e) => e.readOnly")
    await expect(page.locator("#topup-send")).to_be_focused()
    await page.keyboard.press("Enter")  # 重试
    await expect(page.locator("#topup-done")).to_have_text("已充值 50.00 元，找零 0.00 元")
    await expect(page.locator("#topup-balance")).to_have_text("当前余额 50.00 元")
    assert keys == [keys[0], keys[0]], "the resend carried the first key"
    assert await balance(elder.id) == 5000
    assert await Topup.filter(account__diner_id=elder.id).count() == 1


async def _sell_on_the_page(page: Page, card: str, cash: bool = False) -> None:
    await scan(page, card)
    await expect(page.locator("#quote")).to_be_visible()
    if cash:
        await page.click("#cash")
        await expect(page.locator("#cash-received")).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(page.locator("#sold")).to_be_visible()


async def test_a_manager_voids_an_earlier_sale_of_today_from_the_list(tills, site):
    canteen = await open_canteen()
    first, second = await enrol(canteen, "韩秀兰"), await enrol(canteen, "杨国庆")
    till = await log_in(tills, site, "cashier", canteen)
    await _sell_on_the_page(till, first.card, cash=True)
    await _sell_on_the_page(till, second.card)
    cash_meal = await Meal.get(diner_id=first.id)

    manager = await log_in(tills, site, "manager", canteen)
    await manager.set_viewport_size(DESK)
    await expect(manager.locator("#count")).to_have_text("今日已售 2 份")
    await manager.click("#sales-open")
    await expect(manager.locator(".sale")).to_have_count(2)
    await expect(manager.locator(".sale >> nth=0")).to_contain_text("杨国庆")  # newest first
    row = manager.locator(".sale:has-text('韩秀兰')")
    await expect(row).to_contain_text("现金")
    await screenshot(manager, "counter-sales-1366")
    await row.locator(".sale-void").click()
    await expect(row.locator(".sale-reason >> nth=0")).to_be_focused()
    await screenshot(manager, "counter-sales-reason-1366")
    await row.locator("text=顾客不要了").click()
    await expect(row).to_contain_text(f"已撤销，请退还现金 {yuan(cash_meal.pay_fen)}")
    await expect(manager.locator("#count")).to_have_text("今日已售 1 份")
    voided = await Meal.get(id=cash_meal.id)
    assert voided.voided_at is not None and voided.void_reason == "diner_declined"
    assert await balance(first.id) == 5000, "a cash sale's void refunds no account"
    await manager.set_viewport_size(PHONE)
    assert await no_sideways_scroll(manager)
    await screenshot(manager, "counter-sales-390")

    await manager.keyboard.press("Escape")
    await manager.set_viewport_size(DESK)
    await manager.click("#sales-open")  # the list from the server again
    await expect(manager.locator(".sale:has-text('韩秀兰')")).to_contain_text("已撤销")
    await expect(manager.locator(".sale:has-text('杨国庆') .sale-void")).to_be_visible()


async def test_a_cashier_is_offered_voids_of_their_own_recent_sales_only(tills, site):
    canteen = await open_canteen()
    mine, theirs = await enrol(canteen, "朱桂兰"), await enrol(canteen, "秦建华")
    colleague = await log_in(tills, site, "cashier", canteen)
    await _sell_on_the_page(colleague, theirs.card)
    page = await log_in(tills, site, "cashier", canteen)
    await _sell_on_the_page(page, mine.card)

    await page.click("#sales-open")
    await expect(page.locator(".sale")).to_have_count(2)
    await expect(page.locator(".box-note")).to_have_text("收银员只能撤销自己 10 分钟内售出的")
    await expect(page.locator(".sale:has-text('秦建华') .sale-void")).to_have_count(0)
    await page.locator(".sale:has-text('朱桂兰') .sale-void").click()
    await page.locator(".sale:has-text('朱桂兰') >> text=扫错了").click()
    await expect(page.locator(".sale:has-text('朱桂兰')")).to_contain_text("已撤销，退回")
    await expect(page.locator("#count")).to_have_text("今日已售 1 份")
    await expect(page.locator("#last")).to_contain_text("已撤销")  # it was this till's last
    assert await balance(mine.id) == 5000
    assert await canteen.meals().filter(voided_at__isnull=False).count() == 1


async def test_scans_back_to_back_are_queued_and_sold_in_order(tills, site):
    canteen = await open_canteen()
    first, second = await enrol(canteen, "张桂兰"), await enrol(canteen, "陈志明")
    page = await log_in(tills, site, "cashier", canteen)

    await scan(page, first.card)
    await scan(page, second.card)  # while the first is still on screen, unconfirmed
    await expect(page.locator("#q-name")).to_have_text("张桂兰")
    await expect(page.locator("#queue")).to_have_text("排队 1 人")
    await page.keyboard.press("Enter")
    await expect(page.locator("#q-name")).to_have_text("陈志明")
    await expect(page.locator("#queue")).to_be_hidden()
    await expect(page.locator("#last")).to_contain_text("张桂兰")
    await page.keyboard.press("Enter")
    await expect(page.locator("#s-name")).to_have_text("陈志明")

    sold = await canteen.meals().order_by("id").values_list("diner_id", flat=True)
    assert sold == [first.id, second.id]


async def test_the_days_figure_is_the_servers_count_of_every_till(tills, site):
    canteen = await open_canteen()
    first, second = await enrol(canteen, "周桂芳"), await enrol(canteen, "吴建国")
    till = await log_in(tills, site, "cashier", canteen)
    await scan(till, first.card)
    await expect(till.locator("#q-name")).to_have_text("周桂芳")
    await till.keyboard.press("Enter")
    await expect(till.locator("#count")).to_have_text("今日已售 1 份")

    asked: list[str] = []

    def note(request: Request) -> None:
        if "/api/v1/meals" in request.url:
            asked.append(request.url)

    other = await tills.page()
    await other.set_viewport_size(DESK)
    other.on("request", note)
    await log_in_as(other, site, await make_user("cashier", canteen_id=canteen.id))
    await expect(other.locator("#count")).to_have_text("今日已售 1 份")  # the first till's sale
    assert asked and all("/api/v1/meals/count?" in url for url in asked), asked
    other.remove_listener("request", note)  # the page is the module's, for the next tests

    await scan(other, second.card)
    await expect(other.locator("#q-name")).to_have_text("吴建国")
    await other.keyboard.press("Enter")
    await expect(other.locator("#count")).to_have_text("今日已售 2 份")
    assert await no_sideways_scroll(other)
    await screenshot(other, "counter-1366")
    await other.set_viewport_size({"width": 390, "height": 844})
    assert await no_sideways_scroll(other)
    await screenshot(other, "counter-390")

    await till.reload()
    await expect(till.locator("#count")).to_have_text("今日已售 2 份")


async def test_a_card_that_will_not_scan_is_sold_by_hand_with_a_reason(tills, site):
    canteen = await open_canteen()
    elder = await enrol(canteen, "赵淑珍")
    page = await log_in(tills, site, "manager", canteen)
    await expect(page.locator("#manual-list")).to_have_text("暂无")
    await expect(page.locator(".to-reports a")).to_have_attribute("href", "/staff")  # manager

    await page.click("#find-open")
    await page.fill("#find-q", "赵淑")
    await page.keyboard.press("Enter")
    await expect(page.locator("#find-results")).to_have_text("没有找到")  # a full name only
    await page.fill("#find-q", "赵淑珍")
    await page.keyboard.press("Enter")
    await page.click(".person:has-text('赵淑珍')")
    await page.click("text=忘带卡")
    await expect(page.locator("#find-sell")).to_be_disabled()  # not without the elder's answer
    wrong = "0000" if elder.last4 != "0000" else "1111"
    await page.fill("#find-answer", wrong)
    await page.click("#find-sell")
    await expect(page.locator("#error-text")).to_have_text("后4位不符，请再问一次老人")
    await page.keyboard.press("Enter")
    await page.click("#find-open")
    await page.fill("#find-q", "赵淑珍")
    await page.keyboard.press("Enter")
    await page.click(".person:has-text('赵淑珍')")
    await page.click("text=忘带卡")
    await page.fill("#find-answer", elder.last4)
    await screenshot(page, "counter-manual")
    await page.click("#find-sell")
    await expect(page.locator("#q-name")).to_have_text("赵淑珍")
    await expect(page.locator("#q-manual")).to_be_visible()
    await page.keyboard.press("Enter")
    await expect(page.locator("#sold")).to_be_visible()

    meal = await Meal.get(diner_id=elder.id)
    assert meal.manual_reason == "card_forgotten" and meal.card_id is None
    await expect(page.locator("#manual-list")).to_contain_text("赵淑珍 · 忘带卡")
    await expect(page.locator("#manual-list")).to_contain_text("收银员")
    await screenshot(page, "counter-manager")


async def test_a_card_that_will_not_scan_is_sold_by_its_printed_serial(tills, site):
    canteen = await open_canteen()
    elder = await enrol(canteen, "何素珍")
    page = await log_in(tills, site, "cashier", canteen)
    await page.click("#find-open")
    await page.fill("#find-serial", "NOPE-1")
    await page.keyboard.press("Enter")
    await page.click("text=卡损坏")
    await page.fill("#find-answer", elder.last4)
    await page.click("#find-sell")
    await expect(page.locator("#error-text")).to_have_text("没有这个卡号，请核对卡上印的号码")
    await page.keyboard.press("Enter")

    await page.click("#find-open")
    typed = f" {elder.serial.lower()} "  # as a cashier might type it
    await page.fill("#find-serial", typed)
    await page.keyboard.press("Enter")
    await expect(page.locator("#find-results")).to_have_text(f"卡号 {elder.serial}")
    await page.click("text=卡损坏")
    await expect(page.locator("#find-sell")).to_be_disabled()  # not without the elder's answer
    await page.fill("#find-answer", elder.last4)
    await screenshot(page, "counter-serial")
    await page.click("#find-sell")
    await expect(page.locator("#q-name")).to_have_text("何素珍")
    await expect(page.locator("#q-manual")).to_be_visible()
    await page.keyboard.press("Enter")
    await expect(page.locator("#sold")).to_be_visible()
    meal = await Meal.get(diner_id=elder.id)
    assert meal.manual_reason == "card_damaged", "a serial typed in is a sale without the card"


async def test_the_counter_fits_a_touchscreen_and_a_phone_and_speaks_english(tills, site):
    canteen = await open_canteen()
    elder = await enrol(canteen, "欧阳秀英", dietary=("low_salt", "soft_food"))
    page = await log_in(tills, site, "cashier", canteen)  # at 1 px a pixel
    assert await no_sideways_scroll(page)
    await scan(page, elder.card)
    await expect(page.locator("#q-warnings")).to_contain_text("少盐")
    assert await no_sideways_scroll(page)

    await page.set_viewport_size(PHONE)
    assert await no_sideways_scroll(page)
    await screenshot(page, "counter-phone")

    await page.goto(site.url + "/counter?lang=en")
    await expect(page.locator("#idle")).to_have_text("Scan a meal card")
    await expect(page.locator("#count")).to_have_text("Sold today: 0")
    await scan(page, elder.card)
    await expect(page.locator("#confirm")).to_have_text("Confirm")
    await expect(page.locator("#q-warnings")).to_contain_text("Low salt")
    assert await no_sideways_scroll(page)
    await screenshot(page, "counter-en")
    await page.click("#cash")
    await expect(page.locator("#cash-box")).to_contain_text("Cash received (yuan)")
    await page.fill("#cash-received", "x")
    await page.keyboard.press("Enter")
    await expect(page.locator("#cash-error")).to_have_text("Type an amount, e.g. 20 or 20.50")
    await screenshot(page, "counter-cash-en")
    await page.keyboard.press("Escape")
    await page.click("#q-topup")
    await expect(page.locator("#topup-title")).to_have_text("Cash top-up · 欧阳秀英")
    await expect(page.locator("#topup-send")).to_have_text("Top up (Enter)")
    await page.keyboard.press("Escape")
    await page.click("#sales-open")
    await expect(page.locator("#sales-status")).to_have_text("No sales yet today")
    await expect(page.locator("#sales .box-note")).to_have_text(
        "A cashier voids only their own sales, within 10 minutes"
    )


@pytest.mark.parametrize("role", ["staff", "admin", "family"])
async def test_only_cashiers_and_managers_may_open_the_counter(site, role):
    user = await make_user(role)
    async with httpx.AsyncClient(base_url=site.url) as client:
        r = await client.get("/counter")
        assert r.status_code == 303 and r.headers["location"] == "/login?next=/counter"
        form = await client.get("/login")
        csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
        login = {"username": user.username, "password": PASSWORD, "csrf": csrf}
        await client.post("/login", data=login)
        r = await client.get("/counter")
        assert r.status_code == 403 and "您的账号不能使用此页面" in r.text
        assert "sales-list" not in r.text and "topup-form" not in r.text


def _qr_video(payload: str, path: Path) -> Path:
    """A short Y4M clip of the card's QR code, for Chromium's fake camera."""
    matrix = qrcode.QRCode(border=4, box_size=1)
    matrix.add_data(payload)
    modules = matrix.get_matrix()
    width, height, scale = 640, 480, 400 // len(modules)
    left, top = (width - len(modules) * scale) // 2, (height - len(modules) * scale) // 2
    luma = bytearray([255]) * (width * height)
    for y, row in enumerate(modules):
        for x, dark in enumerate(row):
            if dark:
                for dy in range(scale):
                    start = (top + y * scale + dy) * width + left + x * scale
                    luma[start : start + scale] = bytes(scale)
    chroma = bytes([128]) * (width * height // 2)
    frame = b"FRAME\n" + bytes(luma) + chroma
    path.write_bytes(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode() + frame * 5)
    return path


async def test_the_camera_reads_a_card_with_the_vendored_decoder(chromium: Browser, site, tmp_path):
    canteen = await open_canteen()
    elder = await enrol(canteen, "周玉梅")
    video = _qr_video(elder.card, tmp_path / "card.y4m")
    fake_camera = [
        "--no-sandbox",
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]
    # A Chromium of its own (its camera is a launch flag), from the run's Playwright.
    browser = await chromium.browser_type.launch(executable_path=CHROMIUM, args=fake_camera)
    try:
        page = watch(await browser.new_page(viewport=TOUCHSCREEN, service_workers="block"))
        await log_in_as(page, site, await make_user("cashier", canteen_id=canteen.id))
        assert await page.evaluate("typeof window.jsQR") == "undefined", "fetched only if needed"
        native = await page.evaluate("'BarcodeDetector' in window")
        await page.click("#camera-open")
        await expect(page.locator("#camera")).to_be_visible()
        await screenshot(page, "counter-camera")
        await expect(page.locator("#q-name")).to_have_text("周玉梅")
        assert native or await page.evaluate("typeof window.jsQR") == "function"
        await expect(page.locator("#camera")).to_be_hidden()
    finally:
        await browser.close()
