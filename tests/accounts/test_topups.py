"""Counter top-ups: the balance moves once per key, always equal to the ledger sum."""

import pytest

from canteen.accounts.invariants import ledger_violations

IDNO = "11010519491231002X"


@pytest.fixture
async def diner_id(admin) -> int:
    r = await admin.post("/diners", {"name": "王秀英", "id_number": IDNO})
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def test_a_topup_credits_the_account_and_appends_a_ledger_entry(admin, diner_id):
    r = await admin.post(f"/diners/{diner_id}/topups", {"amount_fen": 5000, "method": "cash"})
    assert r.status_code == 201
    assert r.json()["amount_fen"] == 5000 and r.json()["balance_fen"] == 5000
    account = (await admin.get(f"/diners/{diner_id}/account")).json()
    assert account == {"diner_id": diner_id, "balance_fen": 5000, "low_balance_fen": 2000}
    entries = (await admin.get(f"/diners/{diner_id}/ledger")).json()["items"]
    assert [(e["kind"], e["amount_fen"], e["balance_after_fen"]) for e in entries] == [
        ("topup", 5000, 5000)
    ]
    assert entries[0]["topup_id"] == r.json()["topup_id"]
    assert await ledger_violations() == []


async def test_same_key_same_body_replays_the_first_answer_without_a_second_credit(admin, diner_id):
    key = {"Idempotency-Key": "till-3-receipt-0042"}
    first = await admin.post(
        f"/diners/{diner_id}/topups", {"amount_fen": 1000, "method": "cash"}, headers=key
    )
    again = await admin.post(
        f"/diners/{diner_id}/topups", {"amount_fen": 1000, "method": "cash"}, headers=key
    )
    assert (
        (again.status_code, again.json())
        == (first.status_code, first.json())
        == (201, first.json())
    )
    assert (await admin.get(f"/diners/{diner_id}/account")).json()["balance_fen"] == 1000


async def test_same_key_other_body_is_refused_as_reused(admin, diner_id):
    key = {"Idempotency-Key": "k-1"}
    await admin.post(
        f"/diners/{diner_id}/topups", {"amount_fen": 1000, "method": "cash"}, headers=key
    )
    r = await admin.post(
        f"/diners/{diner_id}/topups", {"amount_fen": 2000, "method": "cash"}, headers=key
    )
    assert r.status_code == 422 and r.json()["code"] == "idempotency_key_reused"
    assert (await admin.get(f"/diners/{diner_id}/account")).json()["balance_fen"] == 1000


async def test_a_key_belongs_to_its_user(admin, as_role, diner_id):
    cashier_headers = {"Idempotency-Key": "shared"}
    staff = await as_role("staff")
    await admin.post(
        f"/diners/{diner_id}/topups", {"amount_fen": 100, "method": "cash"}, headers=cashier_headers
    )
    r = await staff.post(
        f"/diners/{diner_id}/topups", {"amount_fen": 100, "method": "cash"}, headers=cashier_headers
    )
    assert r.status_code == 201 and r.json()["balance_fen"] == 200


@pytest.mark.parametrize("key", ["", "x" * 256])
async def test_an_empty_or_overlong_key_is_refused(admin, diner_id, key):
    r = await admin.post(
        f"/diners/{diner_id}/topups",
        {"amount_fen": 100, "method": "cash"},
        headers={"Idempotency-Key": key},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "Idempotency-Key"


@pytest.mark.parametrize("amount", [0, -100, 500_001, 12.5, "1000", True, None])
async def test_amounts_outside_1_to_500000_fen_are_invalid_amount(admin, diner_id, amount):
    r = await admin.post(f"/diners/{diner_id}/topups", {"amount_fen": amount, "method": "cash"})
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "invalid_amount"
    assert (await admin.get(f"/diners/{diner_id}/account")).json()["balance_fen"] == 0


async def test_the_largest_topup_is_accepted(admin, diner_id):
    r = await admin.post(
        f"/diners/{diner_id}/topups",
        {"amount_fen": 500_000, "method": "transfer", "reference": "T-1"},
    )
    assert r.status_code == 201


async def test_online_is_not_a_counter_method(admin, diner_id):
    r = await admin.post(f"/diners/{diner_id}/topups", {"amount_fen": 100, "method": "online"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "method"


async def test_family_may_not_top_up_at_the_counter(admin, as_role, diner_id):
    family = await as_role("family")
    await admin.post(
        f"/diners/{diner_id}/family", {"username": family.actor.username, "relation": "女儿"}
    )
    r = await family.post(f"/diners/{diner_id}/topups", {"amount_fen": 100, "method": "cash"})
    assert r.status_code == 403 and r.json()["code"] == "forbidden"


async def test_no_money_for_a_deceased_diner(admin, diner_id):
    await admin.patch(f"/diners/{diner_id}", {"status": "deceased"})
    r = await admin.post(f"/diners/{diner_id}/topups", {"amount_fen": 100, "method": "cash"})
    assert r.status_code == 409 and r.json()["code"] == "diner_inactive"


async def test_unknown_diner_is_not_found(admin):
    r = await admin.post("/diners/999/topups", {"amount_fen": 100, "method": "cash"})
    assert r.status_code == 404 and r.json()["code"] == "not_found"


async def test_ledger_pages_newest_first(admin, diner_id):
    for amount in range(1, 6):
        await admin.post(f"/diners/{diner_id}/topups", {"amount_fen": amount, "method": "cash"})
    first = (await admin.get(f"/diners/{diner_id}/ledger?limit=2")).json()
    assert [e["amount_fen"] for e in first["items"]] == [5, 4]
    second = (
        await admin.get(f"/diners/{diner_id}/ledger?limit=2&cursor={first['next_cursor']}")
    ).json()
    third = (
        await admin.get(f"/diners/{diner_id}/ledger?limit=2&cursor={second['next_cursor']}")
    ).json()
    assert [e["amount_fen"] for e in second["items"]] == [3, 2]
    assert [e["amount_fen"] for e in third["items"]] == [1] and third["next_cursor"] is None
    assert [e["balance_after_fen"] for e in first["items"]] == [15, 10]
