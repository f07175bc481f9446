"""The periodic work: in the server's lifespan, and as ``canteen alerts run``."""

import asyncio
import logging
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from canteen import clock, periodic
from canteen.app import create_app
from canteen.diners import service as diners
from canteen.payments import service as payments
from canteen.payments.models import TopupIntent
from canteen.roles import SYSTEM
from tests.conftest import make_user, settings_for
from tests.factories import id_number


async def test_the_server_expires_unpaid_intents_by_itself_and_stops_at_shutdown(
    sandbox_on, database_url
):
    settings = settings_for(database_url).model_copy(update={"periodic_seconds": 0.02})
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        family = await make_user("family")
        diner = await diners.enrol(SYSTEM, name="陈秀英", id_number=id_number())
        await diners.link_family(await make_user("admin"), diner.id, family.username, "女儿")
        intent = await payments.create_intent(family, diner.id, 5000)
        await TopupIntent.filter(id=intent.id).update(expires_at=clock.now() - timedelta(seconds=1))
        for _ in range(500):  # wait for the task's next run (no assertion on how long)
            if (await TopupIntent.get(id=intent.id)).status == "expired":
                break
            await asyncio.sleep(0.02)
        assert (await TopupIntent.get(id=intent.id)).status == "expired"
        task = app.state.periodic_task
        assert not task.done()
    assert task.cancelled()


async def test_switched_off_there_is_no_task(database_url):
    app = create_app(settings_for(database_url).model_copy(update={"periodic_seconds": 0}))
    async with app.router.lifespan_context(app):
        assert app.state.periodic_task is None


async def test_a_failed_run_is_logged_and_the_next_one_still_runs(monkeypatch, caplog):
    runs: list[int] = []
    third = asyncio.Event()

    async def flaky(now=None):
        runs.append(len(runs))
        if len(runs) == 1:
            raise RuntimeError("database restarting")
        if len(runs) == 3:
            third.set()
        return periodic.Run(0, 0, 0, 0, 0, 0)

    monkeypatch.setattr(periodic, "run_once", flaky)
    heartbeat = periodic.Heartbeat(0.001, clock.now())
    with caplog.at_level(logging.ERROR, logger="canteen.periodic"):
        task = asyncio.create_task(periodic.run_every(heartbeat))
        await third.wait()
        task.cancel()
    assert "periodic run failed" in caplog.text and "database restarting" in caplog.text
    assert heartbeat.last_run_at is not None, "a run that finished beats the heart"


def test_canteen_alerts_run_says_what_it_did(tmp_path):
    env = {
        **os.environ,
        "CANTEEN_DATABASE_URL": f"sqlite://{tmp_path}/x.sqlite3",
        "CANTEEN_VAR_DIR": str(tmp_path / "var"),
    }
    canteen = str(Path(sys.executable).parent / "canteen")
    for args in (["init"], ["alerts", "run"]):
        done = subprocess.run(
            [canteen, *args], env=env, cwd=tmp_path, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("0 unpaid top-up(s) expired; 0 missed-meal")
