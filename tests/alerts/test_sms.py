"""SMS through Aliyun's ``SendSms``, against a local fake of its API that checks the request's
format and its HMAC-SHA1 signature: a family user who chose SMS gets one message per alert,
signed; a refusal is tried again by the outbox; families choose their channels through the API."""

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from starlette.applications import Starlette

from canteen.alerts import channels, detect, outbox
from canteen.alerts.models import Notification
from canteen.app import create_app
from canteen.auth.models import User
from canteen.config import Settings
from canteen.diners import service as diners
from canteen.notify import aliyun
from canteen.notify import channels as phone_channels
from canteen.notify.sms import AliyunSms
from tests.alerts.conftest import MONDAY, TEN_WEEKDAYS, local
from tests.alerts.fake_providers import SMS_KEY_ID, SMS_SECRET, FakeAliyunSms, served
from tests.conftest import login, make_user, settings_for

NOW = local(MONDAY, "13:31")


def test_the_signature_is_aliyuns_own_example():
    """The worked example of Aliyun's 签名机制 page (AccessKey secret ``testsecret``)."""
    params = {
        "AccessKeyId": "testid",
        "Action": "DescribeRegions",
        "Format": "XML",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
        "SignatureVersion": "1.0",
        "TimeStamp": "2016-02-23T12:46:24Z",
        "Version": "2014-05-26",
    }
    assert aliyun.string_to_sign(params) == (
        "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML"
        "%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"
        "%26SignatureVersion%3D1.0%26TimeStamp%3D2016-02-23T12%253A46%253A24Z"
        "%26Version%3D2014-05-26"
    )
    assert aliyun.signature(params, "testsecret") == "CT9X0VtwR86fNWSnsc6v8YGOjuE="
    assert aliyun.percent_encode("王 *~") == "%E7%8E%8B%20%2A~"


def sms_settings(base: Settings, endpoint: str, secret: str = SMS_SECRET) -> Settings:
    return base.model_copy(
        update={
            "sms_access_key_id": SMS_KEY_ID,
            "sms_access_key_secret": secret,
            "sms_sign_name": "长者食堂",
            "sms_template_code": "SMS_465000001",
            "sms_endpoint": endpoint,
        }
    )


@pytest.fixture
async def provider() -> AsyncIterator[tuple[FakeAliyunSms, str]]:
    fake = FakeAliyunSms()
    async with served(fake.app()) as url:
        yield fake, url


@pytest.fixture
async def app(provider, database_url) -> AsyncIterator[Starlette]:
    """The app, its settings switching SMS on for the fake: its start registers the channel."""
    _, url = provider
    application = create_app(sms_settings(settings_for(database_url), url))
    async with application.router.lifespan_context(application):
        assert isinstance(channels.CHANNELS["sms"], AliyunSms)
        yield application
    channels.CHANNELS.pop("sms")


@pytest.fixture
async def missed(canteen) -> dict[str, int]:
    """An elder who missed lunch, with a daughter (phone on her account) and a son."""
    diner = await canteen.elder("王秀英")
    await canteen.ate(diner, TEN_WEEKDAYS)
    users = {}
    for username, phone in (("daughter", "13912345678"), ("son", "")):
        user = await make_user("family", username=username)
        await diners.link_family(canteen.admin.actor, diner, username, "子女")
        users[username] = user.user_id
        if phone:
            await User.filter(id=user.user_id).update(phone=phone)
    assert await detect.missed_meals(NOW) == 1
    return users


async def choose(client: httpx.AsyncClient, username: str, body: dict) -> httpx.Response:
    headers = await login(client, username)
    return await client.put("/api/v1/me/notification-channels", json=body, headers=headers)


async def test_a_family_member_who_chose_sms_gets_one_signed_message_per_alert(
    missed, provider, client
):
    fake, _ = provider
    r = await choose(client, "daughter", {"channels": ["sms"]})
    assert r.status_code == 200, r.text
    assert r.json() == {
        "channels": ["sms"],
        "available": ["sms"],
        "sms_phone": "139****5678",
        "wechat_bound": False,
    }
    assert await outbox.report(NOW) == 4  # portal x2, log, and one SMS: the son did not choose
    assert await outbox.deliver(NOW) == outbox.Delivered(4, 0)
    (sent,) = fake.sent
    assert sent["PhoneNumbers"] == "13912345678"
    assert (sent["SignName"], sent["TemplateCode"]) == ("长者食堂", "SMS_465000001")
    assert sent["TemplateParam"] == {
        "name": "王秀英",
        "date": MONDAY.isoformat(),
        "event": "未按时来食堂吃饭",
    }
    assert await outbox.deliver(NOW + timedelta(hours=1)) == outbox.Delivered(0, 0)
    assert len(fake.sent) == 1


async def test_a_refused_sms_is_tried_again_by_the_outbox(missed, provider, client):
    fake, _ = provider
    assert (await choose(client, "daughter", {"channels": ["sms"]})).status_code == 200
    fake.secret = "the-provider-rotated-it"  # every signature now fails
    await outbox.report(NOW)
    assert await outbox.deliver(NOW) == outbox.Delivered(3, 1)
    (failed,) = await Notification.filter(channel="sms")
    assert (failed.status, failed.attempts) == ("pending", 1)
    assert "SignatureDoesNotMatch" in failed.last_error
    assert fake.refused == ["SignatureDoesNotMatch"] and fake.sent == []
    fake.secret = SMS_SECRET
    assert await outbox.deliver(NOW + timedelta(minutes=11)) == outbox.Delivered(1, 0)
    assert (await Notification.get(id=failed.id)).status == "sent"
    assert [s["PhoneNumbers"] for s in fake.sent] == ["13912345678"]


async def test_a_number_chosen_for_sms_is_used_and_a_family_without_one_is_refused(
    missed, provider, client
):
    fake, _ = provider
    r = await choose(client, "son", {"channels": ["sms"]})
    assert (r.status_code, r.json()["errors"][0]["field"]) == (422, "sms_phone")
    r = await choose(client, "son", {"channels": ["sms"], "sms_phone": "13700001111"})
    assert r.status_code == 200, r.text
    assert r.json()["sms_phone"] == "137****1111"
    for bad in ({"channels": ["fax"]}, {"channels": ["sms"], "sms_phone": "12345"}):
        assert (await choose(client, "son", bad)).status_code == 422, bad
    r = await choose(client, "son", {"channels": ["wechat"]})
    assert (r.status_code, r.json()["errors"][0]["field"]) == (422, "channels")  # not switched on
    await outbox.report(NOW)
    await outbox.deliver(NOW)
    assert [s["PhoneNumbers"] for s in fake.sent] == ["13700001111"]


async def test_sms_is_off_unless_configured(database_url):
    assert phone_channels.configured(settings_for(database_url)) == []
    assert "sms" not in channels.CHANNELS


async def test_only_a_family_user_chooses_channels(client, as_role):
    staff = await as_role("staff")
    assert (await staff.get("/me/notification-channels")).status_code == 403
    family = await as_role("family")
    assert (await family.get("/me/notification-channels")).json()["channels"] == []
