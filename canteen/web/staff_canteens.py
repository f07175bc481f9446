"""A canteen's own page (食堂): its price list (add a dish, change a price, take a dish off sale
and back), its meal windows, a week's menus (``?week=`` any day of it; this week by default),
when orders ahead close and the delivery fee; for the admin, and for the manager of that
canteen alone.

The page reads through the canteens and menus services; changes go through
``office_forms.js`` to ``POST /canteens/{id}/offerings`` and
``PATCH /canteens/{id}/offerings/{offering_id}``, with the price typed in yuan and sent as fen,
and through ``menus.js`` to ``PUT /canteens/{id}/menus/{date}`` (a day's menu, whole) and
``PATCH /canteens/{id}`` (``order_cutoffs``, ``delivery_fee_fen``). A manager who asks for
another canteen sees the 404 page, as the API answers them, so the page does not say which
canteens exist.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from canteen import clock
from canteen.canteens import service as canteens
from canteen.canteens.models import DEFAULT_ORDER_CUTOFFS, Canteen, Offering
from canteen.errors import NotFound
from canteen.orders import cutoffs, menus
from canteen.roles import Actor, Role
from canteen.web import i18n
from canteen.web.login import page_actor
from canteen.web.pages import render_page
from canteen.web.staff import render_staff_page

ROLES = (Role.ADMIN, Role.MANAGER)
TAGS = ("diabetic", "low_salt", "soft_food", "delivery")
"""The dish tags a policy rule can target (API.md); a dish may carry others, typed in."""
MEAL_TYPES = ("breakfast", "lunch", "dinner")
DISHES_SHOWN = 500
"""A canteen's price list is a few dozen dishes; the API's largest page holds them all."""
MENU_PREFIX = "menu_js_"
"""The menu and cut-off forms' words, for ``menus.js``."""


@dataclass(frozen=True)
class MenuLine:
    """One dish on sale for a meal, and whether (and with what) the day's menu serves it."""

    offering: Offering
    served: bool
    dishes: list[str]
    allergens: list[str]


@dataclass(frozen=True)
class MenuDay:
    on: date
    meals: dict[str, list[MenuLine]]
    """Meal type -> every dish on sale for it, those served first."""

    @property
    def served(self) -> dict[str, int]:
        return {m: sum(line.served for line in lines) for m, lines in self.meals.items()}


def _week_of(request: Request, today: date) -> date:
    """The Monday of ``?week=`` (any day of the week), else of this week."""
    try:
        day = date.fromisoformat(request.query_params.get("week", ""))
    except ValueError:
        day = today
    return day - timedelta(days=day.weekday())


async def _menu_week(
    actor: Actor, canteen: Canteen, monday: date, on_sale: list[Offering]
) -> list[MenuDay]:
    served = await menus.menus(actor, canteen.id, monday, monday + timedelta(days=6))
    week = []
    for n in range(7):
        on = monday + timedelta(days=n)
        day = served.get(on, {})
        meals = {}
        for meal_type in MEAL_TYPES:
            listed = {s.offering.id: s for s in day.get(meal_type, [])}
            lines = [
                MenuLine(
                    o,
                    o.id in listed,
                    listed[o.id].dishes if o.id in listed else [],
                    listed[o.id].allergens if o.id in listed else [],
                )
                for o in on_sale
                if o.meal_type == meal_type
            ]
            meals[meal_type] = sorted(lines, key=lambda line: not line.served)
        week.append(MenuDay(on, meals))
    return week


def _cutoffs(canteen: Canteen) -> dict[str, cutoffs.Cutoff]:
    return {
        m: cutoffs.parse(canteen.order_cutoffs.get(m, DEFAULT_ORDER_CUTOFFS[m])) for m in MEAL_TYPES
    }


async def index(request: Request) -> Response:
    """``GET /staff/canteens``: every canteen for the admin; a manager goes to their own."""
    actor = await page_actor(request, *ROLES)
    if not isinstance(actor, Actor):
        return actor
    if actor.role == Role.MANAGER:
        return RedirectResponse(f"/staff/canteens/{actor.canteen_id}", status_code=303)
    return await render_staff_page(request, "staff_canteens.html", actor)


async def canteen(request: Request) -> Response:
    """``GET /staff/canteens/{id}``: the price list by meal, and the meal windows."""
    actor = await page_actor(request, *ROLES)
    if not isinstance(actor, Actor):
        return actor
    canteen_id = request.path_params["canteen_id"]
    try:
        if actor.role == Role.MANAGER and actor.canteen_id != canteen_id:
            raise NotFound(f"No canteen {canteen_id}.")
        found = await canteens.get_canteen(actor, canteen_id)
    except NotFound:
        return render_page(request, "not_found.html", status=404)
    listed = await canteens.list_offerings(actor, found.id, DISHES_SHOWN, None)
    dishes = sorted(
        listed.items, key=lambda d: (not d.active, MEAL_TYPES.index(d.meal_type), d.name)
    )
    today = clock.today(ZoneInfo(found.timezone))
    monday = _week_of(request, today)
    on_sale = [d for d in dishes if d.active]
    return await render_staff_page(
        request,
        "staff_canteen.html",
        actor,
        canteen=found,
        dishes=dishes,
        more=listed.next_cursor is not None,
        meal_types=MEAL_TYPES,
        tags=TAGS,
        today=today,
        monday=monday,
        prev_week=monday - timedelta(days=7),
        next_week=monday + timedelta(days=7),
        week=await _menu_week(actor, found, monday, on_sale),
        cutoffs=_cutoffs(found),
        menu_strings=i18n.script_strings(i18n.language(request), MENU_PREFIX),
    )
