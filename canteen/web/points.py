"""Volunteers' points (红马甲积分) on the pages, over the same service the API calls.

``/points`` is the volunteer's own, on a phone: what they hold, what they earned and exchanged,
and every entry with what earned it (the stop delivered, the alert handled) or what it was
exchanged for. ``/staff/points?month=YYYY-MM`` is the office's month: every volunteer's points
earned and exchanged that month and held now; a manager (or the admin) records an exchange
there, through ``points.js`` and ``POST /api/v1/volunteers/{id}/points/redeem`` with one
Idempotency-Key per exchange, so a double tap or a resend takes the points once.
"""

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from canteen import clock, periods
from canteen.config import get_settings
from canteen.errors import FieldError, InvalidInput
from canteen.points import service as points
from canteen.roles import Actor, Role, may
from canteen.web import i18n
from canteen.web.login import page_actor
from canteen.web.pages import render_page
from canteen.web.staff import render_staff_page

SCRIPT_PREFIX = "points_js_"
"""Strings with this prefix go to ``points.js`` too, as JSON in a data attribute."""
ENTRIES_SHOWN = 100
OFFICE = (Role.ADMIN, Role.STAFF, Role.MANAGER)


async def mine(request: Request) -> Response:
    """``GET /points``: the volunteer's balance and entries, newest first."""
    actor = await page_actor(request, Role.VOLUNTEER)
    if not isinstance(actor, Actor):
        return actor
    found = await points.mine(actor, limit=ENTRIES_SHOWN)
    return render_page(
        request,
        "points.html",
        actor=actor,
        mine=found,
        entries=found.entries.items,
        about=found.about,
        settings=request.app.state.settings,
    )


def _month(request: Request) -> tuple[str, list[FieldError]]:
    this = periods.month_of(clock.today(get_settings().tz))
    raw = request.query_params.get("month", "").strip()
    if not raw:
        return this, []
    try:
        return periods.parse_month(raw), []
    except ValueError:
        return this, [FieldError("month", "YYYY-MM")]


async def office(request: Request) -> Response:
    """``GET /staff/points?month=``: the month's table of every volunteer, and for a manager or
    the admin the form that records an exchange."""
    actor = await page_actor(request, *OFFICE)
    if not isinstance(actor, Actor):
        return actor
    month, errors = _month(request)
    start, end = periods.month_span(month)
    context: dict[str, Any] = {
        "month": month,
        "rows": await points.table(actor, start, end),
        "redeems": may(actor, "points.redeem"),
        "points_strings": i18n.script_strings(i18n.language(request), SCRIPT_PREFIX),
    }
    if errors:
        problem = InvalidInput("Some of what was asked for is not valid.", errors=errors)
        return await render_staff_page(
            request,
            "staff_points.html",
            actor,
            status=problem.status,
            problem=problem,
            field_errors=errors,
            **context,
        )
    return await render_staff_page(request, "staff_points.html", actor, **context)
