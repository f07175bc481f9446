"""Stored policies: immutable once in force, kept forever so any past meal can be explained."""

from tortoise import fields
from tortoise.models import Model


class Policy(Model):
    """One version of the subsidy rules, in force from ``effective_from`` until the next one."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200)
    effective_from = fields.DateField(unique=True)
    """A local date; two policies never start on the same day."""
    document: dict = fields.JSONField()  # type: ignore[assignment]
    """The whole policy as submitted (a ``PolicyDocument``), the engine's only input."""
    created_at = fields.DatetimeField()
    created_by = fields.ForeignKeyField(
        "models.User", related_name="policies", null=True, on_delete=fields.RESTRICT
    )

    class Meta:
        table = "policy"
