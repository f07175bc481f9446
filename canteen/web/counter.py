"""The cashier's page (收银台): one screen a cashier works a whole lunch rush on.

The handler only renders the frame and hands the script what it cannot know by itself: the
canteen, its time zone, meal windows and local date, and the words in the visitor's language;
and it draws today's menu (``orders.menus``) in a panel of its own beside the dishes.
Every price, subsidy, warning and error comes from the JSON API, which the script
(``static/counter.js``, an ES module, with its parts in ``static/counter/``) calls through
``page.js``'s one API client with the session cookie and the page's CSRF token, so the page
holds no business rule.

Offline (issue 17): the counter's own service worker (``/counter/sw.js``, scope ``/counter``)
keeps the page, and the script sells from a signed snapshot when the server is away
(``static/counter/offline.js``); ``/counter/reconciliation`` is the manager's list of the
offline sales the server could not apply as sold.
"""

import json
from datetime import date
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import FileResponse, Response

from canteen import clock
from canteen.canteens import service as canteens
from canteen.checkout.service import CASHIER_VOID_MINUTES
from canteen.money import format_yuan
from canteen.offline import service as offline
from canteen.orders import menus
from canteen.roles import Actor, Role
from canteen.web import i18n
from canteen.web.login import page_actor
from canteen.web.pages import SECURITY_HEADERS, STATIC_DIR, render_page

MEAL_ORDER = ("breakfast", "lunch", "dinner")
SCOPE = "/counter"
"""The counter's service worker controls this page, and only this one."""
RECONCILIATION_ROWS = 200
SCRIPT_PREFIX = "counter_"
"""Strings with this prefix go to the script too, as JSON in a data attribute (CSP: no inline
script), so the script speaks the page's language without a second request."""


async def counter(request: Request) -> Response:
    """``GET /counter``: cashiers and managers, at their own canteen."""
    actor = await page_actor(request, Role.CASHIER, Role.MANAGER)
    if not isinstance(actor, Actor):
        return actor
    if actor.canteen_id is None:  # a counter user always has one; be plain if not
        return render_page(request, "forbidden.html", status=403, actor=actor)
    canteen = await canteens.get_canteen(actor, actor.canteen_id)
    today = clock.today(ZoneInfo(canteen.timezone))
    menu = (await menus.menus(actor, canteen.id, today, today)).get(today, {})
    return render_page(
        request,
        "counter.html",
        actor=actor,
        canteen=canteen,
        today=today.isoformat(),
        menu=[(m, menu[m]) for m in MEAL_ORDER if m in menu],
        meal_windows=json.dumps(canteen.meal_windows),
        is_manager=actor.role == Role.MANAGER,
        cashier_void_minutes=CASHIER_VOID_MINUTES,
        strings=i18n.script_strings(i18n.language(request), SCRIPT_PREFIX),
    )


async def service_worker(request: Request) -> Response:
    """``GET /counter/sw.js``: the worker that keeps ``/counter`` for a till whose server is
    away. Served from here (not ``/static``) with ``Service-Worker-Allowed`` so it may control
    ``/counter`` itself, and never from the HTTP cache, so a new version is picked up at once."""
    headers = {**SECURITY_HEADERS, "Service-Worker-Allowed": SCOPE, "Cache-Control": "no-cache"}
    return FileResponse(STATIC_DIR / "counter_sw.js", media_type="text/javascript", headers=headers)


async def reconciliation(request: Request) -> Response:
    """``GET /counter/reconciliation[?date=]``: the manager's list of the canteen's offline
    sales not applied as the counter sold them, with what the operator bears."""
    actor = await page_actor(request, Role.MANAGER)
    if not isinstance(actor, Actor):
        return actor
    if actor.canteen_id is None:
        return render_page(request, "forbidden.html", status=403, actor=actor)
    try:
        on: date | None = date.fromisoformat(request.query_params.get("date", ""))
    except ValueError:
        on = None
    canteen = await canteens.get_canteen(actor, actor.canteen_id)
    page = await offline.reconciliations(actor, canteen.id, on, RECONCILIATION_ROWS, None)
    tz = ZoneInfo(canteen.timezone)
    return render_page(
        request,
        "counter_reconciliation.html",
        actor=actor,
        canteen=canteen,
        rows=page.items,
        day=on,
        yuan=format_yuan,
        local=lambda at: at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
        total=sum(row.operator_fen for row in page.items),
    )
