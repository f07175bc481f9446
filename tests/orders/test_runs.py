"""Delivery runs: a run takes the day's placed delivery orders in walking order, the manager
may reorder it, and each stop's outcome is recorded once: delivered (one sale), not home or
refused (the order missed, nothing charged; an elder living alone not at home is an alert)."""

import asyncio
from dataclasses import dataclass

import pytest

from canteen import clock
from canteen.alerts import outbox
from canteen.alerts.models import Alert, Notification
from canteen.checkout.models import Meal
from canteen.orders.models import Order
from tests.conftest import Api
from tests.factories import id_number
from tests.orders.conftest import LUNCH_TIME, TODAY, Ahead, open_orders

ADDRESSES = {
    "李桂兰": "北京街长山花园3栋2单元502室",
    "张建国": "北京街长山花园1栋1单元301室",
    "陈淑珍": "北京街长山花园3栋2单元201室",
}
"""Entered out of walking order: building 1 first, then building 3 from the 2nd floor up."""
WALK = ["张建国", "陈淑珍", "李桂兰"]


@dataclass
class Rounds:
    ahead: Ahead
    manager: Api
    volunteer: Api
    diners: dict[str, int]
    orders: dict[str, int]

    @property
    def admin(self) -> Api:
        return self.ahead.admin

    @property
    def canteen_id(self) -> int:
        return self.ahead.counter.canteen_id

    async def run(self, by: Api | None = None, **over: object):
        body = {
            "date": TODAY.isoformat(),
            "meal_type": "lunch",
            "deliverer_user_id": self.volunteer.actor.user_id,
            **over,
        }
        return await (by or self.manager).post(f"/canteens/{self.canteen_id}/delivery-runs", body)

    async def made_run(self) -> dict:
        r = await self.run()
        assert r.status_code == 201, r.text
        return r.json()

    async def report(self, stop_id: int, outcome: str, by: Api | None = None, **over):
        key = over.pop("key", None)
        headers = {"Idempotency-Key": key} if key else {}
        body = {"outcome": outcome, **over}
        with clock.frozen_at(LUNCH_TIME):
            return await (by or self.volunteer).post(
                f"/delivery-stops/{stop_id}/outcome", body, headers=headers
            )

    async def balance(self, name: str) -> int:
        r = await self.admin.get(f"/diners/{self.diners[name]}/account")
        return r.json()["balance_fen"]


async def enrol(ahead: Ahead, name: str, address: str, **over: object) -> int:
    body = {
        "name": name,
        "id_number": id_number("19400101"),
        "address": address,
        "phone": "13812345678",
        "district": "越秀区",
        "street": "北京街",
        "home_canteen_id": ahead.counter.canteen_id,
        **over,
    }
    r = await ahead.admin.post("/diners", body)
    assert r.status_code == 201, r.text
    diner = r.json()["id"]
    r = await ahead.admin.post(f"/diners/{diner}/topups", {"amount_fen": 5000, "method": "cash"})
    assert r.status_code == 201, r.text
    return diner


@pytest.fixture
async def rounds(admin, as_role) -> Rounds:
    """Three elders at one estate with lunch ordered to their door, one eating in, one having
    dinner brought: only the three lunches belong on the lunch run."""
    ahead = await open_orders(admin, as_role)
    diners = {
        name: await enrol(ahead, name, address, dietary=["low_salt"] if name == "李桂兰" else [])
        for name, address in ADDRESSES.items()
    }
    orders = {}
    for name, diner in diners.items():
        r = await ahead.place(by=admin, diner_id=diner, delivery=True)
        assert r.status_code == 201, r.text
        orders[name] = r.json()["order_id"]
    eat_in = await ahead.place(by=admin)  # 王秀英 eats in
    dinner = await ahead.place(
        by=admin,
        diner_id=diners["李桂兰"],
        meal_type="dinner",
        offering_id=ahead.dinner_id,
        delivery=True,
    )
    assert (eat_in.status_code, dinner.status_code) == (201, 201)
    manager = await as_role("manager", canteen_id=ahead.counter.canteen_id)
    return Rounds(ahead, manager, await as_role("volunteer"), diners, orders)


def names(run: dict) -> list[str]:
    return [stop["diner_name"] for stop in run["stops"]]


