"""The alert board (``/staff/alerts``): every case of the month and every open one, by street
and canteen, overdue first, each with its four steps (发现—上报—处置—回访: who and when), and
the month's figures against the goals, over the same service as ``GET /alerts/board``.

For the office (admin, staff) and a canteen's manager, who sees their own canteen's cases; the
filters are the district, the street, the canteen, the kind of alert and the month. Read-only:
a case is handled where the people who act on it are (``/watch``, the API).
"""

from datetime import datetime

from starlette.requests import Request
from starlette.responses import Response

from canteen import clock
from canteen.alerts import board as boards
from canteen.alerts.models import ALERT_KINDS
from canteen.config import get_settings
from canteen.diners.models import Diner
from canteen.errors import FieldError
from canteen.roles import Actor, Role
from canteen.web import i18n
from canteen.web.login import page_actor
from canteen.web.staff import Asked, render_staff_page

ROLES = (Role.ADMIN, Role.STAFF, Role.MANAGER)
MAX_PLACE = 64


def when(moment: datetime | None) -> str:
    """A moment as the service's local ``MM-DD HH:MM``."""
    return moment.astimezone(get_settings().tz).strftime("%m-%d %H:%M") if moment else ""


async def board(request: Request) -> Response:
    """``GET /staff/alerts?district=&street=&canteen=&kind=&month=``."""
    actor = await page_actor(request, *ROLES)
    if not isinstance(actor, Actor):
        return actor
    asked = Asked(dict(request.query_params), [])
    district = asked.values.get("district", "").strip()[:MAX_PLACE]
    street = asked.values.get("street", "").strip()[:MAX_PLACE]
    canteen_id = asked.canteen(actor)
    kind = asked.values.get("kind", "").strip()
    if kind and kind not in ALERT_KINDS:
        asked.errors.append(FieldError("kind", f"one of {', '.join(ALERT_KINDS)}"))
        kind = ""
    this_month = clock.now().astimezone(get_settings().tz).strftime("%Y-%m")
    month = asked.month("month", this_month)
    found = await boards.board(
        actor, district=district, street=street, canteen_id=canteen_id, kind=kind, month=month
    )
    places = await Diner.exclude(street="").distinct().values_list("district", "street")
    t = i18n.translator(i18n.language(request))

    def minutes(n: int) -> str:
        hours, rest = divmod(n, 60)
        return t("watch_board_hours", h=hours, m=rest) if hours else t("watch_board_minutes", n=n)

    return await render_staff_page(
        request,
        "staff_alerts.html",
        actor,
        board=found,
        district=district,
        street=street,
        canteen_id=canteen_id,
        kind=kind,
        kinds=ALERT_KINDS,
        month=month,
        districts=sorted({d for d, _ in places if d}),
        streets=sorted({s for _, s in places}),
        when=when,
        minutes=minutes,
        told_goal_seconds=boards.TOLD_GOAL_SECONDS,
        handled_goal=boards.HANDLED_GOAL_PERCENT,
        problem=None
        if not asked.errors
        else {"code": "validation_error", "detail": "Some of what was asked for is not valid."},
        field_errors=asked.errors,
    )
