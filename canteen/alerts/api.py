from canteen.alerts import board as boards
from canteen.alerts import service
from canteen.alerts.models import Alert
from canteen.alerts.schemas import (
    AlertOut,
    AlertQuery,
    BoardCase,
    BoardMonth,
    BoardOut,
    BoardPlace,
    BoardQuery,
    BoardStep,
    HandleIn,
    NoteIn,
)
from canteen.auth.models import User
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
        outcome=alert.outcome,  # type: ignore[arg-type]
        note=alert.note,
        follow_up_due_on=service.follow_up_due_on(alert),
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
    body: HandleIn = call.body
    alert = await service.handle(call.actor, call.path("alert_id"), body.note, body.outcome)
    return alert_out(alert)


async def follow_up_alert(call: Call) -> AlertOut:
    body: NoteIn = call.body
    return alert_out(await service.follow_up(call.actor, call.path("alert_id"), body.note))


def case_out(case: boards.Case) -> BoardCase:
    alert = case.alert
    steps = [
        BoardStep(step="found", at=alert.found_at, by=None),
        BoardStep(
            step="reported", at=alert.reported_at, by=None, told=case.people, told_at=case.told_at
        ),
        BoardStep(step="handled", at=alert.handled_at, by=_name(alert.handled_by), note=alert.note),
        BoardStep(
            step="followed_up",
            at=alert.followed_up_at,
            by=_name(alert.followed_up_by),
            note=alert.follow_up_note,
        ),
    ]
    return BoardCase(
        **alert_out(alert).model_dump(),
        district=alert.diner.district,
        street=alert.diner.street,
        minutes_since_found=case.minutes_since_found,
        minutes_to_handle=case.minutes_to_handle,
        overdue=case.overdue,
        steps=steps,
    )


def _name(user: User | None) -> str | None:
    return user.username if user else None


def month_out(figures: boards.MonthFigures) -> BoardMonth:
    return BoardMonth(
        month=figures.month,
        found=figures.found,
        handled=figures.handled,
        handled_in_time=figures.handled_in_time,
        followed_up=figures.followed_up,
        handle_minutes=figures.handle_minutes,
        handled_in_time_percent=figures.handled_in_time_percent,
        handled_goal_percent=boards.HANDLED_GOAL_PERCENT,
        handled_goal_met=figures.handled_goal_met,
        to_tell=figures.to_tell,
        told_in_time=figures.told_in_time,
        told_goal_seconds=boards.TOLD_GOAL_SECONDS,
        told_in_time_percent=figures.told_in_time_percent,
        told_goal_met=figures.told_goal_met,
    )


async def alert_board(call: Call) -> BoardOut:
    q: BoardQuery = call.query
    found = await boards.board(
        call.actor,
        district=q.district,
        street=q.street,
        canteen_id=q.canteen_id,
        kind=q.kind,
        month=q.month,
    )
    return BoardOut(
        cases=[case_out(c) for c in found.cases],
        places=[BoardPlace(**vars(p)) for p in found.places],
        month=month_out(found.month),
    )


ENDPOINTS = [
    Endpoint(
        "GET",
        "/alerts/board",
        alert_board,
        "The alert board (发现—上报—处置—回访): open and this month's cases by street and canteen,"
        " overdue first, each case's four steps, and the month's figures against the goals",
        action="alerts.board",
        query=BoardQuery,
        response=BoardOut,
    ),
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
        "Mark an alert handled (处置), saying what was done and how",
        action="alerts.handle",
        body=HandleIn,
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
