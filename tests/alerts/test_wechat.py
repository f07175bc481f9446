"""WeChat subscription messages against a local fake of WeChat's API, which checks the access
token and the message's format: the token from ``/cgi-bin/stable_token`` is kept until a minute
before it expires, one a server calls invalid is dropped and the message tried again; a family
user who chose WeChat and bound an openid gets one message per alert."""

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from canteen import clock
from canteen.alerts import channels, detect, outbox
from canteen.alerts.channels import DeliveryFailed, Message
from canteen.alerts.models import Notification
from canteen.diners import service as diners
from canteen.notify.models import ChannelChoice
from canteen.notify.wechat import WeChatSubscribe
from tests.alerts.conftest import MONDAY, TEN_WEEKDAYS, local
from tests.alerts.fake_providers import APP_SECRET, APPID, FakeWeChat, served
from tests.conftest import make_user

NOW = local(MONDAY, "13:31")
OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
FIELDS = ("name1", "thing2", "date3", "thing4")


@pytest.fixture
async def wechat() -> AsyncIterator[tuple[FakeWeChat, WeChatSubscribe]]:
    fake = FakeWeChat()
    async with served(fake.app()) as url:
        yield fake, WeChatSubscribe(APPID, APP_SECRET, "tmpl-elder-alert", FIELDS, "", url)


def message(n: int = 1, openid: str | None = OPENID, name: str = "王秀英") -> Message:
    payload = {"diner_name": name, "local_date": "2026-11-23", "text_zh": "…"}
    return Message(n, "not_home", payload, "daughter", None, openid)


async def test_a_message_carries_the_elder_the_event_the_day_and_what_to_do(wechat):
    fake, channel = wechat
    with clock.frozen_at(NOW):
        await channel.deliver(message())
    (sent,) = fake.sent
    assert sent == {
        "touser": OPENID,
        "template_id": "tmpl-elder-alert",
        "data": {
            "name1": {"value": "王秀英"},
            "thing2": {"value": "送餐上门时无人应门"},
            "date3": {"value": "2026-11-23"},
            "thing4": {"value": "请尽快联系确认老人平安"},
        },
        "lang": "zh_CN",
    }


async def test_the_token_is_kept_until_a_minute_before_it_expires(wechat):
    fake, channel = wechat
    with clock.frozen_at(NOW):
        await channel.deliver(message(1))
        await channel.deliver(message(2))
    assert fake.tokens_issued == 1
    with clock.frozen_at(NOW + timedelta(seconds=7200 - 61)):
        await channel.deliver(message(3))
    assert fake.tokens_issued == 1
    with clock.frozen_at(NOW + timedelta(seconds=7200 - 60)):
        await channel.deliver(message(4))
    assert fake.tokens_issued == 2 and len(fake.sent) == 4


async def test_a_token_the_server_calls_invalid_is_dropped_and_the_next_try_gets_another(wechat):
    fake, channel = wechat
    with clock.frozen_at(NOW):
        await channel.deliver(message(1))
        fake.valid.clear()  # WeChat invalidated it (another server asked for a new one)
        with pytest.raises(DeliveryFailed, match="40001"):
            await channel.deliver(message(2))
        await channel.deliver(message(2))
    assert fake.errors == [40001] and fake.tokens_issued == 2 and len(fake.sent) == 2


async def test_long_names_are_cut_to_what_the_template_takes_and_no_openid_is_refused(wechat):
    fake, channel = wechat
    with clock.frozen_at(NOW):
        await channel.deliver(message(name="欧阳娜娜丽莎伊丽莎白二世"))
        with pytest.raises(DeliveryFailed, match="openid"):
            await channel.deliver(message(openid=None))
    assert fake.sent[0]["data"]["name1"]["value"] == "欧阳娜娜丽莎伊丽莎…"
    assert fake.errors == []


async def test_a_family_member_who_bound_wechat_gets_the_alert_through_the_outbox(
    canteen, wechat, monkeypatch
):
    fake, channel = wechat
    monkeypatch.setitem(channels.CHANNELS, "wechat", channel)
    diner = await canteen.elder("王秀英")
    await canteen.ate(diner, TEN_WEEKDAYS)
    for username in ("daughter", "son"):
        user = await make_user("family", username=username)
        await diners.link_family(canteen.admin.actor, diner, username, "子女")
        if username == "daughter":
            await ChannelChoice.create(
                user_id=user.user_id, channels=["wechat"], wechat_openid=OPENID, updated_at=NOW
            )
    assert await detect.missed_meals(NOW) == 1
    with clock.frozen_at(NOW):
        assert await outbox.report(NOW) == 4  # portal x2, log, WeChat for the daughter only
        assert await outbox.deliver(NOW) == outbox.Delivered(4, 0)
    (sent,) = fake.sent
    assert sent["touser"] == OPENID
    assert sent["data"]["thing2"] == {"value": "未按时来食堂吃饭"}
    assert (await Notification.get(channel="wechat")).status == "sent"
