from typing import Any

from canteen.errors import IdempotencyKeyReused, InvalidInput, NotFound
from canteen.http.endpoint import Call, Endpoint, reply
from canteen.offline import service
from canteen.offline.models import OfflineSale
from canteen.offline.schemas import (
    OfflineBatchIn,
    OfflineBatchOut,
    ReconciliationOut,
    ReconciliationQuery,
    SnapshotOut,
)
from canteen.schemas import ListOf


async def snapshot(call: Call) -> SnapshotOut:
    return await service.snapshot(call.actor, call.path("canteen_id"))


async def sync(call: Call) -> Any:
    body: OfflineBatchIn = call.body
    results = await service.sync(call.actor, body.canteen_id, body.sales)
    return reply(200, OfflineBatchOut(results=results).model_dump(mode="json"))


def _out(row: OfflineSale) -> ReconciliationOut:
    return ReconciliationOut(
        id=row.id,
        key=row.key,
        outcome=row.outcome,  # type: ignore[arg-type]
        reason=row.reason,
        meal_id=row.meal_id,
        diner_id=row.diner_id,
        diner_name=row.diner.name if row.diner else "",
        sold_by=row.sold_by.username,
        payment=row.payment,
        made_at=row.made_at,
        synced_at=row.synced_at,
        price_fen=row.price_fen,
        told_pay_fen=row.told_pay_fen,
        counter_subsidy_fen=row.counter_subsidy_fen,
        subsidy_fen=row.subsidy_fen,
        paid_fen=row.paid_fen,
        operator_fen=row.operator_fen,
    )


async def reconciliations(call: Call) -> ListOf[ReconciliationOut]:
    q: ReconciliationQuery = call.query
    page = await service.reconciliations(
        call.actor, call.path("canteen_id"), q.date, q.limit, q.cursor
    )
    return ListOf[ReconciliationOut](
        items=[_out(row) for row in page.items], next_cursor=page.next_cursor
    )


ENDPOINTS = [
    Endpoint(
        "GET",
        "/canteens/{canteen_id:int}/offline-snapshot",
        snapshot,
        "What the canteen's counter sells from without the server: signed, expiring",
        action="offline.snapshot",
        response=SnapshotOut,
        errors=(NotFound,),
    ),
    Endpoint(
        "POST",
        "/offline-sales",
        sync,
        "A counter's sales made offline, in order: each applied once through the sale",
        action="offline.sync",
        body=OfflineBatchIn,
        response=OfflineBatchOut,
        errors=(NotFound, InvalidInput, IdempotencyKeyReused),
    ),
    Endpoint(
        "GET",
        "/canteens/{canteen_id:int}/offline-reconciliations",
        reconciliations,
        "The canteen's offline sales not applied as sold: reason, and what the operator bears",
        action="offline.read",
        query=ReconciliationQuery,
        response=ListOf[ReconciliationOut],
        errors=(NotFound, InvalidInput),
    ),
]
