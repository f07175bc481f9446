"""The access-control matrix: every endpoint called as every role.

The table below is the expected outcome, written from the product's point of view (not read
from ``canteen.roles``): ``x`` may call it (the answer may still be 404 or 422 for the
request made here, never 401/403), ``.`` gets 403 ``forbidden``, ``public`` needs no login.
A new endpoint without a row fails this test. Reach (another family's diner, another
canteen's meal) is tested below the matrix.
"""

import pytest

from canteen.app import ENDPOINTS
from tests.checkout.conftest import open_counter

ROLES = ("admin", "staff", "manager", "cashier", "family")

MATRIX = """
GET    /healthz                                          public
POST   /auth/token                                       public
POST   /auth/logout                                      x x x x x
POST   /users                                            x . . . .
GET    /users                                            x . . . .
PATCH  /users/{user_id}                                  x . . . .
POST   /users/{user_id}/disable                          x . . . .
POST   /users/{user_id}/enable                           x . . . .
POST   /users/{user_id}/password                         x . . . .
POST   /canteens                                         x . . . .
GET    /canteens                                         x x x x x
GET    /canteens/{canteen_id}                            x x x x x
PATCH  /canteens/{canteen_id}                            x . x . .
PUT    /canteens/{canteen_id}/menus/{date}               x . x . .
GET    /canteens/{canteen_id}/menus                      x x x x x
POST   /orders                                           x x x x x
POST   /orders/{order_id}/cancel                         x x x x x
GET    /orders                                           x x x x x
POST   /canteens/{canteen_id}/delivery-runs              x . x . .
GET    /delivery-runs/{run_id}                           x x x x .
POST   /delivery-runs/{run_id}/order                     x . x . .
GET    /me/delivery-runs                                 . x x x .
POST   /delivery-stops/{stop_id}/outcome                 x x x x .
GET    /canteens/{canteen_id}/kitchen-count              x x x x .
PUT    /canteens/{canteen_id}/kitchen-count/cooked       x . x x .
GET    /canteens/{canteen_id}/offline-snapshot           . . x x .
POST   /offline-sales                                    . . x x .
GET    /canteens/{canteen_id}/offline-reconciliations    x . x . .
POST   /canteens/{canteen_id}/offerings                  x . x . .
PATCH  /canteens/{canteen_id}/offerings/{offering_id}    x . x . .
GET    /canteens/{canteen_id}/offerings                  x x x x x
POST   /diners                                           x x . . .
GET    /diners                                           x x x x .
GET    /diners/{diner_id}                                x x x x x
PATCH  /diners/{diner_id}                                x x . . .
POST   /diners/{diner_id}/family                         x x . . .
DELETE /diners/{diner_id}/family/{username}              x x . . .
GET    /diners/{diner_id}/family                         x x . . .
GET    /me/diners                                        . . . . x
GET    /diners/{diner_id}/account                        x x x x x
PATCH  /diners/{diner_id}/account                        x x . . x
POST   /diners/{diner_id}/topups                         x x x x .
POST   /diners/{diner_id}/refunds                        x x . . .
POST   /diners/{diner_id}/adjustments                    x . . . .
GET    /diners/{diner_id}/ledger                         x x x x x
POST   /policies                                         x x . . .
GET    /policies                                         x x x x .
GET    /policies/current                                 x x x x .
GET    /policies/{policy_id}                             x x x x .
POST   /policies/simulate                                x x . . .
POST   /checkout/quote                                   x . x x .
GET    /checkout/lookup                                  x . x x .
POST   /meals                                            x . x x .
POST   /meals/{meal_id}/void                             x . x x .
GET    /meals                                            x x x x x
GET    /meals/count                                      x x x x .
GET    /meals/{meal_id}                                  x x x x x
POST   /diners/{diner_id}/cards                          x x . . .
GET    /diners/{diner_id}/cards                          x x x x .
GET    /diners/{diner_id}/cards/{card_id}/print          x x . . .
GET    /cards/{card_id}                                  x x x x .
POST   /cards/{card_id}/revoke                           x x x . .
POST   /cards/print                                      x x . . .
GET    /cards/{card_id}/qr.png                           x x . . .
GET    /cards/{card_id}/qr.svg                           x x . . .
GET    /audit                                            x . . . .
POST   /diners/{diner_id}/topup-intents                  x x . . x
GET    /topup-intents/{intent_id}                        x x . . x
POST   /payments/{provider}/notify                       public
GET    /alerts                                           x x x x x
POST   /alerts/{alert_id}/handle                         x x x x .
POST   /alerts/{alert_id}/follow-up                      x x x x .
GET    /alerts/board                                     x x x . .
POST   /diners/{diner_id}/watchers                       x x . . .
GET    /diners/{diner_id}/watchers                       x x . . .
DELETE /diners/{diner_id}/watchers/{user_id}             x x . . .
GET    /me/watched                                       . x . . .
GET    /diners/{diner_id}/found-page                     x x . . x
PUT    /diners/{diner_id}/found-page                     x x . . x
GET    /found-reports/{report_id}                        x x . . x
POST   /found-reports/{report_id}/messages               x x . . x
POST   /canteens/{canteen_id}/finance                    x . x . .
POST   /canteens/{canteen_id}/finance/{entry_id}/reverse x . x . .
GET    /canteens/{canteen_id}/finance                    x x x . .
POST   /claims                                           x x . . .
GET    /claims                                           x x x . .
GET    /claims/outstanding                               x x x . .
GET    /claims/{claim_id}                                x x x . .
GET    /claims/{claim_id}/export                         x x x . .
POST   /claims/{claim_id}/submit                         x x . . .
POST   /claims/{claim_id}/approve                        x x . . .
POST   /claims/{claim_id}/paid                           x x . . .
POST   /claims/{claim_id}/payments/{payment_id}/reverse  x x . . .
GET    /reports/subsidy-claims                           x x x . .
GET    /reports/sustainability                           x x x . .
GET    /reports/misuse                                   x x . . .
GET    /me/points                                        . . . . .
GET    /volunteers/points                                x x x . .
POST   /volunteers/{user_id}/points/redeem               x . x . .
GET    /me/notification-channels                         . . . . x
PUT    /me/notification-channels                         . . . . x
"""


