"""Corrections of a balance: a refund to the family, an admin's adjustment; both audited,
replayed once per key, never below zero, and safe against a sale at the same instant."""

import asyncio
from datetime import timedelta

import httpx
import pytest

from canteen import clock
from canteen.accounts.invariants import ledger_violations
from canteen.accounts.models import Account
from canteen.audit.models import AuditEntry
from tests.checkout.conftest import open_counter
from tests.checkout.test_concurrent_sales import _setup
from tests.conftest import PASSWORD, make_user
from tests.factories import id_number


@pytest.fixture
async def diner_id(admin) -> int:
    r = await admin.post("/diners", {"name": "赵淑珍", "id_number": id_number("19380304")})
    assert r.status_code == 201, r.text
    diner = r.json()["id"]
    r = await admin.post(f"/diners/{diner}/topups", {"amount_fen": 5000, "method": "cash"})
    assert r.status_code == 201, r.text
    return int(diner)


def refund(amount_fen: int = 3000, **over) -> dict:
    return {
        "amount_fen": amount_fen,
        "method": "transfer",
        "reference": "ICBC-20261130-0001",
        "reason": "moved to her daughter's city",
        **over,
    }


async def balance(api, diner_id: int) -> int:
    return (await api.get(f"/diners/{diner_id}/account")).json()["balance_fen"]


async def test_a_refund_pays_back_part_of_the_balance_with_a_refund_entry(admin, diner_id):
    r = await admin.post(f"/diners/{diner_id}/refunds", refund(3000))
    assert r.status_code == 201, r.text
    assert r.json() == {
        "entry_id": r.json()["entry_id"],
        "diner_id": diner_id,
        "kind": "refund",
        "amount_fen": -3000,
        "balance_fen": 2000,
    }
    entries = (await admin.get(f"/diners/{diner_id}/ledger")).json()["items"]
    assert [(e["kind"], e["amount_fen"], e["balance_after_fen"]) for e in entries] == [
        ("refund", -3000, 2000),
        ("topup", 5000, 5000),
    ]
    assert await ledger_violations() == []


async def test_a_refund_is_audited_with_its_method_reference_and_reason(admin, diner_id):
    r = await admin.post(f"/diners/{diner_id}/refunds", refund(5000, method="cash", reference=""))
    assert r.status_code == 201, r.text
    audit = await AuditEntry.get(action="account.refund")
    assert audit.actor_id == admin.actor.user_id  # type: ignore[attr-defined]
    assert audit.object_id == str(r.json()["entry_id"])
    assert audit.before == {"balance_fen": 5000}
    assert audit.after["balance_fen"] == 0 and audit.after["amount_fen"] == -5000
    assert audit.after["method"] == "cash"
    assert audit.after["reason"] == "moved to her daughter's city"


async def test_a_deceased_elders_whole_balance_goes_back_to_the_family(admin, diner_id):
    r = await admin.patch(f"/diners/{diner_id}", {"status": "deceased"})
    assert r.status_code == 200, r.text
    r = await admin.post(f"/diners/{diner_id}/refunds", refund(5000))
    assert r.status_code == 201, r.text
    assert await balance(admin, diner_id) == 0


async def test_a_refund_above_the_balance_is_refused_and_changes_nothing(admin, diner_id):
    r = await admin.post(f"/diners/{diner_id}/refunds", refund(5001))
    assert r.status_code == 409 and r.json()["code"] == "insufficient_balance"
    assert r.json()["shortfall_fen"] == 1
    assert await balance(admin, diner_id) == 5000
    assert not await AuditEntry.filter(action="account.refund").exists()


async def test_a_transfer_refund_names_its_reference(admin, diner_id):
    r = await admin.post(f"/diners/{diner_id}/refunds", refund(reference=" "))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reference"
    r = await admin.post(f"/diners/{diner_id}/refunds", refund(0))
    assert r.status_code == 422 and r.json()["code"] == "invalid_amount"


async def test_a_refund_replayed_with_its_key_pays_back_once(admin, diner_id):
    key = {"Idempotency-Key": "refund-0001"}
    first = await admin.post(f"/diners/{diner_id}/refunds", refund(1000), headers=key)
    again = await admin.post(f"/diners/{diner_id}/refunds", refund(1000), headers=key)
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    other = await admin.post(f"/diners/{diner_id}/refunds", refund(2000), headers=key)
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert await balance(admin, diner_id) == 4000


async def test_only_the_office_refunds_and_only_an_admin_adjusts(admin, as_role, diner_id):
    staff = await as_role("staff")
    assert (await staff.post(f"/diners/{diner_id}/refunds", refund(100))).status_code == 201
    r = await staff.post(f"/diners/{diner_id}/adjustments", {"amount_fen": 100, "reason": "x"})
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    canteen = (await admin.post("/canteens", {"name": "长者食堂"})).json()["id"]
    for role in ("manager", "cashier"):
        api = await as_role(role, canteen_id=canteen)
        r = await api.post(f"/diners/{diner_id}/refunds", refund(100))
        assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert await balance(admin, diner_id) == 4900


