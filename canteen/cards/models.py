"""QR meal cards: one live card per diner; a re-issue revokes the old one."""

from tortoise import fields
from tortoise.models import Model

REVOKE_REASONS = ("lost", "damaged", "withdrawn", "other", "reissued")


class Card(Model):
    """A meal card. Its QR payload is derived from its id and the server key, never stored."""

    id = fields.IntField(primary_key=True)
    diner = fields.ForeignKeyField("models.Diner", related_name="cards", on_delete=fields.RESTRICT)
    serial = fields.CharField(max_length=20, unique=True)
    """Printed on the card for people (e.g. when the elder phones about a lost card)."""
    issued_at = fields.DatetimeField()
    issued_by = fields.ForeignKeyField(
        "models.User", related_name="cards_issued", null=True, on_delete=fields.RESTRICT
    )
    revoked_at = fields.DatetimeField(null=True)
    revoke_reason = fields.CharField(max_length=16, null=True)

    class Meta:
        table = "card"
        indexes = (("diner_id",),)
