"""Disconnect and replay, many times: a counter keeps making sales offline and sends its whole
queue each round; the link drops at a random moment (no link at all; the server stopped
half-way through the batch, the first sales applied; or the answer lost on the way back), and
what got no answer stays queued and is sent again. At the end every sale is one meal:
0 duplicated, 0 lost, balances to the fen.

``CANTEEN_OFFLINE_ROUNDS`` rounds on each database (``make soak`` runs 1,000; unset, the test
does not run: ``make test`` leaves it out). The soak summary says what ran.
"""

import os
import random
from collections import Counter as Tally

import pytest

from canteen.accounts.invariants import ledger_violations
from canteen.accounts.models import Account
from canteen.checkout.models import Meal
from canteen.offline import service
from canteen.offline.models import OfflineSale
from canteen.offline.schemas import OfflineSaleIn
from tests.offline.test_sync_api import made_offline, snapshot

ROUNDS = int(os.environ.get("CANTEEN_OFFLINE_ROUNDS", "0"))
pytestmark = pytest.mark.skipif(not ROUNDS, reason="CANTEEN_OFFLINE_ROUNDS is not set")


async def test_a_thousand_disconnects_and_replays_lose_and_double_no_sale(
    counter, record_property, database_url
):
    rng = random.Random(17)
    for _ in range(2):  # 10,000 yuan: more than a thousand lunches on account take
        r = await counter.admin.post(
            f"/diners/{counter.diner_id}/topups", {"amount_fen": 500_000, "method": "cash"}
        )
        assert r.status_code == 201, r.text
    snap = await snapshot(counter)
    actor = counter.cashier.actor
    queue: list[OfflineSaleIn] = []
    made: list[OfflineSaleIn] = []
    tally: Tally[str] = Tally()
    for _ in range(ROUNDS):
        sale = OfflineSaleIn.model_validate(
            made_offline(counter, snap, payment=rng.choice(["account", "cash"]))
        )
        queue.append(sale)
        made.append(sale)
        link = rng.random()
        if link < 0.2:
            tally["no link"] += 1
            continue
        if link < 0.4:
            tally["stopped half-way"] += 1
            await service.sync(actor, counter.canteen_id, queue[: rng.randint(0, len(queue))])
            continue  # the first sales applied, no answer: the whole queue is sent again
        await service.sync(actor, counter.canteen_id, queue)
        if link < 0.6:
            tally["answer lost"] += 1
            continue  # applied, but the counter never heard: all sent again next round
        tally["answered"] += 1
        queue = []
    for _ in range(3):  # the link back for good: the rest sent, and the whole queue replayed
        await service.sync(actor, counter.canteen_id, queue or made[-40:])
        queue = []

    keys = [sale.key for sale in made]
    rows = await OfflineSale.filter(key__in=keys)
    meals = await Meal.filter(diner_id=counter.diner_id)
    duplicated = len(meals) - len({row.meal_id for row in rows})
    lost = len(keys) - len(rows)
    assert (duplicated, lost) == (0, 0)
    assert {row.meal_id for row in rows} == {meal.id for meal in meals}
    paid = sum(m.pay_fen for m in meals if m.payment == "account")
    balance = (await Account.get(diner_id=counter.diner_id)).balance_fen
    assert balance == 5000 + 1_000_000 - paid
    assert await ledger_violations() == []
    kind = database_url.split(":", 1)[0]
    links = ", ".join(f"{n} {what}" for what, n in sorted(tally.items()))
    record_property(
        "soak",
        f"offline {kind}: {ROUNDS} rounds ({links}),"
        f" {len(meals)} meals, {duplicated} duplicated, {lost} lost",
    )
