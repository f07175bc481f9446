"""The alert board: open cases overdue first, each case's four steps, and a month's figures
against the goals (told within 2 minutes; 95% handled within the window)."""

from datetime import datetime, timedelta

import pytest

from canteen import clock
from canteen.alerts import board, detect, outbox
from canteen.diners import service as diners
from canteen.roles import SYSTEM
from canteen.watchers import service as watchers
from tests.alerts.conftest import MONDAY, TEN_WEEKDAYS, local, open_canteen

AFTER_LUNCH = local(MONDAY, "13:31")
T0 = datetime(2026, 11, 2, 5, 0)


def timeline(
    told: int | None = 60, handled: int | None = 30, back: bool = False, people: int = 1
) -> board.Timeline:
    """A case found at T0, told after ``told`` seconds, handled after ``handled`` minutes."""
    return board.Timeline(
        found_at=T0,
        reported_at=T0,
        told_at=None if told is None else T0 + timedelta(seconds=told),
        people=people,
        handled_at=None if handled is None else T0 + timedelta(minutes=handled),
        followed_up_at=T0 + timedelta(days=1) if back else None,
    )


def test_the_months_figures_count_each_step_and_each_goal():
    cases = [
        timeline(back=True),
        timeline(told=121, handled=121),
        timeline(told=None, handled=None),
        timeline(people=0, handled=120, back=True),
    ]
    figures = board.month_figures("2026-11", cases, handle_minutes=120)
    assert (figures.found, figures.handled, figures.handled_in_time, figures.followed_up) == (
        4,
        3,
        2,
        2,
    )
    assert (figures.to_tell, figures.told_in_time) == (3, 1)
    assert figures.handled_in_time_percent == 50 and figures.handled_goal_met is False
    assert figures.told_goal_met is False
    all_in_time = board.month_figures("2026-11", [timeline()] * 20, 120)
    assert all_in_time.handled_goal_met is True and all_in_time.told_goal_met is True
    nineteen = board.month_figures("2026-11", [timeline()] * 19 + [timeline(handled=200)], 120)
    assert nineteen.handled_in_time_percent == 95 and nineteen.handled_goal_met is True
    empty = board.month_figures("2026-11", [], 120)
    assert empty.handled_in_time_percent is None and empty.handled_goal_met is None


@pytest.fixture
async def cases(admin, as_role):
    """Three elders missed lunch: 王 and 赵 at A (赵 on 幸福街), 李 at B. A volunteer and
    王's daughter are told; 王's case is handled 20 minutes on, the others wait."""
    a, b = await open_canteen(admin, "A"), await open_canteen(admin, "B")
    ids = {
        "王秀兰": await a.elder("王秀兰", district="朝阳区", street="和平街道"),
        "赵淑芬": await a.elder("赵淑芬", district="朝阳区", street="幸福街道"),
        "李建国": await b.elder("李建国", district="海淀区", street="学院路街道"),
    }
    for diner, canteen in zip(ids.values(), (a, a, b), strict=True):
        await canteen.ate(diner, TEN_WEEKDAYS)
    head = await as_role("volunteer")
    await watchers.add_watcher(SYSTEM, ids["王秀兰"], head.actor.user_id, "building_head")
    daughter = await as_role("family")
    await diners.link_family(admin.actor, ids["王秀兰"], daughter.actor.username, "女儿")
    assert await detect.missed_meals(AFTER_LUNCH) == 3
    await outbox.report(AFTER_LUNCH + timedelta(seconds=30))
    await outbox.deliver(AFTER_LUNCH + timedelta(seconds=50))
    alerts = {a["diner_name"]: a["id"] for a in (await admin.get("/alerts")).json()["items"]}
    with clock.frozen_at(AFTER_LUNCH + timedelta(minutes=20)):
        r = await head.post(
            f"/alerts/{alerts['王秀兰']}/handle", {"note": "打电话了", "outcome": "called"}
        )
        assert r.status_code == 200, r.text
    return {"a": a, "b": b, "alerts": alerts, "head": head}


