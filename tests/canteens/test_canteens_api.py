"""Canteens and their price lists."""

import pytest


async def test_a_canteen_gets_default_meal_windows_and_the_service_time_zone(admin):
    r = await admin.post(
        "/canteens", {"name": "北京街长者饭堂", "district": "越秀区", "street": "北京街"}
    )
    assert r.status_code == 201
    body = r.json()
    assert body["timezone"] == "Asia/Shanghai"
    assert body["meal_windows"] == {
        "breakfast": ["06:30", "09:00"],
        "lunch": ["10:30", "13:30"],
        "dinner": ["16:30", "19:00"],
    }
    assert (await admin.get(f"/canteens/{body['id']}")).json() == body
    assert [c["id"] for c in (await admin.get("/canteens")).json()["items"]] == [body["id"]]


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"meal_windows": {"lunch": ["13:00", "11:00"]}}, "meal_windows.lunch"),
        ({"meal_windows": {"supper": ["20:00", "21:00"]}}, "meal_windows.supper"),
        (
            {"meal_windows": {"lunch": ["10:30", "13:30"], "dinner": ["13:00", "18:00"]}},
            "meal_windows.dinner",
        ),
        ({"meal_windows": {"lunch": ["25:00", "26:00"]}}, "meal_windows.lunch"),
        ({"name": ""}, "name"),
    ],
)
async def test_bad_canteen_fields_are_named(admin, over, field):
    r = await admin.post("/canteens", {"name": "A", **over})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == field


async def test_unknown_canteen_is_not_found(admin):
    r = await admin.get("/canteens/404")
    assert (r.status_code, r.json()["code"]) == (404, "not_found")


async def test_offerings_carry_price_type_and_tags(admin):
    canteen = (await admin.post("/canteens", {"name": "A"})).json()["id"]
    r = await admin.post(
        f"/canteens/{canteen}/offerings",
        {
            "name": "控糖套餐",
            "meal_type": "lunch",
            "price_fen": 1500,
            "tags": ["diabetic", "low_salt"],
        },
    )
    assert r.status_code == 201
    assert r.json() == {
        "id": r.json()["id"],
        "canteen_id": canteen,
        "name": "控糖套餐",
        "meal_type": "lunch",
        "price_fen": 1500,
        "tags": ["diabetic", "low_salt"],
        "active": True,
    }
    listed = (await admin.get(f"/canteens/{canteen}/offerings")).json()["items"]
    assert [o["name"] for o in listed] == ["控糖套餐"]


@pytest.mark.parametrize(
    ("price", "code"),
    [
        (-1, "invalid_amount"),
        (100_001, "invalid_amount"),
        (12.5, "invalid_amount"),
        ("15", "invalid_amount"),
    ],
)
async def test_offering_prices_are_whole_fen_in_range(admin, price, code):
    canteen = (await admin.post("/canteens", {"name": "A"})).json()["id"]
    r = await admin.post(
        f"/canteens/{canteen}/offerings", {"name": "x", "meal_type": "lunch", "price_fen": price}
    )
    assert r.status_code == 422 and r.json()["code"] == code


