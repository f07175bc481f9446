"""An admin changes a user's role and canteen (``PATCH /users/{id}``): the rules of adding a
user hold, the last admin stays one, and the user's old permissions end with their sessions."""

import asyncio

import pytest

from canteen.auth import service as auth
from canteen.auth.models import User
from canteen.errors import LastActiveAdmin
from tests.conftest import login, make_user
from tests.web.test_login import _login


async def _canteen(admin, name: str = "东山食堂") -> int:
    return (await admin.post("/canteens", {"name": name})).json()["id"]


async def _changes(admin, user_id: int) -> list[dict]:
    r = await admin.get(
        "/audit", params={"object_type": "user", "object_id": str(user_id), "action": "user.update"}
    )
    return r.json()["items"]


class TestMovingACashier:
    async def test_a_cashier_moved_works_for_the_new_canteen_after_logging_in_again(
        self, admin, client
    ):
        east, west = await _canteen(admin), await _canteen(admin, "西山食堂")
        cashier = await make_user("cashier", canteen_id=east)
        headers = await login(client, cashier.username)
        await _login(client, cashier.username)
        r = await admin.patch(f"/users/{cashier.user_id}", {"canteen_id": west})
        assert r.status_code == 200
        assert (r.json()["role"], r.json()["canteen_id"]) == ("cashier", west)
        for old in (headers, {}):  # the bearer token, then the page session
            r = await client.get("/api/v1/canteens", headers=old)
            assert (r.status_code, r.json()["code"]) == (401, "unauthenticated")
        assert (await client.get("/counter", follow_redirects=False)).status_code == 303
        again = await login(client, cashier.username)
        r = await client.post("/api/v1/auth/logout", headers=again)
        assert r.status_code == 204
        listed = (await admin.get("/users", params={"canteen_id": west})).json()["items"]
        assert [u["username"] for u in listed] == [cashier.username]

    async def test_the_move_is_audited_with_before_and_after(self, admin, client):
        east, west = await _canteen(admin), await _canteen(admin, "西山食堂")
        cashier = await make_user("cashier", canteen_id=east)
        await login(client, cashier.username)
        await admin.patch(f"/users/{cashier.user_id}", {"canteen_id": west})
        (entry,) = await _changes(admin, cashier.user_id)
        assert entry["actor"] == admin.actor.username
        assert entry["before"] == {"canteen_id": east}
        assert entry["after"] == {"canteen_id": west, "tokens_revoked": 1}


class TestChangingARole:
    async def test_a_cashier_made_manager_keeps_their_canteen(self, admin):
        east = await _canteen(admin)
        cashier = await make_user("cashier", canteen_id=east)
        r = await admin.patch(f"/users/{cashier.user_id}", {"role": "manager"})
        assert (r.status_code, r.json()["role"], r.json()["canteen_id"]) == (200, "manager", east)

    async def test_a_manager_made_staff_loses_the_canteen(self, admin):
        east = await _canteen(admin)
        manager = await make_user("manager", canteen_id=east)
        r = await admin.patch(f"/users/{manager.user_id}", {"role": "staff"})
        assert (r.status_code, r.json()["role"], r.json()["canteen_id"]) == (200, "staff", None)
        (entry,) = await _changes(admin, manager.user_id)
        assert entry["before"] == {"role": "manager", "canteen_id": east}
        assert entry["after"] == {"role": "staff", "canteen_id": None, "tokens_revoked": 0}

    async def test_staff_made_cashier_needs_a_canteen(self, admin):
        east = await _canteen(admin)
        staff = await make_user("staff")
        r = await admin.patch(f"/users/{staff.user_id}", {"role": "cashier"})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "canteen_id"
        r = await admin.patch(f"/users/{staff.user_id}", {"role": "cashier", "canteen_id": east})
        assert (r.status_code, r.json()["canteen_id"]) == (200, east)

    @pytest.mark.parametrize(
        ("start", "body", "field"),
        [
            ("staff", {"role": "system"}, "role"),
            ("staff", {"role": "root"}, "role"),
            ("staff", {"role": None}, "role"),
            ("staff", {"canteen_id": "EAST"}, "canteen_id"),
            ("staff", {"role": "admin", "canteen_id": "EAST"}, "canteen_id"),
            ("cashier", {"canteen_id": None}, "canteen_id"),
            ("cashier", {"canteen_id": 2**31 - 1}, "canteen_id"),
            ("cashier", {"canteen_id": 2**31}, "canteen_id"),
            ("cashier", {"username": "someone-else"}, "username"),
            ("cashier", {"display_name": None}, "display_name"),
        ],
    )
    async def test_a_refused_change_names_its_field_and_changes_nothing(
        self, admin, start, body, field
    ):
        east = await _canteen(admin)
        user = await make_user(start, canteen_id=east if start == "cashier" else None)
        body = {k: east if v == "EAST" else v for k, v in body.items()}
        r = await admin.patch(f"/users/{user.user_id}", body)
        assert (r.status_code, r.json()["code"]) == (422, "validation_error")
        assert r.json()["errors"][0]["field"] == field
        (listed,) = [
            u for u in (await admin.get("/users")).json()["items"] if u["id"] == user.user_id
        ]
        assert (listed["role"], listed["canteen_id"]) == (user.role, user.canteen_id)
        assert await _changes(admin, user.user_id) == []

    async def test_an_unknown_user_is_not_found(self, admin):
        r = await admin.patch("/users/999999", {"role": "staff"})
        assert (r.status_code, r.json()["code"]) == (404, "not_found")


