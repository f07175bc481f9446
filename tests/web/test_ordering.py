"""Ordering meals ahead on the pages: the family portal's and the office's order section, the
canteen page's menus, cut-offs and delivery fee, and the counter's menu of the day.

Rendered in process on both databases; ``test_ordering_browser.py`` drives them in Chromium.
"""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from canteen import clock
from canteen.accounts import service as accounts
from canteen.canteens import service as canteens
from canteen.canteens.models import Offering
from canteen.diners import service as diners
from canteen.orders import api as orders_api
from canteen.orders import menus
from canteen.orders import service as orders
from canteen.orders.models import Order
from canteen.policies import service as policies
from canteen.roles import SYSTEM, Actor
from canteen.web import family, i18n
from tests.checkout.conftest import POLICY
from tests.conftest import make_user
from tests.factories import id_number
from tests.web.conftest import log_in

SHANGHAI = ZoneInfo("Asia/Shanghai")
MORNING = datetime(2026, 12, 1, 0, 30, tzinfo=UTC)
"""08:30 in Shanghai on Tuesday 1 December 2026: today's lunch still open (cut-off 09:00)."""
TODAY = date(2026, 12, 1)


@dataclass
class Kitchen:
    """北京街长者饭堂 with a week's menu from today, a delivery fee of ¥3, and 陈国强 (diabetic,
    allergic to peanuts), whose daughter orders for him."""

    admin: Actor
    manager: Actor
    family: Actor
    canteen_id: int
    diner_id: int
    lunch: Offering
    soft: Offering
    dinner: Offering
    today: date

    async def family_top_up(self, amount_fen: int) -> None:
        await accounts.top_up(self.admin, self.diner_id, amount_fen=amount_fen, method="cash")

    async def order(self, on: date, meal: str = "lunch", delivery: bool = False) -> int:
        offering = self.dinner if meal == "dinner" else self.lunch
        p = orders.Placing(self.diner_id, self.canteen_id, on, meal, offering.id, delivery)
        return (await orders.place(self.family, p)).order_id


MENU_DAYS = 7


async def kitchen(balance_fen: int = 5000, fee_fen: int = 300) -> Kitchen:
    admin = await make_user("admin")
    if not await policies.Policy.exists():
        await policies.create(SYSTEM, POLICY)
    canteen = await canteens.create_canteen(
        admin, name="北京街长者饭堂", timezone=None, default_timezone="Asia/Shanghai"
    )
    manager = await make_user("manager", canteen.id)
    lunch, soft, dinner = [
        await canteens.create_offering(
            manager, canteen.id, name=name, meal_type=meal, price_fen=price, tags=tags
        )
        for name, meal, price, tags in (
            ("两荤一素套餐", "lunch", 1500, []),
            ("控糖软饭套餐", "lunch", 1300, ["diabetic", "soft_food"]),
            ("清淡晚餐套餐", "dinner", 1200, ["diabetic"]),
        )
    ]
    today = clock.today(SHANGHAI)
    for day in range(MENU_DAYS):
        await menus.set_menu(
            manager,
            canteen.id,
            today + timedelta(days=day),
            {
                "lunch": [
                    {
                        "offering_id": lunch.id,
                        "dishes": ["宫保鸡丁", "炒青菜"],
                        "allergens": ["花生"],
                    },
                    {"offering_id": soft.id, "dishes": ["清蒸鱼", "南瓜饭"], "allergens": []},
                ],
                "dinner": [{"offering_id": dinner.id, "dishes": ["蒸水蛋"], "allergens": ["鸡蛋"]}],
            },
        )
    await canteens.update_canteen(manager, canteen.id, {"delivery_fee_fen": fee_fen})
    family = await make_user("family")
    diner = await diners.enrol(
        SYSTEM,
        name="陈国强",
        id_number=id_number("19420315"),
        home_canteen_id=canteen.id,
        dietary=["diabetic", "allergy:花生"],
        address="越秀区大南路24号302房",
    )
    await diners.link_family(admin, diner.id, family.username, "女儿")
    if balance_fen:
        await accounts.top_up(admin, diner.id, amount_fen=balance_fen, method="cash")
    return Kitchen(admin, manager, family, canteen.id, diner.id, lunch, soft, dinner, today)


