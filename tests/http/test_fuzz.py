"""Fuzzing the API from its own OpenAPI document (schemathesis): no 5xx, nothing off-schema.

Every operation is called with generated bodies, queries and path ids, as an admin, against a
real server holding a little data, on SQLite and on PostgreSQL; every schemathesis check runs
on every response. At the end each database's figures are printed: requests tried, 5xx seen.

The fuzzer must stay logged in. It once logged itself out through ``/auth/logout`` on its first
try and then met only 401s on 53 of 56 operations, which proved nothing. So its admin's token
is one it cannot revoke: logout cases spend tokens of another user (``fuzz-leaver``, issued in
advance), and a generated ``user_id`` that names the admin or the leaver is turned to a third
user's, so disabling or re-passwording "user 1" never locks the fuzzer out. A test at the end
checks that every operation was answered at least once with something other than a 401.

Every schemathesis check runs but one, "schema-valid data is accepted": a request can fit the
schema and still break a rule the schema cannot say (a cursor this service never gave out, a
cost category that depends on ``kind``, a dish that is not on the price list); its answer is a
422 naming the field, which is right. Schema-invalid data must still be refused with a 4xx.

How much is tried. Each operation gets schemathesis's coverage cases first (its deterministic
boundaries, missing, extra and wrong-typed parts: some 5,150 requests per database, run as
hypothesis's explicit examples), all of them on every run, then ``CANTEEN_FUZZ_EXAMPLES``
generated examples. ``make test`` draws 5 per operation (5,670 requests per database); each
costs some 20 ms to draw and mutate, and at 20 they made the fuzz the suite's longest item.
``make soak`` runs this file again with 100 per operation (``CANTEEN_FUZZ_EXAMPLES=100``): the
generated examples are where the odd finds come from (a 300 kB body, say), so the long run
draws many more of them. Every request of a database's fuzz goes over one keep-alive
``requests`` session, as schemathesis's own runner sends them, not a new connection each.
"""

import asyncio
import os
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import positive_data_acceptance
from schemathesis.transport.requests import ManagedCookiesSession

from canteen import db
from canteen.app import ENDPOINTS
from canteen.auth import service as auth
from canteen.canteens import service as canteens
from canteen.cards import service as cards
from canteen.diners import service as diners
from canteen.http.openapi import openapi_document
from canteen.roles import SYSTEM
from tests.conftest import _TMP, IN_CI, PASSWORD, LiveServer, _empty_postgres
from tests.factories import id_number

schema = schemathesis.openapi.from_dict(openapi_document(ENDPOINTS, "test"))
EXAMPLES = int(os.environ.get("CANTEEN_FUZZ_EXAMPLES", "5"))
"""Generated examples per operation, after its coverage cases: 5 in ``make test``, 100 in
``make soak``."""
LOGOUT = "/api/v1/auth/logout"


def documented(route: str) -> str:
    """A route's path as the document writes it: ``/api/v1/diners/{diner_id}``."""
    return "/api/v1" + re.sub(r"{(\w+):\w+}", r"{\1}", route)


@dataclass
class Fuzzed:
    """One database's server, the fuzzer's credentials, and what it has seen so far."""

    database: str
    url: str
    token: str
    protected_ids: set[int]
    """Users the fuzzer must not disable or re-password: itself and the leaver."""
    victim_id: int
    logout_tokens: list[str]
    session: ManagedCookiesSession
    """One keep-alive connection for every request, as schemathesis's own runner keeps: no
    response's cookie outlives its request, no header of the session's is added to a case."""
    statuses: Counter[int] = field(default_factory=Counter)
    answered: dict[str, Counter[int]] = field(default_factory=dict)

    def tally(self, operation: str, status: int) -> None:
        self.statuses[status] += 1
        self.answered.setdefault(operation, Counter())[status] += 1


SEEN: dict[str, Fuzzed] = {}


async def _seed(url: str) -> tuple[str, set[int], int, list[str]]:
    async with db.database(url, pool_size=2):
        admin_user = await auth.create_user(
            SYSTEM, username="fuzz-admin", password=PASSWORD, role="admin"
        )
        admin = auth.actor_of(admin_user)
        leaver = await auth.create_user(
            SYSTEM, username="fuzz-leaver", password=PASSWORD, role="admin"
        )
        victim = await auth.create_user(
            SYSTEM, username="fuzz-victim", password=PASSWORD, role="staff"
        )
        canteen = await canteens.create_canteen(
            SYSTEM, name="A", timezone=None, default_timezone="Asia/Shanghai"
        )
        await canteens.create_offering(
            admin, canteen.id, name="午餐", meal_type="lunch", price_fen=1200, tags=[]
        )
        diner = await diners.enrol(SYSTEM, name="王", id_number=id_number())
        await cards.issue(admin, diner.id)
        token = await auth.issue_token("fuzz-admin", PASSWORD, 3600)
        logout_tokens = [
            (await auth.issue_token("fuzz-leaver", PASSWORD, 3600)).access_token
            for _ in range(4 * EXAMPLES)
        ]
    return token.access_token, {admin_user.id, leaver.id}, victim.id, logout_tokens


