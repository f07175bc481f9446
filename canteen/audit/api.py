from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from canteen.audit import service
from canteen.http.endpoint import Call, Endpoint
from canteen.schemas import Day, ListOf, ListQuery


class AuditQuery(ListQuery):
    model_config = ConfigDict(populate_by_name=True)

    object_type: str | None = Field(None, max_length=32)
    object_id: str | None = Field(None, max_length=64)
    actor: str | None = Field(None, max_length=64)
    """A username, or ``system`` for entries no user made (the command line, the server)."""
    action: str | None = Field(None, max_length=64)
    """An action (``diner.enrol``) or every action of a domain (``diner``)."""
    from_: Day | None = Field(None, alias="from")
    to: Day | None = None
    """Days in the service's time zone, both included."""


class AuditEntryOut(BaseModel):
    id: int
    at: datetime
    actor: str | None
    """Username, or null for the command line and the system."""
    action: str
    object_type: str
    object_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


async def list_audit(call: Call) -> ListOf[AuditEntryOut]:
    q: AuditQuery = call.query
    page = await service.list_entries(
        call.actor,
        object_type=q.object_type,
        object_id=q.object_id,
        who=q.actor,
        action=q.action,
        start=q.from_,
        end=q.to,
        limit=q.limit,
        cursor=q.cursor,
    )
    items = [
        AuditEntryOut(
            id=e.id,
            at=e.at,
            actor=e.actor.username if e.actor else None,
            action=e.action,
            object_type=e.object_type,
            object_id=e.object_id,
            before=e.before,
            after=e.after,
        )
        for e in page.items
    ]
    return ListOf[AuditEntryOut](items=items, next_cursor=page.next_cursor)


ENDPOINTS = [
    Endpoint(
        "GET",
        "/audit",
        list_audit,
        "The audit log of sensitive actions, by who, what, object and day (admin)",
        action="audit.read",
        query=AuditQuery,
        response=ListOf[AuditEntryOut],
    ),
]
