"""A funder's monthly claim: drafted, submitted (frozen), approved, paid; late voids carried."""

import pytest

from canteen import clock
from canteen.claims import rollup
from tests.reports.scenario import at


async def call(api, method: str, path: str, when, body=None):
    with clock.frozen_at(when):
        return await api.request(method, path, json=body)


async def draft(api, month: str, funder: str = "district", when=None, **extra):
    body = {"month": month, "funder": funder, **extra}
    return await call(api, "POST", "/claims", when or at(11, 5, 9), body)


async def test_a_draft_is_live_until_submitted_and_frozen_after(oct_2025):
    s = oct_2025
    r = await draft(s.admin, "2025-10")
    assert r.status_code == 201, r.text
    claim = r.json()
    assert (claim["status"], claim["live"], claim["canteen_id"]) == ("draft", True, None)
    assert (claim["meals"], claim["subsidy_fen"], claim["claimed_fen"]) == (2, 1100, 1100)
    assert [(x["canteen_id"], x["rule"], x["pays"], x["subsidy_fen"]) for x in claim["rows"]] == [
        (s.counter.canteen_id, "age80", "diner", 500),
        (s.counter.canteen_id, "service", "operator", 300),
        (s.canteen_b, "service", "operator", 300),
    ]
    await s.void("m3", at(11, 5, 10))  # a draft simply follows the meals
    live = (await call(s.admin, "GET", f"/claims/{claim['id']}", at(11, 5, 11))).json()
    assert (live["meals"], live["subsidy_fen"]) == (1, 800)

    submitted = await call(s.admin, "POST", f"/claims/{claim['id']}/submit", at(11, 5, 12))
    assert submitted.status_code == 200, submitted.text
    frozen = submitted.json()
    assert (frozen["status"], frozen["live"], frozen["claimed_fen"]) == ("submitted", False, 800)
    assert frozen["submitted_at"].startswith("2025-11-05T04:00")


async def test_a_late_void_is_an_adjustment_in_the_next_claim_never_a_silent_change(oct_2025):
    s = oct_2025
    october = (await draft(s.admin, "2025-10")).json()
    await call(s.admin, "POST", f"/claims/{october['id']}/submit", at(11, 5, 12))
    await s.void("m1", at(11, 6))  # October's district lines: age80 500 and service 300

    frozen = (await call(s.admin, "GET", f"/claims/{october['id']}", at(11, 7))).json()
    assert (frozen["subsidy_fen"], frozen["claimed_fen"]) == (1100, 1100)
    assert sorted((a["rule"], a["amount_fen"], a["claim_id"]) for a in frozen["late_voids"]) == [
        ("age80", -500, None),
        ("service", -300, None),
    ]
    assert {a["meal_id"] for a in frozen["late_voids"]} == {s.meals["m1"]}

    november = (await draft(s.admin, "2025-11", when=at(12, 3))).json()
    assert november["subsidy_fen"] == 800  # m5: age80 500 + service 300
    assert november["adjustment_fen"] == -800 and november["claimed_fen"] == 0
    done = (await call(s.admin, "POST", f"/claims/{november['id']}/submit", at(12, 3, 10))).json()
    assert (done["subsidy_fen"], done["adjustment_fen"], done["claimed_fen"]) == (800, -800, 0)
    carried = (await call(s.admin, "GET", f"/claims/{october['id']}", at(12, 4))).json()
    assert {a["claim_id"] for a in carried["late_voids"]} == {november["id"]}

    # Carried once: a later claim of the same funder has nothing left to carry.
    street = (await draft(s.admin, "2025-11", funder="street", when=at(12, 5))).json()
    assert street["adjustments"] == [] and street["adjustment_fen"] == 0


