"""October 2025 at two canteens in two districts: a few meals and a void.

Long past, so whatever the day the tests run, every frozen moment is before the expiry of the
tokens the users logged in with today.

Built through the API with the clock frozen at each sale. The policy is the checkout tests'
(``tests/checkout/conftest.py``): an 85-year-old's lunch gets age80 (district, 500, 1 a day)
and the operator's own 100 off, and the district pays the canteen 300 on top (service, 1 a
day); a second lunch the same day falls back to age60 (street, 200). A 70-year-old gets age60,
the 100 off, and the 300 service.

    meal  diner  canteen  local date  lines (funder/rule/pays: fen)
    m1    A 85   A 越秀区  10-14 12:00  district/age80/diner 500, operator/op_discount/diner 100,
                                        district/service/operator 300     (pay 900 of 1500)
    m2    A      A         10-14 12:30  street/age60/diner 200, operator/op_discount/diner 100
                                                                          (pay 1200)
    m3    B 70   B 海珠区  10-15 12:00  street/age60/diner 200, operator/op_discount/diner 100,
                                        district/service/operator 300     (pay 1200)
    m4    A      A         10-20 12:00  as m1; voided on 10-21
    m5    A      A         11-02 12:00  as m1 (another month)

So October's live lines: 1,800 fen on 3 meals; district 1,100 (2 meals), street 400 (2),
operator 300 (3); 1,200 lower prices, 600 are paid to the canteens on top.
"""

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from canteen import clock
from canteen.cards import service as cards
from tests.checkout.conftest import Counter, open_counter
from tests.conftest import Api
from tests.factories import id_number

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=SHANGHAI)


@dataclass
class October:
    admin: Api
    counter: Counter
    """Canteen A (越秀区 北京街) with diner A (85) and its cashier."""
    canteen_b: int
    cashier_b: Api
    lunch_b: int
    diner_b: int
    card_b: str
    meals: dict[str, int]

    async def sell(
        self, when: datetime, *, card: str | None = None, canteen: str = "a", **order: Any
    ) -> dict[str, Any]:
        c = self.counter
        if canteen == "a":
            body = c.order(card=card or c.card, **order)
            cashier = c.cashier
        else:
            body = {"card": card or self.card_b, "canteen_id": self.canteen_b}
            body |= {"offering_id": self.lunch_b, **order}
            cashier = self.cashier_b
        with clock.frozen_at(when):
            r = await cashier.post("/meals", body)
        assert r.status_code == 201, r.text
        return r.json()

    def on(self, client: httpx.AsyncClient) -> "October":
        """The same scenario, its users' requests sent through ``client`` (a test's own app,
        on its copy of the database the scenario was built in: ``tests.conftest.Fill``)."""

        def moved(api: Api) -> Api:
            return Api(client, api.headers, api.actor)

        counter = replace(
            self.counter, admin=moved(self.counter.admin), cashier=moved(self.counter.cashier)
        )
        return replace(
            self, admin=moved(self.admin), counter=counter, cashier_b=moved(self.cashier_b)
        )

    async def void(self, meal: str, when: datetime) -> None:
        with clock.frozen_at(when):
            r = await self.admin.post(f"/meals/{self.meals[meal]}/void", {"reason": "录错"})
        assert r.status_code == 200, r.text


async def october(admin: Api, as_role: Any) -> October:
    counter = await open_counter(admin, as_role, balance_fen=20_000, birth="19400101")
    canteen_b = (
        await admin.post(
            "/canteens", {"name": "南华西街长者饭堂", "district": "海珠区", "street": "南华西街"}
        )
    ).json()["id"]
    lunch_b = (
        await admin.post(
            f"/canteens/{canteen_b}/offerings",
            {"name": "家常两荤一素", "meal_type": "lunch", "price_fen": 1500},
        )
    ).json()["id"]
    elder = {"name": "黄国强", "id_number": id_number("19550101")}
    elder |= {"district": "海珠区", "street": "南华西街"}
    diner_b = (await admin.post("/diners", elder)).json()["id"]
    await admin.post(f"/diners/{diner_b}/topups", {"amount_fen": 20_000, "method": "cash"})
    card_b = cards.payload_of(await cards.issue(admin.actor, diner_b))
    cashier_b = await as_role("cashier", canteen_id=canteen_b)
    scenario = October(admin, counter, canteen_b, cashier_b, lunch_b, diner_b, card_b, {})
    sold = {
        "m1": await scenario.sell(at(10, 14)),
        "m2": await scenario.sell(at(10, 14, 12, 30)),
        "m3": await scenario.sell(at(10, 15), canteen="b"),
        "m4": await scenario.sell(at(10, 20)),
        "m5": await scenario.sell(at(11, 2)),
    }
    scenario.meals = {name: sale["meal_id"] for name, sale in sold.items()}
    await scenario.void("m4", at(10, 21, 9))
    return scenario
