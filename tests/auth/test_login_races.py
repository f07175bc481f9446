"""Guessing passwords against a real server with concurrent requests.

The throttle must decide before the password hash runs, atomically: thirty-two guesses sent at
once get no more evaluations than five sent one by one. Client addresses are told apart the
way the server sees them behind a proxy on the same host (``X-Forwarded-For``, which uvicorn
trusts from 127.0.0.1 only).

The tests share one server per database (and a server of three workers on PostgreSQL): each
makes users of names of its own and guesses from client addresses of its own, so that no test
counts against another's throttle.
"""

import asyncio
import os
import shutil
import subprocess
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from canteen import db
from canteen.auth.models import User
from canteen.auth.throttle import PER_CLIENT, PER_USER_AND_CLIENT
from canteen.canteens import service as canteens
from canteen.roles import SYSTEM, Actor
from tests import serving
from tests.conftest import PASSWORD, LiveServer, _empty_postgres, make_user
from tests.serving import FORKS, ForkedServer

GUESSES = 32
STRANGER = "203.0.113.7"
COUNTER = "198.51.100.20"
# The strangers of the other tests, each at an address of its own on the shared server.
STRANGER_AT_ONE_WORKER = "203.0.113.8"
STRANGER_AT_THREE_WORKERS = "203.0.113.9"
STRANGER_TRYING_MANY_USERS = "203.0.113.10"


class ParentServer(ForkedServer):
    """A server forked as ``LiveServer`` forks it (from a process that has imported the app),
    but not a daemon process: a daemon process may not start processes of its own, and a
    server of several workers starts them (uvicorn's supervisor; each worker is a new
    interpreter that imports the app itself). The supervisor's own start then costs a fork
    instead of a new ``python -m canteen.cli`` importing the app (some 1.5 s of CPU)."""

    def __init__(self, argv: list[str], env: dict[str, str], log: Path) -> None:
        self._process = FORKS.Process(
            target=serving._serve, args=(argv, env, str(log)), daemon=False
        )
        self._process.start()
        assert self._process.pid is not None  # started
        self.pid = self._process.pid


class SeveralWorkers(LiveServer):
    """``canteen serve --workers N``: a supervisor process with N worker processes."""

    def __init__(self, database_url: str, workers: int) -> None:
        self.workers = workers
        super().__init__(database_url)

    def start(self) -> None:
        env = {**os.environ, "CANTEEN_DATABASE_URL": self.database_url}
        argv = ["serve", "--port", str(self.port), "--workers", str(self.workers)]
        self.process = ParentServer(argv, env, self.log)

    def stop(self) -> None:
        """As ``LiveServer.stop``; a supervisor still running after the wait is killed (the
        tests' process waits for a process it forked that is not a daemon when it exits)."""
        try:
            super().stop()
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
            raise


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def shared_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """A migrated, empty database of each kind, for every test of this module."""
    if request.param == "sqlite":
        target = tmp_path_factory.mktemp("login-races") / "canteen.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), target)
        return f"sqlite://{target}"
    url: str = request.getfixturevalue("postgres_template")
    asyncio.run(_empty_postgres(url))
    return url


async def _serve(server: LiveServer) -> AsyncIterator[LiveServer]:
    try:
        await server.wait_ready()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
async def one_worker(shared_database: str) -> AsyncIterator[LiveServer]:
    """``canteen serve`` (one worker), shared by the module's tests on its database."""
    async for server in _serve(LiveServer(shared_database)):
        yield server


@pytest.fixture
async def database(shared_database: str) -> AsyncIterator[str]:
    """Connected in this process too, to make the users the tests guess at."""
    async with db.database(shared_database, pool_size=5):
        yield shared_database


@pytest.fixture
def live_server(one_worker: LiveServer, database: str) -> LiveServer:
    return one_worker


@pytest.fixture
async def several_workers(database: str) -> AsyncIterator[LiveServer]:
    if database.startswith("sqlite"):
        pytest.skip("SQLite is served by one process")
    async for server in _serve(SeveralWorkers(database, workers=3)):
        yield server


