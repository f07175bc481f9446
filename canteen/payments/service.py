"""Online top-ups: open an intent, credit it once when the provider confirms, expire the rest.

The rule that keeps the money right: a payment credits an account in the one transaction that
turns its intent ``succeeded``, and that turn is a conditional UPDATE from an open status. Of
twenty copies of one notification arriving at once, one UPDATE changes the row; on PostgreSQL
the others wait for its commit, find the intent no longer open, and answer as replays. The
unique (provider, provider_ref) stops one payment from paying two intents.

What a notification can meet, and the answer:

- a signature that does not check out: 401 ``bad_signature``, nothing read further;
- an unknown provider, or an intent it does not know: 404;
- another amount than the intent's: 409 ``amount_mismatch``, nothing credited, logged;
- the same payment again (a replay): 200, no second credit;
- another payment for an intent already paid: 409 ``intent_already_paid``, logged;
- a payment made after the intent expired: 409 ``intent_expired``, nothing credited, logged
  for a refund by hand (a real provider is told the closing time and refuses such payments).
  A payment made *before* expiry is credited however late its notification arrives, even if
  the intent was meanwhile marked expired: the provider's ``paid_at`` decides, not the
  arrival time.
"""

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from canteen import clock
from canteen.accounts import service as accounts
from canteen.accounts.models import account_of
from canteen.accounts.service import MAX_TOPUP_FEN
from canteen.diners import service as diners
from canteen.errors import (
    AmountMismatch,
    CanteenError,
    DinerInactive,
    IntentAlreadyPaid,
    IntentExpired,
    InvalidAmount,
    InvalidInput,
    NoPaymentProvider,
    NotFound,
    ProviderUnavailable,
)
from canteen.payments import providers
from canteen.payments.models import OPEN_STATUSES, TopupIntent
from canteen.payments.providers import Payment
from canteen.roles import Actor, require

log = logging.getLogger("canteen.payments")

INTENT_MINUTES = 30
"""An intent not paid within this long expires; the provider is told to close it then too."""
EXPIRE_BATCH = 500
CAN_SUCCEED = (*OPEN_STATUSES, "expired")
"""``expired`` too: a payment the provider made before the deadline still counts."""


@dataclass(frozen=True)
class Received:
    """What a notification did: the intent as it now stands, and whether this one credited it."""

    intent: TopupIntent
    credited: bool


def shown_status(intent: TopupIntent, now: datetime) -> str:
    """The status as the payer should see it: an open intent past its deadline is expired,
    even before the periodic task has written so."""
    if intent.status in OPEN_STATUSES and intent.expires_at <= now:
        return "expired"
    return intent.status


async def create_intent(
    actor: Actor, diner_id: int, amount_fen: int, provider_name: str | None = None
) -> TopupIntent:
    """Open an online top-up for a diner in the actor's reach; the payer goes to ``pay_url``.

    Two short writes with the provider's call between them (never a transaction held open over
    the network): the intent is stored first, because the provider needs its id.
    """
    require(actor, "payments.create_intent")
    names = providers.enabled()
    if not names:
        raise NoPaymentProvider(
            "Online top-ups are switched off here (no payment provider); top up at the counter."
        )
    if not 1 <= amount_fen <= MAX_TOPUP_FEN:
        raise InvalidAmount.on("amount_fen", f"must be 1 to {MAX_TOPUP_FEN} fen")
    name = provider_name or names[0]
    if name not in names:
        raise InvalidInput.on("provider", f"one of {', '.join(names)}")
    diner = await diners.get_diner(actor, diner_id)
    if diner.status == "deceased":
        raise DinerInactive(f"Diner {diner_id} is recorded as deceased; no money is taken.")
    now = clock.now()
    intent = await TopupIntent.create(
        diner=diner,
        account=account_of(diner),
        amount_fen=amount_fen,
        provider=name,
        created_by_id=actor.user_id,
        created_at=now,
        expires_at=now + timedelta(minutes=INTENT_MINUTES),
    )
    try:
        intent.pay_url = await providers.get(name).create_payment(intent)
    except Exception as exc:
        await TopupIntent.filter(id=intent.id, status="pending").update(status="failed")
        log.exception("payment provider %s could not open intent %s", name, intent.id)
        raise ProviderUnavailable(f"{name} could not open the payment; try again.") from exc
    await TopupIntent.filter(id=intent.id).update(pay_url=intent.pay_url)
    return intent


async def get_intent(actor: Actor, intent_id: int) -> TopupIntent:
    """An intent whose diner is in the actor's reach (a family user's linked elders), else 404."""
    require(actor, "payments.read_intent")
    intent = await TopupIntent.get_or_none(id=intent_id)
    if intent is None:
        raise NotFound(f"No top-up intent {intent_id}.")
    try:
        await diners.get_diner(actor, intent.diner_id)
    except NotFound:
        raise NotFound(f"No top-up intent {intent_id}.") from None
    return intent


