"""Diners (the elders who eat) and the family members linked to them."""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from canteen.auth.models import User
    from canteen.canteens.models import Canteen


class Diner(Model):
    """An enrolled elder.

    The resident ID number is stored only encrypted (``id_number_cipher``, bound to this row:
    ``canteen.diners.pii``) with a keyed hash (``id_number_hash``) for uniqueness, and a keyed
    hash of its last four (``id_last4_hash``) because the counter searches by them. Nothing in
    clear rebuilds it: the birth date alone lacks the area code and sequence.

    Its one prepaid account is ``Account.diner``; code reads it, loaded with the diner, through
    ``canteen.accounts.models.account_of``.
    """

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=64)
    id_number_cipher = fields.CharField(max_length=128)
    id_number_hash = fields.CharField(max_length=64, unique=True)
    id_last4_hash = fields.CharField(max_length=64, db_index=True)
    birth_date = fields.DateField()
    """Kept in clear: pricing needs the age, and without the area and sequence it is not the
    number."""
    gender = fields.CharField(max_length=8)
    phone = fields.CharField(max_length=32, default="", db_index=True)
    address = fields.CharField(max_length=200, default="")
    district = fields.CharField(max_length=64, default="")
    street = fields.CharField(max_length=64, default="")
    categories: list[str] = fields.JSONField(default=list)
    disability_level = fields.SmallIntField(null=True)
    dietary: list[str] = fields.JSONField(default=list)
    status = fields.CharField(max_length=16, default="active")
    home_canteen: fields.ForeignKeyNullableRelation["Canteen"] = fields.ForeignKeyField(
        "models.Canteen", related_name="home_diners", null=True, on_delete=fields.RESTRICT
    )
    home_canteen_id: int | None
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "diner"


class FamilyLink(Model):
    """A family user who may see and top up this diner (一个老人可有多位家属)."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="diner_links", on_delete=fields.RESTRICT
    )
    user_id: int
    diner: fields.ForeignKeyRelation["Diner"] = fields.ForeignKeyField(
        "models.Diner", related_name="family_links", on_delete=fields.RESTRICT
    )
    diner_id: int
    relation = fields.CharField(max_length=32)
    created_at = fields.DatetimeField()

    class Meta:
        table = "family_link"
        unique_together = (("user", "diner"),)


class IdNumberKey(Model):
    """A version (2, 3, ...) of the key that encrypts resident ID numbers, sealed by a key
    derived from the secret key; version 1 is derived itself and not stored."""

    id = fields.IntField(primary_key=True)
    version = fields.IntField(unique=True)
    wrapped = fields.CharField(max_length=128)
    created_at = fields.DatetimeField()

    class Meta:
        table = "id_number_key"
