"""The one writer of balances: nothing else in the code changes an account's balance.

Every movement is one statement and one appended entry, in the caller's transaction:

1. ``UPDATE account SET balance = balance + amount WHERE id = ? AND balance + amount >= 0
   RETURNING balance``: the balance moves and is checked in the database's own row, so two
   movements at the same instant cannot both take the last fen (and no read-then-write);
2. no row back means the account cannot pay: ``InsufficientBalance`` with the shortfall, and
   the caller's transaction rolls back whatever it did before;
3. the ledger entry is appended with its reason (``kind``) and the balance the UPDATE returned.

So ``balance == sum(entries)`` and ``balance >= 0`` (``canteen.accounts.invariants``) hold
by construction here, and the schema's CHECK refuses a negative balance even if they did not.

>>> async with in_transaction():
...     entry = await ledger.debit(account_id, 1000, kind="meal", meal_id=meal.id)
>>> entry.balance_after_fen
"""

from datetime import datetime
from functools import cache
from typing import Literal

from canteen import clock, rawsql
from canteen.accounts.models import Account, LedgerEntry
from canteen.errors import InsufficientBalance

Kind = Literal["topup", "meal", "void", "refund", "adjustment"]

_MOVE = (
    'UPDATE "account" SET "balance_fen" = "balance_fen" + :amount'
    ' WHERE "id" = :account AND "balance_fen" + :amount >= 0 RETURNING "balance_fen"'
)
_BALANCE = 'SELECT "balance_fen" FROM "account" WHERE "id" = :account'


@cache
def _move_and_append(columns: tuple[str, ...]) -> str:
    """PostgreSQL: the move and its entry in one statement (one round trip, not two); the
    entry is appended only when the UPDATE moved the balance, with the balance it returned."""
    names = ", ".join(f'"{c}"' for c in columns)
    picked = ", ".join('"balance_fen"' if c == "balance_after_fen" else f":{c}" for c in columns)
    return (
        f'WITH "moved" AS ({_MOVE}) INSERT INTO "ledger_entry" ({names})'  # noqa: S608
        f' SELECT {picked} FROM "moved" RETURNING "id", "balance_after_fen"'
    )


async def _move(
    account_id: int,
    amount_fen: int,
    kind: Kind,
    *,
    at: datetime | None = None,
    meal_id: int | None = None,
    topup_id: int | None = None,
) -> LedgerEntry:
    """Move the balance by a signed amount and append the entry that says why.

    Hand-written, for every sale pays through here: on PostgreSQL the move and the entry
    are one statement; SQLite (no UPDATE inside a WITH) takes two. Nothing is read back.
    """
    conn = Account._meta.db
    entry = rawsql.row_of(
        LedgerEntry,
        {
            "account_id": account_id,
            "kind": kind,
            "amount_fen": amount_fen,
            "balance_after_fen": None,
            "meal_id": meal_id,
            "topup_id": topup_id,
            "at": at or clock.now(),
        },
    )
    moved = {"amount": amount_fen, "account": account_id}
    in_one = rawsql.dialect(conn) == "postgres"
    if in_one:
        rows = await rawsql.returning(conn, _move_and_append(tuple(entry)), moved | entry)
    else:
        rows = await rawsql.returning(conn, _MOVE, moved)
    if not rows:
        balance = await rawsql.fetch(conn, _BALANCE, {"account": account_id})
        raise InsufficientBalance(shortfall_fen=-amount_fen - int(balance[0][0]))
    if in_one:
        new_id, entry["balance_after_fen"] = int(rows[0][0]), int(rows[0][1])
    else:
        entry["balance_after_fen"] = int(rows[0][0])
        [new_id] = await rawsql.insert(conn, "ledger_entry", list(entry), [list(entry.values())])
    return rawsql.from_row(LedgerEntry, new_id, entry)


async def debit(
    account_id: int, amount_fen: int, *, meal_id: int, at: datetime | None = None
) -> LedgerEntry:
    """A meal paid from the account; ``InsufficientBalance`` (nothing moved) when it cannot."""
    _positive(amount_fen)
    return await _move(account_id, -amount_fen, "meal", meal_id=meal_id, at=at)


async def credit(
    account_id: int,
    amount_fen: int,
    *,
    kind: Literal["topup", "void"],
    topup_id: int | None = None,
    meal_id: int | None = None,
) -> LedgerEntry:
    """Money paid in: a top-up (counter or online), or a voided meal's share given back."""
    _positive(amount_fen)
    return await _move(account_id, amount_fen, kind, topup_id=topup_id, meal_id=meal_id)


async def refund(account_id: int, amount_fen: int) -> LedgerEntry:
    """Money handed back to the family out of the account; never below zero."""
    _positive(amount_fen)
    return await _move(account_id, -amount_fen, "refund")


async def adjust(account_id: int, amount_fen: int) -> LedgerEntry:
    """A signed correction of the balance by an admin; never below zero."""
    if amount_fen == 0:
        raise ValueError("an adjustment moves money")
    return await _move(account_id, amount_fen, "adjustment")


def _positive(amount_fen: int) -> None:
    if amount_fen <= 0:
        raise ValueError(f"a movement of {amount_fen} fen: callers pass the size, kind the sign")
