"""The phone channels switched on by the settings: none unless configured."""

from canteen.alerts import channels
from canteen.config import Settings
from canteen.notify.sms import AliyunSms
from canteen.notify.wechat import WeChatSubscribe


def configured(settings: Settings) -> list[channels.Channel]:
    """The SMS and WeChat channels whose keys the settings hold."""
    found: list[channels.Channel] = []
    s = settings
    if s.sms_access_key_id and s.sms_access_key_secret and s.sms_sign_name and s.sms_template_code:
        found.append(
            AliyunSms(
                s.sms_access_key_id,
                s.sms_access_key_secret,
                s.sms_sign_name,
                s.sms_template_code,
                s.sms_endpoint,
            )
        )
    if s.wechat_appid and s.wechat_secret and s.wechat_template_id:
        found.append(
            WeChatSubscribe(
                s.wechat_appid,
                s.wechat_secret,
                s.wechat_template_id,
                s.wechat_fields,
                s.wechat_page,
                s.wechat_endpoint,
            )
        )
    return found


def install(settings: Settings) -> list[str]:
    """Register the configured phone channels with the outbox; their names."""
    installed = configured(settings)
    for channel in installed:
        channels.register(channel)
    return [c.name for c in installed]


def available(settings: Settings) -> list[str]:
    """The phone channels a family user may choose: those configured."""
    return [c.name for c in configured(settings)]
