from canteen.alerts import service
from canteen.alerts.models import Alert
from canteen.alerts.schemas import AlertOut, AlertQuery, NoteIn
from canteen.errors import AlertAlreadyHandled, AlertNotHandled, NotFound
from canteen.http.endpoint import Call, Endpoint
from canteen.schemas import ListOf


def alert_out(alert: Alert) -> AlertOut:
    return AlertOut(
        id=alert.id,
        kind=alert.kind,  # type: ignore[arg-type]
        diner_id=alert.diner.id,
        diner_name=alert.diner.name,
        canteen_id=alert.canteen.id if alert.canteen else None,
        canteen_name=alert.canteen.name if alert.canteen else None,
        local_date=alert.local_date,
        status=alert.status,  # type: ignore[arg-type]
        detail=alert.detail,
        found_at=alert.found_at,
        reported_at=alert.reported_at,
        handled_at=alert.handled_at,
        handled_by=alert.handled_by.username if alert.handled_by else None,
        note=alert.note,
        followed_up_at=alert.followed_up_at,
        followed_up_by=alert.followed_up_by.username if alert.followed_up_by else None,
        follow_up_note=alert.follow_up_note,
    )


async def list_alerts(call: Call) -> ListOf[AlertOut]:
    q: AlertQuery = call.query
    page = await service.list_alerts(
        call.actor,
        status=q.status,
        kind=q.kind,
        diner_id=q.diner_id,
        limit=q.limit,
        cursor=q.cursor,
    )
    return ListOf[AlertOut](items=[alert_out(a) for a in page.items], next_cursor=page.next_cursor)


async def handle_alert(call: Call) -> AlertOut:
    body: NoteIn = call.body
    return alert_out(await service.handle(call.actor, call.path("alert_id"), body.note))


async def follow_up_alert(call: Call) -> AlertOut:
    body: NoteIn = call.body
    return alert_out(await service.follow_up(call.actor, call.path("alert_id"), body.note))


ENDPOINTS = [
    Endpoint(
        "GET",
        "/alerts",
        list_alerts,
        "Alerts within my reach, newest first (family: my elders; canteen staff: my canteen)",
        action="alerts.read",
        query=AlertQuery,
        response=ListOf[AlertOut],
    ),
    Endpoint(
        "POST",
        "/alerts/{alert_id:int}/handle",
        handle_alert,
        "Mark an alert handled (处置), saying what was done",
        action="alerts.handle",
        body=NoteIn,
        response=AlertOut,
        errors=(NotFound, AlertAlreadyHandled),
    ),
    Endpoint(
        "POST",
        "/alerts/{alert_id:int}/follow-up",
        follow_up_alert,
        "Record the check back after handling (回访)",
        action="alerts.handle",
        body=NoteIn,
        response=AlertOut,
        errors=(NotFound, AlertNotHandled, AlertAlreadyHandled),
    ),
]
