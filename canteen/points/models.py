"""Volunteers' points (红马甲积分): an append-only ledger per volunteer, and its cached balance.

Points are earned only for work that can be traced: a delivered stop (its run's deliverer) or
a handled alert (its handler), each credit naming the stop or the alert that earned it. A stop
or an alert earns once however often it is reported: ``stop_id`` and ``alert_id`` are unique.
A redemption is a negative entry naming what was given. Invariant, as for a diner's account:
``balance == sum(entries) >= 0`` for every volunteer, always (``ck_points_balance_not_negative``).
"""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from canteen.alerts.models import Alert
    from canteen.auth.models import User
    from canteen.canteens.models import Canteen
    from canteen.orders.models import DeliveryStop

ENTRY_KINDS = ("delivery", "alert", "redeem")
"""``delivery`` and ``alert`` earn (positive, naming their stop or alert); ``redeem`` spends."""


class PointsBalance(Model):
    """One volunteer's points: the sum of their entries, changed only beside a new entry."""

    id = fields.IntField(primary_key=True)
    volunteer: fields.OneToOneRelation["User"] = fields.OneToOneField(
        "models.User", related_name="points_balance", on_delete=fields.RESTRICT
    )
    volunteer_id: int
    balance = fields.BigIntField(default=0)
    """Points, a whole number, never negative."""

    class Meta:
        table = "points_balance"


class PointsEntry(Model):
    """One credit or redemption; never edited or deleted."""

    id = fields.BigIntField(primary_key=True)
    volunteer: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="points_entries", on_delete=fields.RESTRICT
    )
    volunteer_id: int
    kind = fields.CharField(max_length=8)
    points = fields.BigIntField()
    """Signed: a credit is positive, a redemption negative."""
    stop: fields.OneToOneNullableRelation["DeliveryStop"] = fields.OneToOneField(
        "models.DeliveryStop", related_name="points_entry", null=True, on_delete=fields.RESTRICT
    )
    """The delivered stop that earned a ``delivery`` credit: one credit per stop."""
    stop_id: int | None
    alert: fields.OneToOneNullableRelation["Alert"] = fields.OneToOneField(
        "models.Alert", related_name="points_entry", null=True, on_delete=fields.RESTRICT
    )
    """The handled alert that earned an ``alert`` credit: one credit per alert."""
    alert_id: int | None
    item = fields.CharField(max_length=100, default="")
    """What a redemption was exchanged for (``大米 5 斤``)."""
    canteen: fields.ForeignKeyNullableRelation["Canteen"] = fields.ForeignKeyField(
        "models.Canteen", related_name="points_redeemed", null=True, on_delete=fields.RESTRICT
    )
    """Where a redemption was made (the manager's canteen; none when the office made it)."""
    canteen_id: int | None
    recorded_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="points_recorded", null=True, on_delete=fields.RESTRICT
    )
    """Who recorded a redemption; none for a credit, which the work itself wrote."""
    recorded_by_id: int | None
    at = fields.DatetimeField()

    class Meta:
        table = "points_entry"
        indexes = (("volunteer_id", "id"), ("at",))
