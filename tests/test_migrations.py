"""The migrations, on SQLite and PostgreSQL: they build the models' schema, their CHECK
constraints refuse bad rows, an upgrade keeps every row, and ``canteen init`` can run again.

The migrations add by hand what Tortoise models cannot declare: CHECK constraints and partial
indexes (``... WHERE "revoked_at" IS NULL``). Both are left out of the comparison with the
models' schema; every CHECK has a case below that proves it refuses what it should.

Each ``migrate`` below runs in a task of its own, as each ``canteen init`` runs in a process of
its own: aerich leaves its (closed) Tortoise context in the calling task's context variables,
and a second ``db.migrate`` from the same task fails on it.
"""

import asyncio
import base64
import importlib
import pkgutil
import re
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import aerich
import aerich.migrate
import aerich.utils
import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from tortoise import BaseDBAsyncClient, Tortoise
from tortoise.context import TortoiseContext
from tortoise.exceptions import IntegrityError

from canteen import db
from canteen.accounts.invariants import ledger_violations
from canteen.config import derive_key
from tests.cli_runner import canteen_in_process
from tests.conftest import (
    _PG_PROBLEM,
    _empty_postgres,
    create_postgres_database,
    drop_postgres_database,
)

# In the order aerich applies them: by the number before the first underscore.
MIGRATION_FILES = sorted(
    (db.MIGRATIONS_DIR / "models").glob("[0-9]*_*.py"), key=lambda p: int(p.name.split("_")[0])
)
MIGRATION_NAMES = [p.name for p in MIGRATION_FILES]


def dialect(url: str) -> str:
    """The name ``db.tortoise_config`` gives the connection: its dialect."""
    return "sqlite" if url.startswith("sqlite://") else "postgres"


async def migrate(url: str, migrations_dir: Path = db.MIGRATIONS_DIR) -> list[str]:
    """One ``canteen init``, in a task of its own (see the module docstring)."""
    return await asyncio.create_task(db.migrate(url, migrations_dir))


@asynccontextmanager
async def connected(url: str) -> AsyncIterator[BaseDBAsyncClient]:
    """The connection the application opens on ``url``."""
    async with db.database(url, pool_size=2):
        yield Tortoise.get_connection(dialect(url))


@asynccontextmanager
async def client_of(url: str) -> AsyncIterator[BaseDBAsyncClient]:
    """A connection to ``url`` of the application's own client class and settings
    (``db.tortoise_config``), outside Tortoise's context: what ``connected`` gives without
    initialising Tortoise's models again (measured after a ``migrate``: some 2 ms of CPU
    against 10 ms)."""
    name = dialect(url)
    config = db.tortoise_config(url, pool_size=2)["connections"][name]
    client_class = importlib.import_module(config["engine"]).client_class
    client: BaseDBAsyncClient = client_class(connection_name=name, **config["credentials"])
    await client.create_connection(with_db=True)
    try:
        yield client
    finally:
        await client.close()


@pytest.fixture(autouse=True, scope="module")
def each_migration_file_run_once() -> Iterator[None]:
    """aerich runs a migration file's module again at each look at it: three times for each
    migration ``migrate`` applies (the last file when it starts, then each new one twice), and
    from migration 10 on a file's module runs the previous file's to build its models' state,
    which runs the one before it, and so on (``_previous_models_state``): the one-by-one
    upgrade below ran some 200 modules, each decompressing and compressing the models' state.
    Here each file (by its path and its bytes) is run once by aerich and its module kept (some
    70 modules run, with the files' own chains); aerich gets the same module, as running the
    same code again would give it. Each migration's SQL still runs on the database."""
    kept: dict[tuple[str, bytes], ModuleType] = {}

    def once(load: Callable[[Any], ModuleType], path: Path, argument: Any) -> ModuleType:
        key = (str(path.resolve()), path.read_bytes())
        if key not in kept:
            kept[key] = load(argument)
        return kept[key]

    def import_py_module(info: pkgutil.ModuleInfo) -> ModuleType:
        folder = Path(info.module_finder.path)  # type: ignore[union-attr]
        return once(aerich.utils.import_py_module, folder / f"{info.name}.py", info)

    def import_py_file(file: str | Path) -> ModuleType:
        return once(aerich.utils.import_py_file, Path(file), file)

    with pytest.MonkeyPatch.context() as patch:
        for module in (aerich, aerich.migrate):
            patch.setattr(module, "import_py_module", import_py_module)
            patch.setattr(module, "import_py_file", import_py_file)
        yield


