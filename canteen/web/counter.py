"""The cashier's page (收银台): one screen a cashier works a whole lunch rush on.

The handler only renders the frame and hands the script what it cannot know by itself: the
canteen, its time zone, meal windows and local date, and the words in the visitor's language;
and it draws today's menu (``orders.menus``) in a panel of its own beside the dishes.
Every price, subsidy, warning and error comes from the JSON API, which the script
(``static/counter.js``, an ES module, with its parts in ``static/counter/``) calls through
``page.js``'s one API client with the session cookie and the page's CSRF token, so the page
holds no business rule.
"""

import json
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import Response

from canteen import clock
from canteen.canteens import service as canteens
from canteen.checkout.service import CASHIER_VOID_MINUTES
from canteen.orders import menus
from canteen.roles import Actor, Role
from canteen.web import i18n
from canteen.web.login import page_actor
from canteen.web.pages import render_page

MEAL_ORDER = ("breakfast", "lunch", "dinner")
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
