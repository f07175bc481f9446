"""Backups of a live SQLite database are consistent snapshots, and come back whole."""

import asyncio
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from canteen.diners import service as diners
from canteen.roles import SYSTEM
from tests.conftest import PASSWORD, LiveServer, make_user
from tests.factories import id_number


def ledger_sums_match(path: Path) -> bool:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            'SELECT a.id, a.balance_fen, COALESCE(SUM(e.amount_fen), 0) FROM "account" a '
            'LEFT JOIN "ledger_entry" e ON e.account_id = a.id GROUP BY a.id'
        ).fetchall()
    return all(balance == total for _, balance, total in rows)


def canteen(*args: str, database_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CANTEEN_DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "canteen.cli", *args], env=env, capture_output=True, text=True
    )


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_backup_taken_under_load_is_consistent_and_restores(database, tmp_path):
    admin = await make_user("admin")
    diner_ids = [
        (await diners.enrol(SYSTEM, name=f"食客{i}", id_number=id_number())).id for i in range(5)
    ]
    server = LiveServer(database)
    await server.wait_ready()
    try:
        async with httpx.AsyncClient(base_url=server.url + "/api/v1", timeout=30) as c:
            token = (
                await c.post("/auth/token", json={"username": admin.username, "password": PASSWORD})
            ).json()
            headers = {"Authorization": f"Bearer {token['access_token']}"}

            async def keep_topping_up() -> int:
                done = 0
                for i in range(120):
                    r = await c.post(
                        f"/diners/{diner_ids[i % 5]}/topups",
                        json={"amount_fen": 100 + i, "method": "cash"},
                        headers=headers,
                    )
                    done += r.status_code == 201
                return done

            load = asyncio.create_task(keep_topping_up())
            await asyncio.sleep(0.3)
            copy = tmp_path / "backup.sqlite3"
            taken = await asyncio.to_thread(canteen, "backup", str(copy), database_url=database)
            done = await load
    finally:
        server.stop()
    assert taken.returncode == 0, taken.stderr
    assert "ledger OK" in taken.stdout
    assert done == 120
    assert ledger_sums_match(copy)
    with sqlite3.connect(copy) as conn:
        in_copy = conn.execute('SELECT COUNT(*) FROM "topup"').fetchone()[0]
    assert 0 < in_copy <= 120

    target = tmp_path / "restored.sqlite3"
    restored = canteen("restore", str(copy), database_url=f"sqlite://{target}")
    assert restored.returncode == 0, restored.stderr
    assert "ledger OK" in restored.stdout
    with sqlite3.connect(target) as conn:
        assert conn.execute('SELECT COUNT(*) FROM "topup"').fetchone()[0] == in_copy
    assert ledger_sums_match(target)


def test_backup_refuses_postgres_and_an_existing_file(tmp_path):
    r = canteen(
        "backup", str(tmp_path / "x"), database_url="postgres://postgres@127.0.0.1:5432/test"
    )
    assert r.returncode != 0 and "pg_dump" in r.stderr
    existing = tmp_path / "exists.sqlite3"
    existing.write_text("")
    r = canteen("backup", str(existing), database_url=f"sqlite://{tmp_path / 'db.sqlite3'}")
    assert r.returncode != 0


def test_a_damaged_backup_is_refused(tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    r = canteen("restore", str(bad), database_url=f"sqlite://{tmp_path / 'db.sqlite3'}")
    assert r.returncode == 2 and "damaged" in r.stderr and "Traceback" not in r.stderr
