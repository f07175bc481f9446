"""Online top-ups: an intent to pay, confirmed only by the payment provider's signed word."""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from canteen.accounts.models import Account, Topup
    from canteen.auth.models import User
    from canteen.diners.models import Diner

INTENT_STATUSES = ("pending", "succeeded", "expired", "failed")
"""``pending`` until the provider confirms (``succeeded``) or reports a failed attempt
(``failed``: the payer may try again until it expires); ``expired`` when never paid in time."""
OPEN_STATUSES = ("pending", "failed")
"""Statuses a payment may still arrive in (before ``expires_at``)."""


class TopupIntent(Model):
    """A family member's (or the office's) wish to pay money into a diner's account online.

    The balance moves only when the provider's signed notification arrives: in that one
    transaction the intent turns ``succeeded`` (a conditional UPDATE from an open status) and the
    account is credited with a ``topup`` entry (method ``online``, reference the provider's).
    """

    id = fields.IntField(primary_key=True)
    diner: fields.ForeignKeyRelation["Diner"] = fields.ForeignKeyField(
        "models.Diner", related_name="topup_intents", on_delete=fields.RESTRICT
    )
    diner_id: int
    account: fields.ForeignKeyRelation["Account"] = fields.ForeignKeyField(
        "models.Account", related_name="topup_intents", on_delete=fields.RESTRICT
    )
    account_id: int
    amount_fen = fields.BigIntField()
    """What the payer is asked to pay, in fen; the notification must report exactly this."""
    provider = fields.CharField(max_length=32)
    status = fields.CharField(max_length=16, default="pending")
    pay_url = fields.CharField(max_length=500, default="")
    """Where the payer confirms: the provider's page (the sandbox's is on this site)."""
    provider_ref = fields.CharField(max_length=64, null=True)
    """The provider's transaction number, set with ``succeeded``; one payment pays one intent."""
    topup: fields.OneToOneNullableRelation["Topup"] = fields.OneToOneField(
        "models.Topup", related_name="intent", null=True, on_delete=fields.RESTRICT
    )
    """The top-up that credited the account."""
    topup_id: int | None
    created_by: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="topup_intents", on_delete=fields.RESTRICT
    )
    created_by_id: int
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    paid_at = fields.DatetimeField(null=True)

    class Meta:
        table = "topup_intent"
        unique_together = (("provider", "provider_ref"),)
        indexes = (("status", "expires_at"),)
