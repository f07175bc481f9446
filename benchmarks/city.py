"""A city's lunch rush on PostgreSQL: ``python -m benchmarks city [--scale S] [--minutes M]``.

The city (at ``--scale 1.0``): 2,000 canteens with one counter each, 200,000 diners aged 60+
with cards and balances, Guangzhou's 2025 policy (``docs/policies/guangzhou-2025.toml``) in
force, and this month's lunches so far (each weekday, each diner eats with the chance
``--lunch-share``). Everything is written in bulk (COPY and INSERT .. SELECT), not through the
API: the canteens' cashiers and some families are logged in (their bearer tokens written as
the service writes them); the opening balances are cash top-ups with their ledger entries;
the month's meals carry the subsidy lines the policy engine gives them and are paid from the
accounts (a ledger entry each); ``claim_day`` is filled by its migration's backfill.

Then ``canteen serve --workers N`` runs in its own processes and this process is the load
generator:

1. Capacity: ``4 x N`` counters serve diners back to back (quote, sale) for 20 s.
2. The lunch: two hours, 10:30 to 12:30, compressed into ``--minutes``. Arrivals follow an
   assumed triangular shape (no measured curve of a canteen's lunch was at hand): the rate
   rises linearly from 0 at 10:30 to its peak at 11:45 and falls linearly to 0 at 12:30, i.e.
   density f(t) = 2t/(T*m) for t <= m, 2(T-t)/(T*(T-m)) after, T = 120 min, m = 75 min; the
   peak rate is 2 x lunches / T. The peak is scaled to 70 % of the capacity measured in step
   1 (or to this scale's own lunches if fewer): the share of the city's lunch this machine
   carried is printed. Each diner queues at their home canteen's counter; the cashier scans
   (quote), thinks (6 s of real time, compressed), and sells with an Idempotency-Key.
   Families top up online (an intent, then the sandbox provider's signed notification) at 3 %
   of the lunches' count, evenly; the periodic task (alerts, outbox) runs every 300 s of the
   lunch's time, compressed (over the whole city's diners each run, while the lunch carries
   only its share of them: its CPU a customer overstates); at the peak, the month's subsidy
   claim report is asked for.
3. Figures: customers (quote and sale) per second at the peak (the 12 minutes around 11:45)
   and overall, p50/p99 of the quote and the sale, errors by status (no 5xx allowed), the
   claim report's time under load and idle, the database's growth per meal and per month,
   the CPU of the server's processes, of this database's PostgreSQL backends and of this
   generator, the machine's load, and the cores a city's real peak needs from them.

``make bench`` runs ``city --scale 0.05 --minutes 3`` (100 canteens, 10,000 diners; about 5
minutes in all); on an idle machine, ``python -m benchmarks city`` runs the whole city.
"""

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

import asyncpg
import httpx
import numpy as np

CITY_SECRET = "city-benchmark-secret-not-for-production"
os.environ["CANTEEN_SECRET_KEY"] = CITY_SECRET  # before canteen reads its settings

from benchmarks.district import backfill_statement  # noqa: E402
from benchmarks.harness import Connection, _wait_ready, fresh_database  # noqa: E402
from canteen import db  # noqa: E402
from canteen.auth.models import User  # noqa: E402
from canteen.auth.tokens import new_token, token_digest  # noqa: E402
from canteen.canteens.models import DEFAULT_MEAL_WINDOWS  # noqa: E402
from canteen.cards import service as cards  # noqa: E402
from canteen.cards import token as card_token  # noqa: E402
from canteen.config import derive_key  # noqa: E402
from canteen.diners import pii, resident_id  # noqa: E402
from canteen.payments.providers import SandboxProvider  # noqa: E402
from canteen.policies import engine, files  # noqa: E402
from canteen.policies import service as policies  # noqa: E402
from canteen.policies.schema import PolicyDocument  # noqa: E402
from canteen.roles import SYSTEM  # noqa: E402

POLICY_FILE = Path(__file__).resolve().parent.parent / "docs" / "policies" / "guangzhou-2025.toml"
CANTEENS, DINERS = 2_000, 200_000
SHANGHAI = ZoneInfo("Asia/Shanghai")
DISTRICTS = {
    "越秀区": "440104", "海珠区": "440105", "天河区": "440106", "荔湾区": "440103",
    "白云区": "440111", "黄埔区": "440112", "番禺区": "440113", "花都区": "440114",
    "南沙区": "440115", "从化区": "440117", "增城区": "440118",
}  # fmt: skip
LUNCH_MINUTES, PEAK_MINUTE = 120, 75
"""10:30 to 12:30, the peak at 11:45."""
THINK_SECONDS = 6.0
"""Real time between the quote on the screen and the cashier pressing "sell"."""
TOPUP_SHARE, FAMILY_SHARE = 0.03, 0.1
"""Online top-ups per lunch; diners with a family member who logs in."""
CAPACITY_SECONDS, LOAD_TARGET, PEAK_WINDOW = 20.0, 0.7, 0.1
WORKING_DAYS = 22
"""Lunch days in a month (weekdays)."""
NO_PASSWORD = "!"
"""No password matches this hash: the city's users are logged in by their tokens alone."""
HEADROOM = 0.6
"""The share of its cores a city's servers may use at the peak."""


