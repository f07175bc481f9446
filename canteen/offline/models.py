"""Sales a counter made offline, as the server applied them: the reconciliation table.

One row per sale the counter sent, unique by the key the counter made at the scan, so a sale
sent again (a lost answer, a queue replayed) finds its row and is applied once. ``outcome``:

- ``sold``: applied as the counter sold it; ``meal`` is the meal.
- ``reconciled``: applied, but not as the counter priced it (a limited subsidy another counter
  used meanwhile, a balance spent elsewhere); the meal's ``offline_difference`` line, funded by
  the operator, is ``operator_fen``.
- ``refused``: the server would not sell it (the card revoked meanwhile, the diner no longer
  active, ...); no meal, and the operator bears what the counter did not collect.

The manager's reconciliation list is every row that is not ``sold``.
"""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from canteen.auth.models import User
    from canteen.canteens.models import Canteen
    from canteen.checkout.models import Meal
    from canteen.diners.models import Diner

OUTCOMES = ("sold", "reconciled", "refused")


class OfflineSale(Model):
    """One sale made offline and sent to the server; never edited once written."""

    id = fields.BigIntField(primary_key=True)
    key = fields.CharField(max_length=64, unique=True)
    """The key the counter made at the scan (also the sale's Idempotency-Key)."""
    canteen: fields.ForeignKeyRelation["Canteen"] = fields.ForeignKeyField(
        "models.Canteen", related_name="offline_sales", on_delete=fields.RESTRICT
    )
    canteen_id: int
    sold_by: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="offline_sales", on_delete=fields.RESTRICT
    )
    sold_by_id: int
    diner: fields.ForeignKeyNullableRelation["Diner"] = fields.ForeignKeyField(
        "models.Diner", related_name="offline_sales", null=True, on_delete=fields.RESTRICT
    )
    """Who the counter sold to, when the server knows the card; empty for a forged one."""
    diner_id: int | None
    meal: fields.ForeignKeyNullableRelation["Meal"] = fields.ForeignKeyField(
        "models.Meal", related_name="offline_sale", null=True, on_delete=fields.RESTRICT
    )
    """The meal recorded; empty when the sale was refused."""
    meal_id: int | None
    outcome = fields.CharField(max_length=12)
    reason = fields.CharField(max_length=40, default="")
    """Why it was not applied as sold: ``limit_used``, ``balance_short``, ``priced_differently``,
    or the refusal's error code (``card_revoked``, ``diner_inactive``, ...)."""
    payment = fields.CharField(max_length=8)
    made_at = fields.DatetimeField()
    """When the counter made the sale."""
    synced_at = fields.DatetimeField()
    snapshot_issued_at = fields.DatetimeField()
    """The snapshot the counter priced from (its signature was checked)."""
    price_fen = fields.BigIntField()
    """The price the counter sold at, in fen."""
    told_pay_fen = fields.BigIntField()
    """What the counter told the diner to pay, in fen."""
    counter_subsidy_fen = fields.BigIntField()
    """The subsidy the counter priced, in fen."""
    subsidy_fen = fields.BigIntField(default=0)
    """The subsidy public money (and the policy's own operator rules) paid, in fen."""
    paid_fen = fields.BigIntField(default=0)
    """What the diner paid: taken from the account, or the cash the counter took, in fen."""
    operator_fen = fields.BigIntField(default=0)
    """What the operator bears: the meal's ``offline_difference`` line, or for a refused sale
    what the counter did not collect, in fen."""

    class Meta:
        table = "offline_sale"
        indexes = (("canteen_id", "made_at"),)
