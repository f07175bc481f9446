"""Online top-ups through the API: the balance moves only on the provider's signed word, once."""

import json
from datetime import timedelta

import pytest

from canteen import clock
from canteen.accounts.invariants import ledger_violations
from canteen.accounts.models import Topup
from canteen.errors import IntentAlreadyPaid
from canteen.payments import providers
from canteen.payments import service as payments
from canteen.payments.models import TopupIntent
from canteen.payments.providers import Payment
from tests.payments.conftest import link_family, notify

pytestmark = pytest.mark.usefixtures("sandbox_on")  # online top-ups through the sandbox


async def open_intent(linked, amount_fen: int = 5000) -> dict:
    r = await linked.family.post(
        f"/diners/{linked.diner_id}/topup-intents", {"amount_fen": amount_fen}
    )
    assert r.status_code == 201, r.text
    return r.json()


class TestOpeningAnIntent:
    async def test_a_family_member_opens_one_and_nothing_is_credited_yet(self, linked):
        intent = await open_intent(linked)
        assert intent["status"] == "pending" and intent["amount_fen"] == 5000
        assert intent["pay_url"] == f"/payments/sandbox/pay/{intent['intent_id']}"
        assert await linked.balance() == 0
        shown = (await linked.family.get(f"/topup-intents/{intent['intent_id']}")).json()
        assert shown["status"] == "pending" and shown["provider"] == "sandbox"
        assert shown["topup_id"] is None and shown["diner_id"] == linked.diner_id

    @pytest.mark.parametrize("amount", [0, -100, 500_001, "5000", 50.0, True, None])
    async def test_an_amount_outside_1_to_500000_fen_is_refused(self, linked, amount):
        r = await linked.family.post(
            f"/diners/{linked.diner_id}/topup-intents", {"amount_fen": amount}
        )
        assert (r.status_code, r.json()["code"]) == (422, "invalid_amount")
        assert await TopupIntent.all().count() == 0

    @pytest.mark.parametrize("amount", [1, 500_000])
    async def test_the_limits_themselves_are_allowed(self, linked, amount):
        assert (await open_intent(linked, amount))["amount_fen"] == amount

    async def test_an_unknown_provider_is_refused(self, linked):
        r = await linked.family.post(
            f"/diners/{linked.diner_id}/topup-intents", {"amount_fen": 100, "provider": "paypal"}
        )
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "provider"

    async def test_the_office_may_open_one_for_any_diner(self, linked, as_role):
        staff = await as_role("staff")
        r = await staff.post(f"/diners/{linked.diner_id}/topup-intents", {"amount_fen": 100})
        assert r.status_code == 201

    async def test_a_counter_role_may_not(self, linked, as_role):
        canteen = (await linked.admin.post("/canteens", {"name": "A"})).json()["id"]
        cashier = await as_role("cashier", canteen_id=canteen)
        r = await cashier.post(f"/diners/{linked.diner_id}/topup-intents", {"amount_fen": 100})
        assert (r.status_code, r.json()["code"]) == (403, "forbidden")

    async def test_another_familys_elder_does_not_exist_for_them(self, linked, admin, as_role):
        other = await link_family(admin, as_role, name="李建国")
        r = await other.family.post(f"/diners/{linked.diner_id}/topup-intents", {"amount_fen": 100})
        assert (r.status_code, r.json()["code"]) == (404, "not_found")
        mine = await open_intent(linked)
        r = await other.family.get(f"/topup-intents/{mine['intent_id']}")
        assert (r.status_code, r.json()["code"]) == (404, "not_found")
        assert (await linked.family.get("/topup-intents/999999")).status_code == 404

    async def test_not_for_a_deceased_diner(self, linked):
        await linked.admin.patch(f"/diners/{linked.diner_id}", {"status": "deceased"})
        r = await linked.family.post(
            f"/diners/{linked.diner_id}/topup-intents", {"amount_fen": 100}
        )
        assert (r.status_code, r.json()["code"]) == (409, "diner_inactive")


