"""Recording a canteen's costs and grants, and reading them back."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from canteen import clock
from canteen.audit import service as audit
from canteen.canteens.models import Canteen
from canteen.errors import AlreadyReversed, Forbidden, InvalidAmount, InvalidInput, NotFound
from canteen.finance.models import CATEGORIES, FinanceEntry
from canteen.pagination import Page, after_cursor, page_of
from canteen.roles import Actor, Role, require

MAX_AMOUNT_FEN = 100_000_000
"""One million yuan: above any single cost or grant of a community canteen (a typo guard)."""
MAX_DAYS_BACK = 3 * 366
"""Entries may be back-filled for up to three years; older ones are a typo of the year."""


async def _canteen_of(actor: Actor, canteen_id: int) -> Canteen:
    """The canteen, which a manager may touch only if it is their own."""
    canteen = await Canteen.get_or_none(id=canteen_id)
    if canteen is None:
        raise NotFound(f"No canteen {canteen_id}.")
    if actor.role == Role.MANAGER and actor.canteen_id != canteen_id:
        raise Forbidden("A manager keeps only their own canteen's books.")
    return canteen


def _check(canteen: Canteen, on: date, kind: str, category: str, amount_fen: int) -> None:
    if kind not in CATEGORIES:
        raise InvalidInput.on("kind", "cost or grant")
    if category not in CATEGORIES[kind]:
        raise InvalidInput.on("category", f"a {kind} is one of {', '.join(CATEGORIES[kind])}")
    if not 0 < amount_fen <= MAX_AMOUNT_FEN:
        raise InvalidAmount.on("amount_fen", f"must be 1 to {MAX_AMOUNT_FEN} fen")
    today = clock.today(ZoneInfo(canteen.timezone))
    if on > today:
        raise InvalidInput.on("date", f"must not be after today ({today})")
    if on < today - timedelta(days=MAX_DAYS_BACK):
        raise InvalidInput.on("date", "is more than three years ago")


async def record(
    actor: Actor,
    canteen_id: int,
    *,
    on: date,
    kind: str,
    category: str,
    amount_fen: int,
    note: str = "",
) -> FinanceEntry:
    """Append one cost or grant to a canteen's books (the command line records as ``SYSTEM``)."""
    require(actor, "finance.record")
    canteen = await _canteen_of(actor, canteen_id)
    _check(canteen, on, kind, category, amount_fen)
    async with in_transaction():
        entry = await FinanceEntry.create(
            canteen=canteen,
            local_date=on,
            kind=kind,
            category=category,
            amount_fen=amount_fen,
            note=note,
            created_by_id=actor.recorded_user_id,
            created_at=clock.now(),
        )
        after = {"canteen_id": canteen_id, "date": on.isoformat(), "kind": kind}
        after |= {"category": category, "amount_fen": amount_fen}
        await audit.record(actor, "finance.record", entry, after=after)
    return entry


async def reverse(actor: Actor, canteen_id: int, entry_id: int, *, reason: str) -> FinanceEntry:
    """Undo a cost or grant entered by mistake: a new entry, same day, kind and category,
    the amount negated, pointing at the original (never an edit); audited.

    An entry is reversed at most once, and a reversal is not reversed again (enter the entry
    anew instead): the unique ``reverses_id`` refuses a second reversal even when two arrive
    at the same instant, and the loser answers 409 ``already_reversed``.
    """
    require(actor, "finance.reverse")
    canteen = await _canteen_of(actor, canteen_id)
    original = await FinanceEntry.get_or_none(id=entry_id, canteen_id=canteen_id)
    if original is None:
        raise NotFound(f"No entry {entry_id} in canteen {canteen_id}'s books.")
    if original.reverses_id is not None:
        raise AlreadyReversed(f"Entry {entry_id} is itself a reversal; enter the entry anew.")
    try:
        async with in_transaction():
            entry = await FinanceEntry.create(
                canteen=canteen,
                local_date=original.local_date,
                kind=original.kind,
                category=original.category,
                amount_fen=-original.amount_fen,
                note=reason,
                created_by_id=actor.user_id,
                created_at=clock.now(),
                reverses=original,
            )
            await audit.record(
                actor,
                "finance.reverse",
                entry,
                before={"entry_id": original.id, "amount_fen": original.amount_fen},
                after={"reverses_id": original.id, "amount_fen": -original.amount_fen}
                | {"reason": reason},
            )
    except IntegrityError as exc:
        raise AlreadyReversed(f"Entry {entry_id} was already reversed.") from exc
    return entry


async def list_entries(
    actor: Actor,
    canteen_id: int,
    *,
    start: date | None,
    end: date | None,
    limit: int,
    cursor: str | None,
) -> Page[FinanceEntry]:
    """A canteen's entries between two local dates (both included), newest first."""
    require(actor, "finance.read")
    await _canteen_of(actor, canteen_id)
    query = FinanceEntry.filter(canteen_id=canteen_id)
    if start is not None:
        query = query.filter(local_date__gte=start)
    if end is not None:
        query = query.filter(local_date__lte=end)
    return await page_of(after_cursor(query, cursor), limit)
