"""Canteens and their price lists."""

from tortoise import fields
from tortoise.models import Model

DEFAULT_MEAL_WINDOWS = {
    "breakfast": ["06:30", "09:00"],
    "lunch": ["10:30", "13:30"],
    "dinner": ["16:30", "19:00"],
}


class Canteen(Model):
    """A community canteen; ``district``/``street`` decide which local subsidies apply there."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100)
    address = fields.CharField(max_length=200, default="")
    district = fields.CharField(max_length=64, default="")
    street = fields.CharField(max_length=64, default="")
    timezone = fields.CharField(max_length=64)
    meal_windows: dict[str, list[str]] = fields.JSONField()
    """Local opening hours per meal type, e.g. ``{"lunch": ["10:30", "13:30"]}``."""
    created_at = fields.DatetimeField()

    class Meta:
        table = "canteen"


class Offering(Model):
    """A dish or set meal on a canteen's price list."""

    id = fields.IntField(primary_key=True)
    canteen: fields.ForeignKeyRelation["Canteen"] = fields.ForeignKeyField(
        "models.Canteen", related_name="offerings", on_delete=fields.RESTRICT
    )
    canteen_id: int
    name = fields.CharField(max_length=100)
    meal_type = fields.CharField(max_length=16)
    price_fen = fields.BigIntField()
    """Full price in fen, before any subsidy."""
    tags: list[str] = fields.JSONField(default=list)
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "offering"
