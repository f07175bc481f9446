"""The counter: quote a meal, sell it, void it. Each sale and each void is one transaction.

A sale without the card (the elder forgot it, the scanner is down) is the one way a till
reaches a diner it did not scan, so it is fenced: the diner is found only by an exact full
name or phone (``lookup``, audited), the elder tells the last 4 of their ID number or phone
and the server checks them (``identify``: a wrong answer is counted in its own transaction and
audited; five a day and no answer is checked until tomorrow), the price comes from the price
list, and a seller, a canteen and a diner each have their cap on such sales.

A sale without the card is also one where the card's printed serial was typed in: a serial
is printed in plain sight, so it names the card but proves nothing.

A meal ordered ahead is handed over through ``sell`` too, and is fulfilled in the sale's
transaction, exactly once: a card scanned at the canteen for the meal a diner ordered to eat in
fulfils that order, and a delivery hand-over names its order (``Who.order_id``) and adds the
canteen's delivery fee to the price, tagged ``delivery`` so a policy rule can subsidise it.

``sell`` is the whole use case: a sale's transaction holds, together or not at all, the
conditional debit, the meal with its subsidy lines and policy id, the ledger entry, the limit
slots and the receipt stored for its Idempotency-Key (asked again, the till gets that
receipt). Limits are slots with a unique key, so two counters selling to one diner at the
same instant cannot both take the last subsidised meal: the loser's insert collides, its
transaction rolls back, and the sale is priced again from the new state.
"""

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Literal, TypeVar
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from canteen import clock, metrics, rawsql
from canteen.accounts import ledger
from canteen.accounts.models import Account, account_of
from canteen.alerts import service as alerts
from canteen.audit import service as audit
from canteen.audit.models import AuditEntry
from canteen.auth.models import User
from canteen.canteens.models import Canteen, Offering
from canteen.canteens.service import MAX_PRICE_FEN
from canteen.cards import service as cards
from canteen.cards.models import Card
from canteen.checkout.models import MANUAL_REASONS, LimitUse, Meal, SubsidyLine
from canteen.checkout.quotes import CounterWarning, Quote, Taken, sale_receipt
from canteen.checkout.schemas import SaleOut
from canteen.claims import rollup as claim_rollup
from canteen.columns import value_of, values_of
from canteen.config import get_settings
from canteen.diners import service as diners
from canteen.diners.models import Diner, FamilyLink
from canteen.errors import (
    AlreadyVoided,
    CanteenError,
    DinerInactive,
    Forbidden,
    IdentityChecksExhausted,
    IdentityNotConfirmed,
    InsufficientBalance,
    InvalidAmount,
    InvalidInput,
    ManualSaleCap,
    ManualSaleLimit,
    NoPolicy,
    NotFound,
    OpenPriceNotAllowed,
    OrderNotOpen,
    OutsideMealWindow,
    UnknownOffering,
)
from canteen.idempotency import service as idempotency
from canteen.idempotency.service import IdempotencyKey
from canteen.offline import settle
from canteen.orders.models import Order as OrderAhead
from canteen.pagination import Page, after_cursor, page_of
from canteen.policies import engine
from canteen.policies import service as policies
from canteen.policies.models import Policy
from canteen.policies.schema import meal_type as as_meal_type
from canteen.roles import Actor, Role, require

CASHIER_VOID_MINUTES = 10
SALE_ATTEMPTS = 5
"""A sale that lost a race for a limit slot is priced again; more losses than this are a bug."""
SOLD = 201
"""The status stored with a sale's receipt for its Idempotency-Key (201 Created)."""
Payment = Literal["account", "cash"]
LOW_BALANCE = "low_balance"
RECENT_SALE = "recent_sale"
WRONG_ANSWER = "diner.wrong_answer"
"""The audit action of a wrong answer for a sale without the card; counted per diner per day."""
LOOKUP_RESULTS = 10
DELIVERY_TAG = "delivery"
"""The tag a brought-home meal carries to the engine: a rule may subsidise the delivery fee."""
T = TypeVar("T")
_LINE_COLUMNS = ("rule", "label", "funder", "amount_fen", "pays")
_SLOT_COLUMNS = ("diner_id", "rule", "period", "slot")


@dataclass(frozen=True)
class MadeOffline:
    """A sale a counter made while it could not reach the server, sent when it could."""

    at: datetime
    """When the counter made it: the meal window, the day and the limits are those of then."""
    pay_fen: int
    """What the counter told the diner to pay; they never pay more."""


class LostRace(Exception):
    """A limit slot this sale was priced with was taken meanwhile; the sale is priced again."""


@dataclass(frozen=True)
class Order:
    """What the counter asks for: at which canteen, which dish (or a meal type and price)."""

    canteen_id: int
    offering_id: int | None = None
    meal_type: str | None = None
    price_fen: int | None = None
    delivery: bool = False
    """Brought home: the canteen's delivery fee is added to the price."""


