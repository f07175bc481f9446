"""What a district's IT asks of a running server: alive (``/healthz``), ready to take traffic
(``/readyz``) and its figures (``/metrics``). Answered at the root, outside the API and its
login; nginx keeps ``/metrics`` inside the network (deploy/nginx/canteen.conf)."""

import asyncio
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from tortoise.backends.base.client import BaseDBAsyncClient

from canteen import clock, db, metrics, rawsql
from canteen.alerts.models import Notification
from canteen.periodic import Heartbeat

DATABASE_TIMEOUT_SECONDS = 2.0


async def healthz(request: Request) -> Response:
    """Alive and serving: the process answers (a load balancer's liveness probe)."""
    return JSONResponse({"status": "ok"})


@dataclass
class Migrations:
    """The newest migration this release ships, and whether the database has reached it (once
    it has, it stays there while this process runs: nothing migrates a database backwards)."""

    head: str
    reached: bool = False


def newest_migration() -> str:
    files = (db.MIGRATIONS_DIR / "models").glob("[0-9]*_*.py")
    return max(files, key=lambda p: int(p.name.split("_")[0])).name


async def _database_and_migrations(conn: BaseDBAsyncClient, migrations: Migrations) -> str:
    """``ok``, or what is wrong: the database's newest migration when it is not this release's."""
    rows = await rawsql.fetch(
        conn, 'SELECT "version" FROM "aerich" WHERE "app" = \'models\' ORDER BY "id" DESC'
    )
    applied = {row[0] for row in rows}
    migrations.reached = migrations.head in applied
    if migrations.reached:
        return "ok"
    newest = rows[0][0] if rows else "none"
    return f"at {newest}, this release needs {migrations.head}: run canteen init"


async def readyz(request: Request) -> Response:
    """Ready when the database answers, its migrations are this release's, and this process's
    periodic task (when it runs one) has not stalled. 503 with the failing checks otherwise."""
    state = request.app.state
    migrations: Migrations = state.migrations
    heartbeat: Heartbeat | None = state.heartbeat
    checks: dict[str, str] = {}
    try:
        async with asyncio.timeout(DATABASE_TIMEOUT_SECONDS):
            conn = Notification._meta.db
            await rawsql.fetch(conn, "SELECT 1")
            checks["database"] = "ok"
            checks["migrations"] = (
                "ok" if migrations.reached else await _database_and_migrations(conn, migrations)
            )
    except Exception as exc:  # the probe's job is to say so, whatever the driver raised
        checks["database"] = f"unreachable: {type(exc).__name__}"
    if heartbeat is None:
        checks["periodic"] = "off in this process"
    elif heartbeat.stalled(clock.now()):
        checks["periodic"] = f"no run finished in {3 * heartbeat.seconds:g} s"
    else:
        checks["periodic"] = "ok"
    ready = all(value == "ok" or value.startswith("off") for value in checks.values())
    return JSONResponse(
        {"status": "ready" if ready else "not_ready", "checks": checks},
        status_code=200 if ready else 503,
    )


async def metrics_page(request: Request) -> Response:
    """The Prometheus figures; the outbox's counts are read from the database at the scrape."""
    rows = await rawsql.fetch(
        Notification._meta.db,
        'SELECT "status", COUNT(*) FROM "notification"'
        " WHERE \"status\" IN ('pending', 'failed') GROUP BY \"status\"",
    )
    counts = {status: int(n) for status, n in rows}
    for status in ("pending", "failed"):
        metrics.OUTBOX.labels(status).set(counts.get(status, 0))
    body, content_type = metrics.exposition()
    return Response(body, media_type=content_type)
