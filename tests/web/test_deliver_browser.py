"""The delivery pages in a real headless Chromium against a real server sharing the SQLite file:
the deliverer at phone size (390x844) records stops with taps, with and without signal, and what
the page claims is checked in the database; the manager makes and reorders a run at 1366x768 and
prints it. The data is set up with the services, for today, in a canteen of its own.
"""

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from canteen import clock
from canteen.accounts import service as accounts
from canteen.accounts.models import Account
from canteen.alerts.models import Alert
from canteen.auth.models import AuthToken
from canteen.canteens import service as canteens
from canteen.checkout.models import Meal
from canteen.diners import service as diners
from canteen.orders import menus, runs, service
from canteen.orders.models import DeliveryStop
from canteen.roles import SYSTEM, Actor
from tests.conftest import PASSWORD, LiveServer, make_user
from tests.factories import id_number
from tests.web import test_ordering_browser
from tests.web.conftest import screenshot
from tests.web.test_ordering_browser import session_context

pytestmark = pytest.mark.browser
SHANGHAI = ZoneInfo("Asia/Shanghai")
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
PRICE_FEN, FEE_FEN = 1500, 300
PAY_FEN = PRICE_FEN + FEE_FEN
"""No subsidy policy in this canteen: the elder pays the meal and the delivery fee."""
ELDERS = (
    # name, address, dietary, categories, balance
    ("李桂兰", "北京街长山花园3栋2单元502室", ["low_salt", "allergy:花生"], [], 5000),
    ("张建国", "北京街长山花园1栋1单元301室", ["diabetic"], ["living_alone"], 5000),
    ("陈淑珍", "北京街长山花园3栋2单元201室", [], [], 5000),
    ("何秀英", "北京街长山花园5栋1单元101室", ["soft_food"], [], 1800),
)
WALK = ["张建国", "陈淑珍", "李桂兰", "何秀英"]
"""Building 1, then building 3 from the 2nd floor up, then building 5."""


@dataclass
class Round:
    admin: Actor
    manager: Actor
    volunteer: Actor
    family: Actor
    canteen_id: int
    diners: dict[str, int]
    run_id: int | None = None

    async def balance(self, name: str) -> int:
        return (await Account.get(diner_id=self.diners[name])).balance_fen

    async def stop(self, name: str) -> DeliveryStop:
        return await DeliveryStop.get(run_id=self.run_id, order__diner_id=self.diners[name])


async def todays_round(make_run: bool = True) -> Round:
    """A canteen with lunch on today's menu and four elders' lunches to be brought home; 张建国
    lives alone and his son uses the family portal; 何秀英's account is emptied once she ordered.
    """
    today = clock.today(SHANGHAI)
    admin = await make_user("admin")
    canteen = await canteens.create_canteen(
        admin, name="长山花园长者饭堂", timezone=None, default_timezone="Asia/Shanghai"
    )
    await canteens.update_canteen(admin, canteen.id, {"delivery_fee_fen": FEE_FEN})
    lunch = await canteens.create_offering(
        admin, canteen.id, name="红烧鱼套餐", meal_type="lunch", price_fen=PRICE_FEN, tags=[]
    )
    await menus.set_menu(admin, canteen.id, today, {"lunch": [{"offering_id": lunch.id}]})
    manager = await make_user("manager", canteen_id=canteen.id)
    volunteer = await make_user("volunteer")
    family = await make_user("family")
    found = {}
    for name, address, dietary, categories, balance in ELDERS:
        diner = await diners.enrol(
            SYSTEM,
            name=name,
            id_number=id_number("19420315"),
            home_canteen_id=canteen.id,
            address=address,
            phone="13812345678",
            dietary=dietary,
            categories=categories,
        )
        await accounts.top_up(admin, diner.id, amount_fen=balance, method="cash")
        found[name] = diner.id
    await diners.link_family(admin, found["张建国"], family.username, "儿子")
    with clock.frozen_at(datetime.combine(today, time(7, 0), SHANGHAI)):  # before the cut-off
        for diner_id in found.values():
            placing = service.Placing(diner_id, canteen.id, today, "lunch", lunch.id, True)
            await service.place(admin, placing)
    # 何秀英's son took her money back after she ordered: the account no longer covers the meal.
    await accounts.refund(
        admin, found["何秀英"], amount_fen=1800, method="cash", reference="", reason="家属取回"
    )
    made = Round(admin, manager, volunteer, family, canteen.id, found)
    if make_run:
        run = await runs.create_run(
            manager, canteen.id, runs.Planning(today, "lunch", volunteer.user_id)
        )
        assert [s.diner_name for s in run.stops] == WALK
        made.run_id = run.run_id
    return made