@dataclass(frozen=True)
class Who:
    """How the diner was identified: a scanned card; or, without a scan, the card's printed
    serial typed in or the diner found by hand, with a reason and what the elder knows
    (``answer``: the last 4 of their ID number or phone, as they said them)."""

    card_payload: str | None = None
    diner_id: int | None = None
    manual_reason: str | None = None
    answer: str | None = None
    card_serial: str | None = None
    order_id: int | None = None
    """A delivery hand-over: the diner is the one who ordered, and the sale fulfils the order."""

    @property
    def manual(self) -> bool:
        """Not scanned, nor handed over on an order: a sale without the card, with its checks
        and caps."""
        return self.card_payload is None and self.order_id is None


async def identify(actor: Actor, who: Who, canteen: Canteen) -> tuple[Diner, Card | None]:
    """The diner a card names (scanned, or its serial typed in), or the one found by hand;
    without a scan, only once the elder's answer was right.

    A wrong answer is recorded in a transaction of its own, so this runs outside any other
    transaction (``sell`` calls it before its own): a wrong answer rolled back with a refused
    sale would be a free guess.
    """
    if who.card_payload is not None:
        scanned, diner = await cards.resolve(who.card_payload)
        return diner, scanned
    if who.order_id is not None:
        ahead = await OrderAhead.get_or_none(id=who.order_id).select_related("diner")
        if ahead is None:
            raise NotFound(f"No order {who.order_id}.")
        return ahead.diner, None
    if (who.diner_id is None and who.card_serial is None) or who.manual_reason is None:
        raise InvalidInput.on(
            "card", "scan a card, or give card_serial or diner_id, with manual_reason"
        )
    if who.manual_reason not in MANUAL_REASONS:
        raise InvalidInput.on("manual_reason", f"one of {', '.join(MANUAL_REASONS)}")
    if not who.answer:
        raise InvalidInput.on("answer", "the last 4 of the elder's ID number or phone")
    card: Card | None = None
    if who.card_serial is not None:
        card, diner = await cards.resolve_serial(who.card_serial)
    elif (found := await Diner.get_or_none(id=who.diner_id)) is not None:
        diner = found
    else:
        raise InvalidInput.on("diner_id", "no such diner")
    await _confirm_answer(actor, diner, who.answer, canteen)
    return diner, card


def _local_midnight(canteen: Canteen, now: datetime) -> datetime:
    """The canteen's last midnight, in UTC: SQLite compares stored times as UTC text, so a
    bound in +08:00 would miss what was written between midnight and 08:00 local."""
    local = now.astimezone(ZoneInfo(canteen.timezone))
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


async def _confirm_answer(actor: Actor, diner: Diner, answer: str, canteen: Canteen) -> None:
    """Check the elder's answer, at most ``manual_answer_attempts_per_day`` wrong ones a day.

    The diner's account row is locked first, so two tills guessing at once are checked one
    after the other, each counting the wrong answers committed before it: thirty guesses sent
    at the same instant get five answers checked, and the rest are refused unchecked.
    """
    allowed = get_settings().manual_answer_attempts_per_day
    now = clock.now()
    midnight = _local_midnight(canteen, now)
    async with in_transaction():
        await Account.select_for_update().get(diner_id=diner.id)
        wrong = await AuditEntry.filter(
            action=WRONG_ANSWER, object_type="diner", object_id=str(diner.id), at__gte=midnight
        ).count()
        if wrong >= allowed:
            tomorrow = midnight + timedelta(days=1)
            raise IdentityChecksExhausted(retry_after=int((tomorrow - now).total_seconds()) + 1)
        if diners.answer_matches(diner, answer):
            return
        await audit.record(actor, WRONG_ANSWER, diner, after={"canteen_id": canteen.id})
    raise IdentityNotConfirmed(
        "That is not the last 4 of this elder's ID number or phone; ask the elder again."
    )


async def _where_and_what(actor: Actor, order: Order) -> tuple[Canteen, Offering | None]:
    """The canteen selling and the listed dish asked for, in one read (the canteen comes
    joined to its dish); a cashier or manager sells only at their own canteen."""
    if actor.role in (Role.CASHIER, Role.MANAGER) and actor.canteen_id != order.canteen_id:
        raise Forbidden("You sell only at your own canteen.")
    if order.offering_id is not None:
        found = await _listed(order.offering_id, order.canteen_id)
        if found is not None:
            return found
    canteen = await Canteen.get_or_none(id=order.canteen_id)
    if canteen is None:
        raise InvalidInput.on("canteen_id", "no such canteen")
    if order.offering_id is not None:
        raise UnknownOffering.on("offering_id", "not on this canteen's price list")
    return canteen, None