def figures(seen: Fuzzed) -> str:
    """One database's figures for the closing note: requests tried, 5xx seen."""
    tried = sum(seen.statuses.values())
    by_class = {
        klass: sum(n for status, n in seen.statuses.items() if status // 100 == klass)
        for klass in (2, 3, 4, 5)
    }
    return (
        f"fuzz on {seen.database}: {tried} requests over {len(seen.answered)} operations, "
        f"{by_class[5]} answered 5xx ("
        + ", ".join(f"{klass}xx: {n}" for klass, n in by_class.items())
        + ")"
    )


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def fuzz_server(request: pytest.FixtureRequest, sqlite_template: str) -> Iterator[Fuzzed]:
    if request.param == "sqlite":
        path = _TMP / "fuzz.sqlite3"
        shutil.copy(sqlite_template, path)
        url = f"sqlite://{path}"
    else:
        url = request.getfixturevalue("postgres_template")
        asyncio.run(_empty_postgres(url))
    token, protected, victim, logout_tokens = asyncio.run(_seed(url))
    # The sandbox provider on, so its notification URL is fuzzed too (off, it is a 404).
    providers_before = os.environ.get("CANTEEN_PAYMENT_PROVIDERS")
    os.environ["CANTEEN_PAYMENT_PROVIDERS"] = "sandbox"
    try:
        server = LiveServer(url)
    finally:
        if providers_before is None:
            del os.environ["CANTEEN_PAYMENT_PROVIDERS"]
        else:
            os.environ["CANTEEN_PAYMENT_PROVIDERS"] = providers_before
    asyncio.run(server.wait_ready())
    session = ManagedCookiesSession()
    session.headers.clear()
    seen = SEEN[request.param] = Fuzzed(
        request.param, server.url, token, protected, victim, logout_tokens, session
    )
    try:
        yield seen
    finally:
        session.close()
        server.stop()


def _headers(case: schemathesis.Case, fuzzed: Fuzzed) -> dict[str, str]:
    """The Authorization this case is sent with: the fuzzer's, unless the case's headers are
    the negative part of it (a broken ``Bearer``, or none at all), which must reach the server
    as made. Adding the token to a case made without it once turned a request schemathesis
    counted as invalid into a valid one, and the fuzz failed the server for accepting it."""
    if case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER):
        return {}
    return {"Authorization": f"Bearer {_credentials(case, fuzzed)}"}


def _credentials(case: schemathesis.Case, fuzzed: Fuzzed) -> str:
    """The token this case is sent with; it never revokes or disables the fuzzer's own."""
    # Compared as text: the coverage phase sends path ids as strings ("1") as well as ints.
    target = str((case.path_parameters or {}).get("user_id", "")).strip()
    if target in {str(user_id) for user_id in fuzzed.protected_ids}:
        case.path_parameters["user_id"] = fuzzed.victim_id
    if case.path == LOGOUT:
        if len(fuzzed.logout_tokens) > 1:
            return fuzzed.logout_tokens.pop()
        return fuzzed.logout_tokens[0]  # spent: answered 401, as documented
    return fuzzed.token


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
)
def test_no_operation_breaks_or_leaves_its_schema(
    case: schemathesis.Case, fuzz_server: Fuzzed
) -> None:
    headers = _headers(case, fuzz_server)
    response = case.call(base_url=fuzz_server.url, session=fuzz_server.session, headers=headers)
    fuzz_server.tally(
        f"{case.operation.method.upper()} {case.operation.path}", response.status_code
    )
    case.validate_response(
        response,
        headers=headers,
        excluded_checks=[positive_data_acceptance],
        transport_kwargs={"base_url": fuzz_server.url, "session": fuzz_server.session},
    )


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
def test_the_fuzzer_stayed_logged_in_and_met_no_5xx(database: str, record_property) -> None:
    """Runs after the fuzz (same module, later in the file, in the same process: its tests share
    a module fixture, so xdist keeps them together): every operation was reached. The figures
    are shown in the run's "fuzz summary"."""
    seen = SEEN.get(database)
    if seen is None:
        # Only a run that left the fuzz out (``-k``, one file) gets here; CI runs it whole.
        if IN_CI:
            pytest.fail(f"the fuzz did not run on {database}")
        pytest.skip(f"the fuzz did not run on {database}")
    record_property("fuzz", figures(seen))
    secured = {f"{e.method} {documented(e.path)}" for e in ENDPOINTS if e.action}
    only_401 = sorted(
        op for op, statuses in seen.answered.items() if op in secured and set(statuses) == {401}
    )
    assert only_401 == [], f"only ever answered 401: {only_401}"
    assert len(seen.answered) == len(ENDPOINTS)
    assert not [s for s in seen.statuses if s >= 500]
