"""The log-in and log-out pages; where each role lands after logging in."""

from urllib.parse import urlparse

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from canteen.auth import service as auth
from canteen.errors import CsrfFailed, InvalidCredentials, TooManyAttempts, Unauthenticated
from canteen.http import session
from canteen.roles import Actor, Role
from canteen.web.pages import render_page

LANDING = {
    Role.CASHIER: "/counter",
    Role.MANAGER: "/counter",
    Role.FAMILY: "/family",
    Role.STAFF: "/staff",
    Role.ADMIN: "/staff",
    Role.VOLUNTEER: "/deliver",
}


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: a log-in link must not send people elsewhere."""
    if not target:
        return None
    parsed = urlparse(target)
    return (
        target
        if target.startswith("/") and not target.startswith("//") and not parsed.netloc
        else None
    )


async def login_form(
    request: Request, error: str | None = None, status: int = 200, **values: object
) -> Response:
    csrf = request.cookies.get(session.LOGIN_CSRF_COOKIE) or session.new_login_csrf()
    response = render_page(
        request,
        "login.html",
        status=status,
        csrf=csrf,
        error=error,
        next=_safe_next(request.query_params.get("next")) or "",
        values=values,
    )
    response.set_cookie(
        session.LOGIN_CSRF_COOKIE, csrf, httponly=True, samesite="strict", path="/login"
    )
    return response


async def login(request: Request) -> Response:
    if request.method == "GET":
        return await login_form(request)
    form = await request.form()
    username, password = str(form.get("username", "")), str(form.get("password", ""))
    cookie = request.cookies.get(session.LOGIN_CSRF_COOKIE)
    if not cookie or form.get("csrf") != cookie:
        return await login_form(request, CsrfFailed.code, status=403, username=username)
    try:
        issued = await auth.issue_token(
            username,
            password,
            request.app.state.settings.token_ttl_seconds,
            session.client_address(request),
        )
    except InvalidCredentials:
        return await login_form(request, InvalidCredentials.code, status=401, username=username)
    except TooManyAttempts as exc:
        return await login_form(
            request, TooManyAttempts.code, status=429, username=username, seconds=exc.retry_after
        )
    target = _safe_next(str(form.get("next", ""))) or LANDING[issued.role]
    response = RedirectResponse(target, status_code=303)
    session.start(
        response,
        issued.access_token,
        request.app.state.settings.token_ttl_seconds,
        secure=request.url.scheme == "https",
    )
    response.delete_cookie(session.LOGIN_CSRF_COOKIE, path="/login")
    return response


async def logout(request: Request) -> Response:
    token = session.session_token(request)
    if token is not None:
        form = await request.form()
        session.check_csrf(request, token, str(form.get("csrf", "")))
        await auth.revoke_token(token)
    response = RedirectResponse("/login", status_code=303)
    session.end(response)
    return response


async def page_actor(request: Request, *roles: Role) -> Actor | Response:
    """The logged-in user of a page, or the redirect to log in (or a 403 page for other roles)."""
    token = session.session_token(request)
    try:
        if token is None:
            raise Unauthenticated()
        actor = await auth.authenticate(token)
    except Unauthenticated:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    if roles and actor.role not in roles:
        return render_page(request, "forbidden.html", status=403, actor=actor)
    return actor