@cache
def _listed_sql() -> str:
    return (
        f"SELECT {rawsql.selected(Canteen, 'c')}, {rawsql.selected(Offering, 'o')}"  # noqa: S608
        ' FROM "offering" "o" JOIN "canteen" "c" ON "c"."id" = "o"."canteen_id"'
        ' WHERE "o"."id" = :offering AND "o"."canteen_id" = :canteen AND "o"."active"'
    )


async def _listed(offering_id: int, canteen_id: int) -> tuple[Canteen, Offering] | None:
    """The canteen and its active dish, one hand-written statement made into the models the
    ORM would make (its ``select_related`` cost more CPU than the statement itself)."""
    rows = await rawsql.fetch(
        Offering._meta.db, _listed_sql(), {"offering": offering_id, "canteen": canteen_id}
    )
    if not rows:
        return None
    cut = len(rawsql.db_columns(Canteen))
    canteen = rawsql.instance(Canteen, rows[0][:cut])
    offering = rawsql.instance(Offering, rows[0][cut:])
    rawsql.attach(offering, "canteen", canteen)
    return canteen, offering


def meal_type_at(canteen: Canteen, moment: datetime) -> str:
    """The meal window open at ``moment`` in the canteen's own time zone."""
    local = moment.astimezone(ZoneInfo(canteen.timezone)).strftime("%H:%M")
    for meal_type, (start, end) in canteen.meal_windows.items():
        if start <= local < end:
            return meal_type
    raise OutsideMealWindow.on("meal_type", f"no meal is served at {local}; give meal_type")


async def _dish(
    actor: Actor,
    canteen: Canteen,
    listed: Offering | None,
    order: Order,
    manual: bool,
    now: datetime,
) -> tuple[Offering | None, str, int]:
    """The dish and its price: from the price list, or (the open price) as the seller says.

    A sale without the card always takes a listed dish; a cashier's open price goes no higher
    than the canteen's highest listed price (a manager's, up to the largest price allowed).
    """
    if listed is not None:
        return listed, listed.meal_type, listed.price_fen
    if manual:
        raise InvalidInput.on("offering_id", "a sale without the card takes a listed dish")
    if order.price_fen is None:
        raise InvalidInput.on("offering_id", "give offering_id, or meal_type and price_fen")
    if not 0 <= order.price_fen <= MAX_PRICE_FEN:
        raise InvalidAmount.on("price_fen", f"must be 0 to {MAX_PRICE_FEN} fen")
    if actor.role == Role.CASHIER:
        highest: int | None = await value_of(
            Offering.filter(canteen_id=canteen.id, active=True).order_by("-price_fen").first(),
            "price_fen",
        )
        if order.price_fen > (highest or 0):
            raise OpenPriceNotAllowed(max_price_fen=highest or 0)
    return None, order.meal_type or meal_type_at(canteen, now), order.price_fen


def _periods(on: date) -> tuple[str, str]:
    """The keys of a local date's daily and monthly limits: ``2026-11-23`` and ``2026-11``."""
    return on.isoformat(), on.strftime("%Y-%m")


# The last meal is the newest by ``at`` in ``ix_meal_diner_last`` (the diner's live meals by
# time): one index entry, not every meal the diner had since yesterday, as MAX() read them.
_HISTORY = """
SELECT 'slot', "rule", "period", "slot", NULL FROM "limit_use"
 WHERE "diner_id" = :diner AND "period" IN (:day, :month)
UNION ALL
SELECT 'last', NULL, NULL, NULL, (SELECT "at" FROM "meal"
 WHERE "diner_id" = :diner AND "voided_at" IS NULL AND "local_date" >= :since
 ORDER BY "at" DESC LIMIT 1)
UNION ALL
SELECT 'order', "meal_type", NULL, "id", NULL FROM "meal_order"
 WHERE "diner_id" = :diner AND "canteen_id" = :canteen AND "local_date" = :on
   AND "status" = 'placed' AND NOT "delivery"
"""


@dataclass(frozen=True)
class _History:
    """What the diner's past says about this meal, read in one statement."""

    taken: Taken
    """Every limit slot the diner's rules took today and this month, across all canteens."""
    last_meal_at: datetime | None
    """When their last live meal since yesterday was sold, at any canteen."""
    eat_in_orders: dict[str, int]
    """Their placed eat-in orders at this canteen today, by meal type."""


async def _history(diner_id: int, canteen_id: int, on: date) -> _History:
    day, month = _periods(on)
    params = {
        "diner": diner_id,
        "canteen": canteen_id,
        "on": on,
        "day": day,
        "month": month,
        "since": on - timedelta(days=1),
    }
    taken: Taken = {}
    last: datetime | None = None
    orders: dict[str, int] = {}
    for kind, text, period, number, at in await rawsql.fetch(Meal._meta.db, _HISTORY, params):
        if kind == "slot":
            taken.setdefault((text, period), set()).add(number)
        elif kind == "order":
            orders[text] = int(number)
        elif at is not None:
            last = datetime.fromisoformat(at) if isinstance(at, str) else at
    return _History(taken, last, orders)


