"""The counter: quote a meal, sell it, void it. Each sale and each void is one transaction.

A sale's transaction holds, together or not at all: the conditional debit, the meal with its
subsidy lines and policy id, the ledger entry, the limit slots and (in ``once``) the stored
idempotent answer. Limits are slots with a unique key, so two counters selling to one diner
at the same instant cannot both take the last subsidised meal: the loser's insert collides,
its transaction rolls back, and the sale is priced again from the new state.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from canteen import clock
from canteen.accounts.models import Account, LedgerEntry
from canteen.alerts import service as alerts
from canteen.audit import service as audit
from canteen.auth.roles import Actor, Role, require
from canteen.canteens.models import Canteen, Offering
from canteen.canteens.service import MAX_PRICE_FEN
from canteen.cards import service as cards
from canteen.cards.models import Card
from canteen.checkout.models import MANUAL_REASONS, LimitUse, Meal, SubsidyLine
from canteen.claims import rollup as claim_rollup
from canteen.config import get_settings
from canteen.diners import resident_id
from canteen.diners.models import Diner, FamilyLink
from canteen.errors import (
    AlreadyVoided,
    DinerInactive,
    Forbidden,
    InsufficientBalance,
    InvalidAmount,
    InvalidInput,
    ManualSaleLimit,
    NoPolicy,
    NotFound,
    OutsideMealWindow,
    UnknownOffering,
)
from canteen.pagination import Page, after_cursor, page_of
from canteen.policies import engine
from canteen.policies import service as policies
from canteen.policies.models import Policy

CASHIER_VOID_MINUTES = 10
SALE_ATTEMPTS = 5
"""A sale that lost a race for a limit slot is priced again; more losses than this are a bug."""
LOW_BALANCE = "low_balance"
T = TypeVar("T")


Taken = dict[tuple[str, str], set[int]]
"""The limit slots already taken, by (rule, period)."""


class LostRace(Exception):
    """A limit slot this sale was priced with was taken meanwhile; the sale is priced again."""


@dataclass(frozen=True)
class Order:
    """What the counter asks for: at which canteen, which dish (or a meal type and price)."""

    canteen_id: int
    offering_id: int | None = None
    meal_type: str | None = None
    price_fen: int | None = None


@dataclass(frozen=True)
class Who:
    """How the diner was identified: a scanned card, or found by hand with a reason."""

    card_payload: str | None = None
    diner_id: int | None = None
    manual_reason: str | None = None


@dataclass
class Quote:
    diner: Diner
    card: Card | None
    canteen: Canteen
    offering: Offering | None
    meal_type: str
    local_date: date
    policy: Policy | None
    pricing: engine.Pricing
    account: Account
    taken: Taken = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def balance_fen(self) -> int:
        return self.account.balance_fen

    @property
    def balance_after_fen(self) -> int:
        return self.balance_fen - self.pricing.pay_fen


async def _identify(who: Who) -> tuple[Diner, Card | None]:
    if who.card_payload is not None:
        card, diner = await cards.resolve(who.card_payload)
        return diner, card
    if who.diner_id is None or who.manual_reason is None:
        raise InvalidInput.on("card", "scan a card, or give diner_id and manual_reason")
    if who.manual_reason not in MANUAL_REASONS:
        raise InvalidInput.on("manual_reason", f"one of {', '.join(MANUAL_REASONS)}")
    diner = await Diner.get_or_none(id=who.diner_id)
    if diner is None:
        raise InvalidInput.on("diner_id", "no such diner")
    return diner, None


async def _canteen_for(actor: Actor, canteen_id: int) -> Canteen:
    """The canteen selling; a cashier or manager sells only at their own."""
    if actor.role in (Role.CASHIER, Role.MANAGER) and actor.canteen_id != canteen_id:
        raise Forbidden("You sell only at your own canteen.")
    canteen = await Canteen.get_or_none(id=canteen_id)
    if canteen is None:
        raise InvalidInput.on("canteen_id", "no such canteen")
    return canteen


def meal_type_at(canteen: Canteen, moment: datetime) -> str:
    """The meal window open at ``moment`` in the canteen's own time zone."""
    local = moment.astimezone(ZoneInfo(canteen.timezone)).strftime("%H:%M")
    for meal_type, (start, end) in canteen.meal_windows.items():
        if start <= local < end:
            return meal_type
    raise OutsideMealWindow.on("meal_type", f"no meal is served at {local}; give meal_type")


async def _dish(canteen: Canteen, order: Order, now: datetime) -> tuple[Offering | None, str, int]:
    if order.offering_id is not None:
        offering = await Offering.get_or_none(
            id=order.offering_id, canteen_id=canteen.id, active=True
        )
        if offering is None:
            raise UnknownOffering.on("offering_id", "not on this canteen's price list")
        return offering, offering.meal_type, offering.price_fen
    if order.price_fen is None:
        raise InvalidInput.on("offering_id", "give offering_id, or meal_type and price_fen")
    if not 0 <= order.price_fen <= MAX_PRICE_FEN:
        raise InvalidAmount.on("price_fen", f"must be 0 to {MAX_PRICE_FEN} fen")
    return None, order.meal_type or meal_type_at(canteen, now), order.price_fen