class TestTheProvidersNotification:
    async def test_it_credits_the_balance_with_an_online_topup(self, linked, client, sandbox):
        intent = await open_intent(linked)
        r = await notify(client, *sandbox.notification(intent["intent_id"], 5000))
        assert r.status_code == 200, r.text
        assert r.json() == {
            "intent_id": intent["intent_id"],
            "status": "succeeded",
            "credited": True,
        }
        assert await linked.balance() == 5000
        shown = (await linked.family.get(f"/topup-intents/{intent['intent_id']}")).json()
        assert shown["status"] == "succeeded" and shown["paid_at"] is not None
        ledger = (await linked.admin.get(f"/diners/{linked.diner_id}/ledger")).json()["items"]
        assert [(e["kind"], e["amount_fen"], e["balance_after_fen"]) for e in ledger] == [
            ("topup", 5000, 5000)
        ]
        topup = await Topup.get(id=shown["topup_id"])
        assert ledger[0]["topup_id"] == topup.id
        assert topup.method == "online"
        assert topup.reference == sandbox.transaction_id(intent["intent_id"])
        assert topup.received_by_id is None  # type: ignore[attr-defined]
        assert await ledger_violations() == []

    async def test_a_replay_answers_200_and_credits_nothing_more(self, linked, client, sandbox):
        intent = await open_intent(linked)
        headers, body = sandbox.notification(intent["intent_id"], 5000)
        first = await notify(client, headers, body)
        again = [await notify(client, headers, body) for _ in range(3)]
        resent = await notify(client, *sandbox.notification(intent["intent_id"], 5000))
        assert first.json()["credited"] is True
        assert [(r.status_code, r.json()["credited"]) for r in [*again, resent]] == [
            (200, False)
        ] * 4
        assert await linked.balance() == 5000
        assert await Topup.all().count() == 1

    async def test_a_bad_signature_credits_nothing(self, linked, client, sandbox):
        intent = await open_intent(linked)
        headers, body = sandbox.notification(intent["intent_id"], 5000)
        forged = json.loads(body) | {"amount_fen": 500_000}
        attempts = [
            (headers, json.dumps(forged).encode()),  # body changed after signing
            ({"Content-Type": "application/json"}, body),  # no signature
            ({sandbox.HEADER: "t=1,v1=00"}, body),
            ({sandbox.HEADER: headers[sandbox.HEADER].replace("v1=", "v1=0")}, body),
        ]
        for h, b in attempts:
            r = await notify(client, h, b)
            assert (r.status_code, r.json()["code"]) == (401, "bad_signature"), r.text
        assert await linked.balance() == 0
        shown = (await linked.family.get(f"/topup-intents/{intent['intent_id']}")).json()
        assert shown["status"] == "pending"

    async def test_a_notification_signed_with_another_key_is_refused(
        self, linked, client, sandbox, monkeypatch
    ):
        intent = await open_intent(linked)
        monkeypatch.setattr(
            providers, "derive_key", lambda purpose: b"another installation's key 32 by"
        )
        headers, body = sandbox.notification(intent["intent_id"], 5000)
        monkeypatch.undo()
        r = await notify(client, headers, body)
        assert (r.status_code, r.json()["code"]) == (401, "bad_signature")
        assert await linked.balance() == 0

    async def test_an_old_notification_is_refused(self, linked, client, sandbox):
        intent = await open_intent(linked)
        old = clock.now() - timedelta(seconds=sandbox.TOLERANCE_SECONDS + 5)
        r = await notify(client, *sandbox.notification(intent["intent_id"], 5000, signed_at=old))
        assert (r.status_code, r.json()["code"]) == (401, "bad_signature")
        assert await linked.balance() == 0

    async def test_another_amount_is_a_conflict_and_credits_nothing(self, linked, client, sandbox):
        intent = await open_intent(linked)
        r = await notify(client, *sandbox.notification(intent["intent_id"], 4999))
        assert (r.status_code, r.json()["code"]) == (409, "amount_mismatch")
        assert await linked.balance() == 0
        assert (await linked.family.get(f"/topup-intents/{intent['intent_id']}")).json()[
            "status"
        ] == "pending"
        # The right amount afterwards is still credited, once.
        ok = await notify(client, *sandbox.notification(intent["intent_id"], 5000))
        assert ok.json()["credited"] is True and await linked.balance() == 5000

    async def test_an_unknown_intent_is_404(self, linked, client, sandbox):
        r = await notify(client, *sandbox.notification(987654, 5000))
        assert (r.status_code, r.json()["code"]) == (404, "not_found")
        assert await Topup.all().count() == 0

    async def test_an_unknown_provider_is_404(self, linked, client, sandbox):
        intent = await open_intent(linked)
        r = await notify(client, *sandbox.notification(intent["intent_id"], 5000), provider="wx")
        assert (r.status_code, r.json()["code"]) == (404, "not_found")
        assert await linked.balance() == 0

    async def test_a_failed_payment_can_be_retried_before_expiry(self, linked, client, sandbox):
        intent = await open_intent(linked)
        r = await notify(client, *sandbox.notification(intent["intent_id"], 5000, "failed"))
        assert r.json() == {"intent_id": intent["intent_id"], "status": "failed", "credited": False}
        assert await linked.balance() == 0
        r = await notify(client, *sandbox.notification(intent["intent_id"], 5000))
        assert r.json()["credited"] is True and await linked.balance() == 5000

    async def test_one_payment_never_pays_two_intents(self, linked):
        first, second = await open_intent(linked), await open_intent(linked)
        paid_at = clock.now()
        payment = Payment(first["intent_id"], "T-1", 5000, "succeeded", paid_at)
        assert (await payments.apply_payment("sandbox", payment)).credited
        with pytest.raises(IntentAlreadyPaid):
            await payments.apply_payment(
                "sandbox", Payment(second["intent_id"], "T-1", 5000, "succeeded", paid_at)
            )
        with pytest.raises(IntentAlreadyPaid):
            await payments.apply_payment(
                "sandbox", Payment(first["intent_id"], "T-2", 5000, "succeeded", paid_at)
            )
        assert await linked.balance() == 5000
        assert (await TopupIntent.get(id=second["intent_id"])).status == "pending"


