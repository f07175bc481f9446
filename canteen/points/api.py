from datetime import date

from canteen import clock
from canteen.config import get_settings
from canteen.errors import InsufficientPoints, NotFound
from canteen.http.endpoint import Call, Endpoint
from canteen.points import service
from canteen.points.schemas import (
    MineEntryOut,
    MineOut,
    RedeemIn,
    RedeemOut,
    SpanQuery,
    TableOut,
    VolunteerPointsOut,
)
from canteen.schemas import ListQuery


async def my_points(call: Call) -> MineOut:
    q: ListQuery = call.query
    mine = await service.mine(call.actor, limit=q.limit, cursor=q.cursor)
    return MineOut(
        balance=mine.balance,
        earned=mine.earned,
        redeemed=mine.redeemed,
        items=[
            MineEntryOut.model_validate({**service.entry_out(e), **mine.about.get(e.id, {})})
            for e in mine.entries.items
        ],
        next_cursor=mine.entries.next_cursor,
    )


def default_span(q: SpanQuery) -> tuple[date, date]:
    """``from`` defaults to the first of this month, ``to`` to today (local days)."""
    today = clock.today(get_settings().tz)
    end = q.to or today
    return q.from_ or min(today.replace(day=1), end), end


async def volunteers_points(call: Call) -> TableOut:
    start, end = default_span(call.query)
    rows = await service.table(call.actor, start, end)
    return TableOut(
        from_=start, to=end, items=[VolunteerPointsOut.model_validate(r.__dict__) for r in rows]
    )


async def redeem(call: Call) -> RedeemOut:
    body: RedeemIn = call.body
    done = await service.redeem(
        call.actor,
        call.path("user_id"),
        service.Redemption(points=body.points, item=body.item),
        call.idempotency,
    )
    return RedeemOut.model_validate(done)


ENDPOINTS = [
    Endpoint(
        "GET",
        "/me/points",
        my_points,
        "My points (红马甲积分): balance, earned and redeemed, and the entries, newest first",
        action="points.mine",
        query=ListQuery,
        response=MineOut,
    ),
    Endpoint(
        "GET",
        "/volunteers/points",
        volunteers_points,
        "Every volunteer's points earned and redeemed from `from` to `to`, and held now",
        action="points.read",
        query=SpanQuery,
        response=TableOut,
    ),
    Endpoint(
        "POST",
        "/volunteers/{user_id:int}/points/redeem",
        redeem,
        "Exchange a volunteer's points for an item (never below zero); audited",
        action="points.redeem",
        body=RedeemIn,
        response=RedeemOut,
        status=201,
        idempotent=True,
        errors=(NotFound, InsufficientPoints),
    ),
]
