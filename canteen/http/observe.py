"""Every request timed, counted and logged once, under an id (pure ASGI: no per-request
task or body copy, which Starlette's ``BaseHTTPMiddleware`` would cost on the sale path)."""

import logging
import re
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from canteen import logs, metrics

log = logging.getLogger("canteen.access")

_GOOD_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
"""A request id from the proxy is kept only in this shape: it goes into every log line."""


def _route_template(scope: Scope) -> str:
    """``/api/v1/diners/{diner_id}`` for a matched route; ``unmatched`` otherwise, so a
    scanner's thousand made-up paths make one series, not a thousand."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if path is None:
        return "unmatched"
    return f"{scope.get('root_path', '')}{path}"


def _incoming_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            text = value.decode("latin-1")
            if _GOOD_ID.fullmatch(text):
                return text
    return uuid.uuid4().hex


class Observe:
    """Wraps the app: sets ``logs.request_id``, answers it in ``X-Request-ID``, observes the
    latency by route template and status, and writes one access line."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _incoming_id(scope)
        token = logs.request_id.set(rid)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            route = _route_template(scope)
            metrics.REQUEST_SECONDS.labels(scope["method"], route, str(status)).observe(seconds)
            log.info(
                "request",
                extra={
                    "request_id": rid,
                    "method": scope["method"],
                    "route": route,
                    "status": status,
                    "ms": round(seconds * 1000, 1),
                },
            )
            logs.request_id.reset(token)
