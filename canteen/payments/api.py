from canteen import clock
from canteen.errors import (
    AmountMismatch,
    BadSignature,
    DinerInactive,
    IntentAlreadyPaid,
    IntentExpired,
    InvalidAmount,
    MalformedRequest,
    NoPaymentProvider,
    NotFound,
    PayloadTooLarge,
    ProviderUnavailable,
)
from canteen.http.endpoint import Call, Endpoint, _read_body
from canteen.payments import service
from canteen.payments.models import TopupIntent
from canteen.payments.schemas import IntentCreated, IntentIn, IntentOut, NotifyOut


def intent_out(intent: TopupIntent) -> IntentOut:
    return IntentOut(
        intent_id=intent.id,
        status=service.shown_status(intent, clock.now()),  # type: ignore[arg-type]
        amount_fen=intent.amount_fen,
        pay_url=intent.pay_url,
        diner_id=intent.diner_id,
        provider=intent.provider,
        created_at=intent.created_at,
        expires_at=intent.expires_at,
        paid_at=intent.paid_at,
        topup_id=intent.topup_id,
    )


async def create_intent(call: Call) -> IntentCreated:
    body: IntentIn = call.body
    intent = await service.create_intent(
        call.actor, call.path("diner_id"), body.amount_fen, body.provider
    )
    return IntentCreated(
        intent_id=intent.id, status="pending", amount_fen=intent.amount_fen, pay_url=intent.pay_url
    )


async def get_intent(call: Call) -> IntentOut:
    return intent_out(await service.get_intent(call.actor, call.path("intent_id")))


async def payment_notification(call: Call) -> NotifyOut:
    """The provider's signed word; the raw body is what its signature covers."""
    body = await _read_body(call.request, call.settings.max_body_bytes)
    received = await service.receive_notification(call.path("provider"), call.request.headers, body)
    return NotifyOut(
        intent_id=received.intent.id,
        status=received.intent.status,  # type: ignore[arg-type]
        credited=received.credited,
    )


ENDPOINTS = [
    Endpoint(
        "POST",
        "/diners/{diner_id:int}/topup-intents",
        create_intent,
        "Start an online top-up; the payer confirms at pay_url",
        action="payments.create_intent",
        body=IntentIn,
        response=IntentCreated,
        status=201,
        errors=(NotFound, InvalidAmount, DinerInactive, NoPaymentProvider, ProviderUnavailable),
    ),
    Endpoint(
        "GET",
        "/topup-intents/{intent_id:int}",
        get_intent,
        "An online top-up's status",
        action="payments.read_intent",
        response=IntentOut,
        errors=(NotFound,),
    ),
    Endpoint(
        "POST",
        "/payments/{provider}/notify",
        payment_notification,
        "A payment provider's signed notification (public; its signature authenticates it)",
        action=None,
        response=NotifyOut,
        errors=(
            BadSignature,
            MalformedRequest,
            NotFound,
            AmountMismatch,
            IntentExpired,
            IntentAlreadyPaid,
            PayloadTooLarge,
        ),
    ),
]
