"""The offline counter's three use cases: the snapshot it sells from, the batch of sales it
sends back, and the manager's reconciliation list.

The snapshot holds what pricing and the counter's screen need and nothing more: the reached
diners' display names, diet warnings and allergies, balances and today's limit usage and meals;
their valid cards (as a hash of the payload) and revoked serials; only the categories, the
disability level and the registered place that some rule asks about; no ID number, phone or
address. It is signed (HMAC, a key derived from the secret key) over its digest, issue and
expiry, and the counter sends that signature back with every sale.

A synced sale goes through checkout's one ``sell`` with its own Idempotency-Key (``offline:``
and the key made at the scan), priced at the time it was made; ``canteen.offline.settle`` says
who pays what when the server's price differs from the counter's. Sales are applied one after
another, in the order sent; each is one transaction (the sale's), and its reconciliation row is
written after it, found again by its key when the batch is sent again.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q, Subquery

from canteen import clock
from canteen.accounts.models import Account
from canteen.canteens.models import Canteen, Offering
from canteen.cards import service as cards
from canteen.cards import token
from canteen.cards.models import Card
from canteen.checkout import service as checkout
from canteen.checkout.models import LimitUse, Meal
from canteen.checkout.schemas import SaleOut
from canteen.config import derive_key, get_settings
from canteen.diners import service as diners
from canteen.diners.models import Diner
from canteen.errors import CanteenError, IdempotencyKeyReused, InvalidInput, NotFound
from canteen.idempotency.service import IdempotencyKey
from canteen.offline import settle
from canteen.offline.models import OfflineSale
from canteen.offline.schemas import (
    OfflineResult,
    OfflineSaleIn,
    SnapshotCanteen,
    SnapshotCard,
    SnapshotDiner,
    SnapshotLimits,
    SnapshotOffering,
    SnapshotOut,
    SnapshotRef,
)
from canteen.orders.models import Order
from canteen.pagination import Page, after_cursor, page_of
from canteen.policies.models import Policy
from canteen.policies.schema import PolicyDocument
from canteen.roles import Actor, Role, require

SIGNING_PURPOSE = "offline-snapshot/v1"
SEALING_PURPOSE = "offline-seal/v1"
MAX_HOURS = 72
"""However the setting reads, a counter sells on account from one snapshot for 72 h at most."""
CLOCK_SKEW = timedelta(minutes=10)
"""A counter's clock may run this far from the server's."""


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _signed_text(canteen_id: int, issued_at: datetime, expires_at: datetime, digest: str) -> bytes:
    stamps = (issued_at.astimezone(UTC).isoformat(), expires_at.astimezone(UTC).isoformat())
    return f"{canteen_id}|{stamps[0]}|{stamps[1]}|{digest}".encode()


def sign(canteen_id: int, issued_at: datetime, expires_at: datetime, digest: str) -> str:
    text = _signed_text(canteen_id, issued_at, expires_at, digest)
    return hmac.new(derive_key(SIGNING_PURPOSE), text, hashlib.sha256).hexdigest()


def signed(ref: SnapshotRef) -> bool:
    """Whether the server signed this snapshot reference (compared in constant time)."""
    expected = sign(ref.canteen_id, ref.issued_at, ref.expires_at, ref.digest)
    return hmac.compare_digest(expected, ref.signature)


def seal_secret(user_id: int) -> str:
    """The cashier's own secret for the browser's at-rest key: another cashier gets another."""
    mac = hmac.new(derive_key(SEALING_PURPOSE), f"user:{user_id}".encode(), hashlib.sha256)
    return mac.hexdigest()


def payload_hash(payload: str) -> str:
    """What the snapshot keeps of a card's payload (the counter hashes a scan the same way)."""
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


async def _own_canteen(actor: Actor, canteen_id: int) -> Canteen:
    """The actor's canteen; another canteen is 404 to a counter role, as if absent."""
    canteen = await Canteen.get_or_none(id=canteen_id)
    if canteen is None or (
        actor.role in (Role.CASHIER, Role.MANAGER) and actor.canteen_id != canteen_id
    ):
        raise NotFound(f"No canteen {canteen_id}.")
    return canteen


