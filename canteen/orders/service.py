"""Meals ordered ahead: place, cancel and list them; hand over a delivery; mark the
uncollected ones missed.

No money moves when an order is placed: the diner is told an estimate (priced now by the
counter's own engine and policy), and the balance must cover it and every other placed order's
estimate. The meal is priced and charged when it is handed over, by ``checkout.service.sell``,
the one sale use case: at the counter when the diner's card is scanned for the meal they
ordered to eat in, or at the door through ``hand_over``.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from canteen import clock
from canteen.accounts.models import Account
from canteen.audit import service as audit
from canteen.canteens.models import DEFAULT_ORDER_CUTOFFS, Canteen, Offering
from canteen.checkout import service as checkout
from canteen.checkout.models import Meal
from canteen.columns import values_of
from canteen.diners.models import Diner, FamilyLink
from canteen.errors import (
    DinerInactive,
    Forbidden,
    InsufficientBalance,
    InvalidInput,
    NotFound,
    NotOnMenu,
    OrderCutoffPassed,
    OrderExists,
    OrderNotOpen,
)
from canteen.idempotency.service import IdempotencyKey, once
from canteen.orders import cutoffs, menus
from canteen.orders.models import OPEN, Order
from canteen.orders.schemas import Estimate, OrderOut
from canteen.pagination import Page, after_cursor, page_of
from canteen.roles import Actor, Role, require

PLACED = 201
LATE_CANCELLERS = (Role.ADMIN, Role.MANAGER)
"""Who may still cancel once ordering closed (the kitchen is told; audited)."""


@dataclass(frozen=True)
class Placing:
    """What an order asks for: whose meal, where, which day and meal, which dish, how."""

    diner_id: int
    canteen_id: int
    on: date
    meal_type: str
    offering_id: int
    delivery: bool
    note: str = ""


def order_out(order: Order, estimate: Estimate | None = None) -> OrderOut:
    return OrderOut(
        order_id=order.id,
        status=order.status,  # type: ignore[arg-type]
        diner_id=order.diner_id,
        canteen_id=order.canteen_id,
        date=order.local_date,
        meal_type=order.meal_type,  # type: ignore[arg-type]
        offering_id=order.offering_id,
        delivery=order.delivery,
        note=order.note,
        cutoff_at=order.cutoff_at,
        meal_id=order.meal_id,
        estimate=estimate,
    )


async def _diner_in_reach(actor: Actor, diner_id: int) -> Diner:
    """A family member orders only for the diners linked to them; any other is not found."""
    diner = await Diner.get_or_none(id=diner_id)
    if diner is None or (
        actor.role == Role.FAMILY
        and not await FamilyLink.exists(user_id=actor.user_id, diner_id=diner_id)
    ):
        raise NotFound(f"No diner {diner_id}.")
    return diner


async def _canteen_for(actor: Actor, canteen_id: int) -> Canteen:
    """A cashier or manager takes orders only for their own canteen."""
    if actor.role in (Role.CASHIER, Role.MANAGER) and actor.canteen_id != canteen_id:
        raise Forbidden("You take orders only for your own canteen.")
    canteen = await Canteen.get_or_none(id=canteen_id)
    if canteen is None:
        raise InvalidInput.on("canteen_id", "no such canteen")
    return canteen


def cutoff_of(canteen: Canteen, on: date, meal_type: str) -> datetime:
    """When ordering (and cancelling) closes for this canteen's meal on ``on``."""
    text = canteen.order_cutoffs.get(meal_type, DEFAULT_ORDER_CUTOFFS[meal_type])
    return cutoffs.parse(text).closes_at(on, canteen.timezone)


async def _served(canteen: Canteen, p: Placing) -> Offering:
    offering = await Offering.get_or_none(id=p.offering_id, canteen_id=canteen.id, active=True)
    if offering is None or not await menus.is_served(canteen.id, p.on, p.meal_type, offering.id):
        raise NotOnMenu.on("offering_id", f"not on this canteen's {p.meal_type} menu for {p.on}")
    return offering