def _usage(taken: Taken, on: date) -> dict[str, engine.Usage]:
    day, month = _periods(on)
    rules = {rule for rule, _ in taken}
    return {
        rule: engine.Usage(len(taken.get((rule, day), ())), len(taken.get((rule, month), ())))
        for rule in rules
    }


def _engine_view(
    diner: Diner, canteen: Canteen, meal_type: str, price_fen: int, tags: list[str], on: date
) -> tuple[engine.Diner, engine.Meal]:
    who = engine.Diner(
        age=diners.age(diner, on),
        categories=frozenset(diner.categories),
        disability_level=diner.disability_level,
        district=diner.district,
        street=diner.street,
    )
    meal = engine.Meal(
        canteen.id,
        canteen.district,
        canteen.street,
        as_meal_type(meal_type),
        price_fen,
        frozenset(tags),
    )
    return who, meal


async def quote(actor: Actor, who: Who, order: Order) -> Quote:
    """Who is eating, what the meal costs them and the funders, and what to warn about.

    Changes nothing; the sale prices again inside its own transaction.
    """
    require(actor, "checkout.quote")
    canteen, listed = await _where_and_what(actor, order)
    diner, card = await identify(actor, who, canteen)
    # A card brought the account with it (one read); a diner found by hand did not.
    account = account_of(diner) if card is not None else await Account.get(diner_id=diner.id)
    return await _price(actor, (diner, card, account), (canteen, listed), order, who.manual)


async def _price(
    actor: Actor,
    who: tuple[Diner, Card | None, Account],
    where: tuple[Canteen, Offering | None],
    order: Order,
    manual: bool,
    made_at: datetime | None = None,
) -> Quote:
    (diner, card, account), (canteen, listed) = who, where
    if diner.status != "active":
        raise DinerInactive(f"This diner is {diner.status}; no meal can be sold.")
    now = made_at or clock.now()
    offering, meal_type, price_fen = await _dish(actor, canteen, listed, order, manual, now)
    local_date = now.astimezone(ZoneInfo(canteen.timezone)).date()
    tags = offering.tags if offering else []
    price_fen, tags = _delivered(canteen, price_fen, tags, order.delivery)
    policy, pricing, history = await _pricing(
        diner, canteen, (meal_type, price_fen, tags), local_date
    )
    result = Quote(
        diner,
        card,
        canteen,
        offering,
        meal_type,
        local_date,
        policy,
        pricing,
        account,
        history.taken,
        eat_in_order_id=history.eat_in_orders.get(meal_type),
    )
    result.recent_sale_seconds = _recent(history.last_meal_at, now)
    result.warnings = _warnings(result)
    return result


def _delivered(
    canteen: Canteen, price_fen: int, tags: list[str], delivery: bool
) -> tuple[int, list[str]]:
    """A meal brought home costs the canteen's delivery fee more, and carries the ``delivery``
    tag, so a rule can subsidise the fee as it would any part of the price."""
    if not delivery:
        return price_fen, tags
    return price_fen + canteen.delivery_fee_fen, sorted({*tags, DELIVERY_TAG})


async def _pricing(
    diner: Diner, canteen: Canteen, what: tuple[str, int, list[str]], on: date
) -> tuple[Policy | None, engine.Pricing, _History]:
    """The policy in force on ``on`` and what it pays for this meal, given the limit slots the
    diner's rules took that day and month; with the history it was priced from."""
    meal_type, price_fen, tags = what
    try:
        policy: Policy | None = await policies.in_force_on(on)
    except NoPolicy:
        policy = None
    diner_view, meal_view = _engine_view(diner, canteen, meal_type, price_fen, tags, on)
    history = await _history(diner.id, canteen.id, on)
    if policy is None:
        return None, engine.Pricing(price_fen, ()), history
    usage = _usage(history.taken, on)
    return policy, engine.price(policies.document(policy), diner_view, meal_view, usage), history


async def estimate(
    diner: Diner, canteen: Canteen, offering: Offering, on: date, delivery: bool
) -> engine.Pricing:
    """What a meal ordered ahead for ``on`` will cost, priced now exactly as the counter
    prices a sale (the policy in force that day, the limits taken so far that day and month,
    the delivery fee): the price may differ at the hand-over, which prices it again."""
    price_fen, tags = _delivered(canteen, offering.price_fen, offering.tags, delivery)
    pricing = await _pricing(diner, canteen, (offering.meal_type, price_fen, tags), on)
    return pricing[1]


