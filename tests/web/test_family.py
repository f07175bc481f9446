"""The family portal: what a son or daughter sees on a phone, and the top-up through the sandbox.

The first tests render the pages in process (both databases); the last ones drive a real
headless Chromium at phone size against a real server that shares the SQLite file, so data is
set up with the services and what the page claims is checked against the database.
"""

import re
import shutil
from collections.abc import AsyncIterator
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import Browser, Page, expect

from canteen import clock, db
from canteen.accounts import service as accounts
from canteen.accounts.models import Account, Topup
from canteen.alerts import detect
from canteen.alerts import service as alerts
from canteen.canteens import service as canteens
from canteen.checkout.models import Meal
from canteen.diners import service as diners
from canteen.http.session import SESSION_COOKIE, csrf_for
from canteen.roles import SYSTEM, Actor
from tests.conftest import LiveServer, make_user
from tests.factories import id_number
from tests.web.conftest import log_in, screenshot, sign_in

SHANGHAI = ZoneInfo("Asia/Shanghai")
PHONE = {"width": 390, "height": 844}
BROKEN: list[str] = []


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


class Family:
    """A daughter linked to her parents, who eat at 北京街长者饭堂."""

    def __init__(self, admin: Actor, user: Actor, canteen_id: int, elders: dict[str, int]):
        self.admin, self.user, self.canteen_id, self.elders = admin, user, canteen_id, elders

    async def meal(self, diner_id: int, day: date, **fields: object) -> None:
        at = datetime.combine(day, time(11, 40), SHANGHAI)
        values = {"price_fen": 1500, "subsidy_fen": 1000, "pay_fen": 500, "payment": "account"}
        await Meal.create(
            canteen_id=self.canteen_id,
            diner_id=diner_id,
            meal_type="lunch",
            local_date=day,
            at=at,
            sold_by_id=self.admin.user_id,
            **(values | fields),
        )


async def family_of_two(balance_fen: int = 5000) -> Family:
    admin = await make_user("admin")
    canteen = await canteens.create_canteen(
        admin, name="北京街长者饭堂", timezone=None, default_timezone="Asia/Shanghai"
    )
    user = await make_user("family")
    elders = {}
    for name in ("陈国强", "何秀英"):
        diner = await diners.enrol(
            SYSTEM, name=name, id_number=id_number("19420315"), home_canteen_id=canteen.id
        )
        await diners.link_family(admin, diner.id, user.username, "女儿")
        await accounts.top_up(admin, diner.id, amount_fen=balance_fen, method="cash")
        elders[name] = diner.id
    return Family(admin, user, canteen.id, elders)


def today() -> date:
    return clock.today(SHANGHAI)


# --- In process ------------------------------------------------------------------------------


async def test_a_family_member_lands_on_the_portal_and_sees_both_parents(client, app):
    family = await family_of_two()
    await family.meal(family.elders["陈国强"], today())
    assert await log_in(client, family.user.username) == "/family"
    page = (await client.get("/family")).text
    assert "陈国强" in page and "何秀英" in page
    assert page.count("¥50.00") == 2
    assert page.count("今天已就餐") == 1 and page.count("今天还没来吃饭") == 1
    assert "11:40 午餐 · 北京街长者饭堂" in page


async def test_a_door_no_one_answered_is_told_to_the_family_in_words(client, app):
    family = await family_of_two()
    elder = family.elders["陈国强"]
    fact = alerts.NotHome(elder, family.canteen_id, today(), {"order_id": 1, "meal_type": "lunch"})
    await alerts.not_home(fact)
    assert await log_in(client, family.user.username) == "/family"
    for path in ("/family", f"/family/diners/{elder}"):
        page = await client.get(path)
        assert page.status_code == 200 and "送餐无人应门" in page.text, path
    assert "送餐上门时无人应门" in (await client.get(f"/family/diners/{elder}")).text


