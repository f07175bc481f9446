"""The counter without its server, in a real headless Chromium against a real server: the
server cut off (``set_offline``), meals sold from the signed snapshot, the server back, each
sale recorded exactly once; the browser closed and opened again offline still holds its queue;
two counters offline selling to one elder. The data is set up with the services, in a canteen
of its own; what the page claims is checked in the database.
"""

from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from canteen.accounts import service as accounts
from canteen.accounts.models import Account
from canteen.canteens import service as canteens
from canteen.cards import service as cards
from canteen.checkout.models import LimitUse, Meal
from canteen.diners import service as diners
from canteen.offline.models import OfflineSale
from canteen.policies import service as policies
from canteen.policies.models import Policy
from canteen.roles import SYSTEM, Actor
from tests.checkout.conftest import POLICY
from tests.conftest import make_user
from tests.factories import id_number
from tests.web.conftest import CHROMIUM, screenshot, sign_in
from tests.web.test_counter import site

__all__ = ["site"]  # the counter's module-wide server, one for this module too
pytestmark = pytest.mark.browser
LAPTOP = {"width": 1366, "height": 768}
NAMES = [
    "王秀英",
    "李桂兰",
    "张建国",
    "陈淑珍",
    "何秀英",
    "刘玉兰",
    "杨淑华",
    "赵桂英",
    "黄秀珍",
    "周建华",
]
BROKEN: list[str] = []


@pytest.fixture(autouse=True)
def _no_broken_script():
    BROKEN.clear()
    yield
    assert BROKEN == [], "the page's script broke or met the CSP"


async def lunchroom(elders: int) -> tuple[int, int, list[tuple[int, str, str]]]:
    """A canteen selling a 15.00 lunch under the checkout tests' policy, and its elders (born
    1940: age80's 5.00 once a day, the operator's 1.00 off: 9.00 to pay), each with a card and
    50.00. Returns the canteen, the dish and the elders as (id, name, card payload)."""
    admin = await make_user("admin")
    canteen = await canteens.create_canteen(
        admin, name="北京街长者饭堂", timezone=None, default_timezone="Asia/Shanghai"
    )
    lunch = await canteens.create_offering(
        admin, canteen.id, name="两荤一素", meal_type="lunch", price_fen=1500, tags=[]
    )
    if not await Policy.exists():
        await policies.create(SYSTEM, POLICY)
    found = []
    for i in range(elders):
        name = NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else str(i))
        diner = await diners.enrol(
            SYSTEM,
            name=name,
            id_number=id_number("19400101"),
            home_canteen_id=canteen.id,
            dietary=["allergy:花生"] if i == 0 else [],
        )
        await accounts.top_up(admin, diner.id, amount_fen=5000, method="cash")
        card = await cards.issue(admin, diner.id)
        found.append((diner.id, name, cards.payload_of(card)))
    return canteen.id, lunch.id, found


def watch(page: Page) -> Page:
    page.on("pageerror", lambda error: BROKEN.append(str(error)))
    page.on(
        "console",
        lambda msg: BROKEN.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return page


async def log_in(page: Page, site, user: Actor) -> None:
    """The counter in ``user``'s session (logging in through the form, where it sends a
    cashier, is test_counter.py's first test)."""
    await sign_in(page.context, site.url, user.username)
    await page.goto(site.url + "/counter")


SNAPSHOT_KEPT = """() => new Promise((resolve) => {
  const open = indexedDB.open("canteen-counter");
  open.onsuccess = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains("snapshots")) { db.close(); return resolve(false); }
    const count = db.transaction("snapshots").objectStore("snapshots").count();
    count.onsuccess = () => { db.close(); resolve(count.result > 0); };
  };
  open.onerror = () => resolve(false);
})"""


async def counter_ready(page: Page, url: str) -> None:
    """The counter under its own worker, with a snapshot kept."""
    assert await page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)") == (
        url + "/counter"
    )
    await page.reload()
    assert await page.evaluate("Boolean(navigator.serviceWorker.controller)")
    await page.wait_for_function(SNAPSHOT_KEPT)
    await expect(page.locator(".dish").first).to_be_visible()


