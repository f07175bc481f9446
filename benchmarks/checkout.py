"""Checkout under load: sales through the HTTP API beside the same writes by a bare script.

For each database: N concurrent clients (8, 32) sell meals to distinct diners through
``POST /meals`` on a real server (SQLite: one process; PostgreSQL: two workers). The
baseline does the same writes per sale in one transaction with the driver alone (conditional
debit, meal, subsidy lines, ledger entry, limit slot, idempotency record) at the same
concurrency. Also: the latency of ``POST /checkout/quote`` from one client (scan to quote).

Both sides are warm when the clock starts, as a server is by lunch: each connection first
makes ``WARM_UP`` sales that are not counted (a worker's pool opens its database connections
on its first requests, and the bare script opens its pool before it starts). Each connection
then makes ``SALES_PER_CLIENT`` sales; with 40 (before 2026-11-30) the p99 of 8 clients was
the fourth-worst of 320 sales, and those were the cold first ones.
"""

import asyncio
import json
import os
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import aiosqlite
import asyncpg
import httpx

from benchmarks import roundtrips
from benchmarks.harness import (
    Connection,
    Figures,
    connections_per_worker,
    fresh_database,
    load,
    server,
)
from canteen import db
from canteen.accounts import service as accounts
from canteen.auth import service as auth
from canteen.canteens import service as canteens
from canteen.cards import service as cards
from canteen.diners import resident_id
from canteen.diners import service as diners
from canteen.policies import service as policies
from canteen.roles import SYSTEM

PASSWORD = "bench-password-1"
SALES_PER_CLIENT = 150
WARM_UP = 10
POLICY = {
    "name": "bench policy",
    "effective_from": "2020-01-01",
    "stacking": "highest",
    "rules": [
        {
            "code": "age80",
            "label": "80+",
            "when": {"min_age": 80},
            "amount_fen": 500,
            "funder": "district",
            "daily_limit": 1,
        },
        {
            "code": "age60",
            "label": "60+",
            "when": {"min_age": 60},
            "amount_fen": 200,
            "funder": "street",
        },
        {
            "code": "op",
            "label": "让利",
            "when": {"min_age": 60},
            "amount_fen": 100,
            "funder": "operator",
            "stack_always": True,
        },
    ],
}


def _id_number(n: int) -> str:
    first17 = f"440106{1940 + n % 20}0101{n % 1000:03d}"
    return first17 + resident_id.check_char(first17)


async def _prepare(url: str, diners_count: int) -> dict[str, Any]:
    """A canteen, a policy, a cashier and ``diners_count`` diners with cards and money."""
    async with db.database(url, pool_size=4):
        admin = auth.actor_of(
            await auth.create_user(SYSTEM, username="bench-admin", password=PASSWORD, role="admin")
        )
        canteen = await canteens.create_canteen(
            SYSTEM, name="Bench", timezone=None, default_timezone="Asia/Shanghai"
        )
        offering = await canteens.create_offering(
            admin, canteen.id, name="午餐", meal_type="lunch", price_fen=1500, tags=[]
        )
        await policies.create(SYSTEM, POLICY)
        await auth.create_user(
            SYSTEM,
            username="bench-cashier",
            password=PASSWORD,
            role="cashier",
            canteen_id=canteen.id,
        )
        payloads, diner_ids = [], []
        for n in range(diners_count):
            diner = await diners.enrol(SYSTEM, name=f"食客{n}", id_number=_id_number(n))
            await accounts.top_up(admin, diner.id, amount_fen=500_000, method="cash")
            payloads.append(cards.payload_of(await cards.issue(admin, diner.id)))
            diner_ids.append(diner.id)
    return {"canteen": canteen.id, "offering": offering.id, "cards": payloads, "diners": diner_ids}


async def _token(base: str) -> str:
    async with httpx.AsyncClient(base_url=base + "/api/v1", timeout=30) as c:
        login = {"username": "bench-cashier", "password": PASSWORD}
        return str((await c.post("/auth/token", json=login)).json()["access_token"])


def _order(setup: dict[str, Any], n: int) -> bytes:
    card = setup["cards"][n % len(setup["cards"])]
    return json.dumps(
        {"card": card, "canteen_id": setup["canteen"], "offering_id": setup["offering"]}
    ).encode()


