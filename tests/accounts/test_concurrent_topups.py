"""Real concurrent requests against a real server process, on each database."""

import asyncio

import httpx

from canteen.accounts.invariants import ledger_violations
from canteen.accounts.models import Account, LedgerEntry, Topup
from canteen.diners import service as diners
from canteen.roles import SYSTEM
from tests.conftest import PASSWORD, make_user
from tests.factories import id_number


async def test_50_distinct_and_50_replayed_topups_each_apply_once(live_server):
    admin = await make_user("admin")
    diner = await diners.enrol(SYSTEM, name="李桂兰", id_number=id_number())
    async with httpx.AsyncClient(base_url=live_server.url + "/api/v1", timeout=30) as c:
        token = (
            await c.post("/auth/token", json={"username": admin.username, "password": PASSWORD})
        ).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}

        def topup(key: str, amount: int):
            return c.post(
                f"/diners/{diner.id}/topups",
                json={"amount_fen": amount, "method": "cash"},
                headers={**headers, "Idempotency-Key": key},
            )

        distinct = [topup(f"distinct-{i}", 100 + i) for i in range(50)]
        replays = [topup("one-key", 777) for _ in range(50)]
        responses = await asyncio.gather(*distinct, *replays)

    assert [r.status_code for r in responses] == [201] * 100
    replay_bodies = {r.text for r in responses[50:]}
    assert len(replay_bodies) == 1, "every replay answers with the first answer"
    expected = sum(100 + i for i in range(50)) + 777
    account = await Account.get(diner_id=diner.id)
    assert account.balance_fen == expected
    assert await Topup.filter(account_id=account.id).count() == 51
    assert await LedgerEntry.filter(account_id=account.id).count() == 51
    assert await ledger_violations() == []