def _empty_database(kind: str, sqlite_path: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite://{sqlite_path}"
        return
    if _PG_PROBLEM:
        pytest.skip(_PG_PROBLEM)
    url = create_postgres_database()
    try:
        yield url
    finally:
        drop_postgres_database(url)


@pytest.fixture(params=["sqlite", "postgres"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def empty_url(kind: str, tmp_path: Path) -> Iterator[str]:
    """A new, empty database (no table at all)."""
    yield from _empty_database(kind, tmp_path / "canteen.sqlite3")


@pytest.fixture
def models_url(kind: str, tmp_path: Path) -> Iterator[str]:
    """A second new, empty database of the same kind, for the models' own schema."""
    yield from _empty_database(kind, tmp_path / "models.sqlite3")


# --- The schema, as the database reports it -------------------------------------------------


@dataclass
class Table:
    columns: dict[str, tuple[Any, ...]]
    """name -> (type, not null, primary key (SQLite) / fed by a sequence (PostgreSQL))"""
    indexes: list[tuple[Any, ...]]
    foreign_keys: list[tuple[Any, ...]]


async def _sqlite_schema(conn: BaseDBAsyncClient) -> dict[str, Table]:
    names = await conn.execute_query_dict(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    schema = {}
    for table in sorted(r["name"] for r in names):
        columns = {
            c["name"]: (c["type"].upper(), bool(c["notnull"]), bool(c["pk"]))
            for c in await conn.execute_query_dict(f'PRAGMA table_info("{table}")')
        }
        indexes = []
        for index in await conn.execute_query_dict(f'PRAGMA index_list("{table}")'):
            if index["partial"]:
                continue
            parts = await conn.execute_query_dict(f'PRAGMA index_info("{index["name"]}")')
            # Compared by name too (a later migration that drops one names it), except the
            # automatic indexes of UNIQUE / PRIMARY KEY constraints, numbered by position.
            name = None if index["name"].startswith("sqlite_autoindex_") else index["name"]
            indexes.append((name, bool(index["unique"]), tuple(p["name"] for p in parts)))
        foreign_keys = [
            (fk["from"], fk["table"], fk["to"], fk["on_delete"], fk["on_update"])
            for fk in await conn.execute_query_dict(f'PRAGMA foreign_key_list("{table}")')
        ]
        schema[table] = Table(columns, sorted(indexes, key=repr), sorted(foreign_keys))
    return schema


async def _postgres_schema(conn: BaseDBAsyncClient) -> dict[str, Table]:
    names = await conn.execute_query_dict(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
    )
    schema = {}
    for table in sorted(r["tablename"] for r in names):
        regclass = f'"{table}"'
        found = await conn.execute_query_dict(
            "SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull,"
            " coalesce(pg_get_expr(d.adbin, d.adrelid), '') LIKE 'nextval(%' AS serial"
            " FROM pg_attribute a"
            " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
            " WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped",
            [regclass],
        )
        columns = {c["attname"]: (c["type"], c["attnotnull"], c["serial"]) for c in found}
        # e.g. CREATE UNIQUE INDEX user_username_key ON public."user" USING btree (username)
        indexes = await conn.execute_query_dict(
            "SELECT pg_get_indexdef(indexrelid) AS indexdef FROM pg_index"
            " WHERE indrelid = $1::regclass AND indpred IS NULL",
            [regclass],
        )
        # e.g. FOREIGN KEY (canteen_id) REFERENCES canteen(id) ON DELETE RESTRICT
        foreign_keys = await conn.execute_query_dict(
            "SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint"
            " WHERE conrelid = $1::regclass AND contype = 'f'",
            [regclass],
        )
        schema[table] = Table(
            columns,
            sorted((i["indexdef"],) for i in indexes),
            sorted((f["definition"],) for f in foreign_keys),
        )
    return schema


async def schema_in(conn: BaseDBAsyncClient) -> dict[str, Table]:
    if conn.capabilities.dialect == "sqlite":
        return await _sqlite_schema(conn)
    return await _postgres_schema(conn)


async def schema_of(url: str) -> dict[str, Table]:
    async with connected(url) as conn:
        return await schema_in(conn)


async def check_constraints_of(conn: BaseDBAsyncClient) -> set[str]:
    """The names of the CHECK constraints the database holds."""
    if conn.capabilities.dialect == "sqlite":
        tables = await conn.execute_query_dict("SELECT sql FROM sqlite_master WHERE type = 'table'")
        return {
            name
            for t in tables
            for name in re.findall(r'CONSTRAINT\s+"?(\w+)"?\s+CHECK', t["sql"] or "")
        }
    found = await conn.execute_query_dict(
        "SELECT c.conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace"
        " WHERE c.contype = 'c' AND n.nspname = 'public'"
    )
    return {r["conname"] for r in found}


# --- Rows: a small canteen with money in it, written in the first migration's SQL ----------

TS = "'2026-11-20 04:00:00+00:00'"
SEED_NUMBERS = ("11010519491231002X", "440106194501010017", "440104193805050029")
"""The diners' resident ID numbers, sealed below as the first migration's code sealed them."""


def legacy_cipher(number: str) -> str:
    """A number as enrolment encrypted it before migration 6 (no row bound in)."""
    nonce = bytes(12)
    sealed = AESGCM(derive_key("diner-id/encrypt/v1")).encrypt(
        nonce, number.encode(), b"diner.id_number"
    )
    return "v1." + base64.b64encode(nonce + sealed).decode()


# Migration 6 re-seals each cipher text bound to its row and drops the clear parts of the
# number; tests/diners/test_id_number_migration.py checks what it carries across.
REWRITTEN = {"diner": ("id_number_cipher", "id_last4", "region_code")}
# Migration 9 replaces the login counters (they hold recent failed guesses, no record worth
# keeping): the table is recreated empty, keyed by client address and by username from it.
REPLACED = {"login_throttle"}
DINERS_AT_FIRST = f"""
INSERT INTO "diner" ("name", "id_number_cipher", "id_number_hash", "id_last4", "region_code",
    "birth_date", "gender", "phone", "address", "district", "street", "categories",
    "disability_level", "dietary", "status", "created_at", "updated_at", "home_canteen_id")
VALUES ('王秀英', '{legacy_cipher(SEED_NUMBERS[0])}', '{"a" * 64}', '002X', '110105',
        '1949-12-31', 'female', '', '',
        '越秀区', '东山街', '["low_income"]', NULL, '[]', 'active', {TS}, {TS}, 1),
       ('李建国', '{legacy_cipher(SEED_NUMBERS[1])}', '{"b" * 64}', '0017', '440106',
        '1945-01-01', 'male', '13700000000',
        '', '越秀区', '东山街', '["disabled"]', 2, '["low_salt"]', 'active', {TS}, {TS}, 1),
       ('张桂兰', '{legacy_cipher(SEED_NUMBERS[2])}', '{"c" * 64}', '0029', '440104',
        '1938-05-05', 'female', '', '',
        '', '', '[]', NULL, '[]', 'suspended', {TS}, {TS}, NULL);
"""
# The same diners in today's schema (for the tests that seed the fully migrated database).
DINERS_NOW = f"""
INSERT INTO "diner" ("name", "id_number_cipher", "id_number_hash", "id_last4_hash",
    "birth_date", "gender", "phone", "address", "district", "street", "categories",
    "disability_level", "dietary", "status", "created_at", "updated_at", "home_canteen_id")
VALUES ('王秀英', 'v1.x', '{"a" * 64}', '{"d" * 64}', '1949-12-31', 'female', '', '',
        '越秀区', '东山街', '["low_income"]', NULL, '[]', 'active', {TS}, {TS}, 1),
       ('李建国', 'v1.y', '{"b" * 64}', '{"e" * 64}', '1945-01-01', 'male', '13700000000',
        '', '越秀区', '东山街', '["disabled"]', 2, '["low_salt"]', 'active', {TS}, {TS}, 1),
       ('张桂兰', 'v1.z', '{"c" * 64}', '{"f" * 64}', '1938-05-05', 'female', '', '',
        '', '', '[]', NULL, '[]', 'suspended', {TS}, {TS}, NULL);
"""
LOGIN_THROTTLE_AT_FIRST = f"""
INSERT INTO "login_throttle" ("username", "failures", "locked_until")
VALUES ('someone', 3, {TS});
"""
# Migration 9's counters: one per client address and per (username, client address).
LOGIN_THROTTLE_NOW = f"""
INSERT INTO "login_throttle" ("key", "failures", "locked_until", "last_try_at", "user_id")
VALUES ('9999999999999999999999999999999999999999999999999999999999999999', 3, {TS}, {TS}, NULL);
"""
# Ids are the ones the database hands out: 1, 2, 3 in insertion order.
SEED = f"""{LOGIN_THROTTLE_AT_FIRST}INSERT INTO "canteen"
    ("name", "address", "district", "street", "timezone", "meal_windows", "created_at")
VALUES ('东山长者饭堂', '龟岗大马路 1 号', '越秀区', '东山街', 'Asia/Shanghai',
        '{{"lunch": ["10:30", "13:30"]}}', {TS}),
       ('北京街长者饭堂', '北京路 2 号', '越秀区', '北京街', 'Asia/Shanghai',
        '{{"breakfast": ["06:30", "09:00"]}}', {TS});
INSERT INTO "user" ("username", "password_hash", "role", "display_name", "phone", "active",
    "created_at", "canteen_id")
VALUES ('admin', 'not-a-real-hash', 'admin', '管理员', '', TRUE, {TS}, NULL),
       ('cashier-dongshan', 'not-a-real-hash', 'cashier', '陈收银', '13800000000', TRUE, {TS}, 1),
       ('family-li', 'not-a-real-hash', 'family', '李女士', '13900000000', FALSE, {TS}, NULL);
INSERT INTO "auth_token" ("token_hash", "created_at", "expires_at", "revoked_at", "user_id")
VALUES ('{"0" * 64}', {TS}, {TS}, NULL, 2);
INSERT INTO "offering"
    ("name", "meal_type", "price_fen", "tags", "active", "created_at", "canteen_id")
VALUES ('一荤两素', 'lunch', 1200, '["套餐"]', TRUE, {TS}, 1);
{DINERS_AT_FIRST}INSERT INTO "family_link" ("relation", "created_at", "diner_id", "user_id")
VALUES ('女儿', {TS}, 1, 3);
INSERT INTO "account" ("balance_fen", "low_balance_fen", "created_at", "diner_id")
VALUES (3800, 2000, {TS}, 1), (800, 2000, {TS}, 2), (0, 1000, {TS}, 3);
INSERT INTO "topup" ("amount_fen", "method", "reference", "at", "account_id", "received_by_id")
VALUES (5000, 'cash', 'R-0001', {TS}, 1, 2), (2000, 'online', 'WX-42', {TS}, 2, NULL);
INSERT INTO "ledger_entry"
    ("kind", "amount_fen", "balance_after_fen", "at", "account_id", "topup_id")
VALUES ('topup', 5000, 5000, {TS}, 1, 1), ('meal', -1200, 3800, {TS}, 1, NULL),
       ('meal', -1200, 2600, {TS}, 1, NULL), ('void', 1200, 3800, {TS}, 1, NULL),
       ('topup', 2000, 2000, {TS}, 2, 2), ('meal', -1500, 500, {TS}, 2, NULL),
       ('adjustment', 300, 800, {TS}, 2, NULL);
INSERT INTO "audit_entry"
    ("at", "action", "object_type", "object_id", "before", "after", "actor_id")
VALUES ({TS}, 'account.topup', 'account', '1', NULL, '{{"balance_fen": 5000}}', 2);
INSERT INTO "idempotency_record"
    ("key", "fingerprint", "status", "body", "created_at", "user_id")
VALUES ('till-3-receipt-0042', '{"f" * 64}', 201, '{{"topup_id": 1}}', {TS}, 2);
"""
SEED_NOW = SEED.replace(DINERS_AT_FIRST, DINERS_NOW).replace(
    LOGIN_THROTTLE_AT_FIRST, LOGIN_THROTTLE_NOW
)
"""SEED as it is written into the fully migrated database."""
# (account id, balance, sum of its ledger entries)
SEEDED_BALANCES = [(1, 3800, 3800), (2, 800, 800), (3, 0, 0)]


async def rows_of(conn: BaseDBAsyncClient, columns: dict[str, list[str]]) -> dict[str, list[tuple]]:
    """Every row of every table, in the given columns (those a later migration cannot add)."""
    rows = {}
    for table, names in columns.items():
        select = ", ".join(f'"{n}"' for n in names)
        found = await conn.execute_query_dict(f'SELECT {select} FROM "{table}"')
        rows[table] = sorted((tuple(r[n] for n in names) for r in found), key=repr)
    return rows


async def balances_of(conn: BaseDBAsyncClient) -> list[tuple[int, int, int]]:
    found = await conn.execute_query_dict(
        'SELECT a."id", a."balance_fen", coalesce(sum(l."amount_fen"), 0) AS "ledger_sum"'
        ' FROM "account" a LEFT JOIN "ledger_entry" l ON l."account_id" = a."id"'
        ' GROUP BY a."id", a."balance_fen" ORDER BY a."id"'
    )
    return [(int(r["id"]), int(r["balance_fen"]), int(r["ledger_sum"])) for r in found]


async def populated_at_first_migration(url: str, workdir: Path) -> tuple[Path, dict, dict]:
    """The database at the first migration only, holding SEED.

    Returns the migrations folder it was built from (holding only that first migration), the
    columns of each table and every row.
    """
    partial = workdir / "migrations"
    (partial / "models").mkdir(parents=True)
    shutil.copy(MIGRATION_FILES[0], partial / "models")
    assert await migrate(url, partial) == MIGRATION_NAMES[:1]
    async with connected(url) as conn:
        await conn.execute_script(SEED)
        schema = await schema_in(conn)
        columns = {
            table: [c for c in t.columns if c not in REWRITTEN.get(table, ())]
            for table, t in schema.items()
            if table not in ("aerich", *REPLACED)
        }
        rows = await rows_of(conn, columns)
        assert await balances_of(conn) == SEEDED_BALANCES
    assert [t for t, found in rows.items() if not found] == [], "SEED fills every table"
    return partial, columns, rows


# --- 1. An empty database, migrated, has the models' schema ---------------------------------


async def test_migrating_an_empty_database_gives_the_schema_of_the_models(empty_url, models_url):
    assert await migrate(empty_url) == MIGRATION_NAMES
    async with TortoiseContext() as ctx:
        await ctx.init(config=db.tortoise_config(models_url))
        await ctx.generate_schemas(safe=False)

    migrated, models = await schema_of(empty_url), await schema_of(models_url)

    assert sorted(migrated) == sorted(models)
    assert "ledger_entry" in migrated
    for table in models:
        assert migrated[table].columns == models[table].columns, table
        assert migrated[table].indexes == models[table].indexes, table
        assert migrated[table].foreign_keys == models[table].foreign_keys, table


# --- 2. Every CHECK constraint of the migrations exists and refuses what it should ----------

TOPUP = 'INSERT INTO "topup" ("amount_fen", "method", "reference", "at", "account_id") VALUES '
LEDGER = (
    'INSERT INTO "ledger_entry" ("kind", "amount_fen", "balance_after_fen", "at", "account_id")'
    " VALUES "
)
CARD = (
    'INSERT INTO "card" ("serial", "issued_at", "revoked_at", "revoke_reason", "diner_id") VALUES '
)


def meal(**changes: object) -> str:
    """A valid lunch sold to diner 1 at canteen 1, but for ``changes`` (SQL literals)."""
    values = {
        "meal_type": "'lunch'",
        "price_fen": 1200,
        "subsidy_fen": 800,
        "pay_fen": 400,
        "operator_subsidy_fen": 0,
        "payment": "'account'",
        "local_date": "'2026-11-20'",
        "at": TS,
        "canteen_id": 1,
        "diner_id": 1,
        "sold_by_id": 2,
        "manual_reason": "NULL",
        "voided_at": "NULL",
        "void_reason": "NULL",
    } | changes
    columns = ", ".join(f'"{c}"' for c in values)
    return f'INSERT INTO "meal" ({columns}) VALUES ({", ".join(map(str, values.values()))})'


SUBSIDY_LINE = (
    'INSERT INTO "subsidy_line" ("rule", "label", "funder", "amount_fen", "pays", "meal_id")'
    " VALUES "
)


def insert(table: str, values: dict[str, object]) -> str:
    columns = ", ".join(f'"{c}"' for c in values)
    return f'INSERT INTO "{table}" ({columns}) VALUES ({", ".join(map(str, values.values()))})'


def intent(**changes: object) -> str:
    """A valid pending online top-up of diner 1's account, but for ``changes``."""
    values = {
        "amount_fen": 5000,
        "provider": "'sandbox'",
        "status": "'pending'",
        "pay_url": "'/payments/sandbox/pay/1'",
        "provider_ref": "NULL",
        "created_at": TS,
        "expires_at": TS,
        "paid_at": "NULL",
        "account_id": 1,
        "created_by_id": 3,
        "diner_id": 1,
        "topup_id": "NULL",
    }
    return insert("topup_intent", values | changes)


def alert(**changes: object) -> str:
    """A valid open missed-meal alert about diner 1, but for ``changes``."""
    values = {
        "kind": "'missed_meal'",
        "local_date": "'2026-11-20'",
        "status": "'open'",
        "detail": "'{}'",
        "found_at": TS,
        "note": "''",
        "follow_up_note": "''",
        "canteen_id": 1,
        "diner_id": 1,
        "handled_at": "NULL",
        "handled_by_id": "NULL",
        "followed_up_at": "NULL",
        "followed_up_by_id": "NULL",
    }
    return insert("alert", values | changes)


def notification(**changes: object) -> str:
    """A valid pending portal notification to family user 3, but for ``changes``."""
    values = {
        "kind": "'missed_meal'",
        "channel": "'portal'",
        "payload": "'{}'",
        "status": "'pending'",
        "attempts": 0,
        "next_attempt_at": TS,
        "last_error": "''",
        "created_at": TS,
        "sent_at": "NULL",
        "diner_id": 1,
        "recipient_id": 3,
    }
    return insert("notification", values | changes)


def finance_entry(**changes: object) -> str:
    """A valid rent paid by canteen 1, but for ``changes``."""
    values = {
        "local_date": "'2026-11-01'",
        "kind": "'cost'",
        "category": "'rent'",
        "amount_fen": 300_000,
        "note": "''",
        "created_at": TS,
        "canteen_id": 1,
        "created_by_id": "NULL",
    }
    return insert("finance_entry", values | changes)


def claim_day(**changes: object) -> str:
    """A valid roll-up row: two meals of rule age80 at canteen 1, one of them first overall."""
    values = {
        "canteen_id": 1,
        "local_date": "'2026-11-20'",
        "funder": "'district'",
        "rule": "'age80'",
        "pays": "'diner'",
        "meals": 2,
        "funder_meals": 2,
        "all_meals": 1,
        "subsidy_fen": 1000,
    }
    return insert("claim_day", values | changes)


def claim(**changes: object) -> str:
    """A valid draft claim of the city for every canteen's October, but for ``changes``."""
    values = {
        "month": "'2026-10'",
        "funder": "'city'",
        "canteen_id": "NULL",
        "scope": "'all'",
        "status": "'draft'",
        "meals": "NULL",
        "subsidy_fen": "NULL",
        "adjustment_fen": "NULL",
        "claimed_fen": "NULL",
        "created_at": TS,
        "submitted_at": "NULL",
        "approved_at": "NULL",
        "paid_amount_fen": "NULL",
        "paid_on": "NULL",
    }
    return insert("claim", values | changes)


FROZEN = {
    "submitted_at": TS,
    "meals": 1,
    "subsidy_fen": 300,
    "adjustment_fen": 0,
    "claimed_fen": 300,
}


def claim_adjustment(**changes: object) -> str:
    """Subsidy line 1 (of meal 1) withdrawn after claim 1 was frozen, but for ``changes``."""
    values = {
        "line_id": 1,
        "meal_id": 1,
        "source_claim_id": 1,
        "claim_id": "NULL",
        "funder": "'district'",
        "rule": "'age'",
        "pays": "'diner'",
        "amount_fen": -300,
        "reason": "'void'",
        "created_at": TS,
    }
    return insert("claim_adjustment", values | changes)


def claim_payment(**changes: object) -> str:
    """Claim 1 paid in full, but for ``changes`` (the check is on the row, not the claim)."""
    values = {
        "claim_id": 1,
        "kind": "'payment'",
        "amount_fen": 300,
        "claimed_fen": 300,
        "paid_on": "'2026-11-20'",
        "confirmed": "FALSE",
        "reverses_id": "NULL",
        "reason": "''",
        "recorded_at": TS,
    }
    return insert("claim_payment", values | changes)


def meal_order(**changes: object) -> str:
    """A valid placed lunch order of diner 1 at canteen 1, but for ``changes``."""
    values = {
        "local_date": "'2026-11-21'",
        "meal_type": "'lunch'",
        "delivery": "FALSE",
        "note": "''",
        "status": "'placed'",
        "placed_at": TS,
        "estimate_fen": 400,
        "cutoff_at": TS,
        "closed_at": "NULL",
        "meal_id": "NULL",
        "canteen_id": 1,
        "diner_id": 1,
        "offering_id": 1,
        "placed_by_id": 2,
    }
    return insert("meal_order", values | changes)


def delivery_stop(**changes: object) -> str:
    """A stop of run 1 for order 1, not yet reported, but for ``changes``."""
    values = {"position": 1, "outcome": "NULL", "note": "''", "meal_id": "NULL"}
    return insert("delivery_stop", {**values, "run_id": 1, "order_id": 1} | changes)


def kitchen_cooked(**changes: object) -> str:
    """Portions of offering 1 cooked at canteen 1 for a lunch, but for ``changes``."""
    values = {"local_date": "'2026-11-21'", "meal_type": "'lunch'", "portions": 40}
    return insert(
        "kitchen_cooked", values | {"recorded_at": TS, "canteen_id": 1, "offering_id": 1} | changes
    )


def points_entry(**changes: object) -> str:
    """User 2 redeeming 10 points for rice, but for ``changes``."""
    values = {"kind": "'redeem'", "points": -10, "item": "'大米'", "at": TS, "volunteer_id": 2}
    return insert("points_entry", values | changes)


def offline_sale(**changes: object) -> str:
    """Meal 1 sold offline by user 2 at canteen 1, as the counter priced it, but for ``changes``."""
    values = {"key": "'k1'", "outcome": "'sold'", "reason": "''", "payment": "'account'"}
    values |= {"made_at": TS, "synced_at": TS, "snapshot_issued_at": TS, "meal_id": 1}
    values |= {"price_fen": 1000, "told_pay_fen": 700, "counter_subsidy_fen": 300}
    values |= {"subsidy_fen": 300, "paid_fen": 700, "operator_fen": 0}
    return insert("offline_sale", values | {"canteen_id": 1, "sold_by_id": 2} | changes)


# Run after SEED on the fully migrated database: meal 1 with its subsidy line 1, for the rows
# that hang off a meal, the district's October claim 1, and order 1 with delivery run 1.
CHECK_SETUP = ";\n".join(
    [
        meal(),
        f"{SUBSIDY_LINE} ('age', '高龄', 'district', 300, 'diner', 1)",
        claim(funder="'district'"),
        meal_order(),
        insert(
            "delivery_run",
            {
                "local_date": "'2026-11-21'",
                "meal_type": "'lunch'",
                "created_at": TS,
                "canteen_id": 1,
                "deliverer_id": 2,
            },
        ),
    ]
)
# Each breaks exactly one constraint, of a SEED row or of an otherwise valid new row.
CHECK_VIOLATIONS = {
    "ck_user_role": """UPDATE "user" SET "role" = 'root' WHERE "username" = 'admin'""",
    "ck_user_canteen_role": """UPDATE "user" SET "canteen_id" = NULL
        WHERE "username" = 'cashier-dongshan'""",
    "ck_offering_price": """UPDATE "offering" SET "price_fen" = -1""",
    "ck_offering_meal_type": """UPDATE "offering" SET "meal_type" = 'supper'""",
    "ck_diner_status": """UPDATE "diner" SET "status" = 'gone' WHERE "id" = 1""",
    "ck_diner_disability_level": """UPDATE "diner" SET "disability_level" = 5 WHERE "id" = 2""",
    "ck_diner_gender": """UPDATE "diner" SET "gender" = 'x' WHERE "id" = 1""",
    "ck_account_balance_not_negative": """UPDATE "account" SET "balance_fen" = -1 WHERE "id" = 1""",
    "ck_account_low_balance": """UPDATE "account" SET "low_balance_fen" = -1 WHERE "id" = 1""",
    "ck_topup_amount_positive": f"{TOPUP} (0, 'cash', '', {TS}, 1)",
    "ck_topup_method": f"{TOPUP} (1000, 'bitcoin', '', {TS}, 1)",
    "ck_ledger_entry_amount_not_zero": f"{LEDGER} ('adjustment', 0, 3800, {TS}, 1)",
    "ck_ledger_entry_balance_after": f"{LEDGER} ('meal', -5000, -1200, {TS}, 1)",
    "ck_ledger_entry_kind": f"{LEDGER} ('gift', 100, 3900, {TS}, 1)",
    "ck_card_revoke_reason": f"{CARD} ('C-0001', {TS}, {TS}, 'eaten', 1)",
    "ck_card_revoked_with_reason": f"{CARD} ('C-0002', {TS}, {TS}, NULL, 1)",
    "ck_meal_type": meal(meal_type="'supper'"),
    "ck_meal_payment": meal(payment="'credit'"),
    "ck_meal_amounts": meal(operator_subsidy_fen=-1),
    "ck_meal_price_is_subsidy_plus_pay": meal(pay_fen=300),
    "ck_meal_voided_with_reason": meal(voided_at=TS),
    "ck_meal_manual_reason": meal(manual_reason="'forgot'"),
    "ck_limit_use_slot": """INSERT INTO "limit_use"
        ("rule", "period", "slot", "diner_id", "meal_id")
        VALUES ('lunch_per_day', '2026-11-20', 0, 1, 1)""",
    "ck_subsidy_line_amount_positive": f"{SUBSIDY_LINE} ('age', '高龄', 'district', 0, 'diner', 1)",
    "ck_subsidy_line_pays": f"{SUBSIDY_LINE} ('age', '高龄', 'district', 300, 'nobody', 1)",
    "ck_topup_intent_amount_positive": intent(amount_fen=0),
    "ck_topup_intent_status": intent(status="'paid'"),
    "ck_topup_intent_paid": intent(status="'succeeded'"),
    "ck_topup_intent_topup": intent(topup_id=1),
    "ck_alert_kind": alert(kind="'flood'"),
    "ck_alert_status": alert(status="'closed'", handled_at=TS, handled_by_id=1),
    "ck_alert_handled": alert(status="'handled'"),
    "ck_alert_followed_up": alert(followed_up_at=TS, followed_up_by_id=1),
    "ck_alert_outcome": alert(outcome="'prayed'"),
    "ck_watcher_relation": insert(
        "watcher", {"relation": "'friend'", "created_at": TS, "diner_id": 1, "user_id": 2}
    ),
    "ck_notification_status": notification(status="'queued'"),
    "ck_notification_sent": notification(status="'sent'"),
    "ck_notification_attempts": notification(attempts=-1),
    "ck_finance_entry_category": finance_entry(kind="'grant'"),
    "ck_finance_entry_amount_positive": finance_entry(amount_fen=0),
    "ck_claim_day_pays": claim_day(pays="'nobody'"),
    "ck_claim_day_counts": claim_day(all_meals=3),
    "ck_claim_day_amount": claim_day(subsidy_fen=-1),
    "ck_claim_status": claim(status="'rejected'", approved_at=TS, **FROZEN),
    "ck_claim_month": claim(month="'2026/10'"),
    "ck_claim_scope": claim(scope="'7'"),
    "ck_claim_frozen_at_submit": claim(status="'submitted'", submitted_at=TS),
    "ck_claim_approved": claim(status="'approved'", **FROZEN),
    "ck_claim_paid": claim(paid_amount_fen=300, paid_on="'2026-11-20'"),
    "ck_claim_adjustment_amount": claim_adjustment(amount_fen=0),
    "ck_claim_adjustment_pays": claim_adjustment(pays="'nobody'"),
    "ck_claim_payment_kind": claim_payment(kind="'reversal'", amount_fen=-300),
    "ck_claim_payment_difference_confirmed": claim_payment(amount_fen=250),
    "ck_canteen_delivery_fee": """UPDATE "canteen" SET "delivery_fee_fen" = 1001""",
    "ck_menu_meal_type": insert(
        "menu",
        {
            "local_date": "'2026-11-21'",
            "meal_type": "'supper'",
            "dishes": "'[]'",
            "allergens": "'[]'",
            "canteen_id": 1,
            "offering_id": 1,
        },
    ),
    "ck_meal_order_meal_type": meal_order(meal_type="'supper'", diner_id=2),
    "ck_meal_order_status": meal_order(status="'eaten'", diner_id=2),
    "ck_meal_order_fulfilled": meal_order(status="'fulfilled'", diner_id=2),
    "ck_delivery_stop_outcome": delivery_stop(outcome="'lost'"),
    "ck_delivery_stop_meal": delivery_stop(meal_id=1),
    "ck_found_scan_result": insert("found_scan", {"at": TS, "result": "'peeked'"}),
    "ck_kitchen_cooked_portions": kitchen_cooked(portions=5001),
    "ck_kitchen_cooked_meal_type": kitchen_cooked(meal_type="'supper'"),
    "ck_points_balance_not_negative": insert("points_balance", {"balance": -1, "volunteer_id": 2}),
    "ck_points_entry_kind": points_entry(kind="'gift'"),
    "ck_points_entry_source": points_entry(item="''"),
    "ck_channel_choice_channels": insert(
        "channel_choice",
        {"channels": """'["sms", "fax"]'""", "sms_phone": "''", "wechat_openid": "''"}
        | {"updated_at": TS, "user_id": 3},
    ),
    "ck_offline_sale_outcome": offline_sale(outcome="'lost'"),
    "ck_offline_sale_meal": offline_sale(outcome="'refused'"),
    "ck_offline_sale_amounts": offline_sale(outcome="'sold'", operator_fen=100),
}


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def seeded_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A copy of the migrated database of each kind holding SEED_NOW and CHECK_SETUP, which
    every case below shares: a case's statement is refused, so it leaves the rows as it found
    them (one that is not refused fails its own case)."""
    if request.param == "sqlite":
        target = tmp_path_factory.mktemp("checks") / "canteen.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), target)
        url = f"sqlite://{target}"
    else:
        url = create_postgres_database(request.getfixturevalue("postgres_template"))
    try:
        if request.param == "postgres":
            # The template holds what the last test on it wrote; emptied, its ids start at 1.
            asyncio.run(_empty_postgres(url))
        asyncio.run(_seed_for_checks(url))
        yield url
    finally:
        if request.param == "postgres":
            drop_postgres_database(url)


async def _seed_for_checks(url: str) -> None:
    async with connected(url) as conn:
        await conn.execute_script(SEED_NOW)
        await conn.execute_script(CHECK_SETUP)
        assert await balances_of(conn) == SEEDED_BALANCES


@pytest.fixture(scope="module")
async def seeded(seeded_url: str) -> AsyncIterator[BaseDBAsyncClient]:
    """A connection to ``seeded_url`` of the application's own client class and settings
    (``db.tortoise_config``), kept for the module, outside Tortoise's context (which the
    other tests open and close around them)."""
    async with client_of(seeded_url) as client:
        yield client


def test_every_check_the_migrations_declare_has_a_case_here():
    declared = {
        name
        for path in MIGRATION_FILES
        for name in re.findall(r'CONSTRAINT\s+"(\w+)"\s+CHECK', path.read_text(encoding="utf-8"))
    }
    assert declared == set(CHECK_VIOLATIONS)


async def test_the_migrated_database_holds_every_check(seeded):
    assert await check_constraints_of(seeded) == set(CHECK_VIOLATIONS)


@pytest.mark.parametrize("constraint", CHECK_VIOLATIONS)
async def test_a_row_breaking_a_check_is_refused(seeded, constraint):
    with pytest.raises(IntegrityError, match=rf"\b{constraint}\b"):
        await seeded.execute_query(CHECK_VIOLATIONS[constraint])

    assert await balances_of(seeded) == SEEDED_BALANCES


# --- 2b. The partial indexes, which the schema comparison leaves out, exist -----------------

PARTIAL_INDEXES = {
    "uq_card_one_live_per_diner",
    "ix_meal_live_day",
    "uq_meal_order_open",
    "ix_meal_order_placed",
    "ix_meal_diner_last",
}
"""One live card per diner; the live meals by day for the reports (``reports.loaders``); one
open order per diner, date and meal; the placed orders by day (for marking them missed); a
diner's live meals by time (the counter's "sold moments ago")."""


def test_every_partial_index_the_migrations_create_is_listed_here():
    created = {
        name
        for path in MIGRATION_FILES
        for name in re.findall(
            r'CREATE (?:UNIQUE )?INDEX "(\w+)" ON "\w+" \([^)]*\)(?: INCLUDE \([^)]*\))? WHERE',
            path.read_text(encoding="utf-8"),
        )
    }
    assert created == PARTIAL_INDEXES


async def test_the_migrated_database_holds_every_partial_index(seeded):
    conn = seeded
    if conn.capabilities.dialect == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '% WHERE %'"
    else:
        sql = "SELECT indexrelid::regclass::text AS name FROM pg_index WHERE indpred IS NOT NULL"
    assert {row["name"] for row in await conn.execute_query_dict(sql)} == PARTIAL_INDEXES


# --- 3. Upgrading a database that holds accounts and ledger entries loses no row ------------


async def test_upgrading_a_database_holding_money_loses_no_row(empty_url, tmp_path):
    partial, columns, rows = await populated_at_first_migration(empty_url, tmp_path)

    # Every later migration, one at a time, on the populated database.
    for path in MIGRATION_FILES[1:]:
        shutil.copy(path, partial / "models")
        assert await migrate(empty_url, partial) == [path.name]
        async with client_of(empty_url) as conn:
            assert await rows_of(conn, columns) == rows, f"after {path.name}"

    # And the real folder, as `canteen init` runs it: nothing is left to apply.
    assert await migrate(empty_url) == []
    async with connected(empty_url) as conn:
        assert await rows_of(conn, columns) == rows
        assert await balances_of(conn) == SEEDED_BALANCES
        assert await ledger_violations() == []


# --- 4. `canteen init` is safe to run again --------------------------------------------------


async def test_canteen_init_run_again_applies_nothing_and_loses_nothing(empty_url, tmp_path):
    _, columns, rows = await populated_at_first_migration(empty_url, tmp_path)

    assert await migrate(empty_url) == MIGRATION_NAMES[1:]
    assert await migrate(empty_url) == []
    # `canteen init` in this process (tests/cli_runner.py): a new process would spend its
    # first seconds importing the app.
    ran = canteen_in_process(empty_url, "init", cwd=tmp_path)
    assert (ran.code, ran.out) == (0, "database is up to date\n"), ran.err

    async with connected(empty_url) as conn:
        assert await rows_of(conn, columns) == rows
        assert await balances_of(conn) == SEEDED_BALANCES
        assert await ledger_violations() == []


# --- 5. SQLite: durable, patient, and enforcing foreign keys ---------------------------------


async def test_sqlite_runs_in_wal_with_full_sync_a_busy_timeout_and_foreign_keys(
    sqlite_template, tmp_path
):
    # The migrated database the suite copies (``db.migrate`` on a new file, as `canteen init`).
    target = tmp_path / "canteen.sqlite3"
    shutil.copy(sqlite_template, target)
    url = f"sqlite://{target}"
    async with db.database(url):
        conn = Tortoise.get_connection("sqlite")

        async def pragma(name: str) -> Any:
            return next(iter((await conn.execute_query_dict(f"PRAGMA {name}"))[0].values()))

        assert str(await pragma("journal_mode")).lower() == "wal"
        assert await pragma("synchronous") == 2  # FULL
        assert await pragma("busy_timeout") > 0
        assert await pragma("foreign_keys") == 1
        with pytest.raises(IntegrityError, match="FOREIGN KEY"):
            await conn.execute_query(
                'INSERT INTO "account" ("balance_fen", "low_balance_fen", "created_at", "diner_id")'
                f" VALUES (0, 2000, {TS}, 999)"
            )


async def test_the_migrated_database_takes_a_volunteer_and_refuses_an_unknown_role(database):
    conn = Tortoise.get_connection(dialect(database))
    user = (
        'INSERT INTO "user" ("username", "password_hash", "role", "display_name", "phone",'
        f" \"active\", \"created_at\") VALUES (%s, 'x', %s, '', '', TRUE, {TS})"
    )
    await conn.execute_query(user % ("'红马甲'", "'volunteer'"))
    with pytest.raises(IntegrityError, match=r"\bck_user_role\b"):
        await conn.execute_query(user % ("'intruder'", "'root'"))