async def test_approve_then_paid_and_what_is_outstanding(oct_2025):
    s = oct_2025
    october = (await draft(s.admin, "2025-10")).json()
    street = (await draft(s.admin, "2025-10", funder="street")).json()
    for claim in (october, street):
        await call(s.admin, "POST", f"/claims/{claim['id']}/submit", at(11, 5, 12))
    early = await call(
        s.admin, "POST", f"/claims/{october['id']}/paid", at(11, 6),
        {"amount_fen": 1100, "paid_on": "2025-11-06"},
    )  # fmt: skip
    assert early.status_code == 409 and early.json()["code"] == "claim_status_conflict"
    approved = await call(s.admin, "POST", f"/claims/{october['id']}/approve", at(11, 10))
    assert approved.json()["status"] == "approved" and approved.json()["approved_at"]
    paid = await call(
        s.admin, "POST", f"/claims/{october['id']}/paid", at(11, 23),
        {"amount_fen": 1000, "paid_on": "2025-11-20"},
    )  # fmt: skip
    assert paid.status_code == 200, paid.text
    assert (paid.json()["status"], paid.json()["paid_amount_fen"]) == ("paid", 1000)
    again = await call(s.admin, "POST", f"/claims/{october['id']}/approve", at(11, 23))
    assert again.status_code == 409

    owed = (await call(s.admin, "GET", "/claims/outstanding", at(11, 25))).json()
    assert owed["as_of"] == "2025-11-25"
    assert owed["funders"] == [
        {
            "funder": "district",
            "claims_open": 0,
            "owed_fen": 0,
            "paid_fen": 1000,
            "short_paid_fen": 100,
            "pending_adjustment_fen": 0,
            "days_outstanding": None,
            "oldest_unpaid_month": None,
            "average_days_to_pay": 15,
        },
        {
            "funder": "street",
            "claims_open": 1,
            "owed_fen": 400,
            "paid_fen": 0,
            "short_paid_fen": 0,
            "pending_adjustment_fen": 0,
            "days_outstanding": 20,
            "oldest_unpaid_month": "2025-10",
            "average_days_to_pay": None,
        },
    ]
    assert (owed["owed_fen"], owed["paid_fen"]) == (400, 1000)


async def test_one_claim_per_month_funder_and_canteen_and_only_finished_months(oct_2025):
    s = oct_2025
    assert (await draft(s.admin, "2025-10")).status_code == 201
    twice = await draft(s.admin, "2025-10")
    assert twice.status_code == 409 and twice.json()["code"] == "claim_exists"
    one = await draft(s.admin, "2025-10", canteen_id=s.canteen_b)
    assert one.status_code == 409  # the all-canteen claim covers it already
    both = await draft(s.admin, "2025-10", funder="street", canteen_id=s.canteen_b)
    assert both.status_code == 201 and both.json()["subsidy_fen"] == 200
    unfinished = await draft(s.admin, "2025-11")
    assert unfinished.status_code == 422 and unfinished.json()["code"] == "month_not_over"
    own = await draft(s.admin, "2025-10", funder="operator")
    assert own.status_code == 422 and own.json()["errors"][0]["field"] == "funder"


@pytest.mark.parametrize("role", ["manager", "cashier", "family"])
async def test_only_the_office_drafts_and_moves_claims(oct_2025, as_role, role):
    s = oct_2025
    claim = (await draft(s.admin, "2025-10")).json()
    other = await as_role(role, canteen_id=s.canteen_b if role in ("manager", "cashier") else None)
    assert (await draft(other, "2025-09")).status_code == 403
    submit = await call(other, "POST", f"/claims/{claim['id']}/submit", at(11, 6))
    assert submit.status_code == 403


async def test_a_manager_reads_only_their_own_canteens_claims(oct_2025, as_role):
    s = oct_2025
    everyone = (await draft(s.admin, "2025-10")).json()
    theirs = (await draft(s.admin, "2025-10", funder="street", canteen_id=s.canteen_b)).json()
    manager = await as_role("manager", canteen_id=s.canteen_b)
    listed = (await call(manager, "GET", "/claims", at(11, 6))).json()["items"]
    assert [c["id"] for c in listed] == [theirs["id"]]
    hidden = await call(manager, "GET", f"/claims/{everyone['id']}", at(11, 6))
    assert hidden.status_code == 404
    staff = await as_role("staff")
    seen = (await call(staff, "GET", "/claims?month=2025-10", at(11, 6))).json()["items"]
    assert {c["id"] for c in seen} == {everyone["id"], theirs["id"]}


def test_roll_up_deltas_count_a_meal_once_per_funder_and_once_in_all():
    lines = [
        ("district", "service", "operator", 300),
        ("operator", "op_discount", "diner", 100),
        ("district", "age80", "diner", 500),
    ]
    found = [
        (d.rule, d.meals, d.funder_meals, d.all_meals, d.subsidy_fen) for d in rollup.deltas(lines)
    ]
    assert found == [
        ("age80", 1, 1, 1, 500),
        ("service", 1, 0, 0, 300),
        ("op_discount", 1, 1, 0, 100),
    ]
    back = [(d.meals, d.funder_meals, d.all_meals, d.subsidy_fen) for d in rollup.deltas(lines, -1)]
    assert back == [(-1, -1, -1, -500), (-1, 0, 0, -300), (-1, -1, 0, -100)]
