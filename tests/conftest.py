"""Fixtures: every database test runs on SQLite and on PostgreSQL.

PostgreSQL is reached through ``CANTEEN_TEST_POSTGRES_URL`` (default: the local server's
``test`` database). Each session creates its own database there and drops it at the end. When
PostgreSQL cannot be reached, its tests are skipped, except with ``CI=true``, where the run
fails: CI must never pass on SQLite alone.
"""

import asyncio
import fcntl
import io
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_MEMORY = Path("/dev/shm")
if _MEMORY.is_dir() and os.access(_MEMORY, os.W_OK):
    tempfile.tempdir = str(_MEMORY)
"""Test files (SQLite databases, pytest's ``tmp_path``) live in memory where Linux offers it:
on this disk every fsync takes some 8 ms, and SQLite's ``synchronous=FULL`` (which the tests
keep, as production runs it) fsyncs at every commit. A killed server process loses nothing
either way (the kernel holds its writes); what a power cut would do is not what the suite tests."""

_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
_RUN_DIR = "CANTEEN_TEST_RUN_DIR"
if _WORKER and os.environ.get(_RUN_DIR):
    _RUN = Path(os.environ[_RUN_DIR])
else:
    _RUN = Path(tempfile.mkdtemp(prefix="canteen-tests-"))
    os.environ[_RUN_DIR] = str(_RUN)
"""One folder per run, which the xdist workers inherit (through the environment, as they start):
what is built once per run for every worker (the demo) lives here, and the process that made
the folder removes it, with what is in it, when the run ends."""
_TMP = Path(tempfile.mkdtemp(prefix=f"{_WORKER or 'main'}-", dir=_RUN))
os.environ["CANTEEN_SECRET_KEY"] = "test-secret-key-not-for-production"
os.environ["CANTEEN_VAR_DIR"] = str(_TMP / "var")
os.environ.pop("CANTEEN_DATABASE_URL", None)

import asyncpg  # noqa: E402
import httpx  # noqa: E402
import hypothesis  # noqa: E402
import pytest  # noqa: E402
from argon2 import PasswordHasher  # noqa: E402
from starlette.applications import Starlette  # noqa: E402
from xdist.scheduler import LoadGroupScheduling  # noqa: E402

from canteen import app as composition  # noqa: E402
from canteen import db  # noqa: E402
from canteen.app import create_app  # noqa: E402
from canteen.auth import passwords  # noqa: E402
from canteen.auth import service as auth  # noqa: E402
from canteen.config import Settings, get_settings  # noqa: E402
from canteen.http.openapi import openapi_document  # noqa: E402
from canteen.roles import SYSTEM, Actor  # noqa: E402
from tests.serving import ForkedServer  # noqa: E402

IN_CI = os.environ.get("CI", "").lower() == "true"

# No per-example deadline: hypothesis's default (200 ms) is a timed assertion, and on a busy
# 2-core machine a property test that talks to a database goes over it for no fault of the code.
# Speed is the benchmarks' to judge.
hypothesis.settings.register_profile("canteen", deadline=None)
hypothesis.settings.load_profile("canteen")
POSTGRES_URL = os.environ.get(
    "CANTEEN_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test"
)
PASSWORD = "correct horse battery"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(_TMP, ignore_errors=True)
    if _WORKER is None:  # the run's own process: the workers are done
        for url in _RUN.glob("*/postgres-url"):
            drop_postgres_database(url.read_text())
        shutil.rmtree(_RUN, ignore_errors=True)


# --- Summaries: what the long runs and the fuzz did, passed or failed ----------------------

