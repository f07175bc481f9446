"""The found-elder page a card's QR code opens (``/q/<qr_payload>``), public, and the finder's
private thread with the family (``/found/<token>``).

No login: the forms are protected by a signed token (``canteen.found.rules.form_token``) bound
to the browser's nonce cookie and to what the form is for, so another site can neither read
one nor post for a visitor. A report is answered with a redirect to the finder's thread
(post, redirect, get: a reload does not report twice), and the outbox tells the family,
watchers and canteen at once, after the answer is sent, rather than at the periodic task's
next run.
"""

import json
import logging
import secrets

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from canteen import clock
from canteen.alerts import outbox
from canteen.errors import (
    InvalidInput,
    MalformedRequest,
    NotFound,
    PayloadTooLarge,
    TooManyReports,
)
from canteen.found import rules, service
from canteen.web import i18n
from canteen.web.pages import render_page

log = logging.getLogger(__name__)

NONCE_COOKIE = "canteen_found_nonce"
SCRIPT_PREFIX = "found_js_"
MAX_JSON_BYTES = 4096
"""A report is a phone number, a place and two numbers: far less than this."""


def _nonce(request: Request) -> tuple[str, bool]:
    """The browser's nonce (and whether it is new, to be set as a cookie)."""
    nonce = request.cookies.get(NONCE_COOKIE, "")
    if 16 <= len(nonce) <= 64 and nonce.isascii():
        return nonce, False
    return secrets.token_urlsafe(18), True


def _page(request: Request, name: str, status: int = 200, **context: object) -> Response:
    nonce, new = _nonce(request)
    scope = context.pop("scope", None)
    token = (
        rules.form_token(service.form_key(), str(scope), nonce, int(clock.now().timestamp()))
        if scope
        else ""
    )
    strings = i18n.script_strings(i18n.language(request), SCRIPT_PREFIX)
    response = render_page(
        request, name, status=status, form_token=token, strings=strings, **context
    )
    if new and scope:
        secure = request.url.scheme == "https"
        response.set_cookie(
            NONCE_COOKIE, nonce, httponly=True, samesite="strict", secure=secure, path="/"
        )
    return response


def _form_ok(request: Request, scope: str, submitted: object) -> bool:
    nonce = request.cookies.get(NONCE_COOKIE, "")
    now = int(clock.now().timestamp())
    return rules.form_token_valid(service.form_key(), scope, nonce, str(submitted or ""), now)


def _neutral(request: Request) -> Response:
    """Forged, revoked, switched off: one page for all, which says nothing of anyone."""
    return render_page(request, "found_neutral.html", status=404)


async def card_page(request: Request) -> Response:
    """``GET /q/<qr_payload>``: the form; ``POST``: the report."""
    payload = request.path_params["qr_payload"]
    scope = f"q|{payload}"
    if request.method == "GET":
        try:
            finding = await service.open_page(payload)
        except service.NotLive:
            return _neutral(request)
        return _page(request, "found.html", finding=finding, scope=scope, values={})
    if request.headers.get("content-type", "").startswith("application/json"):
        return await _json_report(request, payload)
    form = await request.form()
    values = {k: str(form.get(k, "")) for k in ("finder_phone", "where", "lat", "lon")}
    if not _form_ok(request, scope, form.get("form_token")):
        try:
            finding = await service.refuse(payload)
        except service.NotLive:
            return _neutral(request)
        return _page(
            request, "found.html", 403, finding=finding, scope=scope, values=values, error="form"
        )
    try:
        reported = await service.report(payload, service.FinderReport(**values))
    except service.NotLive:
        return _neutral(request)
    except TooManyReports:
        return render_page(request, "found_limited.html", status=429)
    except InvalidInput as exc:
        try:
            finding = await service.finding(payload)
        except service.NotLive:
            return _neutral(request)
        field = exc.errors[0].field if exc.errors else "form"
        return _page(
            request, "found.html", 422, finding=finding, scope=scope, values=values, error=field
        )
    return RedirectResponse(
        f"/found/{reported.thread_token}?told=1", status_code=303, background=BackgroundTask(tell)
    )


async def _json_report(request: Request, payload: str) -> Response:
    """``POST /q/<payload>`` with a JSON body, as API.md writes it: ``{"finder_phone",
    "where"?, "lat"?, "lon"?}`` -> 201 ``{"status": "told", "thread_url"}``; errors are
    problem+json (404 ``not_found`` for a card that is not live, 422 on a field, 429
    ``too_many_reports``). No form token: another site cannot send a JSON body without a
    CORS preflight, which this server never grants."""
    raw = await request.body()
    if len(raw) > MAX_JSON_BYTES:
        raise PayloadTooLarge(f"The body may be at most {MAX_JSON_BYTES} bytes.")
    try:
        body = json.loads(raw)
    except ValueError:
        raise MalformedRequest("The body is not JSON.") from None
    if not isinstance(body, dict):
        raise MalformedRequest("The body is not a JSON object.")
    unknown = sorted(set(body) - {"finder_phone", "where", "lat", "lon"})
    if unknown:
        raise InvalidInput.on(unknown[0], "not a field of a found report")
    for name in ("finder_phone", "where"):
        if body.get(name) is not None and not isinstance(body[name], str):
            raise InvalidInput.on(name, "text")
    for name in ("lat", "lon"):
        value = body.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise InvalidInput.on(name, "a number of degrees")
    given = service.FinderReport(
        finder_phone=body.get("finder_phone") or "",
        where=body.get("where") or "",
        lat=body.get("lat"),
        lon=body.get("lon"),
    )
    reported = await service.report(payload, given)
    answer = {"status": "told", "thread_url": f"/found/{reported.thread_token}"}
    return JSONResponse(answer, status_code=201, background=BackgroundTask(tell))


async def tell() -> None:
    """Report and deliver now what is waiting in the outbox (the finder's report among it);
    a failure is left to the periodic task, which tries again."""
    try:
        now = clock.now()
        await outbox.report(now)
        await outbox.deliver(now)
    except Exception:
        log.exception("telling of a found report failed; the periodic task will try again")


async def thread_page(request: Request) -> Response:
    """``GET /found/<token>``: the finder's thread with the family; ``POST``: a message."""
    token = request.path_params["token"]
    try:
        thread = await service.finder_thread(token)
    except NotFound:
        return _neutral(request)
    scope = f"report|{thread.report.id}"
    context = {
        "thread": thread,
        "scope": scope,
        "told": request.query_params.get("told") == "1",
        "zone": request.app.state.settings.tz,
    }
    if request.method == "GET":
        return _page(request, "found_thread.html", **context, body="")
    form = await request.form()
    body = str(form.get("body", ""))
    if not _form_ok(request, scope, form.get("form_token")):
        return _page(request, "found_thread.html", 403, **context, body=body, error="form")
    try:
        await service.finder_writes(token, body)
    except InvalidInput:
        return _page(request, "found_thread.html", 422, **context, body=body, error="body")
    return RedirectResponse(f"/found/{token}#messages", status_code=303)