def _warnings(q: Quote) -> list[CounterWarning]:
    """The limits used up, the balance, a sale moments ago, then the diet: in that order."""
    limits = [
        CounterWarning("limit", engine.LIMIT_REACHED, rule=r) for r in q.pricing.limits_reached
    ]
    balance = (
        [CounterWarning("account", LOW_BALANCE)]
        if q.balance_after_fen < q.account.low_balance_fen
        else []
    )
    seconds = q.recent_sale_seconds
    recent = [CounterWarning("sale", RECENT_SALE, seconds=seconds)] if seconds is not None else []
    diet = [CounterWarning("diet", flag) for flag in q.diner.dietary]
    return [*limits, *balance, *recent, *diet]


def _recent(last_meal_at: datetime | None, now: datetime) -> int | None:
    """Seconds since the diner's last live meal, at any canteen, if within the warning window:
    a till whose answer was lost, or a second till, must not sell twice without asking."""
    if last_meal_at is None:
        return None
    seconds = max(0, int((now - last_meal_at).total_seconds()))
    return seconds if seconds <= get_settings().recent_sale_seconds else None


def _slots(q: Quote) -> list[tuple[int, str, str, int]]:
    """The first free slot of each limited rule that paid for this meal, to take with it
    (``diner_id, rule, period, slot``).

    The free slots come from the sale's own pricing, read after the account row was locked;
    a slot taken meanwhile anyway makes the insert collide, and the sale is retried.
    """
    rules = {rule.code: rule for rule in policies.document(q.policy).rules} if q.policy else {}
    day, month = _periods(q.local_date)
    uses: list[tuple[int, str, str, int]] = []
    for line in (*q.pricing.lines, *q.pricing.operator_lines):
        rule = rules.get(line.rule)
        if rule is None:  # an offline sale's difference, borne by the operator: no limit
            continue
        for period, limit in ((day, rule.daily_limit), (month, rule.monthly_limit)):
            if limit is None:
                continue
            free = set(range(1, limit + 1)) - q.taken.get((line.rule, period), set())
            if not free:
                raise LostRace(f"{line.rule} was used up for {period} while this sale was priced")
            uses.append((q.diner.id, line.rule, period, min(free)))
    return uses


def _check_balance(q: Quote, payment: str) -> None:
    """Refuse early, before anything is written, a share the locked account cannot pay; the
    ledger's debit stays conditional whatever this saw."""
    if payment == "account" and q.pricing.pay_fen > q.balance_fen:
        raise InsufficientBalance(shortfall_fen=q.pricing.pay_fen - q.balance_fen)


async def _order_handed_over(who: Who, q: Quote) -> int | None:
    """The order this sale hands over: the one a delivery names, which must still be placed;
    else, for a scanned card, the diner's eat-in order for this canteen, day and meal, if any."""
    if who.order_id is not None:
        if not await OrderAhead.exists(id=who.order_id, status="placed"):
            raise OrderNotOpen(f"Order {who.order_id} is no longer placed.")
        return who.order_id
    return None if who.manual else q.eat_in_order_id


async def _fulfil(order_id: int, meal: Meal) -> None:
    """Mark the order fulfilled by this meal: a conditional update, so an order another
    sale fulfilled meanwhile makes this one lose the race and be priced again."""
    fulfilled = await OrderAhead.filter(id=order_id, status="placed").update(
        status="fulfilled", meal_id=meal.id, closed_at=meal.at
    )
    if not fulfilled:
        raise LostRace(f"order {order_id} was handed over while this sale was priced")


async def _record(
    actor: Actor,
    q: Quote,
    payment: Payment,
    manual_reason: str | None,
    order_id: int | None,
    made_at: datetime | None = None,
) -> tuple[Meal, list[SubsidyLine], int]:
    """The meal, its lines, its limit slots, its debit and the order it fulfils; with the
    lines (for the claim roll-up, which comes last) and the balance it leaves."""
    _check_balance(q, payment)
    now = made_at or clock.now()
    slots = _slots(q)  # a slot gone meanwhile loses the race before anything is written
    row = rawsql.row_of(
        Meal,
        {
            "canteen_id": q.canteen.id,
            "diner_id": q.diner.id,
            "card_id": q.card.id if q.card else None,
            "offering_id": q.offering.id if q.offering else None,
            "policy_id": q.policy.id if q.policy else None,
            "meal_type": q.meal_type,
            "price_fen": q.pricing.price_fen,
            "subsidy_fen": q.pricing.subsidy_fen,
            "pay_fen": q.pricing.pay_fen,
            "operator_subsidy_fen": sum(line.amount_fen for line in q.pricing.operator_lines),
            "payment": payment,
            "local_date": q.local_date,
            "at": now,
            "sold_by_id": actor.user_id,
            "manual_reason": manual_reason,
            "order_id": order_id,
        },
    )
    paid = [(line, "diner") for line in q.pricing.lines]
    paid += [(line, "operator") for line in q.pricing.operator_lines]
    lines = [(ln.rule, ln.label, ln.funder, ln.amount_fen, pays) for ln, pays in paid]
    # The meal with its subsidy lines and limit slots: one statement on PostgreSQL.
    meal_id = await rawsql.insert_with(
        Meal._meta.db,
        "meal",
        row,
        [
            ("subsidy_line", "meal_id", _LINE_COLUMNS, lines),
            ("limit_use", "meal_id", _SLOT_COLUMNS, slots),
        ],
    )
    meal = rawsql.from_row(Meal, meal_id, row)
    if order_id is not None:
        await _fulfil(order_id, meal)
    sold = [
        SubsidyLine(meal_id=meal.id, rule=r, label=la, funder=f, amount_fen=a, pays=p)
        for r, la, f, a, p in lines
    ]
    balance_after = q.balance_fen  # cash, or nothing to pay: the account is untouched
    if payment == "account" and q.pricing.pay_fen > 0:
        entry = await ledger.debit(q.account.id, q.pricing.pay_fen, meal_id=meal.id, at=now)
        balance_after = entry.balance_after_fen
    if manual_reason is not None:
        await audit.record(
            actor, "meal.manual_sale", meal, after={"reason": manual_reason, "diner_id": q.diner.id}
        )
    return meal, sold, balance_after


