"""Linking an elder to the people who watch over them, and what a watcher sees of their elders."""

from datetime import timedelta

import pytest

from canteen import clock
from canteen.alerts import detect
from canteen.audit.models import AuditEntry
from tests.alerts.conftest import MONDAY, TEN_WEEKDAYS, local, open_canteen

AFTER_LUNCH = local(MONDAY, "13:31")


@pytest.fixture
async def elders(admin, as_role):
    """Two elders of canteen A who live alone, each with one volunteer watching."""
    home = await open_canteen(admin, "A")
    wang = await home.elder("王秀兰", phone="13800000001", address="幸福里3栋2单元101")
    li = await home.elder("李建国", phone="13800000002", address="幸福里5栋1单元302")
    head, other = await as_role("volunteer"), await as_role("volunteer")
    for diner, watcher, relation in ((wang, head, "building_head"), (li, other, "volunteer")):
        r = await admin.post(
            f"/diners/{diner}/watchers", {"user_id": watcher.actor.user_id, "relation": relation}
        )
        assert r.status_code == 201, r.text
    return {"canteen": home, "wang": wang, "li": li, "head": head, "other": other}


async def test_the_office_adds_lists_and_removes_a_watcher(elders, admin, as_role):
    staff = await as_role("staff")
    grid = await as_role("staff")
    wang = elders["wang"]
    r = await staff.post(
        f"/diners/{wang}/watchers", {"user_id": grid.actor.user_id, "relation": "grid_worker"}
    )
    assert r.status_code == 201, r.text
    assert r.json()["username"] == grid.actor.username and r.json()["relation"] == "grid_worker"
    listed = (await staff.get(f"/diners/{wang}/watchers")).json()["items"]
    assert [(w["username"], w["relation"]) for w in listed] == [
        (elders["head"].actor.username, "building_head"),
        (grid.actor.username, "grid_worker"),
    ]
    r = await staff.request("DELETE", f"/diners/{wang}/watchers/{grid.actor.user_id}")
    assert r.status_code == 204
    listed = (await staff.get(f"/diners/{wang}/watchers")).json()["items"]
    assert [w["username"] for w in listed] == [elders["head"].actor.username]
    entry = await AuditEntry.filter(action="diner.remove_watcher").first()
    assert entry is not None and entry.before["username"] == grid.actor.username
    assert await AuditEntry.filter(action="diner.add_watcher").count() == 3
    r = await staff.request("DELETE", f"/diners/{wang}/watchers/{grid.actor.user_id}")
    assert (r.status_code, r.json()["code"]) == (404, "not_found")


async def test_only_a_volunteer_or_staff_user_can_watch(elders, admin, as_role):
    url = f"/diners/{elders['wang']}/watchers"
    for role in ("family", "cashier", "manager", "admin"):
        canteen_id = elders["canteen"].id if role in ("cashier", "manager") else None
        user = await as_role(role, canteen_id=canteen_id)
        r = await admin.post(url, {"user_id": user.actor.user_id, "relation": "neighbour"})
        assert (r.status_code, r.json()["code"]) == (422, "not_a_watcher"), role
        assert r.json()["errors"][0]["field"] == "user_id"
    r = await admin.post(url, {"user_id": 999_999, "relation": "neighbour"})
    assert (r.status_code, r.json()["code"]) == (422, "validation_error")
    r = await admin.post(url, {"user_id": elders["other"].actor.user_id, "relation": "cousin"})
    assert (r.status_code, r.json()["code"]) == (422, "validation_error")
    r = await admin.post(url, {"user_id": elders["head"].actor.user_id, "relation": "neighbour"})
    assert (r.status_code, r.json()["code"]) == (409, "already_watching")
    r = await admin.post("/diners/999999/watchers", {"user_id": 1, "relation": "neighbour"})
    assert (r.status_code, r.json()["code"]) == (404, "not_found")


async def test_only_the_office_manages_watchers(elders, as_role):
    manager = await as_role("manager", canteen_id=elders["canteen"].id)
    url = f"/diners/{elders['wang']}/watchers"
    for who in (manager, elders["head"]):
        r = await who.post(url, {"user_id": elders["other"].actor.user_id, "relation": "neighbour"})
        assert (r.status_code, r.json()["code"]) == (403, "forbidden")
        assert (await who.get(url)).status_code == 403


async def test_a_watcher_sees_their_elders_today_and_nothing_of_others(elders):
    canteen = elders["canteen"]
    await canteen.ate(elders["wang"], TEN_WEEKDAYS)
    await canteen.ate(elders["li"], [*TEN_WEEKDAYS, MONDAY])
    assert await detect.missed_meals(AFTER_LUNCH) == 1  # 王 missed lunch, 李 came
    with clock.frozen_at(AFTER_LUNCH + timedelta(minutes=5)):
        head = (await elders["head"].get("/me/watched")).json()["items"]
        other = (await elders["other"].get("/me/watched")).json()["items"]
    assert [(e["name"], e["phone"], e["address"], e["relation"]) for e in head] == [
        ("王秀兰", "13800000001", "幸福里3栋2单元101", "building_head")
    ]
    assert (head[0]["today"], head[0]["ate_today"], head[0]["meals_today"]) == (
        "2026-11-23",
        False,
        [],
    )
    assert [(a["kind"], a["status"]) for a in head[0]["open_alerts"]] == [("missed_meal", "open")]
    assert [(e["name"], e["ate_today"], e["meals_today"]) for e in other] == [
        ("李建国", True, ["lunch"])
    ]
    assert other[0]["open_alerts"] == []


async def test_only_volunteers_and_staff_have_watched_elders(elders, admin, as_role):
    assert (await admin.get("/me/watched")).status_code == 403
    assert (await (await as_role("family")).get("/me/watched")).status_code == 403
    assert (await (await as_role("staff")).get("/me/watched")).json()["items"] == []
