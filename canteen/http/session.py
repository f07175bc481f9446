"""Logging in to the pages: the session cookie is a bearer token, and forms carry a CSRF token.

The cookie holds the same kind of token the API hands out (only its hash is stored; logging
out revokes it), marked HttpOnly and SameSite=Strict. A request authenticated by the cookie
that changes something must also carry ``X-CSRF-Token`` (scripts) or a ``csrf`` form field
(forms) equal to an HMAC of the session token under a key of its own, so another site can
neither read nor forge it. The login form, before any session exists, uses a double-submit
cookie instead.
"""

import hashlib
import hmac
import secrets

from starlette.requests import Request
from starlette.responses import Response

from canteen.config import derive_key
from canteen.errors import CsrfFailed

SESSION_COOKIE = "canteen_session"
LOGIN_CSRF_COOKIE = "canteen_login_csrf"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def csrf_for(session_token: str) -> str:
    """The CSRF token that goes with a session; pages put it in a meta tag and in forms."""
    mac = hmac.new(derive_key("web/csrf/v1"), session_token.encode(), hashlib.sha256)
    return mac.hexdigest()[:32]


def session_token(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE) or None


def check_csrf(request: Request, token: str, submitted: str | None) -> None:
    """Refuse a cookie-authenticated change that does not carry the session's CSRF token."""
    if request.method in SAFE_METHODS:
        return
    # Compared as bytes: compare_digest refuses a str with non-ASCII characters (a TypeError,
    # once a 500), and a header can carry any byte.
    expected = csrf_for(token).encode()
    if submitted is None or not hmac.compare_digest(
        submitted.encode("utf-8", "surrogatepass"), expected
    ):
        raise CsrfFailed(
            "This page is out of date or came from elsewhere; reload it and try again."
        )


def start(response: Response, token: str, max_age: int, secure: bool) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=max_age,
        httponly=True,
        samesite="strict",
        secure=secure,
        path="/",
    )


def end(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


def new_login_csrf() -> str:
    return secrets.token_urlsafe(24)


def client_address(request: Request) -> str:
    """The caller's address, which the login throttle counts guesses by.

    Behind a reverse proxy this is the address the proxy reports (``X-Forwarded-For``), which
    uvicorn believes only from the addresses in ``FORWARDED_ALLOW_IPS`` (default: this host).
    """
    return request.client.host if request.client else "unknown"
