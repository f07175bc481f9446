"""``canteen serve --workers 2`` on PostgreSQL, as a district runs it: a scrape reaching either
worker counts both workers' requests, and every line the server logs is JSON naming no one."""

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from canteen import db
from tests.conftest import _PG_PROBLEM, create_postgres_database, drop_postgres_database, free_port

pytestmark = pytest.mark.server

PHONE = "13800138000"
CLOSE = {"Connection": "close"}


@pytest.fixture
def postgres_url():
    if _PG_PROBLEM:
        pytest.skip(_PG_PROBLEM)
    url = create_postgres_database()
    try:
        asyncio.run(db.migrate(url))
        yield url
    finally:
        drop_postgres_database(url)


async def _wait_ready(url: str, server: subprocess.Popen) -> None:
    async with httpx.AsyncClient() as c:
        for _ in range(1200):
            if server.poll() is not None:
                raise RuntimeError("the server stopped")
            try:
                if (await c.get(url + "/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("the server did not get ready")


async def test_two_workers_one_sum_and_json_lines(postgres_url, tmp_path: Path):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "CANTEEN_DATABASE_URL": postgres_url, "CANTEEN_VAR_DIR": str(tmp_path)}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    canteen = str(Path(sys.executable).parent / "canteen")
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(  # noqa: ASYNC220 (started once; the test then awaits it)
            [canteen, "serve", "--port", str(port), "--workers", "2"], env=env, stderr=out
        )
    try:
        await _wait_ready(url, server)
        async with httpx.AsyncClient() as c:
            for _ in range(20):
                # A new connection each time, so both workers answer some.
                await c.get(
                    url + "/healthz", params={"phone": PHONE}, headers={"Connection": "close"}
                )
            scrapes = [(await c.get(url + "/metrics", headers=CLOSE)).text for _ in range(4)]
    finally:
        server.terminate()
        server.wait(timeout=30)
    for text in scrapes:
        line = next(
            line
            for line in text.splitlines()
            if line.startswith("canteen_request_duration_seconds_count{")
            and 'route="/healthz"' in line
        )
        assert line.endswith(" 20.0"), line
    lines = [line for line in log.read_text().splitlines() if line.strip()]
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    access = [e for e in entries if e.get("logger") == "canteen.access"]
    assert len({e["request_id"] for e in access}) == len(access) >= 20
    assert PHONE not in log.read_text()
