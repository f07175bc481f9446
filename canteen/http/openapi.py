"""The OpenAPI 3.1 document, built from the same endpoint list that builds the routes.

Every schema comes from one pydantic call (``models_json_schema``) over every body, query and
response model, and every reference is the one pydantic made for its model: a generic
(``ListOf[CanteenOut]``) or a model used both ways gets a name of pydantic's choosing
(``ListOf_CanteenOut_``, ``DinerOut-Output``), which references spelled from the class name
missed (11 of them pointed nowhere). ``tests/http/test_openapi.py`` validates the document
with openapi-spec-validator, and the fuzz test calls every operation from it.
"""

import re
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from canteen.errors import (
    CanteenError,
    Forbidden,
    InvalidInput,
    MalformedRequest,
    NotFound,
    PayloadTooLarge,
    Unauthenticated,
)
from canteen.http.endpoint import Endpoint
from canteen.schemas import MAX_ID

_PARAM = re.compile(r"{(\w+)(?::(\w+))?}")
_REF = "#/components/schemas/{model}"
_FILE = {"schema": {"type": "string", "format": "binary"}}
"""A download (CSV, XLSX, PNG, SVG, PDF): bytes of the media type it is listed under."""

Refs = dict[tuple[type[Any], JsonSchemaMode], dict[str, Any]]
"""pydantic's name map: each (model, mode) to the ``{"$ref": ...}`` it made for it (pydantic
keys it by model or pydantic dataclass)."""

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details; `code` is stable, `detail` is for people.",
    "required": ["type", "title", "status", "code", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "code": {"type": "string"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
    "additionalProperties": True,
}


def _errors_of(endpoint: Endpoint) -> list[type[CanteenError]]:
    errors: list[type[CanteenError]] = list(endpoint.errors)
    if endpoint.action is not None:
        errors += [Unauthenticated, Forbidden]
    if endpoint.body is not None:  # every body is read under CANTEEN_MAX_BODY_BYTES
        errors += [MalformedRequest, InvalidInput, PayloadTooLarge]
    elif endpoint.query is not None:
        errors.append(InvalidInput)
    if _PARAM.search(endpoint.path):
        errors.append(NotFound)
    return errors


def _error_responses(errors: list[type[CanteenError]]) -> dict[str, Any]:
    by_status: dict[int, list[str]] = {}
    for error in errors:
        by_status.setdefault(error.status, [])
        if error.code not in by_status[error.status]:
            by_status[error.status].append(error.code)
    return {
        str(status): {
            "description": "codes: " + ", ".join(f"`{code}`" for code in codes),
            "content": {
                "application/problem+json": {"schema": {"$ref": _REF.format(model="Problem")}}
            },
        }
        for status, codes in sorted(by_status.items())
    }


def _path_schema(kind: str) -> dict[str, Any]:
    """An ``int`` path parameter is a row's id: past ``MAX_ID`` it names nothing (404)."""
    if kind == "int":
        return {"type": "integer", "minimum": 0, "maximum": MAX_ID}
    return {"type": "string"}


def _parameters(endpoint: Endpoint, refs: Refs, defs: dict[str, Any]) -> list[dict[str, Any]]:
    params = [
        {"name": name, "in": "path", "required": True, "schema": _path_schema(kind)}
        for name, kind in _PARAM.findall(endpoint.path)
    ]
    if endpoint.query is not None:
        schema = defs[_name(refs[(endpoint.query, "validation")])]
        required = set(schema.get("required", []))
        for name, prop in schema["properties"].items():
            params.append(
                {"name": name, "in": "query", "required": name in required, "schema": prop}
            )
    if endpoint.idempotent:
        params.append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "description": "Same key and body: the first answer again, no second effect.",
                "schema": {"type": "string", "minLength": 1, "maxLength": 255},
            }
        )
    return params


def _name(ref: dict[str, Any]) -> str:
    return str(ref["$ref"]).rsplit("/", 1)[1]


def _success(endpoint: Endpoint, refs: Refs) -> dict[str, Any]:
    """The answer when all goes well: its JSON model, and the files it may be instead."""
    answer: dict[str, Any] = {"description": endpoint.summary}
    content: dict[str, Any] = {}
    if endpoint.response is not None:
        content["application/json"] = {"schema": refs[(endpoint.response, "serialization")]}
    for media_type in endpoint.files:
        content[media_type] = _FILE
    if content:
        answer["content"] = content
    return answer


def _operation(endpoint: Endpoint, refs: Refs, defs: dict[str, Any]) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": endpoint.handler.__name__,
        "summary": endpoint.summary,
        "tags": [endpoint.handler.__module__.split(".")[1]],
        "parameters": _parameters(endpoint, refs, defs),
        "responses": {
            str(endpoint.status): _success(endpoint, refs),
            **_error_responses(_errors_of(endpoint)),
        },
    }
    if endpoint.action is not None:
        operation["security"] = [{"bearer": []}]
        operation["description"] = f"Permission: `{endpoint.action}`."
    if endpoint.body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": refs[(endpoint.body, "validation")]}},
        }
    return operation


def _models(endpoints: list[Endpoint]) -> list[tuple[type[BaseModel], JsonSchemaMode]]:
    """Every model the document speaks of, once, in the mode it is used: bodies and queries
    are validated, responses serialised."""
    found: dict[tuple[type[BaseModel], JsonSchemaMode], None] = {}
    for endpoint in endpoints:
        uses: list[tuple[type[BaseModel] | None, JsonSchemaMode]] = [
            (endpoint.body, "validation"),
            (endpoint.query, "validation"),
            (endpoint.response, "serialization"),
        ]
        for model, mode in uses:
            if model is not None:
                found[(model, mode)] = None
    return list(found)


def openapi_document(endpoints: list[Endpoint], version: str) -> dict[str, Any]:
    refs, schemas = models_json_schema(_models(endpoints), ref_template=_REF)
    defs: dict[str, Any] = dict(schemas.get("$defs", {}))
    paths: dict[str, dict[str, Any]] = {}
    for endpoint in endpoints:
        path = "/api/v1" + _PARAM.sub(r"{\1}", endpoint.path)
        paths.setdefault(path, {})[endpoint.method.lower()] = _operation(endpoint, refs, defs)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Community canteen and meal subsidy API",
            "version": version,
            "description": "Money is integer fen; errors are problem+json with a stable `code`.",
        },
        "paths": paths,
        "components": {
            "schemas": {**defs, "Problem": PROBLEM_SCHEMA},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
