"""Subsidy claims: the daily roll-up they are drawn from, the claims, and their adjustments.

``ClaimDay`` is kept in the sale's and the void's own transaction (see ``rollup.py``), so a
month's claim reads a few thousand roll-up rows instead of a million subsidy lines. A claim is
drafted, submitted (its figures frozen), approved and marked paid; a meal of a submitted month
voided later becomes a ``ClaimAdjustment`` carried by that funder's next claim.

``ClaimPeriod`` is the row every draft of one (month, funder) writes first, so that two drafts
whose canteens overlap (all of them, and one) are decided one after the other. ``ClaimPayment``
is the append-only record of the money received: a wrong entry is undone by a reversing one.
"""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from canteen.auth.models import User
    from canteen.canteens.models import Canteen
    from canteen.checkout.models import Meal, SubsidyLine

STATUSES = ("draft", "submitted", "approved", "paid")
FROZEN = ("submitted", "approved", "paid")
"""The statuses whose figures no longer change."""
ALL_CANTEENS = "all"


class ClaimDay(Model):
    """What one rule of one funder paid at one canteen on one local day, over the live meals.

    ``meals`` counts the meals that have a line of this rule. A meal with several lines of one
    funder (or several funders) counts once in ``funder_meals`` (``all_meals``): on the first
    of its lines in (funder, rule, pays) order. So summing ``funder_meals`` over a funder's rows
    counts that funder's meals, and summing ``all_meals`` counts the subsidised meals, exactly.
    """

    id = fields.BigIntField(primary_key=True)
    canteen: fields.ForeignKeyRelation["Canteen"] = fields.ForeignKeyField(
        "models.Canteen", related_name="claim_days", on_delete=fields.RESTRICT
    )
    canteen_id: int
    local_date = fields.DateField()
    funder = fields.CharField(max_length=16)
    rule = fields.CharField(max_length=40)
    pays = fields.CharField(max_length=8)
    """``diner`` (lowered the price) or ``operator`` (paid to the canteen on top)."""
    meals = fields.IntField(default=0)
    funder_meals = fields.IntField(default=0)
    all_meals = fields.IntField(default=0)
    subsidy_fen = fields.BigIntField(default=0)
    """The sum of the live meals' lines of this rule, in fen."""

    class Meta:
        table = "claim_day"
        unique_together = (("canteen", "local_date", "funder", "rule", "pays"),)
        indexes = (("local_date", "funder"),)


class Claim(Model):
    """One funder's claim for one month, for one canteen or for all of them.

    Figures (``meals`` .. ``claimed_fen``, ``rows``) are empty while a draft (they are computed
    live) and frozen at submission. ``scope`` is ``all`` or the canteen's id, so that one
    (month, funder, scope) can be claimed only once.
    """

    id = fields.IntField(primary_key=True)
    month = fields.CharField(max_length=7)
    """``2026-10``: the local month whose meals are claimed."""
    funder = fields.CharField(max_length=16)
    canteen: fields.ForeignKeyNullableRelation["Canteen"] = fields.ForeignKeyField(
        "models.Canteen", related_name="claims", null=True, on_delete=fields.RESTRICT
    )
    """Empty: every canteen."""
    canteen_id: int | None
    scope = fields.CharField(max_length=16)
    status = fields.CharField(max_length=12, default="draft")
    meals = fields.IntField(null=True)
    subsidy_fen = fields.BigIntField(null=True)
    """The month's live lines of this funder at submission, in fen."""
    adjustment_fen = fields.BigIntField(null=True)
    """The adjustments this claim carries (negative: subsidies withdrawn by late voids)."""
    claimed_fen = fields.BigIntField(null=True)
    """What the funder is asked to pay: ``subsidy_fen + adjustment_fen``."""
    rows: list[dict] | None = fields.JSONField(null=True)
    """The frozen breakdown by canteen, rule and pays."""
    created_at = fields.DatetimeField()
    created_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="claims_drafted", null=True, on_delete=fields.RESTRICT
    )
    created_by_id: int | None
    submitted_at = fields.DatetimeField(null=True)
    submitted_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="claims_submitted", null=True, on_delete=fields.RESTRICT
    )
    submitted_by_id: int | None
    approved_at = fields.DatetimeField(null=True)
    approved_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="claims_approved", null=True, on_delete=fields.RESTRICT
    )
    approved_by_id: int | None
    paid_amount_fen = fields.BigIntField(null=True)
    """What the funder actually paid, in fen (it may pay less than claimed): the claim's
    payment entry that is not reversed (``ClaimPayment``), kept here for reading."""
    paid_on = fields.DateField(null=True)
    paid_recorded_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="claims_marked_paid", null=True, on_delete=fields.RESTRICT
    )
    paid_recorded_by_id: int | None

    class Meta:
        table = "claim"
        unique_together = (("month", "funder", "scope"),)


