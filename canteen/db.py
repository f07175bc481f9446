"""The database: Tortoise configuration, connection lifetime, and migrations.

SQLite (the embedded default) runs in WAL mode with ``synchronous=FULL`` (a sale that was
acknowledged survives a power cut) and a busy timeout; one server process writes to it.
PostgreSQL runs through asyncpg with a pool sized to one worker's concurrency.
"""

import importlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg
from aerich import Command
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.context import TortoiseContext

from canteen import db_sqlite

MODEL_MODULES = [
    "canteen.auth.models",
    "canteen.canteens.models",
    "canteen.diners.models",
    "canteen.accounts.models",
    "canteen.audit.models",
    "canteen.idempotency.models",
    "canteen.policies.models",
    "canteen.cards.models",
    "canteen.checkout.models",
    "canteen.payments.models",
    "canteen.alerts.models",
    "canteen.finance.models",
    "canteen.claims.models",
    "canteen.orders.models",
    "canteen.kitchen.models",
    "canteen.found.models",
    "canteen.watchers.models",
    "canteen.points.models",
    "canteen.notify.models",
    "canteen.offline.models",
]
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"

SQLITE_PRAGMAS = {
    "journal_mode": "WAL",
    "synchronous": "FULL",
    "busy_timeout": 5000,
    "foreign_keys": "ON",
}


async def keep_session(connection: asyncpg.Connection) -> None:
    """Return a connection to the pool without asyncpg's reset query.

    By default asyncpg sends ``SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *;
    RESET ALL`` each time a connection goes back to its pool, and Tortoise takes one from the
    pool for every statement outside a transaction: a quote's eight reads cost sixteen round
    trips. We never take advisory locks, LISTEN, open cursors or SET session settings, so
    there is nothing to reset; an open transaction is still rolled back (asyncpg does that
    before calling this).
    """


def _connection(database_url: str, pool_size: int) -> dict[str, Any]:
    connection = expand_db_url(database_url)
    credentials = connection["credentials"]
    if connection["engine"] == "tortoise.backends.sqlite":
        connection["engine"] = db_sqlite.ENGINE
        Path(credentials["file_path"]).parent.mkdir(parents=True, exist_ok=True)
        credentials.update(SQLITE_PRAGMAS)
    else:
        credentials.setdefault("minsize", 1)
        credentials["maxsize"] = pool_size
        credentials["reset"] = keep_session
    return connection


def tortoise_config(database_url: str, pool_size: int = 20) -> dict[str, Any]:
    """The Tortoise config dict for a ``sqlite://`` or ``postgres://`` URL."""
    connection = _connection(database_url, pool_size)
    # The connection is named after its dialect: Tortoise caches each model's SQL by
    # connection name, and a process that opens SQLite and then PostgreSQL (the test suite)
    # must not reuse one's SQL for the other.
    name = "sqlite" if connection["engine"] == db_sqlite.ENGINE else "postgres"
    return {
        "connections": {name: connection},
        "apps": {
            "models": {
                "models": [*MODEL_MODULES, "aerich.models"],
                "default_connection": name,
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


@asynccontextmanager
async def database(
    database_url: str, pool_size: int = 20, reports_url: str = ""
) -> AsyncIterator[None]:
    """Connect for the duration of the block, visible to every task (server requests included)."""
    async with TortoiseContext() as ctx:
        await ctx.init(
            config=tortoise_config(database_url, pool_size), _enable_global_fallback=True
        )
        async with _replica(reports_url, pool_size):
            yield


_reports: BaseDBAsyncClient | None = None


def reports_connection() -> BaseDBAsyncClient | None:
    """The reports' replica (``CANTEEN_REPORTS_DATABASE_URL``), None without one.

    Outside Tortoise's own connections on purpose: with a second connection there, every
    ``in_transaction()`` would have to name its database. Process-wide, as Tortoise's
    connections are, so the requests' tasks see what the lifespan's task opened."""
    return _reports


@asynccontextmanager
async def _replica(url: str, pool_size: int) -> AsyncIterator[None]:
    global _reports
    if not url:
        yield
        return
    config = _connection(url, pool_size)
    client_class = importlib.import_module(config["engine"]).client_class
    client: BaseDBAsyncClient = client_class(connection_name="reports", **config["credentials"])
    await client.create_connection(with_db=True)
    _reports = client
    try:
        yield
    finally:
        _reports = None
        await client.close()


async def migrate(database_url: str, migrations_dir: Path = MIGRATIONS_DIR) -> list[str]:
    """Create the database or bring it to the newest migration; safe to run again.

    Returns the migrations applied by this call (empty when it was already current).
    ``migrations_dir`` (laid out as ``<dir>/models/<files>``) is for the tests, which upgrade
    through a copy holding only the first migrations.
    """
    config = tortoise_config(database_url, pool_size=2)
    location = str(migrations_dir)
    # aerich leaves its (closed) Tortoise context behind in the caller's; a context of our
    # own keeps a second call in the same task (the tests) working.
    async with (
        TortoiseContext(),
        Command(tortoise_config=config, app="models", location=location) as cmd,
    ):
        try:
            await cmd.init_db(safe=True)
            files = (migrations_dir / "models").glob("[0-9]*_*.py")
            return [p.name for p in sorted(files, key=lambda p: int(p.name.split("_")[0]))]
        except FileExistsError:
            return await cmd.upgrade(run_in_transaction=True)
