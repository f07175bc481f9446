"""Canteens and their price lists."""

from tortoise import fields
from tortoise.models import Model

DEFAULT_MEAL_WINDOWS = {
    "breakfast": ["06:30", "09:00"],
    "lunch": ["10:30", "13:30"],
    "dinner": ["16:30", "19:00"],
}
DEFAULT_ORDER_CUTOFFS = {
    "breakfast": "18:00 the day before",
    "lunch": "09:00",
    "dinner": "14:00",
}
"""When orders ahead close, per meal type: the kitchen shops and cooks from the count."""
MAX_DELIVERY_FEE_FEN = 1000


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
    order_cutoffs: dict[str, str] = fields.JSONField(default=lambda: dict(DEFAULT_ORDER_CUTOFFS))
    """When orders ahead close, local time: ``"09:00"`` that day, ``"18:00 the day before"``."""
    delivery_fee_fen = fields.IntField(default=0)
    """What bringing a meal home adds to its price, in fen (0 to ``MAX_DELIVERY_FEE_FEN``)."""
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