async def test_bad_meal_type_and_tags_are_refused(admin):
    canteen = (await admin.post("/canteens", {"name": "A"})).json()["id"]
    r = await admin.post(
        f"/canteens/{canteen}/offerings", {"name": "x", "meal_type": "supper", "price_fen": 100}
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "meal_type"
    r = await admin.post(
        f"/canteens/{canteen}/offerings",
        {"name": "x", "meal_type": "lunch", "price_fen": 100, "tags": ["Low Salt"]},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "tags"


async def test_a_manager_prices_only_their_own_canteen(admin, as_role):
    mine = (await admin.post("/canteens", {"name": "Mine"})).json()["id"]
    theirs = (await admin.post("/canteens", {"name": "Theirs"})).json()["id"]
    manager = await as_role("manager", canteen_id=mine)
    offering = {"name": "午餐", "meal_type": "lunch", "price_fen": 1200}
    assert (await manager.post(f"/canteens/{mine}/offerings", offering)).status_code == 201
    r = await manager.post(f"/canteens/{theirs}/offerings", offering)
    assert (r.status_code, r.json()["code"]) == (403, "forbidden")
    cashier = await as_role("cashier", canteen_id=mine)
    assert (await cashier.post(f"/canteens/{mine}/offerings", offering)).status_code == 403


async def test_an_offering_can_be_repriced_and_withdrawn(admin):
    canteen = (await admin.post("/canteens", {"name": "A"})).json()["id"]
    offering = (
        await admin.post(
            f"/canteens/{canteen}/offerings",
            {"name": "午餐", "meal_type": "lunch", "price_fen": 1200},
        )
    ).json()["id"]
    r = await admin.patch(
        f"/canteens/{canteen}/offerings/{offering}", {"price_fen": 1300, "active": False}
    )
    assert r.status_code == 200 and (r.json()["price_fen"], r.json()["active"]) == (1300, False)
    other = (await admin.post("/canteens", {"name": "B"})).json()["id"]
    r = await admin.patch(f"/canteens/{other}/offerings/{offering}", {"price_fen": 1})
    assert r.status_code == 404


async def test_only_admin_opens_canteens(as_role):
    staff = await as_role("staff")
    r = await staff.post("/canteens", {"name": "x"})
    assert r.status_code == 403


async def test_a_canteens_meal_windows_change_all_at_once_and_are_audited(admin, as_role):
    canteen = (await admin.post("/canteens", {"name": "A"})).json()["id"]
    manager = await as_role("manager", canteen_id=canteen)
    windows = {"lunch": ["11:00", "13:00"], "dinner": ["17:00", "18:30"]}
    r = await manager.patch(f"/canteens/{canteen}", {"meal_windows": windows})
    assert r.status_code == 200, r.text
    assert r.json()["meal_windows"] == windows, "breakfast, left out, is no longer served"
    assert (await admin.get(f"/canteens/{canteen}")).json()["meal_windows"] == windows
    entry = (await admin.get("/audit", params={"action": "canteen.update"})).json()["items"][0]
    assert entry["actor"] == manager.actor.username
    assert entry["before"]["meal_windows"]["breakfast"] == ["06:30", "09:00"]
    assert entry["after"] == {"meal_windows": windows}


@pytest.mark.parametrize(
    ("windows", "field"),
    [
        ({}, "meal_windows"),
        ({"lunch": ["13:00", "11:00"]}, "meal_windows.lunch"),
        ({"supper": ["20:00", "21:00"]}, "meal_windows.supper"),
        ({"lunch": ["10:30", "13:30"], "dinner": ["13:00", "18:00"]}, "meal_windows.dinner"),
        ({"lunch": ["11:00"]}, "meal_windows.lunch"),
    ],
)
async def test_bad_meal_windows_change_nothing_and_are_named(admin, windows, field):
    canteen = (await admin.post("/canteens", {"name": "A"})).json()
    r = await admin.patch(f"/canteens/{canteen['id']}", {"meal_windows": windows})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == field
    assert (await admin.get(f"/canteens/{canteen['id']}")).json() == canteen


async def test_only_the_admin_and_the_canteens_own_manager_change_its_windows(admin, as_role):
    canteen = (await admin.post("/canteens", {"name": "A"})).json()["id"]
    other = (await admin.post("/canteens", {"name": "B"})).json()["id"]
    body = {"meal_windows": {"lunch": ["11:00", "13:00"]}}
    for someone in (
        await as_role("manager", canteen_id=other),
        await as_role("cashier", canteen_id=canteen),
        await as_role("staff"),
    ):
        r = await someone.patch(f"/canteens/{canteen}", body)
        assert (r.status_code, r.json()["code"]) == (403, "forbidden"), someone.actor.role
