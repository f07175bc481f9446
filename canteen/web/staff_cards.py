"""The office's page for printing a batch of meal cards (``/staff/cards/print``).

The page asks ``POST /api/v1/cards/print`` for a canteen's cards or a list of diners' and
shows the answer's progress lines as a bar, then offers the PDF (``staff_cards_print.js``):
no job is kept on the server, so whichever process answers draws the whole batch.
"""

import re

from starlette.requests import Request
from starlette.responses import Response

from canteen.roles import Actor, Role
from canteen.web.login import page_actor
from canteen.web.staff import render_staff_page

LISTED = re.compile(r"^[0-9,，、\s]{0,20000}$")
"""``?diner_ids=1,2,3``: a list handed over from another page, shown in the form."""


async def print_batch(request: Request) -> Response:
    """``GET /staff/cards/print[?diner_ids=1,2,3]``: choose a canteen or list diners, print."""
    actor = await page_actor(request, Role.ADMIN, Role.STAFF)
    if not isinstance(actor, Actor):
        return actor
    listed = request.query_params.get("diner_ids", "")
    return await render_staff_page(
        request,
        "staff_cards_print.html",
        actor,
        diner_ids=listed if LISTED.match(listed) else "",
    )
