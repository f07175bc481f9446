from starlette.responses import JSONResponse

from canteen.errors import (
    AlreadyReversed,
    Forbidden,
    IdempotencyKeyReused,
    InvalidAmount,
    NotFound,
)
from canteen.finance import service
from canteen.finance.models import FinanceEntry
from canteen.finance.schemas import FinanceIn, FinanceOut, FinanceQuery, ReversalIn
from canteen.http.endpoint import Call, Endpoint, reply
from canteen.idempotency.service import once
from canteen.schemas import ListOf


def entry_out(entry: FinanceEntry) -> FinanceOut:
    return FinanceOut(
        id=entry.id,
        canteen_id=entry.canteen_id,
        date=entry.local_date,
        kind=entry.kind,
        category=entry.category,
        amount_fen=entry.amount_fen,
        note=entry.note,
        created_by=entry.created_by_id,
        created_at=entry.created_at,
        reverses_id=entry.reverses_id,
    )


async def record(call: Call) -> JSONResponse:
    body: FinanceIn = call.body

    async def effect() -> dict:
        entry = await service.record(
            call.actor,
            call.path("canteen_id"),
            on=body.date,
            kind=body.kind,
            category=body.category,
            amount_fen=body.amount_fen,
            note=body.note,
        )
        return entry_out(entry).model_dump(mode="json")

    return reply(*await once(call.idempotency, 201, effect))


async def reverse(call: Call) -> JSONResponse:
    body: ReversalIn = call.body

    async def effect() -> dict:
        entry = await service.reverse(
            call.actor, call.path("canteen_id"), call.path("entry_id"), reason=body.reason
        )
        return entry_out(entry).model_dump(mode="json")

    return reply(*await once(call.idempotency, 201, effect))


async def list_entries(call: Call) -> ListOf[FinanceOut]:
    q: FinanceQuery = call.query
    page = await service.list_entries(
        call.actor, call.path("canteen_id"), start=q.from_, end=q.to, limit=q.limit, cursor=q.cursor
    )
    return ListOf[FinanceOut](
        items=[entry_out(e) for e in page.items], next_cursor=page.next_cursor
    )


ENDPOINTS = [
    Endpoint(
        "POST",
        "/canteens/{canteen_id:int}/finance",
        record,
        "Record a cost paid or a grant received by a canteen",
        action="finance.record",
        body=FinanceIn,
        response=FinanceOut,
        status=201,
        idempotent=True,
        errors=(NotFound, Forbidden, InvalidAmount, IdempotencyKeyReused),
    ),
    Endpoint(
        "POST",
        "/canteens/{canteen_id:int}/finance/{entry_id:int}/reverse",
        reverse,
        "Undo a cost or grant entered by mistake with a reversing entry (at most once)",
        action="finance.reverse",
        body=ReversalIn,
        response=FinanceOut,
        status=201,
        idempotent=True,
        errors=(NotFound, Forbidden, AlreadyReversed, IdempotencyKeyReused),
    ),
    Endpoint(
        "GET",
        "/canteens/{canteen_id:int}/finance",
        list_entries,
        "A canteen's costs and grants between two dates, newest first",
        action="finance.read",
        query=FinanceQuery,
        response=ListOf[FinanceOut],
        errors=(NotFound, Forbidden),
    ),
]
