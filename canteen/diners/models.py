"""Diners (the elders who eat) and the family members linked to them."""

from tortoise import fields
from tortoise.models import Model


class Diner(Model):
    """An enrolled elder.

    The resident ID number is stored only encrypted (``id_number_cipher``) with a keyed hash
    (``id_number_hash``) for uniqueness and look-up; its last four characters are kept apart
    because the counter searches by them and the masked form shows them anyway.
    """

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=64)
    id_number_cipher = fields.CharField(max_length=128)
    id_number_hash = fields.CharField(max_length=64, unique=True)
    id_last4 = fields.CharField(max_length=4, db_index=True)
    region_code = fields.CharField(max_length=6)
    """The first six digits (the issuing area); not identifying on their own, shown masked."""
    birth_date = fields.DateField()
    gender = fields.CharField(max_length=8)
    phone = fields.CharField(max_length=32, default="", db_index=True)
    address = fields.CharField(max_length=200, default="")
    district = fields.CharField(max_length=64, default="")
    street = fields.CharField(max_length=64, default="")
    categories: list[str] = fields.JSONField(default=list)  # type: ignore[assignment]
    disability_level = fields.SmallIntField(null=True)
    dietary: list[str] = fields.JSONField(default=list)  # type: ignore[assignment]
    status = fields.CharField(max_length=16, default="active")
    home_canteen = fields.ForeignKeyField(
        "models.Canteen", related_name="home_diners", null=True, on_delete=fields.RESTRICT
    )
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "diner"


class FamilyLink(Model):
    """A family user who may see and top up this diner (一个老人可有多位家属)."""

    id = fields.IntField(primary_key=True)
    user = fields.ForeignKeyField(
        "models.User", related_name="diner_links", on_delete=fields.RESTRICT
    )
    diner = fields.ForeignKeyField(
        "models.Diner", related_name="family_links", on_delete=fields.RESTRICT
    )
    relation = fields.CharField(max_length=32)
    created_at = fields.DatetimeField()

    class Meta:
        table = "family_link"
        unique_together = (("user", "diner"),)
