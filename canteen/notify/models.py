"""Each family user's choice of the channels that reach their phone."""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from canteen.auth.models import User

CHOOSABLE = ("sms", "wechat")
"""The portal always shows every alert; these are chosen on top of it."""


class ChannelChoice(Model):
    """Which channels a family user is told by, and where: one row per family user who chose."""

    id = fields.IntField(primary_key=True)
    user: fields.OneToOneRelation["User"] = fields.OneToOneField(
        "models.User", related_name="channel_choice", on_delete=fields.RESTRICT
    )
    user_id: int
    channels: list[str] = fields.JSONField(default=list)
    """A subset of ``CHOOSABLE``."""
    sms_phone = fields.CharField(max_length=20, default="")
    """The mobile number SMS goes to; empty: the user's own ``phone``."""
    wechat_openid = fields.CharField(max_length=64, default="")
    """The user's openid under the service's AppID, once bound (empty until then)."""
    updated_at = fields.DatetimeField()

    class Meta:
        table = "channel_choice"