async def test_the_elder_page_shows_30_days_of_what_was_paid_and_subsidised(client, app):
    family = await family_of_two()
    father = family.elders["陈国强"]
    await family.meal(
        father, today() - timedelta(days=2), price_fen=1500, subsidy_fen=1100, pay_fen=400
    )
    await family.meal(
        father, today() - timedelta(days=29), price_fen=1300, subsidy_fen=800, pay_fen=500
    )
    await family.meal(
        father, today() - timedelta(days=30), price_fen=999, subsidy_fen=0, pay_fen=999
    )
    await family.meal(
        father,
        today() - timedelta(days=3),
        voided_at=clock.now(),
        void_reason="扫错了",
        price_fen=1200,
        subsidy_fen=700,
        pay_fen=500,
    )
    await log_in(client, family.user.username)
    page = (await client.get(f"/family/diners/{father}")).text
    rows = re.findall(r"<tr class=\"(voided)?\">(.*?)</tr>", page, re.S)
    assert len(rows) == 3, "30 days, the oldest day left out"
    first = re.sub(r"<[^>]+>|\s+", " ", rows[0][1])
    assert "15.00" in first and "11.00" in first and "4.00" in first
    assert any(voided and "已撤销" in row for voided, row in rows)
    assert "9.99" not in page
    assert "今天还没来吃饭" in page and "提醒设置" in page


async def test_another_familys_elder_and_other_roles_are_kept_out(client, app):
    family = await family_of_two()
    stranger = await make_user("family")
    await log_in(client, stranger.username)
    father = family.elders["陈国强"]
    for path in (f"/family/diners/{father}", f"/family/diners/{father}/topup"):
        r = await client.get(path)
        assert r.status_code == 404 and "陈国强" not in r.text
    assert "还没有关联的老人" in (await client.get("/family")).text
    client.cookies.clear()
    assert (await client.get("/family")).headers["location"] == "/login?next=/family"
    staff = await make_user("staff")
    await log_in(client, staff.username)
    assert (await client.get("/family")).status_code == 403


async def test_the_portal_speaks_english_on_request(client, app):
    family = await family_of_two()
    await log_in(client, family.user.username)
    page = (await client.get("/family?lang=en")).text
    assert "My family" in page and "Has not come to eat today" in page and "Top up" in page


async def test_the_sandbox_page_is_marked_and_its_button_credits_once(sandbox_on, client, app):
    family = await family_of_two()
    mother = family.elders["何秀英"]
    await log_in(client, family.user.username)
    token = client.cookies[SESSION_COOKIE]
    r = await client.post(
        f"/api/v1/diners/{mother}/topup-intents",
        json={"amount_fen": 5000},
        headers={"X-CSRF-Token": csrf_for(token)},
    )
    pay_url = r.json()["pay_url"]
    page = (await client.get(pay_url)).text
    assert "沙箱 SANDBOX — 不会真实扣款" in page and "确认支付" in page and "¥50.00" in page
    assert (await client.post(pay_url, data={"csrf": "forged"})).status_code == 403
    assert (await Account.get(diner_id=mother)).balance_fen == 5000

    for _ in range(2):  # a double tap sends the same payment twice: credited once
        r = await client.post(pay_url, data={"csrf": csrf_for(token)})
        assert r.status_code == 303
        assert r.headers["location"] == f"/family/diners/{mother}?paid={pay_url.rsplit('/', 1)[1]}"
    assert (await Account.get(diner_id=mother)).balance_fen == 10_000
    page = (await client.get(r.headers["location"])).text
    assert "充值成功：¥50.00 已到账" in page and "¥100.00" in page
    assert "已支付" in (await client.get(pay_url)).text


# --- In a real Chromium, at phone size ---------------------------------------------------------


def last_weekday_before(day: date) -> date:
    day -= timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


@pytest.fixture(scope="module")
async def site(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: str
) -> AsyncIterator[LiveServer]:
    """One server for the module's page tests (``server_on_copy``), started with the sandbox
    payment provider on (what ``sandbox_on`` does for a server a test starts): each test sets
    up a family of its own (``family_of_two``) and checks only that."""
    target = tmp_path_factory.mktemp("family") / "pages.sqlite3"
    shutil.copy(sqlite_template, target)
    url = f"sqlite://{target}"
    async with db.database(url, pool_size=2):
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("CANTEEN_PAYMENT_PROVIDERS", "sandbox")
            server = LiveServer(url)  # the server's environment is taken here
        try:
            await server.wait_ready()
            yield server
        finally:
            server.stop()


async def phone_log_in(browser: Browser, site, username: str) -> Page:
    """The family portal on a phone, signed in by the session cookie (``sign_in``): these tests
    are not about logging in (``test_a_family_member_lands_on_the_portal...`` checks a family
    member's log-in lands there)."""
    context = await browser.new_context(viewport=PHONE, device_scale_factor=2)
    await sign_in(context, site.url, username)
    page = watch(await context.new_page())
    await page.goto(site.url + "/family")
    return page


async def no_sideways_scroll(page: Page) -> bool:
    return await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


