"""CPU per sale and per quote, in process: the figure to watch on a busy machine.

Throughput moves with whatever else the machine runs; the CPU one request costs does not
(much). The app runs in this process behind httpx's ASGI transport, as in ``roundtrips``, and
sells ``SALES`` meals one after another (the client's own CPU, httpx building and reading
the requests, is counted in, the same before and after a change). The Python function
calls one sale makes (counted by cProfile) are printed too: unlike time, that count does not
move with the machine's load. ``--profile`` prints cProfile's top functions by their own time
and cumulative time as well.

``python -m benchmarks sale-cpu [--profile] [sqlite|postgres]``
"""

import asyncio
import cProfile
import logging
import os
import pstats
import sys
import time
import uuid
from typing import Any

import httpx

from benchmarks import roundtrips
from benchmarks.checkout import PASSWORD, _prepare
from benchmarks.harness import fresh_database
from canteen.app import create_app
from canteen.config import get_settings

SALES = 300
QUOTES = 300
DINERS = 30
CALLS_SALES = 50


async def measure(kind: str, profile: bool) -> None:
    # httpx's ASGI transport tries ``import sniffio`` on every request; not installed, each
    # try searches the whole path again (about 0.3 ms, in the client): marked absent, it
    # fails at once, so the figures are the app's.
    sys.modules.setdefault("sniffio", None)  # type: ignore[arg-type]
    async with fresh_database(kind) as url:
        setup = await _prepare(url, DINERS)
        app = create_app(
            get_settings().model_copy(update={"database_url": url, "periodic_seconds": 0})
        )
        logging.getLogger("httpx").setLevel(logging.WARNING)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://bench/api/v1"
            ) as client,
        ):
            login = {"username": "bench-cashier", "password": PASSWORD}
            token = (await client.post("/auth/token", json=login)).json()["access_token"]
            headers = {"Authorization": f"Bearer {token}"}

            def order(i: int) -> dict[str, Any]:
                return {
                    "card": setup["cards"][i % DINERS],
                    "canteen_id": setup["canteen"],
                    "offering_id": setup["offering"],
                }

            async def sell(i: int) -> None:
                key = {"Idempotency-Key": uuid.uuid4().hex}
                r = await client.post("/meals", json=order(i), headers={**headers, **key})
                assert r.status_code == 201, r.text

            async def quote(i: int) -> None:
                r = await client.post("/checkout/quote", json=order(i), headers=headers)
                assert r.status_code == 200, r.text

            for i in range(20):  # warm the caches (policy, statements, pydantic); diners 0 to 19
                await quote(i)
                await sell(i)
            with roundtrips.counted() as sale_calls:
                await sell(0)
            with roundtrips.counted() as first_calls:
                await sell(20)  # not sold to yet today, over 80: takes a daily limit slot
            with roundtrips.counted() as quote_calls:
                await quote(0)
            print(
                f"{kind:<8} round trips: sale {len(sale_calls)} (the diner's first today, "
                f"taking limit slots: {len(first_calls)}), quote {len(quote_calls)}"
            )
            calls = cProfile.Profile()
            calls.enable()
            for i in range(CALLS_SALES):
                await sell(i)
            calls.disable()
            per_sale = pstats.Stats(calls).total_calls / CALLS_SALES  # type: ignore[attr-defined]
            print(f"{kind:<8} Python function calls per sale: {per_sale:,.0f}")
            profiler = cProfile.Profile() if profile else None
            for label, call, count in (("sale", sell, SALES), ("quote", quote, QUOTES)):
                if profiler is not None and label == "sale":
                    profiler.enable()
                before, wall = os.times(), time.perf_counter()
                for i in range(count):
                    await call(i)
                after, wall = os.times(), time.perf_counter() - wall
                user, system = after.user - before.user, after.system - before.system
                cpu = user + system
                if profiler is not None and label == "sale":
                    profiler.disable()
                print(
                    f"{kind:<8} {label:<5} CPU in process {cpu / count * 1000:5.2f} ms "
                    f"(user {user / count * 1000:5.2f}, system {system / count * 1000:5.2f}; "
                    f"wall {wall / count * 1000:5.2f} ms) over {count}"
                )
            if profiler is not None:
                stats = pstats.Stats(profiler)
                _by_package(stats)
                stats.sort_stats("tottime").print_stats(25)
                stats.sort_stats("cumulative").print_stats(r"canteen/", 60)


PACKAGES = ("canteen", "tortoise", "pypika", "starlette", "pydantic", "httpx", "aiosqlite")


def _by_package(stats: pstats.Stats) -> None:
    """Own time by package: where a sale's time goes, roughly (waits left out)."""
    shares: dict[str, float] = {}
    for (filename, _, name), (_, _, own, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        where = f"{filename} {name}"
        if "poll" in name or "put_nowait" in name:
            continue  # waiting: for the database's answer, or for its thread to take the GIL
        package = next((p for p in PACKAGES if f"/{p}" in where or f"{p}_core" in where), "other")
        shares[package] = shares.get(package, 0.0) + own
    total = sum(shares.values())
    print(
        "own time by package: "
        + ", ".join(
            f"{p} {t / total:.0%}" for p, t in sorted(shares.items(), key=lambda kv: -kv[1])
        )
    )


async def main(args: list[str]) -> None:
    profile = "--profile" in args
    kinds = [a for a in args if a in ("sqlite", "postgres")] or ["sqlite", "postgres"]
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for kind in kinds:
        await measure(kind, profile)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
