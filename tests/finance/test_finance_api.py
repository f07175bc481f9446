"""A canteen's costs and grants: recorded by the admin or its own manager, read by the office."""

import pytest

from canteen import clock
from canteen.audit.models import AuditEntry
from canteen.finance.models import FinanceEntry
from tests.reports.scenario import at


async def canteen(admin) -> int:
    return (await admin.post("/canteens", {"name": "六榕街长者饭堂"})).json()["id"]


def entry(**over):
    return {"date": "2025-10-01", "kind": "cost", "category": "rent", "amount_fen": 300_000, **over}


async def test_a_manager_records_costs_and_grants_of_their_canteen(admin, as_role):
    cid = await canteen(admin)
    manager = await as_role("manager", canteen_id=cid)
    r = await manager.post(f"/canteens/{cid}/finance", entry(note="十月租金"))
    assert r.status_code == 201, r.text
    body = r.json()
    assert body == {
        **body,
        "canteen_id": cid,
        "date": "2025-10-01",
        "kind": "cost",
        "category": "rent",
        "amount_fen": 300_000,
        "note": "十月租金",
        "created_by": manager.actor.user_id,
    }
    grant = await manager.post(
        f"/canteens/{cid}/finance",
        entry(date="2025-10-10", kind="grant", category="operating_grant", amount_fen=500_000),
    )
    assert grant.status_code == 201
    audit = await AuditEntry.filter(action="finance.record").count()
    assert audit == 2


async def test_reading_between_dates_newest_first(admin, as_role):
    cid = await canteen(admin)
    for day, category in (
        ("2025-09-30", "labor"),
        ("2025-10-01", "rent"),
        ("2025-10-31", "utilities"),
    ):
        await admin.post(f"/canteens/{cid}/finance", entry(date=day, category=category))
    staff = await as_role("staff")
    r = await staff.get(
        f"/canteens/{cid}/finance", params={"from": "2025-10-01", "to": "2025-10-31"}
    )
    assert r.status_code == 200
    assert [e["category"] for e in r.json()["items"]] == ["utilities", "rent"]
    backwards = await staff.get(
        f"/canteens/{cid}/finance", params={"from": "2025-11-01", "to": "2025-10-01"}
    )
    assert backwards.status_code == 422


async def test_another_canteens_books_are_forbidden_to_a_manager(admin, as_role):
    own, other = await canteen(admin), await canteen(admin)
    manager = await as_role("manager", canteen_id=own)
    r = await manager.post(f"/canteens/{other}/finance", entry())
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert (await manager.get(f"/canteens/{other}/finance")).status_code == 403
    assert (await admin.post("/canteens/999/finance", entry())).status_code == 404


@pytest.mark.parametrize("role", ["staff", "cashier", "family"])
async def test_only_admin_and_managers_record(admin, as_role, role):
    cid = await canteen(admin)
    other = await as_role(role, canteen_id=cid if role == "cashier" else None)
    assert (await other.post(f"/canteens/{cid}/finance", entry())).status_code == 403


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"kind": "grant", "category": "rent"}, "validation_error", "category"),
        ({"category": "operating_grant"}, "validation_error", "category"),
        ({"kind": "loan"}, "validation_error", "kind"),
        ({"amount_fen": 0}, "invalid_amount", "amount_fen"),
        ({"amount_fen": 12.5}, "invalid_amount", "amount_fen"),
        ({"amount_fen": 100_000_001}, "invalid_amount", "amount_fen"),
        ({"date": "2025-10-02"}, "validation_error", "date"),  # the clock stands at 10-01
    ],
)
async def test_a_bad_entry_is_422_naming_the_field(admin, change, code, field):
    cid = await canteen(admin)
    with clock.frozen_at(at(10, 1, 18)):
        r = await admin.post(f"/canteens/{cid}/finance", entry(**change))
    assert r.status_code == 422, r.text
    assert r.json()["code"] == code and r.json()["errors"][0]["field"] == field


async def test_an_entry_sent_twice_with_one_idempotency_key_is_recorded_once(admin):
    """The books' form sends one key per page: a double click or a retry records one entry."""
    cid = await canteen(admin)
    key = {"Idempotency-Key": "books-form-7f3a"}
    first = await admin.post(f"/canteens/{cid}/finance", entry(), headers=key)
    again = await admin.post(f"/canteens/{cid}/finance", entry(), headers=key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert await FinanceEntry.filter(canteen_id=cid).count() == 1
    other = await admin.post(f"/canteens/{cid}/finance", entry(amount_fen=1), headers=key)
    assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
