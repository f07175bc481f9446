"""The OpenAPI 3.1 document, built from the same endpoint list that builds the routes."""

import re
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from canteen.errors import CanteenError, Forbidden, InvalidInput, MalformedRequest, Unauthenticated
from canteen.http.endpoint import Endpoint

_PARAM = re.compile(r"{(\w+)(?::(\w+))?}")
_REF = "#/components/schemas/{model}"

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
    if endpoint.body is not None:
        errors += [MalformedRequest, InvalidInput]
    elif endpoint.query is not None:
        errors.append(InvalidInput)
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


def _parameters(endpoint: Endpoint, defs: dict[str, Any]) -> list[dict[str, Any]]:
    params = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "integer" if kind == "int" else "string"},
        }
        for name, kind in _PARAM.findall(endpoint.path)
    ]
    if endpoint.query is not None:
        schema = endpoint.query.model_json_schema(ref_template=_REF)
        required = set(schema.get("required", []))
        for name, prop in schema["properties"].items():
            params.append(
                {"name": name, "in": "query", "required": name in required, "schema": prop}
            )
        defs.update(schema.get("$defs", {}))
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


def _operation(endpoint: Endpoint, defs: dict[str, Any]) -> dict[str, Any]:
    responses: dict[str, Any] = {"description": endpoint.summary}
    if endpoint.response is not None:
        responses["content"] = {
            "application/json": {"schema": {"$ref": _REF.format(model=endpoint.response.__name__)}}
        }
    operation: dict[str, Any] = {
        "operationId": endpoint.handler.__name__,
        "summary": endpoint.summary,
        "tags": [endpoint.handler.__module__.split(".")[1]],
        "parameters": _parameters(endpoint, defs),
        "responses": {str(endpoint.status): responses, **_error_responses(_errors_of(endpoint))},
    }
    if endpoint.action is not None:
        operation["security"] = [{"bearer": []}]
        operation["description"] = f"Permission: `{endpoint.action}`."
    if endpoint.body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": _REF.format(model=endpoint.body.__name__)}}
            },
        }
    return operation


def openapi_document(endpoints: list[Endpoint], version: str) -> dict[str, Any]:
    models: list[tuple[type[BaseModel], Any]] = []
    for endpoint in endpoints:
        if endpoint.body is not None:
            models.append((endpoint.body, "validation"))
        if endpoint.response is not None:
            models.append((endpoint.response, "serialization"))
    _, schemas = models_json_schema(models, ref_template=_REF)
    defs: dict[str, Any] = dict(schemas.get("$defs", {}))
    paths: dict[str, dict[str, Any]] = {}
    for endpoint in endpoints:
        path = "/api/v1" + _PARAM.sub(r"{\1}", endpoint.path)
        paths.setdefault(path, {})[endpoint.method.lower()] = _operation(endpoint, defs)
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