def _rows() -> dict[tuple[str, str], str]:
    rows = {}
    for line in MATRIX.strip().splitlines():
        method, path, *marks = line.split()
        rows[(method, path)] = " ".join(marks)
    return rows


ROWS = _rows()


def _key(endpoint) -> tuple[str, str]:
    return endpoint.method, endpoint.path.replace(":int", "")


def test_every_endpoint_has_a_row_and_every_row_an_endpoint():
    served = {_key(e) for e in ENDPOINTS}
    assert served - set(ROWS) == set(), "add a row to the matrix for each new endpoint"
    assert set(ROWS) - served == set(), "a row names an endpoint that does not exist"


def test_public_rows_are_the_public_endpoints():
    public = {_key(e) for e in ENDPOINTS if e.action is None}
    assert public == {k for k, v in ROWS.items() if v == "public"}


@pytest.fixture
async def world(admin, as_role):
    """Objects of every kind, at the caller's own canteen and linked to the family caller."""
    counter = await open_counter(admin, as_role)
    sale = (await counter.cashier.post("/meals", counter.order())).json()
    users = {
        "admin": admin,
        "staff": await as_role("staff"),
        "manager": await as_role("manager", canteen_id=counter.canteen_id),
        "cashier": await as_role("cashier", canteen_id=counter.canteen_id),
        "family": await as_role("family"),
    }
    await admin.post(
        f"/diners/{counter.diner_id}/family",
        {"username": users["family"].actor.username, "relation": "女儿"},
    )
    policy = (await admin.get("/policies/current")).json()["id"]
    ids = {
        "canteen_id": counter.canteen_id,
        "offering_id": counter.lunch_id,
        "diner_id": counter.diner_id,
        "meal_id": sale["meal_id"],
        "card_id": counter.card_id,
        "policy_id": policy,
        "intent_id": 1,
        "alert_id": 1,
        "claim_id": 1,
        "user_id": 999_999,  # nobody: disabling a caller would end the run
        "payment_id": 1,
        "entry_id": 1,
        "provider": "sandbox",
        "username": users["family"].actor.username,
        "date": "2026-12-01",
        "order_id": 1,
        "run_id": 1,
        "stop_id": 1,
        "report_id": 1,
    }
    users["volunteer"] = await as_role("volunteer")
    return users, ids


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_each_role_reaches_exactly_its_rows(world):
    users, ids = world
    wrong = []
    last = sorted(ENDPOINTS, key=lambda e: e.path == "/auth/logout")  # logging out ends the run
    for endpoint in last:
        method, path = _key(endpoint)
        marks = ROWS[(method, path)]
        if marks == "public":
            continue
        url = path.format(**ids)
        for role, mark in zip(ROLES, marks.split(), strict=True):
            body = {} if method in ("POST", "PATCH") else None
            r = await users[role].request(method, url, json=body)
            denied = r.status_code == 403 and r.json().get("code") == "forbidden"
            if (mark == "." and not denied) or (mark == "x" and (denied or r.status_code == 401)):
                expected = "403" if mark == "." else "allowed"
                wrong.append(f"{role:8} {method} {path}: {r.status_code} (expected {expected})")
    assert wrong == []


