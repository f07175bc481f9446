"""Writing and reading the audit log."""

from typing import Any

from canteen import clock
from canteen.audit.models import AuditEntry
from canteen.pagination import Page, after_cursor, page_of
from canteen.roles import Actor, require


async def record(
    actor: Actor | None,
    action: str,
    obj: Any,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Append one audit entry; call it inside the transaction of the action it describes."""
    await AuditEntry.create(
        at=clock.now(),
        actor_id=actor.user_id if actor else None,
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
) -> Page[AuditEntry]:
    """Newest first; the admin reads who did what to whom."""
    require(actor, "audit.read")
    query = AuditEntry.all().select_related("actor")
    if object_type:
        query = query.filter(object_type=object_type)
    if object_id:
        query = query.filter(object_id=object_id)
    return await page_of(after_cursor(query, cursor), limit)
