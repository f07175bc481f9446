"""Logging in to the pages with a form; the session cookie and its CSRF token."""

import re

from canteen.auth.throttle import PER_USER_AND_CLIENT
from canteen.http.session import SESSION_COOKIE, csrf_for
from tests.conftest import PASSWORD, make_user


async def _login(client, username: str, password: str = PASSWORD, next_: str = ""):
    page = await client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    return await client.post(
        "/login", data={"username": username, "password": password, "csrf": csrf, "next": next_}
    )


async def test_a_cashier_logs_in_and_lands_at_the_counter(client, admin):
    canteen = (await admin.post("/canteens", {"name": "A"})).json()["id"]
    cashier = await make_user("cashier", canteen_id=canteen)
    r = await _login(client, cashier.username)
    assert r.status_code == 303 and r.headers["location"] == "/counter"
    cookie = r.headers["set-cookie"]
    assert f"{SESSION_COOKIE}=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie


async def test_wrong_password_shows_the_form_again_with_a_message(client, app):
    user = await make_user("staff")
    r = await _login(client, user.username, "wrong password")
    assert (
        r.status_code == 401
        and "用户名或密码不对" in r.text
        and SESSION_COOKIE not in r.headers.get("set-cookie", "")
    )


async def test_a_login_form_without_its_csrf_token_is_refused(client, app):
    user = await make_user("staff")
    await client.get("/login")
    r = await client.post(
        "/login", data={"username": user.username, "password": PASSWORD, "csrf": "forged"}
    )
    assert r.status_code == 403 and "页面已过期" in r.text


async def test_next_only_leads_within_the_site(client, app):
    user = await make_user("staff")
    r = await _login(client, user.username, next_="//evil.example/steal")
    assert r.headers["location"] == "/staff"  # where the office lands
    client.cookies.clear()
    r = await _login(client, user.username, next_="/docs")
    assert r.headers["location"] == "/docs"


async def test_the_session_cookie_calls_the_api_but_changes_need_the_csrf_token(client, admin):
    user = await make_user("admin")
    r = await _login(client, user.username)
    token = r.cookies[SESSION_COOKIE]
    assert (await client.get("/api/v1/canteens")).status_code == 200
    r = await client.post("/api/v1/canteens", json={"name": "B"})
    assert (r.status_code, r.json()["code"]) == (403, "csrf_failed")
    r = await client.post(
        "/api/v1/canteens", json={"name": "B"}, headers={"X-CSRF-Token": csrf_for(token)}
    )
    assert r.status_code == 201


async def test_logout_ends_the_session(client, app):
    user = await make_user("staff")
    r = await _login(client, user.username)
    token = r.cookies[SESSION_COOKIE]
    assert (await client.post("/logout", data={"csrf": "wrong"})).status_code == 403
    r = await client.post("/logout", data={"csrf": csrf_for(token)})
    assert r.status_code == 303 and r.headers["location"] == "/login"
    client.cookies.set(SESSION_COOKIE, token)
    assert (await client.get("/api/v1/canteens")).status_code == 401


async def test_pages_are_never_cached_and_switch_language(client):
    r = await client.get("/login?lang=en")
    assert r.headers["cache-control"] == "no-store" and "Log in" in r.text
    assert (await client.get("/login")).text.count("Log in") >= 1, "the choice is remembered"


async def test_a_tampered_or_expired_session_cookie_logs_no_one_in(client, app):
    from datetime import timedelta

    from canteen import clock

    user = await make_user("staff")
    token = (await _login(client, user.username)).cookies[SESSION_COOKIE]
    client.cookies.set(SESSION_COOKIE, token[:-1] + ("A" if token[-1] != "A" else "B"))
    assert (await client.get("/api/v1/canteens")).status_code == 401
    page = await client.get("/family")
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    client.cookies.set(SESSION_COOKIE, token)
    with clock.frozen_at(clock.now() + timedelta(hours=13)):
        assert (await client.get("/api/v1/canteens")).status_code == 401


async def test_repeated_wrong_passwords_on_the_form_say_how_long_to_wait(client, app):
    user = await make_user("staff")
    for _ in range(PER_USER_AND_CLIENT.free):
        assert (await _login(client, user.username, "wrong password")).status_code == 401
    r = await _login(client, user.username)
    assert r.status_code == 429 and "尝试次数过多，请 30 秒后再试" in r.text
    assert SESSION_COOKIE not in r.headers.get("set-cookie", "")


async def test_the_form_and_the_api_share_one_counter(client, app):
    user = await make_user("staff")
    wrong = {"username": user.username, "password": "wrong password"}
    for _ in range(PER_USER_AND_CLIENT.free):
        await client.post("/api/v1/auth/token", json=wrong)
    assert (await _login(client, user.username)).status_code == 429


async def test_a_disabled_user_cannot_log_in_on_the_form(client, admin):
    user = await make_user("staff")
    await admin.post(f"/users/{user.user_id}/disable")
    r = await _login(client, user.username)
    assert r.status_code == 401 and "用户名或密码不对" in r.text
