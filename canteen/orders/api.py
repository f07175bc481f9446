from datetime import date
from typing import Any

from pydantic import TypeAdapter, ValidationError

from canteen.errors import (
    DinerInactive,
    Forbidden,
    IdempotencyKeyReused,
    InsufficientBalance,
    InvalidInput,
    NotFound,
    NotOnMenu,
    OrderCutoffPassed,
    OrderExists,
    OrderNotOpen,
    StopAlreadyRecorded,
    UnknownOffering,
)
from canteen.http.endpoint import Call, Endpoint, reply
from canteen.orders import menus, runs, service
from canteen.orders.schemas import (
    MenuIn,
    MenuItemOut,
    MenuOut,
    MenuQuery,
    MenusOut,
    OrderIn,
    OrderOut,
    OrderQuery,
    OutcomeIn,
    RunIn,
    RunOrderIn,
    RunOut,
    RunQuery,
    RunsOut,
    StopOut,
)
from canteen.schemas import Day, ListOf

_DAY = TypeAdapter(Day)


def _path_day(call: Call) -> date:
    try:
        return _DAY.validate_python(call.path("date"))
    except ValidationError as exc:
        raise InvalidInput.on("date", "a day, as YYYY-MM-DD") from exc


def menu_out(on: date, day: menus.DayMenu) -> MenuOut:
    return MenuOut(
        date=on,
        meals={
            meal_type: [
                MenuItemOut(
                    offering_id=s.offering.id,
                    name=s.offering.name,
                    price_fen=s.offering.price_fen,
                    tags=s.offering.tags,
                    dishes=s.dishes,
                    allergens=s.allergens,
                )
                for s in served
            ]
            for meal_type, served in day.items()
        },
    )


async def set_menu(call: Call) -> MenuOut:
    body: MenuIn = call.body
    on = _path_day(call)
    meals: dict[str, list[dict[str, Any]]] = {
        m: [i.model_dump() for i in items] for m, items in body.meals.items()
    }
    return menu_out(on, await menus.set_menu(call.actor, call.path("canteen_id"), on, meals))


async def list_menus(call: Call) -> MenusOut:
    q: MenuQuery = call.query
    days = await menus.menus(call.actor, call.path("canteen_id"), q.from_, q.to)
    return MenusOut(items=[menu_out(on, day) for on, day in days.items()])


async def place(call: Call) -> Any:
    b: OrderIn = call.body
    placing = service.Placing(
        b.diner_id, b.canteen_id, b.date, b.meal_type, b.offering_id, b.delivery, b.note
    )
    order = await service.place(call.actor, placing, call.idempotency)
    return reply(201, order.model_dump(mode="json"))


async def cancel(call: Call) -> OrderOut:
    return await service.cancel(call.actor, call.path("order_id"))


async def list_orders(call: Call) -> ListOf[OrderOut]:
    q: OrderQuery = call.query
    wanted = service.OrderFilter(q.canteen_id, q.date, q.meal_type, q.status, q.diner_id)
    page = await service.list_orders(call.actor, wanted, q.limit, q.cursor)
    return ListOf[OrderOut](
        items=[service.order_out(o) for o in page.items], next_cursor=page.next_cursor
    )


async def create_run(call: Call) -> Any:
    b: RunIn = call.body
    planning = runs.Planning(b.date, b.meal_type, b.deliverer_user_id)
    run = await runs.create_run(call.actor, call.path("canteen_id"), planning)
    return reply(201, run.model_dump(mode="json"))


async def get_run(call: Call) -> RunOut:
    return await runs.get_run(call.actor, call.path("run_id"))


async def my_runs(call: Call) -> RunsOut:
    q: RunQuery = call.query
    return RunsOut(items=await runs.my_runs(call.actor, q.date))


async def reorder_run(call: Call) -> RunOut:
    b: RunOrderIn = call.body
    return await runs.reorder(call.actor, call.path("run_id"), b.stop_ids)


async def record_outcome(call: Call) -> StopOut:
    b: OutcomeIn = call.body
    report = runs.Report(b.outcome, b.payment, b.note)
    return await runs.record_outcome(call.actor, call.path("stop_id"), report, call.idempotency)


ENDPOINTS = [
    Endpoint(
        "PUT",
        "/canteens/{canteen_id:int}/menus/{date}",
        set_menu,
        "Set a day's menu whole: which offerings each meal serves, their dishes and allergens",
        action="menus.write",
        body=MenuIn,
        response=MenuOut,
        errors=(NotFound, Forbidden, UnknownOffering, InvalidInput),
    ),
    Endpoint(
        "GET",
        "/canteens/{canteen_id:int}/menus",
        list_menus,
        "A canteen's menus from one day to another (both included; at most 62 days)",
        action="menus.read",
        query=MenuQuery,
        response=MenusOut,
        errors=(NotFound,),
    ),
    Endpoint(
        "POST",
        "/orders",
        place,
        "Order a meal ahead, to eat in or to be brought home; no money moves until hand-over",
        action="orders.place",
        body=OrderIn,
        response=OrderOut,
        status=201,
        idempotent=True,
        errors=(
            NotFound,
            Forbidden,
            DinerInactive,
            OrderCutoffPassed,
            NotOnMenu,
            OrderExists,
            InsufficientBalance,
            IdempotencyKeyReused,
        ),
    ),
    Endpoint(
        "POST",
        "/orders/{order_id:int}/cancel",
        cancel,
        "Cancel an order before the cut-off, at no cost (a manager may after it, audited)",
        action="orders.cancel",
        response=OrderOut,
        errors=(NotFound, OrderCutoffPassed, OrderNotOpen),
    ),
    Endpoint(
        "GET",
        "/orders",
        list_orders,
        "Orders ahead, newest first, in the caller's reach",
        action="orders.read",
        query=OrderQuery,
        response=ListOf[OrderOut],
        errors=(InvalidInput,),
    ),
    Endpoint(
        "POST",
        "/canteens/{canteen_id:int}/delivery-runs",
        create_run,
        "Make a delivery run of every placed delivery order of a day and meal on no run yet",
        action="deliveries.plan",
        body=RunIn,
        response=RunOut,
        status=201,
        errors=(NotFound, Forbidden, InvalidInput),
    ),
    Endpoint(
        "GET",
        "/delivery-runs/{run_id:int}",
        get_run,
        "A delivery run and its stops in walking order",
        action="deliveries.read",
        response=RunOut,
        errors=(NotFound,),
    ),
    Endpoint(
        "POST",
        "/delivery-runs/{run_id:int}/order",
        reorder_run,
        "Put a run's stops in another walking order (every stop, once each)",
        action="deliveries.plan",
        body=RunOrderIn,
        response=RunOut,
        errors=(NotFound, InvalidInput),
    ),
    Endpoint(
        "GET",
        "/me/delivery-runs",
        my_runs,
        "The runs the caller delivers on a day (today by default)",
        action="deliveries.mine",
        query=RunQuery,
        response=RunsOut,
        errors=(InvalidInput,),
    ),
    Endpoint(
        "POST",
        "/delivery-stops/{stop_id:int}/outcome",
        record_outcome,
        "Record what happened at a door: delivered (sold once), not home or refused (missed)",
        action="deliveries.record",
        body=OutcomeIn,
        response=StopOut,
        idempotent=True,
        errors=(
            NotFound,
            StopAlreadyRecorded,
            InsufficientBalance,
            OrderNotOpen,
            IdempotencyKeyReused,
        ),
    ),
]