async def test_open_cases_come_first_overdue_first_each_with_its_steps(cases, admin):
    with clock.frozen_at(AFTER_LUNCH + timedelta(hours=3)):
        found = (await admin.get("/alerts/board")).json()
    rows = [(c["diner_name"], c["status"], c["overdue"]) for c in found["cases"]]
    assert rows[2] == ("王秀兰", "handled", False)
    assert sorted(rows[:2]) == [("李建国", "open", True), ("赵淑芬", "open", True)]
    wang = found["cases"][2]
    assert wang["minutes_to_handle"] == 20 and wang["follow_up_due_on"] == "2026-11-24"
    steps = {s["step"]: s for s in wang["steps"]}
    assert list(steps) == ["found", "reported", "handled", "followed_up"]
    assert steps["reported"]["told"] == 2  # the daughter and the building head
    assert steps["handled"]["by"] == cases["head"].actor.username
    assert steps["handled"]["note"] == "打电话了" and steps["followed_up"]["at"] is None
    assert found["cases"][0]["minutes_since_found"] >= 180
    places = [(p["street"], p["canteen_name"], p["open"], p["overdue"]) for p in found["places"]]
    assert sorted(places) == [("学院路街道", "B", 1, 1), ("幸福街道", "A", 1, 1)]


async def test_the_months_figures_on_the_board(cases, admin):
    with clock.frozen_at(AFTER_LUNCH + timedelta(hours=3)):
        month = (await admin.get("/alerts/board")).json()["month"]
    assert month["month"] == "2026-11"
    assert (month["found"], month["handled"], month["handled_in_time"], month["followed_up"]) == (
        3,
        1,
        1,
        0,
    )
    assert (month["to_tell"], month["told_in_time"], month["told_goal_met"]) == (1, 1, True)
    assert month["handled_goal_met"] is False and month["handle_minutes"] == 120
    with clock.frozen_at(AFTER_LUNCH + timedelta(hours=3)):
        october = (await admin.get("/alerts/board?month=2026-10")).json()
    assert october["month"]["found"] == 0
    assert len(october["cases"]) == 2  # the open cases, whatever their month


async def test_the_board_filters_by_street_and_canteen_and_a_manager_sees_their_own(
    cases, admin, as_role
):
    # The board lists the handled cases of the current (local) month: November, whenever run.
    with clock.frozen_at(AFTER_LUNCH + timedelta(hours=3)):
        r = await admin.get("/alerts/board?street=幸福街道")
        assert [c["diner_name"] for c in r.json()["cases"]] == ["赵淑芬"]
        r = await admin.get(f"/alerts/board?canteen_id={cases['b'].id}")
        assert [c["diner_name"] for c in r.json()["cases"]] == ["李建国"]
        r = await admin.get("/alerts/board?kind=low_balance")
        assert r.json()["cases"] == [] and r.json()["month"]["found"] == 0
        r = await admin.get("/alerts/board?kind=missed_meal")
        assert len(r.json()["cases"]) == 3
        assert (await admin.get("/alerts/board?kind=flood")).status_code == 422
        r = await admin.get("/alerts/board?district=朝阳区")
        assert {c["diner_name"] for c in r.json()["cases"]} == {"王秀兰", "赵淑芬"}
        manager = await as_role("manager", canteen_id=cases["b"].id)
        r = await manager.get("/alerts/board")
        assert [c["diner_name"] for c in r.json()["cases"]] == ["李建国"]
        assert r.json()["month"]["found"] == 1
        for role in ("cashier", "family", "volunteer"):
            who = await as_role(role, canteen_id=cases["a"].id if role == "cashier" else None)
            r = await who.get("/alerts/board")
            assert (r.status_code, r.json()["code"]) == (403, "forbidden"), role
        r = await admin.get("/alerts/board?month=2026-13")
        assert r.status_code == 422