async def _http_sales(base: str, setup: dict[str, Any], clients: int, label: str) -> Figures:
    """``clients`` connections, each selling to its own diner (a fresh Idempotency-Key each)."""
    headers = {"Authorization": f"Bearer {await _token(base)}"}
    connections = [await Connection.open(base) for _ in range(clients)]
    print(f"{label}: connections per server process {connections_per_worker(base)}")

    async def sell(client: int, i: int) -> bool:
        status, _ = await connections[client].post(
            "/api/v1/meals",
            _order(setup, client),
            {**headers, "Idempotency-Key": uuid.uuid4().hex},
        )
        return status == 201

    try:
        await load("warm-up", clients, WARM_UP, sell)
        return await load(label, clients, SALES_PER_CLIENT, sell)
    finally:
        for connection in connections:
            await connection.close()


async def _http_quotes(base: str, setup: dict[str, Any], label: str) -> Figures:
    headers = {"Authorization": f"Bearer {await _token(base)}"}
    connection = await Connection.open(base)

    async def scan(client: int, i: int) -> bool:
        status, _ = await connection.post("/api/v1/checkout/quote", _order(setup, i), headers)
        return status == 200

    try:
        return await load(label, 1, 300, scan)
    finally:
        await connection.close()


# --- The bare baseline: the same writes with the driver only ------------------------------


async def _bare_sqlite(url: str, setup: dict[str, Any], clients: int, label: str) -> Figures:
    conn = await aiosqlite.connect(url.removeprefix("sqlite://"), isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "busy_timeout=5000", "foreign_keys=ON"):
        await conn.execute(f"PRAGMA {pragma}")
    lock = asyncio.Lock()

    async def sell(client: int, i: int) -> bool:
        async with lock:  # one connection: transactions one after another, as Tortoise does
            await _bare_sale_sqlite(conn, setup, client, i)
        return True

    try:
        await load("warm-up", clients, WARM_UP, sell)
        return await load(label, clients, SALES_PER_CLIENT, sell)
    finally:
        await conn.close()


async def _bare_sale_sqlite(
    conn: aiosqlite.Connection, setup: dict[str, Any], client: int, i: int
) -> None:
    diner, now, today = (
        setup["diners"][client],
        datetime.now(UTC).isoformat(),
        datetime.now(UTC).date().isoformat(),
    )
    await conn.execute("BEGIN")
    cur = await conn.execute(
        'UPDATE "account" SET "balance_fen" = "balance_fen" - 1200 WHERE "diner_id" = ? AND "balance_fen" >= 1200',
        (diner,),
    )
    assert cur.rowcount == 1
    cur = await conn.execute(
        'INSERT INTO "meal" ("canteen_id","diner_id","offering_id","meal_type","price_fen","subsidy_fen","pay_fen",'
        '"operator_subsidy_fen","payment","local_date","at","sold_by_id") VALUES (?,?,?,\'lunch\',1500,300,1200,0,\'account\',?,?,2)',
        (setup["canteen"], diner, setup["offering"], today, now),
    )
    meal = cur.lastrowid
    await conn.executemany(
        'INSERT INTO "subsidy_line" ("meal_id","rule","label","funder","amount_fen","pays") VALUES (?,?,?,?,?,\'diner\')',
        [(meal, "age60", "60+", "street", 200), (meal, "op", "让利", "operator", 100)],
    )
    cur = await conn.execute(
        'SELECT "id", "balance_fen" FROM "account" WHERE "diner_id" = ?', (diner,)
    )
    account, balance = await cur.fetchone()
    await conn.execute(
        'INSERT INTO "ledger_entry" ("account_id","kind","amount_fen","balance_after_fen","at","meal_id") VALUES (?,\'meal\',-1200,?,?,?)',
        (account, balance, now, meal),
    )
    await conn.execute(
        'INSERT INTO "limit_use" ("diner_id","rule","period","slot","meal_id") VALUES (?,\'bench\',?,?,?)',
        (diner, f"b{uuid.uuid4().hex[:8]}", 1, meal),
    )
    await conn.execute(
        'INSERT INTO "idempotency_record" ("user_id","key","fingerprint","status","body","created_at") VALUES (2,?,?,201,?,?)',
        (uuid.uuid4().hex, "f" * 64, json.dumps({"meal_id": meal}), now),
    )
    await conn.execute("COMMIT")


