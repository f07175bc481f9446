from collections.abc import Awaitable, Callable

from starlette.responses import JSONResponse

from canteen.accounts import service
from canteen.accounts.models import LedgerEntry
from canteen.accounts.schemas import (
    AccountOut,
    AccountPatch,
    AdjustmentIn,
    CorrectionOut,
    LedgerEntryOut,
    RefundIn,
    TopupIn,
    TopupOut,
)
from canteen.errors import (
    DinerInactive,
    IdempotencyKeyReused,
    InsufficientBalance,
    InvalidAmount,
    NotFound,
)
from canteen.http.endpoint import Call, Endpoint, reply
from canteen.idempotency.service import once
from canteen.schemas import ListOf, ListQuery


async def get_account(call: Call) -> AccountOut:
    diner_id = call.path("diner_id")
    account = await service.get_account(call.actor, diner_id)
    return AccountOut(
        diner_id=diner_id, balance_fen=account.balance_fen, low_balance_fen=account.low_balance_fen
    )


async def set_low_balance(call: Call) -> AccountOut:
    body: AccountPatch = call.body
    diner_id = call.path("diner_id")
    account = await service.set_low_balance(call.actor, diner_id, body.low_balance_fen)
    return AccountOut(
        diner_id=diner_id, balance_fen=account.balance_fen, low_balance_fen=account.low_balance_fen
    )


async def top_up(call: Call) -> JSONResponse:
    body: TopupIn = call.body

    async def effect() -> dict:
        credited = await service.top_up(call.actor, call.path("diner_id"), **body.model_dump())
        out = TopupOut(
            topup_id=credited.topup.id,
            amount_fen=credited.topup.amount_fen,
            balance_fen=credited.balance_after_fen,
        )
        return out.model_dump(mode="json")

    return reply(*await once(call.idempotency, 201, effect))


def correction_out(diner_id: int, entry: LedgerEntry) -> dict:
    out = CorrectionOut(
        entry_id=entry.id,
        diner_id=diner_id,
        kind=entry.kind,  # type: ignore[arg-type]
        amount_fen=entry.amount_fen,
        balance_fen=entry.balance_after_fen,
    )
    return out.model_dump(mode="json")


async def _correct(call: Call, correction: Callable[..., Awaitable[LedgerEntry]]) -> JSONResponse:
    """A refund or an adjustment: the service's entry, answered once per Idempotency-Key."""
    diner_id = call.path("diner_id")

    async def effect() -> dict:
        entry = await correction(call.actor, diner_id, **call.body.model_dump())
        return correction_out(diner_id, entry)

    return reply(*await once(call.idempotency, 201, effect))


async def refund(call: Call) -> JSONResponse:
    return await _correct(call, service.refund)


async def adjust(call: Call) -> JSONResponse:
    return await _correct(call, service.adjust)


async def ledger(call: Call) -> ListOf[LedgerEntryOut]:
    page = await service.ledger(
        call.actor, call.path("diner_id"), call.query.limit, call.query.cursor
    )
    return ListOf[LedgerEntryOut](
        items=[LedgerEntryOut.model_validate(e, from_attributes=True) for e in page.items],
        next_cursor=page.next_cursor,
    )


ENDPOINTS = [
    Endpoint(
        "GET",
        "/diners/{diner_id:int}/account",
        get_account,
        "A diner's account balance",
        action="accounts.read",
        response=AccountOut,
        errors=(NotFound,),
    ),
    Endpoint(
        "PATCH",
        "/diners/{diner_id:int}/account",
        set_low_balance,
        "Set the low-balance warning threshold (family for their linked elders)",
        action="accounts.set_threshold",
        body=AccountPatch,
        response=AccountOut,
        errors=(NotFound, InvalidAmount),
    ),
    Endpoint(
        "POST",
        "/diners/{diner_id:int}/topups",
        top_up,
        "Money received at the counter",
        action="accounts.topup",
        body=TopupIn,
        response=TopupOut,
        status=201,
        idempotent=True,
        errors=(NotFound, InvalidAmount, IdempotencyKeyReused, DinerInactive),
    ),
    Endpoint(
        "POST",
        "/diners/{diner_id:int}/refunds",
        refund,
        "Hand part or all of a balance back to the family (cash, or transfer with a reference)",
        action="accounts.refund",
        body=RefundIn,
        response=CorrectionOut,
        status=201,
        idempotent=True,
        errors=(NotFound, InvalidAmount, InsufficientBalance, IdempotencyKeyReused),
    ),
    Endpoint(
        "POST",
        "/diners/{diner_id:int}/adjustments",
        adjust,
        "An admin's signed correction of a balance, with its reason",
        action="accounts.adjust",
        body=AdjustmentIn,
        response=CorrectionOut,
        status=201,
        idempotent=True,
        errors=(NotFound, InvalidAmount, InsufficientBalance, IdempotencyKeyReused),
    ),
    Endpoint(
        "GET",
        "/diners/{diner_id:int}/ledger",
        ledger,
        "An account's ledger, newest first",
        action="accounts.read",
        query=ListQuery,
        response=ListOf[LedgerEntryOut],
        errors=(NotFound,),
    ),
]
