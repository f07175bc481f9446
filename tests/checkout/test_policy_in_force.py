"""The policy in force is cached per process: a policy adopted while the server runs still
prices the very next quote and sale, and one adopted for a later day does not."""

import copy
from datetime import timedelta
from zoneinfo import ZoneInfo

from canteen import clock
from tests.checkout.conftest import POLICY

TODAY = clock.today(ZoneInfo("Asia/Shanghai"))


def richer_policy(starts, amount_fen: int) -> dict:
    """The counter's policy with the 80+ subsidy set to ``amount_fen``, starting ``starts``."""
    doc = copy.deepcopy(POLICY)
    doc["name"] = f"80+ at {amount_fen} fen"
    doc["effective_from"] = str(starts)
    doc["rules"][0]["amount_fen"] = amount_fen
    return doc


def age80(quote: dict) -> int:
    return next(s["amount_fen"] for s in quote["subsidies"] if s["rule"] == "age80")


async def test_a_policy_adopted_for_today_prices_the_next_quote_and_sale(counter):
    before = (await counter.cashier.post("/checkout/quote", counter.order())).json()
    assert age80(before) == 500
    adopted = await counter.admin.post("/policies", richer_policy(TODAY, 800))
    assert adopted.status_code == 201, adopted.text
    after = (await counter.cashier.post("/checkout/quote", counter.order())).json()
    assert after["policy_id"] == adopted.json()["id"] != before["policy_id"]
    assert age80(after) == 800
    sale = await counter.cashier.post(
        "/meals", counter.order(), headers={"Idempotency-Key": "after-adoption"}
    )
    assert sale.status_code == 201, sale.text
    assert sale.json()["policy_id"] == adopted.json()["id"] and age80(sale.json()) == 800


async def test_a_policy_adopted_for_a_later_day_leaves_today_alone(counter):
    before = (await counter.cashier.post("/checkout/quote", counter.order())).json()
    later = await counter.admin.post("/policies", richer_policy(TODAY + timedelta(days=1), 800))
    assert later.status_code == 201, later.text
    after = (await counter.cashier.post("/checkout/quote", counter.order())).json()
    assert after["policy_id"] == before["policy_id"] and age80(after) == 500