async def test_a_run_takes_the_meals_placed_delivery_orders_in_walking_order(rounds):
    run = await rounds.made_run()
    assert names(run) == WALK
    first = run["stops"][0]
    assert {k: first[k] for k in ("address", "phone_masked", "dietary", "outcome")} == {
        "address": ADDRESSES["张建国"],
        "phone_masked": "138****5678",
        "dietary": [],
        "outcome": None,
    }
    assert [s["pay_fen_estimate"] for s in run["stops"]] == [1200, 1200, 1200]  # 15 + 3 - 6
    assert run["stops"][2]["dietary"] == ["low_salt"]
    assert [s["position"] for s in run["stops"]] == [1, 2, 3]
    assert {s["order_id"] for s in run["stops"]} == set(rounds.orders.values())
    shown = (await rounds.volunteer.get(f"/delivery-runs/{run['run_id']}")).json()
    assert shown == run


async def test_an_order_already_on_a_run_is_not_taken_again(rounds):
    await rounds.made_run()
    again = await rounds.made_run()
    assert again["stops"] == []
    later = await rounds.ahead.place(
        by=rounds.admin,
        diner_id=rounds.ahead.counter.diner_id,
        meal_type="dinner",
        offering_id=rounds.ahead.dinner_id,
        delivery=True,
    )
    assert later.status_code == 201, later.text
    dinner = (await rounds.run(meal_type="dinner")).json()
    assert names(dinner) == ["李桂兰", "王秀英"]  # no address written: the end of the round


async def test_two_runs_made_at_once_share_no_order(rounds):
    made = await asyncio.gather(rounds.run(), rounds.run(by=rounds.admin))
    assert [r.status_code for r in made] == [201, 201], [r.text for r in made]
    taken = [s["order_id"] for r in made for s in r.json()["stops"]]
    assert sorted(taken) == sorted(rounds.orders.values())


async def test_a_manager_reorders_a_run_with_every_stop_once(rounds):
    run = await rounds.made_run()
    ids = [s["stop_id"] for s in run["stops"]]
    path = f"/delivery-runs/{run['run_id']}/order"
    r = await rounds.manager.post(path, {"stop_ids": ids[::-1]})
    assert r.status_code == 200, r.text
    assert names(r.json()) == WALK[::-1]
    assert (
        names((await rounds.volunteer.get(f"/delivery-runs/{run['run_id']}")).json())
        == (WALK[::-1])
    )
    for wrong in (ids[:2], [*ids, ids[0]], [ids[0], ids[0], ids[1]], [*ids[:2], 999_999]):
        r = await rounds.manager.post(path, {"stop_ids": wrong})
        assert (r.status_code, r.json()["errors"][0]["field"]) == (422, "stop_ids"), wrong
    assert names((await rounds.admin.get(f"/delivery-runs/{run['run_id']}")).json()) == (WALK[::-1])


async def test_a_run_is_walked_by_a_volunteer_the_office_or_the_canteens_own_people(
    rounds, as_role
):
    elsewhere = (await rounds.admin.post("/canteens", {"name": "别处饭堂"})).json()["id"]
    refused = {
        "family": await as_role("family"),
        "cashier elsewhere": await as_role("cashier", canteen_id=elsewhere),
        "admin": rounds.admin,
    }
    for who, user in refused.items():
        r = await rounds.run(deliverer_user_id=user.actor.user_id)
        assert (r.status_code, r.json()["errors"][0]["field"]) == (422, "deliverer_user_id"), who
    r = await rounds.run(deliverer_user_id=999_999)
    assert r.status_code == 422
    cashier = await as_role("cashier", canteen_id=rounds.canteen_id)
    assert (await rounds.run(deliverer_user_id=cashier.actor.user_id)).status_code == 201
    other_manager = await as_role("manager", canteen_id=elsewhere)
    r = await rounds.run(by=other_manager)
    assert (r.status_code, r.json()["code"]) == (403, "forbidden")
    r = await rounds.run(meal_type="brunch")
    assert (r.status_code, r.json()["errors"][0]["field"]) == (422, "meal_type")


async def test_delivered_sells_the_meal_once_however_often_it_is_reported(rounds):
    stop = (await rounds.made_run())["stops"][0]
    first = await rounds.report(stop["stop_id"], "delivered", key="tap-1")
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["outcome"] == "delivered" and body["meal_id"] is not None
    again = await rounds.report(stop["stop_id"], "delivered")
    replayed = await rounds.report(stop["stop_id"], "delivered", key="tap-1")
    assert again.json() == body and replayed.json() == body
    assert await rounds.balance("张建国") == 5000 - 1200
    assert await Meal.filter(order_id=stop["order_id"]).count() == 1
    order = await Order.get(id=stop["order_id"])
    assert (order.status, order.meal_id) == ("fulfilled", body["meal_id"])
    r = await rounds.report(stop["stop_id"], "not_home")
    assert (r.status_code, r.json()["code"], r.json()["outcome"]) == (
        409,
        "stop_already_recorded",
        "delivered",
    )
    r = await rounds.report(stop["stop_id"], "refused", key="tap-1")
    assert (r.status_code, r.json()["code"]) == (422, "idempotency_key_reused")


