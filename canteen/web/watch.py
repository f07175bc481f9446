"""The watcher's phone page (``/watch``): the elders I watch over, whether each has eaten today,
and the cases about them still to handle or to follow up, over ``GET /me/watched``'s service.

A case is handled with one tap of what was done (called, visited and all well, took to
hospital, family reached) and a line of note, and followed up (回访) from the day after.
``watch.js`` records both through ``POST /api/v1/alerts/{id}/handle`` and ``.../follow-up``;
the handler here only reads and renders. For volunteers and staff users (a building head, a
grid worker); anyone else gets the forbidden page.
"""

from datetime import datetime

from starlette.requests import Request
from starlette.responses import Response

from canteen.alerts.models import HANDLE_OUTCOMES
from canteen.alerts.service import follow_up_due_on
from canteen.config import get_settings
from canteen.money import format_yuan
from canteen.roles import Actor, Role
from canteen.watchers import service as watchers
from canteen.web import i18n
from canteen.web.login import page_actor
from canteen.web.pages import render_page

SCRIPT_PREFIX = "watch_js_"
"""Strings with this prefix go to ``watch.js`` too, as JSON in a data attribute."""
WATCHERS = (Role.VOLUNTEER, Role.STAFF)


def when(moment: datetime | None) -> str:
    """A moment as the service's local ``MM-DD HH:MM`` (what a phone has room for)."""
    return moment.astimezone(get_settings().tz).strftime("%m-%d %H:%M") if moment else ""


async def phone(request: Request) -> Response:
    """``GET /watch``: my elders, their meals today and their open cases."""
    actor = await page_actor(request, *WATCHERS)
    if not isinstance(actor, Actor):
        return actor
    lang = i18n.language(request)
    t = i18n.translator(lang)

    def meal_words(meals: list[str]) -> str:
        return t("watch_meals_sep").join(t(f"watch_meal_{meal}") for meal in meals)

    return render_page(
        request,
        "watch.html",
        actor=actor,
        elders=await watchers.my_watched(actor),
        outcomes=HANDLE_OUTCOMES,
        due_on=follow_up_due_on,
        when=when,
        meal_words=meal_words,
        yuan=format_yuan,
        strings=i18n.script_strings(lang, SCRIPT_PREFIX),
    )