# --- The city, in bulk ---------------------------------------------------------------------


@dataclass
class City:
    canteens: int
    diners: int
    home: np.ndarray
    """Each diner's (0-based) home canteen."""
    offerings: np.ndarray
    """Per canteen, its two lunch offerings' ids."""
    cashier_tokens: list[str]
    family_tokens: dict[int, str]
    """Diner id to the bearer token of a family member linked to them."""
    admin_token: str
    history_meals: int
    claim_month: str
    seconds: float
    month_seconds: float


def _pg(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


async def make_city(url: str, scale: float, lunch_share: float, seed: int = 2026) -> City:
    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    n_canteens, n_diners = max(4, round(CANTEENS * scale)), max(200, round(DINERS * scale))
    now = datetime.now(UTC)
    async with db.database(url, pool_size=2):
        admin = await User.create(
            username="city-admin", password_hash=NO_PASSWORD, role="admin", created_at=now
        )
        document = files.read(POLICY_FILE)
        document.pop("examples", None)
        policy = files.parse(document)
        await policies.create(SYSTEM, document)
    conn = await asyncpg.connect(_pg(url))
    try:
        async with conn.transaction():
            home, offerings, cashier_tokens, family_tokens, admin_token = await _write_city(
                conn, rng, n_canteens, n_diners, admin.id, now
            )
            month_started = time.perf_counter()
            history, month = await _write_month(conn, policy, lunch_share, seed)
            month_seconds = time.perf_counter() - month_started
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    return City(
        n_canteens,
        n_diners,
        home,
        offerings,
        cashier_tokens,
        family_tokens,
        admin_token,
        history,
        month,
        time.perf_counter() - started,
        month_seconds,
    )


async def _write_city(
    conn: asyncpg.Connection,
    rng: np.random.Generator,
    n_canteens: int,
    n_diners: int,
    admin_id: int,
    now: datetime,
) -> tuple[np.ndarray, np.ndarray, list[str], dict[int, str], str]:
    """Canteens, offerings, diners with accounts and cards, cashiers and families with their
    tokens: (home canteens, offerings, cashiers' tokens, families' tokens, the admin's)."""
    districts = list(DISTRICTS)
    windows = json.dumps(DEFAULT_MEAL_WINDOWS)
    canteen_rows, offering_rows = [], []
    for c in range(n_canteens):
        district = districts[c % len(districts)]
        street = f"第{c // len(districts) % 40 + 1}街道"
        canteen_rows.append(
            (c + 1, f"{district}{street}长者饭堂{c + 1}", f"{district}{street}{c % 300 + 1}号",
             district, street, "Asia/Shanghai", windows, now)
        )  # fmt: skip
        price = 1000 + 100 * int(rng.integers(0, 7))
        for k, name in enumerate(("一荤两素", "两荤一素")):
            offering_rows.append(
                (2 * c + k + 1, name, "lunch", price + 300 * k, "[]", True, now, c + 1)
            )
    await conn.copy_records_to_table(
        "canteen",
        records=canteen_rows,
        columns=["id", "name", "address", "district", "street", "timezone", "meal_windows",
                 "created_at"],
    )  # fmt: skip
    await conn.copy_records_to_table(
        "offering",
        records=offering_rows,
        columns=["id", "name", "meal_type", "price_fen", "tags", "active", "created_at",
                 "canteen_id"],
    )  # fmt: skip
    offerings = np.arange(1, 2 * n_canteens + 1).reshape(n_canteens, 2)

    # Diners: 60+, registered in one of the city's districts, eating near home.
    ages = np.minimum(98, rng.triangular(60, 76, 99, n_diners).astype(int))
    today = now.astimezone(SHANGHAI).date()
    birth = (
        np.datetime64(today)
        - (ages * 365.25).astype("timedelta64[D]")
        - rng.integers(0, 365, n_diners).astype("timedelta64[D]")
    )
    home = rng.integers(0, n_canteens, n_diners)
    female = rng.random(n_diners) < 0.55
    encrypt_key, digest_key, last4_key = (
        derive_key(p) for p in (pii.ENCRYPT_PURPOSE, pii.DIGEST_PURPOSE, pii.LAST4_PURPOSE)
    )
    sequence: dict[tuple[str, date], int] = {}
    diner_rows = []
    for i in range(n_diners):
        canteen = canteen_rows[home[i]]
        region = DISTRICTS[canteen[3]]
        born = birth[i].astype(date)
        sequence[(region, born)] = n = sequence.get((region, born), 0) + 1
        first17 = f"{region}{born:%Y%m%d}{n * 2 - (0 if female[i] else 1):03d}"
        rid = resident_id.parse(first17 + resident_id.check_char(first17))
        diner_rows.append(
            (i + 1, f"长者{i + 1}", pii.encrypt(rid.number, encrypt_key, 1, i + 1),
             pii.digest(rid.number, digest_key), pii.last4_digest(rid.last4, last4_key), born,
             rid.gender, f"13{i:09d}", f"{canteen[3]}{canteen[4]}{i % 300 + 1}号", canteen[3],
             canteen[4], "[]", "[]", "active", now, now, int(home[i]) + 1)
        )  # fmt: skip
    await conn.copy_records_to_table(
        "diner",
        records=diner_rows,
        columns=["id", "name", "id_number_cipher", "id_number_hash", "id_last4_hash",
                 "birth_date", "gender", "phone", "address", "district", "street", "categories",
                 "dietary", "status", "created_at", "updated_at", "home_canteen_id"],
    )  # fmt: skip
    opening = now - timedelta(days=40)
    balances = rng.integers(30, 300, n_diners) * 100  # 30 to 300 yuan
    ids = range(1, n_diners + 1)
    await conn.copy_records_to_table(
        "account",
        records=[(i, int(balances[i - 1]), 2_000, opening, i) for i in ids],
        columns=["id", "balance_fen", "low_balance_fen", "created_at", "diner_id"],
    )
    await conn.copy_records_to_table(
        "card",
        records=[(i, f"MC{i:06d}-1", opening, i, admin_id) for i in ids],
        columns=["id", "serial", "issued_at", "diner_id", "issued_by_id"],
    )
    # Cashiers, one per counter; families of a tenth of the diners; all logged in.
    cashier_rows: list[tuple[Any, ...]] = [
        (
            admin_id + c + 1,
            f"city-cashier-{c + 1}",
            NO_PASSWORD,
            "cashier",
            "",
            "",
            True,
            now,
            c + 1,
        )
        for c in range(n_canteens)
    ]
    family_of = rng.choice(n_diners, max(10, round(n_diners * FAMILY_SHARE)), replace=False) + 1
    first_family = admin_id + n_canteens + 1
    family_rows: list[tuple[Any, ...]] = [
        (first_family + k, f"city-family-{k + 1}", NO_PASSWORD, "family", "", "", True, now, None)
        for k in range(len(family_of))
    ]
    await conn.copy_records_to_table(
        "user",
        records=cashier_rows + family_rows,
        columns=["id", "username", "password_hash", "role", "display_name", "phone", "active",
                 "created_at", "canteen_id"],
    )  # fmt: skip
    await conn.copy_records_to_table(
        "family_link",
        records=[("子女", now, int(d), first_family + k) for k, d in enumerate(family_of)],
        columns=["relation", "created_at", "diner_id", "user_id"],
    )
    tokens = [new_token() for _ in range(1 + n_canteens + len(family_of))]
    expires = now + timedelta(hours=12)
    user_ids = [admin_id] + [r[0] for r in cashier_rows] + [r[0] for r in family_rows]
    await conn.copy_records_to_table(
        "auth_token",
        records=[(token_digest(t), now, expires, u) for t, u in zip(tokens, user_ids, strict=True)],
        columns=["token_hash", "created_at", "expires_at", "user_id"],
    )
    families = {int(d): tokens[1 + n_canteens + k] for k, d in enumerate(family_of)}
    return home, offerings, tokens[1 : 1 + n_canteens], families, tokens[0]


async def _write_month(
    conn: asyncpg.Connection, policy: PolicyDocument, lunch_share: float, seed: int
) -> tuple[int, str]:
    """This month's lunches before today (the month before, on the first), priced by the
    engine, paid from the accounts; the opening top-ups cover them and the balances left."""
    today = datetime.now(SHANGHAI).date()
    first = (today - timedelta(days=1)).replace(day=1)
    days = [first + timedelta(days=d) for d in range((today - first).days)]
    days = [d for d in days if d.weekday() < 5]
    prices = [
        r["price_fen"] for r in await conn.fetch('SELECT DISTINCT "price_fen" FROM "offering"')
    ]
    lines = []
    for age in range(60, 120):
        for price_fen in prices:
            pricing = engine.price(
                policy,
                engine.Diner(age=age),
                engine.Meal(0, "", "", "lunch", price_fen),
            )
            for line in pricing.lines:
                lines.append(
                    (age, price_fen, line.rule, line.label, line.funder, line.amount_fen, "diner")
                )
            for line in pricing.operator_lines:
                lines.append(
                    (
                        age,
                        price_fen,
                        line.rule,
                        line.label,
                        line.funder,
                        line.amount_fen,
                        "operator",
                    )
                )
    await conn.execute(
        'CREATE TEMP TABLE "city_line" (age INT, price_fen BIGINT, rule TEXT, label TEXT, '
        "funder TEXT, amount_fen BIGINT, pays TEXT) ON COMMIT DROP"
    )
    await conn.copy_records_to_table("city_line", records=lines)
    policy_id = await conn.fetchval('SELECT max("id") FROM "policy"')
    cashier = await conn.fetchval('SELECT min("id") FROM "user" WHERE "role" = \'cashier\'')
    await conn.execute(f"SELECT setseed({(seed % 1000) / 1000})")
    await conn.execute(
        """
        CREATE TEMP TABLE "city_price" ON COMMIT DROP AS
        SELECT l."age", l."price_fen",
               coalesce(sum(l."amount_fen") FILTER (WHERE l."pays" = 'diner'), 0) AS "diner_fen",
               coalesce(sum(l."amount_fen") FILTER (WHERE l."pays" = 'operator'), 0)
                 AS "operator_fen"
          FROM (SELECT a."age", p."price_fen", c."amount_fen", c."pays"
                  FROM generate_series(60, 119) AS a("age")
                 CROSS JOIN (SELECT DISTINCT "price_fen" FROM "offering") p
                  LEFT JOIN "city_line" c ON c."age" = a."age" AND c."price_fen" = p."price_fen") l
         GROUP BY l."age", l."price_fen"
        """
    )
    await conn.execute(
        """
        INSERT INTO "meal" ("meal_type", "price_fen", "subsidy_fen", "pay_fen",
               "operator_subsidy_fen", "payment", "local_date", "at", "canteen_id", "card_id",
               "diner_id", "offering_id", "policy_id", "sold_by_id")
        SELECT 'lunch', o."price_fen", s."diner_fen", o."price_fen" - s."diner_fen",
               s."operator_fen", 'account', e.day,
               (e.day + TIME '10:30' + random() * INTERVAL '2 hours') AT TIME ZONE 'Asia/Shanghai',
               o."canteen_id", e."id", e."id", o."id", $1, $2 + o."canteen_id" - 1
          FROM (SELECT d.day, di."id", di."home_canteen_id", di."birth_date"
                  FROM unnest($3::date[]) AS d(day) CROSS JOIN "diner" di
                 WHERE random() < $4) e
          JOIN "offering" o ON o."id" = 2 * e."home_canteen_id" - 1 + (e."id" % 2)
          JOIN "city_price" s ON s."price_fen" = o."price_fen"
           AND s."age" = extract(year FROM age(e.day, e."birth_date"))::int
         ORDER BY 8
        """,
        policy_id,
        cashier,
        days,
        lunch_share,
    )
    await conn.execute(
        """
        INSERT INTO "subsidy_line" ("meal_id", "rule", "label", "funder", "amount_fen", "pays")
        SELECT m."id", l."rule", l."label", l."funder", l."amount_fen", l."pays"
          FROM "meal" m JOIN "diner" di ON di."id" = m."diner_id"
          JOIN "city_line" l ON l."price_fen" = m."price_fen"
           AND l."age" = extract(year FROM age(m."local_date", di."birth_date"))::int
         ORDER BY m."id", l."pays" DESC
        """
    )
    # The opening top-up pays for the month's meals and leaves the generated balance.
    await conn.execute(
        """
        INSERT INTO "topup" ("id", "amount_fen", "method", "reference", "at", "account_id")
        SELECT a."id", a."balance_fen" + coalesce(sum(m."pay_fen"), 0), 'cash', '',
               a."created_at", a."id"
          FROM "account" a LEFT JOIN "meal" m ON m."diner_id" = a."diner_id"
         GROUP BY a."id"
        """
    )
    await conn.execute(
        """
        INSERT INTO "ledger_entry" ("kind", "amount_fen", "balance_after_fen", "at",
                                    "account_id", "topup_id", "meal_id")
        SELECT kind, amount, sum(amount) OVER w, at, account, topup, meal
          FROM (SELECT 'topup' AS kind, t."amount_fen" AS amount, t."at", t."account_id" AS account,
                       t."id" AS topup, NULL::bigint AS meal, 0::bigint AS ord
                  FROM "topup" t
                UNION ALL
                SELECT 'meal', -m."pay_fen", m."at", m."diner_id", NULL, m."id", m."id"
                  FROM "meal" m) e
        WINDOW w AS (PARTITION BY account ORDER BY ord ROWS UNBOUNDED PRECEDING)
        ORDER BY at
        """
    )
    await conn.execute(backfill_statement("postgres"))
    for table in ("canteen", "offering", "user", "diner", "account", "card", "topup", "meal"):
        await conn.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'),"  # noqa: S608
            f' (SELECT coalesce(max("id"), 0) + 1 FROM "{table}"), false)'
        )
    meals = await conn.fetchval('SELECT count(*) FROM "meal"')
    return int(meals), f"{first:%Y-%m}"


