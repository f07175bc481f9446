"""Round trips to the database per request: every call the app makes into its driver.

A round trip is one call into asyncpg (one message exchange with the server, a transaction's
BEGIN and COMMIT included) or into aiosqlite (one hop to its connection's thread). The app
runs in this process, behind httpx's ASGI transport, so the driver's methods can be counted.

On SQLite the statements are counted too (SQLite's own trace of every statement it runs, on
both of the app's connections): a transaction's statements run on the event loop's thread
without a hop (``canteen.db_sqlite``), so there a sale makes more statements than round trips.
"""

import logging
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Any

import aiosqlite
import asyncpg
import httpx

from canteen.app import create_app
from canteen.checkout.models import Meal
from canteen.config import get_settings

DRIVER_CALLS = {
    asyncpg.connection.Connection: ("execute", "executemany", "fetch", "fetchrow", "fetchval"),
    aiosqlite.Connection: (
        "execute",
        "executemany",
        "executescript",
        "execute_fetchall",
        "execute_insert",
        "commit",
        "rollback",
    ),
}


@contextmanager
def counted() -> Iterator[list[str]]:
    """Count every driver call made in the block; yields the list of their names."""
    calls: list[str] = []
    saved = []

    def counting(cls: type, name: str, call: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            calls.append(f"{cls.__name__}.{name}")
            return call(self, *args, **kwargs)

        return wrapper

    for cls, names in DRIVER_CALLS.items():
        for name in names:
            call = getattr(cls, name)
            saved.append((cls, name, call))
            setattr(cls, name, counting(cls, name, call))
    try:
        yield calls
    finally:
        for cls, name, call in saved:
            setattr(cls, name, call)


@asynccontextmanager
async def statements() -> AsyncIterator[list[str]]:
    """Every statement SQLite runs in the block, on the app's writer and reader connections
    (none on PostgreSQL, where each statement is a round trip)."""
    run: list[str] = []
    client = Meal._meta.db
    traced = [
        connection
        for connection in (getattr(client, "_connection", None), getattr(client, "_reader", None))
        if isinstance(connection, aiosqlite.Connection)
    ]
    for connection in traced:
        await connection.set_trace_callback(run.append)
    try:
        yield run
    finally:
        for connection in traced:
            await connection.set_trace_callback(None)


@dataclass(frozen=True)
class RoundTrips:
    quote: int
    sale: int
    sale_statements: int
    """On SQLite, the statements of the sale, its transaction's run on the loop (0 elsewhere)."""

    def line(self, kind: str) -> str:
        line = f"{kind} round trips to the database: quote {self.quote}, sale {self.sale}"
        if self.sale_statements:
            line += f" (of its {self.sale_statements} statements)"
        return line


async def per_request(url: str, login: dict[str, str], order: dict[str, Any]) -> RoundTrips:
    """One quote and one sale of ``order`` (after one of each to warm the caches), counted."""
    app = create_app(get_settings().model_copy(update={"database_url": url, "periodic_seconds": 0}))
    logging.getLogger("httpx").setLevel(logging.WARNING)  # the app logs at INFO
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://bench/api/v1"
        ) as client,
    ):
        token = (await client.post("/auth/token", json=login)).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}

        async def quote() -> None:
            r = await client.post("/checkout/quote", json=order, headers=headers)
            assert r.status_code == 200, r.text

        async def sell(key: str) -> None:
            r = await client.post("/meals", json=order, headers={**headers, "Idempotency-Key": key})
            assert r.status_code == 201, r.text

        await quote()
        await sell("round-trips-warm-up")
        with counted() as calls:
            await quote()
        quote_calls = len(calls)
        async with statements() as run:
            with counted() as calls:
                await sell("round-trips")
        return RoundTrips(quote_calls, len(calls), len(run))