def _hours() -> int:
    return max(1, min(MAX_HOURS, get_settings().offline_hours))


@dataclass(frozen=True)
class _Asked:
    """What the policies' rules ask about a diner: the snapshot carries no more."""

    categories: frozenset[str]
    disability: bool
    place: bool

    @classmethod
    def of(cls, documents: list[PolicyDocument]) -> "_Asked":
        whens = [rule.when for doc in documents for rule in doc.rules]
        categories = {c for w in whens for c in (w.categories_any or []) + (w.categories_all or [])}
        disability = any(w.disability_levels for w in whens)
        return cls(frozenset(categories), disability, any(w.registered_in for w in whens))


async def _policies(on: date, until: date) -> list[Policy]:
    """The policy in force on ``on`` and every one starting by ``until``."""
    started = await Policy.filter(effective_from__lte=on).order_by("-effective_from").first()
    later = await Policy.filter(effective_from__gt=on, effective_from__lte=until).order_by(
        "effective_from"
    )
    return ([started] if started else []) + list(later)


def _reach(canteen_id: int, on: date) -> Q:
    """The diners a canteen's counter reaches: home here, or ate here within the reach days."""
    since = on - timedelta(days=get_settings().counter_reach_days)
    ate_here = Meal.filter(
        canteen_id=canteen_id, local_date__gte=since, voided_at__isnull=True
    ).values("diner_id")
    return Q(home_canteen_id=canteen_id) | Q(id__in=Subquery(ate_here))


async def snapshot(actor: Actor, canteen_id: int) -> SnapshotOut:
    """What the counter of ``canteen_id`` needs to sell for the next hours without the server."""
    require(actor, "offline.snapshot")
    canteen = await _own_canteen(actor, canteen_id)
    issued_at = clock.now()
    expires_at = issued_at + timedelta(hours=_hours())
    tz = ZoneInfo(canteen.timezone)
    on = issued_at.astimezone(tz).date()
    stored = await _policies(on, expires_at.astimezone(tz).date())
    documents = [PolicyDocument.model_validate(p.document) for p in stored]
    asked = _Asked.of(documents)
    reached = await Diner.filter(_reach(canteen_id, on), status="active").order_by("id")
    ids = [d.id for d in reached]
    accounts = {a.diner_id: a for a in await Account.filter(diner_id__in=ids)}
    all_cards = await Card.filter(diner_id__in=ids).order_by("id")
    usage = await _usage(ids, on)
    meals = await _meals_today(ids, on)
    orders = await _orders_today(ids, canteen_id, on)
    body = {
        "canteen": SnapshotCanteen(
            id=canteen.id,
            name=canteen.name,
            district=canteen.district,
            street=canteen.street,
            timezone=canteen.timezone,
            meal_windows=canteen.meal_windows,
        ).model_dump(mode="json"),
        "issued_at": issued_at,
        "expires_at": expires_at,
        "local_date": on,
        "policies": [doc.model_dump(mode="json") for doc in documents],
        "offerings": [
            SnapshotOffering(
                id=o.id, name=o.name, meal_type=o.meal_type, price_fen=o.price_fen, tags=o.tags
            ).model_dump()
            for o in await Offering.filter(canteen_id=canteen_id, active=True).order_by("id")
        ],
        "cards": [_card(c) for c in all_cards if c.revoked_at is None],
        "revoked": [_card(c) for c in all_cards if c.revoked_at is not None],
        "diners": [
            SnapshotDiner(
                id=d.id,
                name=d.name,
                age=diners.age(d, on),
                categories=sorted(set(d.categories) & asked.categories),
                disability_level=d.disability_level if asked.disability else None,
                district=d.district if asked.place else "",
                street=d.street if asked.place else "",
                dietary=d.dietary,
                status=d.status,
                balance_fen=accounts[d.id].balance_fen,
                low_balance_fen=accounts[d.id].low_balance_fen,
                usage=usage.get(d.id, {}),
                meals_today=meals.get(d.id, []),
                orders_today=orders.get(d.id, []),
            ).model_dump(mode="json")
            for d in reached
            if d.id in accounts
        ],
        "limits": SnapshotLimits(
            sale_cap_fen=get_settings().offline_sale_cap_fen,
            day_cap_fen=get_settings().offline_day_cap_fen,
            recent_sale_seconds=get_settings().recent_sale_seconds,
        ).model_dump(),
    }
    plain = json.loads(_canonical({k: _jsonable(v) for k, v in body.items()}))
    digest = hashlib.sha256(_canonical(plain)).hexdigest()
    return SnapshotOut.model_validate(
        {
            **body,
            "digest": digest,
            "signature": sign(canteen_id, issued_at, expires_at, digest),
            "seal_secret": seal_secret(actor.user_id),
        }
    )


