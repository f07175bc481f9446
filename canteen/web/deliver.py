"""Meals brought home (送餐上门): the deliverer's phone page, the manager's planning page and the
printable run list, over the same services the API calls.

``/deliver`` is the deliverer's run for today on a phone: the stops in walking order, each with
what the deliverer must know at the door, and a tap to record what happened there. ``deliver.js``
records it through ``POST /api/v1/delivery-stops/{id}/outcome``, keeping each outcome (with the
Idempotency-Key made at the tap) in the phone's storage until the server has it, so a stairwell
without signal loses nothing and a second tap or a resend charges nothing twice. The service
worker at ``/deliver/sw.js`` keeps the page on the phone, so it opens again without signal.

``/deliver/plan`` is for the canteen's manager (and the admin): make a day's run, naming its
deliverer, and reorder its stops. ``/deliver/runs/{id}/print`` is the run on A4 paper.
"""

from datetime import date

from starlette.requests import Request
from starlette.responses import FileResponse, Response

from canteen import clock
from canteen.canteens.models import Canteen
from canteen.config import get_settings
from canteen.errors import NotFound
from canteen.money import format_yuan
from canteen.orders import planning, runs
from canteen.orders.schemas import RunOut
from canteen.roles import Actor, Role
from canteen.web import i18n
from canteen.web.login import page_actor
from canteen.web.pages import SECURITY_HEADERS, STATIC_DIR, render_page

SCRIPT_PREFIX = "deliver_js_"
"""Strings with this prefix go to ``deliver.js`` too, as JSON in a data attribute."""
DELIVERERS = (Role.VOLUNTEER, Role.STAFF, Role.CASHIER, Role.MANAGER)
PLANNERS = (Role.MANAGER, Role.ADMIN)
READERS = (Role.ADMIN, Role.STAFF, Role.MANAGER, Role.CASHIER, Role.VOLUNTEER)
"""Who may print a run: whoever may read it (``runs.get_run`` keeps each to their reach)."""
MEAL_TYPES = ("breakfast", "lunch", "dinner")
SCOPE = "/deliver"
DIETS = ("diabetic", "low_salt", "soft_food")
ALLERGY = "allergy:"


def warnings(dietary: list[str]) -> tuple[list[str], list[str]]:
    """A diner's dietary flags as (diet warnings, allergies): ``allergy:花生`` is an allergy to
    花生; any other flag is a diet to keep (an unknown one is shown as written)."""
    diets = [flag for flag in dietary if not flag.startswith(ALLERGY)]
    allergies = [flag.removeprefix(ALLERGY) for flag in dietary if flag.startswith(ALLERGY)]
    return diets, allergies


def _page(
    request: Request, name: str, actor: Actor, status: int = 200, **context: object
) -> Response:
    lang = i18n.language(request)
    return render_page(
        request,
        name,
        status=status,
        actor=actor,
        yuan=format_yuan,
        warnings=warnings,
        diets=DIETS,
        strings=i18n.script_strings(lang, SCRIPT_PREFIX),
        **context,
    )


async def _names(run_list: list[RunOut]) -> dict[int, str]:
    """The canteens' names of the runs (canteen id -> name)."""
    ids = {run.canteen_id for run in run_list}
    return {c.id: c.name for c in await Canteen.filter(id__in=ids)} if ids else {}


async def phone(request: Request) -> Response:
    """``GET /deliver``: today's runs of the logged-in deliverer, stops in walking order."""
    actor = await page_actor(request, *DELIVERERS)
    if not isinstance(actor, Actor):
        return actor
    mine = await runs.my_runs(actor, None)
    meals = {run.run_id: await planning.meals_of(run) for run in mine}
    return _page(
        request,
        "deliver.html",
        actor,
        runs=mine,
        meals=meals,
        canteens=await _names(mine),
        today=clock.today(get_settings().tz),
        made_at=clock.now().astimezone(get_settings().tz).strftime("%H:%M"),
        plans=actor.role in PLANNERS,
    )


async def service_worker(request: Request) -> Response:
    """``GET /deliver/sw.js``: the worker that keeps ``/deliver`` on the phone. Served from here
    (not ``/static``) with ``Service-Worker-Allowed`` so it may control ``/deliver`` itself, and
    never cached by the browser's HTTP cache, so a new version is picked up at once."""
    headers = {
        **SECURITY_HEADERS,
        "Service-Worker-Allowed": SCOPE,
        "Cache-Control": "no-cache",
    }
    return FileResponse(STATIC_DIR / "deliver_sw.js", media_type="text/javascript", headers=headers)


def _day(request: Request, default: date) -> date:
    try:
        return date.fromisoformat(request.query_params.get("date", ""))
    except ValueError:
        return default


async def plan(request: Request) -> Response:
    """``GET /deliver/plan``: the manager's runs of a day and meal, the delivery orders still on
    no run, and the form that makes a run of them (the admin picks the canteen)."""
    actor = await page_actor(request, *PLANNERS)
    if not isinstance(actor, Actor):
        return actor
    choices = (
        {c.id: c.name for c in await Canteen.all().order_by("id")}
        if actor.role == Role.ADMIN
        else {}
    )
    raw = request.query_params.get("canteen_id", "")
    canteen_id = actor.canteen_id or (int(raw) if raw.isdigit() else next(iter(choices), None))
    if canteen_id is None:
        return render_page(request, "not_found.html", status=404, actor=actor)
    canteen = await Canteen.get_or_none(id=canteen_id)
    if canteen is None:
        return render_page(request, "not_found.html", status=404, actor=actor)
    on = _day(request, clock.today(get_settings().tz))
    meal_type = request.query_params.get("meal_type", "lunch")
    if meal_type not in MEAL_TYPES:
        meal_type = "lunch"
    try:
        day_runs = await planning.day_runs(actor, canteen.id, on, meal_type)
        people = await planning.deliverers(actor, canteen.id)
        left = await planning.waiting(actor, canteen.id, on, meal_type)
    except NotFound:
        return render_page(request, "not_found.html", status=404, actor=actor)
    return _page(
        request,
        "deliver_plan.html",
        actor,
        canteen=canteen,
        choices=choices,
        on=on,
        meal_type=meal_type,
        meal_types=MEAL_TYPES,
        runs=day_runs,
        deliverers=people,
        names={d.user_id: d.name for d in people},
        waiting=left,
    )


async def print_run(request: Request) -> Response:
    """``GET /deliver/runs/{id}/print``: the run on paper, a box to tick at each door."""
    actor = await page_actor(request, *READERS)
    if not isinstance(actor, Actor):
        return actor
    try:
        run = await runs.get_run(actor, request.path_params["run_id"])
    except NotFound:
        return render_page(request, "not_found.html", status=404, actor=actor)
    canteen = await Canteen.get(id=run.canteen_id)
    deliverer = await planning.deliverer_name(run.deliverer_user_id)
    return _page(
        request,
        "deliver_print.html",
        actor,
        run=run,
        canteen=canteen,
        deliverer=deliverer,
        meals=await planning.meals_of(run),
        total=sum(s.pay_fen_estimate for s in run.stops),
    )
