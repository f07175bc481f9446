"""Reversing a cost or grant: a new entry that points at the original, never an edit; at
most once, even when two reversals arrive at the same instant; audited; the books net out."""

import asyncio

import httpx

from canteen.audit.models import AuditEntry
from canteen.finance.models import FinanceEntry
from tests.conftest import PASSWORD, make_user


async def canteen(admin) -> int:
    return (await admin.post("/canteens", {"name": "六榕街长者饭堂"})).json()["id"]


def rent(**over) -> dict:
    return {"date": "2026-10-01", "kind": "cost", "category": "rent", "amount_fen": 300_000, **over}


async def recorded(api, cid: int, **over) -> int:
    r = await api.post(f"/canteens/{cid}/finance", rent(**over))
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


async def test_a_reversal_is_a_new_negative_entry_pointing_at_the_original(admin, as_role):
    cid = await canteen(admin)
    manager = await as_role("manager", canteen_id=cid)
    original = await recorded(manager, cid)
    r = await manager.post(
        f"/canteens/{cid}/finance/{original}/reverse", {"reason": "rent keyed twice"}
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body == {
        **body,
        "canteen_id": cid,
        "date": "2026-10-01",
        "kind": "cost",
        "category": "rent",
        "amount_fen": -300_000,
        "note": "rent keyed twice",
        "reverses_id": original,
        "created_by": manager.actor.user_id,
    }
    kept = await FinanceEntry.get(id=original)
    assert (kept.amount_fen, kept.note) == (300_000, ""), "the original is never edited"
    audit = await AuditEntry.get(action="finance.reverse")
    assert audit.object_id == str(body["id"]) and audit.actor_id == manager.actor.user_id  # type: ignore[attr-defined]
    assert audit.before == {"entry_id": original, "amount_fen": 300_000}
    assert audit.after == {
        "reverses_id": original,
        "amount_fen": -300_000,
        "reason": "rent keyed twice",
    }


async def test_the_sustainability_report_nets_a_reversed_entry_out(admin):
    cid = await canteen(admin)
    await recorded(admin, cid, category="ingredients", amount_fen=120_000)
    wrong = await recorded(admin, cid)
    await admin.post(f"/canteens/{cid}/finance/{wrong}/reverse", {"reason": "not ours"})
    r = await admin.get(
        "/reports/sustainability",
        params={"from": "2026-10-01", "to": "2026-10-31", "canteen_id": cid},
    )
    assert r.status_code == 200, r.text
    assert r.json()["cost_fen"] == 120_000
    assert r.json()["cost_by_category"].get("rent", 0) == 0


async def test_an_entry_is_reversed_at_most_once_and_a_reversal_not_at_all(admin):
    cid = await canteen(admin)
    original = await recorded(admin, cid)
    first = await admin.post(f"/canteens/{cid}/finance/{original}/reverse", {"reason": "x"})
    again = await admin.post(f"/canteens/{cid}/finance/{original}/reverse", {"reason": "y"})
    assert again.status_code == 409 and again.json()["code"] == "already_reversed"
    of_reversal = await admin.post(
        f"/canteens/{cid}/finance/{first.json()['id']}/reverse", {"reason": "z"}
    )
    assert of_reversal.status_code == 409 and of_reversal.json()["code"] == "already_reversed"
    assert await FinanceEntry.filter(canteen_id=cid).count() == 2


async def test_a_reversal_replayed_with_its_key_answers_the_same(admin):
    cid = await canteen(admin)
    original = await recorded(admin, cid)
    key = {"Idempotency-Key": "reverse-rent-october"}
    path = f"/canteens/{cid}/finance/{original}/reverse"
    first = await admin.post(path, {"reason": "x"}, headers=key)
    again = await admin.post(path, {"reason": "x"}, headers=key)
    assert (again.status_code, again.json()) == (201, first.json())
    other = await admin.post(path, {"reason": "other"}, headers=key)
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"


async def test_a_manager_reverses_only_their_own_canteens_entries(admin, as_role):
    ours, theirs = await canteen(admin), await canteen(admin)
    entry = await recorded(admin, theirs)
    manager = await as_role("manager", canteen_id=ours)
    r = await manager.post(f"/canteens/{theirs}/finance/{entry}/reverse", {"reason": "x"})
    assert r.status_code == 403
    r = await manager.post(f"/canteens/{ours}/finance/{entry}/reverse", {"reason": "x"})
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    staff = await as_role("staff")
    r = await staff.post(f"/canteens/{theirs}/finance/{entry}/reverse", {"reason": "x"})
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    r = await admin.post(f"/canteens/{theirs}/finance/{entry}/reverse", {"reason": ""})
    assert r.status_code == 422
    assert await FinanceEntry.filter(reverses_id=entry).count() == 0


async def test_ten_reversals_of_one_entry_at_once_make_one(live_server):
    async with httpx.AsyncClient(base_url=live_server.url + "/api/v1", timeout=60) as c:
        admin = await make_user("admin")
        token = (
            await c.post("/auth/token", json={"username": admin.username, "password": PASSWORD})
        ).json()
        h = {"Authorization": f"Bearer {token['access_token']}"}
        cid = (await c.post("/canteens", json={"name": "A"}, headers=h)).json()["id"]
        original = (await c.post(f"/canteens/{cid}/finance", json=rent(), headers=h)).json()["id"]
        responses = await asyncio.gather(
            *(
                c.post(
                    f"/canteens/{cid}/finance/{original}/reverse",
                    json={"reason": f"till {i}"},
                    headers={**h, "Idempotency-Key": f"reverse-{i}"},
                )
                for i in range(10)
            )
        )
    codes = sorted(r.status_code for r in responses)
    assert codes == [201] + [409] * 9, [r.text for r in responses]
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"already_reversed"}
    assert await FinanceEntry.filter(reverses_id=original).count() == 1
