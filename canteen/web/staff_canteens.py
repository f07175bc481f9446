"""A canteen's own page (食堂): its price list (add a dish, change a price, take a dish off sale
and back) and its meal windows; for the admin, and for the manager of that canteen alone.

The page reads through the canteens service; changes go through ``office_forms.js`` to
``POST /canteens/{id}/offerings`` and ``PATCH /canteens/{id}/offerings/{offering_id}``, with
the price typed in yuan and sent as fen. A manager who asks for another canteen sees the
404 page, as the API answers them, so the page does not say which canteens exist.
"""

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from canteen.canteens import service as canteens
from canteen.errors import NotFound
from canteen.roles import Actor, Role
from canteen.web.login import page_actor
from canteen.web.pages import render_page
from canteen.web.staff import render_staff_page

ROLES = (Role.ADMIN, Role.MANAGER)
TAGS = ("diabetic", "low_salt", "soft_food", "delivery")
"""The dish tags a policy rule can target (API.md); a dish may carry others, typed in."""
MEAL_TYPES = ("breakfast", "lunch", "dinner")
DISHES_SHOWN = 500
"""A canteen's price list is a few dozen dishes; the API's largest page holds them all."""


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
    return await render_staff_page(
        request,
        "staff_canteen.html",
        actor,
        canteen=found,
        dishes=dishes,
        more=listed.next_cursor is not None,
        meal_types=MEAL_TYPES,
        tags=TAGS,
    )
