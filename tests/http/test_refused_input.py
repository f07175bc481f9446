"""Inputs that are refused, or only read: each gets its 4xx problem+json, never a 5xx, on both
databases. The tests share one app, database and login per database (``module_database_url``):
a refused request changes nothing, so no test can see another's. Inputs that must write first
are in ``test_bad_input.py``.

Every test here runs on SQLite and on PostgreSQL: several of these inputs passed on SQLite and
failed only on PostgreSQL (a NUL byte, an id past 2^31), so a run on one database alone hides
them.
"""

from collections.abc import AsyncIterator

import httpx
import pytest

from canteen.app import create_app
from canteen.payments import providers
from tests.conftest import Api, login, make_user, settings_for
from tests.factories import id_number
from tests.http.test_problems import assert_problem

HUGE_IDS = [2**31, 2**63, 2**64, 10**40]
"""Past PostgreSQL's integer (2^31), SQLite's (2^63), and any machine integer."""

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


@pytest.fixture(scope="module")
async def client(module_database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """The module's app on the module's database, and a client of it."""
    application = create_app(settings_for(module_database_url))
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield c


@pytest.fixture(scope="module")
async def admin(client: httpx.AsyncClient) -> Api:
    actor = await make_user("admin")
    return Api(client, await login(client, actor.username), actor)


@pytest.fixture(scope="module")
async def canteen(admin: Api) -> int:
    """A canteen whose finance and price list the tests try to write nonsense to."""
    r = await admin.post("/canteens", {"name": "A"})
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


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
async def test_a_nul_byte_in_any_text_is_422_naming_the_field(admin, client, canteen, text):
    body = assert_problem(await admin.post("/canteens", {"name": text}), 422, "validation_error")
    assert body["errors"][0]["field"] == "name"
    r = await admin.post("/canteens", {"name": "A", "address": text})
    assert assert_problem(r, 422, "validation_error")["errors"][0]["field"] == "address"
    r = await client.post("/api/v1/auth/token", json={"username": text, "password": "x" * 12})
    assert assert_problem(r, 422, "validation_error")["errors"][0]["field"] == "username"
    body = assert_problem(await admin.get("/diners", params={"q": text}), 422, "validation_error")
    assert body["errors"][0]["field"] == "q"
    r = await admin.post(
        f"/canteens/{canteen}/finance",
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
async def test_years_0_1_and_9999_are_422(admin, canteen, day):
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


@pytest.mark.parametrize("name", NOT_NAMES.values(), ids=NOT_NAMES.keys())
async def test_names_refuse_control_and_bidi_characters(admin, canteen, name):
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