async def _cashier(username: str | None = None) -> Actor:
    canteen = await canteens.create_canteen(
        SYSTEM, name="东山长者饭堂", timezone=None, default_timezone="Asia/Shanghai"
    )
    return await make_user("cashier", canteen_id=canteen.id, username=username)


async def _guess_at_once(url: str, guesses: list[tuple[str, str]]) -> Counter[int]:
    """Send every (username, client address) guess at the same instant; count the statuses."""
    async with httpx.AsyncClient(base_url=url + "/api/v1", timeout=120) as c:
        answers = await asyncio.gather(
            *(
                c.post(
                    "/auth/token",
                    json={"username": username, "password": "a wrong guess"},
                    headers={"X-Forwarded-For": address},
                )
                for username, address in guesses
            )
        )
    for answer in answers:
        assert answer.headers["content-type"] == "application/problem+json", answer.text
    return Counter(answer.status_code for answer in answers)


async def _log_in(url: str, username: str, address: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=url + "/api/v1", timeout=60) as c:
        return await c.post(
            "/auth/token",
            json={"username": username, "password": PASSWORD},
            headers={"X-Forwarded-For": address},
        )


async def _guesses_at_one_user_are_capped(url: str, stranger: str) -> None:
    cashier = await _cashier()
    statuses = await _guess_at_once(url, [(cashier.username, stranger)] * GUESSES)
    assert statuses[401] == PER_USER_AND_CLIENT.free
    assert statuses[429] == GUESSES - PER_USER_AND_CLIENT.free


async def test_thirty_two_guesses_at_once_get_five_evaluated(live_server):
    await _guesses_at_one_user_are_capped(live_server.url, STRANGER_AT_ONE_WORKER)


async def test_three_workers_evaluate_no_more_than_one(several_workers):
    await _guesses_at_one_user_are_capped(several_workers.url, STRANGER_AT_THREE_WORKERS)


async def test_one_address_guessing_many_users_at_once_is_capped(live_server):
    names = [f"nobody-{i}" for i in range(PER_CLIENT.free + GUESSES)]
    guesses = [(name, STRANGER_TRYING_MANY_USERS) for name in names]
    statuses = await _guess_at_once(live_server.url, guesses)
    assert statuses[401] == PER_CLIENT.free
    assert statuses[429] == GUESSES


async def test_a_stranger_guessing_cannot_keep_the_cashier_out_of_the_till(live_server):
    cashier = await _cashier("cashier-wang")
    statuses = await _guess_at_once(live_server.url, [(cashier.username, STRANGER)] * GUESSES)
    assert statuses[429] > 0
    at_the_counter = await _log_in(live_server.url, cashier.username, COUNTER)
    assert at_the_counter.status_code == 200, at_the_counter.text
    from_the_stranger = await _log_in(live_server.url, cashier.username, STRANGER)
    assert from_the_stranger.status_code == 429


async def test_two_admins_disabling_each_other_at_once_leave_one_active(live_server):
    """Each round: the only two active admins, each disabling the other at the same instant."""
    async with httpx.AsyncClient(base_url=live_server.url + "/api/v1", timeout=60) as c:
        for round_ in range(5):
            admins = [await make_user("admin", username=f"admin-{round_}-{i}") for i in (0, 1)]
            tokens = []
            for admin in admins:
                r = await c.post(
                    "/auth/token", json={"username": admin.username, "password": PASSWORD}
                )
                tokens.append({"Authorization": f"Bearer {r.json()['access_token']}"})
            answers = await asyncio.gather(
                c.post(f"/users/{admins[1].user_id}/disable", headers=tokens[0]),
                c.post(f"/users/{admins[0].user_id}/disable", headers=tokens[1]),
            )
            statuses = sorted(answer.status_code for answer in answers)
            assert statuses in ([200, 401], [200, 409]), [a.text for a in answers]
            still = [await c.get("/users", headers=token) for token in tokens]
            assert sorted(r.status_code for r in still) == [200, 401]
            await User.filter(role="admin").update(active=False)  # the next round's two alone
