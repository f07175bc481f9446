"""The demo's found-elder case (``canteen/demo_found.py``), read from the run's demo copy: a
found_wandering alert for family2's father, told to his son, with a short thread."""

import pytest

from canteen import db
from canteen.alerts.models import Alert, Notification
from canteen.auth import service as auth
from canteen.auth.models import User
from canteen.found import service as found
from canteen.found.models import FoundReport
from tests.conftest import demo_copy


@pytest.mark.parametrize("kind", ["sqlite"])
async def test_the_demo_has_a_found_case_with_a_thread(kind, tmp_path):
    copy = demo_copy(kind, tmp_path)
    async with db.database(copy.url, pool_size=2):
        son = auth.actor_of(await User.get(username="family2"))
        alert = await Alert.get(kind="found_wandering")
        assert alert.detail["finder_phone"] == "13711302468" and alert.status == "open"
        assert alert.reported_at is not None and alert.reported_at > alert.found_at
        told = await Notification.filter(alert_id=alert.id, recipient_id=son.user_id)
        assert [n.status for n in told] == ["sent"]
        report = await FoundReport.get(alert_id=alert.id)
        thread = await found.family_thread(son, report.id)
        assert [m.author for m in thread.messages] == ["finder", "family", "finder"]
        assert "/q/" in copy.summary and "found by a passer-by" in copy.summary
