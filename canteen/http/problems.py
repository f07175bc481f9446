"""Every error leaves the service as RFC 9457 problem+json, from here and nowhere else."""

import logging
from typing import Any

import asyncpg
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from canteen.errors import (
    BadRequest,
    CanteenError,
    InvalidInput,
    MethodNotAllowed,
    NotFound,
    TooManyAttempts,
)

log = logging.getLogger("canteen")

MEDIA_TYPE = "application/problem+json"


def problem_body(error: CanteenError) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"urn:canteen:problem:{error.code}",
        "title": error.title,
        "status": error.status,
        "code": error.code,
        "detail": error.detail,
        **error.extra,
    }
    if isinstance(error, InvalidInput):
        body["errors"] = [{"field": e.field, "message": e.message} for e in error.errors]
    return body


def problem(error: CanteenError, headers: dict[str, str] | None = None) -> JSONResponse:
    headers = dict(headers or {})
    if isinstance(error, TooManyAttempts):
        headers["Retry-After"] = str(error.retry_after)
    return JSONResponse(
        problem_body(error), status_code=error.status, media_type=MEDIA_TYPE, headers=headers
    )


async def on_canteen_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, CanteenError)
    return problem(exc)


async def on_http_exception(request: Request, exc: Exception) -> Response:
    """Starlette's own errors in the same shape: the router's 404 and 405 (no such route,
    wrong method) and a form's 400 (past its limits, a broken multipart body), which once came
    out as a 404, telling a client "no such page" about a form it should fix.
    """
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        allowed = {"Allow": exc.headers["Allow"]} if exc.headers and "Allow" in exc.headers else {}
        return problem(MethodNotAllowed(f"{request.method} is not allowed here."), allowed)
    if exc.status_code == 400:
        return problem(BadRequest(exc.detail))
    return problem(NotFound(f"Nothing at {request.url.path}."))


async def on_unexpected(request: Request, exc: Exception) -> Response:
    """A bug: logged with its trace here, answered without one.

    Except a value the database itself refused as data (PostgreSQL's class 22: a text longer
    than its column, a number out of its type's range). The request types bound every field
    they know of; this net catches one they missed, and the caller learns it is their input,
    not our failure (it is still logged, to be bounded where it came in).
    """
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    if _refused_as_data(exc):
        return problem(InvalidInput("A value is too long or out of range for what it is."))
    return problem(CanteenError("Something went wrong on our side; it has been logged."))


def _refused_as_data(exc: BaseException | None) -> bool:
    """Whether the database refused a value as data, however the ORM wrapped its error."""
    while exc is not None:
        if isinstance(exc, asyncpg.exceptions.DataError):
            return True
        exc = exc.__cause__
    return False
