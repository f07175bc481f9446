from canteen.http.endpoint import Call, Endpoint
from canteen.notify import service
from canteen.notify.schemas import ChannelsIn, ChannelsOut


def masked(phone: str) -> str:
    """``13812345678`` -> ``138****5678``: enough to recognise one's own number."""
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 11 else "*" * len(phone)


def _out(choice: service.Choice) -> ChannelsOut:
    return ChannelsOut.model_validate({**choice.__dict__, "sms_phone": masked(choice.sms_phone)})


async def my_channels(call: Call) -> ChannelsOut:
    return _out(await service.get_choice(call.actor, call.settings))


async def choose_channels(call: Call) -> ChannelsOut:
    body: ChannelsIn = call.body
    choice = await service.choose(
        call.actor,
        call.settings,
        list(body.channels),
        sms_phone=body.sms_phone,
        wechat_openid=body.wechat_openid,
    )
    return _out(choice)


ENDPOINTS = [
    Endpoint(
        "GET",
        "/me/notification-channels",
        my_channels,
        "The phone channels I am told by (SMS, WeChat), besides the portal, and those on offer",
        action="notify.choose",
        response=ChannelsOut,
    ),
    Endpoint(
        "PUT",
        "/me/notification-channels",
        choose_channels,
        "Choose the phone channels I am told by, the number for SMS, and bind WeChat",
        action="notify.choose",
        body=ChannelsIn,
        response=ChannelsOut,
    ),
]
