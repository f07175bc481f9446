"""Stored answers to requests that carried an Idempotency-Key."""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from canteen.auth.models import User


class IdempotencyRecord(Model):
    """The first successful answer to (user, key), written in the same transaction as its effect."""

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="idempotency_records", on_delete=fields.RESTRICT
    )
    user_id: int
    key = fields.CharField(max_length=255)
    fingerprint = fields.CharField(max_length=64)
    """SHA-256 of the method, path and canonical body: "the same request"."""
    status = fields.SmallIntField()
    body: dict = fields.JSONField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "idempotency_record"
        unique_together = (("user", "key"),)