def _card(card: Card) -> dict[str, Any]:
    digest = payload_hash(cards.payload_of(card))
    return SnapshotCard(
        card_id=card.id, serial=card.serial, diner_id=card.diner_id, payload_sha256=digest
    ).model_dump()


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


async def _usage(ids: list[int], on: date) -> dict[int, dict[str, dict[str, int]]]:
    day, month = on.isoformat(), on.strftime("%Y-%m")
    found: dict[int, dict[str, dict[str, int]]] = {}
    rows = await LimitUse.filter(diner_id__in=ids, period__in=(day, month)).values_list(
        "diner_id", "rule", "period"
    )
    for diner_id, rule, period in rows:
        counts = found.setdefault(diner_id, {}).setdefault(rule, {"today": 0, "this_month": 0})
        counts["today" if period == day else "this_month"] += 1
    return found


async def _meals_today(ids: list[int], on: date) -> dict[int, list[datetime]]:
    found: dict[int, list[datetime]] = {}
    rows = await Meal.filter(diner_id__in=ids, local_date=on, voided_at=None).values_list(
        "diner_id", "at"
    )
    for diner_id, at in sorted(rows, key=lambda row: row[1]):
        found.setdefault(diner_id, []).append(at)
    return found


async def _orders_today(ids: list[int], canteen_id: int, on: date) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    rows = await Order.filter(
        diner_id__in=ids, canteen_id=canteen_id, local_date=on, status="placed", delivery=False
    ).values_list("diner_id", "meal_type")
    for diner_id, meal_type in rows:
        found.setdefault(diner_id, []).append(meal_type)
    return found


# --- Sync -----------------------------------------------------------------------------------


def _result(row: OfflineSale) -> OfflineResult:
    return OfflineResult(
        key=row.key,
        outcome=row.outcome,  # type: ignore[arg-type]
        reason=row.reason,
        meal_id=row.meal_id,
        paid_fen=row.paid_fen,
        operator_fen=row.operator_fen,
    )


async def sync(actor: Actor, canteen_id: int, sales: list[OfflineSaleIn]) -> list[OfflineResult]:
    """Apply the counter's waiting sales, in order, each once however often it is sent."""
    require(actor, "offline.sync")
    await _own_canteen(actor, canteen_id)
    if any(sale.snapshot.canteen_id != canteen_id for sale in sales):
        raise InvalidInput.on("sales.snapshot.canteen_id", "not this canteen's snapshot")
    if len({sale.key for sale in sales}) != len(sales):
        raise InvalidInput.on("sales.key", "a key is sent twice in one batch")
    sent = await OfflineSale.filter(key__in=[sale.key for sale in sales])
    theirs = [
        row for row in sent if (row.canteen_id, row.sold_by_id) != (canteen_id, actor.user_id)
    ]
    if theirs:
        raise IdempotencyKeyReused.on("sales.key", f"{theirs[0].key} was sent by another counter")
    return [await _apply(actor, canteen_id, sale) for sale in sales]


def _why(sale: OfflineSaleIn, receipt: SaleOut, paid: int) -> str:
    """Why a sale applied was not applied as the counter priced it; empty when it was."""
    public = sum(s.amount_fen for s in receipt.subsidies if s.rule != settle.RULE)
    counted = sum(line.amount_fen for line in sale.subsidies)
    if paid < min(sale.pay_fen, receipt.price_fen):
        return "balance_short"
    if public < counted:
        return "limit_used"
    if receipt.price_fen != sale.price_fen or public != counted:
        return "priced_differently"
    return ""


