"""The OpenAPI document describes every route the service answers."""

from starlette.routing import Mount, Route

from canteen.http.app import ENDPOINTS


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
