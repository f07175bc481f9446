"""A funder's monthly claim: drafted, submitted (frozen), approved, paid; late voids carried."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from canteen import clock
from canteen.audit.models import AuditEntry
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
        {"amount_fen": 1000, "paid_on": "2025-11-20", "confirm": True},
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


async def _approved(s, funder: str = "district") -> dict:
    claim = (await draft(s.admin, "2025-10", funder=funder)).json()
    await call(s.admin, "POST", f"/claims/{claim['id']}/submit", at(11, 5, 12))
    await call(s.admin, "POST", f"/claims/{claim['id']}/approve", at(11, 10))
    return claim


async def test_a_payment_short_of_the_claim_is_refused_until_confirmed_and_shown_as_short(
    oct_2025,
):
    s = oct_2025
    claim = await _approved(s)  # district: 1,100 fen claimed
    paid = f"/claims/{claim['id']}/paid"
    short = {"amount_fen": 1000, "paid_on": "2025-11-20"}
    refused = await call(s.admin, "POST", paid, at(11, 23), short)
    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert problem["code"] == "amount_mismatch"
    assert (problem["claimed_fen"], problem["amount_fen"], problem["difference_fen"]) == (
        1100,
        1000,
        -100,
    )
    unchanged = (await call(s.admin, "GET", f"/claims/{claim['id']}", at(11, 23))).json()
    assert (unchanged["status"], unchanged["payments"]) == ("approved", [])

    confirmed = await call(s.admin, "POST", paid, at(11, 23), short | {"confirm": True})
    assert confirmed.status_code == 200, confirmed.text
    out = confirmed.json()
    assert (out["status"], out["paid_amount_fen"], out["paid_difference_fen"]) == (
        "paid",
        1000,
        -100,
    )
    [entry] = out["payments"]
    assert (entry["kind"], entry["amount_fen"], entry["claimed_fen"]) == ("payment", 1000, 1100)
    assert (entry["difference_fen"], entry["confirmed"], entry["paid_on"]) == (
        -100,
        True,
        "2025-11-20",
    )
    assert entry["recorded_by"] == s.admin.actor.user_id


async def test_the_claimed_amount_needs_no_confirmation_and_an_over_payment_is_shown_as_over(
    oct_2025,
):
    s = oct_2025
    exact, over = await _approved(s), await _approved(s, funder="street")  # 1,100 and 400
    body = {"amount_fen": 1100, "paid_on": "2025-11-20"}
    done = (await call(s.admin, "POST", f"/claims/{exact['id']}/paid", at(11, 23), body)).json()
    assert (done["paid_difference_fen"], done["payments"][0]["confirmed"]) == (0, False)
    body = {"amount_fen": 450, "paid_on": "2025-11-20", "confirm": True}
    more = (await call(s.admin, "POST", f"/claims/{over['id']}/paid", at(11, 23), body)).json()
    assert (more["paid_difference_fen"], more["payments"][0]["difference_fen"]) == (50, 50)


async def test_a_wrong_payment_is_corrected_by_a_reversing_entry_never_an_edit(oct_2025):
    s = oct_2025
    claim = await _approved(s)
    typo = {"amount_fen": 11000, "paid_on": "2025-11-20", "confirm": True}
    first = (await call(s.admin, "POST", f"/claims/{claim['id']}/paid", at(11, 23), typo)).json()
    wrong = first["payments"][0]["id"]
    reverse = f"/claims/{claim['id']}/payments/{wrong}/reverse"
    undone = await call(s.admin, "POST", reverse, at(11, 24), {"reason": "多录了一个零"})
    assert undone.status_code == 200, undone.text
    back = undone.json()
    assert (back["status"], back["paid_amount_fen"], back["paid_on"]) == ("approved", None, None)
    payment, reversal = back["payments"]
    assert (payment["id"], payment["amount_fen"], payment["reversed_by"]) == (
        wrong,
        11000,
        reversal["id"],
    )
    assert (reversal["kind"], reversal["amount_fen"], reversal["reverses"]) == (
        "reversal",
        -11000,
        wrong,
    )
    assert reversal["reason"] == "多录了一个零"
    again = await call(s.admin, "POST", reverse, at(11, 24), {"reason": "again"})
    assert again.status_code == 409 and again.json()["code"] == "claim_status_conflict"

    right = {"amount_fen": 1100, "paid_on": "2025-11-20"}
    fixed = await call(s.admin, "POST", f"/claims/{claim['id']}/paid", at(11, 24), right)
    assert fixed.status_code == 200, fixed.text
    assert [(p["kind"], p["amount_fen"]) for p in fixed.json()["payments"]] == [
        ("payment", 11000),
        ("reversal", -11000),
        ("payment", 1100),
    ]
    assert fixed.json()["paid_amount_fen"] == 1100
    owed = (await call(s.admin, "GET", "/claims/outstanding", at(11, 25))).json()
    assert owed["paid_fen"] == 1100

    trail = await AuditEntry.filter(action="claim.payment_reversed")
    assert [(e.actor_id, e.after["reason"]) for e in trail] == [  # type: ignore[index]
        (s.admin.actor.user_id, "多录了一个零")
    ]
    assert trail[0].before == {"status": "paid", "paid_amount_fen": 11000, "paid_on": "2025-11-20"}


async def test_a_payment_can_be_reversed_only_by_the_office_and_only_on_its_own_claim(
    oct_2025, as_role
):
    s = oct_2025
    claim, other = await _approved(s), await _approved(s, funder="street")
    body = {"amount_fen": 1100, "paid_on": "2025-11-20"}
    paid = (await call(s.admin, "POST", f"/claims/{claim['id']}/paid", at(11, 23), body)).json()
    entry = paid["payments"][0]["id"]
    manager = await as_role("manager", canteen_id=s.canteen_b)
    reason = {"reason": "x"}
    path = f"/claims/{claim['id']}/payments/{entry}/reverse"
    assert (await call(manager, "POST", path, at(11, 24), reason)).status_code == 403
    elsewhere = f"/claims/{other['id']}/payments/{entry}/reverse"
    wrong_claim = await call(s.admin, "POST", elsewhere, at(11, 24), reason)
    assert wrong_claim.status_code == 409  # that claim is not paid
    empty = await call(s.admin, "POST", path, at(11, 24), {"reason": ""})
    assert empty.status_code == 422


async def test_the_downloaded_claim_is_the_submitted_one_and_lists_each_later_void(oct_2025):
    s = oct_2025
    october = (await draft(s.admin, "2025-10")).json()
    await call(s.admin, "POST", f"/claims/{october['id']}/submit", at(11, 5, 12))
    await s.void("m1", at(11, 6))  # after the submission: age80 500 and service 300

    got = await call(s.admin, "GET", f"/claims/{october['id']}/export", at(11, 7))
    assert got.status_code == 200, got.text
    assert got.headers["content-type"].startswith("text/csv")
    assert 'filename="claim-2025-10-district.csv"' in got.headers["content-disposition"]
    assert got.content.startswith(b"\xef\xbb\xbf")
    lines = list(csv.DictReader(io.StringIO(got.content.decode("utf-8-sig"))))
    submitted = [r for r in lines if r["section"] == "submitted"]
    assert sum(int(r["subsidy_fen"]) for r in submitted) == 1100  # as submitted, not 300
    assert [(r["canteen_id"], r["rule"], r["meals"], r["pays_name"]) for r in submitted] == [
        (str(s.counter.canteen_id), "age80", "1", "减免餐价"),
        (str(s.counter.canteen_id), "service", "1", "按餐补给食堂"),
        (str(s.canteen_b), "service", "1", "按餐补给食堂"),
    ]
    later = [r for r in lines if r["section"] == "later_void"]
    assert sorted(
        (r["meal_id"], r["local_date"], r["rule"], r["subsidy_fen"], r["void_reason"])
        for r in later
    ) == [
        (str(s.meals["m1"]), "2025-10-14", "age80", "-500", "录错"),
        (str(s.meals["m1"]), "2025-10-14", "service", "-300", "录错"),
    ]
    assert all(r["voided_at"].startswith("2025-11-06T") for r in later)
    # The difference is exactly the later voids: today's month report is submitted + voids.
    live = await call(s.admin, "GET", "/reports/subsidy-claims?month=2025-10", at(11, 7))
    assert live.json()["totals"]["by_funder"]["district"] == 1100 - 800

    book = await call(s.admin, "GET", f"/claims/{october['id']}/export?format=xlsx", at(11, 7))
    assert book.status_code == 200 and book.content[:2] == b"PK"
    assert 'filename="claim-2025-10-district.xlsx"' in book.headers["content-disposition"]
    sheets = openpyxl.load_workbook(io.BytesIO(book.content))
    assert sheets.sheetnames == ["申报单", "个人明细"]
    cells = list(sheets["申报单"].iter_rows(values_only=True))
    texts = [row[0] for row in cells if isinstance(row[0], str)]
    assert texts[0] == "区级助餐补贴申报单"
    assert f"申报单编号：{october['id']}" in texts and "状态：已提交" in texts
    assert "本次申报金额（大写）：人民币壹拾壹元整" in texts  # the frozen 1,100 fen
    submitted_total = cells[_row(cells, "合计")]
    assert (submitted_total[4], submitted_total[5]) == (2, Decimal("11.00"))  # as submitted
    voided = [row for row in cells[_row(cells, "提交后作废") :] if isinstance(row[0], int)]
    assert [(row[1], row[5], row[7], row[8]) for row in voided] == [
        (s.meals["m1"], Decimal("-5.00"), "录错", "待冲减"),
        (s.meals["m1"], Decimal("-3.00"), "录错", "待冲减"),
    ]

    paper = await call(s.admin, "GET", f"/claims/{october['id']}/export?format=pdf", at(11, 7))
    assert paper.status_code == 200 and paper.headers["content-type"] == "application/pdf"
    assert paper.content.startswith(b"%PDF-")
    assert 'filename="claim-2025-10-district.pdf"' in paper.headers["content-disposition"]


def _row(cells: list[tuple], first: str) -> int:
    return next(i for i, row in enumerate(cells) if row[0] == first)


async def test_a_manager_downloads_only_their_own_canteens_claim(oct_2025, as_role):
    s = oct_2025
    everyone = (await draft(s.admin, "2025-10")).json()
    manager = await as_role("manager", canteen_id=s.canteen_b)
    hidden = await call(manager, "GET", f"/claims/{everyone['id']}/export", at(11, 6))
    assert hidden.status_code == 404
    bad = await call(s.admin, "GET", f"/claims/{everyone['id']}/export?format=docx", at(11, 6))
    assert bad.status_code == 422


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
