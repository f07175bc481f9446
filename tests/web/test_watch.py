"""The watcher's phone page (/watch), the alert board (/staff/alerts) and the watchers section
of an elder's record, rendered in process on both databases.

The cases are made as the server makes them: two weeks of lunches, then a weekday without one,
checked after lunch (``detect.missed_meals``) and told through the outbox.
"""

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from canteen import clock
from canteen.alerts import detect, outbox
from canteen.alerts import service as alerts
from canteen.canteens import service as canteens
from canteen.checkout.models import Meal
from canteen.diners import service as diners
from canteen.roles import SYSTEM
from canteen.watchers import service as watchers
from tests.conftest import make_user
from tests.factories import id_number
from tests.web.conftest import log_in

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 18, 7, 30, tzinfo=SHANGHAI)
"""A Wednesday morning in mid-November, still Tuesday the 17th in UTC: the board lists the
handled cases of the current local month, so on a month's first weekdays the last one's would
be gone; and a page that took UTC's date for the elders' "today" would show it here."""


@pytest.fixture(autouse=True)
def wednesday_morning() -> Iterator[None]:
    """The clock frozen before anyone logs in (sessions are dated by it)."""
    with clock.frozen_at(NOW):
        yield


def today() -> date:
    return clock.today(SHANGHAI)


def weekday_before(day: date) -> date:
    day -= timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


class World:
    """北京街: 王秀兰 (watched by a building head) missed the last weekday's lunch; 李建国 (same
    watcher) missed the one before and a grid worker handled it then; 赵淑芬 on 六榕街, watched
    by another volunteer, missed the last weekday's lunch too."""

    def __init__(self) -> None:
        self.elders: dict[str, int] = {}
        self.alerts: dict[str, int] = {}

    async def build(self) -> "World":
        self.admin = await make_user("admin")
        self.head = await make_user("volunteer", username="louzhang")
        self.grid = await make_user("staff", username="wangge")
        self.other = await make_user("volunteer", username="hongmajia")
        canteen = await canteens.create_canteen(
            self.admin, name="北京街长者饭堂", timezone=None, default_timezone="Asia/Shanghai"
        )
        self.canteen_id = canteen.id
        self.manager = await make_user("manager", canteen_id=canteen.id, username="dianzhang")
        elsewhere = await canteens.create_canteen(
            self.admin, name="六榕街长者饭堂", timezone=None, default_timezone="Asia/Shanghai"
        )
        self.last = weekday_before(today())
        self.before = weekday_before(self.last)
        for name, street, home, watcher, missed in (
            ("王秀兰", "北京街", canteen.id, self.head, self.last),
            ("李建国", "北京街", canteen.id, self.head, self.before),
            ("赵淑芬", "六榕街", elsewhere.id, self.other, self.last),
        ):
            diner = await diners.enrol(
                SYSTEM,
                name=name,
                id_number=id_number("19400101"),
                home_canteen_id=home,
                district="越秀区",
                street=street,
                address=f"{street}12号",
                phone="13800000000",
                categories=["living_alone"],
            )
            self.elders[name] = diner.id
            await watchers.add_watcher(SYSTEM, diner.id, watcher.user_id, "building_head")
            days = [*detect.weekdays_before(missed, 10), missed, self.last]
            await self._lunches(diner.id, home, [d for d in sorted(set(days)) if d != missed])
        await watchers.add_watcher(SYSTEM, self.elders["李建国"], self.grid.user_id, "grid_worker")
        for day in (self.before, self.last):
            found = datetime.combine(day, time(13, 31), SHANGHAI)
            await detect.missed_meals(found)
            await outbox.report(found + timedelta(seconds=20))
            await outbox.deliver(found + timedelta(seconds=40))
        for a in (await alerts.list_alerts(self.admin, kind="missed_meal")).items:
            self.alerts[a.diner.name] = a.id
        with clock.frozen_at(datetime.combine(self.before, time(14, 10), SHANGHAI)):
            await alerts.handle(
                self.grid, self.alerts["李建国"], "上门看了，感冒在家", "visited_well"
            )
        return self

    async def _lunches(self, diner_id: int, canteen_id: int, days: list[date]) -> None:
        await Meal.bulk_create(
            [
                Meal(
                    canteen_id=canteen_id,
                    diner_id=diner_id,
                    meal_type="lunch",
                    price_fen=1500,
                    subsidy_fen=1000,
                    pay_fen=500,
                    payment="account",
                    local_date=day,
                    at=datetime.combine(day, time(11, 40), SHANGHAI),
                    sold_by_id=self.admin.user_id,
                )
                for day in days
                if day < today() or day == self.last
            ]
        )