# --- The server, and what the processes cost ----------------------------------------------


@asynccontextmanager
async def serve(
    url: str, workers: int, periodic_seconds: float, log: IO[bytes]
) -> AsyncIterator[tuple[str, int]]:
    """``canteen serve`` in its own processes, its log lines into ``log`` (the alerts task
    logs each alert); yields its base URL and its process id."""
    port = 19000 + os.getpid() % 1000
    env = {
        **os.environ,
        "CANTEEN_DATABASE_URL": url,
        "CANTEEN_DB_POOL_SIZE": "16",
        "CANTEEN_PERIODIC_SECONDS": f"{periodic_seconds:.1f}",
        "CANTEEN_PAYMENT_PROVIDERS": "sandbox",
    }
    command = [sys.executable, "-m", "canteen.cli", "serve", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--workers", str(workers), "--log-level", "warning"], env=env, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    try:
        await _wait_ready(process, base)
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


TICK = os.sysconf("SC_CLK_TCK")


def _cpu_of(pid: int) -> float:
    """CPU seconds (user and system) a process has used; 0 for one that is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        for task in Path(f"/proc/{p}/task").glob("*/children"):
            with suppress(FileNotFoundError):
                todo += [int(c) for c in task.read_text().split()]
    return found


def _machine() -> tuple[float, float]:
    """(busy, all) CPU seconds of the whole machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    return (sum(values) - values[3] - values[4]) / TICK, sum(values) / TICK


@dataclass
class Snapshot:
    at: float
    generator: float
    server: dict[int, float]
    postgres: dict[int, float]
    machine: tuple[float, float]


@dataclass
class Costs:
    seconds: float
    generator: float
    server: float
    postgres: float
    machine_busy: float
    """Cores busy on the whole machine, ours and everyone else's."""

    def cores(self, cpu: float) -> float:
        return cpu / self.seconds


class Meter:
    """CPU of the server's processes, of this database's PostgreSQL backends (not of the
    cluster's shared writer, checkpointer and autovacuum), and of this generator."""

    def __init__(self, server_pid: int, url: str):
        self.server_pid, self.url = server_pid, url

    async def snapshot(self) -> Snapshot:
        conn = await asyncpg.connect(_pg(self.url))
        try:
            pids = await conn.fetch(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"
            )
        finally:
            await conn.close()
        return Snapshot(
            time.perf_counter(),
            time.process_time(),
            {p: _cpu_of(p) for p in _tree(self.server_pid)},
            {r["pid"]: _cpu_of(r["pid"]) for r in pids},
            _machine(),
        )

    @staticmethod
    def between(a: Snapshot, b: Snapshot) -> Costs:
        def spent(before: dict[int, float], after: dict[int, float]) -> float:
            return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())

        return Costs(
            b.at - a.at,
            b.generator - a.generator,
            spent(a.server, b.server),
            spent(a.postgres, b.postgres),
            (b.machine[0] - a.machine[0]) / (b.machine[1] - a.machine[1]) * (os.cpu_count() or 1),
        )


