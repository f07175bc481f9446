"""Sensitive actions leave a record of who, when, what, before and after; only admin reads it."""

from datetime import datetime, timedelta

import pytest

from canteen import clock
from canteen.config import get_settings
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


async def test_the_log_is_filtered_by_who_what_object_and_day(admin, as_role):
    staff = await as_role("staff")
    diner = (await staff.post("/diners", {"name": "吴", "id_number": id_number("19450505")})).json()
    await admin.post("/canteens", {"name": "B"})
    await admin.post("/canteens", {"name": "C"})

    async def actions(**params: str) -> list[str]:
        r = await admin.get("/audit", params=params)
        assert r.status_code == 200, r.text
        return [e["action"] for e in r.json()["items"]]

    assert await actions(actor=staff.actor.username) == ["diner.enrol"]
    assert await actions(actor=staff.actor.username.upper()) == ["diner.enrol"]
    assert await actions(actor=admin.actor.username) == ["canteen.create", "canteen.create"]
    # The fixtures' users were added as the command line adds them: by no one.
    assert set(await actions(actor="system")) == {"user.create"}
    assert await actions(actor="nobody-here") == []
    assert await actions(action="canteen") == ["canteen.create", "canteen.create"]
    assert await actions(action="canteen.create") == ["canteen.create", "canteen.create"]
    assert await actions(action="canteen.cr") == [], "a domain is a whole word"
    assert await actions(object_type="diner", object_id=str(diner["id"])) == ["diner.enrol"]
    today = clock.today(get_settings().tz)
    assert len(await actions(**{"from": str(today), "to": str(today)})) == 5
    assert await actions(**{"to": str(today - timedelta(days=1))}) == []
    assert await actions(**{"from": str(today + timedelta(days=1))}) == []


async def test_a_day_is_the_canteens_day_not_utcs(admin):
    """01:30 in Shanghai on the 2nd is 17:30 UTC on the 1st: the entry is the 2nd's."""
    zone = get_settings().tz
    with clock.frozen_at(datetime(2026, 3, 2, 1, 30, tzinfo=zone)):
        await admin.post("/canteens", {"name": "Early"})

    async def days(start: str, end: str) -> int:
        r = await admin.get("/audit", params={"from": start, "to": end, "action": "canteen"})
        return len(r.json()["items"])

    assert await days("2026-03-02", "2026-03-02") == 1
    assert await days("2026-03-01", "2026-03-01") == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [({"from": "2026-13-01"}, "from"), ({"to": "yesterday"}, "to"), ({"actor": "x" * 65}, "actor")],
)
async def test_a_bad_filter_is_a_422_naming_it(admin, params, field):
    r = await admin.get("/audit", params=params)
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == [field]
