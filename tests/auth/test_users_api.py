"""An admin lists users, disables and enables them, and resets passwords; each is audited."""

import pytest

from canteen.auth.models import LoginThrottle
from canteen.auth.throttle import PER_USER_AND_CLIENT
from canteen.http.session import SESSION_COOKIE
from tests.conftest import PASSWORD, login, make_user
from tests.web.test_login import _login

NEW_PASSWORD = "a brand new one"


async def _audit(admin, user_id: int) -> list[dict]:
    r = await admin.get("/audit", params={"object_type": "user", "object_id": str(user_id)})
    return r.json()["items"]


class TestDisabling:
    async def test_a_disabled_users_tokens_and_sessions_stop_at_once(self, admin, client):
        staff = await make_user("staff")
        first, second = await login(client, staff.username), await login(client, staff.username)
        await _login(client, staff.username)
        assert (await client.get("/api/v1/canteens")).status_code == 200  # the page session
        r = await admin.post(f"/users/{staff.user_id}/disable")
        assert r.status_code == 200 and r.json()["active"] is False
        for headers in (first, second, {}):
            r = await client.get("/api/v1/canteens", headers=headers)
            assert (r.status_code, r.json()["code"]) == (401, "unauthenticated")
        assert (await client.get("/counter", follow_redirects=False)).status_code == 303
        r = await client.post(
            "/api/v1/auth/token", json={"username": staff.username, "password": PASSWORD}
        )
        assert (r.status_code, r.json()["code"]) == (401, "invalid_credentials")

    async def test_it_is_audited_with_the_tokens_it_ended(self, admin, client):
        staff = await make_user("staff")
        await login(client, staff.username)
        await admin.post(f"/users/{staff.user_id}/disable")
        again = await admin.post(f"/users/{staff.user_id}/disable")
        assert again.status_code == 200 and again.json()["active"] is False
        entries = await _audit(admin, staff.user_id)
        disabled = [e for e in entries if e["action"] == "user.disable"]
        assert len(disabled) == 1  # the second changed nothing and records nothing
        assert disabled[0]["actor"] == admin.actor.username
        assert disabled[0]["before"] == {"active": True}
        assert disabled[0]["after"] == {"active": False, "tokens_revoked": 1}

    async def test_the_last_active_admin_cannot_be_disabled(self, admin):
        r = await admin.post(f"/users/{admin.actor.user_id}/disable")
        assert (r.status_code, r.json()["code"]) == (409, "last_active_admin")
        other = await make_user("admin")
        r = await admin.post(f"/users/{other.user_id}/disable")
        assert r.status_code == 200
        r = await admin.post(f"/users/{admin.actor.user_id}/disable")
        assert (r.status_code, r.json()["code"]) == (409, "last_active_admin")

    async def test_an_admin_may_disable_themself_while_another_remains(self, admin):
        await make_user("admin")
        r = await admin.post(f"/users/{admin.actor.user_id}/disable")
        assert r.status_code == 200
        r = await admin.get("/users")
        assert (r.status_code, r.json()["code"]) == (401, "unauthenticated")

    @pytest.mark.parametrize("user_id", [999_999, 2**31 - 1])
    async def test_an_unknown_user_is_not_found(self, admin, user_id):
        for action in ("disable", "enable"):
            r = await admin.post(f"/users/{user_id}/{action}")
            assert (r.status_code, r.json()["code"]) == (404, "not_found")
        r = await admin.post(f"/users/{user_id}/password", {"password": NEW_PASSWORD})
        assert (r.status_code, r.json()["code"]) == (404, "not_found")


class TestEnabling:
    async def test_an_enabled_user_logs_in_again(self, admin, client):
        staff = await make_user("staff")
        await admin.post(f"/users/{staff.user_id}/disable")
        r = await admin.post(f"/users/{staff.user_id}/enable")
        assert r.status_code == 200 and r.json()["active"] is True
        assert await login(client, staff.username)
        actions = [e["action"] for e in await _audit(admin, staff.user_id)]
        assert actions.count("user.enable") == 1
        assert (await admin.post(f"/users/{staff.user_id}/enable")).status_code == 200
        actions = [e["action"] for e in await _audit(admin, staff.user_id)]
        assert actions.count("user.enable") == 1


