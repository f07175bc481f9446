"""发现 - 上报 - 处置 - 回访 through the API: who sees an alert, who handles and follows it up."""

import pytest

from canteen.alerts import detect
from canteen.diners import service as diners
from tests.alerts.conftest import MONDAY, TEN_WEEKDAYS, local, open_canteen

AFTER_LUNCH = local(MONDAY, "13:31")


@pytest.fixture
async def missed(admin, as_role):
    """An alert about an elder of canteen A; a manager and a cashier at A, one at B, a family."""
    home, other = await open_canteen(admin, "A"), await open_canteen(admin, "B")
    diner = await home.elder("陈秀英")
    await home.ate(diner, TEN_WEEKDAYS)
    await detect.missed_meals(AFTER_LUNCH)
    family = await as_role("family")
    await diners.link_family(admin.actor, diner, family.actor.username, "女儿")
    alert_id = (await admin.get("/alerts")).json()["items"][0]["id"]
    return {
        "alert": alert_id,
        "diner": diner,
        "manager": await as_role("manager", canteen_id=home.id),
        "cashier": await as_role("cashier", canteen_id=home.id),
        "elsewhere": await as_role("manager", canteen_id=other.id),
        "family": family,
        "stranger": await as_role("family"),
    }


async def test_the_canteens_staff_and_the_family_see_it_others_do_not(missed):
    for who in ("manager", "cashier", "family"):
        items = (await missed[who].get("/alerts")).json()["items"]
        assert [(a["id"], a["kind"], a["diner_name"], a["status"]) for a in items] == [
            (missed["alert"], "missed_meal", "陈秀英", "open")
        ], who
        assert items[0]["canteen_name"] == "A" and items[0]["local_date"] == "2026-11-23"
    for who in ("elsewhere", "stranger"):
        assert (await missed[who].get("/alerts")).json()["items"] == [], who


async def test_handled_with_a_note_then_followed_up(missed):
    cashier, manager = missed["cashier"], missed["manager"]
    url = f"/alerts/{missed['alert']}"
    r = await manager.post(url + "/follow-up", {"note": "too early"})
    assert (r.status_code, r.json()["code"]) == (409, "alert_not_handled")

    r = await cashier.post(url + "/handle", {"note": "打电话给女儿：老人感冒在家，已送饭上门"})
    assert r.status_code == 200, r.text
    handled = r.json()
    assert handled["status"] == "handled" and handled["handled_by"] == cashier.actor.username
    assert handled["note"] == "打电话给女儿：老人感冒在家，已送饭上门"
    r = await manager.post(url + "/handle", {"note": "again"})
    assert (r.status_code, r.json()["code"]) == (409, "alert_already_handled")

    r = await manager.post(url + "/follow-up", {"note": "次日回访：已康复，明天来吃饭"})
    assert r.status_code == 200
    followed = r.json()
    assert (followed["status"], followed["followed_up_by"]) == (
        "followed_up",
        manager.actor.username,
    )
    r = await manager.post(url + "/follow-up", {"note": "again"})
    assert (r.status_code, r.json()["code"]) == (409, "alert_already_handled")

    seen = (await missed["family"].get("/alerts")).json()["items"][0]
    assert seen["note"].startswith("打电话给女儿") and seen["follow_up_note"].startswith("次日回访")
    assert (await missed["family"].get("/alerts?status=open")).json()["items"] == []


async def test_only_the_canteens_staff_and_the_office_may_handle(missed, as_role):
    url = f"/alerts/{missed['alert']}/handle"
    r = await missed["family"].post(url, {"note": "我来处理"})
    assert (r.status_code, r.json()["code"]) == (403, "forbidden")
    r = await missed["elsewhere"].post(url, {"note": "not mine"})
    assert (r.status_code, r.json()["code"]) == (404, "not_found")
    r = await missed["manager"].post(url, {"note": "   "})
    assert r.status_code == 422
    staff = await as_role("staff")
    assert (await staff.post(url, {"note": "民政已联系社区网格员上门"})).status_code == 200


async def test_the_list_filters_by_kind_status_and_diner(missed, admin):
    base = "/alerts?kind=missed_meal&status=open&diner_id={}"
    assert len((await admin.get(base.format(missed["diner"]))).json()["items"]) == 1
    assert (await admin.get(base.format(missed["diner"] + 1000))).json()["items"] == []
    assert (await admin.get("/alerts?kind=low_balance")).json()["items"] == []
    assert (await admin.get("/alerts?kind=flood")).status_code == 422
