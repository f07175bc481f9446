"""Fixtures: every database test runs on SQLite and on PostgreSQL.

PostgreSQL is reached through ``CANTEEN_TEST_POSTGRES_URL`` (default: the local server's
``test`` database). Each session creates its own database there and drops it at the end. When
PostgreSQL cannot be reached, its tests are skipped, except with ``CI=true``, where the run
fails: CI must never pass on SQLite alone.
"""

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

_MEMORY = Path("/dev/shm")
if _MEMORY.is_dir() and os.access(_MEMORY, os.W_OK):
    tempfile.tempdir = str(_MEMORY)
"""Test files (SQLite databases, pytest's ``tmp_path``) live in memory where Linux offers it:
on this disk every fsync takes some 8 ms, and SQLite's ``synchronous=FULL`` (which the tests
keep, as production runs it) fsyncs at every commit. A killed server process loses nothing
either way (the kernel holds its writes); what a power cut would do is not what the suite tests."""

_TMP = Path(tempfile.mkdtemp(prefix="canteen-tests-"))
os.environ["CANTEEN_SECRET_KEY"] = "test-secret-key-not-for-production"
os.environ["CANTEEN_VAR_DIR"] = str(_TMP / "var")
os.environ.pop("CANTEEN_DATABASE_URL", None)

import asyncpg  # noqa: E402
import httpx  # noqa: E402
import hypothesis  # noqa: E402
import pytest  # noqa: E402
from argon2 import PasswordHasher  # noqa: E402
from starlette.applications import Starlette  # noqa: E402

from canteen import db  # noqa: E402
from canteen.app import create_app  # noqa: E402
from canteen.auth import passwords  # noqa: E402
from canteen.auth import service as auth  # noqa: E402
from canteen.config import Settings, get_settings  # noqa: E402
from canteen.roles import SYSTEM, Actor  # noqa: E402

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


# --- The soak summary: what the long runs did, passed or failed ----------------------------

_SOAK_LINES: list[str] = []
_SESSION_STARTED = time.monotonic()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Collect what tests recorded as ``soak`` properties (from xdist workers too)."""
    if report.when == "call":
        _SOAK_LINES.extend(str(value) for name, value in report.user_properties if name == "soak")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _SOAK_LINES:
        terminalreporter.section("soak summary")
        for line in _SOAK_LINES:
            terminalreporter.write_line(line)
        elapsed = time.monotonic() - _SESSION_STARTED
        terminalreporter.write_line(f"whole run: {elapsed / 60:.1f} min")


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


def create_postgres_database() -> str:
    """A new database whose commits don't wait for the disk (``synchronous_commit`` off, for
    this database only): a commit is still atomic and visible to every other connection at
    once, and survives a killed client or server process; only a crash of PostgreSQL itself
    could lose the last few, and no test crashes PostgreSQL. Each fsync costs some 8 ms here."""
    name = f"canteen_test_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    asyncio.run(_admin(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    return _with_database(POSTGRES_URL, name)


def drop_postgres_database(url: str) -> None:
    name = url.rpartition("/")[2]
    asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    if _PG_PROBLEM:
        pytest.skip(_PG_PROBLEM)
    url = create_postgres_database()
    try:
        asyncio.run(db.migrate(url))
        yield url
    finally:
        drop_postgres_database(url)


@pytest.fixture(scope="session")
def sqlite_template() -> str:
    path = _TMP / "template.sqlite3"
    asyncio.run(db.migrate(f"sqlite://{path}"))
    return str(path)


async def _empty_postgres(url: str) -> None:
    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        tables = await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'aerich'"
        )
        names = ", ".join(f'"{row["tablename"]}"' for row in tables)
        await conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    finally:
        await conn.close()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database of each kind."""
    if request.param == "sqlite":
        target = tmp_path / "canteen.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), target)
        return f"sqlite://{target}"
    url: str = request.getfixturevalue("postgres_template")
    asyncio.run(_empty_postgres(url))
    return url


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


@pytest.fixture
def as_role(client: httpx.AsyncClient) -> Any:
    """``await as_role("cashier", canteen_id=1)`` -> an ``Api`` logged in as a new user."""

    async def make(role: str, canteen_id: int | None = None, username: str | None = None) -> Api:
        actor = await make_user(role, canteen_id, username)
        return Api(client, await login(client, actor.username), actor)

    return make


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
        env = {**os.environ, "CANTEEN_DATABASE_URL": self.database_url}
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "canteen.cli", "serve", "--port", str(self.port)],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

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
