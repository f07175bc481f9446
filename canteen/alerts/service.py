"""Alerts: raised by a sale that leaves an account low or a delivery that found no one home
(``not_home``), read by whoever is within reach, handled
and followed up by the canteen's staff or the office (发现 - 上报 - 处置 - 回访).

Detection for everyone at once is in ``detect.py``, the outbox in ``outbox.py``; the server's
periodic task and ``canteen alerts run`` call them (``canteen.periodic``).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from canteen import clock
from canteen.alerts.models import HANDLE_OUTCOMES, Alert
from canteen.audit import service as audit
from canteen.config import get_settings
from canteen.diners.models import FamilyLink
from canteen.errors import AlertAlreadyHandled, AlertNotHandled, InvalidInput, NotFound
from canteen.pagination import Page, after_cursor, page_of
from canteen.points import service as points
from canteen.roles import Actor, Role, require
from canteen.watchers.service import watched_ids

MAX_NOTE = 500


@dataclass(frozen=True)
class BalanceAfterSale:
    """What a sale tells the alerts of itself: plain facts, so alerts need not know the
    checkout (which calls them) and no import runs both ways."""

    diner_id: int
    canteen_id: int
    """The diner's home canteen, else the one that sold: whose staff should know."""
    local_date: date
    balance_before_fen: int
    balance_after_fen: int | None
    """None for a sale paid in cash: the account did not move."""
    low_balance_fen: int


async def after_sale(sale: BalanceAfterSale) -> None:
    """Called inside a sale's transaction: raise a low-balance alert when this sale took the
    account from at or above its threshold to below it. At most one INSERT, and none at all
    for the sales that do not cross (nearly all); a second crossing the same day (after a
    top-up) is skipped by the unique key without disturbing the sale."""
    threshold, after = sale.low_balance_fen, sale.balance_after_fen
    if after is None or not after < threshold <= sale.balance_before_fen:
        return
    alert = Alert(
        kind="low_balance",
        diner_id=sale.diner_id,
        canteen_id=sale.canteen_id,
        local_date=sale.local_date,
        detail={"balance_fen": after, "low_balance_fen": threshold},
        found_at=clock.now(),
    )
    await Alert.bulk_create([alert], ignore_conflicts=True)


@dataclass(frozen=True)
class NotHome:
    """What a delivery tells the alerts when no one answered the door: plain facts, as a sale
    does, so alerts need not know the delivery runs."""

    diner_id: int
    canteen_id: int
    """The diner's home canteen, else the one that delivered: whose staff should know."""
    local_date: date
    detail: dict[str, object]
    """``{"order_id", "run_id", "stop_id", "meal_type", "note"}``."""


async def not_home(fact: NotHome) -> None:
    """Called inside the transaction that records the stop: raise a ``not_home`` alert, as the
    missed-meal alert is raised (one per diner and day: a second door unanswered the same day,
    at dinner, is skipped by the unique key without disturbing the record)."""
    alert = Alert(
        kind="not_home",
        diner_id=fact.diner_id,
        canteen_id=fact.canteen_id,
        local_date=fact.local_date,
        detail=fact.detail,
        found_at=clock.now(),
    )
    await Alert.bulk_create([alert], ignore_conflicts=True)


@dataclass(frozen=True)
class FoundWandering:
    """What a finder's report on the card's found page tells the alerts (``canteen.found``):
    plain facts, as a delivery's ``NotHome`` does."""

    diner_id: int
    canteen_id: int | None
    """The diner's home canteen, if any: whose staff should know."""
    local_date: date
    detail: dict[str, object]
    """``{"report_id", "finder_phone", "where", "lat", "lon"}``: the first finder's report."""


async def found_wandering(fact: FoundWandering) -> Alert:
    """Called inside the transaction that takes the report: raise the day's
    ``found_wandering`` alert, or return the one an earlier report raised (one per diner and
    day; a later report attaches to it, keeping the first one's detail)."""
    alert = Alert(
        kind="found_wandering",
        diner_id=fact.diner_id,
        canteen_id=fact.canteen_id,
        local_date=fact.local_date,
        detail=fact.detail,
        found_at=clock.now(),
    )
    await Alert.bulk_create([alert], ignore_conflicts=True)
    return await Alert.get(
        kind="found_wandering", diner_id=fact.diner_id, local_date=fact.local_date
    )


