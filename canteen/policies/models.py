"""Stored policies: immutable once in force, kept forever so any past meal can be explained."""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from canteen.auth.models import User


class Policy(Model):
    """One version of the subsidy rules, in force from ``effective_from`` until the next one."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200)
    effective_from = fields.DateField(unique=True)
    """A local date; two policies never start on the same day."""
    document: dict = fields.JSONField()
    """The whole policy as submitted (a ``PolicyDocument``), the engine's only input."""
    created_at = fields.DatetimeField()
    created_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="policies", null=True, on_delete=fields.RESTRICT
    )
    created_by_id: int | None

    class Meta:
        table = "policy"