async def sell(page: Page, name: str, payload: str, *, waiting: int) -> None:
    """Scan the card, see the elder and the price, confirm with Enter, see it sold."""
    await page.locator("#scan").fill(payload)
    await page.locator("#scan").press("Enter")
    await expect(page.locator("#q-name")).to_have_text(name)
    await expect(page.locator("#q-pay")).to_have_text("9.00 元")
    await expect(page.locator("#q-offline")).to_be_visible()
    await page.locator("#scan").press("Enter")
    await expect(page.locator("#s-name")).to_have_text(name)
    await expect(page.locator("#offline")).to_contain_text(f"{waiting} 笔待上传")


async def test_twenty_meals_sold_offline_are_each_recorded_once_when_the_server_is_back(
    browser: Browser, site
):
    canteen_id, _, elders = await lunchroom(20)
    cashier = await make_user("cashier", canteen_id=canteen_id)
    context = await browser.new_context(viewport=LAPTOP)
    page = watch(await context.new_page())
    await log_in(page, site, cashier)
    await counter_ready(page, site.url)

    await context.set_offline(True)
    site.stop()  # the server away too (see the next test: emulation alone once let sales out)
    try:
        for n, (_, name, payload) in enumerate(elders, start=1):
            await sell(page, name, payload, waiting=n)
        await expect(page.locator("#offline")).to_have_text(
            "离线：连不上服务器，按本机快照售餐 · 20 笔待上传"
        )
        await screenshot(page, "counter-offline-20-waiting")
        answer = await page.reload()  # no server: the worker's copy, and the queue kept
        assert answer is not None and answer.from_service_worker
        await expect(page.locator("#offline")).to_contain_text("20 笔待上传")
        assert await Meal.filter(canteen_id=canteen_id).count() == 0
    finally:
        site.restart()
        await site.wait_ready()

    await context.set_offline(False)
    await expect(page.locator("#offline")).to_be_hidden(timeout=30000)
    meals = await Meal.filter(canteen_id=canteen_id)
    assert sorted(m.diner_id for m in meals) == sorted(d for d, _, _ in elders)
    assert {m.pay_fen for m in meals} == {900}
    assert await OfflineSale.filter(canteen_id=canteen_id, outcome="sold").count() == 20
    balances = await Account.filter(diner_id__in=[d for d, _, _ in elders]).values_list(
        "balance_fen", flat=True
    )
    assert set(balances) == {5000 - 900}
    await page.reload()  # online again: nothing waits, nothing is sent twice
    await expect(page.locator(".dish").first).to_be_visible()
    await expect(page.locator("#offline")).to_be_hidden()
    assert await Meal.filter(canteen_id=canteen_id).count() == 20


async def test_a_browser_closed_and_opened_again_offline_still_holds_its_queue(
    chromium: Browser, site, tmp_path: Path
):
    canteen_id, _, elders = await lunchroom(3)
    cashier = await make_user("cashier", canteen_id=canteen_id)
    profile = tmp_path / "till-profile"
    playwright = chromium.browser_type  # the run's Playwright, a Chromium of the till's own

    async def launch() -> BrowserContext:
        return await playwright.launch_persistent_context(
            profile, executable_path=CHROMIUM, viewport=LAPTOP, args=["--no-sandbox"]
        )

    context = await launch()
    try:
        page = watch(await context.new_page())
        await log_in(page, site, cashier)
        await counter_ready(page, site.url)
        await context.set_offline(True)
        # The server goes away too. With the network only emulated away, a page opened or
        # reloaded from the service worker's copy once in about ten runs sent its queue at once
        # (3 meals recorded here, 20 in the test above, while the page still counted them
        # waiting): with the server stopped, going back online is the only way they arrive.
        site.stop()
        try:
            for n, (_, name, payload) in enumerate(elders, start=1):
                await sell(page, name, payload, waiting=n)
            await context.close()

            context = await launch()
            await context.set_offline(True)
            page = watch(await context.new_page())
            answer = await page.goto(site.url + "/counter")
            assert answer is not None and answer.from_service_worker
            await expect(page.locator("#offline")).to_have_text(
                "离线：连不上服务器，按本机快照售餐 · 3 笔待上传"
            )
            await screenshot(page, "counter-offline-reopened")
            assert await Meal.filter(canteen_id=canteen_id).count() == 0
        finally:
            site.restart()
            await site.wait_ready()
        await context.set_offline(False)
        await expect(page.locator("#offline")).to_be_hidden(timeout=30000)
    finally:
        await context.close()
    assert sorted(await Meal.filter(canteen_id=canteen_id).values_list("diner_id", flat=True)) == [
        d for d, _, _ in elders
    ]


