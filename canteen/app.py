"""The application factory: routes from every domain, errors in one shape, the database's life."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from importlib.metadata import version

from pydantic import BaseModel
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

from canteen import clock, db, operations, periodic
from canteen.accounts import api as accounts
from canteen.alerts import api as alerts
from canteen.audit import api as audit
from canteen.auth import api as auth
from canteen.auth.service import authenticate
from canteen.canteens import api as canteens
from canteen.cards import api as cards
from canteen.checkout import api as checkout
from canteen.claims import api as claims
from canteen.config import Settings, get_settings
from canteen.diners import api as diners
from canteen.errors import CanteenError
from canteen.finance import api as finance
from canteen.found import api as found
from canteen.http.endpoint import Call, Endpoint, routes
from canteen.http.observe import Observe
from canteen.http.openapi import openapi_document
from canteen.http.problems import on_canteen_error, on_unexpected
from canteen.kitchen import api as kitchen
from canteen.notify import api as notify
from canteen.notify import channels as phone_channels
from canteen.offline import api as offline
from canteen.orders import api as orders
from canteen.payments import api as payments
from canteen.payments import providers
from canteen.points import api as points
from canteen.policies import api as policies
from canteen.reporting import api as reporting
from canteen.watchers import api as watchers
from canteen.web import pages
from canteen.web import routes as web


class Health(BaseModel):
    status: str = "ok"


async def healthz(call: Call) -> Health:
    """Alive and serving; load balancers and ``make run`` ask this."""
    return Health()


ENDPOINTS: list[Endpoint] = [
    Endpoint("GET", "/healthz", healthz, "Health check", action=None, response=Health),
    *auth.ENDPOINTS,
    *canteens.ENDPOINTS,
    *diners.ENDPOINTS,
    *accounts.ENDPOINTS,
    *policies.ENDPOINTS,
    *checkout.ENDPOINTS,
    *cards.ENDPOINTS,
    *audit.ENDPOINTS,
    *payments.ENDPOINTS,
    *alerts.ENDPOINTS,
    *finance.ENDPOINTS,
    *claims.ENDPOINTS,
    *reporting.ENDPOINTS,
    *orders.ENDPOINTS,
    *kitchen.ENDPOINTS,
    *found.ENDPOINTS,
    *watchers.ENDPOINTS,
    *points.ENDPOINTS,
    *notify.ENDPOINTS,
    *offline.ENDPOINTS,
]


async def openapi(request: Request) -> Response:
    return JSONResponse(request.app.state.openapi)


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        providers.warn_if_sandbox()
        phone_channels.install(settings)  # SMS, WeChat: only those configured
        async with db.database(
            settings.database_url, settings.db_pool_size, settings.reports_database_url
        ):
            # The periodic work (expiry, alerts, outbox) runs beside the requests, outside any
            # transaction, until shutdown cancels it.
            task, app.state.heartbeat = None, None
            if settings.periodic_seconds > 0:
                app.state.heartbeat = periodic.Heartbeat(settings.periodic_seconds, clock.now())
                task = asyncio.create_task(periodic.run_every(app.state.heartbeat))
            app.state.periodic_task = task
            try:
                yield
            finally:
                if task is not None:
                    task.cancel()
                    with suppress(asyncio.CancelledError):
                        await task

    api_routes = [
        Route("/openapi.json", openapi, methods=["GET"]),
        *routes(ENDPOINTS, authenticate),
    ]
    app = Starlette(
        routes=[
            Route("/healthz", operations.healthz, methods=["GET"]),
            Route("/readyz", operations.readyz, methods=["GET"]),
            Route("/metrics", operations.metrics_page, methods=["GET"]),
            Mount("/api/v1", routes=api_routes),
            *web.ROUTES,
        ],
        exception_handlers={
            CanteenError: on_canteen_error,
            HTTPException: pages.on_http_exception,
            Exception: on_unexpected,
        },
        middleware=[Middleware(Observe)],
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.openapi = openapi_document(ENDPOINTS, version("canteen"))
    app.state.migrations = operations.Migrations(operations.newest_migration())
    app.state.heartbeat = None
    return app