class ClaimAdjustment(Model):
    """A subsidy line of a claimed (frozen) month withdrawn later by a void.

    Raised in the void's transaction against the frozen claim that counted it
    (``source_claim``); ``claim`` is empty until the funder's next claim is submitted and
    carries it. One line is adjusted at most once.
    """

    id = fields.IntField(primary_key=True)
    line: fields.OneToOneRelation["SubsidyLine"] = fields.OneToOneField(
        "models.SubsidyLine", related_name="claim_adjustment", on_delete=fields.RESTRICT
    )
    line_id: int
    meal: fields.ForeignKeyRelation["Meal"] = fields.ForeignKeyField(
        "models.Meal", related_name="claim_adjustments", on_delete=fields.RESTRICT
    )
    meal_id: int
    source_claim: fields.ForeignKeyRelation["Claim"] = fields.ForeignKeyField(
        "models.Claim", related_name="raised_adjustments", on_delete=fields.RESTRICT
    )
    source_claim_id: int
    claim: fields.ForeignKeyNullableRelation["Claim"] = fields.ForeignKeyField(
        "models.Claim", related_name="adjustments", null=True, on_delete=fields.RESTRICT
    )
    claim_id: int | None
    funder = fields.CharField(max_length=16)
    rule = fields.CharField(max_length=40)
    pays = fields.CharField(max_length=8)
    amount_fen = fields.BigIntField()
    """Signed, in fen: a void withdraws the line's amount (negative)."""
    reason = fields.CharField(max_length=16, default="void")
    created_at = fields.DatetimeField()

    class Meta:
        table = "claim_adjustment"


class ClaimPeriod(Model):
    """One funder's month, written first by every draft of it (a lock row, never deleted).

    A draft upserts this row before it looks for the claims already covering its canteens:
    PostgreSQL then holds the row's lock until the draft commits, SQLite its write lock, so a
    second draft of the same (month, funder) sees the first one's claim, whatever the timing.
    """

    id = fields.IntField(primary_key=True)
    month = fields.CharField(max_length=7)
    funder = fields.CharField(max_length=16)
    last_drafted_at = fields.DatetimeField()

    class Meta:
        table = "claim_period"
        unique_together = (("month", "funder"),)


PAYMENT_KINDS = ("payment", "reversal")


class ClaimPayment(Model):
    """Money received for a claim, or the reversal of such an entry; never edited.

    A ``payment`` records the amount and day; ``claimed_fen`` is what the claim asked for at
    that moment, so a short or over payment (``amount_fen - claimed_fen``) stays visible, and
    ``confirmed`` says the difference was confirmed by whoever recorded it. A ``reversal``
    takes one payment back (its amount negated, with a reason); the claim is then approved and
    awaits the right amount again.
    """

    id = fields.IntField(primary_key=True)
    claim: fields.ForeignKeyRelation["Claim"] = fields.ForeignKeyField(
        "models.Claim", related_name="payments", on_delete=fields.RESTRICT
    )
    claim_id: int
    kind = fields.CharField(max_length=8)
    amount_fen = fields.BigIntField()
    """Signed, in fen: a payment is >= 0, its reversal the same amount negated."""
    claimed_fen = fields.BigIntField()
    """The claim's ``claimed_fen`` when the entry was recorded, in fen."""
    paid_on = fields.DateField()
    confirmed = fields.BooleanField(default=False)
    """A payment whose amount differs from ``claimed_fen`` was confirmed as such."""
    reverses: fields.OneToOneNullableRelation["ClaimPayment"] = fields.OneToOneField(
        "models.ClaimPayment", related_name="reversed_by", null=True, on_delete=fields.RESTRICT
    )
    reverses_id: int | None
    reason = fields.CharField(max_length=200, default="")
    recorded_at = fields.DatetimeField()
    recorded_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="claim_payments", null=True, on_delete=fields.RESTRICT
    )
    recorded_by_id: int | None

    class Meta:
        table = "claim_payment"
