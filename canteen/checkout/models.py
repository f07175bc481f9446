"""Meals sold at the counter, the subsidy lines that paid for them, and the limits they used."""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from canteen.auth.models import User
    from canteen.canteens.models import Canteen, Offering
    from canteen.cards.models import Card
    from canteen.diners.models import Diner
    from canteen.policies.models import Policy

PAYMENTS = ("account", "cash")
MANUAL_REASONS = ("card_forgotten", "card_damaged", "scanner_down", "phone_unreadable", "other")
"""Why a meal was sold without a scanned card (the cashier found the elder by name or ID)."""


class Meal(Model):
    """One meal sold to one diner: its price, who paid what, and the policy that priced it."""

    id = fields.BigIntField(primary_key=True)
    canteen: fields.ForeignKeyRelation["Canteen"] = fields.ForeignKeyField(
        "models.Canteen", related_name="meals", on_delete=fields.RESTRICT
    )
    canteen_id: int
    diner: fields.ForeignKeyRelation["Diner"] = fields.ForeignKeyField(
        "models.Diner", related_name="meals", on_delete=fields.RESTRICT
    )
    diner_id: int
    card: fields.ForeignKeyNullableRelation["Card"] = fields.ForeignKeyField(
        "models.Card", related_name="meals", null=True, on_delete=fields.RESTRICT
    )
    """The card scanned; empty for a manual sale."""
    card_id: int | None
    offering: fields.ForeignKeyNullableRelation["Offering"] = fields.ForeignKeyField(
        "models.Offering", related_name="meals", null=True, on_delete=fields.RESTRICT
    )
    offering_id: int | None
    policy: fields.ForeignKeyNullableRelation["Policy"] = fields.ForeignKeyField(
        "models.Policy", related_name="meals", null=True, on_delete=fields.RESTRICT
    )
    """The policy version that priced it; empty when none was in force."""
    policy_id: int | None
    meal_type = fields.CharField(max_length=16)
    price_fen = fields.BigIntField()
    subsidy_fen = fields.BigIntField()
    """What the funders' discounts took off the price."""
    pay_fen = fields.BigIntField()
    """What the diner paid: ``price_fen - subsidy_fen``."""
    operator_subsidy_fen = fields.BigIntField(default=0)
    """What funders pay the canteen on top, for serving this meal."""
    payment = fields.CharField(max_length=8)
    local_date = fields.DateField()
    """The day in the canteen's time zone: limits, claims and reports count by it."""
    at = fields.DatetimeField()
    sold_by: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="meals_sold", on_delete=fields.RESTRICT
    )
    sold_by_id: int
    manual_reason = fields.CharField(max_length=32, null=True)
    voided_at = fields.DatetimeField(null=True)
    voided_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="meals_voided", null=True, on_delete=fields.RESTRICT
    )
    voided_by_id: int | None
    void_reason = fields.CharField(max_length=200, null=True)
    # Typed as any model: orders sit above the checkout that hands them over, so this module
    # does not import theirs (no code follows the relation, only order_id).
    order: fields.ForeignKeyNullableRelation[Model] = fields.ForeignKeyField(
        "models.Order", related_name="meals", null=True, on_delete=fields.RESTRICT
    )
    """The order ahead this sale handed over; empty for a walk-in."""
    order_id: int | None
    lines: fields.ReverseRelation["SubsidyLine"]
    """What each rule took off this meal (``SubsidyLine.meal``)."""

    class Meta:
        table = "meal"
        indexes = (("canteen_id", "local_date"), ("diner_id", "local_date"))


class SubsidyLine(Model):
    """One rule's share of one meal: what that funder owes, kept so a claim can be re-derived."""

    id = fields.BigIntField(primary_key=True)
    meal: fields.ForeignKeyRelation["Meal"] = fields.ForeignKeyField(
        "models.Meal", related_name="lines", on_delete=fields.RESTRICT
    )
    meal_id: int
    rule = fields.CharField(max_length=40)
    label = fields.CharField(max_length=100)
    funder = fields.CharField(max_length=16)
    amount_fen = fields.BigIntField()
    pays = fields.CharField(max_length=8)
    """``diner`` (lowered the price) or ``operator`` (paid to the canteen on top)."""

    class Meta:
        table = "subsidy_line"
        indexes = (("meal_id",),)


class LimitUse(Model):
    """One slot of a rule's daily or monthly limit, taken by one meal.

    The unique (diner, rule, period, slot) is what makes two counters scanning one card at
    the same instant unable to both take the last subsidised meal: the second insert collides,
    its sale is retried and re-priced. A void deletes the meal's slots, freeing the limit.
    """

    id = fields.BigIntField(primary_key=True)
    diner: fields.ForeignKeyRelation["Diner"] = fields.ForeignKeyField(
        "models.Diner", related_name="limit_uses", on_delete=fields.RESTRICT
    )
    diner_id: int
    rule = fields.CharField(max_length=40)
    period = fields.CharField(max_length=10)
    """``2026-11-23`` for a daily limit, ``2026-11`` for a monthly one."""
    slot = fields.SmallIntField()
    meal: fields.ForeignKeyRelation["Meal"] = fields.ForeignKeyField(
        "models.Meal", related_name="limit_uses", on_delete=fields.RESTRICT
    )
    meal_id: int

    class Meta:
        table = "limit_use"
        unique_together = (("diner", "rule", "period", "slot"),)
        indexes = (("meal_id",),)
