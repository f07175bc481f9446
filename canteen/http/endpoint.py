"""How an API endpoint is declared, and the one wrapper every endpoint runs through.

Each domain's ``api.py`` lists its endpoints as data (method, path, permission, body, query
and response models). From that one list come the Starlette routes, the checks every request
gets (size, JSON, validation, token, permission, Idempotency-Key) and the OpenAPI document,
so the three cannot drift apart. Handlers are left with: call one service, shape the answer.

The toolkit knows no domain: who a token belongs to is asked of the ``Authenticate`` function
the app's composition hands to ``routes``, so the domains' ``api.py`` modules import this one
and it imports none of them: only the root's shared modules and the idempotency key.
"""

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, get_args

from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from canteen.errors import (
    CanteenError,
    FieldError,
    InvalidInput,
    MalformedRequest,
    NotFound,
    PayloadTooLarge,
    Unauthenticated,
)
from canteen.http import session
from canteen.idempotency.service import IdempotencyKey
from canteen.roles import Actor, require
from canteen.schemas import MAX_ID


@dataclass
class Call:
    """One parsed, authenticated, authorised request, as a handler sees it."""

    request: Request
    actor_or_none: Actor | None
    body: Any
    query: Any
    idempotency: IdempotencyKey | None

    @property
    def actor(self) -> Actor:
        assert self.actor_or_none is not None, "public endpoints have no actor"
        return self.actor_or_none

    def path(self, name: str) -> Any:
        return self.request.path_params[name]

    @property
    def settings(self) -> Any:
        return self.request.app.state.settings


Handler = Callable[[Call], Awaitable[BaseModel | Response]]
Authenticate = Callable[[str], Awaitable[Actor]]
"""A bearer token -> the actor it was issued to; ``Unauthenticated`` for any other token."""


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    """Relative to ``/api/v1``, with Starlette convertors: ``/diners/{diner_id:int}``."""
    handler: Handler
    summary: str
    action: str | None
    """The row of ``canteen.roles.PERMISSION_TABLE`` this needs; None for public ones."""
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    idempotent: bool = False
    """Takes an ``Idempotency-Key`` header (every POST that moves money)."""
    errors: tuple[type[CanteenError], ...] = field(default=())
    """The domain errors this endpoint can answer with, for the documentation."""
    files: tuple[str, ...] = ()
    """The media types of the files it answers with besides (or instead of) JSON:
    ``("text/csv", XLSX_TYPE, "image/png")`` for a report, ``("application/pdf",)``."""


def reply(status: int, body: dict[str, Any]) -> JSONResponse:
    """A JSON answer that is already rendered (e.g. replayed for an Idempotency-Key)."""
    return JSONResponse(body, status_code=status)


def rendered(status: int, model: BaseModel) -> Response:
    """A model as the JSON answer: pydantic writes the bytes itself (the same bytes as
    ``JSONResponse(model.model_dump(mode="json"))``, without the dict and ``json.dumps`` in
    between)."""
    return Response(model.model_dump_json(), status_code=status, media_type="application/json")


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"The body may be at most {limit} bytes.")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"The body may be at most {limit} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)


def _field_errors(exc: ValidationError) -> list[FieldError]:
    return [
        FieldError(".".join(str(part) for part in err["loc"]) or "body", err["msg"])
        for err in exc.errors(include_url=False)
    ]


def _invalid(exc: ValidationError) -> InvalidInput:
    """422 with every field's problem; a custom error type (``invalid_amount``) sets the code."""
    errors = _field_errors(exc)
    kinds = {err["type"] for err in exc.errors(include_url=False)}
    error = InvalidInput("The request has invalid fields.", errors=errors)
    for subclass in InvalidInput.__subclasses__():
        if kinds == {subclass.code}:
            error = subclass("The request has invalid fields.", errors=errors)
    return error


def _nul_at(data: Any, path: str = "") -> str | None:
    """Where a text in ``data`` holds a NUL character, as a field path (``rules.0.code``).

    PostgreSQL stores no NUL in text: one that reached it failed the request with a 500, so
    every text of every request is checked here, once, before any model sees it.
    """
    if isinstance(data, str):
        return (path or "body") if "\x00" in data else None
    items: Any = ()
    if isinstance(data, dict):
        items = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    for key, value in items:
        if isinstance(key, str) and "\x00" in key:
            return f"{path}.{key}".lstrip(".")
        found = _nul_at(value, f"{path}.{key}".lstrip("."))
        if found is not None:
            return found
    return None


def _refuse_nul(data: Any) -> None:
    field = _nul_at(data)
    if field is not None:
        raise InvalidInput.on(field, "may not contain a NUL character (U+0000)")


