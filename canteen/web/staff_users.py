"""The admin's user page (管理员): who can log in, as what, at which canteen; add one, set
one's role and canteen, disable or enable one, set a new password.

The list is read on the server through the same service as ``GET /users``; every change is a
form whose inputs are named after the API's fields, sent by ``office_forms.js`` through
``page.js`` to ``POST /users``, ``PATCH /users/{id}``, ``/users/{id}/disable``, ``/enable``
and ``/password``, so a refusal (a taken username, a short password, a cashier without a
canteen, the last admin demoted) is shown beside the input it names.
"""

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from canteen.auth import service as auth
from canteen.errors import InvalidInput
from canteen.roles import USER_ROLES, Actor, Role
from canteen.web.login import page_actor
from canteen.web.staff import Asked, render_staff_page

SHOWN = 100
STATES = {"active": True, "disabled": False}


async def users(request: Request) -> Response:
    """``GET /staff/users?role=&canteen=&q=&state=&cursor=``: the users, newest first."""
    actor = await page_actor(request, Role.ADMIN)
    if not isinstance(actor, Actor):
        return actor
    asked = Asked(dict(request.query_params), [])
    role = asked.values.get("role") or None
    state = asked.values.get("state") or None
    q = (asked.values.get("q") or "").strip()[:64] or None
    canteen_id = asked.canteen(actor)
    found: dict[str, Any] = {"items": [], "next_cursor": None}
    problem = None
    try:
        if role is not None and role not in USER_ROLES:
            raise InvalidInput.on("role", f"one of {', '.join(USER_ROLES)}")
        if state is not None and state not in STATES:
            raise InvalidInput.on("state", "active or disabled")
        if asked.errors:
            raise InvalidInput("Some of what was asked for is not valid.", errors=asked.errors)
        page = await auth.list_users(
            actor,
            role=role,
            canteen_id=canteen_id,
            active=STATES.get(state or ""),
            q=q,
            limit=SHOWN,
            cursor=asked.values.get("cursor") or None,
        )
        found = {"items": page.items, "next_cursor": page.next_cursor}
        if page.next_cursor:
            filters = {"role": role, "canteen": canteen_id, "q": q, "state": state}
            kept = {k: v for k, v in filters.items() if v is not None}
            found["more"] = "/staff/users?" + urlencode({**kept, "cursor": page.next_cursor})
    except InvalidInput as exc:
        problem = exc
    return await render_staff_page(
        request,
        "staff_users.html",
        actor,
        status=problem.status if problem else 200,
        problem=problem,
        field_errors=problem.errors if problem else [],
        roles=list(USER_ROLES),
        role=role,
        state=state,
        q=q or "",
        canteen_id=canteen_id,
        found=found,
    )