async def receive_notification(
    provider_name: str, headers: Mapping[str, str], body: bytes
) -> Received:
    """A provider's notification, as it arrives at ``POST /payments/{provider}/notify``."""
    provider = providers.get(provider_name)
    return await apply_payment(provider_name, provider.verify_notification(headers, body))


async def apply_payment(provider_name: str, payment: Payment) -> Received:
    """Act on a payment the provider vouched for: credit once, or say why not."""
    intent = await TopupIntent.get_or_none(id=payment.intent_id, provider=provider_name)
    if intent is None:
        raise NotFound(f"{provider_name} knows no intent {payment.intent_id} here.")
    if payment.amount_fen != intent.amount_fen:
        log.error(
            "%s reports %s fen paid for intent %s of %s fen (transaction %s): not credited",
            provider_name,
            payment.amount_fen,
            intent.id,
            intent.amount_fen,
            payment.provider_ref,
        )
        raise AmountMismatch(
            f"Intent {intent.id} is for {intent.amount_fen} fen, not {payment.amount_fen}."
        )
    if payment.outcome == "failed":
        await TopupIntent.filter(id=intent.id, status="pending").update(status="failed")
        return Received(await TopupIntent.get(id=intent.id), credited=False)
    try:
        async with in_transaction():
            moved = await TopupIntent.filter(
                id=intent.id, status__in=CAN_SUCCEED, expires_at__gt=payment.paid_at
            ).update(status="succeeded", provider_ref=payment.provider_ref, paid_at=payment.paid_at)
            if moved:
                credited = await accounts.credit(
                    intent.account_id,
                    intent.amount_fen,
                    method="online",
                    reference=payment.provider_ref,
                    received_by_id=None,
                )
                await TopupIntent.filter(id=intent.id).update(topup_id=credited.topup.id)
    except IntegrityError as exc:
        log.error(
            "%s transaction %s already paid another intent", provider_name, payment.provider_ref
        )
        raise IntentAlreadyPaid(
            f"Transaction {payment.provider_ref} already paid another intent."
        ) from exc
    intent = await TopupIntent.get(id=intent.id)
    if moved:
        log.info("intent %s paid online: %s fen credited", intent.id, intent.amount_fen)
        return Received(intent, credited=True)
    if intent.status == "succeeded":
        if intent.provider_ref == payment.provider_ref:
            return Received(intent, credited=False)  # a replay
        log.error(
            "intent %s was paid by %s; %s reports another payment %s: refund it by hand",
            intent.id,
            intent.provider_ref,
            provider_name,
            payment.provider_ref,
        )
        raise IntentAlreadyPaid(f"Intent {intent.id} was already paid by another payment.")
    log.error(
        "%s reports payment %s for intent %s after it expired at %s: refund it by hand",
        provider_name,
        payment.provider_ref,
        intent.id,
        intent.expires_at.isoformat(),
    )
    raise IntentExpired(f"Intent {intent.id} expired at {intent.expires_at.isoformat()}.")


async def confirm_in_sandbox(actor: Actor, intent_id: int) -> Received:
    """The sandbox pay page's button: the sandbox signs and delivers its notification.

    It goes through ``receive_notification``, signature check included, exactly as a real
    provider's message does.
    """
    intent = await get_intent(actor, intent_id)
    sandbox = providers.sandbox()
    if intent.provider != sandbox.name:
        raise NotFound(f"Intent {intent_id} is not paid through the sandbox.")
    headers, body = sandbox.notification(intent.id, intent.amount_fen)
    return await receive_notification(sandbox.name, headers, body)


async def expire_intents(now: datetime) -> int:
    """Mark every open intent past its deadline ``expired``; how many. Bulk, not per intent.

    Each provider is asked first about the due intents (``query_status``): a payment whose
    notification was lost is credited instead of expired.
    """
    due = (
        await TopupIntent.filter(status__in=OPEN_STATUSES, expires_at__lte=now)
        .order_by("id")
        .limit(EXPIRE_BATCH)
    )
    for intent in due:
        provider = providers.REGISTERED.get(intent.provider)
        payment = await provider.query_status(intent) if provider else None
        if payment is not None and payment.outcome == "succeeded":
            try:
                await apply_payment(intent.provider, payment)
            except CanteenError as exc:
                log.error("reconciling intent %s: %s", intent.id, exc.detail)
    return await TopupIntent.filter(
        id__in=[intent.id for intent in due], status__in=OPEN_STATUSES, expires_at__lte=now
    ).update(status="expired")