VOLUNTEER_ROWS = {
    ("POST", "/auth/logout"),
    ("GET", "/canteens"),
    ("GET", "/canteens/{canteen_id}"),
    ("GET", "/canteens/{canteen_id}/offerings"),
    ("GET", "/canteens/{canteen_id}/menus"),
    ("GET", "/delivery-runs/{run_id}"),
    ("GET", "/me/delivery-runs"),
    ("GET", "/me/points"),
    ("POST", "/delivery-stops/{stop_id}/outcome"),
    ("GET", "/alerts"),
    ("POST", "/alerts/{alert_id}/handle"),
    ("POST", "/alerts/{alert_id}/follow-up"),
    ("GET", "/me/watched"),
}
"""A 红马甲 volunteer reads the canteens and their menus and walks the runs assigned to them:
every other endpoint is 403 (the matrix has no column for them; this is it)."""


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_volunteer_reaches_only_the_canteens_menus_and_their_runs(world):
    users, ids = world
    wrong = []
    last = sorted(ENDPOINTS, key=lambda e: e.path == "/auth/logout")
    for endpoint in last:
        method, path = _key(endpoint)
        if ROWS[(method, path)] == "public":
            continue
        body = {} if method in ("POST", "PATCH") else None
        r = await users["volunteer"].request(method, path.format(**ids), json=body)
        denied = r.status_code == 403 and r.json().get("code") == "forbidden"
        if denied == ((method, path) in VOLUNTEER_ROWS) or r.status_code == 401:
            wrong.append(f"{method} {path}: {r.status_code}")
    assert wrong == []


async def test_reach_is_narrower_than_the_role(admin, as_role):
    counter = await open_counter(admin, as_role)
    sale = (await counter.cashier.post("/meals", counter.order())).json()
    family = await as_role("family")
    for path in (
        f"/diners/{counter.diner_id}",
        f"/diners/{counter.diner_id}/account",
        f"/diners/{counter.diner_id}/ledger",
        f"/meals/{sale['meal_id']}",
    ):
        r = await family.get(path)
        assert (r.status_code, r.json()["code"]) == (404, "not_found"), path
    elsewhere = (await admin.post("/canteens", {"name": "别处"})).json()["id"]
    for role in ("cashier", "manager"):
        other = await as_role(role, canteen_id=elsewhere)
        r = await other.get(f"/meals/{sale['meal_id']}")
        assert (r.status_code, r.json()["code"]) == (404, "not_found"), role
        assert (await other.post("/meals", counter.order())).status_code == 403