async def _reach(actor: Actor) -> dict[str, object]:
    """The filter that keeps an actor's alerts within their reach: a volunteer's are those of
    the elders they watch (a staff watcher is the office, and reaches all)."""
    if actor.role == Role.FAMILY:
        linked = await FamilyLink.filter(user_id=actor.user_id).values_list("diner_id", flat=True)
        return {"diner_id__in": list(linked)}
    if actor.role == Role.VOLUNTEER:
        return {"diner_id__in": await watched_ids(actor.user_id)}
    if actor.role in (Role.MANAGER, Role.CASHIER):
        return {"canteen_id": actor.canteen_id}
    return {}


async def list_alerts(
    actor: Actor,
    *,
    status: str | None = None,
    kind: str | None = None,
    diner_id: int | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> Page[Alert]:
    """Alerts newest first, each role seeing only its reach."""
    require(actor, "alerts.read")
    query = Alert.filter(**await _reach(actor)).select_related(
        "diner", "canteen", "handled_by", "followed_up_by"
    )
    if status:
        query = query.filter(status=status)
    if kind:
        query = query.filter(kind=kind)
    if diner_id is not None:
        query = query.filter(diner_id=diner_id)
    return await page_of(after_cursor(query, cursor), limit)


async def get_alert(actor: Actor, alert_id: int) -> Alert:
    require(actor, "alerts.read")
    alert = (
        await Alert.filter(id=alert_id, **await _reach(actor))
        .select_related("diner", "canteen", "handled_by", "followed_up_by")
        .first()
    )
    if alert is None:
        raise NotFound(f"No alert {alert_id}.")
    return alert


def _note(note: str) -> str:
    note = note.strip()
    if not 1 <= len(note) <= MAX_NOTE:
        raise InvalidInput.on("note", f"say what was done, 1 to {MAX_NOTE} characters")
    return note


async def handle(actor: Actor, alert_id: int, note: str, outcome: str | None = None) -> Alert:
    """处置: someone acted on the alert; their note says what they did, and ``outcome`` (one of
    ``HANDLE_OUTCOMES``: called, visited and all well, took to hospital, family reached) how.
    The follow-up visit (回访) is due the next day (``follow_up_due_on``)."""
    require(actor, "alerts.handle")
    note = _note(note)
    if outcome is not None and outcome not in HANDLE_OUTCOMES:
        raise InvalidInput.on("outcome", f"one of {', '.join(HANDLE_OUTCOMES)}")
    alert = await get_alert(actor, alert_id)
    async with in_transaction():
        moved = await Alert.filter(id=alert.id, status="open").update(
            status="handled",
            handled_at=clock.now(),
            handled_by_id=actor.user_id,
            note=note,
            outcome=outcome,
        )
        if not moved:
            raise AlertAlreadyHandled(f"Alert {alert_id} was already handled.")
        after = {"note": note, **({"outcome": outcome} if outcome else {})}
        await audit.record(actor, "alert.handle", alert, after=after)
        await points.credit_alert(actor.recorded_user_id, alert.id)
    return await get_alert(actor, alert_id)


def follow_up_due_on(alert: Alert) -> date | None:
    """The day the follow-up visit (回访) is due: the day after handling, in the time zone of
    the alert's canteen (loaded); it shows as due from then until it is done. None before
    handling."""
    if alert.handled_at is None:
        return None
    zone = ZoneInfo(alert.canteen.timezone) if alert.canteen else get_settings().tz
    return alert.handled_at.astimezone(zone).date() + timedelta(days=1)


async def follow_up(actor: Actor, alert_id: int, note: str) -> Alert:
    """回访: someone checked back after handling; the note says what they found."""
    require(actor, "alerts.handle")
    note = _note(note)
    alert = await get_alert(actor, alert_id)
    async with in_transaction():
        moved = await Alert.filter(id=alert.id, status="handled").update(
            status="followed_up",
            followed_up_at=clock.now(),
            followed_up_by_id=actor.user_id,
            follow_up_note=note,
        )
        if not moved:
            if alert.status == "open":
                raise AlertNotHandled(f"Alert {alert_id} must be handled before a follow-up.")
            raise AlertAlreadyHandled(f"Alert {alert_id} was already followed up.")
        await audit.record(actor, "alert.follow_up", alert, after={"note": note})
    return await get_alert(actor, alert_id)