async def _committed_fen(diner_id: int) -> int:
    """What the diner's placed orders are expected to cost: the balance is promised to them."""
    placed = Order.filter(diner_id=diner_id, status="placed")
    return sum(await values_of(placed, "estimate_fen"))


async def place(actor: Actor, p: Placing, key: IdempotencyKey | None = None) -> OrderOut:
    """Place an order, once per Idempotency-Key: checked, estimated and written in one
    transaction, the diner's account row locked, so two orders placed at the same instant
    are both counted against the balance; a second open order for the meal is refused."""
    require(actor, "orders.place")
    diner = await _diner_in_reach(actor, p.diner_id)
    canteen = await _canteen_for(actor, p.canteen_id)
    if diner.status != "active":
        raise DinerInactive(f"This diner is {diner.status}; no meal can be ordered.")
    cutoff_at = cutoff_of(canteen, p.on, p.meal_type)
    if clock.now() >= cutoff_at:
        raise OrderCutoffPassed(
            f"Orders for {p.meal_type} on {p.on} closed at {cutoff_at.isoformat()}.",
            cutoff_at=cutoff_at.isoformat(),
        )
    offering = await _served(canteen, p)

    async def effect() -> dict:
        async with in_transaction():
            account = await Account.select_for_update().get(diner_id=diner.id)
            if await Order.exists(
                diner_id=diner.id, local_date=p.on, meal_type=p.meal_type, status__in=OPEN
            ):
                raise OrderExists(f"This diner already ordered {p.meal_type} for {p.on}.")
            pricing = await checkout.estimate(diner, canteen, offering, p.on, p.delivery)
            shortfall = pricing.pay_fen + await _committed_fen(diner.id) - account.balance_fen
            if pricing.pay_fen > 0 and shortfall > 0:
                raise InsufficientBalance(shortfall_fen=shortfall)
            order = await Order.create(
                diner=diner,
                canteen=canteen,
                local_date=p.on,
                meal_type=p.meal_type,
                offering=offering,
                delivery=p.delivery,
                note=p.note,
                placed_by_id=actor.user_id,
                placed_at=clock.now(),
                estimate_fen=pricing.pay_fen,
                cutoff_at=cutoff_at,
            )
            fee = pricing.price_fen - offering.price_fen
            estimate = Estimate(
                price_fen=offering.price_fen,
                subsidy_fen=pricing.subsidy_fen,
                delivery_fee_fen=fee,
                pay_fen=pricing.pay_fen,
            )
            return order_out(order, estimate).model_dump(mode="json")

    try:
        _, body = await once(key, PLACED, effect)
    except IntegrityError as exc:  # uq_meal_order_open: the same meal ordered at one instant
        raise OrderExists(f"This diner already ordered {p.meal_type} for {p.on}.") from exc
    return OrderOut.model_validate(body)


async def _in_reach(actor: Actor, order_id: int) -> Order:
    """An order the actor may see: a family's linked diners', a counter's own canteen's."""
    order = await Order.get_or_none(id=order_id)
    if order is None or (
        actor.role in (Role.CASHIER, Role.MANAGER) and order.canteen_id != actor.canteen_id
    ):
        raise NotFound(f"No order {order_id}.")
    if actor.role == Role.FAMILY and not await FamilyLink.exists(
        user_id=actor.user_id, diner_id=order.diner_id
    ):
        raise NotFound(f"No order {order_id}.")
    return order


async def cancel(actor: Actor, order_id: int) -> OrderOut:
    """Cancel a placed order, at no cost, before the cut-off; a manager (or admin) may still
    after it, audited. Cancelling a cancelled order again answers it as it is."""
    require(actor, "orders.cancel")
    order = await _in_reach(actor, order_id)
    if order.status == "cancelled":
        return order_out(order)
    now = clock.now()
    late = now >= order.cutoff_at
    if late and actor.role not in LATE_CANCELLERS:
        raise OrderCutoffPassed(
            f"Orders for this meal closed at {order.cutoff_at.isoformat()}; ask the canteen.",
            cutoff_at=order.cutoff_at.isoformat(),
        )
    async with in_transaction():
        cancelled = await Order.filter(id=order.id, status="placed").update(
            status="cancelled", closed_at=now
        )
        if not cancelled:
            raise OrderNotOpen(f"Order {order.id} is {order.status}.")
        if late:
            await audit.record(
                actor,
                "order.cancel_after_cutoff",
                order,
                before={"status": "placed"},
                after={"status": "cancelled"},
            )
    return order_out(await Order.get(id=order.id))


