"""Server-rendered pages: rendering, security headers, language, and the public pages."""

from datetime import date, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from canteen.auth import service as auth
from canteen.config import get_settings
from canteen.errors import Unauthenticated
from canteen.http import problems, session
from canteen.payments import providers
from canteen.roles import Actor
from canteen.web import i18n, nav

_HERE = Path(__file__).parent
STATIC_DIR = _HERE / "static"
templates = Environment(
    loader=FileSystemLoader(_HERE / "templates"), autoescape=select_autoescape(), auto_reload=False
)
templates.globals["sandbox_is_on"] = providers.sandbox_is_on
"""Every page asks, through ``base.html``: while the sandbox is on it wears the 沙箱 banner."""


def local_day(moment: datetime) -> date:
    """The day of a stored (UTC) instant in the service's time zone: before 08:00 in Shanghai,
    UTC's date is still yesterday's."""
    return moment.astimezone(get_settings().tz).date()


def local_time(moment: datetime) -> str:
    """A stored (UTC) instant as the service's local time, to the minute."""
    return f"{moment.astimezone(get_settings().tz):%Y-%m-%d %H:%M}"


templates.globals["local_day"] = local_day
templates.globals["local_time"] = local_time

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",  # names and money: no copy kept by browsers or proxies
    "Permissions-Policy": "camera=(self), microphone=(), geolocation=()",
}
FOUND_PAGE_HEADERS = {
    **SECURITY_HEADERS,
    "Permissions-Policy": "camera=(self), microphone=(), geolocation=(self)",
}
"""The found-elder page (``/q/...``, ``canteen.web.found``) alone may ask for the finder's
location, when they tap the button that adds it to their report."""


def render_page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page in the visitor's language, with the session's CSRF token for its scripts and forms,
    and, when the page names its ``actor``, the menu of the pages that actor has (``nav``)."""
    lang = i18n.language(request)
    token = session.session_token(request)
    actor = context.get("actor")
    menu = nav.links(actor if isinstance(actor, Actor) else None, request.url.path)
    html = templates.get_template(name).render(
        t=i18n.translator(lang),
        lang=lang,
        csrf=context.pop("csrf", None) or (session.csrf_for(token) if token else ""),
        logged_in=token is not None,
        path=request.url.path,
        site_menu=menu,
        site_here=next((link for link in menu if link.current), None),
        **context,
    )
    headers = FOUND_PAGE_HEADERS if request.url.path.startswith("/q/") else SECURITY_HEADERS
    response = HTMLResponse(html, status_code=status, headers=headers)
    if request.query_params.get("lang") in i18n.LANGUAGES:
        response.set_cookie(i18n.LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax", path="/")
    return response


PROBLEM_PATHS = ("/api/", "/healthz")
"""Where an unknown address answers problem+json (a program asked); anywhere else a person
typed or followed a link, and gets the 404 page in their language."""


async def visitor(request: Request) -> Actor | None:
    """Who is logged in, if anyone: for the pages anyone may open (the front page, the API's
    reference, the 404 page), which show a logged-in visitor their menu."""
    token = session.session_token(request)
    if token is None:
        return None
    try:
        return await auth.authenticate(token)
    except Unauthenticated:
        return None


async def on_http_exception(request: Request, exc: Exception) -> Response:
    """The router's 404 as the 404 page under the pages, as problem+json under the API."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404 and not request.url.path.startswith(PROBLEM_PATHS):
        return render_page(request, "not_found.html", status=404, actor=await visitor(request))
    return await problems.on_http_exception(request, exc)


async def home(request: Request) -> Response:
    """What this is and how to get in; the demo's usernames only on a demo server, so a real
    deployment's front page names no account to try passwords on."""
    return render_page(
        request,
        "home.html",
        demo=request.app.state.settings.demo,
        base_url=request.base_url,
        actor=await visitor(request),
    )


async def api_docs(request: Request) -> Response:
    """The API reference, rendered from the OpenAPI document (no CDN, no script)."""
    doc = request.app.state.openapi
    operations = [
        {"method": method.upper(), "path": path, **op}
        for path, methods in doc["paths"].items()
        for method, op in methods.items()
    ]
    return render_page(
        request, "api_docs.html", doc=doc, operations=operations, actor=await visitor(request)
    )
