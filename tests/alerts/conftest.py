"""A canteen with elders who come for lunch (or do not), at fixed local dates and times."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from canteen.canteens.models import Canteen as CanteenRow
from canteen.checkout.models import Meal
from canteen.diners import service as diners
from canteen.roles import SYSTEM
from tests.conftest import Api
from tests.factories import id_number

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 11, 23)
"""Today in these tests: a Monday. Its ten weekdays before are 9 to 20 November."""
TEN_WEEKDAYS = [
    MONDAY - timedelta(days=n) for n in (3, 4, 5, 6, 7, 10, 11, 12, 13, 14)
]  # Fri 20 ... Mon 9


def local(day: date, hhmm: str, zone: ZoneInfo = SHANGHAI) -> datetime:
    return datetime.combine(day, time.fromisoformat(hhmm), zone)


@dataclass
class Canteen:
    admin: Api
    id: int

    async def elder(self, name: str, **fields: object) -> int:
        diner = await diners.enrol(
            SYSTEM, name=name, id_number=id_number("19400101"), home_canteen_id=self.id, **fields
        )
        return diner.id

    async def ate(
        self, diner_id: int, days: list[date], *, voided: bool = False, hhmm: str = "11:45"
    ) -> None:
        """Lunches on ``days`` (rows written directly: the sale path has its own tests)."""
        zone = ZoneInfo((await CanteenRow.get(id=self.id)).timezone)
        await Meal.bulk_create(
            [
                Meal(
                    canteen_id=self.id,
                    diner_id=diner_id,
                    meal_type="lunch",
                    price_fen=1500,
                    subsidy_fen=1000,
                    pay_fen=500,
                    payment="account",
                    local_date=day,
                    at=local(day, hhmm, zone),
                    sold_by_id=self.admin.actor.user_id,
                    voided_at=local(day, "12:00", zone) if voided else None,
                    void_reason="test" if voided else None,
                )
                for day in days
            ]
        )


async def open_canteen(admin: Api, name: str = "北京街长者饭堂", **fields: object) -> Canteen:
    r = await admin.post("/canteens", {"name": name, **fields})
    assert r.status_code == 201, r.text
    return Canteen(admin, r.json()["id"])


@pytest.fixture
async def canteen(admin: Api) -> Canteen:
    return await open_canteen(admin)
