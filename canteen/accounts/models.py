"""Prepaid accounts and their append-only ledger.

Invariant (checked by ``canteen check-ledger``): for every account,
``balance_fen == sum(entry.amount_fen)`` and ``balance_fen >= 0``. The balance is a cached sum,
changed only by ``canteen.accounts.ledger`` in the transaction that appends the entry; the
schema's CHECK constraints (written in the first migration) refuse a negative balance even if
code went wrong.
"""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from canteen.auth.models import User
    from canteen.diners.models import Diner

LEDGER_KINDS = ("topup", "meal", "void", "refund", "adjustment")
TOPUP_METHODS = ("cash", "transfer", "online")


class Account(Model):
    """A diner's one prepaid meal account."""

    id = fields.IntField(primary_key=True)
    diner: fields.OneToOneRelation["Diner"] = fields.OneToOneField(
        "models.Diner", related_name="account", on_delete=fields.RESTRICT
    )
    diner_id: int
    balance_fen = fields.BigIntField(default=0)
    """Cached sum of this account's ledger entries, in fen; never negative."""
    low_balance_fen = fields.BigIntField(default=2000)
    """Below this the counter and the family are warned (default 20 yuan, about two meals)."""
    created_at = fields.DatetimeField()

    class Meta:
        table = "account"


def account_of(diner: "Diner") -> Account:
    """The diner's account, read with the diner: by ``select_related("account")`` (the diners'
    service reads every diner so) or by the counter's joined read of card, diner and account
    (``canteen.rawsql.attach``); it costs no query.

    Typed here, not as an annotation on ``Diner``: that would make diners import the accounts
    that sit above them. Both reads keep the account where Tortoise's reverse relation
    ``diner.account`` looks for it, so this reads the same object without the lazy query the
    relation would build for a diner read without it: that is a bug in the caller, refused here.
    """
    account = getattr(diner, "_account", None)
    if not isinstance(account, Account):
        raise RuntimeError(f"no account was read with diner {diner.id}")
    return account


class Topup(Model):
    """Money paid into an account: at the counter (cash, transfer) or online."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation["Account"] = fields.ForeignKeyField(
        "models.Account", related_name="topups", on_delete=fields.RESTRICT
    )
    account_id: int
    amount_fen = fields.BigIntField()
    method = fields.CharField(max_length=16)
    reference = fields.CharField(max_length=128, default="")
    """The receipt or transfer number, for reconciliation."""
    received_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="topups_received", null=True, on_delete=fields.RESTRICT
    )
    received_by_id: int | None
    at = fields.DatetimeField()

    class Meta:
        table = "topup"


class LedgerEntry(Model):
    """One movement of money in an account; never updated, never deleted."""

    id = fields.BigIntField(primary_key=True)
    account: fields.ForeignKeyRelation["Account"] = fields.ForeignKeyField(
        "models.Account", related_name="entries", on_delete=fields.RESTRICT
    )
    account_id: int
    # Why the money moved: topup, meal, void, refund (handed back to the family) or adjustment
    # (an admin's correction); the audit holds a correction's method, reference and reason.
    kind = fields.CharField(max_length=16)
    amount_fen = fields.BigIntField()
    """Signed, in fen: positive pays in, negative pays out."""
    balance_after_fen = fields.BigIntField()
    topup: fields.ForeignKeyNullableRelation["Topup"] = fields.ForeignKeyField(
        "models.Topup", related_name="entries", null=True, on_delete=fields.RESTRICT
    )
    topup_id: int | None
    at = fields.DatetimeField()
    # Typed as any model: the ledger sits below the checkout that pays for meals through it, so
    # it does not import the meals' module (no code follows the relation, only meal_id).
    meal: fields.ForeignKeyNullableRelation[Model] = fields.ForeignKeyField(
        "models.Meal", related_name="entries", null=True, on_delete=fields.RESTRICT
    )
    """The meal paid for (``meal``) or refunded (``void``)."""
    meal_id: int | None

    class Meta:
        table = "ledger_entry"
        indexes = (("account_id", "id"),)
