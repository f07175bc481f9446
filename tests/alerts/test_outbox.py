"""The outbox: every alert's notifications written once, each delivered once, failures retried."""

import asyncio
from datetime import timedelta

import pytest

from canteen.alerts import channels, detect, outbox
from canteen.alerts.channels import DeliveryFailed, Message
from canteen.alerts.models import Notification
from canteen.diners import service as diners
from canteen.notify.models import ChannelChoice
from tests.alerts.conftest import MONDAY, TEN_WEEKDAYS, local
from tests.conftest import make_user

NOW = local(MONDAY, "13:31")


class Recorder:
    """A family channel (like SMS would be) that records what it was given."""

    name = "sms"
    family = True

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.delivered: list[Message] = []

    async def deliver(self, message: Message) -> None:
        await asyncio.sleep(0)  # let a concurrent delivery run in between
        if self.fail:
            raise DeliveryFailed("provider said 503")
        self.delivered.append(message)


@pytest.fixture
async def alerted(canteen) -> list[int]:
    """Three regulars of the canteen missed lunch; each has one family member, told by SMS."""
    ids = []
    for n in range(3):
        diner = await canteen.elder(f"老人{n}")
        await canteen.ate(diner, TEN_WEEKDAYS)
        family = await make_user("family", username=f"child-{n}")
        await diners.link_family(canteen.admin.actor, diner, family.username, "子女")
        await ChannelChoice.create(user_id=family.user_id, channels=["sms"], updated_at=NOW)
        ids.append(diner)
    assert await detect.missed_meals(NOW) == 3
    return ids


async def test_a_plugged_in_channel_gets_one_message_per_family_member(alerted, monkeypatch):
    sms = Recorder()
    monkeypatch.setitem(channels.CHANNELS, "sms", sms)
    assert await outbox.report(NOW) == 9  # portal + sms for the family, log for the staff list
    assert await outbox.deliver(NOW) == outbox.Delivered(9, 0)
    assert sorted(m.recipient_username or "" for m in sms.delivered) == [
        "child-0",
        "child-1",
        "child-2",
    ]
    assert all("午餐时间已过" in m.text("zh") for m in sms.delivered)
    assert await outbox.deliver(NOW + timedelta(hours=1)) == outbox.Delivered(0, 0)


async def test_a_failing_channel_is_tried_again_later_then_given_up(alerted, monkeypatch):
    monkeypatch.setitem(channels.CHANNELS, "sms", Recorder(fail=True))
    await outbox.report(NOW)
    assert await outbox.deliver(NOW) == outbox.Delivered(6, 3)
    failing = await Notification.filter(channel="sms")
    assert {(n.status, n.attempts, n.last_error) for n in failing} == {
        ("pending", 1, "provider said 503")
    }
    assert await outbox.deliver(NOW + timedelta(minutes=1)) == outbox.Delivered(0, 0), "backs off"
    later = NOW
    for _ in range(outbox.MAX_ATTEMPTS - 1):
        later += timedelta(days=1)
        await outbox.deliver(later)
    assert {(n.status, n.attempts) for n in await Notification.filter(channel="sms")} == {
        ("failed", outbox.MAX_ATTEMPTS)
    }
    assert await Notification.filter(status="sent").count() == 6


async def test_a_channel_this_process_does_not_have_keeps_its_messages(alerted, monkeypatch):
    monkeypatch.setitem(channels.CHANNELS, "sms", Recorder())
    await outbox.report(NOW)
    monkeypatch.delitem(channels.CHANNELS, "sms")
    assert await outbox.deliver(NOW) == outbox.Delivered(6, 3)
    assert {n.status for n in await Notification.filter(channel="sms")} == {"pending"}


async def test_two_processes_reporting_and_delivering_at_once_do_it_once(alerted, monkeypatch):
    sms = Recorder()
    monkeypatch.setitem(channels.CHANNELS, "sms", sms)
    written = await asyncio.gather(outbox.report(NOW), outbox.report(NOW))
    assert sorted(written) == [0, 9]
    sent = await asyncio.gather(outbox.deliver(NOW), outbox.deliver(NOW), outbox.deliver(NOW))
    assert sum(d.sent for d in sent) == 9
    assert len(sms.delivered) == 3 == len({m.notification_id for m in sms.delivered})
    assert await Notification.filter(status="sent").count() == 9
