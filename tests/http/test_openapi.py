"""The OpenAPI document describes every route the service answers, and is valid OpenAPI."""

import json
import re

from openapi_spec_validator import validate
from starlette.routing import Mount, Route

from canteen.app import ENDPOINTS
from reports.export import XLSX_TYPE


async def test_every_api_route_is_in_the_document(app, client):
    doc = (await client.get("/api/v1/openapi.json")).json()
    assert doc["openapi"].startswith("3.1")
    documented = {(path, method.upper()) for path, ops in doc["paths"].items() for method in ops}
    api = next(r for r in app.routes if isinstance(r, Mount) and r.path == "/api/v1")
    served = {
        ("/api/v1" + route.path.replace(":int", ""), method)
        for route in api.routes
        if isinstance(route, Route) and route.path != "/openapi.json"
        for method in route.methods - {"HEAD"}
    }
    assert served == documented
    assert len(documented) == len(ENDPOINTS)


async def test_operations_name_their_permission_errors_and_schemas(client):
    doc = (await client.get("/api/v1/openapi.json")).json()
    topup = doc["paths"]["/api/v1/diners/{diner_id}/topups"]["post"]
    assert topup["security"] == [{"bearer": []}]
    assert "`accounts.topup`" in topup["description"]
    assert "`invalid_amount`" in topup["responses"]["422"]["description"]
    assert "`idempotency_key_reused`" in topup["responses"]["422"]["description"]
    assert any(p["name"] == "Idempotency-Key" for p in topup["parameters"])
    body_ref = topup["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body_ref.rsplit("/", 1)[1] in doc["components"]["schemas"]
    token = doc["paths"]["/api/v1/auth/token"]["post"]
    assert (
        "security" not in token
        and "`invalid_credentials`" in token["responses"]["401"]["description"]
    )


async def test_the_docs_page_lists_every_operation(client):
    doc = (await client.get("/api/v1/openapi.json")).json()
    page = (await client.get("/docs")).text
    for path in doc["paths"]:
        assert path in page


async def test_the_document_is_valid_openapi_and_every_reference_resolves(client):
    doc = (await client.get("/api/v1/openapi.json")).json()
    validate(doc)  # raises on the first thing that is not OpenAPI 3.1
    refs = set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', json.dumps(doc)))
    assert refs and refs <= set(doc["components"]["schemas"])
    canteens = doc["paths"]["/api/v1/canteens"]["get"]["responses"]["200"]
    listed = canteens["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert doc["components"]["schemas"][listed]["properties"]["items"]["items"]["$ref"].endswith(
        "/CanteenOut"
    )


async def test_file_downloads_name_their_media_types(client):
    doc = (await client.get("/api/v1/openapi.json")).json()
    expected = {
        ("/api/v1/reports/subsidy-claims", "200"): {
            "application/json",
            "text/csv",
            XLSX_TYPE,
            "image/png",
        },
        ("/api/v1/reports/sustainability", "200"): {
            "application/json",
            "text/csv",
            XLSX_TYPE,
            "image/png",
        },
        ("/api/v1/diners/{diner_id}/cards/{card_id}/print", "200"): {"application/pdf"},
        ("/api/v1/cards/{card_id}/qr.png", "200"): {"image/png"},
        ("/api/v1/cards/{card_id}/qr.svg", "200"): {"image/svg+xml"},
    }
    for (path, status), media_types in expected.items():
        content = doc["paths"][path]["get"]["responses"][status]["content"]
        assert set(content) == media_types, path
        for media_type in media_types - {"application/json"}:
            assert content[media_type]["schema"] == {"type": "string", "format": "binary"}


async def test_a_partial_update_documents_which_fields_take_null(client):
    schemas = (await client.get("/api/v1/openapi.json")).json()["components"]["schemas"]
    diner = schemas["DinerPatch"]["properties"]
    assert diner["name"]["type"] == "string" and "anyOf" not in diner["name"]
    assert {"type": "null"} in diner["home_canteen_id"]["anyOf"]