async def test_delivered_the_balance_no_longer_covers_is_refused_unless_paid_in_cash(rounds):
    stop = (await rounds.made_run())["stops"][0]
    diner = rounds.diners["张建国"]
    r = await rounds.admin.post(
        f"/diners/{diner}/adjustments", {"amount_fen": -4000, "reason": "测试：余额不足"}
    )
    assert r.status_code == 201, r.text
    r = await rounds.report(stop["stop_id"], "delivered")
    assert (r.status_code, r.json()["code"], r.json()["shortfall_fen"]) == (
        409,
        "insufficient_balance",
        200,
    )
    assert (await Order.get(id=stop["order_id"])).status == "placed"
    r = await rounds.report(stop["stop_id"], "delivered", payment="cash")
    assert r.status_code == 200, r.text
    meal = await Meal.get(id=r.json()["meal_id"])
    assert (meal.payment, meal.pay_fen) == ("cash", 1200)
    assert await rounds.balance("张建国") == 1000


async def test_not_home_or_refused_charges_nothing_and_misses_the_order(rounds):
    run = await rounds.made_run()
    stops = {s["diner_name"]: s for s in run["stops"]}
    r1 = await rounds.report(stops["张建国"]["stop_id"], "not_home", note="敲门无人")
    r2 = await rounds.report(stops["陈淑珍"]["stop_id"], "refused")
    assert (r1.status_code, r2.status_code) == (200, 200)
    assert (r1.json()["outcome"], r1.json()["note"], r1.json()["meal_id"]) == (
        "not_home",
        "敲门无人",
        None,
    )
    for name in ("张建国", "陈淑珍"):
        assert (await Order.get(id=rounds.orders[name])).status == "missed"
        assert await rounds.balance(name) == 5000
    assert await Meal.all().count() == 0
    assert await Alert.filter(kind="not_home").count() == 0  # neither lives alone
    r = await rounds.report(stops["陈淑珍"]["stop_id"], "delivered")
    assert (r.status_code, r.json()["code"]) == (409, "stop_already_recorded")
    assert await Meal.all().count() == 0


async def test_not_home_for_an_elder_living_alone_tells_the_family_and_the_canteen(rounds):
    ahead = rounds.ahead
    diner = ahead.counter.diner_id  # 王秀英, linked to the family
    r = await rounds.admin.patch(
        f"/diners/{diner}",
        {
            "categories": ["living_alone"],
            "address": "北京街长山花园2栋101室",
            "home_canteen_id": rounds.canteen_id,
        },
    )
    assert r.status_code == 200, r.text
    await ahead.family.post(f"/orders/{(await Order.get(diner_id=diner)).id}/cancel")
    r = await ahead.place(by=rounds.admin, delivery=True)
    assert r.status_code == 201, r.text
    run = await rounds.made_run()
    stop = next(s for s in run["stops"] if s["diner_name"] == "王秀英")
    r = await rounds.report(stop["stop_id"], "not_home")
    assert r.status_code == 200, r.text
    alerts = (await ahead.family.get("/alerts")).json()["items"]
    assert [(a["kind"], a["status"], a["local_date"]) for a in alerts] == [
        ("not_home", "open", TODAY.isoformat())
    ]
    assert alerts[0]["detail"]["stop_id"] == stop["stop_id"]
    assert (await rounds.manager.get("/alerts?kind=not_home")).json()["items"][0]["id"] == (
        alerts[0]["id"]
    )
    with clock.frozen_at(LUNCH_TIME):
        await outbox.report(clock.now())
    told = await Notification.filter(alert_id=alerts[0]["id"], channel="portal").values_list(
        "recipient_id", flat=True
    )
    assert ahead.family.actor.user_id in told
    staff_told = await Notification.filter(alert_id=alerts[0]["id"], recipient_id=None).first()
    assert staff_told is not None and "无人应门" in staff_told.payload["text_zh"]


