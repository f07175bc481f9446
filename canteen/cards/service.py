"""Issuing, revoking, finding and resolving meal cards.

A diner holds at most one live card (a partial unique index says so in the schema). Issuing
a card revokes the live one in the same transaction, with the diner's row locked, so two
clerks pressing "issue" at once end with one live card, not an error or two cards.
The QR payload is derived from the card id and the server key (``canteen.cards.token``),
never stored: a copy of the database alone cannot make cards.
"""

from datetime import datetime
from functools import cache
from typing import Any

from tortoise.transactions import in_transaction

from canteen import clock, rawsql
from canteen.accounts.models import Account
from canteen.audit import service as audit
from canteen.canteens.models import Canteen
from canteen.cards import token
from canteen.cards.models import Card
from canteen.cards.printing import CardFace
from canteen.config import derive_key, get_settings
from canteen.diners import service as diners
from canteen.diners.models import Diner
from canteen.errors import CardInvalid, CardRevoked, DinerInactive, InvalidInput, NotFound
from canteen.pagination import Page, after_cursor, page_of
from canteen.roles import Actor, require

REVOKE_REASONS = ("lost", "damaged", "withdrawn", "other")
"""What a person may give as the reason; ``reissued`` is written only by ``issue``."""
GENERIC_TITLE = "长者助餐卡"
"""Printed where a diner has no home canteen."""


def card_key() -> bytes:
    return derive_key(token.KEY_PURPOSE)


def payload_of(card: Card) -> str:
    """The text in the card's QR code."""
    return token.encode(card.id, card_key())


def url_of(card: Card) -> str:
    """The card's URL form (``qr_url``): ``<CANTEEN_PUBLIC_URL>/q/<qr_payload>``."""
    return token.url_of(payload_of(card), get_settings().public_url)


def _serial(diner_id: int, edition: int) -> str:
    """``MC000042-3``: diner 42's third card. Read out on the phone, it tells the office whose
    card it is and whether it is the newest one."""
    return f"MC{diner_id:06d}-{edition}"


async def issue(actor: Actor, diner_id: int) -> Card:
    """Give the diner a new card; their live card, if any, is revoked as ``reissued``."""
    require(actor, "cards.issue")
    now = clock.now()
    async with in_transaction():
        diner = await Diner.filter(id=diner_id).select_for_update().first()
        if diner is None:
            raise NotFound(f"No diner {diner_id}.")
        if diner.status == "deceased":
            raise DinerInactive(f"Diner {diner_id} is recorded as deceased; no card is issued.")
        for old in await Card.filter(diner_id=diner_id, revoked_at=None):
            await _revoke(actor, old, "reissued", now)
        edition = await Card.filter(diner_id=diner_id).count() + 1
        card = await Card.create(
            diner_id=diner_id,
            serial=_serial(diner_id, edition),
            issued_at=now,
            issued_by_id=actor.user_id,
        )
        await audit.record(actor, "card.issue", card, after=_audited(card))
    return card


async def revoke(actor: Actor, card_id: int, reason: str) -> Card:
    """Stop a card from working (lost, damaged, withdrawn); it cannot be brought back."""
    require(actor, "cards.revoke")
    if reason not in REVOKE_REASONS:
        raise InvalidInput.on("reason", f"one of {', '.join(REVOKE_REASONS)}")
    async with in_transaction():
        card = await Card.filter(id=card_id).select_for_update().first()
        if card is None or not await diners.in_reach(actor, card.diner_id):
            raise NotFound(f"No card {card_id}.")
        if card.revoked_at is not None:
            raise _revoked(card)
        await _revoke(actor, card, reason, clock.now())
    return card


async def _revoke(actor: Actor, card: Card, reason: str, at: datetime) -> None:
    """Mark ``card`` revoked, if nobody did meanwhile, and audit it (inside a transaction)."""
    changed = await Card.filter(id=card.id, revoked_at=None).update(
        revoked_at=at, revoke_reason=reason
    )
    if not changed:
        raise _revoked(await Card.get(id=card.id))
    card.revoked_at, card.revoke_reason = at, reason
    before = {"revoked_at": None, "revoke_reason": None}
    await audit.record(actor, "card.revoke", card, before=before, after=_audited(card))


def _audited(card: Card) -> dict[str, Any]:
    return {
        "diner_id": card.diner_id,
        "serial": card.serial,
        "revoked_at": card.revoked_at.isoformat() if card.revoked_at else None,
        "revoke_reason": card.revoke_reason,
    }


def _revoked(card: Card) -> CardRevoked:
    when = f" on {card.revoked_at:%Y-%m-%d}" if card.revoked_at else ""
    return CardRevoked(f"Card {card.serial} was revoked ({card.revoke_reason}){when}.")


async def get(actor: Actor, card_id: int) -> Card:
    """One card, live or revoked, of a diner in the actor's reach (else 404)."""
    require(actor, "cards.read")
    card = await Card.get_or_none(id=card_id)
    if card is None or not await diners.in_reach(actor, card.diner_id):
        raise NotFound(f"No card {card_id}.")
    return card


async def get_live(actor: Actor, card_id: int) -> Card:
    """A card whose QR code may be shown or printed: a revoked one would be refused anyway."""
    card = await get(actor, card_id)
    if card.revoked_at is not None:
        raise _revoked(card)
    return card


async def list_for_diner(actor: Actor, diner_id: int, limit: int, cursor: str | None) -> Page[Card]:
    """A diner's cards, newest first (the live one, if any, comes first)."""
    require(actor, "cards.read")
    await diners.get_diner(actor, diner_id)
    return await page_of(after_cursor(Card.filter(diner_id=diner_id), cursor), limit)