site = test_ordering_browser.site
"""One server for the module: each test's round has a canteen, elders and users of its own."""


@pytest.fixture(autouse=True)
async def _site_up(site: LiveServer) -> None:
    """The module's server is up for each test, though one that stopped it failed before it
    started it again."""
    if site.process.poll() is not None:
        site.restart()
        await site.wait_ready()


BROKEN: list[str] = []


@pytest.fixture(autouse=True)
def _no_broken_script():
    BROKEN.clear()
    yield
    assert BROKEN == [], "the page's script broke or met the CSP"


async def logged_in(
    browser: Browser, site, username: str, path: str, viewport=PHONE
) -> tuple[BrowserContext, Page]:
    """The page at ``path``, logged in as ``username`` (``session_context``)."""
    context = await session_context(
        browser, site.url, username, viewport=viewport, device_scale_factor=2
    )
    page = await context.new_page()
    page.on("pageerror", lambda error: BROKEN.append(str(error)))
    page.on(
        "console",
        lambda msg: BROKEN.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    await page.goto(site.url + path)
    return context, page


def stop_of(page: Page, name: str):
    return page.locator("li.stop", has=page.locator(".name", has_text=name))


async def no_sideways_scroll(page: Page) -> bool:
    return await page.evaluate("document.documentElement.scrollWidth <= innerWidth")


async def test_on_a_phone_a_double_tap_charges_once_and_not_home_alerts_the_family(browser, site):
    r = await todays_round()
    outcome_posts: list[str] = []
    _, page = await logged_in(browser, site, r.volunteer.username, "/deliver")
    page.on("request", lambda q: outcome_posts.append(q.url) if "/outcome" in q.url else None)
    await expect(page.locator("li.stop .name")).to_have_text(WALK)
    first = stop_of(page, "张建国")
    await expect(first.locator(".warn.diet")).to_have_text("糖尿病餐")
    await expect(stop_of(page, "李桂兰").locator(".warn.allergy")).to_have_text("⚠ 过敏：花生")
    await expect(first.locator(".pay")).to_contain_text("¥18.00")
    await expect(first.locator(".phone")).to_have_text("☎ 138****5678")
    await expect(page.locator(".progress")).to_have_text("已完成 0 / 4 户")
    assert await no_sideways_scroll(page)
    for box in await first.locator("button.tap").all():
        assert (await box.bounding_box())["height"] >= 48
    await screenshot(page, "deliver-phone")

    lilan = stop_of(page, "李桂兰")
    before = await r.balance("李桂兰")
    await lilan.get_by_role("button", name="已送达（记账）").dblclick()
    await expect(lilan.locator(".result")).to_have_text("✓ 已送达")
    await expect(page.locator("#net")).to_be_hidden()
    assert await r.balance("李桂兰") == before - PAY_FEN
    assert await Meal.filter(diner_id=r.diners["李桂兰"]).count() == 1
    assert (await r.stop("李桂兰")).outcome == "delivered"
    assert len(outcome_posts) == 1, "the second tap of a double tap sends nothing"
    await expect(lilan.locator("button.tap")).to_have_count(4)
    await expect(lilan.locator(".taps")).to_be_hidden()

    await first.get_by_role("button", name="不在家").click()
    await expect(first.locator(".result")).to_have_text("不在家")
    await expect(page.locator(".progress")).to_have_text("已完成 2 / 4 户")
    assert (await r.stop("张建国")).outcome == "not_home"
    assert await Alert.filter(diner_id=r.diners["张建国"], kind="not_home").count() == 1
    assert await Meal.filter(diner_id=r.diners["张建国"]).count() == 0
    await page.reload()  # the server's page says the same
    await expect(stop_of(page, "李桂兰").locator(".result")).to_have_text("✓ 已送达")
    await expect(stop_of(page, "张建国").locator(".result")).to_have_text("不在家")
    await screenshot(page, "deliver-phone-recorded")

    _, son = await logged_in(browser, site, r.family.username, "/family")
    await expect(son.locator(".alert-banner strong")).to_have_text("送餐无人应门 · 张建国")
    await expect(son.locator(".alert-banner")).to_contain_text("送餐上门时无人应门")
    assert await r.balance("李桂兰") == before - PAY_FEN


async def test_an_empty_account_is_offered_cash_and_a_stop_recorded_elsewhere_says_so(
    browser, site
):
    r = await todays_round()
    _, page = await logged_in(browser, site, r.volunteer.username, "/deliver")
    empty = stop_of(page, "何秀英")
    await empty.get_by_role("button", name="已送达（记账）").click()
    await expect(empty.locator(".problem")).to_contain_text("余额不足（差 ¥18.00），未扣款")
    await expect(empty.locator(".taps button:visible")).to_have_text(["不在家", "拒收"])
    assert (await r.stop("何秀英")).outcome is None
    await screenshot(page, "deliver-phone-no-balance")
    await empty.get_by_role("button", name="收现金 ¥18.00 已送达").click()
    await expect(empty.locator(".result")).to_have_text("✓ 已送达（收现金 ¥18.00）")
    meal = await Meal.get(diner_id=r.diners["何秀英"])
    assert (meal.payment, meal.pay_fen) == ("cash", PAY_FEN)
    assert await r.balance("何秀英") == 0

    # The manager records 陈淑珍 refused while the deliverer's page still shows her open.
    manager_at = await runs.record_outcome(
        r.manager, (await r.stop("陈淑珍")).id, runs.Report("refused")
    )
    assert manager_at.outcome == "refused"
    shuzhen = stop_of(page, "陈淑珍")
    await shuzhen.get_by_role("button", name="已送达（记账）").click()
    await expect(shuzhen.locator(".result")).to_have_text("拒收（之前已记录）")
    assert await Meal.filter(diner_id=r.diners["陈淑珍"]).count() == 0

    await page.goto(site.url + "/deliver?lang=en")
    zhang = stop_of(page, "张建国")
    await expect(zhang.locator(".warn.diet")).to_have_text("Diabetic")
    await expect(zhang.get_by_role("button", name="Delivered (account)")).to_be_visible()
    await expect(stop_of(page, "陈淑珍").locator(".result")).to_have_text("Refused")
    await expect(page.locator(".progress")).to_have_text("2 of 4 stops done")
    assert await no_sideways_scroll(page)
    await screenshot(page, "deliver-phone-en")


async def test_without_signal_outcomes_wait_on_the_phone_and_are_sent_once(browser, site):
    r = await todays_round()
    context, page = await logged_in(browser, site, r.volunteer.username, "/deliver")
    assert await page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)") == (
        site.url + "/deliver"
    )
    await page.reload()  # now under the worker, which has kept the page
    assert await page.evaluate("Boolean(navigator.serviceWorker.controller)")

    await context.set_offline(True)
    before = {name: await r.balance(name) for name in WALK}
    await stop_of(page, "陈淑珍").get_by_role("button", name="已送达（记账）").click()
    await stop_of(page, "李桂兰").get_by_role("button", name="拒收").click()
    await expect(page.locator("#net")).to_have_text(
        "没有网络：2 条记录存在手机上，有网络后自动发送"
    )
    await expect(stop_of(page, "陈淑珍").locator(".result")).to_have_text("待发送：✓ 已送达")
    site.stop()  # and no server either: what opens now can only be the phone's copy
    answer = await page.reload()
    assert answer is not None and answer.from_service_worker
    assert await page.evaluate("fetch('/healthz').then(() => 'up', () => 'down')") == "down"
    await expect(page.locator("li.stop .name")).to_have_text(WALK)
    await expect(page.locator("#net")).to_have_text(
        "没有网络：2 条记录存在手机上，有网络后自动发送"
    )
    await expect(stop_of(page, "李桂兰").locator(".result")).to_have_text("待发送：拒收")
    await page.evaluate("scrollTo(0, 0)")
    await screenshot(page, "deliver-phone-offline")
    assert (await r.stop("陈淑珍")).outcome is None and (await r.stop("李桂兰")).outcome is None

    site.restart()
    await site.wait_ready()
    await context.set_offline(False)
    await expect(page.locator("#net")).to_be_hidden()
    await expect(stop_of(page, "陈淑珍").locator(".result")).to_have_text("✓ 已送达")
    await expect(stop_of(page, "李桂兰").locator(".result")).to_have_text("拒收")
    assert (await r.stop("陈淑珍")).outcome == "delivered"
    assert (await r.stop("李桂兰")).outcome == "refused"
    assert await Meal.filter(diner_id=r.diners["陈淑珍"]).count() == 1
    assert await Meal.filter(diner_id=r.diners["李桂兰"]).count() == 0
    assert await r.balance("陈淑珍") == before["陈淑珍"] - PAY_FEN
    assert await r.balance("李桂兰") == before["李桂兰"]
    await page.reload()  # back online: the server's page, and nothing is sent again
    await expect(stop_of(page, "陈淑珍").locator(".result")).to_have_text("✓ 已送达")
    await expect(page.locator("#net")).to_be_hidden()
    assert await Meal.filter(diner_id=r.diners["陈淑珍"]).count() == 1

    # Logging out drops the page kept on the phone, names and addresses with it.
    assert await page.evaluate("caches.has('canteen-deliver-v1')")
    await page.get_by_role("button", name="退出").click()
    await page.wait_for_url("**/login")
    await page.wait_for_function("async () => !(await caches.has('canteen-deliver-v1'))")


