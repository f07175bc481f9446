"""A canteen's manager and cashiers reach the diners of their canteen and those who ate there
lately; anyone else's diner is 404, as if absent, except through a card scan."""

from datetime import timedelta

from canteen import clock
from canteen.config import get_settings
from tests.checkout.conftest import open_counter
from tests.factories import id_number

DINER_PATHS = ("", "/account", "/ledger", "/cards")


async def _diner(admin, name: str, home: int | None = None) -> int:
    body = {"name": name, "id_number": id_number(), "home_canteen_id": home}
    return (await admin.post("/diners", body)).json()["id"]


async def _not_found(api, diner: int) -> list[str]:
    """The paths of this diner that do not answer 404 ``not_found``."""
    wrong = []
    for path in DINER_PATHS:
        r = await api.get(f"/diners/{diner}{path}")
        if (r.status_code, r.json().get("code")) != (404, "not_found"):
            wrong.append(f"{path or '/'}: {r.status_code}")
    return wrong


async def _listed(api) -> set[int]:
    return {d["id"] for d in (await api.get("/diners", params={"limit": 100})).json()["items"]}


async def test_a_counter_reaches_its_own_canteens_diners_and_no_one_elses(admin, as_role):
    here = (await admin.post("/canteens", {"name": "东山"})).json()["id"]
    there = (await admin.post("/canteens", {"name": "北京街"})).json()["id"]
    mine, theirs = await _diner(admin, "本店", here), await _diner(admin, "别店", there)
    nowhere = await _diner(admin, "无家")
    for role in ("manager", "cashier"):
        api = await as_role(role, canteen_id=here)
        assert await _listed(api) == {mine}, role
        for path in DINER_PATHS:
            assert (await api.get(f"/diners/{mine}{path}")).status_code == 200, (role, path)
        assert await _not_found(api, theirs) == [], role
        assert await _not_found(api, nowhere) == [], role
        for q in ("别店", "无家"):
            assert (await api.get("/diners", params={"q": q})).json()["items"] == [], (role, q)
    for role in ("admin", "staff"):
        api = admin if role == "admin" else await as_role("staff")
        assert await _listed(api) == {mine, theirs, nowhere}, role


async def test_a_diner_who_ate_here_lately_is_in_reach_and_drops_out_after_the_window(
    admin, as_role
):
    counter = await open_counter(admin, as_role)
    manager = await as_role("manager", canteen_id=counter.canteen_id)
    assert await _not_found(manager, counter.diner_id) == []
    days = get_settings().counter_reach_days
    lunch = clock.now().replace(hour=4, minute=0)  # 12:00 in Asia/Shanghai
    with clock.frozen_at(lunch - timedelta(days=days + 1)):
        sold = await counter.cashier.post("/meals", counter.order())
        assert sold.status_code == 201, sold.text
    assert await _not_found(manager, counter.diner_id) == []
    with clock.frozen_at(lunch - timedelta(days=days - 1)):
        assert (await counter.cashier.post("/meals", counter.order())).status_code == 201
    assert (await manager.get(f"/diners/{counter.diner_id}")).status_code == 200
    assert await _listed(manager) == {counter.diner_id}
    elsewhere = (await admin.post("/canteens", {"name": "别处"})).json()["id"]
    other = await as_role("cashier", canteen_id=elsewhere)
    assert await _not_found(other, counter.diner_id) == []


async def test_a_voided_sale_brings_no_one_into_reach(admin, as_role):
    counter = await open_counter(admin, as_role)
    sale = (await counter.cashier.post("/meals", counter.order())).json()
    assert (await counter.cashier.get(f"/diners/{counter.diner_id}")).status_code == 200
    r = await counter.cashier.post(f"/meals/{sale['meal_id']}/void", {"reason": "录错"})
    assert r.status_code == 200, r.text
    assert await _not_found(counter.cashier, counter.diner_id) == []


async def test_a_card_scan_still_serves_a_diner_out_of_reach(admin, as_role):
    counter = await open_counter(admin, as_role)
    assert await _not_found(counter.cashier, counter.diner_id) == []
    quote = await counter.cashier.post("/checkout/quote", counter.order())
    assert quote.status_code == 200, quote.text
    assert quote.json()["diner"]["name"] == "王秀英"


async def test_cards_out_of_reach_are_404_and_a_manager_revokes_only_within_reach(admin, as_role):
    counter = await open_counter(admin, as_role)
    manager = await as_role("manager", canteen_id=counter.canteen_id)
    for r in (
        await manager.get(f"/cards/{counter.card_id}"),
        await manager.post(f"/cards/{counter.card_id}/revoke", {"reason": "lost"}),
    ):
        assert (r.status_code, r.json()["code"]) == (404, "not_found")
    await admin.patch(f"/diners/{counter.diner_id}", {"home_canteen_id": counter.canteen_id})
    assert (await manager.get(f"/cards/{counter.card_id}")).status_code == 200
    r = await manager.post(f"/cards/{counter.card_id}/revoke", {"reason": "lost"})
    assert r.status_code == 200, r.text


async def test_removing_a_family_link_ends_the_family_users_access_and_is_audited(admin, as_role):
    diner = await _diner(admin, "妈妈")
    family = await as_role("family")
    link = {"username": family.actor.username, "relation": "女儿"}
    await admin.post(f"/diners/{diner}/family", link)
    assert (await family.get(f"/diners/{diner}")).status_code == 200
    staff = await as_role("staff")

    r = await staff.request("DELETE", f"/diners/{diner}/family/{family.actor.username}")
    assert r.status_code == 204, r.text
    assert await _not_found(family, diner) == ["/cards: 403"]
    assert (await family.get("/me/diners")).json()["items"] == []
    audit = (
        await admin.get("/audit", params={"object_type": "diner", "object_id": str(diner)})
    ).json()["items"]
    assert audit[0]["action"] == "diner.unlink_family"
    assert audit[0]["before"] == {"username": family.actor.username, "relation": "女儿"}

    again = await staff.request("DELETE", f"/diners/{diner}/family/{family.actor.username}")
    assert (again.status_code, again.json()["code"]) == (404, "not_found")
    await admin.post(f"/diners/{diner}/family", link)
    canteen = (await admin.post("/canteens", {"name": "东山"})).json()["id"]
    cashier = await as_role("cashier", canteen_id=canteen)
    r = await cashier.request("DELETE", f"/diners/{diner}/family/{family.actor.username}")
    assert (r.status_code, r.json()["code"]) == (403, "forbidden")
