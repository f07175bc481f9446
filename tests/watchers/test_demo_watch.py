"""The demo's watchers and cases (canteen/demo_watch.py): every elder living alone is watched,
the watchers can log in with the written passwords, and the board has a case in each state."""

from collections.abc import AsyncIterator

import pytest

from canteen import db
from canteen.alerts import board
from canteen.alerts.models import Alert
from canteen.auth import service as auth
from canteen.auth.models import User
from canteen.diners.models import Diner
from canteen.watchers.models import Watcher
from tests.conftest import demo_copy
from tests.test_demo import read_passwords


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    return demo_copy("sqlite", tmp_path_factory.mktemp("demo-watch"))


@pytest.fixture
async def filled(demo) -> AsyncIterator[None]:
    async with db.database(demo.url, pool_size=2):
        yield


async def test_every_elder_living_alone_has_a_building_head_and_a_second_watcher(filled):
    lonely = [d.id for d in await Diner.all() if "living_alone" in d.categories]
    assert len(lonely) == 10
    links = await Watcher.filter(diner_id__in=lonely).values_list("diner_id", "relation")
    for diner in lonely:
        relations = sorted(relation for d, relation in links if d == diner)
        assert relations[0] == "building_head" and len(relations) == 2, diner


async def test_the_watchers_log_in_with_the_written_passwords(demo, filled):
    passwords = read_passwords(demo.var_dir / "demo-passwords.txt")
    for username in ("louzhang1", "louzhang2", "wangge1", "volunteer2"):
        user = await User.get(username=username)
        assert user.role in ("volunteer", "staff")
        assert (await auth.issue_token(username, passwords[username], ttl_seconds=60)).access_token
        assert passwords[username] in demo.summary


async def test_the_board_has_cases_in_each_state(demo, filled):
    admin = auth.actor_of(await User.get(username="admin"))
    days = await Alert.exclude(status="open").values_list("local_date", flat=True)
    cases = [
        case
        for month in {day.strftime("%Y-%m") for day in days}  # type: ignore[attr-defined]
        for case in (await board.board(admin, month=month)).cases
    ]
    states = {(c.alert.status, c.overdue) for c in cases}
    assert ("open", True) in states
    assert {"handled", "followed_up"} <= {status for status, _ in states}
    due = [c for c in cases if c.alert.status == "handled"]
    assert due and all(c.follow_up_due_on is not None for c in due)
    assert await Alert.filter(status="followed_up", followed_up_at__isnull=True).count() == 0
    assert "missed lunches left open (overdue)" in demo.summary