_SUMMARIES: dict[str, list[str]] = {"soak": [], "fuzz": []}
"""Lines tests record as properties of these names (``record_property("fuzz", line)``), shown
at the end of the run: an xdist worker's own output is not, its test reports' properties are."""
_SESSION_STARTED = time.monotonic()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Collect the summary lines tests recorded (from xdist workers too)."""
    if report.when == "call":
        for name, value in report.user_properties:
            if name in _SUMMARIES:
                _SUMMARIES[name].append(str(value))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for name, lines in _SUMMARIES.items():
        if lines:
            terminalreporter.section(f"{name} summary")
            for line in lines:
                terminalreporter.write_line(line)
    if _SUMMARIES["soak"]:
        elapsed = time.monotonic() - _SESSION_STARTED
        terminalreporter.write_line(f"whole run: {elapsed / 60:.1f} min")


# --- Sharing the work between xdist workers -------------------------------------------------

_SHARED_SCOPES = {"class", "module", "package"}


def _group_of(item: pytest.Item, sharing: set[str]) -> str | None:
    """The group ``item`` runs in: its ``xdist_group`` marks' names, else its module's name if
    the module's tests share a fixture, else none (it may run on any worker)."""
    marks = item.iter_markers("xdist_group")
    names = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in marks})
    if names:
        return "_".join(names)
    module = getattr(item, "module", None)
    return module.__name__ if module and module.__name__ in sharing else None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """In an xdist worker: write down each test's group for the scheduler (``Groups`` below)."""
    if _WORKER is None:
        return
    sharing = {
        item.module.__name__
        for item in items
        if isinstance(item, pytest.Function)
        and any(
            definition.scope in _SHARED_SCOPES
            for definitions in item._fixtureinfo.name2fixturedefs.values()
            for definition in definitions
        )
    }
    groups = {item.nodeid: _group_of(item, sharing) for item in items}
    path = _RUN / f"groups-{_WORKER}.json"
    path.write_text(json.dumps({nodeid: g for nodeid, g in groups.items() if g}))


class Groups(LoadGroupScheduling):
    """``--dist loadgroup`` as ``make test`` and ``make soak`` run it: a test goes to whichever
    worker is free, one by one, so that no long file leaves one worker running alone at the
    end; a group goes whole to one worker, the biggest groups first. A test's group is named
    by its ``xdist_group`` marks, and every test of a module whose tests share a fixture (a copy
    of the demo, the fuzz's server and figures) is in the module's group.

    xdist learns a test's group from a suffix the worker adds to its node id, which pytest 9.2
    ignores (structured node ids: pytest-dev/pytest-xdist#1386), so every group was silently
    spread over both workers. The workers write the groups down instead (``groups-gw0.json``),
    before they send their collection to this scheduler.
    """

    def _split_scope(self, nodeid: str) -> str:
        if not hasattr(self, "_groups"):
            self._groups: dict[str, str] = {}
            for path in _RUN.glob("groups-*.json"):
                self._groups.update(json.loads(path.read_text()))
        return self._groups.get(nodeid) or super()._split_scope(nodeid)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Groups | None:
    return Groups(config, log) if config.getvalue("dist") == "loadgroup" else None


# --- PostgreSQL: one database per test session --------------------------------------------


