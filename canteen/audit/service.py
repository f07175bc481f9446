"""Writing and reading the audit log."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from tortoise.expressions import Q

from canteen import clock, roles
from canteen.audit.models import AuditEntry
from canteen.config import get_settings
from canteen.pagination import Page, after_cursor, page_of
from canteen.roles import Actor, require

SYSTEM = roles.SYSTEM.username
"""Who an entry without a user reads as: the command line, or the server's own work."""


async def record(
    actor: Actor,
    action: str,
    obj: Any,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Append one audit entry; call it inside the transaction of the action it describes."""
    await AuditEntry.create(
        at=clock.now(),
        actor_id=actor.recorded_user_id,
        action=action,
        object_type=type(obj).__name__.lower(),
        object_id=str(obj.pk),
        before=before,
        after=after,
    )


async def list_entries(
    actor: Actor,
    *,
    object_type: str | None,
    object_id: str | None,
    limit: int,
    cursor: str | None,
    who: str | None = None,
    action: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> Page[AuditEntry]:
    """Newest first; the admin reads who did what to whom.

    ``who`` is a username, or ``system`` for the command line and the server's own work (no
    user); ``action`` is a whole action (``diner.enrol``) or its domain (``diner``); ``start``
    and ``end`` are days in the service's time zone, both included.
    """
    require(actor, "audit.read")
    query = AuditEntry.all().select_related("actor")
    if object_type:
        query = query.filter(object_type=object_type)
    if object_id:
        query = query.filter(object_id=object_id)
    if who == SYSTEM:
        query = query.filter(actor_id__isnull=True)
    elif who:
        query = query.filter(actor__username=who.lower())
    if action:
        query = query.filter(Q(action=action) | Q(action__startswith=f"{action}."))
    if start is not None:
        query = query.filter(at__gte=_local_midnight(start))
    if end is not None:
        query = query.filter(at__lt=_local_midnight(end + timedelta(days=1)))
    return await page_of(after_cursor(query, cursor), limit)


def _local_midnight(day: date) -> datetime:
    """The day's first instant in the service's time zone, in UTC: SQLite compares the stored
    UTC text with the parameter's text, so a bound in +08:00 would miss the morning's entries."""
    return datetime.combine(day, time(), get_settings().tz).astimezone(UTC)
