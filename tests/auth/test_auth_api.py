"""Logging in, tokens, users, and slowing down guessing."""

from datetime import timedelta

import httpx
import pytest

from canteen import clock
from canteen.auth import passwords
from canteen.auth.throttle import PER_CLIENT, PER_USER_AND_CLIENT
from tests.conftest import PASSWORD, QUICK_HASHER, login, make_user

QUICK_UNKNOWN_USER_HASH = QUICK_HASHER.hash("a password no account has")


@pytest.fixture(autouse=True)
def quick_unknown_user_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    """A guess at a name no account has is verified against a hash of the tests' quick cost,
    as a guess at a user the tests made is (``quick_password_hashes`` in tests/conftest.py).

    The module's own hash (``passwords._UNKNOWN_USER_HASH``) was made at import with the
    production cost, which a verification reads from the hash: some 20 ms of CPU for each of
    the hundred-odd guesses at unknown names here. What these tests check is the throttle's
    counting, which does not depend on what a hash costs; the production hasher is tested in
    tests/auth/test_passwords_and_tokens.py."""
    monkeypatch.setattr(passwords, "_UNKNOWN_USER_HASH", QUICK_UNKNOWN_USER_HASH)


async def test_a_token_has_a_role_and_an_expiry(client, app):
    user = await make_user("staff")
    r = await client.post(
        "/api/v1/auth/token", json={"username": user.username, "password": PASSWORD}
    )
    body = r.json()
    assert r.status_code == 200
    assert body["token_type"] == "bearer" and body["role"] == "staff" and body["access_token"]
    assert body["expires_at"]


async def test_usernames_are_case_insensitive(client, app):
    await make_user("staff", username="wang.li")
    r = await client.post("/api/v1/auth/token", json={"username": "Wang.Li", "password": PASSWORD})
    assert r.status_code == 200


@pytest.mark.parametrize("username", ["nobody", None])
async def test_wrong_credentials_are_invalid_credentials(client, app, username):
    user = await make_user("staff")
    r = await client.post(
        "/api/v1/auth/token",
        json={"username": username or user.username, "password": "wrong password"},
    )
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "invalid_credentials"


async def test_missing_bad_and_expired_tokens_are_unauthenticated(client, app):
    user = await make_user("admin")
    headers = await login(client, user.username)
    for h in ({}, {"Authorization": "Bearer nonsense"}, {"Authorization": "Basic abc"}):
        r = await client.get("/api/v1/canteens", headers=h)
        assert (r.status_code, r.json()["code"]) == (401, "unauthenticated")
    assert (await client.get("/api/v1/canteens", headers=headers)).status_code == 200
    with clock.frozen_at(clock.now() + timedelta(hours=12, seconds=1)):
        r = await client.get("/api/v1/canteens", headers=headers)
    assert (r.status_code, r.json()["code"]) == (401, "unauthenticated")


async def test_logout_revokes_the_token(client, app):
    user = await make_user("staff")
    headers = await login(client, user.username)
    assert (await client.post("/api/v1/auth/logout", headers=headers)).status_code == 204
    r = await client.get("/api/v1/canteens", headers=headers)
    assert (r.status_code, r.json()["code"]) == (401, "unauthenticated")


async def test_five_failures_in_a_row_make_the_next_try_wait(client, app):
    user = await make_user("staff")
    wrong = {"username": user.username, "password": "not it at all"}
    for _ in range(PER_USER_AND_CLIENT.free):
        assert (await client.post("/api/v1/auth/token", json=wrong)).status_code == 401
    right = {"username": user.username, "password": PASSWORD}
    r = await client.post("/api/v1/auth/token", json=right)
    assert r.status_code == 429 and r.json()["code"] == "too_many_attempts"
    assert r.headers["content-type"] == "application/problem+json"
    assert 1 <= int(r.headers["Retry-After"]) <= 30 and r.json()["retry_after"] <= 30
    with clock.frozen_at(clock.now() + timedelta(seconds=31)):
        assert (await client.post("/api/v1/auth/token", json=right)).status_code == 200
        # success clears the count: the next mistake is one of five again
        assert (await client.post("/api/v1/auth/token", json=wrong)).status_code == 401
        assert (await client.post("/api/v1/auth/token", json=right)).status_code == 200


async def test_each_further_failure_doubles_the_wait_up_to_fifteen_minutes(client, app):
    user = await make_user("staff")
    wrong = {"username": user.username, "password": "not it at all"}
    for _ in range(PER_USER_AND_CLIENT.free):
        await client.post("/api/v1/auth/token", json=wrong)
    waits, now = [], clock.now()
    for _ in range(8):
        now += timedelta(minutes=16)
        with clock.frozen_at(now):
            assert (await client.post("/api/v1/auth/token", json=wrong)).status_code == 401
            refused = await client.post("/api/v1/auth/token", json=wrong)
            waits.append(refused.json()["retry_after"])
    assert waits == [60, 120, 240, 480, 900, 900, 900, 900]


async def test_a_counter_left_alone_for_a_day_starts_again(client, app):
    user = await make_user("staff")
    wrong = {"username": user.username, "password": "not it at all"}
    for _ in range(PER_USER_AND_CLIENT.free):
        await client.post("/api/v1/auth/token", json=wrong)
    with clock.frozen_at(clock.now() + timedelta(days=1, seconds=1)):
        for _ in range(PER_USER_AND_CLIENT.free):
            assert (await client.post("/api/v1/auth/token", json=wrong)).status_code == 401
        assert (await client.post("/api/v1/auth/token", json=wrong)).status_code == 429


