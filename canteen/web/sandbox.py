"""The sandbox payment provider's pay page: it takes no money, and says so in large letters.

``GET /payments/sandbox/pay/{intent_id}`` shows what would be paid; its 确认支付 button posts
back here, and the sandbox signs a payment notification and delivers it to the same handler a
real provider's notification reaches (``payments.service.receive_notification``), signature
check included. Then the payer goes back where they came from: a family user to their elder's
page, which shows the new balance.
"""

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from canteen import clock
from canteen.errors import Conflict, Forbidden, NotFound
from canteen.http import session
from canteen.money import format_yuan
from canteen.payments import providers
from canteen.payments import service as payments
from canteen.payments.models import TopupIntent
from canteen.roles import Actor, Role
from canteen.web.login import page_actor
from canteen.web.pages import render_page


def _back(actor: Actor, intent: TopupIntent) -> str:
    if actor.role == Role.FAMILY:
        return f"/family/diners/{intent.diner_id}"
    return "/"


def _render(
    request: Request, actor: Actor, intent: TopupIntent, error: str | None = None, status: int = 200
) -> Response:
    return render_page(
        request,
        "sandbox_pay.html",
        status=status,
        actor=actor,
        intent=intent,
        shown_status=payments.shown_status(intent, clock.now()),
        amount=format_yuan(intent.amount_fen),
        back=_back(actor, intent),
        error=error,
    )


async def pay(request: Request) -> Response:
    """``GET`` shows the sandbox's pay page; ``POST`` (its button) confirms the payment.

    While the sandbox is off the page does not exist, for anyone, logged in or not.
    """
    if not providers.sandbox_is_on():
        return render_page(request, "not_found.html", status=404)
    actor = await page_actor(request)
    if not isinstance(actor, Actor):
        return actor
    try:
        intent = await payments.get_intent(actor, request.path_params["intent_id"])
        if intent.provider != providers.SandboxProvider.name:
            raise NotFound("Not a sandbox payment.")
        await intent.fetch_related("diner")
    except Forbidden:
        return render_page(request, "forbidden.html", status=403, actor=actor)
    except NotFound:
        return render_page(request, "not_found.html", status=404, actor=actor)
    if request.method == "GET":
        return _render(request, actor, intent)
    form = await request.form()
    session.check_csrf(request, session.session_token(request) or "", str(form.get("csrf", "")))
    try:
        received = await payments.confirm_in_sandbox(actor, intent.id)
    except Conflict as exc:
        return _render(request, actor, intent, error=exc.code, status=409)
    return RedirectResponse(f"{_back(actor, intent)}?paid={received.intent.id}", status_code=303)
