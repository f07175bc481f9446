"""A canteen with a week's menu, an elder who orders ahead, and the clock at 08:30 in Shanghai.

The clock is frozen before anyone logs in (tokens are issued by it), at a morning when lunch
is still open for ordering (the default cut-off is 09:00) and the canteen is not yet serving.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from canteen import clock
from tests.checkout.conftest import Counter, open_counter
from tests.conftest import Api

MORNING = datetime(2026, 12, 1, 0, 30, tzinfo=UTC)
"""08:30 in Shanghai, Tuesday 1 December 2026."""
TODAY = date(2026, 12, 1)
LUNCH_TIME = MORNING + timedelta(hours=2, minutes=30)
"""11:00 in Shanghai: the counter sells lunch."""


def at_local(hour: int, minute: int = 0, day: date = TODAY) -> datetime:
    """That time in Shanghai (UTC+8) on ``day``, as the clock gives it."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - timedelta(hours=8)


@pytest.fixture(autouse=True)
def morning() -> Iterator[None]:
    with clock.frozen_at(MORNING):
        yield


@dataclass
class Ahead:
    counter: Counter
    family: Api
    dinner_id: int

    @property
    def admin(self) -> Api:
        return self.counter.admin

    def order(self, **over: object) -> dict:
        return {
            "diner_id": self.counter.diner_id,
            "canteen_id": self.counter.canteen_id,
            "date": TODAY.isoformat(),
            "meal_type": "lunch",
            "offering_id": self.counter.lunch_id,
            "delivery": False,
            **over,
        }

    async def place(self, by: Api | None = None, key: str | None = None, **over: object):
        headers = {"Idempotency-Key": key} if key else {}
        return await (by or self.family).post("/orders", self.order(**over), headers=headers)

    async def balance(self) -> int:
        r = await self.admin.get(f"/diners/{self.counter.diner_id}/account")
        return r.json()["balance_fen"]


async def open_orders(admin: Api, as_role, balance_fen: int = 5000) -> Ahead:
    """``open_counter``'s canteen, with a dinner on its price list, a menu for a week from
    today (lunch and dinner), a delivery fee of 3 yuan, and a family member linked."""
    counter = await open_counter(admin, as_role, balance_fen=balance_fen)
    c = counter.canteen_id
    dinner = (
        await admin.post(
            f"/canteens/{c}/offerings",
            {"name": "晚餐套餐", "meal_type": "dinner", "price_fen": 1200},
        )
    ).json()["id"]
    for day in range(7):
        on = (TODAY + timedelta(days=day)).isoformat()
        menu = {
            "meals": {
                "lunch": [{"offering_id": counter.lunch_id, "dishes": ["红烧鱼", "炒青菜"]}],
                "dinner": [{"offering_id": dinner, "dishes": ["蒸蛋"], "allergens": ["蛋"]}],
            }
        }
        r = await admin.request("PUT", f"/canteens/{c}/menus/{on}", json=menu)
        assert r.status_code == 200, r.text
    r = await admin.patch(f"/canteens/{c}", {"delivery_fee_fen": 300})
    assert r.status_code == 200, r.text
    family = await as_role("family")
    r = await admin.post(
        f"/diners/{counter.diner_id}/family",
        {"username": family.actor.username, "relation": "女儿"},
    )
    assert r.status_code in (200, 201), r.text
    return Ahead(counter, family, dinner)


@pytest.fixture
async def ahead(admin, as_role) -> Ahead:
    return await open_orders(admin, as_role)
