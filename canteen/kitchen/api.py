from canteen.canteens.schemas import MealType
from canteen.errors import Forbidden, InvalidInput, NotFound, UnknownOffering
from canteen.http.endpoint import Call, Endpoint
from canteen.kitchen import service
from canteen.kitchen.schemas import (
    CookedIn,
    ForecastWeek,
    KitchenCountOut,
    KitchenQuery,
    OfferingCountOut,
    Ordered,
)
from canteen.web import i18n
from reports import kitchen


def _out(day: service.KitchenDay, meal_type: MealType, basis: str) -> KitchenCountOut:
    found = day.count
    return KitchenCountOut(
        canteen_id=day.canteen_id,
        date=found.on,
        meal_type=meal_type,
        ordered=Ordered(eat_in=found.eat_in, delivery=found.delivery),
        by_offering=[
            OfferingCountOut(
                offering_id=row.offering_id,
                name=day.names.get(row.offering_id, ""),
                ordered=Ordered(eat_in=row.eat_in, delivery=row.delivery),
                forecast_walk_ins=row.walk_ins,
                to_cook=row.to_cook,
                cooked=row.cooked,
                sold=row.sold,
                left_over=row.left_over,
            )
            for row in found.by_offering
        ],
        forecast_walk_ins=found.forecast.walk_ins,
        to_cook=found.to_cook,
        basis=basis,
        basis_weeks=[ForecastWeek(date=d, walk_ins=n) for d, n in found.forecast.weeks],
        basis_trend_per_week=round(found.forecast.trend, 2),
        cooked=found.cooked,
        sold=found.sold,
        left_over=found.left_over,
    )


async def kitchen_count(call: Call) -> KitchenCountOut:
    q: KitchenQuery = call.query
    day = await service.kitchen_count(call.actor, call.path("canteen_id"), q.meal_type, q.date)
    return _out(day, q.meal_type, kitchen.basis(day.count, i18n.paper_words(call.request)))


async def record_cooked(call: Call) -> KitchenCountOut:
    body: CookedIn = call.body
    items = [service.CookedPortions(i.offering_id, i.portions) for i in body.cooked]
    day = await service.record_cooked(
        call.actor, call.path("canteen_id"), body.date, body.meal_type, items
    )
    return _out(day, body.meal_type, kitchen.basis(day.count, i18n.paper_words(call.request)))


ENDPOINTS = [
    Endpoint(
        "GET",
        "/canteens/{canteen_id:int}/kitchen-count",
        kitchen_count,
        "How many of each dish to cook for a day and meal: orders, plus walk-ins forecast",
        action="kitchen.read",
        query=KitchenQuery,
        response=KitchenCountOut,
        errors=(NotFound,),
    ),
    Endpoint(
        "PUT",
        "/canteens/{canteen_id:int}/kitchen-count/cooked",
        record_cooked,
        "Record the portions of each offering cooked for a day's meal; answers the kitchen count"
        " with cooked, sold and left over",
        action="kitchen.record",
        body=CookedIn,
        response=KitchenCountOut,
        errors=(NotFound, Forbidden, UnknownOffering, InvalidInput),
    ),
]