def _parse(model: type[BaseModel], raw: bytes) -> tuple[BaseModel, Any]:
    try:
        data = json.loads(raw or b"null")
    except ValueError as exc:
        raise MalformedRequest("The body is not valid JSON.") from exc
    except RecursionError as exc:
        raise MalformedRequest("The body nests too deeply to be a request.") from exc
    _refuse_nul(data)
    try:
        return model.model_validate(data), data
    except ValidationError as exc:
        raise _invalid(exc) from exc


def _parse_query(model: type[BaseModel], request: Request) -> BaseModel:
    """The query string as ``model``: like a body, an unknown or repeated parameter is refused
    (``?q=a&q=b`` once searched for ``b`` alone; a misspelt ``?canteen=2`` listed every
    canteen's meals), and so is a NUL."""
    known = {info.alias or name for name, info in model.model_fields.items()}
    params: dict[str, str] = {}
    for name, value in request.query_params.multi_items():
        if name not in known:
            raise InvalidInput.on(name or "query", "is not a parameter of this operation")
        if name in params:
            raise InvalidInput.on(name, "is given more than once")
        params[name] = value
    _refuse_nul(params)
    _refuse_loose_scalars(model, params)
    try:
        return model.model_validate(params)
    except ValidationError as exc:
        raise _invalid(exc) from exc


_QUERY_TEXT = {int: re.compile(r"-?[0-9]+"), bool: re.compile(r"true|false")}
"""How an integer and a boolean are written in a query string. pydantic's lax parsing would
also take ``5.0``, `` 5``, ``5_0`` or ``yes``, which the OpenAPI document says are not
integers or booleans (the fuzz sends them and expects a refusal)."""


def _refuse_loose_scalars(model: type[BaseModel], params: dict[str, str]) -> None:
    for name, info in model.model_fields.items():
        value = params.get(info.alias or name)
        kinds = {info.annotation, *get_args(info.annotation)}
        for kind, written in _QUERY_TEXT.items():
            if value is not None and kind in kinds and not written.fullmatch(value):
                raise InvalidInput.on(info.alias or name, f"is not written as {kind.__name__}")


def _check_path_ids(request: Request) -> None:
    """An id past the largest a table hands out names nothing: 404, before any query is made
    (PostgreSQL refused 2^31 and SQLite 2^63 with a 500)."""
    for value in request.path_params.values():
        if isinstance(value, int) and value > MAX_ID:
            raise NotFound(f"Nothing at {request.url.path}.")


def bearer_token(request: Request) -> str:
    """The caller's token: the Authorization header, else the pages' session cookie.

    A change made on the strength of the cookie must carry the page's CSRF token.
    """
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    cookie = session.session_token(request)
    if cookie is None:
        raise Unauthenticated("Send 'Authorization: Bearer <token>'; get one at /auth/token.")
    session.check_csrf(request, cookie, request.headers.get("x-csrf-token"))
    return cookie


def routes(endpoints: list[Endpoint], authenticate: Authenticate) -> list[Route]:
    """One Starlette route per path, dispatching on the method.

    One route per path (not per endpoint) makes a wrong method's 405 list in ``Allow`` every
    method the path supports.
    """
    by_path: dict[str, dict[str, Endpoint]] = {}
    for endpoint in endpoints:
        by_path.setdefault(endpoint.path, {})[endpoint.method] = endpoint
    return [_route(path, methods, authenticate) for path, methods in by_path.items()]


def _route(path: str, methods: dict[str, Endpoint], authenticate: Authenticate) -> Route:
    handlers = {method: _runner(endpoint, authenticate) for method, endpoint in methods.items()}
    if "GET" in handlers:
        handlers["HEAD"] = handlers["GET"]  # Starlette answers HEAD wherever GET is served

    async def dispatch(request: Request) -> Response:
        return await handlers[request.method](request)

    dispatch.__name__ = "_".join(e.handler.__name__ for e in methods.values())
    return Route(path, dispatch, methods=list(methods))


def _runner(
    endpoint: Endpoint, authenticate: Authenticate
) -> Callable[[Request], Awaitable[Response]]:
    """Run ``endpoint`` behind every shared check."""

    async def run(request: Request) -> Response:
        _check_path_ids(request)
        actor = None
        if endpoint.action is not None:
            actor = await authenticate(bearer_token(request))
            require(actor, endpoint.action)
        body = raw_body = query = None
        if endpoint.body is not None:
            limit = request.app.state.settings.max_body_bytes
            body, raw_body = _parse(endpoint.body, await _read_body(request, limit))
        if endpoint.query is not None:
            query = _parse_query(endpoint.query, request)
        idempotency = None
        key = request.headers.get("idempotency-key")
        if endpoint.idempotent and key is not None and actor is not None:
            idempotency = IdempotencyKey.of(
                actor.user_id, key, request.method, request.url.path, raw_body
            )
        result = await endpoint.handler(Call(request, actor, body, query, idempotency))
        if isinstance(result, Response):
            return result
        return rendered(endpoint.status, result)

    return run
