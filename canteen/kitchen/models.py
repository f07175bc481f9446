"""What the kitchen cooked: portions of each offering per canteen, day and meal.

Recorded after the meal by the manager or a cashier (``kitchen.service.record_cooked``); set
against what was sold, it gives what was left over, which the sustainability report counts as
waste (``reports.sustainability``).
"""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from canteen.auth.models import User
    from canteen.canteens.models import Canteen, Offering

MAX_PORTIONS = 5000
"""More portions of one dish than a canteen cooks for a meal: a typo, refused (a canteen that
serves 1,500 meals a day spreads them over its dishes and meals). ``ck_kitchen_cooked_portions``
holds the database to it too."""


class Cooked(Model):
    """Portions of one offering cooked for one canteen, day and meal (one row; set again, it
    is replaced: the count is what was cooked, not an amount added)."""

    id = fields.IntField(primary_key=True)
    canteen: fields.ForeignKeyRelation["Canteen"] = fields.ForeignKeyField(
        "models.Canteen", related_name="cooked", on_delete=fields.RESTRICT
    )
    canteen_id: int
    local_date = fields.DateField()
    """The day of the meal, in the canteen's time zone."""
    meal_type = fields.CharField(max_length=16)
    offering: fields.ForeignKeyRelation["Offering"] = fields.ForeignKeyField(
        "models.Offering", related_name="cooked", on_delete=fields.RESTRICT
    )
    offering_id: int
    portions = fields.IntField()
    """Portions cooked, 0 to :data:`MAX_PORTIONS`."""
    recorded_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="cooked_recorded", on_delete=fields.RESTRICT, null=True
    )
    recorded_by_id: int | None
    """Who recorded it; none when the system did (the demo)."""
    recorded_at = fields.DatetimeField()

    class Meta:
        table = "kitchen_cooked"
        unique_together = (("canteen", "local_date", "meal_type", "offering"),)
