"""``canteen serve --workers 2`` on PostgreSQL, as a district runs it: a scrape reaching either
worker counts both workers' requests, every line the server logs is JSON naming no one, and
the connections are shared between the workers."""

import asyncio
import json
import logging
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.cli_runner import canteen_in_process
from tests.conftest import (
    _PG_PROBLEM,
    _empty_postgres,
    create_postgres_database,
    drop_postgres_database,
    free_port,
)

pytestmark = pytest.mark.server

PHONE = "13800138000"
CLOSE = {"Connection": "close"}


POLL = 0.02
"""Seconds between two looks at a server that is starting (each look is one local request)."""


async def _wait_ready(url: str, server: subprocess.Popen) -> None:
    async with httpx.AsyncClient() as c:
        for _ in range(int(120 / POLL)):
            if server.poll() is not None:
                raise RuntimeError("the server stopped")
            try:
                if (await c.get(url + "/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(POLL)
    raise RuntimeError("the server did not get ready")


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory, postgres_template):
    """``canteen serve --workers 2`` on a database of its own (a copy of the suite's migrated
    one, emptied: a copy is made in a fraction of the time ``db.migrate`` takes); yields its
    URL, its log file and its environment."""
    if _PG_PROBLEM:
        pytest.skip(_PG_PROBLEM)
    database_url = create_postgres_database(postgres_template)
    folder = tmp_path_factory.mktemp("two-workers")
    port = free_port()
    env = {**os.environ, "CANTEEN_DATABASE_URL": database_url, "CANTEEN_VAR_DIR": str(folder)}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    canteen = str(Path(sys.executable).parent / "canteen")
    log = folder / "server.log"
    try:
        asyncio.run(_empty_postgres(database_url))
        with log.open("wb") as out:
            server = subprocess.Popen(
                [canteen, "serve", "--port", str(port), "--workers", "2"], env=env, stderr=out
            )
        try:
            url = f"http://127.0.0.1:{port}"
            asyncio.run(_wait_ready(url, server))
            asyncio.run(_wait_both_answer(url, log))
            yield url, log, env
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        drop_postgres_database(database_url)


async def _wait_both_answer(url: str, log: Path) -> None:
    """Until each worker has answered a request on a new connection: one worker is ready
    a second or more before the other on a busy machine."""
    async with httpx.AsyncClient() as c:
        for n in range(600):
            await c.get(url + "/readyz", headers={**CLOSE, "X-Request-ID": f"both-up-{n:03d}"})
            answered = {
                e["pid"] for e in _entries(log) if e.get("request_id", "").startswith("both-up-")
            }
            if len(answered) == 2:
                return
            await asyncio.sleep(0.1)  # each look reads the whole log
    raise RuntimeError("the second worker never answered")


def _listening_sockets(port: int) -> int:
    """How many sockets listen on ``port`` on 127.0.0.1 (state 0A in ``/proc/net/tcp``)."""
    rows = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return sum(
        1 for row in rows if row.split()[1] == f"0100007F:{port:04X}" and row.split()[3] == "0A"
    )


def _entries(log: Path) -> list[dict]:
    lines = [line for line in log.read_text().splitlines() if line.strip()]
    return [json.loads(line) for line in lines]  # every line is one JSON object


async def test_two_workers_one_sum_and_json_lines(two_workers):
    url, log, _ = two_workers
    async with httpx.AsyncClient() as c:
        for _ in range(20):
            # A new connection each time, so both workers answer some.
            await c.get(url + "/healthz", params={"phone": PHONE}, headers=CLOSE)
        scrapes = [(await c.get(url + "/metrics", headers=CLOSE)).text for _ in range(4)]
    for text in scrapes:
        line = next(
            line
            for line in text.splitlines()
            if line.startswith("canteen_request_duration_seconds_count{")
            and 'route="/healthz"' in line
        )
        assert line.endswith(" 20.0"), line
    access = [e for e in _entries(log) if e.get("logger") == "canteen.access"]
    assert len({e["request_id"] for e in access}) == len(access) >= 20
    assert PHONE not in log.read_text()


async def test_keep_alive_connections_are_spread_over_both_workers(two_workers):
    """Connections opened together and kept, as nginx keeps its upstream ones and a load test
    its clients': on uvicorn's shared socket every one went to the same worker, which then
    did all the work while the other idled."""
    url, log, _ = two_workers
    host, port = url.removeprefix("http://").split(":")
    connections = [await asyncio.open_connection(host, int(port)) for _ in range(16)]
    try:
        for request in range(2):  # the second request on the connection the first used
            for n, (reader, writer) in enumerate(connections):
                writer.write(
                    f"GET /readyz HTTP/1.1\r\nHost: {host}\r\n"
                    f"X-Request-ID: spread-{n:02d}-{request}\r\n\r\n".encode()
                )
                head = await reader.readuntil(b"\r\n\r\n")
                assert head.startswith(b"HTTP/1.1 200 ")
                length = next(
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                await reader.readexactly(length)
    finally:
        for _, writer in connections:
            writer.close()
    for _ in range(100):  # a worker writes its access line just after the answer
        workers_of = {
            e["request_id"]: e["pid"]
            for e in _entries(log)
            if e.get("logger") == "canteen.access" and e.get("request_id", "").startswith("spread-")
        }
        if len(workers_of) == 32:
            break
        await asyncio.sleep(0.05)
    assert _listening_sockets(int(port)) == 2  # one per worker, where there was one shared
    assert len(workers_of) == 32
    for n in range(16):  # a kept connection stays with its worker
        assert workers_of[f"spread-{n:02d}-0"] == workers_of[f"spread-{n:02d}-1"]
    assert len(set(workers_of.values())) == 2


@contextmanager
def _logging_given_back() -> Iterator[None]:
    """The logging set-up of this process as it was: ``canteen serve`` configures logging
    (``logs.config``, JSON lines to its stderr), as a process of its own does for itself."""
    names = ["", "uvicorn", "uvicorn.error", "uvicorn.access"]
    loggers = [logging.getLogger(name) for name in names]
    saved = [(lg.handlers[:], lg.level, lg.propagate, lg.disabled) for lg in loggers]
    try:
        yield
    finally:
        for lg, (handlers, level, propagate, disabled) in zip(loggers, saved, strict=True):
            lg.handlers[:] = handlers
            lg.setLevel(level)
            lg.propagate, lg.disabled = propagate, disabled


def test_a_second_server_on_a_taken_port_stops_instead_of_sharing_it(two_workers, tmp_path):
    """``canteen serve`` run in this process (``tests/cli_runner.py``): the first server is the
    real process of the console script. The second stops before it starts a worker; had it
    gone on, uvicorn's supervisor would have failed at once here (it sets signal handlers,
    which only a process's main thread may), so the test fails rather than hangs. The metrics
    folder it names in the environment is given back (``env``) when it returns, and made in
    the test's own folder."""
    url, _, env = two_workers
    port = url.rsplit(":", 1)[1]
    with _logging_given_back(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(tempfile, "tempdir", str(tmp_path))  # its metrics folder, made anew
        second = canteen_in_process(
            env["CANTEEN_DATABASE_URL"],
            "serve",
            "--port",
            port,
            "--workers",
            "2",
            env={"CANTEEN_VAR_DIR": str(tmp_path), "PROMETHEUS_MULTIPROC_DIR": ""},
            cwd=tmp_path,
        )
    assert second.code == 3, (second.out, second.err)
    assert "cannot serve on 127.0.0.1:" + port in second.err
