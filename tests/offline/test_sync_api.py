"""Sales made offline, sent back: each applied once through the one sale, whatever is sent
again; what the server cannot apply as sold goes to the reconciliation list, paid by the
operator, never by public money or below a zero balance. On SQLite and PostgreSQL."""

import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from canteen import clock
from canteen.accounts.invariants import ledger_violations
from canteen.cards import service as cards
from canteen.checkout.models import LimitUse, Meal
from canteen.offline.models import OfflineSale
from tests.checkout.conftest import Counter
from tests.offline.conftest import home_counter


async def snapshot(counter: Counter) -> dict[str, Any]:
    r = await counter.cashier.get(f"/canteens/{counter.canteen_id}/offline-snapshot")
    assert r.status_code == 200, r.text
    return r.json()


def ref(snap: dict[str, Any]) -> dict[str, Any]:
    fields = ("issued_at", "expires_at", "digest", "signature")
    return {"canteen_id": snap["canteen"]["id"], **{f: snap[f] for f in fields}}


def made_offline(
    counter: Counter,
    snap: dict[str, Any],
    *,
    pay_fen: int = 900,
    subsidies: tuple[tuple[str, int], ...] = (("age80", 500), ("op_discount", 100)),
    payment: str = "account",
    at: datetime | None = None,
    key: str | None = None,
) -> dict[str, Any]:
    """A lunch the counter sold offline as the snapshot priced it: 15.00, age80 and the
    operator's 1.00 off, 9.00 to pay."""
    return {
        "key": key or uuid.uuid4().hex,
        "made_at": (at or clock.now()).isoformat(),
        "card": counter.card,
        "offering_id": counter.lunch_id,
        "payment": payment,
        "price_fen": 1500,
        "pay_fen": pay_fen,
        "subsidies": [{"rule": r, "amount_fen": a} for r, a in subsidies],
        "snapshot": ref(snap),
    }


async def send(api, canteen_id: int, sales: list[dict[str, Any]]) -> list[dict[str, Any]]:
    r = await api.post("/offline-sales", {"canteen_id": canteen_id, "sales": sales})
    assert r.status_code == 200, r.text
    results: list[dict[str, Any]] = r.json()["results"]
    return results


async def balance(counter: Counter) -> int:
    r = await counter.admin.get(f"/diners/{counter.diner_id}/account")
    return int(r.json()["balance_fen"])