# --- The load -----------------------------------------------------------------------------


@dataclass
class Timings:
    """Each request's (finished at, milliseconds, status) by kind, times from the start."""

    start: float
    kinds: dict[str, list[tuple[float, float, int]]] = field(default_factory=dict)

    def add(self, kind: str, started: float, status: int) -> None:
        done = time.perf_counter()
        self.kinds.setdefault(kind, []).append((done - self.start, (done - started) * 1000, status))

    def ms(self, kind: str, p: float) -> float:
        values = sorted(ms for _, ms, _ in self.kinds.get(kind, []))
        return values[min(len(values) - 1, int(p / 100 * len(values)))] if values else 0.0

    def count(self, kind: str, status: int, between: tuple[float, float] | None = None) -> int:
        low, high = between or (-1.0, float("inf"))
        return sum(1 for t, _, s in self.kinds.get(kind, []) if s == status and low <= t < high)

    def statuses(self) -> dict[str, dict[int, int]]:
        out: dict[str, dict[int, int]] = {}
        for kind, rows in self.kinds.items():
            for _, _, s in rows:
                out.setdefault(kind, {}).setdefault(s, 0)
                out[kind][s] += 1
        return out


EXPECTED = {"quote": 200, "sale": 201, "intent": 201, "notify": 200}