async def _check_manual_caps(actor: Actor, q: Quote) -> None:
    """A seller's and a canteen's sales without the card today, each under its cap.

    The canteen's row is locked first (after the diner's account, the order every sale
    keeps), so two tills of one canteen count one after the other, on PostgreSQL too.
    """
    settings = get_settings()
    await Canteen.select_for_update().get(id=q.canteen.id)
    today = Meal.filter(manual_reason__isnull=False, voided_at=None, local_date=q.local_date)
    by_seller = await today.filter(sold_by_id=actor.user_id).count()
    if by_seller >= settings.manual_sales_per_cashier_per_day:
        raise ManualSaleCap("cashier", settings.manual_sales_per_cashier_per_day)
    at_canteen = await today.filter(canteen_id=q.canteen.id).count()
    if at_canteen >= settings.manual_sales_per_canteen_per_day:
        raise ManualSaleCap("canteen", settings.manual_sales_per_canteen_per_day)


async def _check_manual_allowance(diner_id: int, on: date) -> None:
    allowed = get_settings().manual_sales_per_month
    month_start = on.replace(day=1)
    used = await Meal.filter(
        diner_id=diner_id,
        manual_reason__isnull=False,
        voided_at=None,
        local_date__gte=month_start,
        local_date__lte=on,
    ).count()
    if used >= allowed:
        raise ManualSaleLimit(
            f"This diner already had {used} sales without a card this month (at most {allowed})."
        )


async def sell(
    actor: Actor,
    who: Who,
    order: Order,
    payment: Payment = "account",
    key: IdempotencyKey | None = None,
    offline: MadeOffline | None = None,
) -> SaleOut:
    """Sell one meal, once however often the till asks: price it, take the money and the
    limit slots, record it, all in one transaction; the receipt is what it returns.

    Asked again with the same ``key``, the first receipt comes back and nothing else happens:
    the repeat's own sale collides with the first one's record and rolls back, or is refused
    and then finds it. The key is not looked up before: a first sale, nearly every one,
    makes no read for it (on PostgreSQL a round trip in twelve).
    A sale that lost a race for a limit slot is priced again from the new state. A sale a
    counter made ``offline`` is priced at the time it was made, and the diner pays what the
    counter told them (see ``canteen.offline.settle``).
    """
    require(actor, "orders.hand_over" if who.order_id is not None else "checkout.sell")
    if payment not in ("account", "cash"):
        raise InvalidInput.on("payment", "account or cash")
    try:
        canteen, listed = await _where_and_what(actor, order)
        # A scanned card is read in the sale's transaction, with the account's lock; a diner
        # found otherwise is identified before it (a wrong answer must stay recorded).
        found = None if who.card_payload is not None else await identify(actor, who, canteen)
        receipt = await _retrying(
            lambda: _sell_once(actor, who, order, payment, key, (canteen, listed, found), offline)
        )
    except idempotency.AnsweredMeanwhile:
        assert key is not None
        return SaleOut.model_validate((await idempotency.replayed(key))[1])
    except CanteenError:
        # Refused now (the card revoked since, the balance spent by the first sale...), but
        # a repeat of a sale that went through answers with its receipt.
        if key is not None and (stored := await idempotency.answer_of(key)) is not None:
            return SaleOut.model_validate(stored[1])
        raise
    metrics.SALES.labels(payment).inc()  # committed, and not a replay
    return receipt


