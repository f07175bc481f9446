"""The missed-meal check: an elder who comes most weekdays and has not come by the end of lunch."""

import logging
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from canteen import periodic
from canteen.alerts import detect
from canteen.alerts.models import Alert, Notification
from canteen.diners import service as diners
from tests.alerts.conftest import MONDAY, TEN_WEEKDAYS, local, open_canteen
from tests.conftest import make_user

AFTER_LUNCH = local(MONDAY, "13:31")


async def alerted(kind: str = "missed_meal") -> set[int]:
    return set(await Alert.filter(kind=kind).values_list("diner_id", flat=True))


def test_the_last_ten_weekdays_skip_the_weekend():
    assert detect.weekdays_before(MONDAY, 10) == TEN_WEEKDAYS
    assert all(day.weekday() < 5 for day in TEN_WEEKDAYS)


async def test_a_regular_who_has_not_come_by_the_end_of_lunch_is_alerted_once(canteen):
    every_day = await canteen.elder("陈秀英")
    eight_of_ten = await canteen.elder("李桂芳")
    seven_of_ten = await canteen.elder("张玉兰")
    came_today = await canteen.elder("黄建国")
    suspended = await canteen.elder("梁淑芬", status="suspended")
    voided = await canteen.elder("何月娥")
    for diner in (every_day, came_today, suspended):
        await canteen.ate(diner, TEN_WEEKDAYS)
    await canteen.ate(eight_of_ten, TEN_WEEKDAYS[:8])
    await canteen.ate(seven_of_ten, TEN_WEEKDAYS[2:9])
    await canteen.ate(came_today, [MONDAY], hhmm="11:10")
    await canteen.ate(voided, TEN_WEEKDAYS[:7])
    await canteen.ate(voided, TEN_WEEKDAYS[7:], voided=True)

    assert await detect.missed_meals(AFTER_LUNCH) == 2
    assert await alerted() == {every_day, eight_of_ten}
    alert = await Alert.get(diner_id=eight_of_ten)
    assert (alert.local_date, alert.status, alert.canteen_id) == (MONDAY, "open", canteen.id)  # type: ignore[attr-defined]
    assert alert.detail == {"days_eaten": 8, "weekdays": 10, "since": "2026-11-09"}

    assert await detect.missed_meals(AFTER_LUNCH + timedelta(hours=2)) == 0
    assert await Alert.all().count() == 2, "never twice a day"


async def test_no_alert_before_lunch_ends_or_at_the_weekend(canteen):
    diner = await canteen.elder("陈秀英")
    await canteen.ate(diner, TEN_WEEKDAYS)
    assert await detect.missed_meals(local(MONDAY, "13:29")) == 0
    saturday = MONDAY - timedelta(days=2)
    assert await detect.missed_meals(local(saturday, "15:00")) == 0
    assert await alerted() == set()


async def test_a_late_lunch_after_the_alert_leaves_the_alert_for_the_staff_to_close(canteen):
    diner = await canteen.elder("陈秀英")
    await canteen.ate(diner, TEN_WEEKDAYS)
    await detect.missed_meals(AFTER_LUNCH)
    await canteen.ate(diner, [MONDAY], hhmm="13:40")
    assert await detect.missed_meals(AFTER_LUNCH + timedelta(minutes=30)) == 0
    assert (await Alert.get(diner_id=diner)).status == "open"


async def test_each_canteen_decides_by_its_own_time_zone_and_lunch(admin):
    shanghai = await open_canteen(admin)
    london = await open_canteen(admin, "London lunch club", timezone="Europe/London")
    late = await open_canteen(
        admin,
        "晚午餐食堂",
        meal_windows={"lunch": ["11:00", "14:30"], "dinner": ["17:00", "19:00"]},
    )
    here = await shanghai.elder("陈秀英")
    there = await london.elder("Mary Smith")
    later = await late.elder("李桂芳")
    for canteen, diner in ((shanghai, here), (london, there), (late, later)):
        await canteen.ate(diner, TEN_WEEKDAYS)
    # 14:00 in Shanghai is 06:00 in London: Shanghai's lunch is over, London's has not begun,
    # and the late canteen's lunch runs to 14:30.
    assert await detect.missed_meals(local(MONDAY, "14:00")) == 1
    assert await alerted() == {here}
    london_after_lunch = local(MONDAY, "13:31", ZoneInfo("Europe/London"))
    assert await detect.missed_meals(london_after_lunch) == 2
    assert await alerted() == {here, there, later}


async def test_detection_is_the_same_few_queries_for_3_or_30_diners(admin, caplog):
    async def queries_for(count: int) -> int:
        canteen = await open_canteen(admin, f"食堂{count}")
        for n in range(count):
            diner = await canteen.elder(f"老人{count}-{n}")
            await canteen.ate(diner, TEN_WEEKDAYS)
        caplog.clear()
        with caplog.at_level(logging.DEBUG, logger="tortoise.db_client"):
            raised = await detect.missed_meals(AFTER_LUNCH)
        assert raised == count
        return len([r for r in caplog.records if r.name == "tortoise.db_client"])

    few = await queries_for(3)
    many = await queries_for(30)
    assert few == many <= 8


async def test_the_family_and_the_canteens_staff_list_are_told(canteen, caplog):
    diner = await canteen.elder("陈秀英", categories=["living_alone"])
    await canteen.ate(diner, TEN_WEEKDAYS)
    daughter = await make_user("family")
    son = await make_user("family")
    await diners.link_family(canteen.admin.actor, diner, daughter.username, "女儿")
    await diners.link_family(canteen.admin.actor, diner, son.username, "儿子")
    manager = await make_user("manager", canteen_id=canteen.id)
    cashier = await make_user("cashier", canteen_id=canteen.id)
    elsewhere = await open_canteen(canteen.admin, "六榕街长者饭堂")
    await make_user("cashier", canteen_id=elsewhere.id)

    with caplog.at_level(logging.WARNING, logger="canteen.alerts"):
        run = await periodic.run_once(AFTER_LUNCH)
    assert (run.missed_meal_alerts, run.notifications, run.sent, run.failed) == (1, 3, 3, 0)

    notes = await Notification.all().order_by("id")
    assert {(n.channel, n.recipient_id) for n in notes} == {  # type: ignore[attr-defined]
        ("portal", daughter.user_id),
        ("portal", son.user_id),
        ("log", None),
    }
    assert {n.status for n in notes} == {"sent"}
    staff_list = next(n for n in notes if n.channel == "log").payload["staff"]
    assert staff_list == sorted([manager.username, cashier.username])
    assert "陈秀英今天（2026-11-23）午餐时间已过" in notes[0].payload["text_zh"]
    alert = await Alert.get(diner_id=diner)
    lines = [r.getMessage() for r in caplog.records if r.name == "canteen.alerts"]
    assert lines == [f"alert {alert.id} missed_meal for diner {diner} at canteen {canteen.id}"]
    assert not any("陈秀英" in line for line in lines), "no name in the log: logs are shipped"
    assert alert.reported_at == AFTER_LUNCH

    again = await periodic.run_once(AFTER_LUNCH + timedelta(minutes=5))
    assert (again.missed_meal_alerts, again.notifications, again.sent) == (0, 0, 0)
    assert await Notification.all().count() == 3


@pytest.mark.parametrize("status", ["suspended", "deceased"])
async def test_an_inactive_elder_is_not_checked(canteen, status):
    diner = await canteen.elder("陈秀英")
    await canteen.ate(diner, TEN_WEEKDAYS)
    await diners.update(canteen.admin.actor, diner, {"status": status})
    assert await detect.missed_meals(AFTER_LUNCH) == 0
