"""The family portal (家属): phone-first pages over the same services the API calls.

``/family`` lists the linked elders: balance, and whether each has eaten today.
``/family/diners/{id}`` shows one elder: meals to order ahead from their home canteen's menu
for the week (``web/ordering.py``, placed and cancelled by ``ordering.js``), the last 30 days
of meals (price, subsidy, what was paid), the alerts about them and the low-balance setting.
``/family/diners/{id}/topup`` starts an online top-up. The changes (a top-up intent, the
threshold) are made by ``family.js`` through the JSON API with the session cookie and the page's
CSRF token; the handlers here only read and render.
"""

from starlette.requests import Request
from starlette.responses import Response

from canteen.alerts import service as alerts
from canteen.diners import service as diners
from canteen.errors import NotFound
from canteen.families import service as families
from canteen.found import service as found_pages
from canteen.money import format_yuan
from canteen.notify import service as notify
from canteen.payments import service as payments
from canteen.payments.models import TopupIntent
from canteen.roles import Actor, Role
from canteen.web import i18n, ordering
from canteen.web.login import page_actor
from canteen.web.pages import render_page

SCRIPT_PREFIX = "family_js_"
ORDER_PREFIX = "order_js_"
"""The order section's words, for ``ordering.js``."""
"""Strings with this prefix go to ``family.js`` too, as JSON in a data attribute."""
FOUND_PREFIX = "found_family_js_"
"""The found-elder switch's and replies' words, for ``found_family.js``."""
QUICK_YUAN = (50, 100, 200)
ALERTS_SHOWN = 20


def _page(
    request: Request, name: str, actor: Actor, status: int = 200, **context: object
) -> Response:
    return render_page(
        request,
        name,
        status=status,
        actor=actor,
        yuan=format_yuan,
        strings=i18n.script_strings(i18n.language(request), SCRIPT_PREFIX),
        **context,
    )


def not_found(request: Request, actor: Actor) -> Response:
    return render_page(request, "not_found.html", status=404, actor=actor)


async def home(request: Request) -> Response:
    """``GET /family``: every linked elder at a glance."""
    actor = await page_actor(request, Role.FAMILY)
    if not isinstance(actor, Actor):
        return actor
    elders = await families.overview(actor)
    open_alerts = await alerts.list_alerts(actor, status="open", limit=ALERTS_SHOWN)
    channels = await notify.get_choice(actor, request.app.state.settings)
    return _page(
        request,
        "family.html",
        actor,
        elders=elders,
        open_alerts=open_alerts.items,
        channels=channels,
        channel_strings=i18n.script_strings(i18n.language(request), "notify_js_"),
    )


async def _paid_intent(request: Request, actor: Actor, diner_id: int) -> TopupIntent | None:
    """The top-up the payer just came back from (``?paid=<intent id>``), if it is theirs."""
    raw = request.query_params.get("paid", "")
    if not raw.isdigit() or len(raw) > 9:
        return None
    try:
        intent = await payments.get_intent(actor, int(raw))
    except NotFound:
        return None
    return intent if intent.diner_id == diner_id else None


async def elder(request: Request) -> Response:
    """``GET /family/diners/{id}``: one elder's meals, alerts and settings."""
    actor = await page_actor(request, Role.FAMILY)
    if not isinstance(actor, Actor):
        return actor
    diner_id = request.path_params["diner_id"]
    try:
        found = await families.elder(actor, diner_id)
    except NotFound:
        return not_found(request, actor)
    history = await alerts.list_alerts(actor, diner_id=diner_id, limit=ALERTS_SHOWN)
    return _page(
        request,
        "family_elder.html",
        actor,
        elder=found,
        alerts=history.items,
        paid=await _paid_intent(request, actor, diner_id),
        found_threads=await found_pages.threads_of_alerts(
            actor, [a.id for a in history.items if a.kind == "found_wandering"]
        ),
        found_switch=await found_pages.get_switch(actor, diner_id),
        found_strings=i18n.script_strings(i18n.language(request), FOUND_PREFIX),
        zone=request.app.state.settings.tz,
        ordering=await ordering.for_diner(actor, found.diner),
        order_strings=i18n.script_strings(i18n.language(request), ORDER_PREFIX),
    )


async def topup(request: Request) -> Response:
    """``GET /family/diners/{id}/topup``: choose an amount; the script opens the intent."""
    actor = await page_actor(request, Role.FAMILY)
    if not isinstance(actor, Actor):
        return actor
    try:
        diner = await diners.get_diner(actor, request.path_params["diner_id"])
    except NotFound:
        return not_found(request, actor)
    return _page(request, "family_topup.html", actor, diner=diner, quick=QUICK_YUAN)
