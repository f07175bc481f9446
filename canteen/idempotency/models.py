"""Stored answers to requests that carried an Idempotency-Key."""

from tortoise import fields
from tortoise.models import Model


class IdempotencyRecord(Model):
    """The first successful answer to (user, key), written in the same transaction as its effect."""

    id = fields.BigIntField(primary_key=True)
    # Typed as any model, so this module need not import the users' (no code follows the
    # relation, only user_id): the store stays below the HTTP toolkit, which builds the keys,
    # and so below the users' domain, whose API goes through that toolkit. A comment, not a
    # docstring, so the model's description (and the migrations' state) stays as it was.
    user: fields.ForeignKeyRelation[Model] = fields.ForeignKeyField(
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
