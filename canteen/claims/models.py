"""Subsidy claims: the daily roll-up they are drawn from, the claims, and their adjustments.

``ClaimDay`` is kept in the sale's and the void's own transaction (see ``rollup.py``), so a
month's claim reads a few thousand roll-up rows instead of a million subsidy lines. A claim is
drafted, submitted (its figures frozen), approved and marked paid; a meal of a submitted month
voided later becomes a ``ClaimAdjustment`` carried by that funder's next claim.

``ClaimPeriod`` is the row every draft of one (month, funder) writes first, so that two drafts
whose canteens overlap (all of them, and one) are decided one after the other. ``ClaimPayment``
is the append-only record of the money received: a wrong entry is undone by a reversing one.
"""

from tortoise import fields
from tortoise.models import Model

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
    canteen = fields.ForeignKeyField(
        "models.Canteen", related_name="claim_days", on_delete=fields.RESTRICT
    )
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
    canteen = fields.ForeignKeyField(
        "models.Canteen", related_name="claims", null=True, on_delete=fields.RESTRICT
    )
    """Empty: every canteen."""
    scope = fields.CharField(max_length=16)
    status = fields.CharField(max_length=12, default="draft")
    meals = fields.IntField(null=True)
    subsidy_fen = fields.BigIntField(null=True)
    """The month's live lines of this funder at submission, in fen."""
    adjustment_fen = fields.BigIntField(null=True)
    """The adjustments this claim carries (negative: subsidies withdrawn by late voids)."""
    claimed_fen = fields.BigIntField(null=True)
    """What the funder is asked to pay: ``subsidy_fen + adjustment_fen``."""
    rows: list[dict] | None = fields.JSONField(null=True)  # type: ignore[assignment]
    """The frozen breakdown by canteen, rule and pays."""
    created_at = fields.DatetimeField()
    created_by = fields.ForeignKeyField(
        "models.User", related_name="claims_drafted", null=True, on_delete=fields.RESTRICT
    )
    submitted_at = fields.DatetimeField(null=True)
    submitted_by = fields.ForeignKeyField(
        "models.User", related_name="claims_submitted", null=True, on_delete=fields.RESTRICT
    )
    approved_at = fields.DatetimeField(null=True)
    approved_by = fields.ForeignKeyField(
        "models.User", related_name="claims_approved", null=True, on_delete=fields.RESTRICT
    )
    paid_amount_fen = fields.BigIntField(null=True)
    """What the funder actually paid, in fen (it may pay less than claimed): the claim's
    payment entry that is not reversed (``ClaimPayment``), kept here for reading."""
    paid_on = fields.DateField(null=True)
    paid_recorded_by = fields.ForeignKeyField(
        "models.User", related_name="claims_marked_paid", null=True, on_delete=fields.RESTRICT
    )

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
    line = fields.OneToOneField(
        "models.SubsidyLine", related_name="claim_adjustment", on_delete=fields.RESTRICT
    )
    meal = fields.ForeignKeyField(
        "models.Meal", related_name="claim_adjustments", on_delete=fields.RESTRICT
    )
    source_claim = fields.ForeignKeyField(
        "models.Claim", related_name="raised_adjustments", on_delete=fields.RESTRICT
    )
    claim = fields.ForeignKeyField(
        "models.Claim", related_name="adjustments", null=True, on_delete=fields.RESTRICT
    )
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
    claim = fields.ForeignKeyField(
        "models.Claim", related_name="payments", on_delete=fields.RESTRICT
    )
    kind = fields.CharField(max_length=8)
    amount_fen = fields.BigIntField()
    """Signed, in fen: a payment is >= 0, its reversal the same amount negated."""
    claimed_fen = fields.BigIntField()
    """The claim's ``claimed_fen`` when the entry was recorded, in fen."""
    paid_on = fields.DateField()
    confirmed = fields.BooleanField(default=False)
    """A payment whose amount differs from ``claimed_fen`` was confirmed as such."""
    reverses = fields.OneToOneField(
        "models.ClaimPayment", related_name="reversed_by", null=True, on_delete=fields.RESTRICT
    )
    reason = fields.CharField(max_length=200, default="")
    recorded_at = fields.DatetimeField()
    recorded_by = fields.ForeignKeyField(
        "models.User", related_name="claim_payments", null=True, on_delete=fields.RESTRICT
    )

    class Meta:
        table = "claim_payment"
