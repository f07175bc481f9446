from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from canteen.audit import service
from canteen.http.endpoint import Call, Endpoint
from canteen.schemas import ListOf, ListQuery


class AuditQuery(ListQuery):
    object_type: str | None = Field(None, max_length=32)
    object_id: str | None = Field(None, max_length=64)


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
        call.actor, object_type=q.object_type, object_id=q.object_id, limit=q.limit, cursor=q.cursor
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
        "The audit log of sensitive actions (admin)",
        action="audit.read",
        query=AuditQuery,
        response=ListOf[AuditEntryOut],
    ),
]