class TestExpiry:
    async def test_an_unpaid_intent_expires_after_30_minutes(self, linked, client, sandbox):
        intent = await open_intent(linked)
        later = clock.now() + timedelta(minutes=payments.INTENT_MINUTES, seconds=1)
        with clock.frozen_at(later):
            shown = (await linked.family.get(f"/topup-intents/{intent['intent_id']}")).json()
            assert shown["status"] == "expired", "shown as expired before the sweep ran"
            assert await payments.expire_intents(clock.now()) == 1
            assert await payments.expire_intents(clock.now()) == 0
            r = await notify(client, *sandbox.notification(intent["intent_id"], 5000))
        assert (r.status_code, r.json()["code"]) == (409, "intent_expired")
        assert await linked.balance() == 0
        assert (await TopupIntent.get(id=intent["intent_id"])).status == "expired"

    async def test_a_payment_made_in_time_counts_however_late_its_word_arrives(
        self, linked, client, sandbox
    ):
        intent = await open_intent(linked)
        paid = clock.now() + timedelta(minutes=29)
        headers, body = sandbox.notification(intent["intent_id"], 5000, signed_at=paid)
        with clock.frozen_at(paid + timedelta(minutes=3)):
            assert await payments.expire_intents(clock.now()) == 1
            r = await notify(client, headers, body)
        assert r.json()["credited"] is True and await linked.balance() == 5000

    async def test_a_paid_intent_never_expires(self, linked, client, sandbox):
        intent = await open_intent(linked)
        await notify(client, *sandbox.notification(intent["intent_id"], 5000))
        with clock.frozen_at(clock.now() + timedelta(hours=2)):
            assert await payments.expire_intents(clock.now()) == 0
            shown = (await linked.family.get(f"/topup-intents/{intent['intent_id']}")).json()
        assert shown["status"] == "succeeded"


class TestCounterTopupsAreUnchanged:
    async def test_the_counter_still_takes_cash_and_transfer_but_not_online(self, linked):
        r = await linked.admin.post(
            f"/diners/{linked.diner_id}/topups", {"amount_fen": 700, "method": "cash"}
        )
        assert r.status_code == 201 and r.json()["balance_fen"] == 700
        r = await linked.admin.post(
            f"/diners/{linked.diner_id}/topups", {"amount_fen": 700, "method": "online"}
        )
        assert r.status_code == 422
        r = await linked.family.post(
            f"/diners/{linked.diner_id}/topups", {"amount_fen": 700, "method": "cash"}
        )
        assert (r.status_code, r.json()["code"]) == (403, "forbidden")
        assert await linked.balance() == 700


async def test_with_the_sandbox_switched_off_it_cannot_be_used(
    linked, client, sandbox, monkeypatch
):
    intent = await open_intent(linked)
    monkeypatch.setattr(providers, "enabled", lambda: ())
    r = await notify(client, *sandbox.notification(intent["intent_id"], 5000))
    assert (r.status_code, r.json()["code"]) == (404, "not_found")
    r = await linked.family.post(f"/diners/{linked.diner_id}/topup-intents", {"amount_fen": 100})
    assert (r.status_code, r.json()["code"]) == (409, "no_payment_provider")
    assert await linked.balance() == 0