class TestNamesAndPhones:
    async def test_a_new_display_name_keeps_the_users_sessions(self, admin, client):
        staff = await make_user("staff")
        headers = await login(client, staff.username)
        body = {"display_name": "王 民政", "phone": "13800000000"}
        r = await admin.patch(f"/users/{staff.user_id}", body)
        assert (r.status_code, r.json()["display_name"]) == (200, "王 民政")
        assert (await client.get("/api/v1/canteens", headers=headers)).status_code == 200
        (entry,) = await _changes(admin, staff.user_id)
        assert entry["before"] == {"display_name": "", "phone": ""}
        assert entry["after"] == body

    async def test_changing_nothing_records_nothing(self, admin, client):
        east = await _canteen(admin)
        cashier = await make_user("cashier", canteen_id=east)
        headers = await login(client, cashier.username)
        for body in ({}, {"role": "cashier", "canteen_id": east}):
            r = await admin.patch(f"/users/{cashier.user_id}", body)
            assert (r.status_code, r.json()["canteen_id"]) == (200, east)
        assert await _changes(admin, cashier.user_id) == []
        assert (await client.get("/api/v1/canteens", headers=headers)).status_code == 200


class TestTheLastAdmin:
    async def test_the_last_active_admin_cannot_be_demoted(self, admin):
        r = await admin.patch(f"/users/{admin.actor.user_id}", {"role": "staff"})
        assert (r.status_code, r.json()["code"]) == (409, "last_active_admin")
        other = await make_user("admin")
        await admin.post(f"/users/{other.user_id}/disable")
        r = await admin.patch(f"/users/{admin.actor.user_id}", {"role": "staff"})
        assert (r.status_code, r.json()["code"]) == (409, "last_active_admin")
        assert (await admin.get("/users")).status_code == 200  # still an admin

    async def test_a_disabled_admin_may_be_demoted(self, admin):
        other = await make_user("admin")
        await admin.post(f"/users/{other.user_id}/disable")
        r = await admin.patch(f"/users/{other.user_id}", {"role": "staff"})
        assert (r.status_code, r.json()["role"]) == (200, "staff")

    async def test_an_admin_may_demote_themself_while_another_remains(self, admin):
        await make_user("admin")
        r = await admin.patch(f"/users/{admin.actor.user_id}", {"role": "staff"})
        assert r.status_code == 200
        r = await admin.get("/users")
        assert (r.status_code, r.json()["code"]) == (401, "unauthenticated")

    async def test_two_admins_demoting_each_other_at_once_leave_one(self, admin):
        other = await make_user("admin")
        await admin.post(f"/users/{other.user_id}/disable")
        first, second = await make_user("admin"), await make_user("admin")
        results = await asyncio.gather(
            auth.change_user(first, second.user_id, {"role": "staff"}),
            auth.change_user(second, first.user_id, {"role": "staff"}),
            auth.change_user(second, admin.actor.user_id, {"role": "staff"}),
            return_exceptions=True,
        )
        refused = [r for r in results if isinstance(r, LastActiveAdmin)]
        assert len(refused) == 1, results
        assert await User.filter(role="admin", active=True).count() == 1