def _with_database(url: str, name: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


async def _admin(sql: str) -> None:
    conn = await asyncpg.connect(POSTGRES_URL.replace("postgres://", "postgresql://", 1))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def _postgres_reachable() -> str | None:
    """None when reachable, else why not."""
    try:
        asyncio.run(_admin("SELECT 1"))
        return None
    except (OSError, asyncpg.PostgresError) as exc:
        return f"PostgreSQL at {POSTGRES_URL} unreachable: {exc}"


_PG_PROBLEM = _postgres_reachable()
if _PG_PROBLEM and IN_CI:
    raise RuntimeError(f"CI=true needs PostgreSQL: {_PG_PROBLEM}")


def create_postgres_database(template: str | None = None) -> str:
    """A new database whose commits don't wait for the disk (``synchronous_commit`` off, for
    this database only): a commit is still atomic and visible to every other connection at
    once, and survives a killed client or server process; only a crash of PostgreSQL itself
    could lose the last few, and no test crashes PostgreSQL. Each fsync costs some 8 ms here.

    With ``template`` (a database's URL), a copy of that database, which no one may be
    connected to meanwhile."""
    name = f"canteen_test_{uuid.uuid4().hex[:12]}"
    source = f' TEMPLATE "{template.rpartition("/")[2]}"' if template else ""
    asyncio.run(_admin(f'CREATE DATABASE "{name}"{source}'))
    asyncio.run(_admin(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    return _with_database(POSTGRES_URL, name)


def drop_postgres_database(url: str) -> None:
    name = url.rpartition("/")[2]
    asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


# --- Built once per run, for every worker ---------------------------------------------------


def once_per_run(name: str, build: Callable[[Path], None]) -> Path:
    """The folder ``build`` filled, built by whichever process of the run asks first while the
    others wait for it (a lock file), and kept until the run ends. A PostgreSQL database a
    build makes is dropped then if its URL is in the folder's ``postgres-url``."""
    folder = _RUN / name
    with (_RUN / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "built").exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a failed build left
            folder.mkdir()
            build(folder)
            (folder / "built").touch()
    return folder


def run_canteen(database_url: str, var_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The ``canteen`` command as a person runs it, on ``database_url``; it must succeed."""
    env = {**os.environ, "CANTEEN_DATABASE_URL": database_url, "CANTEEN_VAR_DIR": str(var_dir)}
    command = [str(Path(sys.executable).parent / "canteen"), *args]
    done = subprocess.run(command, env=env, cwd=var_dir.parent, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done


@dataclass(frozen=True)
class Demo:
    """A copy of the demo of its own: six weeks of meals, books and claims."""

    url: str
    var_dir: Path
    """Where the demo wrote its password table (``demo.PASSWORDS_FILE``)."""
    summary: str
    """What ``canteen demo`` printed when it filled the database."""


def _fill_demo(kind: str, folder: Path) -> None:
    """``canteen demo --if-empty`` on a copy of the run's migrated database (what ``canteen
    init`` makes; ``tests/test_migrations.py`` runs that command itself): some 30 seconds on
    SQLite and two minutes on PostgreSQL on the busy test machine, so it is done once a run."""
    migrated = once_per_run(f"migrated-{kind}", lambda built: _migrate_once(kind, built))
    if kind == "sqlite":
        url = f"sqlite://{folder / 'demo.sqlite3'}"
        shutil.copy(migrated / "template.sqlite3", folder / "demo.sqlite3")
    else:
        url = create_postgres_database((migrated / "postgres-url").read_text())
        (folder / "postgres-url").write_text(url)
    (folder / "var").mkdir()
    summary = run_canteen(url, folder / "var", "demo", "--if-empty").stdout
    (folder / "summary.txt").write_text(summary, encoding="utf-8")


def demo_copy(kind: str, into: Path) -> Demo:
    """A copy of the run's demo database of ``kind`` (filled at the first call of the run),
    with its files, in the folder ``into``. A PostgreSQL copy is the caller's to drop."""
    if kind == "postgres" and _PG_PROBLEM:
        pytest.skip(_PG_PROBLEM)
    filled = once_per_run(f"demo-{kind}", lambda folder: _fill_demo(kind, folder))
    shutil.copytree(filled / "var", into / "var")
    summary = (filled / "summary.txt").read_text(encoding="utf-8")
    if kind == "postgres":
        return Demo(
            create_postgres_database((filled / "postgres-url").read_text()), into / "var", summary
        )
    with (
        closing(sqlite3.connect(filled / "demo.sqlite3")) as source,
        closing(sqlite3.connect(into / "demo.sqlite3")) as copy,
    ):
        source.backup(copy)  # the pages in the write-ahead log too
    return Demo(f"sqlite://{into / 'demo.sqlite3'}", into / "var", summary)


# --- Migrated, empty databases ---------------------------------------------------------------


def _migrate_once(kind: str, folder: Path) -> None:
    """The run's migrated, empty database of ``kind``: ``db.migrate`` takes some 5 s (aerich
    imports and re-encodes every migration's state), so it is done once a run, not once a worker."""
    if kind == "sqlite":
        asyncio.run(db.migrate(f"sqlite://{folder / 'template.sqlite3'}"))
        return
    url = create_postgres_database()
    (folder / "postgres-url").write_text(url)
    asyncio.run(db.migrate(url))


@contextmanager
def _copy_of_the_runs_postgres() -> Iterator[str]:
    """A new database copied from the run's migrated one (made once per run), dropped after."""
    if _PG_PROBLEM:
        pytest.skip(_PG_PROBLEM)
    built = once_per_run("migrated-postgres", lambda folder: _migrate_once("postgres", folder))
    url = create_postgres_database((built / "postgres-url").read_text())
    try:
        yield url
    finally:
        drop_postgres_database(url)


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """This worker's migrated database: a copy of the run's (each worker empties its own
    between tests)."""
    with _copy_of_the_runs_postgres() as url:
        yield url


@pytest.fixture(scope="session")
def sqlite_template() -> str:
    """The run's migrated SQLite database, which tests copy and never open."""
    built = once_per_run("migrated-sqlite", lambda folder: _migrate_once("sqlite", folder))
    return str(built / "template.sqlite3")


_WRITTEN_TABLES = """
SELECT c.relname, pg_relation_size(c.oid) AS heap, pg_total_relation_size(c.oid) AS total
FROM pg_class c
WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace AND c.relname <> 'aerich'
  AND pg_relation_size(c.oid) > 0
"""
"""The tables a test wrote to (any page at all: a deleted or rolled-back row leaves one), and
their sizes in bytes, without and with their indexes."""
_RESTART_SEQUENCES = """
SELECT setval(s.oid, 1, false)
FROM pg_depend d
JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
JOIN pg_class t ON t.oid = d.refobjid
WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
  AND d.deptype IN ('a', 'i') AND t.relnamespace = 'public'::regnamespace
  AND t.relname <> 'aerich';
"""
"""What ``RESTART IDENTITY`` restarts: the sequences the tables' columns own."""
PAGE = 8192
GROWN_HEAP = 8 * PAGE
GROWN_TOTAL = 64 * PAGE


async def _empty_postgres(url: str) -> None:
    """Empty every table but the migrations' and restart every sequence, as ``TRUNCATE ...
    RESTART IDENTITY CASCADE`` does: by deleting the rows of the tables written to, in some
    5 ms, and only now and then by that TRUNCATE, which takes 0.2 s (a second on the busy
    machine; it gives each of the ~150 tables and indexes new files) and ran before every test.

    The deleted rows stay in their pages (the test server does not vacuum), so the planner
    still sees each table as the migration left it, never vacuumed: it plans an unvacuumed
    table of under 10 pages as one of 10 (``tests/reports/test_loaders.py`` checks a plan). A
    VACUUM would tell it the tables are empty, and change its plans. Once a table has 8 pages,
    or 64 with its indexes, the TRUNCATE starts them all afresh. The foreign keys are not
    checked while the rows go (``session_replication_role``, a superuser's setting, as the
    test server's ``postgres`` is)."""
    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        written = await conn.fetch(_WRITTEN_TABLES)
        if any(row["heap"] >= GROWN_HEAP or row["total"] >= GROWN_TOTAL for row in written):
            tables = await conn.fetch(
                "SELECT tablename FROM pg_tables"
                " WHERE schemaname = 'public' AND tablename <> 'aerich'"
            )
            names = ", ".join(f'"{row["tablename"]}"' for row in tables)
            await conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
            return
        deletes = "".join(f'DELETE FROM "{row["relname"]}";' for row in written)
        await conn.execute(
            "SET session_replication_role = replica;"
            + deletes
            + _RESTART_SEQUENCES
            + "RESET session_replication_role;"
        )
    finally:
        await conn.close()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database of each kind; or, for a test that asks for a
    ``database_fill``, one holding what that fill's scenario built (``Fill``)."""
    fill: Fill | None = None
    if "database_fill" in request.fixturenames:
        fill = request.getfixturevalue("database_fill")
    if request.param == "sqlite":
        target = tmp_path / "canteen.sqlite3"
        if fill is None:
            shutil.copy(request.getfixturevalue("sqlite_template"), target)
        else:
            shutil.copy(fill.sqlite_file(request.getfixturevalue("sqlite_template")), target)
        return f"sqlite://{target}"
    url: str = request.getfixturevalue("postgres_template")
    if fill is None:
        asyncio.run(_empty_postgres(url))
    else:
        asyncio.run(fill.fill_postgres(url))
    return url


@dataclass
class PostgresRows:
    """A PostgreSQL database's rows, table by table (``COPY``'s binary format), and where its
    sequences stood."""

    tables: dict[str, bytes]
    sequences: dict[str, int]


async def _postgres_rows(url: str) -> PostgresRows:
    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        tables = {}
        for row in await conn.fetch(_WRITTEN_TABLES):
            copied = io.BytesIO()
            await conn.copy_from_table(row["relname"], output=copied, format="binary")
            tables[row["relname"]] = copied.getvalue()
        sequences = await conn.fetch(
            "SELECT sequencename, last_value FROM pg_sequences"
            " WHERE schemaname = 'public' AND last_value IS NOT NULL"
            " AND sequencename NOT LIKE 'aerich%'"
        )
        return PostgresRows(tables, {r["sequencename"]: r["last_value"] for r in sequences})
    finally:
        await conn.close()


async def _restore_postgres(url: str, rows: PostgresRows) -> None:
    """``rows`` written back into the emptied database, its sequences where they stood. The
    foreign keys are not checked while the tables fill one by one (the rows came from a
    database that held them all)."""
    await _empty_postgres(url)
    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        await conn.execute("SET session_replication_role = replica")
        for table, data in rows.tables.items():
            await conn.copy_to_table(table, source=io.BytesIO(data), format="binary")
        for sequence, value in rows.sequences.items():
            await conn.execute("SELECT setval($1::regclass, $2, true)", sequence, value)
        await conn.execute("RESET session_replication_role")
    finally:
        await conn.close()


class Fill:
    """A scenario built through the API once per module and kind of database, not once per
    test: the October scenario (``tests/reports/scenario.py``) is some twenty requests and
    five sales, a tenth of a second, for each of the ~100 tests that start from it. Each test
    gets a database of its own holding what the build wrote (a copy of the SQLite file; the
    rows copied into the worker's emptied PostgreSQL database, faster than a ``CREATE
    DATABASE`` from a template), and ``state`` returns what the build returned (its users'
    ``Api``s on the test's own client).

    ``build(admin, as_role)`` gets an admin and an ``as_role`` as the tests' fixtures give
    them. A module's fill is a module-scoped fixture; a test asks for it as
    ``database_fill``, which ``database_url`` looks for."""

    def __init__(self, build: Callable[["Api", Any], Awaitable[Any]], folder: Path) -> None:
        self.build, self.folder = build, folder
        self.built: dict[str, Any] = {}
        self.sqlite: Path | None = None
        self.postgres: PostgresRows | None = None

    async def _run_build(self, url: str, kind: str) -> None:
        application = create_app(settings_for(url))
        async with application.router.lifespan_context(application):
            transport = httpx.ASGITransport(app=application, raise_app_exceptions=False)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
                as_role = role_maker(c)
                self.built[kind] = await self.build(await as_role("admin"), as_role)

    def sqlite_file(self, template: str) -> Path:
        if self.sqlite is None:
            building = self.folder / "building.sqlite3"
            shutil.copy(template, building)
            asyncio.run(self._run_build(f"sqlite://{building}", "sqlite"))
            self.sqlite = self.folder / "built.sqlite3"
            with (
                closing(sqlite3.connect(building)) as source,
                closing(sqlite3.connect(self.sqlite)) as copy,
            ):
                source.backup(copy)  # the pages in the write-ahead log too
        return self.sqlite

    async def fill_postgres(self, url: str) -> None:
        if self.postgres is None:
            await _empty_postgres(url)
            await self._run_build(url, "postgres")
            self.postgres = await _postgres_rows(url)
        await _restore_postgres(url, self.postgres)

    def state(self, database_url: str, client: httpx.AsyncClient) -> Any:
        """What the build returned on this kind of database, its ``Api``s on ``client``."""
        built = self.built["sqlite" if database_url.startswith("sqlite") else "postgres"]
        return built.on(client)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def module_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated, empty database of each kind that a module's tests share, for tests that
    only read or are refused (a refused request changes nothing): an app and a login per test
    cost more than most such tests. Not the worker's PostgreSQL database, which every other
    test empties as it starts, but a copy of the run's own."""
    if request.param == "sqlite":
        target = tmp_path_factory.mktemp("module") / "canteen.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), target)
        yield f"sqlite://{target}"
        return
    with _copy_of_the_runs_postgres() as url:
        yield url


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[str]:
    """Connected to a fresh database, for tests that call services directly."""
    async with db.database(database_url, pool_size=5):
        yield database_url


# --- Password hashes: quick ones, except where the hash is what is tested -----------------

PRODUCTION_HASHER = passwords._hasher
QUICK_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(autouse=True, scope="session")
def quick_password_hashes() -> Iterator[None]:
    """Argon2id with the least work it allows, for the users the tests make and log in.

    The production cost (19 MiB, 2 passes, some 20 ms of CPU to hash and again to verify) is
    paid per user and per login, hundreds of times a run; it is tested by itself in
    ``tests/auth/test_passwords_and_tokens.py``, which takes back the production hasher. A
    server process a test starts (``LiveServer``) hashes at the production cost.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_hasher", QUICK_HASHER)
        yield


# --- The application, in process and as a real server ------------------------------------


@pytest.fixture(autouse=True, scope="session")
def one_openapi_document() -> Iterator[None]:
    """The OpenAPI document built once per process, not once per app a test makes.

    ``create_app`` builds it from the endpoints (pydantic's JSON schemas of every model): 0.1 s
    of CPU, most of what a ``create_app`` takes, for each of the ~850 tests that make an app
    (98% of it, profiled). The same endpoints give the same document,
    which is only read.
    """
    built: dict[tuple[int, str], dict[str, Any]] = {}

    def document(endpoints: Any, version: str) -> dict[str, Any]:
        key = (id(endpoints), version)
        if key not in built:
            built[key] = openapi_document(endpoints, version)
        return built[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(composition, "openapi_document", document)
        yield


@pytest.fixture
def sandbox_on() -> Iterator[None]:
    """The sandbox payment provider switched on, in process and for the servers a test starts.

    It takes no money, so it is off unless switched on: each test that pays online asks. (Its
    own patch, so a test's ``monkeypatch.undo()`` leaves it on.)
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CANTEEN_PAYMENT_PROVIDERS", "sandbox")
        get_settings.cache_clear()
        yield
    get_settings.cache_clear()


def settings_for(database_url: str) -> Settings:
    return Settings(**{**get_settings().__dict__, "database_url": database_url})


@pytest.fixture
async def app(database_url: str) -> AsyncIterator[Starlette]:
    application = create_app(settings_for(database_url))
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


async def make_user(role: str, canteen_id: int | None = None, username: str | None = None) -> Actor:
    user = await auth.create_user(
        SYSTEM,
        username=username or f"{role}-{uuid.uuid4().hex[:8]}",
        password=PASSWORD,
        role=role,
        canteen_id=canteen_id,
    )
    return auth.actor_of(user)


async def login(
    client: httpx.AsyncClient, username: str, password: str = PASSWORD
) -> dict[str, str]:
    response = await client.post(
        "/api/v1/auth/token", json={"username": username, "password": password}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


class Api:
    """An API client logged in as one user; ``api.post(path, json)`` returns the response."""

    def __init__(self, client: httpx.AsyncClient, headers: dict[str, str], actor: Actor) -> None:
        self.client, self.headers, self.actor = client, headers, actor

    async def request(self, method: str, path: str, **kw: Any) -> httpx.Response:
        headers = {**self.headers, **kw.pop("headers", {})}
        return await self.client.request(method, "/api/v1" + path, headers=headers, **kw)

    async def get(self, path: str, **kw: Any) -> httpx.Response:
        return await self.request("GET", path, **kw)

    async def post(self, path: str, json: Any = None, **kw: Any) -> httpx.Response:
        return await self.request("POST", path, json=json, **kw)

    async def patch(self, path: str, json: Any = None, **kw: Any) -> httpx.Response:
        return await self.request("PATCH", path, json=json, **kw)


def role_maker(client: httpx.AsyncClient) -> Callable[..., Awaitable[Api]]:
    async def make(role: str, canteen_id: int | None = None, username: str | None = None) -> Api:
        actor = await make_user(role, canteen_id, username)
        return Api(client, await login(client, actor.username), actor)

    return make


@pytest.fixture
def as_role(client: httpx.AsyncClient) -> Any:
    """``await as_role("cashier", canteen_id=1)`` -> an ``Api`` logged in as a new user."""
    return role_maker(client)


@pytest.fixture
async def admin(as_role: Any) -> Api:
    return await as_role("admin")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """``canteen serve`` in its own process, on a free port."""

    STARTUP_SECONDS = 120
    """A start takes a second or two on a quiet machine, and can take over ten on a busy one
    (the crash test's restarts then failed the soak); a server that died is reported at once."""

    def __init__(self, database_url: str, port: int | None = None) -> None:
        self.database_url = database_url
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = _TMP / f"server-{self.port}.log"
        self.start()

    def start(self) -> None:
        """Forked from a process that has imported the app (``tests/serving.py``)."""
        env = {**os.environ, "CANTEEN_DATABASE_URL": self.database_url}
        self.process = ForkedServer(["serve", "--port", str(self.port)], env, self.log)

    def restart(self) -> None:
        """After a crash: the same database, the same port."""
        self.start()

    async def wait_ready(self) -> None:
        deadline = time.monotonic() + self.STARTUP_SECONDS
        async with httpx.AsyncClient() as c:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(self.log.read_text())
                try:
                    if (await c.get(self.url + "/healthz")).status_code == 200:
                        return
                except httpx.TransportError:
                    await asyncio.sleep(0.05)
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
async def live_server(database: str) -> AsyncIterator[LiveServer]:
    server = LiveServer(database)
    try:
        await server.wait_ready()
        yield server
    finally:
        server.stop()