async def test_two_counters_offline_selling_to_one_elder_claim_the_limit_once(
    browser: Browser, site
):
    canteen_id, _, elders = await lunchroom(1)
    (diner_id, name, payload) = elders[0]
    tills = []
    for _ in range(2):
        cashier = await make_user("cashier", canteen_id=canteen_id)
        context = await browser.new_context(viewport=LAPTOP)
        page = watch(await context.new_page())
        await log_in(page, site, cashier)
        await counter_ready(page, site.url)
        tills.append((context, page))
    for context, page in tills:
        await context.set_offline(True)
        await sell(page, name, payload, waiting=1)  # each priced age80's one lunch of the day
    for context, page in tills:
        await context.set_offline(False)
        await expect(page.locator("#offline")).to_be_hidden(timeout=30000)
    assert await Meal.filter(diner_id=diner_id).count() == 2
    assert await LimitUse.filter(diner_id=diner_id, rule="age80").count() == 1
    assert (await Account.get(diner_id=diner_id)).balance_fen == 5000 - 900 - 900
    late = await OfflineSale.get(canteen_id=canteen_id, outcome="reconciled")
    assert (late.reason, late.operator_fen) == ("limit_used", 300)

    refused = await tills[0][1].goto(site.url + "/counter/reconciliation")  # a cashier
    assert refused is not None and refused.status == 403

    manager = await make_user("manager", canteen_id=canteen_id)
    context = await browser.new_context(viewport=LAPTOP)
    await sign_in(context, site.url, manager.username)
    page = watch(await context.new_page())
    await page.goto(site.url + "/counter/reconciliation")
    row = page.locator("table.reconcile tbody tr")
    await expect(row).to_have_count(1)
    await expect(row).to_contain_text(name)
    await expect(row).to_contain_text("补贴次数已被别处用掉")
    await expect(row.locator("td").nth(7)).to_contain_text("3.00")
    await screenshot(page, "counter-reconciliation")
    await page.goto(site.url + "/counter/reconciliation?lang=en")
    await expect(row).to_contain_text("Subsidy limit used elsewhere")
    await expect(page.locator(".total")).to_have_text("The operator bears 3.00 yuan in all")
    await page.set_viewport_size({"width": 390, "height": 844})
    assert await page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    await screenshot(page, "counter-reconciliation-phone")


async def test_offline_an_account_sale_over_the_cap_is_for_cash_only(browser: Browser, site):
    canteen_id, _, elders = await lunchroom(1)
    (diner_id, name, payload) = elders[0]
    admin = await make_user("admin")
    await canteens.create_offering(
        admin, canteen_id, name="寿宴套餐", meal_type="lunch", price_fen=4000, tags=[]
    )
    cashier = await make_user("cashier", canteen_id=canteen_id)
    context = await browser.new_context(viewport=LAPTOP)
    page = watch(await context.new_page())
    await log_in(page, site, cashier)
    await counter_ready(page, site.url)
    await context.set_offline(True)
    await page.locator(".dish", has_text="寿宴套餐").click()
    await page.locator("#scan").fill(payload)
    await page.locator("#scan").press("Enter")
    await expect(page.locator("#q-name")).to_have_text(name)
    await expect(page.locator("#q-pay")).to_have_text("34.00 元")  # over the 30.00 cap
    await expect(page.locator("#q-short")).to_have_text("离线时单笔记账超过上限：请收现金。")
    await expect(page.locator("#confirm")).to_be_disabled()
    await expect(page.locator("#confirm")).to_have_text("离线：只能收现金")
    await expect(page.locator(".warnings")).to_contain_text("花生")
    await screenshot(page, "counter-offline-cash-only")
    await page.locator("#cash").click()
    await page.locator("#cash-received").fill("50")
    await page.locator("#cash-form button[type=submit]").click()
    await expect(page.locator("#s-amount")).to_have_text("16.00 元")  # the change
    await expect(page.locator("#offline")).to_contain_text("1 笔待上传")
    await context.set_offline(False)
    await expect(page.locator("#offline")).to_be_hidden(timeout=30000)
    (meal,) = await Meal.filter(diner_id=diner_id)
    assert (meal.payment, meal.pay_fen) == ("cash", 3400)
    assert (await Account.get(diner_id=diner_id)).balance_fen == 5000