async def test_on_a_phone_a_daughter_tops_up_50_yuan_and_sees_the_missed_meal_alert(
    sandbox_on, browser, site
):
    family = await family_of_two(balance_fen=1800)
    father, mother = family.elders["陈国强"], family.elders["何秀英"]
    # Her father came every weekday for two weeks, then did not come on the last one.
    missed = last_weekday_before(today())
    for day in detect.weekdays_before(missed, 10):
        await family.meal(father, day)
        await family.meal(mother, day)
    await family.meal(mother, missed)
    assert await detect.missed_meals(datetime.combine(missed, time(13, 31), SHANGHAI)) == 1

    page = await phone_log_in(browser, site, family.user.username)
    await expect(page.locator(".alert-banner strong")).to_have_text("未按时就餐 · 陈国强")
    await expect(page.locator(".alert-banner")).to_contain_text(
        f"{missed.isoformat()} 午餐时间已过，还没有到北京街长者饭堂吃饭"
    )
    mum = page.locator(f'section.elder[data-diner-id="{mother}"]')
    await expect(mum.locator(".amount")).to_have_text("¥18.00")
    await expect(mum.locator(".hint")).to_have_text("余额不足，请充值")
    assert await no_sideways_scroll(page)
    await screenshot(page, "family-phone")

    await mum.get_by_role("link", name="充值").click()
    await page.wait_for_url(f"**/family/diners/{mother}/topup")
    await expect(page.locator("h1")).to_have_text("为何秀英充值")
    await screenshot(page, "family-topup-phone")
    await page.click("button[data-yuan='50']")
    await page.wait_for_url("**/payments/sandbox/pay/*")
    await expect(page.locator(".sandbox-banner")).to_have_text("沙箱 SANDBOX — 不会真实扣款")
    await expect(page.locator(".amount")).to_have_text("¥50.00")
    assert await no_sideways_scroll(page)
    await screenshot(page, "family-sandbox-phone")

    await page.click("text=确认支付")
    await page.wait_for_url(f"**/family/diners/{mother}?paid=*")
    await expect(page.locator(".notice.ok")).to_have_text("充值成功：¥50.00 已到账")
    await expect(page.locator(".balance .amount")).to_have_text("¥68.00")
    assert await no_sideways_scroll(page)
    await screenshot(page, "family-paid-phone")

    await page.go_back()  # back to the pay page: it says paid, and nothing more is taken
    await page.reload()
    await expect(page.locator(".notice.ok")).to_have_text("已支付")
    await page.goto(site.url + "/family")
    await expect(mum.locator(".amount")).to_have_text("¥68.00")
    assert (await Account.get(diner_id=mother)).balance_fen == 6800
    assert await Topup.filter(account__diner_id=mother, method="online").count() == 1

    dad = page.locator(f'section.elder[data-diner-id="{father}"]')
    await dad.get_by_role("link", name="就餐记录").click()
    await expect(page.locator("#alerts .alert-item")).to_have_count(1)
    await expect(page.locator("#alerts .badge")).to_have_text("待处理")
    await expect(page.locator(".meal-table tbody tr")).to_have_count(10)
    assert await no_sideways_scroll(page)
    await screenshot(page, "family-elder-phone")


async def test_on_a_phone_the_low_balance_threshold_is_set(browser, site):
    family = await family_of_two()
    father = family.elders["陈国强"]
    page = await phone_log_in(browser, site, family.user.username)
    await page.goto(f"{site.url}/family/diners/{father}")
    await page.fill("#threshold", "30")
    await page.click("#threshold-form button")
    await expect(page.locator("#threshold-status")).to_have_text("已保存")
    assert (await Account.get(diner_id=father)).low_balance_fen == 3000
    await page.fill("#threshold", "30.123")
    await page.click("#threshold-form button")
    await expect(page.locator("#threshold-status")).to_have_text("请输入 0 到 1000 元之间的金额")
    assert (await Account.get(diner_id=father)).low_balance_fen == 3000
    await page.goto(f"{site.url}/family/diners/{father}/topup")
    await page.fill("#amount", "6000")
    await page.click("#pay-other")
    await expect(page.locator("#topup-status")).to_have_text("请输入 1 到 5000 元之间的金额")
    await screenshot(page, "family-topup-refused-phone")
    await page.goto(f"{site.url}/family/diners/{father}?lang=en")
    await expect(page.locator("#threshold-form label")).to_contain_text(
        "Warn me when the balance is below (yuan)"
    )
    await expect(page.locator(".today")).to_have_text("Has not come to eat today")
    assert await no_sideways_scroll(page)
    await screenshot(page, "family-elder-phone-en")