async def test_unknown_usernames_are_throttled_too(client, app):
    wrong = {"username": "ghost", "password": "whatever1"}
    for _ in range(PER_USER_AND_CLIENT.free):
        assert (await client.post("/api/v1/auth/token", json=wrong)).status_code == 401
    assert (await client.post("/api/v1/auth/token", json=wrong)).status_code == 429


async def test_names_no_account_may_have_are_refused_like_any_wrong_one(client, app):
    for name in ("wang\x00li", "王" * 300, "a b", ""):
        r = await client.post("/api/v1/auth/token", json={"username": name, "password": "x" * 9})
        assert r.status_code in (401, 422), (name, r.text)
        assert r.headers["content-type"] == "application/problem+json"


def _from(app, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def test_failures_from_one_address_do_not_slow_the_user_elsewhere(app):
    user = await make_user("staff")
    wrong = {"username": user.username, "password": "not it at all"}
    right = {"username": user.username, "password": PASSWORD}
    async with _from(app, "203.0.113.7") as stranger, _from(app, "198.51.100.20") as counter:
        for _ in range(PER_USER_AND_CLIENT.free + 3):
            await stranger.post("/api/v1/auth/token", json=wrong)
        assert (await stranger.post("/api/v1/auth/token", json=right)).status_code == 429
        assert (await counter.post("/api/v1/auth/token", json=right)).status_code == 200


async def test_one_address_trying_many_usernames_is_slowed_down(app):
    async with _from(app, "203.0.113.7") as stranger, _from(app, "198.51.100.20") as other:
        for i in range(PER_CLIENT.free):
            wrong = {"username": f"someone-{i}", "password": "whatever1"}
            assert (await stranger.post("/api/v1/auth/token", json=wrong)).status_code == 401
        fresh = {"username": "someone-new", "password": "whatever1"}
        r = await stranger.post("/api/v1/auth/token", json=fresh)
        assert (r.status_code, r.json()["code"]) == (429, "too_many_attempts")
        assert (await other.post("/api/v1/auth/token", json=fresh)).status_code == 401


async def test_logging_in_between_guesses_earns_an_address_nothing(app):
    user = await make_user("staff")
    right = {"username": user.username, "password": PASSWORD}
    async with _from(app, "203.0.113.7") as stranger:
        for i in range(PER_CLIENT.free - 1):
            wrong = {"username": f"someone-{i}", "password": "whatever1"}
            await stranger.post("/api/v1/auth/token", json=wrong)
            assert (await stranger.post("/api/v1/auth/token", json=right)).status_code == 200
        last = {"username": "someone-last", "password": "whatever1"}
        assert (await stranger.post("/api/v1/auth/token", json=last)).status_code == 401
        assert (await stranger.post("/api/v1/auth/token", json=last)).status_code == 429


async def test_admin_creates_users(admin):
    r = await admin.post(
        "/users", {"username": "Zhang.San", "password": "long enough", "role": "staff"}
    )
    assert r.status_code == 201
    assert r.json() == {
        "id": r.json()["id"],
        "username": "zhang.san",
        "role": "staff",
        "canteen_id": None,
        "active": True,
    }
    again = await admin.post(
        "/users", {"username": "zhang.san", "password": "long enough", "role": "family"}
    )
    assert again.status_code == 409 and again.json()["code"] == "username_taken"


async def test_cashiers_and_managers_need_a_canteen(admin):
    r = await admin.post(
        "/users", {"username": "cashier-one", "password": "long enough", "role": "cashier"}
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "canteen_id"
    canteen = (await admin.post("/canteens", {"name": "东山食堂"})).json()
    r = await admin.post(
        "/users",
        {
            "username": "c1x",
            "password": "long enough",
            "role": "cashier",
            "canteen_id": canteen["id"],
        },
    )
    assert r.status_code == 201 and r.json()["canteen_id"] == canteen["id"]
    r = await admin.post(
        "/users",
        {"username": "c2x", "password": "long enough", "role": "cashier", "canteen_id": 9999},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "canteen_id"
    r = await admin.post(
        "/users",
        {
            "username": "f1x",
            "password": "long enough",
            "role": "family",
            "canteen_id": canteen["id"],
        },
    )
    assert r.status_code == 422


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "ab", "password": "long enough", "role": "staff"}, "username"),
        ({"username": "has space", "password": "long enough", "role": "staff"}, "username"),
        ({"username": "okname", "password": "short", "role": "staff"}, "password"),
        ({"username": "okname", "password": "long enough", "role": "root"}, "role"),
        ({"username": "okname", "password": "long enough"}, "role"),
    ],
)
async def test_bad_user_fields_are_named(admin, body, field):
    r = await admin.post("/users", body)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == field


@pytest.mark.parametrize("role", ["staff", "manager", "cashier", "family"])
async def test_only_admin_creates_users(as_role, admin, role):
    canteen = (await admin.post("/canteens", {"name": "A"})).json()["id"]
    someone = await as_role(role, canteen_id=canteen if role in ("manager", "cashier") else None)
    r = await someone.post(
        "/users", {"username": "newone", "password": "long enough", "role": "admin"}
    )
    assert r.status_code == 403 and r.json()["code"] == "forbidden"


async def test_a_deactivated_user_is_locked_out_at_once(client, app):
    from canteen.auth.models import User

    user = await make_user("staff")
    headers = await login(client, user.username)
    await User.filter(id=user.user_id).update(active=False)
    assert (await client.get("/api/v1/canteens", headers=headers)).status_code == 401
    r = await client.post(
        "/api/v1/auth/token", json={"username": user.username, "password": PASSWORD}
    )
    assert r.status_code == 401
