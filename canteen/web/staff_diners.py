"""The office's pages for elders (长者档案): find one as you type, enrol one, and one elder's
record: details, status, family links, the account with its corrections, meal cards, and
meals ordered ahead for an elder who telephones (``web/ordering.py``, sent by ``ordering.js``).

Pages read on the server through the services the API uses. Every change is a form whose
inputs are named after the API's fields, sent through ``page.js``: by ``office.js`` where a
form is a plain request, by ``staff_diner_form.js`` where the page does more (the resident ID
checked as it is typed, allergies written in words, a correction of money sent with an
Idempotency-Key). The full ID number never reaches a page: the office sees the API's mask.
"""

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from canteen import clock
from canteen.accounts import service as accounts
from canteen.cards import service as cards
from canteen.config import get_settings
from canteen.diners import diet
from canteen.diners import service as diners
from canteen.diners.api import diner_out
from canteen.errors import NotFound
from canteen.roles import Actor, Role
from canteen.watchers import service as watchers
from canteen.web import i18n, ordering
from canteen.web.login import page_actor
from canteen.web.pages import render_page
from canteen.web.staff import render_staff_page

ROLES = (Role.ADMIN, Role.STAFF)
SHOWN = 50
"""Rows of a search; a clerk narrows the words rather than pages through elders."""
LEDGER_SHOWN = 30
ORDER_PREFIX = "order_js_"
"""The order section's words, for ``ordering.js``."""


def _today() -> Any:
    return clock.today(get_settings().tz)


async def _render(request: Request, name: str, actor: Actor, **context: Any) -> Response:
    t = i18n.translator(i18n.language(request))

    def diet_label(flag: str) -> str:
        written = diet.allergen(flag)
        return t("counter_diet_allergy", x=written) if written else t(f"counter_diet_{flag}")

    return await render_staff_page(
        request,
        name,
        actor,
        statuses=diners.STATUSES,
        categories=diners.CATEGORIES,
        diet_flags=diet.FLAGS,
        diet_label=diet_label,
        **context,
    )


async def find(request: Request) -> Response:
    """``GET /staff/diners?q=&status=``: elders by name, phone or the last 4 of the ID number;
    the page's script searches again as the clerk types (``GET /api/v1/diners?q=``)."""
    actor = await page_actor(request, *ROLES)
    if not isinstance(actor, Actor):
        return actor
    q = request.query_params.get("q", "").strip()[:64] or None
    status = request.query_params.get("status")
    status = status if status in diners.STATUSES else None
    page = await diners.search(actor, q, status, SHOWN, None)
    masked, today = await diners.masked_numbers(actor, page.items), _today()
    t = i18n.translator(i18n.language(request))
    labels = {
        **{f"cat_{code}": t(f"diners_cat_{code}") for code in diners.CATEGORIES},
        **{f"status_{s}": t(f"diners_status_{s}") for s in diners.STATUSES},
        **{f"gender_{g}": t(f"diners_gender_{g}") for g in ("male", "female")},
        "age": t("diners_age", n="{n}"),
        "found": t("diners_found", n="{n}"),
        "more": t("diners_more", n="{n}"),
        "none": t("diners_none"),
    }
    return await _render(
        request,
        "staff_diners.html",
        actor,
        found=[diner_out(d, actor, today, masked) for d in page.items],
        more=page.next_cursor is not None,
        q=q,
        state=status,
        labels=json.dumps(labels, ensure_ascii=False),
    )


async def enrol(request: Request) -> Response:
    """``GET /staff/diners/new``: the enrolment form; it posts to ``POST /api/v1/diners``."""
    actor = await page_actor(request, *ROLES)
    if not isinstance(actor, Actor):
        return actor
    return await _render(request, "staff_diner_new.html", actor, today=_today())


async def record(request: Request) -> Response:
    """``GET /staff/diners/{id}``: one elder's record, account and cards."""
    actor = await page_actor(request, *ROLES)
    if not isinstance(actor, Actor):
        return actor
    diner_id = request.path_params["diner_id"]
    try:
        diner = await diners.get_diner(actor, diner_id)
    except NotFound:
        return render_page(request, "not_found.html", status=404)
    today = _today()
    shown = diner_out(diner, actor, today, await diners.masked_numbers(actor, [diner]))
    ledger = await accounts.ledger(actor, diner_id, LEDGER_SHOWN, None)
    held = await cards.list_for_diner(actor, diner_id, 100, None)
    live = next((card for card in held.items if card.revoked_at is None), None)
    return await _render(
        request,
        "staff_diner.html",
        actor,
        d=shown,
        allergies=[a for flag in shown.dietary if (a := diet.allergen(flag))],
        ledger=ledger.items,
        more_ledger=ledger.next_cursor is not None,
        cards=held.items,
        live_card=live,
        revoke_reasons=cards.REVOKE_REASONS,
        links=await diners.family_links(actor, diner_id),
        watchers=await watchers.watchers_of(actor, diner_id),
        watcher_choices=await watchers.candidates(),
        enrolled="enrolled" in request.query_params,
        ordering=await ordering.for_diner(actor, diner),
        order_strings=i18n.script_strings(i18n.language(request), ORDER_PREFIX),
    )