async def _sell_once(
    actor: Actor,
    who: Who,
    order: Order,
    payment: Payment,
    key: IdempotencyKey | None,
    where: tuple[Canteen, Offering | None, tuple[Diner, Card | None] | None],
    offline: MadeOffline | None = None,
) -> SaleOut:
    canteen, listed, found = where
    async with in_transaction():
        # Lock the diner's account first: on PostgreSQL this one diner's sales then run one
        # after another, each pricing from the state the previous one left (SQLite runs every
        # transaction one after another anyway). The limit slots' unique key stays as the
        # backstop: a sale that still loses a race is retried.
        diner, card, account = await _locked(who, found)
        made_at = offline.at if offline is not None else None
        q = await _price(
            actor, (diner, card, account), (canteen, listed), order, who.manual, made_at
        )
        if offline is not None:
            balance = q.balance_fen if payment == "account" else None
            q.pricing = settle.as_told(q.pricing, offline.pay_fen, balance)
        if who.manual:
            await _check_manual_allowance(q.diner.id, q.local_date)
            await _check_manual_caps(actor, q)
        order_id = await _order_handed_over(who, q)
        meal, lines, balance_after = await _record(
            actor, q, payment, who.manual_reason, order_id, made_at
        )
        await alerts.after_sale(
            alerts.BalanceAfterSale(
                diner_id=q.diner.id,
                canteen_id=q.diner.home_canteen_id or q.canteen.id,
                local_date=q.local_date,
                balance_before_fen=q.balance_fen,
                balance_after_fen=balance_after if payment == "account" else None,
                low_balance_fen=q.account.low_balance_fen,
            )
        )
        receipt = sale_receipt(q, meal, balance_after, meal.at)
        await _last_writes(meal, lines, key, receipt)
        return receipt


async def _last_writes(
    meal: Meal, lines: list[SubsidyLine], key: IdempotencyKey | None, receipt: SaleOut
) -> None:
    """The receipt's record and the claim roll-up, in one statement on PostgreSQL, just
    before COMMIT: every sale of the canteen's day adds to the same roll-up rows and holds
    their lock until it commits, so the tills queue for them (taken as the sale's second
    write, they were PostgreSQL's bottleneck: 4.3 ms per sale waiting, at 8 tills).

    ``AnsweredMeanwhile`` when the record collides with one a repeat of this sale committed.
    """
    writes = [claim_rollup.adding(meal, lines)]
    if key is not None:
        writes.append(idempotency.recording(key, SOLD, receipt.model_dump(mode="json")))
    try:
        await rawsql.execute_together(Meal._meta.db, [w for w in writes if w is not None])
    except IntegrityError as exc:  # the roll-up's upsert collides with nothing
        raise idempotency.AnsweredMeanwhile from exc


async def _locked(
    who: Who, found: tuple[Diner, Card | None] | None
) -> tuple[Diner, Card | None, Account]:
    """The sale's diner, card and account, the account's row locked: a scanned card is read
    with the lock in one statement; a diner identified before has their account locked."""
    if found is not None:
        diner, card = found
        return diner, card, await _locked_account(diner.id)
    assert who.card_payload is not None  # only a scan is identified in the transaction
    scanned, diner = await cards.resolve(who.card_payload, lock_account=True)
    return diner, scanned, account_of(diner)


@cache
def _account_sql(postgres: bool) -> str:
    lock = " FOR UPDATE" if postgres else ""  # SQLite: the transaction holds the database
    return f'SELECT {rawsql.selected(Account, "a")} FROM "account" "a" WHERE "a"."diner_id" = :diner{lock}'  # noqa: E501, S608


async def _locked_account(diner_id: int) -> Account:
    """The diner's account, its row locked for the sale's transaction (hand-written: every
    sale makes this read)."""
    conn = Account._meta.db
    sql = _account_sql(rawsql.dialect(conn) == "postgres")
    rows = await rawsql.fetch(conn, sql, {"diner": diner_id})
    if not rows:
        raise NotFound(f"Diner {diner_id} has no account.")
    return rawsql.instance(Account, rows[0])


async def _retrying(run: Callable[[], Awaitable[T]]) -> T:
    """Run a sale's transaction again when it lost a race for a limit slot.

    The loser's insert collided on the slot's unique key and its whole transaction rolled
    back (on PostgreSQL an error aborts it); the next attempt prices from the new state.
    """
    for attempt in range(SALE_ATTEMPTS):
        try:
            return await run()
        except (IntegrityError, LostRace):
            if attempt == SALE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


async def _meal_in_reach(actor: Actor, meal_id: int) -> Meal:
    """A meal the actor may see: managers and cashiers only their own canteen's (else 404)."""
    meal = await Meal.get_or_none(id=meal_id)
    if meal is None or (
        actor.role in (Role.CASHIER, Role.MANAGER) and meal.canteen_id != actor.canteen_id
    ):
        raise NotFound(f"No meal {meal_id}.")
    return meal