@dataclass(frozen=True)
class OrderFilter:
    canteen_id: int | None = None
    on: date | None = None
    meal_type: str | None = None
    status: str | None = None
    diner_id: int | None = None


async def list_orders(actor: Actor, f: OrderFilter, limit: int, cursor: str | None) -> Page[Order]:
    """Orders newest first, in the actor's reach (as for meals): a family's linked diners', a
    counter's own canteen's, the office's all."""
    require(actor, "orders.read")
    query = Order.all()
    canteen_id = f.canteen_id
    if actor.role in (Role.CASHIER, Role.MANAGER):
        if canteen_id not in (None, actor.canteen_id):
            return Page([], None)
        canteen_id = actor.canteen_id
    if actor.role == Role.FAMILY:
        linked = await values_of(FamilyLink.filter(user_id=actor.user_id), "diner_id")
        if f.diner_id is not None and f.diner_id not in linked:
            return Page([], None)
        query = query.filter(diner_id__in=[f.diner_id] if f.diner_id is not None else linked)
    wanted = {
        "canteen_id": canteen_id,
        "local_date": f.on,
        "meal_type": f.meal_type,
        "status": f.status,
        "diner_id": f.diner_id,
    }
    query = query.filter(**{k: v for k, v in wanted.items() if v is not None})
    return await page_of(after_cursor(query, cursor), limit)


async def hand_over(
    actor: Actor,
    order_id: int,
    payment: checkout.Payment = "account",
    key: IdempotencyKey | None = None,
) -> Meal:
    """Hand a delivery order over at the door: a sale through ``checkout.sell`` (the engine,
    the limits, the ledger), with the canteen's delivery fee, which fulfils the order.

    However often it is reported (a deliverer's phone resending, the manager recording it
    too), the meal is sold once: a fulfilled order answers with its meal.
    """
    order = await Order.get_or_none(id=order_id)
    if order is None:
        raise NotFound(f"No order {order_id}.")
    if not order.delivery:
        raise InvalidInput.on("order_id", "an eat-in order is handed over at the counter")
    if order.status == "fulfilled":
        return await Meal.get(id=order.meal_id)
    sale = checkout.Order(order.canteen_id, order.offering_id, delivery=True)
    try:
        receipt = await checkout.sell(actor, checkout.Who(order_id=order.id), sale, payment, key)
    except OrderNotOpen:
        now = await Order.get(id=order.id)
        if now.status != "fulfilled":
            raise
        return await Meal.get(id=now.meal_id)
    return await Meal.get(id=receipt.meal_id)


def _ended_through(canteen: Canteen, meal_type: str, delivery: bool, now: datetime) -> date:
    """The last local day whose ``meal_type`` is over at ``now``: an eat-in meal at the end of
    its window, a delivery at the end of the day (the deliverer may still be on the road)."""
    local = now.astimezone(ZoneInfo(canteen.timezone))
    window = canteen.meal_windows.get(meal_type)
    if delivery or window is None or local.strftime("%H:%M") < window[1]:
        return local.date() - timedelta(days=1)
    return local.date()


async def mark_missed(now: datetime) -> int:
    """Mark missed every placed order whose meal is over: nothing is charged. Returns how many.

    A few updates per canteen (one per meal type and way), each conditional on the order
    still being placed, so a hand-over committed meanwhile keeps its order fulfilled.
    """
    marked = 0
    for canteen in await Canteen.all():
        for meal_type in DEFAULT_ORDER_CUTOFFS:
            for delivery in (False, True):
                through = _ended_through(canteen, meal_type, delivery, now)
                marked += await Order.filter(
                    canteen_id=canteen.id,
                    meal_type=meal_type,
                    delivery=delivery,
                    status="placed",
                    local_date__lte=through,
                ).update(status="missed", closed_at=now)
    return marked
