"""A canteen's costs and grants: the money that does not come through the counter."""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from canteen.auth.models import User
    from canteen.canteens.models import Canteen

KINDS = ("cost", "grant")
COST_CATEGORIES = ("ingredients", "labor", "rent", "utilities", "equipment", "other")
GRANT_CATEGORIES = ("operating_grant", "startup_grant", "donation", "other")
"""``operating_grant``: a recurring payment for running the canteen (运营补贴), not per meal;
``startup_grant``: a one-off for building or fitting out (建设补贴); ``donation``: charity
(慈善捐赠); ``other``: anything else paid to the operator outside the per-meal subsidies."""
CATEGORIES = {"cost": COST_CATEGORIES, "grant": GRANT_CATEGORIES}


class FinanceEntry(Model):
    """One cost paid or one grant received by a canteen, on a local date.

    Entries are only appended, never edited: a mistake is undone by a reversing entry (the
    same kind and category, the amount negated, pointing at the original through
    ``reverses``), so the sustainability report, which sums them by date, nets it out.
    """

    id = fields.IntField(primary_key=True)
    canteen: fields.ForeignKeyRelation["Canteen"] = fields.ForeignKeyField(
        "models.Canteen", related_name="finance_entries", on_delete=fields.RESTRICT
    )
    canteen_id: int
    local_date = fields.DateField()
    """The day the cost or grant belongs to, in the canteen's time zone (rent: its month's 1st)."""
    kind = fields.CharField(max_length=8)
    category = fields.CharField(max_length=32)
    amount_fen = fields.BigIntField()
    """In fen; ``kind`` says which way it goes. Positive, but negative in a reversing entry."""
    note = fields.CharField(max_length=200, default="")
    created_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="finance_entries", null=True, on_delete=fields.RESTRICT
    )
    """Empty when entered from the command line."""
    created_by_id: int | None
    created_at = fields.DatetimeField()
    reverses: fields.OneToOneNullableRelation["FinanceEntry"] = fields.OneToOneField(
        "models.FinanceEntry", related_name="reversed_by", null=True, on_delete=fields.RESTRICT
    )
    """The entry this one undoes; unique, so an entry is reversed at most once."""
    reverses_id: int | None

    class Meta:
        table = "finance_entry"
        indexes = (("canteen_id", "local_date"),)
