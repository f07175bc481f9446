"""Enrolling, finding and changing diners; what each role may see of them."""

import pytest

from canteen.diners.models import Diner
from tests.factories import id_number


def enrolment(**over):
    return {
        "name": "陈桂芳",
        "id_number": id_number("19440315"),
        "phone": "13800138000",
        "address": "北京街 12 号",
        "district": "越秀区",
        "street": "北京街",
        **over,
    }


async def test_enrolment_returns_the_last_four_masked_birth_date_gender_and_age(admin):
    number = id_number("19440315", seq=123)
    r = await admin.post(
        "/diners",
        enrolment(
            id_number=number,
            categories=["low_income", "living_alone"],
            dietary=["diabetic", "low_salt"],
        ),
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["id_number_masked"] == "*" * 14 + number[-4:]
    assert number not in r.text and number[:6] not in r.text
    assert body["birth_date"] == "1944-03-15" and body["gender"] == "male"
    assert body["categories"] == ["living_alone", "low_income"]
    assert body["status"] == "active" and body["balance_fen"] == 0
    assert body["district"] == "越秀区" and body["street"] == "北京街"


async def test_nothing_stored_in_clear_rebuilds_the_number(admin):
    number = id_number("19500101", region="440104")
    r = await admin.post("/diners", enrolment(id_number=number))
    stored = (await Diner.filter(id=r.json()["id"]).values())[0]
    assert "region_code" not in stored and "id_last4" not in stored
    assert {number, number[:6], number[-4:], number[14:17]}.isdisjoint(map(str, stored.values()))
    assert not any(number in str(value) for value in stored.values())


async def test_age_is_computed_on_a_given_date(admin):
    r = await admin.post("/diners", enrolment(id_number=id_number("19460301")))
    diner = r.json()["id"]
    before = (await admin.get(f"/diners/{diner}?on=2026-02-28")).json()
    on_birthday = (await admin.get(f"/diners/{diner}?on=2026-03-01")).json()
    assert (before["age"], on_birthday["age"]) == (79, 80)


@pytest.mark.parametrize(
    "bad",
    ["11010519491231002Y", "110105194912310021", "1101051949123100", "110105194902300028", "abc"],
)
async def test_a_bad_resident_id_is_invalid_id_number(admin, bad):
    r = await admin.post("/diners", enrolment(id_number=bad))
    assert r.status_code == 422 and r.json()["code"] == "invalid_id_number"
    assert r.json()["errors"][0]["field"] == "id_number"


async def test_a_second_diner_with_the_same_number_is_diner_exists(admin):
    number = id_number("19410101")
    assert (await admin.post("/diners", enrolment(id_number=number))).status_code == 201
    r = await admin.post("/diners", enrolment(id_number=number.lower(), name="另一个人"))
    assert r.status_code == 409 and r.json()["code"] == "diner_exists"
    assert number not in r.text


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"categories": ["rich"]}, "categories"),
        ({"disability_level": 5, "categories": ["disabled"]}, "disability_level"),
        ({"disability_level": 2}, "disability_level"),
        ({"dietary": ["No Salt!"]}, "dietary"),
        ({"phone": "call me"}, "phone"),
        ({"home_canteen_id": 999}, "home_canteen_id"),
        ({"name": ""}, "name"),
        ({"nickname": "x"}, "nickname"),
    ],
)
async def test_bad_fields_are_422_naming_the_field(admin, over, field):
    r = await admin.post("/diners", enrolment(**over))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == field


async def test_search_by_name_phone_or_last_four(admin):
    number = id_number("19380808", seq=456)
    a = (
        await admin.post("/diners", enrolment(name="黄伯", id_number=number, phone="13912345678"))
    ).json()
    await admin.post("/diners", enrolment(name="梁婆婆", phone="13700000000"))
    for q in ("黄", "1234567", number[-4:]):
        found = (await admin.get("/diners", params={"q": q})).json()["items"]
        assert [d["id"] for d in found] == [a["id"]], q
    assert len((await admin.get("/diners")).json()["items"]) == 2