class TestResettingAPassword:
    async def test_the_new_password_works_the_old_does_not_and_sessions_end(self, admin, client):
        staff = await make_user("staff")
        headers = await login(client, staff.username)
        r = await admin.post(f"/users/{staff.user_id}/password", {"password": NEW_PASSWORD})
        assert r.status_code == 200 and r.json()["id"] == staff.user_id
        r = await client.get("/api/v1/canteens", headers=headers)
        assert r.status_code == 401
        old = {"username": staff.username, "password": PASSWORD}
        assert (await client.post("/api/v1/auth/token", json=old)).status_code == 401
        assert await login(client, staff.username, NEW_PASSWORD)

    async def test_it_clears_the_guess_counters_of_the_account(self, admin, client):
        staff = await make_user("staff")
        wrong = {"username": staff.username, "password": "not it at all"}
        for _ in range(PER_USER_AND_CLIENT.free):
            await client.post("/api/v1/auth/token", json=wrong)
        assert (await client.post("/api/v1/auth/token", json=wrong)).status_code == 429
        await admin.post(f"/users/{staff.user_id}/password", {"password": NEW_PASSWORD})
        assert await LoginThrottle.filter(user_id=staff.user_id).count() == 0
        assert await login(client, staff.username, NEW_PASSWORD)

    async def test_it_is_audited_without_the_password(self, admin, client):
        staff = await make_user("staff")
        await login(client, staff.username)
        await admin.post(f"/users/{staff.user_id}/password", {"password": NEW_PASSWORD})
        entry = next(
            e for e in await _audit(admin, staff.user_id) if e["action"] == "user.password_reset"
        )
        assert entry["after"] == {"tokens_revoked": 1} and NEW_PASSWORD not in str(entry)

    @pytest.mark.parametrize("body", [{"password": "short"}, {}, {"password": None}])
    async def test_a_bad_password_is_named(self, admin, body):
        staff = await make_user("staff")
        r = await admin.post(f"/users/{staff.user_id}/password", body)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "password"


class TestListing:
    async def test_users_are_listed_newest_first_and_narrowed(self, admin):
        canteen = (await admin.post("/canteens", {"name": "东山食堂"})).json()["id"]
        cashier = await make_user("cashier", canteen_id=canteen, username="cashier-li")
        staff = await make_user("staff", username="minzheng-wang")
        await admin.post(f"/users/{staff.user_id}/disable")
        everyone = (await admin.get("/users")).json()
        ids = [u["id"] for u in everyone["items"]]
        assert ids == sorted(ids, reverse=True) and everyone["next_cursor"] is None
        listed = {u["username"]: u for u in everyone["items"]}
        assert listed["cashier-li"]["canteen_id"] == canteen
        assert listed["minzheng-wang"]["active"] is False
        assert "password_hash" not in listed["cashier-li"]

        def names(r):
            return [u["username"] for u in r.json()["items"]]

        assert names(await admin.get("/users", params={"role": "cashier"})) == ["cashier-li"]
        assert names(await admin.get("/users", params={"canteen_id": canteen})) == ["cashier-li"]
        assert names(await admin.get("/users", params={"active": "false"})) == ["minzheng-wang"]
        assert names(await admin.get("/users", params={"q": "ZHENG"})) == ["minzheng-wang"]
        page = await admin.get("/users", params={"limit": 1})
        assert len(page.json()["items"]) == 1 and page.json()["next_cursor"]
        assert cashier.user_id in ids

    @pytest.mark.parametrize("query", [{"role": "root"}, {"canteen_id": 2**31}, {"limit": 0}])
    async def test_a_bad_filter_is_named(self, admin, query):
        r = await admin.get("/users", params=query)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == next(iter(query))


@pytest.mark.parametrize("role", ["staff", "manager", "cashier", "family"])
async def test_only_an_admin_manages_users(as_role, admin, role):
    canteen = (await admin.post("/canteens", {"name": "A"})).json()["id"]
    someone = await as_role(role, canteen_id=canteen if role in ("manager", "cashier") else None)
    target = await make_user("staff")
    for method, path, body in (
        ("GET", "/users", None),
        ("POST", f"/users/{target.user_id}/disable", None),
        ("POST", f"/users/{target.user_id}/enable", None),
        ("POST", f"/users/{target.user_id}/password", {"password": NEW_PASSWORD}),
    ):
        r = await someone.request(method, path, json=body)
        assert (r.status_code, r.json()["code"]) == (403, "forbidden"), path


async def test_disabling_signs_a_page_session_out(admin, client):
    staff = await make_user("staff")
    await _login(client, staff.username)
    assert client.cookies.get(SESSION_COOKIE)
    await admin.post(f"/users/{staff.user_id}/disable")
    r = await client.get("/staff", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