async def void(actor: Actor, meal_id: int, reason: str) -> Meal:
    """Undo a sale: refund what the diner paid, withdraw its subsidy, free its limit slots.

    A cashier may void only their own sale, within ten minutes; a manager any sale of their
    canteen; an admin any sale.
    """
    require(actor, "checkout.void")
    meal = await _meal_in_reach(actor, meal_id)
    if actor.role == Role.CASHIER and (
        meal.sold_by_id != actor.user_id
        or clock.now() - meal.at > timedelta(minutes=CASHIER_VOID_MINUTES)
    ):
        raise Forbidden(
            f"A cashier voids only their own sale, within {CASHIER_VOID_MINUTES} minutes."
        )
    now = clock.now()
    async with in_transaction():
        marked = await Meal.filter(id=meal_id, voided_at=None).update(
            voided_at=now, voided_by_id=actor.user_id, void_reason=reason
        )
        if not marked:
            raise AlreadyVoided(f"Meal {meal_id} was already voided.")
        if meal.payment == "account" and meal.pay_fen > 0:
            account = await Account.get(diner_id=meal.diner_id)
            await ledger.credit(account.id, meal.pay_fen, kind="void", meal_id=meal.id)
        await LimitUse.filter(meal_id=meal.id).delete()
        await claim_rollup.record_void(meal)
        await audit.record(
            actor,
            "meal.void",
            meal,
            before={"voided": False},
            after={"voided": True, "reason": reason},
        )
    return await Meal.get(id=meal_id)


async def get_meal(actor: Actor, meal_id: int) -> Meal:
    require(actor, "meals.read")
    meal = await _meal_in_reach(actor, meal_id)
    if actor.role == Role.FAMILY and not await FamilyLink.exists(
        user_id=actor.user_id, diner_id=meal.diner_id
    ):
        raise NotFound(f"No meal {meal_id}.")
    await meal.fetch_related("lines", "diner", "sold_by")
    return meal


async def list_meals(
    actor: Actor,
    *,
    canteen_id: int | None,
    on: date | None,
    diner_id: int | None,
    limit: int,
    cursor: str | None,
    manual: bool | None = None,
) -> Page[Meal]:
    """Meals newest first, with their lines, diner and seller; each role sees only what lies
    in its reach. ``manual=True``: only the sales without a card (the manager's watch list)."""
    require(actor, "meals.read")
    query = Meal.all().prefetch_related("lines").select_related("diner", "sold_by")
    if manual is not None:
        query = query.filter(manual_reason__isnull=not manual)
    if actor.role in (Role.CASHIER, Role.MANAGER):
        if canteen_id not in (None, actor.canteen_id):
            return Page([], None)
        canteen_id = actor.canteen_id
    if actor.role == Role.FAMILY:
        linked = await values_of(FamilyLink.filter(user_id=actor.user_id), "diner_id")
        if diner_id is not None and diner_id not in linked:
            return Page([], None)
        query = query.filter(diner_id__in=[diner_id] if diner_id is not None else linked)
    if canteen_id is not None:
        query = query.filter(canteen_id=canteen_id)
    if on is not None:
        query = query.filter(local_date=on)
    if diner_id is not None:
        query = query.filter(diner_id=diner_id)
    return await page_of(after_cursor(query, cursor), limit)


def _phone_digits(text: str) -> str | None:
    """The digits of a full phone number (7 to 15 of them, spaces and dashes allowed), else None."""
    if not re.fullmatch(r"\+?[0-9][0-9 -]{5,19}", text):
        return None
    digits = re.sub(r"[^0-9]", "", text)
    return digits if 7 <= len(digits) <= 15 else None


async def lookup(actor: Actor, q: str) -> list[Diner]:
    """Find an elder for a sale without the card: by exact full name or full phone, any diner
    in the city, but no more than that (no part of a name, no last 4) and audited.

    The counter sees only the minimum (id, name, age, status, diet); the sale itself then needs
    the elder's answer. One audit entry per look-up, found or not: who looked, for whom found.
    """
    require(actor, "checkout.lookup")
    q = q.strip()
    digits = _phone_digits(q)
    if digits is not None:
        candidates = await Diner.filter(phone__contains=digits[-4:]).limit(200)
        found = [d for d in candidates if re.sub(r"[^0-9]", "", d.phone) == digits]
    else:
        found = await Diner.filter(name=q).order_by("id").limit(LOOKUP_RESULTS)
    found = sorted(found, key=lambda d: d.id)[:LOOKUP_RESULTS]
    user = await User.get(id=actor.user_id)
    await audit.record(
        actor,
        "checkout.lookup",
        user,
        after={
            "by": "phone" if digits else "name",
            "canteen_id": actor.canteen_id,
            "found": [d.id for d in found],
        },
    )
    return found