async def test_an_adjustment_moves_the_balance_either_way_and_is_audited(admin, diner_id):
    up = await admin.post(
        f"/diners/{diner_id}/adjustments", {"amount_fen": 700, "reason": "meal rung twice"}
    )
    assert up.status_code == 201, up.text
    assert (up.json()["kind"], up.json()["amount_fen"], up.json()["balance_fen"]) == (
        "adjustment",
        700,
        5700,
    )
    down = await admin.post(
        f"/diners/{diner_id}/adjustments", {"amount_fen": -5700, "reason": "top-up keyed twice"}
    )
    assert down.status_code == 201 and down.json()["balance_fen"] == 0
    audits = await AuditEntry.filter(action="account.adjustment").order_by("id")
    assert [(a.before, a.after["balance_fen"], a.after["reason"]) for a in audits] == [
        ({"balance_fen": 5000}, 5700, "meal rung twice"),
        ({"balance_fen": 5700}, 0, "top-up keyed twice"),
    ]
    assert await ledger_violations() == []


async def test_an_adjustment_never_takes_the_balance_below_zero(admin, diner_id):
    r = await admin.post(f"/diners/{diner_id}/adjustments", {"amount_fen": -5001, "reason": "x"})
    assert r.status_code == 409 and r.json()["code"] == "insufficient_balance"
    r = await admin.post(f"/diners/{diner_id}/adjustments", {"amount_fen": 0, "reason": "x"})
    assert r.status_code == 422 and r.json()["code"] == "invalid_amount"
    r = await admin.post(f"/diners/{diner_id}/adjustments", {"amount_fen": 100, "reason": ""})
    assert r.status_code == 422
    assert await balance(admin, diner_id) == 5000


async def test_a_refund_and_an_adjustment_racing_sales_never_overdraw(live_server):
    """Twelve sales, a refund and a negative adjustment at the same instant on one account:
    each is applied whole or refused with 409 ``insufficient_balance``; the balance is the
    ledger's sum and never below zero."""
    async with httpx.AsyncClient(base_url=live_server.url + "/api/v1", timeout=60) as c:
        order, who, diner = await _setup(c, balance_fen=6000)
        office = await make_user("admin")
        token = (
            await c.post("/auth/token", json={"username": office.username, "password": PASSWORD})
        ).json()
        admin = {"Authorization": f"Bearer {token['access_token']}"}
        sales = [
            c.post(
                "/meals",
                json=order,
                headers={**who["cashiers"][i % 3], "Idempotency-Key": f"scan-{i}"},
            )
            for i in range(12)
        ]
        corrections = [
            c.post(
                f"/diners/{diner}/refunds",
                json=refund(2500),
                headers={**admin, "Idempotency-Key": "refund"},
            ),
            c.post(
                f"/diners/{diner}/adjustments",
                json={"amount_fen": -1500, "reason": "a top-up keyed twice"},
                headers={**admin, "Idempotency-Key": "adjust"},
            ),
        ]
        responses = await asyncio.gather(*sales, *corrections)
    for r in responses:
        assert r.status_code in (201, 409), r.text
        if r.status_code == 409:
            assert r.json()["code"] == "insufficient_balance"
    taken = sum(r.json()["pay_fen"] for r in responses[:12] if r.status_code == 201)
    taken -= sum(r.json()["amount_fen"] for r in responses[12:] if r.status_code == 201)
    account = await Account.get(diner_id=diner)
    assert account.balance_fen == 6000 - taken >= 0
    assert await ledger_violations() == []


async def test_a_manager_voids_any_sale_of_the_day_and_its_share_comes_back(admin, as_role):
    """A cashier keeps the ten-minute rule for their own sales; the manager voids any sale of
    the canteen's day, a colleague's hours later included, and the ledger pays it back."""
    counter = await open_counter(admin, as_role)
    sale = (await counter.cashier.post("/meals", counter.order())).json()
    with clock.frozen_at(clock.now() + timedelta(hours=3)):
        r = await counter.cashier.post(f"/meals/{sale['meal_id']}/void", {"reason": "扫错人"})
        assert r.status_code == 403 and r.json()["code"] == "forbidden"
        manager = await as_role("manager", canteen_id=counter.canteen_id)
        r = await manager.post(f"/meals/{sale['meal_id']}/void", {"reason": "扫错人"})
        assert r.status_code == 200, r.text
    entries = (await admin.get(f"/diners/{counter.diner_id}/ledger")).json()["items"]
    assert [(e["kind"], e["amount_fen"]) for e in entries[:2]] == [
        ("void", sale["pay_fen"]),
        ("meal", -sale["pay_fen"]),
    ]
    assert entries[0]["balance_after_fen"] == await balance(admin, counter.diner_id) == 5000
    assert await ledger_violations() == []
