from typing import Literal

from pydantic import BaseModel, Field

from canteen.schemas import RequestModel

Choosable = Literal["sms", "wechat"]


class ChannelsIn(RequestModel):
    channels: list[Choosable] = Field(max_length=2)
    """The phone channels to be told by, besides the portal (which always shows every alert)."""
    sms_phone: str | None = Field(None, pattern=r"^1\d{10}$")
    """The mainland mobile number SMS goes to; left out: keep it (empty: your account's phone)."""
    wechat_openid: str | None = Field(None, pattern=r"^[A-Za-z0-9_-]{1,64}$")
    """The openid the WeChat mini program got at your login (``wx.login``), to bind it."""


class ChannelsOut(BaseModel):
    channels: list[Choosable]
    available: list[Choosable]
    """The channels this service has switched on (configured with a provider's keys)."""
    sms_phone: str
    """Where SMS goes (masked): the number chosen, else your account's phone; empty if none."""
    wechat_bound: bool