def text(html: str) -> str:
    """What a person reads: the tags gone, the spaces between them one space."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def section(html: str, name: str = "ordering") -> str:
    found = re.search(rf'<section class="{name}.*?</section>', html, re.S)
    assert found, f"no {name} section"
    return found.group(0)


def day_of(html: str, on: date) -> str:
    found = re.search(
        rf'<details class="menu-day" data-date="{on.isoformat()}".*?</details>', html, re.S
    )
    assert found, f"no menu for {on}"
    return found.group(0)


@pytest.fixture(autouse=True)
def morning() -> Iterator[None]:
    """The clock frozen before anyone logs in (sessions are dated by it)."""
    with clock.frozen_at(MORNING):
        yield


# --- The family portal ------------------------------------------------------------------------


async def test_the_family_sees_the_weeks_menu_and_what_clashes_with_the_elders_diet(client, app):
    k = await kitchen()
    await log_in(client, k.family.username)
    r = await client.get(f"/family/diners/{k.diner_id}")
    assert r.status_code == 200
    page = section(r.text)
    assert page.count('<details class="menu-day"') == MENU_DAYS
    said = text(page)
    assert "在北京街长者饭堂用餐或送餐上门" in said and "送餐费 ¥3.00" in said
    assert "12月1日 周二 · 今天" in said and "12月2日 周三 · 明天" in said
    today = text(day_of(page, TODAY))
    assert "两荤一素套餐 ¥15.00 菜品：宫保鸡丁、炒青菜 含：花生" in today
    assert "⚠ 含花生，长者对此过敏 ⚠ 不是糖尿病餐" in today
    assert "控糖软饭套餐 ¥13.00 糖尿病餐 软食 菜品：清蒸鱼、南瓜饭 到店吃" in today
    assert today.count("⚠") == 2, "the diabetic soft dish and dinner clash with nothing"
    assert "12-01 09:00 截止预订" in today and "送餐上门 +¥3.00" in today


async def test_a_meal_whose_cutoff_passed_is_shown_without_order_buttons(client, app):
    k = await kitchen()
    await log_in(client, k.family.username)
    with clock.frozen_at(MORNING + timedelta(hours=1)):  # 09:30: lunch closed, dinner open
        page = day_of((await client.get(f"/family/diners/{k.diner_id}")).text, TODAY)
    lunch, dinner = page.split('<div class="menu-meal" data-meal-type="dinner"')
    assert "已截止预订（12-01 09:00）" in text(lunch) and "order-go" not in lunch
    assert "12-01 14:00 截止预订" in text(dinner) and dinner.count('class="order-go"') == 2
    with clock.frozen_at(MORNING + timedelta(hours=6)):  # 14:30: today is over for orders
        page = (await client.get(f"/family/diners/{k.diner_id}")).text
    assert '<details class="menu-day" data-date="2026-12-01">' in page
    assert '<details class="menu-day" data-date="2026-12-02" open>' in page, "tomorrow unfolded"


async def test_orders_waiting_are_listed_with_what_to_pay_and_until_when_to_cancel(client, app):
    k = await kitchen()
    tomorrow = TODAY + timedelta(days=1)
    await k.order(tomorrow, "lunch", delivery=True)
    await k.order(TODAY, "dinner")
    cancelled = await k.order(tomorrow, "dinner")
    await orders.cancel(k.family, cancelled)
    await log_in(client, k.family.username)
    page = section((await client.get(f"/family/diners/{k.diner_id}")).text)
    rows = re.findall(r'<li class="open-order".*?</li>', page, re.S)
    assert len(rows) == 2, "the cancelled one is not waiting"
    first, second = (text(row) for row in rows)
    assert "12月1日 周二 · 今天 · 晚餐 清淡晚餐套餐 · 到店吃" in first
    assert "12-01 14:00 前可取消" in first and "取消预订" in first
    assert "12月2日 周三 · 明天 · 午餐 两荤一素套餐 · 送餐上门" in second
    placed = await Order.filter(diner_id=k.diner_id, delivery=True).first()
    assert placed is not None and placed.estimate_fen > 0
    assert f"预计自付 ¥{placed.estimate_fen // 100}.{placed.estimate_fen % 100:02d}" in second
    with clock.frozen_at(MORNING + timedelta(hours=6)):  # 14:30: tonight's dinner closed
        page = section((await client.get(f"/family/diners/{k.diner_id}")).text)
    first = text(re.findall(r'<li class="open-order".*?</li>', page, re.S)[0])
    assert "已过截止时间，如需取消请联系食堂" in first and "取消预订" not in first


async def test_the_order_section_speaks_english_on_request(client, app):
    k = await kitchen()
    await log_in(client, k.family.username)
    page = text(section((await client.get(f"/family/diners/{k.diner_id}?lang=en")).text))
    assert "Order meals ahead" in page and "Tue 1/12 · today" in page
    assert "⚠ Contains 花生: the elder is allergic" in page and "⚠ Not diabetic" in page
    assert "Bring it home +¥3.00" in page and "No orders waiting" in page
    assert not re.search(
        r"[\u4e00-\u9fff]",
        page.replace("北京街长者饭堂", "").translate(
            str.maketrans("", "", "两荤一素套餐控糖软饭清淡晚宫保鸡丁炒青菜花生蒸鱼南瓜水蛋")
        ),
    ), "no Chinese word of ours left in the English page"


async def test_an_elder_without_a_home_canteen_or_suspended_cannot_be_ordered_for(client, app):
    k = await kitchen()
    await diners.update(k.admin, k.diner_id, {"status": "suspended"}, reason="住院")
    await log_in(client, k.family.username)
    page = text(section((await client.get(f"/family/diners/{k.diner_id}")).text))
    assert "这位长者的状态是「暂停」，不能预订。" in page and "到店吃" not in page
    other = await diners.enrol(SYSTEM, name="何秀英", id_number=id_number("19450101"))
    await diners.link_family(k.admin, other.id, k.family.username, "女儿")
    page = text(section((await client.get(f"/family/diners/{other.id}")).text))
    assert "这位长者还没有登记常去的食堂，不能预订。" in page


# --- The office: an elder telephones ----------------------------------------------------------


async def test_the_office_takes_an_order_by_phone_on_the_elders_record(client, app):
    k = await kitchen()
    await k.order(TODAY + timedelta(days=2), "lunch")
    staff = await make_user("staff")
    await log_in(client, staff.username)
    r = await client.get(f"/staff/diners/{k.diner_id}")
    assert r.status_code == 200
    page = section(r.text, "ordering panel")
    assert f'data-diner-id="{k.diner_id}" data-canteen-id="{k.canteen_id}"' in page
    assert page.count('<details class="menu-day"') == MENU_DAYS
    assert "12月3日 周四 · 午餐 两荤一素套餐 · 到店吃" in text(page)
    assert "/static/ordering.js" in r.text


# --- The canteen page: menus, cut-offs, delivery fee ------------------------------------------


async def test_the_manager_sees_the_weeks_menus_to_edit_and_the_order_settings(client, app):
    k = await kitchen()
    await log_in(client, k.manager.username)
    r = await client.get(f"/staff/canteens/{k.canteen_id}")
    assert r.status_code == 200
    menus_panel = section(r.text, "panel menus")
    assert "2026-11-30 至 2026-12-06" in text(menus_panel)
    tuesday = re.search(
        r'<details class="menu-edit-day" data-date="2026-12-01" open>.*?</details>',
        menus_panel,
        re.S,
    )
    assert tuesday, "today's day is open"
    lines = re.findall(r'<div class="menu-line".*?</div>', tuesday.group(0), re.S)
    assert len(lines) == 3 and all("checked" in line for line in lines)
    assert 'value="宫保鸡丁、炒青菜"' in lines[0] and 'value="花生"' in lines[0]
    monday = re.search(r'data-date="2026-11-30">.*?</details>', menus_panel, re.S)
    assert monday and "未设菜单" in monday.group(0) and "checked" not in monday.group(0)
    settings = section(r.text, 'panel" id="order-settings')
    assert 'name="delivery_fee_fen"' in settings and 'value="3.00"' in settings
    assert 'value="09:00"' in settings and 'value="18:00"' in settings
    assert '<option value="1" selected>前一天</option>' in settings  # breakfast
    r = await client.get(f"/staff/canteens/{k.canteen_id}?week=2026-12-09")
    assert "2026-12-07 至 2026-12-13" in text(section(r.text, "panel menus"))


async def test_the_canteen_page_keeps_out_other_managers_and_other_roles(client, app):
    k = await kitchen()
    other = await canteens.create_canteen(
        k.admin, name="六榕街长者饭堂", timezone=None, default_timezone="Asia/Shanghai"
    )
    stranger = await make_user("manager", other.id)
    await log_in(client, stranger.username)
    r = await client.get(f"/staff/canteens/{k.canteen_id}")
    assert r.status_code == 404 and "宫保鸡丁" not in r.text
    for role in ("cashier", "family"):
        client.cookies.clear()
        await log_in(
            client, (await make_user(role, k.canteen_id if role == "cashier" else None)).username
        )
        assert (await client.get(f"/staff/canteens/{k.canteen_id}")).status_code == 403


# --- The counter ------------------------------------------------------------------------------


async def test_the_counter_shows_todays_menu(client, app):
    k = await kitchen()
    cashier = await make_user("cashier", k.canteen_id)
    await log_in(client, cashier.username)
    panel = text(section((await client.get("/counter")).text, "today-menu"))
    assert (
        "今日菜单 午餐 两荤一素套餐 宫保鸡丁、炒青菜 含：花生 控糖软饭套餐 清蒸鱼、南瓜饭" in panel
    )
    assert "晚餐 清淡晚餐套餐 蒸水蛋 含：鸡蛋" in panel
    with clock.frozen_at(MORNING + timedelta(days=MENU_DAYS)):  # the day after the last menu
        client.cookies.clear()
        await log_in(client, cashier.username)
        panel = text(section((await client.get("/counter")).text, "today-menu"))
    assert "今天没有设菜单" in panel


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_refusal_of_an_order_has_a_sentence_for_the_page(lang):
    """``ordering.js`` says each code of ``POST /orders`` and of a cancel in the page's words."""
    said = json.loads(i18n.script_strings(lang, family.ORDER_PREFIX))
    for endpoint in orders_api.ENDPOINTS:
        if endpoint.path in ("/orders", "/orders/{order_id:int}/cancel"):
            for error in endpoint.errors:
                if error.code != "idempotency_key_reused":  # a fresh key per order: never sent
                    assert error.code in said, (lang, error.code)
    assert "{short}" in said["insufficient_balance"] and "{at}" in said["order_cutoff_passed"]


async def test_another_familys_elder_is_not_found_and_the_office_page_refuses_a_family(client, app):
    k = await kitchen()
    stranger = await make_user("family")
    await log_in(client, stranger.username)
    r = await client.get(f"/family/diners/{k.diner_id}")
    assert r.status_code == 404 and "宫保鸡丁" not in r.text and "预订餐食" not in r.text
    r = await client.get(f"/staff/diners/{k.diner_id}")
    assert r.status_code == 403 and "宫保鸡丁" not in r.text