class Lane:
    """A keep-alive connection, opened again after an idle spell: uvicorn closes a connection
    idle for 5 s, as a counter's is between customers on a quiet afternoon."""

    IDLE_SECONDS = 4.0

    def __init__(self, base: str):
        self.base, self.used = base, 0.0
        self.connection: Connection | None = None

    async def post(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        if self.connection is not None and time.monotonic() - self.used > self.IDLE_SECONDS:
            await self.close()
        if self.connection is None:
            self.connection = await Connection.open(self.base)
        answer = await self.connection.post(path, body, headers)
        self.used = time.monotonic()
        return answer

    async def close(self) -> None:
        if self.connection is not None:
            connection, self.connection = self.connection, None
            await connection.close()


class Counter:
    """One canteen's counter: its cashier's keep-alive connection and token."""

    def __init__(self, base: str, city: City, canteen: int):
        self.canteen = canteen
        self.auth = {"Authorization": f"Bearer {city.cashier_tokens[canteen]}"}
        self.offerings = city.offerings[canteen]
        self.lane = Lane(base)

    async def serve(self, diner: int, timings: Timings, think: float) -> None:
        """Scan the diner's card (a quote), wait ``think`` seconds, sell."""
        order = {
            "card": card_token.encode(diner, cards.card_key()),  # card id = diner id
            "canteen_id": self.canteen + 1,
            "offering_id": int(self.offerings[diner % 2]),
        }
        started = time.perf_counter()
        status, _ = await self.lane.post(
            "/api/v1/checkout/quote", json.dumps(order).encode(), self.auth
        )
        timings.add("quote", started, status)
        await asyncio.sleep(think)
        key = {"Idempotency-Key": uuid.uuid4().hex}
        started = time.perf_counter()
        status, _ = await self.lane.post(
            "/api/v1/meals", json.dumps({**order, "payment": "account"}).encode(),
            self.auth | key,
        )  # fmt: skip
        timings.add("sale", started, status)

    async def close(self) -> None:
        await self.lane.close()


async def measure_capacity(
    base: str, city: City, diners: list[int], counters: int, meter: Meter
) -> tuple[float, Costs, Timings]:
    """Customers per second (a quote and a sale each) with ``counters`` counters serving
    back to back, no think time."""
    timings = Timings(time.perf_counter())
    places = [Counter(base, city, c % city.canteens) for c in range(counters)]
    deadline = time.perf_counter() + CAPACITY_SECONDS

    async def loop(counter: Counter) -> None:
        while time.perf_counter() < deadline:
            diners.append(diner := diners.pop(0))
            await counter.serve(diner, timings, 0.0)

    before = await meter.snapshot()
    await asyncio.gather(*(loop(c) for c in places))
    costs = Meter.between(before, await meter.snapshot())
    for counter in places:
        await counter.close()
    return timings.count("sale", 201) / costs.seconds, costs, timings


@dataclass
class Lunch:
    customers: int
    seconds: float
    factor: float
    timings: Timings
    costs: Costs
    claim_ms: float
    claim_status: int
    topups: int


async def lunch(
    base: str, city: City, diners: list[int], customers: int, seconds: float, meter: Meter
) -> Lunch:
    rng = np.random.default_rng(7)
    factor = LUNCH_MINUTES * 60 / seconds
    arrivals = np.sort(rng.triangular(0, PEAK_MINUTE / LUNCH_MINUTES, 1, customers)) * seconds
    queues: dict[int, list[tuple[float, int]]] = {}
    for at, diner in zip(arrivals.tolist(), diners[:customers], strict=True):
        queues.setdefault(int(city.home[diner - 1]), []).append((at, diner))
    topups = round(customers * TOPUP_SHARE)
    families = list(city.family_tokens)
    payers = [families[int(i)] for i in rng.integers(0, len(families), topups)]
    topup_at = np.sort(rng.random(topups)) * seconds
    start = time.perf_counter()
    timings = Timings(start)
    think = THINK_SECONDS / factor
    claim: list[tuple[float, int]] = []

    async def counter_queue(canteen: int, queue: list[tuple[float, int]]) -> None:
        counter = Counter(base, city, canteen)
        try:
            for at, diner in queue:
                await asyncio.sleep(max(0.0, start + at - time.perf_counter()))
                await counter.serve(diner, timings, think)
        finally:
            await counter.close()

    sandbox = SandboxProvider()

    async def family_topups(lane: int) -> None:
        connection = Lane(base)
        try:
            for k in range(lane, topups, 4):
                await asyncio.sleep(max(0.0, start + topup_at[k] - time.perf_counter()))
                diner, amount = payers[k], 10_000
                auth = {"Authorization": f"Bearer {city.family_tokens[diner]}"}
                body = json.dumps({"amount_fen": amount, "provider": "sandbox"}).encode()
                started = time.perf_counter()
                status, answer = await connection.post(
                    f"/api/v1/diners/{diner}/topup-intents", body, auth
                )
                timings.add("intent", started, status)
                if status != 201:
                    continue
                headers, note = sandbox.notification(json.loads(answer)["intent_id"], amount)
                headers.pop("Content-Type")
                started = time.perf_counter()
                status, _ = await connection.post("/api/v1/payments/sandbox/notify", note, headers)
                timings.add("notify", started, status)
        finally:
            await connection.close()

    async def claim_at_peak() -> None:
        await asyncio.sleep(seconds * PEAK_MINUTE / LUNCH_MINUTES)
        claim.append(await claim_report(base, city))

    before = await meter.snapshot()
    await asyncio.gather(
        *(counter_queue(c, q) for c, q in queues.items()),
        *(family_topups(lane) for lane in range(4)),
        claim_at_peak(),
    )
    costs = Meter.between(before, await meter.snapshot())
    return Lunch(customers, seconds, factor, timings, costs, *claim[0], topups)


async def claim_report(base: str, city: City) -> tuple[float, int]:
    """The month's subsidy claim (JSON), as the office asks for it: (ms, status)."""
    headers = {"Authorization": f"Bearer {city.admin_token}"}
    async with httpx.AsyncClient(base_url=base, timeout=600) as client:
        started = time.perf_counter()
        answer = await client.get(
            "/api/v1/reports/subsidy-claims", params={"month": city.claim_month}, headers=headers
        )
        return (time.perf_counter() - started) * 1000, answer.status_code


async def _database(url: str) -> tuple[int, int, int]:
    """(bytes, meals, alerts) of the database now."""
    conn = await asyncpg.connect(_pg(url))
    try:
        size = await conn.fetchval("SELECT pg_database_size(current_database())")
        meals = await conn.fetchval('SELECT count(*) FROM "meal"')
        alerts = await conn.fetchval('SELECT count(*) FROM "alert"')
        return int(size), int(meals), int(alerts)
    finally:
        await conn.close()


# --- The run ------------------------------------------------------------------------------


@asynccontextmanager
async def _log() -> AsyncIterator[IO[bytes]]:
    """A scratch file for the server's log lines."""
    with tempfile.TemporaryFile() as log:
        yield log


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


async def run(scale: float, minutes: float, workers: int, lunch_share: float) -> bool:
    """Everything, printed as it goes; False when a request got a 5xx."""
    resource.setrlimit(resource.RLIMIT_NOFILE, (resource.getrlimit(resource.RLIMIT_NOFILE)[1],) * 2)
    cpus = os.cpu_count() or 1
    print(f"city lunch rush at scale {scale} on {cpus} CPUs, {workers} workers; load {_load()}")
    async with fresh_database("postgres") as url:
        city = await make_city(url, scale, lunch_share)
        print(
            f"city: {city.canteens} canteens, {city.diners} diners, {city.history_meals} lunches "
            f"of {city.claim_month} so far, written in {city.seconds:.1f} s (the lunches "
            f"{city.month_seconds:.1f} s)"
        )
        order = np.random.default_rng(11).permutation(np.arange(1, city.diners + 1)).tolist()
        # The lunch's diners come from the first half; the capacity run's from the second,
        # round and round (a second lunch that day is sold unsubsidised).
        order, probe_diners = order[: len(order) // 2], order[len(order) // 2 :]
        seconds = minutes * 60
        periodic = 300 * seconds / (LUNCH_MINUTES * 60)
        async with _log() as log:
            alerts0 = (await _database(url))[2]
            async with serve(url, workers, max(2.0, periodic), log) as (base, pid):
                meter = Meter(pid, url)
                idle_claim, _ = await claim_report(base, city)
                capacity, probe, _ = await measure_capacity(
                    base, city, probe_diners, 4 * workers, meter
                )
                print(
                    f"capacity: {capacity:.1f} customers/s (quote + sale, {4 * workers} counters back "
                    f"to back, {CAPACITY_SECONDS:.0f} s); server {probe.cores(probe.server):.2f} cores, "
                    f"PostgreSQL {probe.cores(probe.postgres):.2f}, generator "
                    f"{probe.cores(probe.generator):.2f}, machine busy {probe.machine_busy:.2f} of {cpus}"
                )
                wanted = round(city.diners * lunch_share)
                customers = min(wanted, round(LOAD_TARGET * capacity * seconds / 2), len(order))
                size0, meals0, _ = await _database(url)
                result = await lunch(base, city, order, customers, seconds, meter)
                size1, meals1, alerts1 = await _database(url)
            report(city, result, capacity, wanted, lunch_share, (size0, size1), meals1 - meals0,
                   alerts1 - alerts0, idle_claim, cpus)  # fmt: skip
            log.seek(0)
            lines = log.read().decode().splitlines()
        errors = [line for line in lines if '"level": "error"' in line]
        print(f"server log: {len(errors)} error lines" + "".join(f"\n  {e}" for e in errors[:5]))
        statuses = result.timings.statuses()
        return not errors and not any(s >= 500 for kinds in statuses.values() for s in kinds)


def report(
    city: City,
    result: Lunch,
    capacity: float,
    wanted: int,
    lunch_share: float,
    sizes: tuple[int, int],
    meals: int,
    alerts: int,
    idle_claim: float,
    cpus: int,
) -> None:
    t, seconds, costs = result.timings, result.seconds, result.costs
    mode = seconds * PEAK_MINUTE / LUNCH_MINUTES
    window = (mode - seconds * PEAK_WINDOW / 2, mode + seconds * PEAK_WINDOW / 2)
    sold = t.count("sale", 201)
    peak = t.count("sale", 201, window) / (seconds * PEAK_WINDOW)
    print(
        f"lunch: 10:30-12:30 in {seconds:.0f} s (x{result.factor:.0f}), {result.customers} "
        f"customers of the {wanted} this scale's diners would bring "
        f"({result.customers / wanted:.0%}); peak arrival rate {2 * result.customers / seconds:.1f}/s"
    )
    first = datetime(2000, 1, 1, 10, 30) + timedelta(minutes=PEAK_MINUTE)
    half = timedelta(minutes=LUNCH_MINUTES * PEAK_WINDOW / 2)
    print(
        f"sales/s: peak {peak:.1f} ({first - half:%H:%M}-{first + half:%H:%M}), overall "
        f"{sold / costs.seconds:.1f}; {sold} sold"
    )
    print(f"scan to quote: p50 {t.ms('quote', 50):.0f} ms, p99 {t.ms('quote', 99):.0f} ms")
    print(f"sale:          p50 {t.ms('sale', 50):.0f} ms, p99 {t.ms('sale', 99):.0f} ms")
    print(
        f"family top-ups: {t.count('notify', 200)} of {result.topups} credited; intent p99 "
        f"{t.ms('intent', 99):.0f} ms, notification p99 {t.ms('notify', 99):.0f} ms"
    )
    statuses = t.statuses()
    bad = {k: {s: n for s, n in v.items() if s != EXPECTED[k]} for k, v in statuses.items()}
    fives = sum(n for v in statuses.values() for s, n in v.items() if s >= 500)
    print(
        f"errors: {fives} 5xx; other unexpected statuses { ({k: v for k, v in bad.items() if v}) }"
    )
    print(
        f"claim report ({city.claim_month}, {city.history_meals + meals} meals): "
        f"{result.claim_ms:.0f} ms at the peak (status {result.claim_status}), "
        f"{idle_claim:.0f} ms before the lunch"
    )
    print(
        f"alerts task: every {300 / result.factor:.1f} s (300 s compressed) in each worker; "
        f"{alerts} alerts written while the server ran"
    )
    grown = sizes[1] - sizes[0]
    per_meal = grown / max(1, meals)
    month = DINERS * lunch_share * WORKING_DAYS
    print(
        f"database: {sizes[0] / 2**20:.0f} -> {sizes[1] / 2**20:.0f} MiB over {meals} meals "
        f"({per_meal / 1024:.2f} KiB a meal, top-ups and alerts included); a city month of "
        f"{month:,.0f} lunches ({DINERS:,} x {lunch_share:.0%} x {WORKING_DAYS} days): "
        f"{per_meal * month / 2**30:.1f} GiB"
    )
    served = max(1, sold)
    app, pg = costs.server / served * 1000, costs.postgres / served * 1000
    print(
        f"CPU: server {costs.cores(costs.server):.2f} cores ({app:.1f} ms a customer), "
        f"PostgreSQL backends {costs.cores(costs.postgres):.2f} ({pg:.1f} ms), generator "
        f"{costs.cores(costs.generator):.2f} ({costs.generator / served * 1000:.1f} ms); "
        f"machine busy {costs.machine_busy:.2f} of {cpus} cores; load {_load()}"
    )
    real_peak = 2 * DINERS * lunch_share / (LUNCH_MINUTES * 60)
    need = real_peak * (app + pg) / 1000
    offered = 2 * result.customers / seconds
    print(
        f"scaled: this machine was offered {offered:.1f} customers/s at the peak and served "
        f"{peak:.1f}/s, {offered / real_peak:.0%} and {peak / real_peak:.0%} of the whole city's "
        f"real peak ({real_peak:.1f}/s)"
    )
    print(
        f"the city: {DINERS:,} diners x {lunch_share:.0%} = {DINERS * lunch_share:,.0f} lunches; "
        f"peak {real_peak:.1f} customers/s; at {app + pg:.1f} ms CPU each that is {need:.2f} "
        f"cores busy, {need / HEADROOM:.1f} cores at {HEADROOM:.0%} use"
    )


def main(args: list[str]) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks city",
        description="A city's lunch rush on PostgreSQL. make bench runs --scale 0.05 "
        "--minutes 3 (about 5 minutes); the whole city is --scale 1.0 (the default).",
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="share of 2,000 canteens and 200,000 diners"
    )
    parser.add_argument(
        "--minutes", type=float, default=10.0, help="the two-hour lunch compressed into this"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="canteen serve --workers (default: CPUs)",
    )
    parser.add_argument("--lunch-share", type=float, default=0.4, help="share of diners eating lunch on a weekday (assumed)")  # fmt: skip
    options = parser.parse_args(args)
    started = time.perf_counter()
    ok = asyncio.run(run(options.scale, options.minutes, options.workers, options.lunch_share))
    print(f"({time.perf_counter() - started:.0f} s)")
    if not ok:
        sys.exit("a request got a 5xx")