async def claim_by_funder(counter: Counter) -> dict[str, int]:
    month = clock.today(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")
    r = await counter.admin.get("/reports/subsidy-claims", params={"month": month})
    return dict(r.json()["totals"]["by_funder"])


async def test_the_snapshot_holds_what_pricing_and_the_screen_need_and_no_more(admin, as_role):
    counter = await home_counter(admin, as_role, dietary=["allergy:花生"])
    snap = await snapshot(counter)
    (diner,) = snap["diners"]
    assert diner["name"] == "王秀英" and diner["dietary"] == ["allergy:花生"]
    assert diner["balance_fen"] == 5000 and diner["age"] >= 80
    assert not {"id_number", "phone", "address", "birth_date"} & set(diner)
    assert diner["categories"] == []  # the policy asks about none
    (card,) = snap["cards"]
    assert card["diner_id"] == counter.diner_id
    assert card["payload_sha256"] != counter.card and counter.card not in str(snap)
    assert [o["price_fen"] for o in snap["offerings"]] == [1500]
    assert snap["policies"][0]["rules"][0]["code"] == "age80"
    issued = datetime.fromisoformat(snap["issued_at"])
    assert datetime.fromisoformat(snap["expires_at"]) - issued == timedelta(hours=72)
    assert len(snap["signature"]) == 64 and len(snap["seal_secret"]) == 64


async def test_a_snapshot_is_for_its_own_canteen_and_counter_roles_only(counter, as_role):
    other = await counter.admin.post("/canteens", {"name": "别的食堂"})
    elsewhere = await as_role("cashier", canteen_id=other.json()["id"])
    r = await elsewhere.get(f"/canteens/{counter.canteen_id}/offline-snapshot")
    assert r.status_code == 404
    staff = await as_role("staff")
    r = await staff.get(f"/canteens/{counter.canteen_id}/offline-snapshot")
    assert r.status_code == 403
    other_cashier = await as_role("cashier", canteen_id=counter.canteen_id)
    mine = (await snapshot(counter))["seal_secret"]
    r = await other_cashier.get(f"/canteens/{counter.canteen_id}/offline-snapshot")
    assert r.json()["seal_secret"] != mine  # another cashier's key opens nothing of this one's


async def test_a_sale_made_offline_is_recorded_once_however_often_it_is_sent(counter):
    snap = await snapshot(counter)
    sale = made_offline(counter, snap)
    first = await send(counter.cashier, counter.canteen_id, [sale])
    assert first[0]["outcome"] == "sold" and first[0]["meal_id"]
    for _ in range(3):
        again = await send(counter.cashier, counter.canteen_id, [sale])
        assert again == first
    assert await Meal.filter(diner_id=counter.diner_id).count() == 1
    assert await balance(counter) == 5000 - 900
    meal = await Meal.get(id=first[0]["meal_id"])
    assert meal.at == datetime.fromisoformat(sale["made_at"])  # the time it was made
    assert await claim_by_funder(counter) == {"district": 800, "operator": 100}
    assert await ledger_violations() == []


async def test_a_queue_replayed_three_times_is_each_sale_once_in_order(counter):
    await counter.admin.post(
        f"/diners/{counter.diner_id}/topups", {"amount_fen": 20000, "method": "cash"}
    )
    snap = await snapshot(counter)
    start = clock.now() - timedelta(minutes=5)
    queue = [
        made_offline(counter, snap, at=start + timedelta(seconds=i), payment="cash")
        for i in range(12)
    ]
    results = [await send(counter.cashier, counter.canteen_id, queue) for _ in range(3)]
    assert results[0] == results[1] == results[2]
    assert [r["key"] for r in results[0]] == [s["key"] for s in queue]
    meals = await Meal.filter(diner_id=counter.diner_id).order_by("id")
    assert len(meals) == 12 and [m.at for m in meals] == sorted(m.at for m in meals)
    assert await OfflineSale.all().count() == 12
    # the first lunch took age80's one slot of the day; public money paid it once
    assert await LimitUse.filter(rule="age80").count() == 1


async def test_two_counters_offline_selling_to_one_diner_never_claim_a_limit_twice(
    counter, as_role
):
    second = await as_role("cashier", canteen_id=counter.canteen_id)
    snap_a, snap_b = await snapshot(counter), await snapshot(counter)
    a = made_offline(counter, snap_a)
    b = made_offline(counter, snap_b)  # both priced with age80: its one slot of the day
    (sold,) = await send(counter.cashier, counter.canteen_id, [a])
    (late,) = await send(second, counter.canteen_id, [b])
    assert sold["outcome"] == "sold"
    assert (late["outcome"], late["reason"]) == ("reconciled", "limit_used")
    assert late["paid_fen"] == 900  # what the counter told them, no more
    assert late["operator_fen"] == 1500 - 900 - 200 - 100  # age60 and the discount remain
    assert await balance(counter) == 5000 - 900 - 900
    lines = await Meal.get(id=late["meal_id"]).prefetch_related("lines")
    assert {(ln.rule, ln.funder, ln.amount_fen) for ln in lines.lines if ln.pays == "diner"} == {
        ("age60", "street", 200),
        ("op_discount", "operator", 100),
        ("offline_difference", "operator", 300),
    }
    by_funder = await claim_by_funder(counter)
    assert by_funder["district"] == 500 + 300  # age80 once, the service payment once
    assert by_funder["operator"] == 100 + 100 + 300  # the operator's, claimed from no one
    r = await counter.admin.get("/reports/sustainability", params=_month_span())
    assert r.json()["operator_discount_fen"] == 500


def _month_span() -> dict[str, str]:
    today = clock.today(ZoneInfo("Asia/Shanghai"))
    return {"from": today.replace(day=1).isoformat(), "to": today.isoformat()}


async def test_a_balance_spent_elsewhere_is_never_pushed_below_zero(admin, as_role):
    counter = await home_counter(admin, as_role, balance_fen=1000)
    snap = await snapshot(counter)
    r = await counter.cashier.post(
        "/meals", counter.order(), headers={"Idempotency-Key": "online-1"}
    )
    assert r.status_code == 201 and await balance(counter) == 100
    sale = made_offline(
        counter, snap, pay_fen=1200, subsidies=(("age60", 200), ("op_discount", 100))
    )
    (late,) = await send(counter.cashier, counter.canteen_id, [sale])
    assert (late["outcome"], late["reason"]) == ("reconciled", "balance_short")
    assert late["paid_fen"] == 100 and late["operator_fen"] == 1200 - 100
    assert await balance(counter) == 0
    assert await ledger_violations() == []


async def test_a_card_revoked_meanwhile_is_refused_and_charged_to_no_one_but_the_operator(
    counter,
):
    snap = await snapshot(counter)
    await cards.revoke(counter.admin.actor, counter.card_id, "lost")
    on_account = made_offline(counter, snap)
    for_cash = made_offline(counter, snap, payment="cash")
    results = await send(counter.cashier, counter.canteen_id, [on_account, for_cash])
    assert [(r["outcome"], r["reason"]) for r in results] == [("refused", "card_revoked")] * 2
    assert [(r["paid_fen"], r["operator_fen"]) for r in results] == [(0, 1500), (900, 600)]
    assert await Meal.all().count() == 0 and await balance(counter) == 5000
    assert await claim_by_funder(counter) == {}


async def test_a_sale_from_a_snapshot_the_server_did_not_sign_is_refused(counter):
    snap = await snapshot(counter)
    snap["expires_at"] = (
        datetime.fromisoformat(snap["expires_at"]) + timedelta(days=9)
    ).isoformat()
    (result,) = await send(counter.cashier, counter.canteen_id, [made_offline(counter, snap)])
    assert (result["outcome"], result["reason"]) == ("refused", "snapshot_invalid")
    assert await Meal.all().count() == 0


async def test_an_account_sale_past_the_snapshots_expiry_is_refused(counter):
    with clock.frozen_at(clock.now() - timedelta(hours=80)):
        snap = await snapshot(counter)
    sale = made_offline(counter, snap, at=clock.now() - timedelta(hours=1))
    cash = made_offline(counter, snap, at=clock.now() - timedelta(hours=1), payment="cash")
    results = await send(counter.cashier, counter.canteen_id, [sale, cash])
    assert [(r["outcome"], r["reason"]) for r in results] == [
        ("refused", "snapshot_expired"),
        ("sold", ""),
    ]


async def test_the_manager_lists_what_was_not_applied_as_sold(counter, as_role):
    snap = await snapshot(counter)
    await send(counter.cashier, counter.canteen_id, [made_offline(counter, snap)])
    await cards.revoke(counter.admin.actor, counter.card_id, "lost")
    await send(counter.cashier, counter.canteen_id, [made_offline(counter, snap)])
    manager = await as_role("manager", canteen_id=counter.canteen_id)
    r = await manager.get(f"/canteens/{counter.canteen_id}/offline-reconciliations")
    assert r.status_code == 200, r.text
    (row,) = r.json()["items"]
    assert (row["outcome"], row["reason"], row["diner_name"]) == (
        "refused",
        "card_revoked",
        "王秀英",
    )
    assert row["operator_fen"] == 1500 and row["meal_id"] is None
    r = await counter.cashier.get(f"/canteens/{counter.canteen_id}/offline-reconciliations")
    assert r.status_code == 403
    other = await counter.admin.post("/canteens", {"name": "别的食堂"})
    elsewhere = await as_role("manager", canteen_id=other.json()["id"])
    r = await elsewhere.get(f"/canteens/{counter.canteen_id}/offline-reconciliations")
    assert r.status_code == 404


async def test_a_key_sent_by_another_counter_is_refused_whole(counter, as_role):
    second = await as_role("cashier", canteen_id=counter.canteen_id)
    snap = await snapshot(counter)
    sale = made_offline(counter, snap)
    await send(counter.cashier, counter.canteen_id, [sale])
    fresh = made_offline(counter, snap)
    r = await second.post(
        "/offline-sales", {"canteen_id": counter.canteen_id, "sales": [fresh, sale]}
    )
    assert r.status_code == 422 and r.json()["code"] == "idempotency_key_reused"
    assert await OfflineSale.filter(key=fresh["key"]).count() == 0


async def test_a_card_revoked_on_the_server_is_revoked_in_the_next_snapshot(counter):
    before = await snapshot(counter)
    await cards.revoke(counter.admin.actor, counter.card_id, "lost")
    after = await snapshot(counter)
    assert [c["card_id"] for c in before["cards"]] == [counter.card_id] and not before["revoked"]
    assert not after["cards"]
    assert [c["payload_sha256"] for c in after["revoked"]] == [
        c["payload_sha256"] for c in before["cards"]
    ]
