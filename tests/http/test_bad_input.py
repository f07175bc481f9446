"""No input makes a 5xx: each attack that once did gets its 4xx problem+json, on both databases.

Every test here runs on SQLite and on PostgreSQL (the ``client`` fixture is parametrised):
several of these inputs passed on SQLite and failed only on PostgreSQL (a NUL byte, an id past
2^31), so a run on one database alone hides them.
"""

import csv
import io

import pytest

from canteen.payments import providers
from reports import export
from tests.checkout.conftest import (
    Counter,
    counter,  # noqa: F401 (a fixture: a canteen, its cashier, a diner)
)
from tests.factories import id_number
from tests.http.test_problems import assert_problem
from tests.reports.conftest import oct_2025  # noqa: F401 (a fixture: October's meals and claim)

HUGE_IDS = [2**31, 2**63, 2**64, 10**40]
"""Past PostgreSQL's integer (2^31), SQLite's (2^63), and any machine integer."""


async def test_a_5000_deep_json_body_is_400_not_a_crash(client):
    deep = b"[" * 5000 + b"]" * 5000
    r = await client.post(
        "/api/v1/auth/token", content=deep, headers={"content-type": "application/json"}
    )
    assert_problem(r, 400, "malformed_json")
    r = await client.post(
        "/api/v1/auth/token",
        content=b'{"username": ' + b'{"a": ' * 5000 + b"1" + b"}" * 5001,
        headers={"content-type": "application/json"},
    )
    assert_problem(r, 400, "malformed_json")


@pytest.mark.parametrize("text", ["a\x00b", "\x00"])
async def test_a_nul_byte_in_any_text_is_422_naming_the_field(admin, client, text):
    body = assert_problem(await admin.post("/canteens", {"name": text}), 422, "validation_error")
    assert body["errors"][0]["field"] == "name"
    r = await admin.post("/canteens", {"name": "A", "address": text})
    assert assert_problem(r, 422, "validation_error")["errors"][0]["field"] == "address"
    r = await client.post("/api/v1/auth/token", json={"username": text, "password": "x" * 12})
    assert assert_problem(r, 422, "validation_error")["errors"][0]["field"] == "username"
    body = assert_problem(await admin.get("/diners", params={"q": text}), 422, "validation_error")
    assert body["errors"][0]["field"] == "q"
    canteen = (await admin.post("/canteens", {"name": "A"})).json()
    r = await admin.post(
        f"/canteens/{canteen['id']}/finance",
        {"date": "2025-10-01", "kind": "cost", "category": "rent", "amount_fen": 1, "note": text},
    )
    assert assert_problem(r, 422, "validation_error")["errors"][0]["field"] == "note"


async def test_a_nul_byte_deep_in_a_body_names_its_path(admin):
    policy = {"name": "p", "effective_from": "2099-01-01", "rules": [{"code": "a\x00"}]}
    body = assert_problem(await admin.post("/policies", policy), 422, "validation_error")
    assert body["errors"][0]["field"] == "rules.0.code"


async def test_a_non_ascii_signature_header_is_401_bad_signature(client, monkeypatch):
    monkeypatch.setattr(providers, "enabled", lambda: ("sandbox",))
    for signature in ("t=1,v1=签名".encode(), b"t=1,v1=\xff", "t=²,v1=00".encode()):
        r = await client.post(
            "/api/v1/payments/sandbox/notify",
            content=b"{}",
            headers={"Sandbox-Signature": signature, "content-type": "application/json"},
        )
        assert_problem(r, 401, "bad_signature")


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


@pytest.mark.parametrize("huge", HUGE_IDS, ids=["2^31", "2^63", "2^64", "10^40"])
async def test_a_huge_id_in_a_path_is_404(admin, huge):
    for path in (
        f"/canteens/{huge}",
        f"/diners/{huge}",
        f"/diners/{huge}/account",
        f"/meals/{huge}",
        f"/cards/{huge}",
        f"/claims/{huge}",
        f"/policies/{huge}",
        f"/topup-intents/{huge}",
    ):
        assert_problem(await admin.get(path), 404, "not_found")
    assert_problem(await admin.post(f"/cards/{huge}/revoke", {"reason": "lost"}), 404, "not_found")


@pytest.mark.parametrize("huge", HUGE_IDS, ids=["2^31", "2^63", "2^64", "10^40"])
async def test_a_huge_id_in_a_body_or_a_query_is_422_naming_it(admin, huge):
    card = "C1A.AAAAAAAAAAAAAAAAAAAA"
    r = await admin.post("/checkout/quote", {"card": card, "canteen_id": huge, "offering_id": 1})
    assert "canteen_id" in {
        e["field"] for e in assert_problem(r, 422, "validation_error")["errors"]
    }
    r = await admin.get("/meals", params={"canteen_id": huge})
    assert assert_problem(r, 422, "validation_error")["errors"][0]["field"] == "canteen_id"
    r = await admin.post(
        "/diners", {"name": "王", "id_number": id_number(), "home_canteen_id": huge}
    )
    assert assert_problem(r, 422, "validation_error")["errors"][0]["field"] == "home_canteen_id"