async def test_a_volunteer_sees_and_reports_only_their_own_runs(rounds, as_role):
    run = await rounds.made_run()
    stop = run["stops"][0]["stop_id"]
    other = await as_role("volunteer")
    cashier = await as_role("cashier", canteen_id=rounds.canteen_id)
    r = await other.get(f"/delivery-runs/{run['run_id']}")
    assert (r.status_code, r.json()["code"]) == (404, "not_found")
    with clock.frozen_at(LUNCH_TIME):
        mine = (await rounds.volunteer.get("/me/delivery-runs")).json()["items"]
        theirs = (await other.get("/me/delivery-runs")).json()["items"]
    assert ([r["run_id"] for r in mine], theirs) == ([run["run_id"]], [])
    dated = await rounds.volunteer.get("/me/delivery-runs?date=2026-12-02")
    assert dated.json()["items"] == []
    assert (await cashier.get(f"/delivery-runs/{run['run_id']}")).status_code == 200
    for outsider in (other, cashier):
        r = await rounds.report(stop, "delivered", by=outsider)
        assert (r.status_code, r.json()["code"]) == (404, "not_found")
    assert await Meal.all().count() == 0
    r = await rounds.report(stop, "delivered", by=rounds.manager)
    assert r.status_code == 200, r.text


async def test_ten_phones_reporting_one_stop_delivered_at_once_sell_one_meal(rounds, as_role):
    stop = (await rounds.made_run())["stops"][0]
    phones = [rounds.volunteer] * 7 + [rounds.manager, rounds.admin, rounds.volunteer]
    answers = await asyncio.gather(
        *(rounds.report(stop["stop_id"], "delivered", by=p) for p in phones)
    )
    assert [a.status_code for a in answers] == [200] * 10, [a.text for a in answers]
    assert len({a.json()["meal_id"] for a in answers}) == 1
    assert await Meal.filter(order_id=stop["order_id"]).count() == 1
    assert await rounds.balance("张建国") == 5000 - 1200


async def test_delivered_and_not_home_reported_at_once_record_one_of_them(rounds):
    stop = (await rounds.made_run())["stops"][0]
    answers = await asyncio.gather(
        rounds.report(stop["stop_id"], "delivered"),
        rounds.report(stop["stop_id"], "not_home", by=rounds.manager),
    )
    codes = sorted(a.status_code for a in answers)
    assert codes == [200, 409], [a.text for a in answers]
    won = next(a.json()["outcome"] for a in answers if a.status_code == 200)
    order = await Order.get(id=stop["order_id"])
    meals = await Meal.filter(order_id=stop["order_id"]).count()
    if won == "delivered":
        assert (order.status, meals, await rounds.balance("张建国")) == ("fulfilled", 1, 3800)
    else:
        assert (order.status, meals, await rounds.balance("张建国")) == ("missed", 0, 5000)


async def test_an_order_cancelled_after_its_run_was_made_is_not_delivered_and_stays_cancelled(
    rounds,
):
    stop = (await rounds.made_run())["stops"][0]
    with clock.frozen_at(LUNCH_TIME):
        r = await rounds.manager.post(f"/orders/{stop['order_id']}/cancel")
    assert r.status_code == 200, r.text
    r = await rounds.report(stop["stop_id"], "delivered")
    assert (r.status_code, r.json()["code"]) == (409, "order_not_open")
    shown = (await rounds.volunteer.get("/me/delivery-runs?date=2026-12-01")).json()
    assert shown["items"][0]["stops"][0]["outcome"] is None
    r = await rounds.report(stop["stop_id"], "not_home")
    assert (r.status_code, r.json()["outcome"]) == (200, "not_home")
    assert (await Order.get(id=stop["order_id"])).status == "cancelled"
    assert await Meal.all().count() == 0


async def test_bad_reports_are_refused_by_field(rounds):
    stop = (await rounds.made_run())["stops"][0]["stop_id"]
    for body, field in (
        ({"outcome": "lost"}, "outcome"),
        ({"outcome": "delivered", "payment": "card"}, "payment"),
        ({"outcome": "refused", "note": "x" * 201}, "note"),
    ):
        with clock.frozen_at(LUNCH_TIME):
            r = await rounds.volunteer.post(f"/delivery-stops/{stop}/outcome", body)
        assert (r.status_code, r.json()["errors"][0]["field"]) == (422, field), body
    r = await rounds.report(999_999, "delivered")
    assert (r.status_code, r.json()["code"]) == (404, "not_found")
    r = await rounds.volunteer.get("/me/delivery-runs?date=2026-13-01")
    assert (r.status_code, r.json()["errors"][0]["field"]) == (422, "date")
    assert await Meal.all().count() == 0
