"""The audit log of sensitive actions (PIPL): who did what, when, before and after."""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from canteen.auth.models import User


class AuditEntry(Model):
    """One sensitive action; written in the same transaction as the action itself."""

    id = fields.BigIntField(primary_key=True)
    at = fields.DatetimeField()
    actor: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="audit_entries", null=True, on_delete=fields.RESTRICT
    )
    """Empty for actions from the command line or the system itself."""
    actor_id: int | None
    action = fields.CharField(max_length=64)
    object_type = fields.CharField(max_length=32)
    object_id = fields.CharField(max_length=64)
    before: dict | None = fields.JSONField(null=True)
    after: dict | None = fields.JSONField(null=True)

    class Meta:
        table = "audit_entry"
        indexes = (("object_type", "object_id"),)
