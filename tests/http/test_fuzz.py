"""Fuzzing the API from its own OpenAPI document (schemathesis): no 5xx, nothing off-schema.

Every operation is called with generated bodies, queries and path ids, as an admin, against a
real server holding a little data; every schemathesis check runs on every response.
"""

import asyncio
import os
import shutil
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from canteen import db
from canteen.auth import service as auth
from canteen.canteens import service as canteens
from canteen.cards import service as cards
from canteen.diners import service as diners
from canteen.http.app import ENDPOINTS
from canteen.http.openapi import openapi_document
from tests.conftest import _TMP, PASSWORD, LiveServer
from tests.factories import id_number

schema = schemathesis.openapi.from_dict(openapi_document(ENDPOINTS, "test"))
EXAMPLES = int(os.environ.get("CANTEEN_FUZZ_EXAMPLES", "25"))


async def _seed(url: str) -> str:
    async with db.database(url, pool_size=2):
        admin = auth.actor_of(
            await auth.create_user(None, username="fuzz-admin", password=PASSWORD, role="admin")
        )
        canteen = await canteens.create_canteen(
            None, name="A", timezone=None, default_timezone="Asia/Shanghai"
        )
        await canteens.create_offering(
            admin, canteen.id, name="午餐", meal_type="lunch", price_fen=1200, tags=[]
        )
        diner = await diners.enrol(None, name="王", id_number=id_number())
        await cards.issue(admin, diner.id)
        token = await auth.issue_token("fuzz-admin", PASSWORD, 3600)
    return token.access_token


@pytest.fixture(scope="module")
def fuzz_server(sqlite_template: str) -> Iterator[tuple[str, str]]:
    path = _TMP / "fuzz.sqlite3"
    shutil.copy(sqlite_template, path)
    url = f"sqlite://{path}"
    token = asyncio.run(_seed(url))
    server = LiveServer(url)
    asyncio.run(server.wait_ready())
    try:
        yield server.url, token
    finally:
        server.stop()


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_operation_breaks_or_leaves_its_schema(
    case: schemathesis.Case, fuzz_server: tuple[str, str]
) -> None:
    base_url, token = fuzz_server
    case.call_and_validate(base_url=base_url, headers={"Authorization": f"Bearer {token}"})