def _periods(on: date) -> tuple[str, str]:
    """The keys of a local date's daily and monthly limits: ``2026-11-23`` and ``2026-11``."""
    return on.isoformat(), on.strftime("%Y-%m")


async def _taken(diner_id: int, on: date) -> Taken:
    """Every slot this diner's rules took today and this month, across all canteens: one query."""
    rows = await LimitUse.filter(diner_id=diner_id, period__in=_periods(on)).values_list(
        "rule", "period", "slot"
    )
    taken: Taken = {}
    for rule, period, slot in rows:
        taken.setdefault((rule, period), set()).add(slot)
    return taken


def _usage(taken: Taken, on: date) -> dict[str, engine.Usage]:
    day, month = _periods(on)
    rules = {rule for rule, _ in taken}
    return {
        rule: engine.Usage(len(taken.get((rule, day), ())), len(taken.get((rule, month), ())))
        for rule in rules
    }


def _engine_view(
    diner: Diner, canteen: Canteen, meal_type: str, price_fen: int, tags: list[str], on: date
):
    who = engine.Diner(
        age=resident_id.age_on(diner.birth_date, on),
        categories=frozenset(diner.categories),
        disability_level=diner.disability_level,
        district=diner.district,
        street=diner.street,
    )
    meal = engine.Meal(
        canteen.id, canteen.district, canteen.street, meal_type, price_fen, frozenset(tags)
    )  # type: ignore[arg-type]
    return who, meal


async def quote(actor: Actor, who: Who, order: Order) -> Quote:
    """Who is eating, what the meal costs them and the funders, and what to warn about.

    Changes nothing; the sale prices again inside its own transaction.
    """
    require(actor, "checkout.quote")
    canteen = await _canteen_for(actor, order.canteen_id)
    diner, card = await _identify(who)
    return await _price(diner, card, canteen, order, await Account.get(diner_id=diner.id))


async def _price(
    diner: Diner, card: Card | None, canteen: Canteen, order: Order, account: Account
) -> Quote:
    if diner.status != "active":
        raise DinerInactive(f"This diner is {diner.status}; no meal can be sold.")
    now = clock.now()
    offering, meal_type, price_fen = await _dish(canteen, order, now)
    local_date = now.astimezone(ZoneInfo(canteen.timezone)).date()
    try:
        policy: Policy | None = await policies.in_force_on(local_date)
    except NoPolicy:
        policy = None
    tags = offering.tags if offering else []
    diner_view, meal_view = _engine_view(diner, canteen, meal_type, price_fen, tags, local_date)
    taken: Taken = {}
    if policy is None:
        pricing = engine.Pricing(price_fen, ())
    else:
        taken = await _taken(diner.id, local_date)
        usage = _usage(taken, local_date)
        pricing = engine.price(policies.document(policy), diner_view, meal_view, usage)
    result = Quote(
        diner, card, canteen, offering, meal_type, local_date, policy, pricing, account, taken
    )
    result.warnings = [*pricing.warnings, *_balance_warning(result), *diner.dietary]
    return result


def _balance_warning(q: Quote) -> list[str]:
    return [LOW_BALANCE] if q.balance_after_fen < q.account.low_balance_fen else []


async def _take_slots(q: Quote, meal: Meal) -> None:
    """Take the first free slot of each limited rule that paid for this meal.

    The free slots come from the sale's own pricing, read after the account row was locked;
    a slot taken meanwhile anyway makes the insert collide, and the sale is retried.
    """
    rules = {rule.code: rule for rule in policies.document(q.policy).rules} if q.policy else {}
    day, month = _periods(q.local_date)
    uses = []
    for line in (*q.pricing.lines, *q.pricing.operator_lines):
        rule = rules[line.rule]
        for period, limit in ((day, rule.daily_limit), (month, rule.monthly_limit)):
            if limit is None:
                continue
            free = set(range(1, limit + 1)) - q.taken.get((line.rule, period), set())
            if not free:
                raise LostRace(f"{line.rule} was used up for {period} while this sale was priced")
            uses.append(
                LimitUse(
                    diner_id=q.diner.id, rule=line.rule, period=period, slot=min(free), meal=meal
                )
            )
    if uses:
        await LimitUse.bulk_create(uses)


