"""Sensitive actions leave a record of who, when, what, before and after; only admin reads it."""

import pytest

from tests.factories import id_number


async def test_enrolment_user_and_canteen_changes_are_audited(admin):
    canteen = (await admin.post("/canteens", {"name": "A"})).json()["id"]
    await admin.post(
        "/users", {"username": "new.staff", "password": "long enough", "role": "staff"}
    )
    number = id_number("19400101")
    diner = (
        await admin.post("/diners", {"name": "周", "id_number": number, "categories": ["veteran"]})
    ).json()["id"]
    entries = (await admin.get("/audit")).json()["items"]
    actions = [(e["action"], e["object_type"]) for e in entries]
    assert actions[:3] == [
        ("diner.enrol", "diner"),
        ("user.create", "user"),
        ("canteen.create", "canteen"),
    ]
    enrol = entries[0]
    assert enrol["actor"] == admin.actor.username and enrol["object_id"] == str(diner)
    assert enrol["after"]["categories"] == ["veteran"]
    assert number not in str(entries), "the full ID number never enters the audit log"
    assert enrol["after"]["id_number"] == "*" * 14 + number[-4:]
    only_users = (await admin.get("/audit", params={"object_type": "user"})).json()["items"]
    assert {e["object_type"] for e in only_users} == {"user"}
    assert canteen


@pytest.mark.parametrize("role", ["staff", "manager", "cashier", "family"])
async def test_only_admin_reads_the_audit_log(admin, as_role, role):
    canteen = (await admin.post("/canteens", {"name": "A"})).json()["id"]
    someone = await as_role(role, canteen_id=canteen if role in ("manager", "cashier") else None)
    r = await someone.get("/audit")
    assert (r.status_code, r.json()["code"]) == (403, "forbidden")