async def _apply(actor: Actor, canteen_id: int, sale: OfflineSaleIn) -> OfflineResult:
    if (done := await OfflineSale.get_or_none(key=sale.key)) is not None:
        return _result(done)
    now = clock.now()
    row = OfflineSale(
        key=sale.key,
        canteen_id=canteen_id,
        sold_by_id=actor.user_id,
        payment=sale.payment,
        made_at=sale.made_at,
        synced_at=now,
        snapshot_issued_at=sale.snapshot.issued_at,
        price_fen=sale.price_fen,
        told_pay_fen=sale.pay_fen,
        counter_subsidy_fen=sum(line.amount_fen for line in sale.subsidies),
    )
    refusal = _refusal(sale, now)
    if refusal is None:
        try:
            receipt = await checkout.sell(
                actor,
                checkout.Who(card_payload=sale.card),
                checkout.Order(canteen_id, sale.offering_id),
                sale.payment,
                IdempotencyKey.of(
                    actor.user_id, f"offline:{sale.key}", "POST", "/offline-sales", _fields(sale)
                ),
                checkout.MadeOffline(sale.made_at, sale.pay_fen),
            )
        except IdempotencyKeyReused:
            raise
        except CanteenError as exc:
            refusal = exc.code
        else:
            operator = settle.borne_fen([(s.rule, s.amount_fen) for s in receipt.subsidies])
            row.meal_id, row.diner_id = receipt.meal_id, receipt.diner.id
            row.subsidy_fen = receipt.subsidy_fen - operator
            row.paid_fen = receipt.pay_fen
            row.operator_fen = operator
            row.reason = _why(sale, receipt, receipt.pay_fen)
            row.outcome = "reconciled" if row.reason or operator else "sold"
    if refusal is not None:
        row.outcome, row.reason = "refused", refusal
        row.diner_id = await _diner_of(sale.card)
        # Nothing recorded: the cash taken stays the operator's, the rest of the price is its loss.
        row.paid_fen = sale.pay_fen if sale.payment == "cash" else 0
        row.operator_fen = max(0, sale.price_fen - row.paid_fen)
    try:
        await row.save()
    except IntegrityError:  # the same batch sent twice at once: the first row stands
        return _result(await OfflineSale.get(key=sale.key))
    return _result(row)


def _fields(sale: OfflineSaleIn) -> dict[str, Any]:
    """What makes two sends of one sale the same sale (the Idempotency-Key's fingerprint)."""
    return sale.model_dump(mode="json", exclude={"snapshot"})


def _refusal(sale: OfflineSaleIn, now: datetime) -> str | None:
    """Why a sale cannot be applied at all, before it is priced: a snapshot the server did not
    sign, a time outside it, or an account sale past its expiry."""
    ref = sale.snapshot
    if not signed(ref):
        return "snapshot_invalid"
    if not ref.issued_at - CLOCK_SKEW <= sale.made_at <= now + CLOCK_SKEW:
        return "made_at_invalid"
    if sale.payment == "account" and sale.made_at > ref.expires_at:
        return "snapshot_expired"
    return None


async def _diner_of(payload: str) -> int | None:
    """The diner a refused sale's card names, if it is a card at all."""
    try:
        card_id = token.decode(payload, cards.card_key())
    except CanteenError:
        return None
    card = await Card.get_or_none(id=card_id)
    return card.diner_id if card else None


# --- The manager's list ---------------------------------------------------------------------


async def reconciliations(
    actor: Actor, canteen_id: int, on: date | None, limit: int, cursor: str | None
) -> Page[OfflineSale]:
    """The canteen's offline sales not applied as sold, newest first: what the manager settles."""
    require(actor, "offline.read")
    canteen = await _own_canteen(actor, canteen_id)
    query = OfflineSale.filter(canteen_id=canteen_id).exclude(outcome="sold")
    if on is not None:
        tz = ZoneInfo(canteen.timezone)
        start = datetime(on.year, on.month, on.day, tzinfo=tz).astimezone(UTC)
        query = query.filter(made_at__gte=start, made_at__lt=start + timedelta(days=1))
    query = query.select_related("diner", "sold_by")
    return await page_of(after_cursor(query, cursor), limit)
