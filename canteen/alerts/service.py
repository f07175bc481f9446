"""Alerts: raised by a sale that leaves an account low, read by whoever is within reach, handled
and followed up by the canteen's staff or the office (发现 - 上报 - 处置 - 回访).

Detection for everyone at once is in ``detect.py``, the outbox in ``outbox.py``; the server's
periodic task and ``canteen alerts run`` call them (``canteen.periodic``).
"""

from typing import TYPE_CHECKING

from tortoise.transactions import in_transaction

from canteen import clock
from canteen.alerts.models import Alert
from canteen.audit import service as audit
from canteen.auth.roles import Actor, Role, require
from canteen.diners.models import FamilyLink
from canteen.errors import AlertAlreadyHandled, AlertNotHandled, InvalidInput, NotFound
from canteen.pagination import Page, after_cursor, page_of

if TYPE_CHECKING:
    from canteen.checkout.service import Quote

MAX_NOTE = 500


async def after_sale(q: "Quote", balance_after_fen: int | None) -> None:
    """Called inside a sale's transaction: raise a low-balance alert when this sale took the
    account from at or above its threshold to below it. At most one INSERT, and none at all
    for the sales that do not cross (nearly all); a second crossing the same day (after a
    top-up) is skipped by the unique key without disturbing the sale."""
    threshold = q.account.low_balance_fen
    if balance_after_fen is None or not balance_after_fen < threshold <= q.balance_fen:
        return
    alert = Alert(
        kind="low_balance",
        diner_id=q.diner.id,
        canteen_id=q.diner.home_canteen_id or q.canteen.id,  # type: ignore[attr-defined]
        local_date=q.local_date,
        detail={"balance_fen": balance_after_fen, "low_balance_fen": threshold},
        found_at=clock.now(),
    )
    await Alert.bulk_create([alert], ignore_conflicts=True)


async def _reach(actor: Actor) -> dict[str, object]:
    """The filter that keeps an actor's alerts within their reach."""
    if actor.role == Role.FAMILY:
        linked = await FamilyLink.filter(user_id=actor.user_id).values_list("diner_id", flat=True)
        return {"diner_id__in": list(linked)}
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


async def handle(actor: Actor, alert_id: int, note: str) -> Alert:
    """处置: someone acted on the alert; their note says what they did."""
    require(actor, "alerts.handle")
    note = _note(note)
    alert = await get_alert(actor, alert_id)
    async with in_transaction():
        moved = await Alert.filter(id=alert.id, status="open").update(
            status="handled", handled_at=clock.now(), handled_by_id=actor.user_id, note=note
        )
        if not moved:
            raise AlertAlreadyHandled(f"Alert {alert_id} was already handled.")
        await audit.record(actor, "alert.handle", alert, after={"note": note})
    return await get_alert(actor, alert_id)


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
