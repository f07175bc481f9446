"""The permission table and its one enforcement point, ``require``."""

import pytest

from canteen.errors import Forbidden
from canteen.roles import (
    PERMISSION_TABLE,
    PERMISSIONS,
    SYSTEM,
    USER_ROLES,
    Actor,
    Role,
    _parse,
    may,
    require,
)


def actor(role: Role) -> Actor:
    return Actor(user_id=1, username=f"a-{role}", role=role)


def test_users_hold_six_roles_and_the_system_is_the_seventh() -> None:
    assert {role.value for role in USER_ROLES} == {
        "admin",
        "staff",
        "manager",
        "cashier",
        "family",
        "volunteer",
    }
    assert set(Role) == {*USER_ROLES, Role.SYSTEM}


def test_the_table_parses_with_one_entry_per_row() -> None:
    rows = [line for line in PERMISSION_TABLE.strip().splitlines()[1:] if line.strip()]
    assert len(PERMISSIONS) == len(rows)
    assert PERMISSIONS["auth.logout"] == frozenset(USER_ROLES)
    assert PERMISSIONS["me.diners"] == {Role.FAMILY}


def test_every_action_names_only_the_five_roles() -> None:
    for action, roles in PERMISSIONS.items():
        assert roles <= set(Role), action
        assert all(isinstance(role, Role) for role in roles), action


@pytest.mark.parametrize(
    "table",
    [
        "action admin staff\nfoo x\n",  # too few marks
        "action admin staff\nfoo x . x\n",  # too many marks
        "action admin staff\nfoo\n",  # no marks at all
        "action admin staff\nfoo x y\n",  # a mark other than x or .
        "action admin staff\nfoo X .\n",  # marks are lower case
        "action admin staff\nfoo x -\n",
        "action admin wizard\nfoo x .\n",  # not a role
    ],
)
def test_a_malformed_table_is_refused(table: str) -> None:
    with pytest.raises(ValueError):
        _parse(table)


def test_a_small_well_formed_table_parses() -> None:
    table = "action admin family\nfoo x .\nbar x x\nbaz . .\n"
    assert _parse(table) == {
        "foo": {Role.ADMIN},
        "bar": {Role.ADMIN, Role.FAMILY},
        "baz": frozenset(),
    }


def test_require_refuses_an_unmarked_role_with_403_forbidden() -> None:
    with pytest.raises(Forbidden) as caught:
        require(actor(Role.FAMILY), "accounts.topup")
    assert caught.value.code == "forbidden"
    assert caught.value.status == 403
    assert "accounts.topup" in caught.value.detail


def test_require_passes_for_a_marked_role() -> None:
    require(actor(Role.CASHIER), "accounts.topup")
    require(actor(Role.FAMILY), "me.diners")
    require(actor(Role.ADMIN), "users.create")


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", sorted(PERMISSIONS))
def test_require_agrees_with_the_table(role: Role, action: str) -> None:
    if role in PERMISSIONS[action]:
        require(actor(role), action)
    else:
        with pytest.raises(Forbidden):
            require(actor(role), action)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.STAFF, Role.MANAGER, Role.CASHIER])
def test_everyone_but_family_may_top_up(role: Role) -> None:
    require(actor(role), "accounts.topup")


@pytest.mark.parametrize("action", ["users.create", "audit.read"])
@pytest.mark.parametrize("role", [Role.STAFF, Role.MANAGER, Role.CASHIER, Role.FAMILY])
def test_of_the_users_only_admin_may_create_users_and_read_the_audit_log(
    role: Role, action: str
) -> None:
    assert PERMISSIONS[action] & set(USER_ROLES) == {Role.ADMIN}
    require(actor(Role.ADMIN), action)
    with pytest.raises(Forbidden):
        require(actor(role), action)


def test_only_family_has_their_own_diner_list() -> None:
    for role in set(Role) - {Role.FAMILY}:
        with pytest.raises(Forbidden):
            require(actor(role), "me.diners")


def test_the_system_actor_is_a_column_of_the_table_and_no_user() -> None:
    assert SYSTEM.role is Role.SYSTEM
    assert SYSTEM.recorded_user_id is None, "its audit entries and records name no user"
    assert Actor(7, "a", Role.ADMIN).recorded_user_id == 7
    marked = {action for action, roles in PERMISSIONS.items() if Role.SYSTEM in roles}
    assert marked == {
        "users.create",  # the first admin: canteen user add
        "users.read",
        "users.manage",
        "canteens.create",
        "diners.create",
        "policies.create",
        "policies.backdate",
        "cards.read",
        "finance.record",
        "reports.claims",
        "reports.sustainability",
        "reports.misuse",
        "watchers.manage",  # the demo's building heads and grid worker
    }


@pytest.mark.parametrize(
    "action", ["checkout.sell", "checkout.void", "accounts.topup", "audit.read"]
)
def test_the_system_is_refused_what_its_column_does_not_mark(action: str) -> None:
    with pytest.raises(Forbidden) as caught:
        require(SYSTEM, action)
    assert caught.value.detail == f"A system may not do {action}."


def test_only_the_system_may_date_a_policy_in_the_past() -> None:
    assert PERMISSIONS["policies.backdate"] == {Role.SYSTEM}
    assert may(SYSTEM, "policies.backdate")
    assert not any(may(actor(role), "policies.backdate") for role in USER_ROLES)
