"""Reading accounts and paying money into them.

Every change of a balance goes through ``canteen.accounts.ledger``, the one writer of
balances; this module decides who may move money and how much, the ledger moves it.
"""

from tortoise.transactions import in_transaction

from canteen import clock
from canteen.accounts import ledger as balances
from canteen.accounts.models import Account, LedgerEntry, Topup
from canteen.audit import service as audit
from canteen.auth.roles import Actor, require
from canteen.diners import service as diners
from canteen.errors import DinerInactive, InvalidAmount, InvalidInput
from canteen.pagination import Page, after_cursor, page_of

MAX_TOPUP_FEN = 500_000
"""5,000 yuan: the most one counter top-up may bring (a larger one is surely a typo)."""
COUNTER_METHODS = ("cash", "transfer")
MAX_LOW_BALANCE_FEN = 100_000
"""1,000 yuan: a warning threshold above that is surely fen typed for yuan."""


async def get_account(actor: Actor, diner_id: int) -> Account:
    require(actor, "accounts.read")
    diner = await diners.get_diner(actor, diner_id)
    return diner.account


async def top_up(
    actor: Actor, diner_id: int, *, amount_fen: int, method: str, reference: str = ""
) -> Topup:
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
            diner.account.id,
            amount_fen,
            method=method,
            reference=reference,
            received_by_id=actor.user_id,
        )


async def credit(
    account_id: int, amount_fen: int, *, method: str, reference: str, received_by_id: int | None
) -> Topup:
    """Pay money in: the balance rises and a ``topup`` entry is appended, in the caller's
    transaction (a counter top-up's own, or an online payment's with its intent's change).

    The returned top-up carries ``balance_after_fen``.
    """
    topup = await Topup.create(
        account_id=account_id,
        amount_fen=amount_fen,
        method=method,
        reference=reference,
        received_by_id=received_by_id,
        at=clock.now(),
    )
    entry = await balances.credit(account_id, amount_fen, kind="topup", topup_id=topup.id)
    topup.balance_after_fen = entry.balance_after_fen  # type: ignore[attr-defined]
    return topup


async def set_low_balance(actor: Actor, diner_id: int, low_balance_fen: int) -> Account:
    """Set the balance below which the family is warned (a family user for their linked elders)."""
    require(actor, "accounts.set_threshold")
    if not 0 <= low_balance_fen <= MAX_LOW_BALANCE_FEN:
        raise InvalidAmount.on("low_balance_fen", f"must be 0 to {MAX_LOW_BALANCE_FEN} fen")
    account = (await diners.get_diner(actor, diner_id)).account
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
