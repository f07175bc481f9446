"""Each role's view of a diner, cell by cell of the table in ``canteen.diners.views``, which
docs/security.md shows: what a role does not need comes back ``null``."""

from pathlib import Path

import pytest

from canteen.diners import views
from canteen.roles import USER_ROLES
from tests.factories import id_number

SECURITY_DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
NUMBER = id_number("19400315", region="440104", seq=135)


def test_the_security_doc_shows_the_table_the_api_applies():
    assert views.render_markdown() in SECURITY_DOC.read_text(encoding="utf-8")


def test_the_table_has_a_row_for_every_field_of_a_diner():
    from canteen.diners.schemas import DinerOut

    assert list(views.VIEWS) == list(DinerOut.model_fields)


@pytest.fixture
async def seen(admin, as_role):
    """Each role's GET of one fully filled-in diner at its own canteen (linked to the family)."""
    canteen = (await admin.post("/canteens", {"name": "东山长者饭堂"})).json()["id"]
    diner = (
        await admin.post(
            "/diners",
            {
                "name": "陈桂芳",
                "id_number": NUMBER,
                "phone": "13800138000",
                "address": "龟岗大马路 12 号",
                "district": "越秀区",
                "street": "东山街",
                "categories": ["disabled", "low_income"],
                "disability_level": 2,
                "dietary": ["diabetic"],
                "home_canteen_id": canteen,
            },
        )
    ).json()["id"]
    family = await as_role("family")
    await admin.post(
        f"/diners/{diner}/family", {"username": family.actor.username, "relation": "女儿"}
    )
    users = {
        "admin": admin,
        "staff": await as_role("staff"),
        "manager": await as_role("manager", canteen_id=canteen),
        "cashier": await as_role("cashier", canteen_id=canteen),
        "family": family,
    }
    return diner, users


EXPECTED = {
    "name": "陈桂芳",
    "id_number_masked": "*" * 14 + NUMBER[-4:],
    "birth_date": "1940-03-15",
    "gender": "male",
    "phone": "13800138000",
    "address": "龟岗大马路 12 号",
    "district": "越秀区",
    "street": "东山街",
    "categories": ["disabled", "low_income"],
    "disability_level": 2,
    "dietary": ["diabetic"],
    "status": "active",
    "balance_fen": 0,
}


def _wrong_cells(role: str, body: dict) -> list[str]:
    wrong = []
    for field, roles in views.VIEWS.items():
        value = body[field]
        if views.Role(role) not in roles:
            if value is not None:
                wrong.append(f"{role} sees {field}={value!r}")
        elif value is None or value != EXPECTED.get(field, value):
            wrong.append(f"{role} gets {field}={value!r}")
    return wrong


@pytest.mark.parametrize("role", [r.value for r in views.ROLES if r in USER_ROLES])
async def test_each_role_sees_exactly_its_cells_of_the_table(seen, role):
    diner, users = seen
    one = await users[role].get(f"/diners/{diner}")
    assert one.status_code == 200, one.text
    listed = await users[role].get("/me/diners" if role == "family" else "/diners")
    (in_list,) = [d for d in listed.json()["items"] if d["id"] == diner]
    assert _wrong_cells(role, one.json()) == []
    assert in_list == one.json()


async def test_no_role_is_shown_what_rebuilds_the_number(seen):
    diner, users = seen
    for role, api in users.items():
        text = (await api.get(f"/diners/{diner}")).text
        assert NUMBER not in text and NUMBER[:6] not in text, role


async def test_a_cashier_cannot_search_by_a_phone_number_it_is_not_shown(seen):
    diner, users = seen
    found = (await users["cashier"].get("/diners", params={"q": "13800138000"})).json()
    assert found["items"] == []
    found = (await users["manager"].get("/diners", params={"q": "13800138000"})).json()
    assert [d["id"] for d in found["items"]] == [diner]