async def _bare_postgres(url: str, setup: dict[str, Any], clients: int, label: str) -> Figures:
    pool = await asyncpg.create_pool(
        url.replace("postgres://", "postgresql://", 1), min_size=8, max_size=8
    )

    async def sell(client: int, i: int) -> bool:
        diner, now = setup["diners"][client], datetime.now(UTC)
        async with pool.acquire() as conn, conn.transaction():
            row = await conn.fetchrow(
                'UPDATE "account" SET "balance_fen" = "balance_fen" - 1200 WHERE "diner_id" = $1 AND "balance_fen" >= 1200 RETURNING "id", "balance_fen"',
                diner,
            )
            meal = await conn.fetchval(
                'INSERT INTO "meal" ("canteen_id","diner_id","offering_id","meal_type","price_fen","subsidy_fen","pay_fen",'
                '"operator_subsidy_fen","payment","local_date","at","sold_by_id") VALUES ($1,$2,$3,\'lunch\',1500,300,1200,0,\'account\',$4,$5,2) RETURNING "id"',
                setup["canteen"],
                diner,
                setup["offering"],
                now.date(),
                now,
            )
            await conn.executemany(
                'INSERT INTO "subsidy_line" ("meal_id","rule","label","funder","amount_fen","pays") VALUES ($1,$2,$3,$4,$5,\'diner\')',
                [(meal, "age60", "60+", "street", 200), (meal, "op", "让利", "operator", 100)],
            )
            await conn.execute(
                'INSERT INTO "ledger_entry" ("account_id","kind","amount_fen","balance_after_fen","at","meal_id") VALUES ($1,\'meal\',-1200,$2,$3,$4)',
                row["id"],
                row["balance_fen"],
                now,
                meal,
            )
            await conn.execute(
                'INSERT INTO "limit_use" ("diner_id","rule","period","slot","meal_id") VALUES ($1,\'bench\',$2,1,$3)',
                diner,
                f"b{uuid.uuid4().hex[:8]}",
                meal,
            )
            await conn.execute(
                'INSERT INTO "idempotency_record" ("user_id","key","fingerprint","status","body","created_at") VALUES (2,$1,$2,201,$3,$4)',
                uuid.uuid4().hex,
                "f" * 64,
                json.dumps({"meal_id": meal}),
                now,
            )
        return True

    try:
        await load("warm-up", clients, WARM_UP, sell)
        return await load(label, clients, SALES_PER_CLIENT, sell)
    finally:
        await pool.close()


async def run(kind: str) -> None:
    workers = 1 if kind == "sqlite" else 2
    for clients in (8, 32):
        async with fresh_database(kind) as url:
            setup = await _prepare(url, clients)
            async with server(url, workers=workers) as base:
                http = await _http_sales(
                    base, setup, clients, f"{kind} HTTP POST /meals, {clients} clients"
                )
                if clients == 8:
                    quotes = await _http_quotes(
                        base, setup, f"{kind} HTTP POST /checkout/quote, 1 client"
                    )
            if clients == 8:
                trips = await roundtrips.per_request(
                    url,
                    {"username": "bench-cashier", "password": PASSWORD},
                    {
                        "card": setup["cards"][0],
                        "canteen_id": setup["canteen"],
                        "offering_id": setup["offering"],
                    },
                )
            bare = await (_bare_sqlite if kind == "sqlite" else _bare_postgres)(
                url, setup, clients, f"{kind} bare driver, same writes, {clients} clients"
            )
        print(http.line())
        print(bare.line())
        print(f"{'':<44} ratio HTTP/bare: {http.per_second / bare.per_second:.2f}x (goal >= 0.35x)")
        if clients == 8:
            print(quotes.line())
            print(trips.line(kind))


def _load_average() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


async def main() -> None:
    print("checkout load (on this machine; goal: p99 < 50 ms at 8 clients, quote p99 < 20 ms)")
    print(f"before: {_load_average()} on {os.cpu_count()} CPUs (the clients run in this process)")
    for kind in ("sqlite", "postgres"):
        await run(kind)
    print(f"after: {_load_average()}")


if __name__ == "__main__":
    started = time.perf_counter()
    asyncio.run(main())
    print(f"({time.perf_counter() - started:.0f} s)")