@pytest.mark.parametrize("day", ["0000-01-01", "0001-01-01", "9999-12-31"])
async def test_years_0_1_and_9999_are_422(admin, day):
    canteen = (await admin.post("/canteens", {"name": "A"})).json()["id"]
    for path, params in (
        ("/reports/sustainability", {"from": day, "to": day}),
        ("/reports/misuse", {"from": day, "to": day}),
        ("/meals", {"date": day}),
        ("/policies/current", {"date": day}),
        (f"/canteens/{canteen}/finance", {"from": day}),
    ):
        r = await admin.get(path, params=params)
        assert_problem(r, 422, "validation_error")
    r = await admin.post(
        f"/canteens/{canteen}/finance",
        {"date": day, "kind": "cost", "category": "rent", "amount_fen": 100},
    )
    assert assert_problem(r, 422, "validation_error")["errors"][0]["field"] == "date"
    month = day[:7]
    for path, params in (
        ("/reports/subsidy-claims", {"month": month}),
        ("/claims", {"month": month}),
    ):
        assert_problem(await admin.get(path, params=params), 422, "validation_error")
    r = await admin.post("/claims", {"month": month, "funder": "district"})
    assert assert_problem(r, 422, "validation_error")["errors"][0]["field"] == "month"


async def test_a_day_is_written_yyyy_mm_dd_only(admin):
    """``?date=0`` listed 1970-01-01's meals (pydantic read 0 as a Unix time)."""
    for day in ("0", "1700000000", "2025-10-01T00:00:00", "20251001"):
        r = await admin.get("/meals", params={"date": day})
        assert assert_problem(r, 422, "validation_error")["errors"][0]["field"] == "date"
    assert (await admin.get("/meals", params={"date": "2025-10-01"})).status_code == 200


async def test_an_unknown_or_repeated_query_parameter_is_422(admin):
    """A misspelt ``?canteen=2`` listed every canteen's meals; ``?q=a&q=b`` searched for b."""
    r = await admin.get("/meals", params={"canteen": 2})
    assert assert_problem(r, 422, "validation_error")["errors"][0]["field"] == "canteen"
    r = await admin.get("/diners", params=[("q", "王"), ("q", "李")])
    assert assert_problem(r, 422, "validation_error")["errors"][0]["field"] == "q"
    r = await admin.get("/reports/sustainability?from=2025-10-01&to=2025-10-31&=x")
    assert_problem(r, 422, "validation_error")


@pytest.mark.parametrize("written", ["5.0", " 5", "5 ", "+5", "5_0", "5\n"])
async def test_an_integer_in_a_query_is_written_in_digits_only(admin, written):
    """pydantic alone took each of these as 5 (or 50); the OpenAPI document says integer, and
    the fuzz sends them expecting a refusal."""
    for path in ("/policies", "/users"):
        r = await admin.get(path, params={"limit": written})
        assert assert_problem(r, 422, "validation_error")["errors"][0]["field"] == "limit"
    assert (await admin.get("/users", params={"limit": "5"})).status_code == 200


@pytest.mark.parametrize("written", ["yes", "1", "on", "True"])
async def test_a_boolean_in_a_query_is_true_or_false(admin, written):
    r = await admin.get("/meals", params={"manual": written})
    assert assert_problem(r, 422, "validation_error")["errors"][0]["field"] == "manual"
    assert (await admin.get("/meals", params={"manual": "true"})).status_code == 200


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


async def test_starlettes_own_400_stays_a_400(client):
    """A form past Starlette's limits was answered ``404 not_found``."""
    fields = "&".join(f"f{i}=x" for i in range(1001)).encode()
    r = await client.post(
        "/login", content=fields, headers={"content-type": "application/x-www-form-urlencoded"}
    )
    body = assert_problem(r, 400, "bad_request")
    assert "1000" in body["detail"]
    r = await client.post(
        "/login", content=b"x", headers={"content-type": "multipart/form-data; boundary="}
    )
    assert_problem(r, 400, "bad_request")


NOT_NAMES = {
    "a NUL": "王\x00",
    "a newline": "王\nadmin",
    "a tab": "王\tadmin",
    "an escape": "\x1b[31m王",
    "a C1 control": "王\x85admin",
    "a right-to-left override": "王\u202egpj.exe",
    "a bidi isolate": "\u2066王\u2069",
    "a left-to-right mark": "王\u200e",
    "a line separator": "王\u2028admin",
}


@pytest.mark.parametrize("name", NOT_NAMES.values(), ids=NOT_NAMES.keys())
async def test_names_refuse_control_and_bidi_characters(admin, name):
    canteen = (await admin.post("/canteens", {"name": "A"})).json()["id"]
    dish = {"name": name, "meal_type": "lunch", "price_fen": 1200}
    attempts = {
        "/canteens": {"name": name},
        f"/canteens/{canteen}/offerings": dish,
        "/diners": {"name": name, "id_number": id_number()},
        "/users": {"username": "u1", "password": "x" * 12, "role": "staff", "display_name": name},
    }
    for path, body in attempts.items():
        problem = assert_problem(await admin.post(path, body), 422, "validation_error")
        field = "display_name" if path == "/users" else "name"
        assert [e["field"] for e in problem["errors"]] == [field], path


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