async def resolve(payload: str, *, lock_account: bool = False) -> tuple[Card, Diner]:
    """The card scanned at the counter and its diner, with the diner's account loaded in the
    same read (``diner.account``: the quote shows the balance; one round trip, not two).

    ``lock_account``, inside a sale's transaction: the account's row is locked by the same
    read (on PostgreSQL; SQLite's transaction holds the whole database), the sale's first
    statement, instead of a read of its own.

    ``card_invalid`` for anything we did not issue (or whose card no longer exists),
    ``card_revoked`` for a card that was revoked. The caller has authorised the counter.
    """
    card_id = token.decode(payload, card_key())
    found = await _card_read('"c"."id" = :key', card_id, lock_account)
    if found is None:
        raise CardInvalid.on("card", "no such card")
    card, diner = found
    if card.revoked_at is not None:
        raise _revoked(card)
    return card, diner


async def resolve_serial(serial: str) -> tuple[Card, Diner]:
    """The card whose printed serial the cashier typed in, when it would not scan.

    A serial is printed in plain sight, so it names a card but proves nothing: the sale that
    uses it is one without the card (the elder's answer, the caps). ``card_invalid`` on
    ``card_serial`` when no card has it, ``card_revoked`` for a revoked one.
    """
    typed = "".join(serial.split()).upper()
    found = await _card_read('"c"."serial" = :key', typed)
    if found is None:
        raise CardInvalid.on("card_serial", "no card has this serial")
    card, diner = found
    if card.revoked_at is not None:
        raise _revoked(card)
    return card, diner


@cache
def _card_sql(where: str, lock: str) -> str:
    """``lock``: ``FOR UPDATE OF "a"`` on PostgreSQL, which locks only the outer join's
    matched side, so the account is joined inner (every diner has one from enrolment)."""
    join = "JOIN" if lock else "LEFT JOIN"
    return (
        f"SELECT {rawsql.selected(Card, 'c')}, {rawsql.selected(Diner, 'd')},"  # noqa: S608
        f" {rawsql.selected(Account, 'a')}"
        ' FROM "card" "c" JOIN "diner" "d" ON "d"."id" = "c"."diner_id"'
        f' {join} "account" "a" ON "a"."diner_id" = "d"."id"'
        f" WHERE {where}{lock}"
    )


async def _card_read(
    where: str, key: int | str, lock_account: bool = False
) -> tuple[Card, Diner] | None:
    """A card, its diner and the diner's account in one hand-written statement (every scan
    at the counter makes it: through the ORM's ``select_related`` it cost more CPU than the
    rest of the quote's statements), as the same models the ORM would make."""
    conn = Card._meta.db
    locked = lock_account and rawsql.dialect(conn) == "postgres"
    sql = _card_sql(where, ' FOR UPDATE OF "a"' if locked else "")
    rows = await rawsql.fetch(conn, sql, {"key": key})
    if not rows:
        return None
    row = rows[0]
    cut = len(rawsql.db_columns(Card))
    cut2 = cut + len(rawsql.db_columns(Diner))
    card = rawsql.instance(Card, row[:cut])
    diner = rawsql.instance(Diner, row[cut:cut2])
    account = rawsql.instance(Account, row[cut2:]) if row[cut2] is not None else None
    rawsql.attach(card, "diner", diner)
    rawsql.attach(diner, "account", account)
    return card, diner


# --- Printing --------------------------------------------------------------------------------


async def face_of(actor: Actor, diner_id: int, card_id: int) -> CardFace:
    """What to print on the diner's live card ``card_id`` (404 if it is another diner's)."""
    await diners.get_diner(actor, diner_id)
    card = await get(actor, card_id)
    if card.diner_id != diner_id:
        raise NotFound(f"Diner {diner_id} has no card {card_id}.")
    if card.revoked_at is not None:
        raise _revoked(card)
    await card.fetch_related("diner__home_canteen")
    return _face(card, card_key(), get_settings().public_url)


async def printable(
    actor: Actor, *, diner_ids: list[int] | None = None, canteen_id: int | None = None
) -> list[CardFace]:
    """The live cards of living diners, to print in one go: by home canteen, then diner.

    ``diner_ids`` and ``canteen_id`` narrow the set (both: the listed diners of that canteen).
    """
    require(actor, "cards.read")
    if canteen_id is not None and not await Canteen.exists(id=canteen_id):
        raise NotFound(f"No canteen {canteen_id}.")
    query = Card.filter(revoked_at=None).exclude(diner__status="deceased")
    if diner_ids is not None:
        query = query.filter(diner_id__in=diner_ids)
    if canteen_id is not None:
        query = query.filter(diner__home_canteen_id=canteen_id)
    cards = await query.select_related("diner__home_canteen")
    key, public_url = card_key(), get_settings().public_url
    return [_face(card, key, public_url) for card in sorted(cards, key=_print_order)]


def _print_order(card: Card) -> tuple[bool, int, int]:
    """Each canteen's cards together (to hand out there), diners without one last."""
    canteen_id = card.diner.home_canteen_id
    return canteen_id is None, canteen_id or 0, card.diner.id


def _face(card: Card, key: bytes, public_url: str) -> CardFace:
    canteen = card.diner.home_canteen
    payload = token.encode(card.id, key)
    return CardFace(
        diner_id=card.diner.id,
        title=canteen.name if canteen else GENERIC_TITLE,
        name=card.diner.name,
        serial=card.serial,
        payload=payload,
        url=token.url_of(payload, public_url),
    )
