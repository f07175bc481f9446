"""Menus, orders ahead, and the delivery runs that bring ordered meals home.

An order moves no money: it names a meal to be handed over (eaten in, or brought home), and
the hand-over is a sale through ``checkout.service.sell``, which prices and charges it then.
"""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from canteen.auth.models import User
    from canteen.canteens.models import Canteen, Offering
    from canteen.checkout.models import Meal
    from canteen.diners.models import Diner

ORDER_STATUSES = ("placed", "fulfilled", "cancelled", "missed")
"""``placed`` -> ``fulfilled`` (handed over, a meal sold) | ``cancelled`` | ``missed``."""
OPEN = ("placed", "fulfilled")
"""The statuses that hold a diner's one order for a date and meal (``order_exists``)."""
STOP_OUTCOMES = ("delivered", "not_home", "refused")


class Menu(Model):
    """One offering served at one canteen on one day and meal: only these can be ordered."""

    id = fields.IntField(primary_key=True)
    canteen: fields.ForeignKeyRelation["Canteen"] = fields.ForeignKeyField(
        "models.Canteen", related_name="menus", on_delete=fields.RESTRICT
    )
    canteen_id: int
    local_date = fields.DateField()
    meal_type = fields.CharField(max_length=16)
    offering: fields.ForeignKeyRelation["Offering"] = fields.ForeignKeyField(
        "models.Offering", related_name="menus", on_delete=fields.RESTRICT
    )
    offering_id: int
    dishes: list[str] = fields.JSONField(default=list)
    """What is in it that day, as the kitchen names it: ``["红烧鱼", "炒青菜"]``."""
    allergens: list[str] = fields.JSONField(default=list)

    class Meta:
        table = "menu"
        unique_together = (("canteen", "local_date", "meal_type", "offering"),)


class Order(Model):
    """A meal ordered ahead for one diner, date and meal: to eat in, or to be brought home."""

    id = fields.BigIntField(primary_key=True)
    diner: fields.ForeignKeyRelation["Diner"] = fields.ForeignKeyField(
        "models.Diner", related_name="orders", on_delete=fields.RESTRICT
    )
    diner_id: int
    canteen: fields.ForeignKeyRelation["Canteen"] = fields.ForeignKeyField(
        "models.Canteen", related_name="orders", on_delete=fields.RESTRICT
    )
    canteen_id: int
    local_date = fields.DateField()
    """The day of the meal, in the canteen's time zone."""
    meal_type = fields.CharField(max_length=16)
    offering: fields.ForeignKeyRelation["Offering"] = fields.ForeignKeyField(
        "models.Offering", related_name="orders", on_delete=fields.RESTRICT
    )
    offering_id: int
    delivery = fields.BooleanField()
    note = fields.CharField(max_length=200, default="")
    status = fields.CharField(max_length=10, default="placed")
    placed_by: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="orders_placed", on_delete=fields.RESTRICT
    )
    placed_by_id: int
    placed_at = fields.DatetimeField()
    estimate_fen = fields.BigIntField()
    """What the diner was told the hand-over would cost them, delivery fee included: the
    balance must cover every placed order's estimate (``insufficient_balance``)."""
    cutoff_at = fields.DatetimeField()
    """When ordering and cancelling close for this meal (the canteen's cut-off, in UTC)."""
    closed_at = fields.DatetimeField(null=True)
    """When it was fulfilled, cancelled or marked missed."""
    meal_id = fields.BigIntField(null=True, unique=True)
    """The meal that fulfilled it (``Meal.order`` is the foreign key; one meal per order)."""

    class Meta:
        table = "meal_order"
        indexes = (("canteen_id", "local_date", "meal_type"), ("diner_id", "local_date"))


class DeliveryRun(Model):
    """One deliverer's round of one canteen's delivery orders for a day and meal."""

    id = fields.IntField(primary_key=True)
    canteen: fields.ForeignKeyRelation["Canteen"] = fields.ForeignKeyField(
        "models.Canteen", related_name="delivery_runs", on_delete=fields.RESTRICT
    )
    canteen_id: int
    local_date = fields.DateField()
    meal_type = fields.CharField(max_length=16)
    deliverer: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="delivery_runs", on_delete=fields.RESTRICT
    )
    deliverer_id: int
    created_at = fields.DatetimeField()
    stops: fields.ReverseRelation["DeliveryStop"]

    class Meta:
        table = "delivery_run"
        indexes = (("canteen_id", "local_date", "meal_type"),)


class DeliveryStop(Model):
    """One order on a run, at its place in the round; its outcome once the deliverer reports."""

    id = fields.BigIntField(primary_key=True)
    run: fields.ForeignKeyRelation["DeliveryRun"] = fields.ForeignKeyField(
        "models.DeliveryRun", related_name="stops", on_delete=fields.RESTRICT
    )
    run_id: int
    order: fields.OneToOneRelation["Order"] = fields.OneToOneField(
        "models.Order", related_name="stop", on_delete=fields.RESTRICT
    )
    """An order is on one run at most."""
    order_id: int
    position = fields.SmallIntField()
    outcome = fields.CharField(max_length=10, null=True)
    meal: fields.ForeignKeyNullableRelation["Meal"] = fields.ForeignKeyField(
        "models.Meal", related_name="delivery_stops", null=True, on_delete=fields.RESTRICT
    )
    meal_id: int | None
    note = fields.CharField(max_length=200, default="")
    recorded_at = fields.DatetimeField(null=True)
    recorded_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="delivery_stops_recorded", null=True, on_delete=fields.RESTRICT
    )
    recorded_by_id: int | None

    class Meta:
        table = "delivery_stop"
        indexes = (("run_id", "position"),)
