"""Reading accounts and paying money into them.

Every change of a balance goes through ``canteen.accounts.ledger``, the one writer of
balances; this module decides who may move money and how much, the ledger moves it.
"""

from dataclasses import dataclass

from tortoise.transactions import in_transaction

from canteen import clock
from canteen.accounts import ledger as balances
from canteen.accounts.models import Account, LedgerEntry, Topup, account_of
from canteen.audit import service as audit
from canteen.diners import service as diners
from canteen.errors import DinerInactive, InvalidAmount, InvalidInput
from canteen.pagination import Page, after_cursor, page_of
from canteen.roles import Actor, require

MAX_TOPUP_FEN = 500_000
"""5,000 yuan: the most one counter top-up may bring (a larger one is surely a typo)."""
COUNTER_METHODS = ("cash", "transfer")
MAX_LOW_BALANCE_FEN = 100_000
"""1,000 yuan: a warning threshold above that is surely fen typed for yuan."""


@dataclass(frozen=True)
class Credited:
    """A top-up and the balance it left, which the counter and the payer are shown."""

    topup: Topup
    balance_after_fen: int


async def get_account(actor: Actor, diner_id: int) -> Account:
    require(actor, "accounts.read")
    diner = await diners.get_diner(actor, diner_id)
    return account_of(diner)


async def top_up(
    actor: Actor, diner_id: int, *, amount_fen: int, method: str, reference: str = ""
) -> Credited:
    """Money received at the counter: credit the account and append a ``topup`` entry."""
    require(actor, "accounts.topup")
    if not 1 <= amount_fen <= MAX_TOPUP_FEN:
        raise InvalidAmount.on("amount_fen", f"must be 1 to {MAX_TOPUP_FEN} fen")
    if method not in COUNTER_METHODS:
        raise InvalidInput.on("method", f"one of {', '.join(COUNTER_METHODS)}")
    diner = await diners.get_diner(actor, diner_id)
    if diner.status == "deceased":
        raise DinerInactive(f"Diner {diner_id} is recorded as deceased; no money is taken.")
    async with in_transaction():
        return await credit(
            account_of(diner).id,
            amount_fen,
            method=method,
            reference=reference,
            received_by_id=actor.user_id,
        )


async def credit(
    account_id: int, amount_fen: int, *, method: str, reference: str, received_by_id: int | None
) -> Credited:
    """Pay money in: the balance rises and a ``topup`` entry is appended, in the caller's
    transaction (a counter top-up's own, or an online payment's with its intent's change)."""
    topup = await Topup.create(
        account_id=account_id,
        amount_fen=amount_fen,
        method=method,
        reference=reference,
        received_by_id=received_by_id,
        at=clock.now(),
    )
    entry = await balances.credit(account_id, amount_fen, kind="topup", topup_id=topup.id)
    return Credited(topup, entry.balance_after_fen)


REFUND_METHODS = ("cash", "transfer")
MAX_ADJUSTMENT_FEN = MAX_TOPUP_FEN
"""An adjustment corrects a slip (a top-up keyed twice, a meal rung wrong): no larger than a
top-up may be."""


async def refund(
    actor: Actor, diner_id: int, *, amount_fen: int, method: str, reference: str, reason: str
) -> LedgerEntry:
    """Hand part or all of a balance back to the family (the elder moved away or died).

    The money leaves by cash or transfer (a transfer names its reference); the ledger's
    conditional debit keeps the balance from going below zero, and the audit keeps who, how,
    the reference and why. A deceased elder's balance is refunded like any other.
    """
    require(actor, "accounts.refund")
    if amount_fen < 1:
        raise InvalidAmount.on("amount_fen", "must be at least 1 fen")
    if method not in REFUND_METHODS:
        raise InvalidInput.on("method", f"one of {', '.join(REFUND_METHODS)}")
    if method == "transfer" and not reference.strip():
        raise InvalidInput.on("reference", "a transfer names its reference (the bank's number)")
    account = account_of(await diners.get_diner(actor, diner_id))
    async with in_transaction():
        entry = await balances.refund(account.id, amount_fen)
        await _audit_correction(
            actor, "account.refund", entry, method=method, reference=reference, reason=reason
        )
    return entry


async def adjust(actor: Actor, diner_id: int, *, amount_fen: int, reason: str) -> LedgerEntry:
    """An admin's signed correction of a balance, with its reason; never below zero."""
    require(actor, "accounts.adjust")
    if amount_fen == 0 or abs(amount_fen) > MAX_ADJUSTMENT_FEN:
        raise InvalidAmount.on(
            "amount_fen", f"must be -{MAX_ADJUSTMENT_FEN} to {MAX_ADJUSTMENT_FEN} fen, not 0"
        )
    account = account_of(await diners.get_diner(actor, diner_id))
    async with in_transaction():
        entry = await balances.adjust(account.id, amount_fen)
        await _audit_correction(actor, "account.adjustment", entry, reason=reason)
    return entry


async def _audit_correction(actor: Actor, action: str, entry: LedgerEntry, **why: str) -> None:
    """The audit of a correction: the balance before and after, and how and why it was made."""
    await audit.record(
        actor,
        action,
        entry,
        before={"balance_fen": entry.balance_after_fen - entry.amount_fen},
        after={
            "account_id": entry.account_id,
            "amount_fen": entry.amount_fen,
            "balance_fen": entry.balance_after_fen,
            **why,
        },
    )


async def set_low_balance(actor: Actor, diner_id: int, low_balance_fen: int) -> Account:
    """Set the balance below which the family is warned (a family user for their linked elders)."""
    require(actor, "accounts.set_threshold")
    if not 0 <= low_balance_fen <= MAX_LOW_BALANCE_FEN:
        raise InvalidAmount.on("low_balance_fen", f"must be 0 to {MAX_LOW_BALANCE_FEN} fen")
    account = account_of(await diners.get_diner(actor, diner_id))
    async with in_transaction():
        before = account.low_balance_fen
        await Account.filter(id=account.id).update(low_balance_fen=low_balance_fen)
        await audit.record(
            actor,
            "account.low_balance",
            account,
            before={"low_balance_fen": before},
            after={"low_balance_fen": low_balance_fen},
        )
    account.low_balance_fen = low_balance_fen
    return account


async def ledger(actor: Actor, diner_id: int, limit: int, cursor: str | None) -> Page[LedgerEntry]:
    """An account's entries, newest first."""
    account = await get_account(actor, diner_id)
    return await page_of(after_cursor(LedgerEntry.filter(account_id=account.id), cursor), limit)
