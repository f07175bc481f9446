"""A canteen ready for lunch: a price list, a policy in force, an elder with a card and money."""

from dataclasses import dataclass

import pytest

from canteen.cards import service as cards
from canteen.policies import service as policies
from canteen.roles import SYSTEM
from tests.conftest import Api
from tests.factories import id_number

POLICY = {
    "name": "test district policy",
    "effective_from": "2020-01-01",
    "stacking": "highest",
    "rules": [
        {
            "code": "age80",
            "label": "80 岁及以上",
            "when": {"min_age": 80},
            "amount_fen": 500,
            "funder": "district",
            "meal_types": ["lunch", "dinner"],
            "daily_limit": 1,
        },
        {
            "code": "age60",
            "label": "60 岁及以上",
            "when": {"min_age": 60},
            "amount_fen": 200,
            "funder": "street",
            "daily_limit": 2,
        },
        {
            "code": "op_discount",
            "label": "运营方让利",
            "when": {"min_age": 60},
            "amount_fen": 100,
            "funder": "operator",
            "stack_always": True,
        },
        {
            "code": "service",
            "label": "运营补贴",
            "when": {"min_age": 60},
            "amount_fen": 300,
            "funder": "district",
            "pays": "operator",
            "daily_limit": 1,
        },
    ],
}


@dataclass
class Counter:
    admin: Api
    cashier: Api
    canteen_id: int
    lunch_id: int
    diner_id: int
    card: str
    card_id: int
    last4: str = ""
    """The last 4 of the elder's ID number: what they tell the cashier when the card is missing."""

    def order(self, **over) -> dict:
        return {
            "card": self.card,
            "canteen_id": self.canteen_id,
            "offering_id": self.lunch_id,
            **over,
        }


async def open_counter(
    admin: Api,
    as_role,
    balance_fen: int = 5000,
    birth: str = "19400101",
    dietary: list[str] | None = None,
) -> Counter:
    canteen = (
        await admin.post(
            "/canteens", {"name": "北京街长者饭堂", "district": "越秀区", "street": "北京街"}
        )
    ).json()["id"]
    lunch = (
        await admin.post(
            f"/canteens/{canteen}/offerings",
            {"name": "两荤一素", "meal_type": "lunch", "price_fen": 1500},
        )
    ).json()["id"]
    if not await policies.Policy.exists():
        await policies.create(SYSTEM, POLICY)
    number = id_number(birth)
    diner = (
        await admin.post(
            "/diners",
            {
                "name": "王秀英",
                "id_number": number,
                "district": "越秀区",
                "street": "北京街",
                "dietary": dietary or [],
            },
        )
    ).json()["id"]
    if balance_fen:
        await admin.post(f"/diners/{diner}/topups", {"amount_fen": balance_fen, "method": "cash"})
    card = await cards.issue(admin.actor, diner)
    cashier = await as_role("cashier", canteen_id=canteen)
    return Counter(
        admin, cashier, canteen, lunch, diner, cards.payload_of(card), card.id, number[-4:]
    )


@pytest.fixture
async def counter(admin, as_role) -> Counter:
    return await open_counter(admin, as_role)
