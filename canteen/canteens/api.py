from canteen.canteens import service
from canteen.canteens.models import Canteen, Offering
from canteen.canteens.schemas import (
    CanteenIn,
    CanteenOut,
    CanteenPatch,
    OfferingIn,
    OfferingOut,
    OfferingPatch,
)
from canteen.errors import Forbidden, InvalidAmount, InvalidInput, NotFound
from canteen.http.endpoint import Call, Endpoint
from canteen.schemas import ListOf, ListQuery


def canteen_out(canteen: Canteen) -> CanteenOut:
    return CanteenOut.model_validate(canteen, from_attributes=True)


def offering_out(offering: Offering) -> OfferingOut:
    return OfferingOut.model_validate(offering, from_attributes=True)


async def create_canteen(call: Call) -> CanteenOut:
    body: CanteenIn = call.body
    canteen = await service.create_canteen(
        call.actor, default_timezone=call.settings.timezone, **body.model_dump()
    )
    return canteen_out(canteen)


async def list_canteens(call: Call) -> ListOf[CanteenOut]:
    page = await service.list_canteens(call.actor, call.query.limit, call.query.cursor)
    return ListOf[CanteenOut](
        items=[canteen_out(c) for c in page.items], next_cursor=page.next_cursor
    )


async def get_canteen(call: Call) -> CanteenOut:
    return canteen_out(await service.get_canteen(call.actor, call.path("canteen_id")))


async def update_canteen(call: Call) -> CanteenOut:
    body: CanteenPatch = call.body
    changes = body.model_dump(exclude_unset=True)
    return canteen_out(await service.update_canteen(call.actor, call.path("canteen_id"), changes))


async def create_offering(call: Call) -> OfferingOut:
    body: OfferingIn = call.body
    offering = await service.create_offering(
        call.actor, call.path("canteen_id"), **body.model_dump()
    )
    return offering_out(offering)


async def update_offering(call: Call) -> OfferingOut:
    body: OfferingPatch = call.body
    offering = await service.update_offering(
        call.actor,
        call.path("canteen_id"),
        call.path("offering_id"),
        body.model_dump(exclude_unset=True),
    )
    return offering_out(offering)


async def list_offerings(call: Call) -> ListOf[OfferingOut]:
    page = await service.list_offerings(
        call.actor, call.path("canteen_id"), call.query.limit, call.query.cursor
    )
    return ListOf[OfferingOut](
        items=[offering_out(o) for o in page.items], next_cursor=page.next_cursor
    )


ENDPOINTS = [
    Endpoint(
        "POST",
        "/canteens",
        create_canteen,
        "Open a canteen",
        action="canteens.create",
        body=CanteenIn,
        response=CanteenOut,
        status=201,
    ),
    Endpoint(
        "GET",
        "/canteens",
        list_canteens,
        "List canteens",
        action="canteens.read",
        query=ListQuery,
        response=ListOf[CanteenOut],
    ),
    Endpoint(
        "GET",
        "/canteens/{canteen_id:int}",
        get_canteen,
        "One canteen",
        action="canteens.read",
        response=CanteenOut,
        errors=(NotFound,),
    ),
    Endpoint(
        "PATCH",
        "/canteens/{canteen_id:int}",
        update_canteen,
        "Change when orders ahead close, the delivery fee and the meal windows",
        action="canteens.update",
        body=CanteenPatch,
        response=CanteenOut,
        errors=(NotFound, Forbidden, InvalidInput),
    ),
    Endpoint(
        "POST",
        "/canteens/{canteen_id:int}/offerings",
        create_offering,
        "Add a dish or set meal to the price list",
        action="offerings.create",
        body=OfferingIn,
        response=OfferingOut,
        status=201,
        errors=(NotFound, Forbidden, InvalidAmount),
    ),
    Endpoint(
        "PATCH",
        "/canteens/{canteen_id:int}/offerings/{offering_id:int}",
        update_offering,
        "Change a dish's name, price, tags or availability",
        action="offerings.create",
        body=OfferingPatch,
        response=OfferingOut,
        errors=(NotFound, Forbidden, InvalidAmount),
    ),
    Endpoint(
        "GET",
        "/canteens/{canteen_id:int}/offerings",
        list_offerings,
        "A canteen's price list",
        action="canteens.read",
        query=ListQuery,
        response=ListOf[OfferingOut],
        errors=(NotFound,),
    ),
]
