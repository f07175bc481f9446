"""The audit log of sensitive actions (PIPL): who did what, when, before and after."""

from tortoise import fields
from tortoise.models import Model


class AuditEntry(Model):
    """One sensitive action; written in the same transaction as the action itself."""

    id = fields.BigIntField(primary_key=True)
    at = fields.DatetimeField()
    actor = fields.ForeignKeyField(
        "models.User", related_name="audit_entries", null=True, on_delete=fields.RESTRICT
    )
    """Empty for actions from the command line or the system itself."""
    action = fields.CharField(max_length=64)
    object_type = fields.CharField(max_length=32)
    object_id = fields.CharField(max_length=64)
    before: dict | None = fields.JSONField(null=True)  # type: ignore[assignment]
    after: dict | None = fields.JSONField(null=True)  # type: ignore[assignment]

    class Meta:
        table = "audit_entry"
        indexes = (("object_type", "object_id"),)
