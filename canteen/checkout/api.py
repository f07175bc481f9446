from typing import Any

from canteen import clock
from canteen.checkout import counts, service
from canteen.checkout.models import Meal
from canteen.checkout.quotes import quote_out, subsidies
from canteen.checkout.schemas import (
    DinerFound,
    LookupQuery,
    MealCountOut,
    MealCountQuery,
    MealOut,
    MealQuery,
    OrderIn,
    QuoteOut,
    SaleIn,
    SaleOut,
    VoidIn,
)
from canteen.config import get_settings
from canteen.diners import service as diners
from canteen.errors import (
    AlreadyVoided,
    CardInvalid,
    CardRevoked,
    DinerInactive,
    Forbidden,
    IdempotencyKeyReused,
    IdentityChecksExhausted,
    IdentityNotConfirmed,
    InsufficientBalance,
    InvalidInput,
    ManualSaleCap,
    ManualSaleLimit,
    NotFound,
    OpenPriceNotAllowed,
    OutsideMealWindow,
    UnknownOffering,
)
from canteen.http.endpoint import Call, Endpoint, rendered, reply
from canteen.idempotency.service import once
from canteen.schemas import ListOf


def _who(body: OrderIn) -> service.Who:
    return service.Who(
        card_payload=body.card,
        card_serial=body.card_serial,
        diner_id=body.diner_id,
        manual_reason=body.manual_reason,
        answer=body.answer,
    )


def _order(body: OrderIn) -> service.Order:
    return service.Order(body.canteen_id, body.offering_id, body.meal_type, body.price_fen)


def meal_out(meal: Meal) -> MealOut:
    lines = list(meal.lines)
    return MealOut(
        meal_id=meal.id,
        canteen_id=meal.canteen_id,
        diner_id=meal.diner_id,
        meal_type=meal.meal_type,
        price_fen=meal.price_fen,
        subsidies=subsidies(line for line in lines if line.pays == "diner"),
        subsidy_fen=meal.subsidy_fen,
        pay_fen=meal.pay_fen,
        operator_subsidies=subsidies(line for line in lines if line.pays == "operator"),
        payment=meal.payment,
        at=meal.at,
        local_date=meal.local_date,
        policy_id=meal.policy_id,
        offering_id=meal.offering_id,
        manual_reason=meal.manual_reason,
        voided_at=meal.voided_at,
        void_reason=meal.void_reason,
        diner_name=meal.diner.name,
        sold_by=meal.sold_by.username,
        order_id=meal.order_id,
    )


async def quote(call: Call) -> QuoteOut:
    return quote_out(await service.quote(call.actor, _who(call.body), _order(call.body)))


async def sell(call: Call) -> Any:
    body: SaleIn = call.body
    receipt = await service.sell(
        call.actor, _who(body), _order(body), body.payment, call.idempotency
    )
    return rendered(201, receipt)


async def void(call: Call) -> Any:
    body: VoidIn = call.body

    async def effect() -> dict[str, Any]:
        await service.void(call.actor, call.path("meal_id"), body.reason)
        return meal_out(await service.get_meal(call.actor, call.path("meal_id"))).model_dump(
            mode="json"
        )

    return reply(*await once(call.idempotency, 200, effect))


async def get_meal(call: Call) -> MealOut:
    return meal_out(await service.get_meal(call.actor, call.path("meal_id")))


async def list_meals(call: Call) -> ListOf[MealOut]:
    q: MealQuery = call.query
    page = await service.list_meals(
        call.actor,
        canteen_id=q.canteen_id,
        on=q.date,
        diner_id=q.diner_id,
        limit=q.limit,
        cursor=q.cursor,
        manual=q.manual,
    )
    return ListOf[MealOut](items=[meal_out(m) for m in page.items], next_cursor=page.next_cursor)


async def count_meals(call: Call) -> MealCountOut:
    q: MealCountQuery = call.query
    day = await counts.count_meals(call.actor, q.canteen_id, q.date)
    return MealCountOut(**vars(day))


async def lookup(call: Call) -> ListOf[DinerFound]:
    q: LookupQuery = call.query
    today = clock.today(get_settings().tz)
    found = await service.lookup(call.actor, q.q)
    return ListOf[DinerFound](
        items=[
            DinerFound(
                id=d.id, name=d.name, age=diners.age(d, today), status=d.status, dietary=d.dietary
            )
            for d in found
        ],
        next_cursor=None,
    )


_COUNTER_ERRORS = (
    CardInvalid,
    CardRevoked,
    DinerInactive,
    UnknownOffering,
    OutsideMealWindow,
    Forbidden,
    ManualSaleLimit,
    ManualSaleCap,
    IdentityNotConfirmed,
    IdentityChecksExhausted,
    OpenPriceNotAllowed,
)

ENDPOINTS = [
    Endpoint(
        "POST",
        "/checkout/quote",
        quote,
        "Price a meal for a scanned card; changes nothing",
        action="checkout.quote",
        body=OrderIn,
        response=QuoteOut,
        errors=_COUNTER_ERRORS,
    ),
    Endpoint(
        "GET",
        "/checkout/lookup",
        lookup,
        "Find an elder for a sale without the card: exact full name or phone; audited",
        action="checkout.lookup",
        query=LookupQuery,
        response=ListOf[DinerFound],
        errors=(InvalidInput,),
    ),
    Endpoint(
        "POST",
        "/meals",
        sell,
        "Sell a meal: debit, subsidy lines, limits, ledger in one transaction",
        action="checkout.sell",
        body=SaleIn,
        response=SaleOut,
        status=201,
        idempotent=True,
        errors=(*_COUNTER_ERRORS, InsufficientBalance, IdempotencyKeyReused),
    ),
    Endpoint(
        "POST",
        "/meals/{meal_id:int}/void",
        void,
        "Void a sale: refund, withdraw the subsidy, free the limit",
        action="checkout.void",
        body=VoidIn,
        response=MealOut,
        idempotent=True,
        errors=(NotFound, Forbidden, AlreadyVoided, IdempotencyKeyReused),
    ),
    Endpoint(
        "GET",
        "/meals",
        list_meals,
        "Meals with their subsidy lines, newest first",
        action="meals.read",
        query=MealQuery,
        response=ListOf[MealOut],
    ),
    Endpoint(
        "GET",
        "/meals/count",
        count_meals,
        "A canteen's meals of one day, counted: live, voided, sold without the card",
        action="meals.count",
        query=MealCountQuery,
        response=MealCountOut,
        errors=(NotFound, InvalidInput),
    ),
    Endpoint(
        "GET",
        "/meals/{meal_id:int}",
        get_meal,
        "One meal with its subsidy lines",
        action="meals.read",
        response=MealOut,
        errors=(NotFound,),
    ),
]
