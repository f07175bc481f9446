"""One payment, notified twenty times at once to a real server: credited exactly once."""

import asyncio

import httpx
import pytest

from canteen.accounts.invariants import ledger_violations
from canteen.accounts.models import Account, LedgerEntry, Topup
from canteen.diners import service as diners
from canteen.payments import service as payments
from canteen.payments.models import TopupIntent
from canteen.payments.providers import SandboxProvider
from canteen.roles import SYSTEM
from tests.conftest import make_user
from tests.factories import id_number

pytestmark = pytest.mark.usefixtures("sandbox_on")  # online top-ups through the sandbox


async def test_twenty_identical_notifications_at_once_credit_once(live_server):
    family = await make_user("family")
    diner = await diners.enrol(SYSTEM, name="黄志明", id_number=id_number())
    await diners.link_family(await make_user("admin"), diner.id, family.username, "儿子")
    intent = await payments.create_intent(family, diner.id, 10_000)
    headers, body = SandboxProvider().notification(intent.id, 10_000)

    async with httpx.AsyncClient(base_url=live_server.url + "/api/v1", timeout=60) as c:
        responses = await asyncio.gather(
            *(c.post("/payments/sandbox/notify", content=body, headers=headers) for _ in range(20))
        )

    assert [r.status_code for r in responses] == [200] * 20, [r.text for r in responses][:2]
    assert sorted(r.json()["credited"] for r in responses) == [False] * 19 + [True]
    assert {r.json()["status"] for r in responses} == {"succeeded"}
    account = await Account.get(diner_id=diner.id)
    assert account.balance_fen == 10_000
    assert await Topup.filter(account_id=account.id, method="online").count() == 1
    assert await LedgerEntry.filter(account_id=account.id).count() == 1
    assert (await TopupIntent.get(id=intent.id)).status == "succeeded"
    assert await ledger_violations() == []
