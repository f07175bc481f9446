"""A family user's choice of the channels that reach their phone (SMS, WeChat)."""

from dataclasses import dataclass

from canteen import clock
from canteen.auth.models import User
from canteen.config import Settings
from canteen.errors import InvalidInput
from canteen.notify.channels import available
from canteen.notify.models import ChannelChoice
from canteen.roles import Actor, require


@dataclass(frozen=True)
class Choice:
    channels: list[str]
    available: list[str]
    sms_phone: str
    """Where SMS would go: the chosen number, else the user's own phone (may be empty)."""
    wechat_bound: bool


async def _choice(actor: Actor, settings: Settings) -> Choice:
    row = await ChannelChoice.get_or_none(user_id=actor.user_id)
    user = await User.get(id=actor.user_id)
    return Choice(
        channels=list(row.channels) if row else [],
        available=available(settings),
        sms_phone=(row.sms_phone if row else "") or user.phone,
        wechat_bound=bool(row and row.wechat_openid),
    )


async def get_choice(actor: Actor, settings: Settings) -> Choice:
    require(actor, "notify.choose")
    return await _choice(actor, settings)


async def choose(
    actor: Actor,
    settings: Settings,
    channels: list[str],
    sms_phone: str | None = None,
    wechat_openid: str | None = None,
) -> Choice:
    """Set the channels (and where they reach). A channel this service has not switched on, SMS
    without a number, or WeChat without a bound openid is refused, naming the field."""
    require(actor, "notify.choose")
    switched_on = available(settings)
    for name in channels:
        if name not in switched_on:
            raise InvalidInput.on("channels", f"{name} is not switched on in this service")
    row = await ChannelChoice.get_or_none(user_id=actor.user_id)
    user = await User.get(id=actor.user_id)
    phone = sms_phone if sms_phone is not None else (row.sms_phone if row else "")
    openid = wechat_openid if wechat_openid is not None else (row.wechat_openid if row else "")
    if "sms" in channels and not (phone or user.phone):
        raise InvalidInput.on("sms_phone", "a mobile number for SMS")
    if "wechat" in channels and not openid:
        raise InvalidInput.on("channels", "bind WeChat first (open the mini program and log in)")
    values = {
        "channels": sorted(set(channels)),
        "sms_phone": phone,
        "wechat_openid": openid,
        "updated_at": clock.now(),
    }
    if row is None:
        await ChannelChoice.bulk_create(
            [ChannelChoice(user_id=actor.user_id, **values)], ignore_conflicts=True
        )
    await ChannelChoice.filter(user_id=actor.user_id).update(**values)
    return await _choice(actor, settings)
