"""An elder's alerts reach their watchers, who handle and follow them up like the office; a
watcher never sees or handles another elder's alert."""

from datetime import timedelta

import pytest

from canteen import clock
from canteen.alerts import detect, outbox
from canteen.alerts import service as alerts
from canteen.alerts.models import Alert, Notification
from canteen.diners import service as diners
from canteen.roles import SYSTEM
from canteen.watchers import service as watchers
from tests.alerts.conftest import MONDAY, TEN_WEEKDAYS, local, open_canteen

AFTER_LUNCH = local(MONDAY, "13:31")


@pytest.fixture
async def case(admin, as_role):
    """王 (watched by a building head and a grid worker, with a daughter) missed lunch at A;
    李 (watched by another volunteer) missed it too."""
    home = await open_canteen(admin, "A")
    wang, li = await home.elder("王秀兰"), await home.elder("李建国")
    await home.ate(wang, TEN_WEEKDAYS)
    await home.ate(li, TEN_WEEKDAYS)
    head, grid, other = (
        await as_role("volunteer"),
        await as_role("staff"),
        await as_role("volunteer"),
    )
    await watchers.add_watcher(SYSTEM, wang, head.actor.user_id, "building_head")
    await watchers.add_watcher(SYSTEM, wang, grid.actor.user_id, "grid_worker")
    await watchers.add_watcher(SYSTEM, li, other.actor.user_id, "volunteer")
    daughter = await as_role("family")
    await diners.link_family(admin.actor, wang, daughter.actor.username, "女儿")
    assert await detect.missed_meals(AFTER_LUNCH) == 2
    alerts = {a["diner_name"]: a["id"] for a in (await admin.get("/alerts")).json()["items"]}
    return {
        "canteen": home,
        "wang": alerts["王秀兰"],
        "li": alerts["李建国"],
        "head": head,
        "grid": grid,
        "other": other,
        "daughter": daughter,
    }


async def test_every_alert_is_told_to_the_family_the_watchers_and_the_canteen(case):
    assert await outbox.report(AFTER_LUNCH) == 6  # 王: daughter, 2 watchers, staff; 李: 1 + staff
    rows = await Notification.filter(alert_id=case["wang"]).order_by("id")
    assert sorted((n.channel, n.recipient_id or 0) for n in rows) == sorted(
        [
            ("portal", case["daughter"].actor.user_id),
            ("portal", case["head"].actor.user_id),
            ("portal", case["grid"].actor.user_id),
            ("log", 0),
        ]
    )
    li = await Notification.filter(alert_id=case["li"]).values_list("channel", "recipient_id")
    assert sorted(li, key=str) == sorted(
        [("portal", case["other"].actor.user_id), ("log", None)], key=str
    )


async def test_a_low_balance_reaches_the_canteens_staff_and_watchers_too(case, admin):
    canteen = case["canteen"]
    diner = await canteen.elder("赵淑芬")
    await watchers.add_watcher(SYSTEM, diner, case["head"].actor.user_id, "building_head")
    await alerts.after_sale(
        alerts.BalanceAfterSale(diner, canteen.id, MONDAY, 2100, 1900, low_balance_fen=2000)
    )
    await outbox.report(AFTER_LUNCH)
    rows = await Notification.filter(kind="low_balance").values_list("channel", "recipient_id")
    assert sorted(rows, key=str) == sorted(
        [("portal", case["head"].actor.user_id), ("log", None)], key=str
    )


async def test_a_watcher_sees_and_handles_only_their_elders_alerts(case):
    head, other = case["head"], case["other"]
    assert [a["id"] for a in (await head.get("/alerts")).json()["items"]] == [case["wang"]]
    assert [a["id"] for a in (await other.get("/alerts")).json()["items"]] == [case["li"]]
    r = await other.post(f"/alerts/{case['wang']}/handle", {"note": "不是我的"})
    assert (r.status_code, r.json()["code"]) == (404, "not_found")
    r = await other.post(f"/alerts/{case['wang']}/follow-up", {"note": "不是我的"})
    assert (r.status_code, r.json()["code"]) == (404, "not_found")
    assert (await head.get(f"/alerts?diner_id={case['li']}")).json()["items"] == []


async def test_a_watcher_handles_then_follows_up_the_next_day(case):
    head, url = case["head"], f"/alerts/{case['wang']}"
    with clock.frozen_at(AFTER_LUNCH + timedelta(minutes=20)):
        r = await head.post(
            url + "/handle", {"note": "上门看了，感冒在家", "outcome": "visited_well"}
        )
    assert r.status_code == 200, r.text
    handled = r.json()
    assert (handled["status"], handled["outcome"], handled["handled_by"]) == (
        "handled",
        "visited_well",
        head.actor.username,
    )
    assert handled["follow_up_due_on"] == "2026-11-24"
    with clock.frozen_at(local(MONDAY + timedelta(days=1), "10:00")):
        watched = (await head.get("/me/watched")).json()["items"][0]
        assert [(a["id"], a["status"], a["follow_up_due_on"]) for a in watched["open_alerts"]] == [
            (case["wang"], "handled", "2026-11-24")
        ]
        r = await head.post(url + "/follow-up", {"note": "次日回访：已好转"})
    assert r.status_code == 200 and r.json()["followed_up_by"] == head.actor.username
    assert (await head.get("/me/watched")).json()["items"][0]["open_alerts"] == []
    seen = (await case["daughter"].get("/alerts")).json()["items"][0]
    assert (seen["outcome"], seen["follow_up_note"]) == ("visited_well", "次日回访：已好转")


async def test_a_handling_outcome_is_one_of_four(case):
    r = await case["head"].post(
        f"/alerts/{case['wang']}/handle", {"note": "x", "outcome": "prayed"}
    )
    assert (r.status_code, r.json()["code"]) == (422, "validation_error")
    assert r.json()["errors"][0]["field"] == "outcome"


async def test_a_removed_watcher_no_longer_reaches_the_alert(case):
    await watchers.remove_watcher(SYSTEM, (await _diner_of(case)), case["head"].actor.user_id)
    assert (await case["head"].get("/alerts")).json()["items"] == []
    r = await case["head"].post(f"/alerts/{case['wang']}/handle", {"note": "还能处理吗"})
    assert (r.status_code, r.json()["code"]) == (404, "not_found")


async def _diner_of(case) -> int:
    return (await Alert.get(id=case["wang"])).diner_id
