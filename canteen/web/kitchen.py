"""The kitchen's page (厨房备餐, ``/kitchen``): how many of each dish to cook for a day and meal,
the day's orders, and after the meal what was cooked, sold and left over.

The handler reads through the same services as ``GET /canteens/{id}/kitchen-count``
(``canteen.kitchen.service``) and renders; the one change the page makes, recording what was
cooked, its script (``static/kitchen.js``) sends to ``PUT /canteens/{id}/kitchen-count/cooked``
through ``page.js``'s client. A manager or cashier sees their own canteen; an admin picks one.
"""

from collections.abc import Callable
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import Response

from canteen import clock
from canteen.canteens import service as canteens
from canteen.canteens.models import Canteen
from canteen.diners import diet
from canteen.errors import NotFound
from canteen.kitchen import service as kitchen
from canteen.reporting import service as reporting
from canteen.roles import Actor, Role
from canteen.web import i18n
from canteen.web.login import page_actor
from canteen.web.pages import render_page
from reports.kitchen import basis

MEALS = ("breakfast", "lunch", "dinner")
SCRIPT_PREFIX = "kitchen_js_"
"""Words the script needs (saving, saved, the API's refusals), in a data attribute."""


def _meal_now(canteen: Canteen, now: datetime) -> str:
    """The meal the kitchen is busy with: the first whose window has not yet closed today
    (dinner once every window has)."""
    local = now.astimezone(ZoneInfo(canteen.timezone)).time()
    for meal in MEALS:
        if local < time.fromisoformat(canteen.meal_windows[meal][1]):
            return meal
    return "dinner"


def _meal_over(canteen: Canteen, on: date, meal: str, now: datetime) -> bool:
    """Whether the meal's window has closed: only then is what was cooked known."""
    zone = ZoneInfo(canteen.timezone)
    end = time.fromisoformat(canteen.meal_windows[meal][1])
    return datetime.combine(on, end, zone) <= now


def _diet_words(t: Callable[..., str]) -> Callable[[str], str]:
    """A diet flag in the page's words, as the counter says it (``counter_diet_*``): 糖尿病餐,
    过敏:花生; a flag outside the vocabulary as it was written."""

    def word(flag: str) -> str:
        allergy = diet.allergen(flag)
        if allergy is not None:
            return t("counter_diet_allergy", x=allergy)
        return t(f"counter_diet_{flag}") if flag in diet.FLAGS else flag

    return word


def _day(text: str | None, today: date) -> date:
    try:
        return date.fromisoformat(text) if text else today
    except ValueError:
        return today


async def _which_canteen(request: Request, actor: Actor) -> int:
    """The actor's own canteen; an admin's choice (``?canteen=``), else the first canteen."""
    if actor.role != Role.ADMIN:
        assert actor.canteen_id is not None  # a manager or cashier always works at one
        return actor.canteen_id
    asked = request.query_params.get("canteen", "")
    names = await reporting.canteen_names()
    if asked.isdigit():
        return int(asked)
    if not names:
        raise NotFound("No canteen yet.")
    return min(names)


async def page(request: Request) -> Response:
    """``GET /kitchen?date=&meal=&canteen=``: the kitchen count, orders and cooked vs sold."""
    actor = await page_actor(request, Role.MANAGER, Role.CASHIER, Role.ADMIN)
    if not isinstance(actor, Actor):
        return actor
    try:
        canteen_id = await _which_canteen(request, actor)
        canteen = await canteens.get_canteen(actor, canteen_id)
    except NotFound:
        return render_page(request, "not_found.html", status=404)
    now = clock.now()
    today = clock.today(ZoneInfo(canteen.timezone))
    on = _day(request.query_params.get("date"), today)
    meal = request.query_params.get("meal", "")
    meal = meal if meal in MEALS else _meal_now(canteen, now)
    lang = i18n.language(request)
    day = await kitchen.kitchen_count(actor, canteen.id, meal, on)
    orders = await kitchen.orders_of_day(actor, canteen.id, on, meal)
    return render_page(
        request,
        "kitchen.html",
        actor=actor,
        canteen=canteen,
        canteens=await reporting.canteen_names() if actor.role == Role.ADMIN else {},
        on=on,
        today=today,
        meal=meal,
        meals=MEALS,
        count=day.count,
        names=day.names,
        basis=basis(day.count, i18n.translator(lang)),
        orders=orders,
        meal_over=_meal_over(canteen, on, meal, now),
        meal_end=canteen.meal_windows[meal][1],
        diet_word=_diet_words(i18n.translator(lang)),
        strings=i18n.script_strings(lang, SCRIPT_PREFIX),
    )
