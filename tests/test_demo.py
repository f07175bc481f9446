"""The demo: a realistic, valid sample made by the services; ``canteen demo --if-empty``."""

import dataclasses
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from canteen import clock, demo
from canteen.accounts.invariants import ledger_violations
from canteen.accounts.models import Account
from canteen.auth import service as auth
from canteen.auth.models import User
from canteen.auth.roles import Role
from canteen.cards import service as cards
from canteen.cards.models import Card
from canteen.config import Settings, derive_key, get_settings
from canteen.diners import pii, resident_id
from canteen.diners.models import Diner
from canteen.diners.service import CATEGORIES, my_diners


def read_passwords(path: Path) -> dict[str, str]:
    """username -> password, from the table the demo writes."""
    rows = [line.split() for line in path.read_text(encoding="utf-8").splitlines()]
    return {row[1]: row[2] for row in rows if row and row[0] in set(Role)}


@pytest.fixture
async def filled(database: str, tmp_path: Path) -> tuple[Settings, str]:
    settings = dataclasses.replace(get_settings(), var_dir=tmp_path / "var")
    assert await demo.database_is_empty()
    summary = await demo.fill(settings)
    return settings, summary


async def test_every_role_can_log_in_with_the_written_password(filled):
    settings, summary = filled
    path = settings.var_dir / demo.PASSWORDS_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    passwords = read_passwords(path)
    named_on_the_home_page = {"admin", "minzheng", "manager1", "cashier1", "family1"}
    assert named_on_the_home_page | {"manager2", "cashier2", "family2"} <= set(passwords)
    roles = set()
    for username, password in passwords.items():
        issued = await auth.issue_token(username, password, ttl_seconds=60)
        roles.add(issued.role)
        assert password in summary
    assert roles == set(Role)
    assert "open http://127.0.0.1:8000" in summary
    assert not await demo.database_is_empty()


async def test_diners_are_many_valid_and_cover_every_category(filled):
    settings, _ = filled
    diners = await Diner.all()
    assert len(diners) >= 50
    assert {code for d in diners for code in d.categories} == set(CATEGORIES)
    assert sum(1 for d in diners if not d.categories) >= 20
    assert {d.disability_level for d in diners if "disabled" in d.categories} == {1, 2, 3, 4}
    key, today = derive_key(pii.ENCRYPT_PURPOSE), clock.today(settings.tz)
    numbers = set()
    for d in diners:
        rid = resident_id.parse(pii.decrypt(d.id_number_cipher, key), today=today)
        numbers.add(rid.number)
        assert rid.birth_date == d.birth_date
        assert 60 <= resident_id.age_on(d.birth_date, today) <= 98
        assert d.home_canteen_id is not None  # type: ignore[attr-defined]
    assert len(numbers) == len({n[14:17] for n in numbers}) == len(diners)


async def test_family_links_and_balances(filled):
    family1 = auth.actor_of(await User.get(username="family1"))
    family2 = auth.actor_of(await User.get(username="family2"))
    assert len(await my_diners(family1)) == 2 and len(await my_diners(family2)) == 1
    balances = await Account.all().values_list("balance_fen", flat=True)
    assert sum(1 for b in balances if 5_000 <= b <= 30_000) >= 40
    assert sum(1 for b in balances if 0 < b < 2_000) >= 2 and balances.count(0) >= 2
    assert await ledger_violations() == []


async def test_every_diner_has_one_live_card_that_the_counter_accepts(filled):
    _, summary = filled
    diners = {d.id: d.name for d in await Diner.all()}
    live = await Card.filter(revoked_at=None)
    assert sorted(card.diner_id for card in live) == sorted(diners)  # type: ignore[attr-defined]
    for card in live:
        _, diner = await cards.resolve(cards.payload_of(card))
        assert diner.name == diners[card.diner_id]  # type: ignore[attr-defined]
    assert f"{len(diners)} meal cards" in summary and "canteen cards print" in summary


def run_canteen(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "CANTEEN_DATABASE_URL": f"sqlite://{tmp_path}/x.sqlite3",
        "CANTEEN_VAR_DIR": str(tmp_path / "var"),
    }
    command = [str(Path(sys.executable).parent / "canteen"), *args]
    done = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done


def row_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        tables = ["user", "canteen", "offering", "diner", "family_link", "topup", "ledger_entry"]
        tables.append("card")
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def test_cli_demo_if_empty_fills_once_then_skips(tmp_path):
    run_canteen(tmp_path, "init")
    first = run_canteen(tmp_path, "demo", "--if-empty")
    assert "Demo data created" in first.stdout and "http://127.0.0.1:8000" in first.stdout
    passwords = (tmp_path / "var" / demo.PASSWORDS_FILE).read_text()
    counts = row_counts(tmp_path / "x.sqlite3")
    assert counts["diner"] >= 50 and counts["user"] >= 8
    assert counts["card"] == counts["diner"]

    second = run_canteen(tmp_path, "demo", "--if-empty")
    assert "demo skipped" in second.stdout
    assert row_counts(tmp_path / "x.sqlite3") == counts
    assert (tmp_path / "var" / demo.PASSWORDS_FILE).read_text() == passwords