async def _debit(q: Quote, payment: str) -> int | None:
    """Take the diner's share from their account; the balance after, or None for cash.

    The UPDATE is conditional (never below zero whatever happened since the row was read);
    the balance after is the locked row's balance less the share.
    """
    if payment == "cash":
        return None
    pay = q.pricing.pay_fen
    if pay == 0:
        return q.balance_fen
    moved = await Account.filter(id=q.account.id, balance_fen__gte=pay).update(
        balance_fen=F("balance_fen") - pay
    )
    if not moved:
        raise InsufficientBalance(shortfall_fen=pay - q.balance_fen)
    return q.balance_fen - pay


async def _record(
    actor: Actor, q: Quote, payment: str, manual_reason: str | None
) -> tuple[Meal, int | None]:
    balance_after = await _debit(q, payment)
    now = clock.now()
    meal = await Meal.create(
        canteen=q.canteen,
        diner=q.diner,
        card=q.card,
        offering=q.offering,
        policy=q.policy,
        meal_type=q.meal_type,
        price_fen=q.pricing.price_fen,
        subsidy_fen=q.pricing.subsidy_fen,
        pay_fen=q.pricing.pay_fen,
        operator_subsidy_fen=sum(line.amount_fen for line in q.pricing.operator_lines),
        payment=payment,
        local_date=q.local_date,
        at=now,
        sold_by_id=actor.user_id,
        manual_reason=manual_reason,
    )
    lines = [(line, "diner") for line in q.pricing.lines]
    lines += [(line, "operator") for line in q.pricing.operator_lines]
    subsidy_lines = [
        SubsidyLine(
            meal=meal,
            rule=line.rule,
            label=line.label,
            funder=line.funder,
            amount_fen=line.amount_fen,
            pays=pays,
        )
        for line, pays in lines
    ]
    if subsidy_lines:
        await SubsidyLine.bulk_create(subsidy_lines)
    await claim_rollup.record_sale(meal, subsidy_lines)
    await _take_slots(q, meal)
    if balance_after is not None and q.pricing.pay_fen > 0:
        await LedgerEntry.create(
            account_id=q.account.id,
            kind="meal",
            amount_fen=-q.pricing.pay_fen,
            balance_after_fen=balance_after,
            meal=meal,
            at=now,
        )
    if manual_reason is not None:
        await audit.record(
            actor, "meal.manual_sale", meal, after={"reason": manual_reason, "diner_id": q.diner.id}
        )
    return meal, balance_after


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


@dataclass
class Sale:
    quote: Quote
    meal: Meal
    balance_after_fen: int | None


async def sell(actor: Actor, who: Who, order: Order, payment: str) -> Sale:
    """Sell one meal: price it, take the money and the limit slots, record it — all at once."""
    require(actor, "checkout.sell")
    if payment not in ("account", "cash"):
        raise InvalidInput.on("payment", "account or cash")
    canteen = await _canteen_for(actor, order.canteen_id)
    diner, card = await _identify(who)
    async with in_transaction():
        # Lock the diner's account first: on PostgreSQL this one diner's sales then run one
        # after another, each pricing from the state the previous one left (SQLite runs every
        # transaction one after another anyway). The limit slots' unique key stays as the
        # backstop: a sale that still loses a race is retried.
        account = await Account.select_for_update().get(diner_id=diner.id)
        q = await _price(diner, card, canteen, order, account)
        if who.manual_reason is not None:
            await _check_manual_allowance(q.diner.id, q.local_date)
        meal, balance_after = await _record(actor, q, payment, who.manual_reason)
        await alerts.after_sale(q, balance_after)
        return Sale(q, meal, balance_after)


async def retrying(run: Callable[[], Awaitable[T]]) -> T:
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
    ):  # type: ignore[attr-defined]
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
        meal.sold_by_id != actor.user_id  # type: ignore[attr-defined]
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
            account = await Account.get(diner_id=meal.diner_id)  # type: ignore[attr-defined]
            await Account.filter(id=account.id).update(balance_fen=F("balance_fen") + meal.pay_fen)
            balance = (await Account.get(id=account.id)).balance_fen
            await LedgerEntry.create(
                account=account,
                kind="void",
                amount_fen=meal.pay_fen,
                balance_after_fen=balance,
                meal_id=meal.id,
                at=now,
            )
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
    ):  # type: ignore[attr-defined]
        raise NotFound(f"No meal {meal_id}.")
    await meal.fetch_related("lines")
    return meal


async def list_meals(
    actor: Actor,
    *,
    canteen_id: int | None,
    on: date | None,
    diner_id: int | None,
    limit: int,
    cursor: str | None,
) -> Page[Meal]:
    """Meals newest first, with their lines; each role sees only what lies in its reach."""
    require(actor, "meals.read")
    query = Meal.all().prefetch_related("lines")
    if actor.role in (Role.CASHIER, Role.MANAGER):
        if canteen_id not in (None, actor.canteen_id):
            return Page([], None)
        canteen_id = actor.canteen_id
    if actor.role == Role.FAMILY:
        linked = await FamilyLink.filter(user_id=actor.user_id).values_list("diner_id", flat=True)
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
