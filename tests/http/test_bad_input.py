"""No input makes a 5xx: each attack that once did gets its 4xx problem+json, on both databases.
These are the inputs a test must write something for first (a diner, a sale, October's meals),
on a database of the test's own; those that are only refused share one app and database per
module, in ``test_refused_input.py``.

Every test here runs on SQLite and on PostgreSQL (the ``client`` fixture is parametrised):
several of these inputs passed on SQLite and failed only on PostgreSQL (a NUL byte, an id past
2^31), so a run on one database alone hides them.
"""

import csv
import io

from reports import export
from tests.checkout.conftest import (
    Counter,
    counter,  # noqa: F401 (a fixture: a canteen, its cashier, a diner)
)
from tests.factories import id_number
from tests.http.test_problems import assert_problem
from tests.reports.conftest import (  # noqa: F401 (fixtures: October's meals and claim)
    database_fill,
    oct_2025,
    october_fill,
)


async def test_a_non_ascii_answer_for_a_sale_without_the_card_is_403(counter: Counter):  # noqa: F811
    """The elder's answer was compared with ``compare_digest`` on str: 4 Chinese characters
    against a phone's last 4 digits made a 500."""
    admin, cashier = counter.admin, counter.cashier
    body = {"name": "李桂芳", "id_number": id_number(), "phone": "138 0013 8000"}
    elder = (await admin.post("/diners", body)).json()["id"]
    order = counter.order(card=None, diner_id=elder, manual_reason="card_forgotten")
    for answer in ("八零零零", "８０００", "8000"[:3] + "é"):
        r = await cashier.post("/checkout/quote", {**order, "answer": answer})
        assert_problem(r, 403, "identity_not_confirmed")


async def test_a_filter_longer_than_its_column_is_422(admin):
    """Found by the fuzzer: a 22-character ``?status=`` reached the ORM, which refused it
    against the 16-character column with a 500."""
    await admin.post("/diners", {"name": "王", "id_number": id_number()})
    r = await admin.get("/diners", params={"status": "s" * 22})
    assert assert_problem(r, 422, "validation_error")["errors"][0]["field"] == "status"
    r = await admin.get("/claims", params={"funder": "f" * 17})
    assert assert_problem(r, 422, "validation_error")["errors"][0]["field"] == "funder"


async def test_null_in_a_patch_is_422_and_leaving_a_field_out_keeps_it(admin):
    canteen = (await admin.post("/canteens", {"name": "A"})).json()["id"]
    dish = {"name": "午餐", "meal_type": "lunch", "price_fen": 1200}
    offering = (await admin.post(f"/canteens/{canteen}/offerings", dish)).json()["id"]
    path = f"/canteens/{canteen}/offerings/{offering}"
    for field in ("name", "price_fen", "tags", "active"):
        body = assert_problem(await admin.patch(path, {field: None}), 422, "validation_error")
        assert [e["field"] for e in body["errors"]] == [field]
    r = await admin.patch(path, {"price_fen": 1300})
    assert r.status_code == 200 and r.json()["name"] == "午餐" and r.json()["price_fen"] == 1300

    diner = (await admin.post("/diners", {"name": "王", "id_number": id_number()})).json()["id"]
    body = assert_problem(
        await admin.patch(f"/diners/{diner}", {"name": None}), 422, "validation_error"
    )
    assert [e["field"] for e in body["errors"]] == ["name"]
    r = await admin.patch(f"/diners/{diner}", {"home_canteen_id": canteen})
    assert r.status_code == 200 and r.json()["home_canteen_id"] == canteen
    r = await admin.patch(f"/diners/{diner}", {"home_canteen_id": None})  # null clears this one
    assert r.status_code == 200 and r.json()["home_canteen_id"] is None


async def test_a_non_ascii_csrf_token_is_403_csrf_failed(admin, client):
    token = admin.headers["Authorization"].removeprefix("Bearer ")
    client.cookies.set("canteen_session", token)
    for submitted in ("令牌".encode(), b"\xff" * 32):
        r = await client.post(
            "/api/v1/canteens", json={"name": "A"}, headers={"X-CSRF-Token": submitted}
        )
        assert_problem(r, 403, "csrf_failed")
    client.cookies.clear()


async def test_names_keep_every_script_and_emoji(admin):
    for name in ("长者饭堂 🍚", "Ünïcödé", "أحمد", "👨‍👩‍👧 family", "O'Brien-Smith"):
        r = await admin.post("/canteens", {"name": name})
        assert r.status_code == 201 and r.json()["name"] == name


async def test_csv_cells_that_a_spreadsheet_would_run_are_escaped(oct_2025):  # noqa: F811
    s = oct_2025
    dangerous = {
        s.counter.diner_id: {"name": '=HYPERLINK("http://evil","x")', "district": "+1+2"},
        s.diner_b: {"name": "-3+4", "district": "@SUM(A1)"},
    }
    for diner_id, change in dangerous.items():
        r = await s.admin.patch(f"/diners/{diner_id}", change)
        assert r.status_code == 200, r.text
    r = await s.admin.get(
        "/reports/subsidy-claims", params={"month": "2025-10", "format": "csv", "detail": "diner"}
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    texts = {text for change in dangerous.values() for text in change.values()}
    assert {row["name"] for row in rows} | {row["district"] for row in rows} == {
        "'" + text for text in texts
    }
    assert all(row["subsidy_yuan"][0].isdigit() for row in rows)  # numbers stay numbers


def test_a_csv_cell_starting_with_a_tab_or_a_carriage_return_is_escaped():
    text = export.csv_text(["note", "margin_fen"], [{"note": "\t=1", "margin_fen": -250}])
    assert list(csv.reader(io.StringIO(text)))[1] == ["'\t=1", "-250", "-2.50"]
    text = export.csv_text(["note"], [{"note": "\r=1"}, {"note": "a\rb"}])
    assert list(csv.reader(io.StringIO(text, newline="")))[1:] == [["'\r=1"], ["a\rb"]]