async def test_the_manager_makes_the_run_reorders_it_and_prints_it(browser, site):
    r = await todays_round(make_run=False)
    _, page = await logged_in(browser, site, r.manager.username, "/deliver/plan", viewport=LAPTOP)
    await expect(page.locator("#waiting")).to_have_text("还有 4 份送餐订单未排入送餐单")
    await page.select_option("select[name=deliverer_user_id]", str(r.volunteer.user_id))
    await page.click("#make-run button")
    await expect(page.locator("#waiting")).to_have_text("还有 0 份送餐订单未排入送餐单")
    stops = page.locator(".plan-stops li strong")
    await expect(stops).to_have_text(WALK)
    await page.locator(".plan-stops li").nth(3).get_by_role("button", name="上移").click()
    await expect(page.locator("section.run .status")).to_have_text("顺序已保存")
    moved = ["张建国", "陈淑珍", "何秀英", "李桂兰"]
    await expect(stops).to_have_text(moved)
    run_id = int(await page.locator("section.run").get_attribute("data-run-id"))
    r.run_id = run_id
    assert [(await r.stop(name)).position for name in moved] == [1, 2, 3, 4]
    assert await no_sideways_scroll(page)
    await screenshot(page, "deliver-plan")
    await page.reload()
    await expect(stops).to_have_text(moved)

    await page.get_by_role("link", name="打印送餐单").click()
    await page.wait_for_url(f"**/deliver/runs/{run_id}/print")
    await expect(page.locator("tbody tr[data-stop-id] td:nth-child(2)")).to_have_text(moved)
    await expect(page.locator("tr.total")).to_contain_text("¥72.00")
    await page.emulate_media(media="print")
    await expect(page.locator(".bar")).to_be_hidden()
    await expect(page.locator("#print")).to_be_hidden()
    await page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    assert await no_sideways_scroll(page)
    await screenshot(page, "deliver-print")
    pdf = await page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")

    _, phone = await logged_in(browser, site, r.volunteer.username, "/deliver")
    await expect(phone.locator("li.stop .name")).to_have_text(moved)


async def test_outcomes_kept_while_the_log_in_lapsed_are_sent_after_logging_in_again(browser, site):
    r = await todays_round()
    context, page = await logged_in(browser, site, r.volunteer.username, "/deliver")
    await context.set_offline(True)
    await stop_of(page, "张建国").get_by_role("button", name="已送达（记账）").click()
    await expect(page.locator("#net")).to_contain_text("1 条记录存在手机上")
    await AuthToken.filter(user_id=r.volunteer.user_id).update(revoked_at=clock.now())
    await context.set_offline(False)
    await expect(page.locator("#net")).to_contain_text("登录已过期")
    assert (await r.stop("张建国")).outcome is None
    await page.locator("#net a").click()
    await page.fill("input[name=username]", r.volunteer.username)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("button.primary")
    await page.wait_for_url("**/deliver")
    await expect(stop_of(page, "张建国").locator(".result")).to_have_text("✓ 已送达")
    await expect(page.locator("#net")).to_be_hidden()
    assert (await r.stop("张建国")).outcome == "delivered"
    assert await Meal.filter(diner_id=r.diners["张建国"]).count() == 1
