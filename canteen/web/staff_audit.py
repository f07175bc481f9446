"""The admin's audit trail (操作记录): who did what, when, to what, with what it was before and
after, narrowed by who, what, object and day.

The page reads through the same service as ``GET /audit`` with the same filters, and shows
an entry's before and after as the fields that changed. Personal data in the log is already
what the services wrote there (a masked ID number, never the whole), so the page adds none.
"""

from datetime import date
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from canteen import clock
from canteen.audit import service as audit
from canteen.audit.models import AuditEntry
from canteen.config import get_settings
from canteen.errors import InvalidInput
from canteen.roles import Actor, Role
from canteen.web.login import page_actor
from canteen.web.staff import Asked, render_staff_page

SHOWN = 100
FILTERS = ("actor", "action", "object_type", "object_id", "from", "to")
DOMAINS = (
    "diner",
    "card",
    "account",
    "meal",
    "policy",
    "user",
    "canteen",
    "offering",
    "finance",
    "claim",
    "alert",
)
"""What the "what" filter offers: an action's domain (``diner`` finds ``diner.enrol`` ...)."""


def changes(entry: AuditEntry) -> list[tuple[str, Any, Any]]:
    """The fields an entry names, each with its value before and after ("" when absent)."""
    before, after = entry.before or {}, entry.after or {}
    keys = list(before) + [key for key in after if key not in before]
    return [(key, before.get(key, ""), after.get(key, "")) for key in keys]


async def trail(request: Request) -> Response:
    """``GET /staff/audit?actor=&action=&object_type=&object_id=&from=&to=&cursor=``."""
    actor = await page_actor(request, Role.ADMIN)
    if not isinstance(actor, Actor):
        return actor
    asked = Asked(dict(request.query_params), [])
    values = {key: asked.values.get(key, "").strip()[:64] for key in FILTERS}
    start = asked.date("from", date.min) if values["from"] else None
    end = asked.date("to", date.min) if values["to"] else None
    found: dict[str, Any] = {"items": [], "more": None}
    problem = None
    try:
        if asked.errors:
            raise InvalidInput("Some of what was asked for is not valid.", errors=asked.errors)
        page = await audit.list_entries(
            actor,
            who=values["actor"] or None,
            action=values["action"] or None,
            object_type=values["object_type"] or None,
            object_id=values["object_id"] or None,
            start=start,
            end=end,
            limit=SHOWN,
            cursor=asked.values.get("cursor") or None,
        )
        found["items"] = page.items
        if page.next_cursor:
            kept = {key: value for key, value in values.items() if value}
            found["more"] = "/staff/audit?" + urlencode({**kept, "cursor": page.next_cursor})
    except InvalidInput as exc:
        problem = exc
    zone = get_settings().tz
    return await render_staff_page(
        request,
        "staff_audit.html",
        actor,
        status=problem.status if problem else 200,
        problem=problem,
        field_errors=problem.errors if problem else [],
        values=values,
        domains=DOMAINS,
        found=found,
        changes=changes,
        local=lambda moment: moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
        today=clock.today(zone),
        system=audit.SYSTEM,
    )