async def world() -> World:
    return await World().build()


async def test_a_watcher_sees_their_elders_cases_and_what_to_do(client, app):
    w = await world()
    await log_in(client, w.head.username)
    page = (await client.get("/watch")).text
    assert "王秀兰" in page and "李建国" in page and "赵淑芬" not in page
    assert "北京街12号" in page and 'href="tel:13800000000"' in page
    assert page.count("今天还没有吃饭记录") == 2
    assert page.count('class="handle"') == 1 and page.count('class="follow"') == 1
    for words in ("已电话联系", "已上门，平安", "已送医", "已联系家属", "提交处置", "提交回访"):
        assert words in page, words
    assert "wangge 已处置：上门看了，感冒在家 · 已上门，平安" in page
    english = (await client.get("/watch?lang=en")).text
    assert "Elders I watch over" in english and "Visited, all well" in english


async def test_the_watch_page_is_for_watchers_only(client, app):
    w = await world()
    await log_in(client, w.other.username)
    page = (await client.get("/watch")).text
    assert "赵淑芬" in page and "王秀兰" not in page and "李建国" not in page
    for role in ("family", "cashier", "admin"):
        user = await make_user(role, canteen_id=w.canteen_id if role == "cashier" else None)
        client.cookies.clear()
        await log_in(client, user.username)
        r = await client.get("/watch")
        assert r.status_code == 403 and "王秀兰" not in r.text, role
    nobody = await make_user("volunteer")
    client.cookies.clear()
    await log_in(client, nobody.username)
    assert "还没有分配给您看护的老人" in (await client.get("/watch")).text


async def test_the_board_shows_each_case_its_steps_and_the_months_figures(client, app):
    await world()
    staff = await make_user("staff")
    await log_in(client, staff.username)
    page = (await client.get("/staff/alerts")).text
    for name in ("王秀兰", "李建国", "赵淑芬"):
        assert name in page, name
    assert page.count("已处置，待回访") == 1 and "wangge" in page
    assert page.index("王秀兰") < page.index("李建国")  # open before handled
    assert "告知 1 人" in page and "已上门，平安 · 上门看了，感冒在家" in page
    assert "没有个案" in (await client.get("/staff/alerts?kind=low_balance")).text
    assert "李建国" in (await client.get("/staff/alerts?kind=missed_meal")).text
    assert 'href="/watch"' in page  # a staff user may watch over elders too
    street = (await client.get("/staff/alerts?street=六榕街")).text
    assert "赵淑芬" in street and "王秀兰" not in street
    english = (await client.get("/staff/alerts?lang=en")).text
    assert "Alert board" in english and "Handled, follow-up to make" in english


async def test_a_manager_sees_their_canteens_board_and_others_are_kept_out(client, app):
    w = await world()
    await log_in(client, w.manager.username)
    page = (await client.get("/staff/alerts")).text
    assert "王秀兰" in page and "李建国" in page and "赵淑芬" not in page
    assert 'href="/watch"' not in page  # a manager watches over no one
    for role in ("cashier", "family", "volunteer"):
        user = await make_user(role, canteen_id=w.canteen_id if role == "cashier" else None)
        client.cookies.clear()
        await log_in(client, user.username)
        r = await client.get("/staff/alerts")
        assert r.status_code == 403 and "王秀兰" not in r.text, role


async def test_the_elders_record_lists_and_offers_watchers(client, app):
    w = await world()
    await log_in(client, (await make_user("staff")).username)
    page = (await client.get(f"/staff/diners/{w.elders['李建国']}")).text
    assert 'id="watchers"' in page
    assert "louzhang" in page and "wangge" in page and "楼栋长" in page and "网格员" in page
    assert f'data-api="/diners/{w.elders["李建国"]}/watchers/{w.head.user_id}"' in page
    assert f'<option value="{w.other.user_id}">hongmajia' in page  # a volunteer to add
    section = page[page.index('id="watchers"') :]
    assert f"{w.admin.username}" not in section  # an admin cannot watch
