"""Every page's route, in one list."""

from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from canteen.web import (
    counter,
    family,
    login,
    pages,
    sandbox,
    staff,
    staff_audit,
    staff_canteens,
    staff_cards,
    staff_diners,
    staff_policies,
    staff_users,
)

ROUTES = [
    Route("/", pages.home, methods=["GET"]),
    Route("/docs", pages.api_docs, methods=["GET"]),
    Route("/login", login.login, methods=["GET", "POST"]),
    Route("/logout", login.logout, methods=["POST"]),
    Route("/counter", counter.counter, methods=["GET"]),
    Route("/family", family.home, methods=["GET"]),
    Route("/family/diners/{diner_id:int}", family.elder, methods=["GET"]),
    Route("/family/diners/{diner_id:int}/topup", family.topup, methods=["GET"]),
    Route("/staff", staff.claim_month, methods=["GET"]),
    Route("/staff/sustainability", staff.sustainability, methods=["GET"]),
    Route("/staff/finance", staff.books, methods=["GET"]),
    Route("/staff/simulate", staff.simulate, methods=["GET", "POST"]),
    Route("/staff/misuse", staff.misuse, methods=["GET"]),
    Route("/staff/policies", staff_policies.overview, methods=["GET"]),
    Route("/staff/policies/new", staff_policies.draft, methods=["GET", "POST"]),
    Route("/staff/users", staff_users.users, methods=["GET"]),
    Route("/staff/audit", staff_audit.trail, methods=["GET"]),
    Route("/staff/canteens", staff_canteens.index, methods=["GET"]),
    Route("/staff/canteens/{canteen_id:int}", staff_canteens.canteen, methods=["GET"]),
    Route("/staff/diners", staff_diners.find, methods=["GET"]),
    Route("/staff/diners/new", staff_diners.enrol, methods=["GET"]),
    Route("/staff/diners/{diner_id:int}", staff_diners.record, methods=["GET"]),
    Route("/staff/cards/print", staff_cards.print_batch, methods=["GET"]),
    Route("/payments/sandbox/pay/{intent_id:int}", sandbox.pay, methods=["GET", "POST"]),
    Mount("/static", StaticFiles(directory=pages.STATIC_DIR), name="static"),
]
