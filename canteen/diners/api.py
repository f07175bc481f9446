from datetime import date

from starlette.responses import Response

from canteen import clock
from canteen.accounts.models import account_of
from canteen.diners import service
from canteen.diners.models import Diner
from canteen.diners.schemas import (
    DinerIn,
    DinerOut,
    DinerPatch,
    DinerQuery,
    DinerSearch,
    FamilyLinkIn,
    FamilyLinkOut,
)
from canteen.errors import AlreadyLinked, DinerExists, InvalidIdNumber, NotFound
from canteen.http.endpoint import Call, Endpoint
from canteen.roles import Actor
from canteen.schemas import ListOf


def diner_out(diner: Diner, actor: Actor, on: date, masked: dict[int, str]) -> DinerOut:
    """``masked`` from ``service.masked_numbers`` (empty for roles that do not see it)."""
    out = DinerOut(
        id=diner.id,
        name=diner.name,
        id_number_masked=masked.get(diner.id),
        birth_date=diner.birth_date,
        gender=diner.gender,
        age=service.age(diner, on),
        age_on=on,
        phone=diner.phone,
        address=diner.address,
        district=diner.district,
        street=diner.street,
        categories=diner.categories,
        disability_level=diner.disability_level,
        dietary=diner.dietary,
        status=diner.status,
        home_canteen_id=diner.home_canteen_id,
        balance_fen=account_of(diner).balance_fen,
    )
    return out.model_copy(update={name: None for name in service.hidden_fields(actor)})


def _today(call: Call) -> date:
    return clock.today(call.settings.tz)


async def _one_out(call: Call, diner: Diner, on: date) -> DinerOut:
    return diner_out(diner, call.actor, on, await service.masked_numbers(call.actor, [diner]))


async def _many_out(call: Call, diners: list[Diner]) -> list[DinerOut]:
    masked, today = await service.masked_numbers(call.actor, diners), _today(call)
    return [diner_out(d, call.actor, today, masked) for d in diners]


async def enrol_diner(call: Call) -> DinerOut:
    body: DinerIn = call.body
    diner = await service.enrol(call.actor, **body.model_dump())
    return await _one_out(call, await service.get_diner(call.actor, diner.id), _today(call))


async def get_diner(call: Call) -> DinerOut:
    query: DinerQuery = call.query
    diner = await service.get_diner(call.actor, call.path("diner_id"))
    return await _one_out(call, diner, query.on or _today(call))


async def search_diners(call: Call) -> ListOf[DinerOut]:
    query: DinerSearch = call.query
    page = await service.search(call.actor, query.q, query.status, query.limit, query.cursor)
    return ListOf[DinerOut](items=await _many_out(call, page.items), next_cursor=page.next_cursor)


async def update_diner(call: Call) -> DinerOut:
    body: DinerPatch = call.body
    changes = body.model_dump(exclude_unset=True)
    reason = changes.pop("reason", None)
    diner = await service.update(call.actor, call.path("diner_id"), changes, reason)
    return await _one_out(call, diner, _today(call))


async def link_family(call: Call) -> FamilyLinkOut:
    body: FamilyLinkIn = call.body
    link = await service.link_family(
        call.actor, call.path("diner_id"), body.username, body.relation
    )
    return FamilyLinkOut(
        diner_id=call.path("diner_id"), username=link.user.username, relation=link.relation
    )


async def family_links(call: Call) -> ListOf[FamilyLinkOut]:
    links = await service.family_links(call.actor, call.path("diner_id"))
    items = [
        FamilyLinkOut(diner_id=link.diner_id, username=link.user.username, relation=link.relation)
        for link in links
    ]
    return ListOf[FamilyLinkOut](items=items, next_cursor=None)


async def unlink_family(call: Call) -> Response:
    await service.unlink_family(call.actor, call.path("diner_id"), call.path("username"))
    return Response(status_code=204)


async def my_diners(call: Call) -> ListOf[DinerOut]:
    diners = await service.my_diners(call.actor)
    return ListOf[DinerOut](items=await _many_out(call, diners), next_cursor=None)


ENDPOINTS = [
    Endpoint(
        "POST",
        "/diners",
        enrol_diner,
        "Enrol a diner (opens their account)",
        action="diners.create",
        body=DinerIn,
        response=DinerOut,
        status=201,
        errors=(InvalidIdNumber, DinerExists),
    ),
    Endpoint(
        "GET",
        "/diners",
        search_diners,
        "Find diners by name, phone or last 4 of the ID number",
        action="diners.search",
        query=DinerSearch,
        response=ListOf[DinerOut],
    ),
    Endpoint(
        "GET",
        "/diners/{diner_id:int}",
        get_diner,
        "One diner, with age on a date",
        action="diners.read",
        query=DinerQuery,
        response=DinerOut,
        errors=(NotFound,),
    ),
    Endpoint(
        "PATCH",
        "/diners/{diner_id:int}",
        update_diner,
        "Change a diner's details or status",
        action="diners.update",
        body=DinerPatch,
        response=DinerOut,
        errors=(NotFound,),
    ),
    Endpoint(
        "POST",
        "/diners/{diner_id:int}/family",
        link_family,
        "Link a family user to a diner",
        action="diners.link_family",
        body=FamilyLinkIn,
        response=FamilyLinkOut,
        status=201,
        errors=(NotFound, AlreadyLinked),
    ),
    Endpoint(
        "GET",
        "/diners/{diner_id:int}/family",
        family_links,
        "The family users linked to a diner",
        action="diners.link_family",
        response=ListOf[FamilyLinkOut],
        errors=(NotFound,),
    ),
    Endpoint(
        "DELETE",
        "/diners/{diner_id:int}/family/{username}",
        unlink_family,
        "Remove a family user's link to a diner (they no longer see or top up the diner)",
        action="diners.link_family",
        status=204,
        errors=(NotFound,),
    ),
    Endpoint(
        "GET",
        "/me/diners",
        my_diners,
        "The diners linked to me (family)",
        action="me.diners",
        response=ListOf[DinerOut],
    ),
]
