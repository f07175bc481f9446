"""Guessing passwords against a real server with concurrent requests.

The throttle must decide before the password hash runs, atomically: thirty-two guesses sent at
once get no more evaluations than five sent one by one. Client addresses are told apart the
way the server sees them behind a proxy on the same host (``X-Forwarded-For``, which uvicorn
trusts from 127.0.0.1 only).
"""

import asyncio
import os
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator

import httpx
import pytest

from canteen.auth.models import User
from canteen.auth.throttle import PER_CLIENT, PER_USER_AND_CLIENT
from canteen.canteens import service as canteens
from canteen.roles import SYSTEM, Actor
from tests.conftest import PASSWORD, LiveServer, make_user

GUESSES = 32
STRANGER = "203.0.113.7"
COUNTER = "198.51.100.20"


class Server(LiveServer):
    """``canteen serve --workers N``; started patiently, since the test machine is shared."""

    def __init__(self, database_url: str, workers: int = 1) -> None:
        self.workers = workers
        super().__init__(database_url)

    def start(self) -> None:
        env = {**os.environ, "CANTEEN_DATABASE_URL": self.database_url}
        command = [sys.executable, "-m", "canteen.cli", "serve", "--port", str(self.port)]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [*command, "--workers", str(self.workers)],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    async def wait_ready(self) -> None:
        async with httpx.AsyncClient() as c:
            for _ in range(1200):
                if self.process.poll() is not None:
                    raise RuntimeError(self.log.read_text())
                try:
                    if (await c.get(self.url + "/healthz")).status_code == 200:
                        return
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
        raise RuntimeError("server did not start")


async def _serve(database: str, workers: int) -> AsyncIterator[LiveServer]:
    server = Server(database, workers)
    try:
        await server.wait_ready()
        yield server
    finally:
        server.stop()


@pytest.fixture
async def live_server(database: str) -> AsyncIterator[LiveServer]:
    async for server in _serve(database, workers=1):
        yield server


@pytest.fixture
async def several_workers(database: str) -> AsyncIterator[LiveServer]:
    if database.startswith("sqlite"):
        pytest.skip("SQLite is served by one process")
    async for server in _serve(database, workers=3):
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


async def _guesses_at_one_user_are_capped(url: str) -> None:
    cashier = await _cashier()
    statuses = await _guess_at_once(url, [(cashier.username, STRANGER)] * GUESSES)
    assert statuses[401] == PER_USER_AND_CLIENT.free
    assert statuses[429] == GUESSES - PER_USER_AND_CLIENT.free


async def test_thirty_two_guesses_at_once_get_five_evaluated(live_server):
    await _guesses_at_one_user_are_capped(live_server.url)


async def test_three_workers_evaluate_no_more_than_one(several_workers):
    await _guesses_at_one_user_are_capped(several_workers.url)


async def test_one_address_guessing_many_users_at_once_is_capped(live_server):
    names = [f"nobody-{i}" for i in range(PER_CLIENT.free + GUESSES)]
    statuses = await _guess_at_once(live_server.url, [(name, STRANGER) for name in names])
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
