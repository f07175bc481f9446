"""QR meal cards: one live card per diner; a re-issue revokes the old one."""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from canteen.auth.models import User
    from canteen.diners.models import Diner

REVOKE_REASONS = ("lost", "damaged", "withdrawn", "other", "reissued")


class Card(Model):
    """A meal card. Its QR payload is derived from its id and the server key, never stored."""

    id = fields.IntField(primary_key=True)
    diner: fields.ForeignKeyRelation["Diner"] = fields.ForeignKeyField(
        "models.Diner", related_name="cards", on_delete=fields.RESTRICT
    )
    diner_id: int
    serial = fields.CharField(max_length=20, unique=True)
    """Printed on the card for people (e.g. when the elder phones about a lost card)."""
    issued_at = fields.DatetimeField()
    issued_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="cards_issued", null=True, on_delete=fields.RESTRICT
    )
    issued_by_id: int | None
    revoked_at = fields.DatetimeField(null=True)
    revoke_reason = fields.CharField(max_length=16, null=True)

    class Meta:
        table = "card"
        indexes = (("diner_id",),)
