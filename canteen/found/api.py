"""The found-elder page's API for the family and the office: the switch, and the thread with
a finder. The public page itself (``/q/<qr_payload>``) is in ``canteen.web.found``."""

from canteen.errors import NotFound
from canteen.found import service
from canteen.found.models import FoundMessage
from canteen.found.schemas import FoundPageIn, FoundPageOut, MessageIn, MessageOut, ThreadOut
from canteen.http.endpoint import Call, Endpoint


def switch_out(row: service.Switch) -> FoundPageOut:
    return FoundPageOut(diner_id=row.diner_id, enabled=row.enabled, changed_at=row.changed_at)


def message_out(message: FoundMessage) -> MessageOut:
    return MessageOut(
        id=message.id,
        author=message.author,  # type: ignore[arg-type]
        body=message.body,
        at=message.at,
    )


async def get_found_page(call: Call) -> FoundPageOut:
    return switch_out(await service.get_switch(call.actor, call.path("diner_id")))


async def put_found_page(call: Call) -> FoundPageOut:
    body: FoundPageIn = call.body
    return switch_out(await service.switch(call.actor, call.path("diner_id"), body.enabled))


async def get_thread(call: Call) -> ThreadOut:
    thread = await service.family_thread(call.actor, call.path("report_id"))
    report = thread.report
    return ThreadOut(
        report_id=report.id,
        alert_id=report.alert_id,
        at=report.at,
        where=report.where,
        lat=report.lat,
        lon=report.lon,
        messages=[message_out(m) for m in thread.messages],
    )


async def post_message(call: Call) -> MessageOut:
    body: MessageIn = call.body
    return message_out(await service.family_writes(call.actor, call.path("report_id"), body.body))


ENDPOINTS = [
    Endpoint(
        "GET",
        "/diners/{diner_id:int}/found-page",
        get_found_page,
        "Whether the elder's card opens the found-elder page (/q/<qr_payload>)",
        action="found.read",
        response=FoundPageOut,
        errors=(NotFound,),
    ),
    Endpoint(
        "PUT",
        "/diners/{diner_id:int}/found-page",
        put_found_page,
        "Switch the elder's found-elder page off or on (the linked family, the office); audited",
        action="found.switch",
        body=FoundPageIn,
        response=FoundPageOut,
        errors=(NotFound,),
    ),
    Endpoint(
        "GET",
        "/found-reports/{report_id:int}",
        get_thread,
        "A finder's report and its thread with the family (no one's number in it)",
        action="found.read",
        response=ThreadOut,
        errors=(NotFound,),
    ),
    Endpoint(
        "POST",
        "/found-reports/{report_id:int}/messages",
        post_message,
        "Write to the finder (plain text, at most 500 characters)",
        action="found.reply",
        body=MessageIn,
        response=MessageOut,
        status=201,
        errors=(NotFound,),
    ),
]