async def test_patch_changes_status_and_categories_and_is_audited(admin):
    diner = (await admin.post("/diners", enrolment())).json()["id"]
    r = await admin.patch(
        f"/diners/{diner}", {"status": "suspended", "categories": ["extreme_poverty"]}
    )
    assert r.status_code == 200
    assert r.json()["status"] == "suspended" and r.json()["categories"] == ["extreme_poverty"]
    audit = (
        await admin.get("/audit", params={"object_type": "diner", "object_id": str(diner)})
    ).json()["items"]
    assert audit[0]["action"] == "diner.update"
    assert audit[0]["before"] == {"status": "active", "categories": []}
    assert audit[0]["after"] == {"status": "suspended", "categories": ["extreme_poverty"]}
    assert audit[1]["action"] == "diner.enrol"


async def test_patch_refuses_unknown_status_and_the_id_number(admin):
    diner = (await admin.post("/diners", enrolment())).json()["id"]
    r = await admin.patch(f"/diners/{diner}", {"status": "gone"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "status"
    r = await admin.patch(f"/diners/{diner}", {"id_number": id_number()})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "id_number"
    assert (await admin.patch("/diners/999", {"status": "active"})).status_code == 404


async def test_family_sees_only_linked_diners(admin, as_role):
    mine = (await admin.post("/diners", enrolment(name="妈妈"))).json()["id"]
    other = (await admin.post("/diners", enrolment(name="别人"))).json()["id"]
    family = await as_role("family")
    r = await admin.post(
        f"/diners/{mine}/family", {"username": family.actor.username, "relation": "女儿"}
    )
    assert r.status_code == 201
    assert r.json() == {"diner_id": mine, "username": family.actor.username, "relation": "女儿"}
    assert (await family.get(f"/diners/{mine}")).status_code == 200
    for path in (f"/diners/{other}", f"/diners/{other}/account", f"/diners/{other}/ledger"):
        r = await family.get(path)
        assert (r.status_code, r.json()["code"]) == (404, "not_found"), path
    me = (await family.get("/me/diners")).json()
    assert [(d["id"], d["balance_fen"]) for d in me["items"]] == [(mine, 0)]
    assert (await family.get("/diners")).status_code == 403


async def test_linking_twice_or_a_non_family_user_is_refused(admin, as_role):
    diner = (await admin.post("/diners", enrolment())).json()["id"]
    family = await as_role("family")
    await admin.post(
        f"/diners/{diner}/family", {"username": family.actor.username, "relation": "儿子"}
    )
    r = await admin.post(
        f"/diners/{diner}/family", {"username": family.actor.username, "relation": "儿子"}
    )
    assert r.status_code == 409 and r.json()["code"] == "already_linked"
    staff = await as_role("staff")
    r = await admin.post(
        f"/diners/{diner}/family", {"username": staff.actor.username, "relation": "儿子"}
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "username"


async def test_counter_staff_do_not_see_address_or_disability(admin, as_role):
    canteen = (await admin.post("/canteens", {"name": "A"})).json()["id"]
    diner = (
        await admin.post(
            "/diners",
            enrolment(categories=["disabled"], disability_level=2, home_canteen_id=canteen),
        )
    ).json()["id"]
    staff = await as_role("staff")
    assert (await staff.get(f"/diners/{diner}")).json()["disability_level"] == 2
    for role in ("cashier", "manager"):
        someone = await as_role(role, canteen_id=canteen)
        body = (await someone.get(f"/diners/{diner}")).json()
        assert body["disability_level"] is None and body["address"] is None
        assert body["name"] == "陈桂芳"


@pytest.mark.parametrize("role", ["manager", "cashier", "family"])
async def test_only_admin_and_staff_enrol(admin, as_role, role):
    canteen = (await admin.post("/canteens", {"name": "A"})).json()["id"]
    someone = await as_role(role, canteen_id=canteen if role != "family" else None)
    r = await someone.post("/diners", enrolment())
    assert r.status_code == 403 and r.json()["code"] == "forbidden"


async def test_a_deceased_diners_card_stops_working_at_once(admin):
    from canteen.cards.models import Card

    diner = (await admin.post("/diners", enrolment())).json()["id"]
    card = (await admin.post(f"/diners/{diner}/cards")).json()
    await admin.patch(f"/diners/{diner}", {"status": "deceased"})
    stored = await Card.get(id=card["card_id"])
    assert stored.revoked_at is not None and stored.revoke_reason == "withdrawn"
