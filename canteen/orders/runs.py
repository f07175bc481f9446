"""Delivery runs (送餐上门): a deliverer's round of one canteen's delivery orders for a day and
meal, and what happened at each door.

A run takes every placed delivery order of its canteen, day and meal not yet on a run, in the
walking order ``route`` reads from the diners' addresses; the canteen's manager may reorder it.
At each stop the deliverer reports one outcome, once:

- ``delivered`` hands the order over (``service.hand_over``: a sale through the one sale use
  case, charged once) in the same transaction that records the stop;
- ``not_home`` and ``refused`` charge nothing and mark the order ``missed``; ``not_home`` for an
  elder who lives alone raises a ``not_home`` alert (to the family and the canteen's staff), in
  the same transaction.

The stop's outcome is claimed first, by a conditional update, so two phones reporting one stop
at the same instant record it once: the second waits for the first and then answers the same
(the same outcome), or ``stop_already_recorded`` (another one).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from tortoise.transactions import in_transaction

from canteen import clock
from canteen.alerts import service as alerts
from canteen.auth.models import User
from canteen.canteens import service as canteens
from canteen.canteens.models import Canteen
from canteen.checkout import service as checkout
from canteen.columns import values_of
from canteen.config import get_settings
from canteen.errors import Forbidden, InvalidInput, NotFound, StopAlreadyRecorded
from canteen.idempotency.service import IdempotencyKey, answer_of, once
from canteen.orders import route, service
from canteen.orders.models import DeliveryRun, DeliveryStop, Order
from canteen.orders.schemas import RunOut, StopOut
from canteen.points import service as points
from canteen.roles import Actor, Role, require

DELIVERERS = (Role.VOLUNTEER, Role.STAFF)
"""Who may deliver any canteen's run; a manager or cashier delivers only their own canteen's."""
LIVING_ALONE = "living_alone"


@dataclass(frozen=True)
class Planning:
    """What a run is made for: the day, the meal and who walks it."""

    on: date
    meal_type: str
    deliverer_user_id: int


@dataclass(frozen=True)
class Report:
    """What a deliverer saw at a door."""

    outcome: str
    payment: checkout.Payment = "account"
    note: str = ""


def masked_phone(phone: str) -> str:
    """The number with its middle digits hidden: ``13812345678`` -> ``138****5678``; a number
    shorter than a mobile keeps only its last four."""
    digits = [i for i, ch in enumerate(phone) if ch.isdigit()]
    head = 3 if len(digits) >= 11 else 0
    hidden = set(digits[head : max(head, len(digits) - 4)])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(phone))


def stop_out(stop: DeliveryStop) -> StopOut:
    """A stop as the deliverer's list shows it (its order and diner fetched with it)."""
    order, diner = stop.order, stop.order.diner
    return StopOut(
        stop_id=stop.id,
        order_id=order.id,
        position=stop.position,
        diner_id=diner.id,
        diner_name=diner.name,
        address=diner.address,
        phone_masked=masked_phone(diner.phone),
        dietary=diner.dietary,
        pay_fen_estimate=order.estimate_fen,
        outcome=stop.outcome,  # type: ignore[arg-type]
        meal_id=stop.meal_id,
        note=stop.note,
        recorded_at=stop.recorded_at,
    )


async def runs_out(runs: Iterable[DeliveryRun]) -> list[RunOut]:
    """The runs with their stops in walking order: one query for all their stops."""
    runs = list(runs)
    stops = (
        await DeliveryStop.filter(run_id__in=[r.id for r in runs])
        .select_related("order__diner")
        .order_by("position", "id")
    )
    by_run: dict[int, list[StopOut]] = {}
    for stop in stops:
        by_run.setdefault(stop.run_id, []).append(stop_out(stop))
    return [
        RunOut(
            run_id=run.id,
            canteen_id=run.canteen_id,
            date=run.local_date,
            meal_type=run.meal_type,  # type: ignore[arg-type]
            deliverer_user_id=run.deliverer_id,
            created_at=run.created_at,
            stops=by_run.get(run.id, []),
        )
        for run in runs
    ]


async def _planned_by(actor: Actor, canteen_id: int) -> Canteen:
    canteen = await canteens.get_canteen(actor, canteen_id)
    if actor.role == Role.MANAGER and actor.canteen_id != canteen.id:
        raise Forbidden("A manager plans only their own canteen's delivery runs.")
    return canteen


async def _check_deliverer(canteen: Canteen, user_id: int) -> None:
    user = await User.get_or_none(id=user_id, active=True)
    if user is None or not (
        user.role in DELIVERERS
        or (user.role in (Role.MANAGER, Role.CASHIER) and user.canteen_id == canteen.id)
    ):
        raise InvalidInput.on(
            "deliverer_user_id",
            "an active volunteer, office staff, or this canteen's manager or cashier",
        )


async def create_run(actor: Actor, canteen_id: int, p: Planning) -> RunOut:
    """Make a run of every placed delivery order of the canteen, day and meal that is on no
    run yet, in walking order. The canteen's row is locked first, so two runs made at once do
    not both take an order (the second takes what the first left: maybe nothing)."""
    require(actor, "deliveries.plan")
    canteen = await _planned_by(actor, canteen_id)
    await _check_deliverer(canteen, p.deliverer_user_id)
    async with in_transaction():
        await Canteen.select_for_update().get(id=canteen.id)
        meal = {"canteen_id": canteen.id, "local_date": p.on, "meal_type": p.meal_type}
        on_a_run = set(
            await values_of(
                DeliveryStop.filter(**{f"order__{k}": v for k, v in meal.items()}), "order_id"
            )
        )
        orders = await Order.filter(**meal, delivery=True, status="placed").select_related("diner")
        addresses = {o.id: o.diner.address for o in orders if o.id not in on_a_run}
        run = await DeliveryRun.create(
            canteen=canteen,
            local_date=p.on,
            meal_type=p.meal_type,
            deliverer_id=p.deliverer_user_id,
            created_at=clock.now(),
        )
        walk = route.round_order(addresses)
        await DeliveryStop.bulk_create(
            [
                DeliveryStop(run=run, order_id=order_id, position=position)
                for position, order_id in enumerate(walk, start=1)
            ]
        )
    return (await runs_out([run]))[0]


def _sees(actor: Actor, run: DeliveryRun) -> bool:
    """The deliverer and the office see a run; a manager or cashier their canteen's runs."""
    if run.deliverer_id == actor.user_id or actor.role in (Role.ADMIN, Role.STAFF):
        return True
    return actor.role in (Role.MANAGER, Role.CASHIER) and run.canteen_id == actor.canteen_id


async def _run_in_reach(actor: Actor, run_id: int) -> DeliveryRun:
    run = await DeliveryRun.get_or_none(id=run_id)
    if run is None or not _sees(actor, run):
        raise NotFound(f"No delivery run {run_id}.")
    return run


async def get_run(actor: Actor, run_id: int) -> RunOut:
    require(actor, "deliveries.read")
    return (await runs_out([await _run_in_reach(actor, run_id)]))[0]


async def my_runs(actor: Actor, on: date | None) -> list[RunOut]:
    """The runs the actor delivers on ``on`` (today in the server's time zone by default)."""
    require(actor, "deliveries.mine")
    day = on or clock.today(get_settings().tz)
    runs = await DeliveryRun.filter(deliverer_id=actor.user_id, local_date=day).order_by("id")
    return await runs_out(runs)


async def reorder(actor: Actor, run_id: int, stop_ids: list[int]) -> RunOut:
    """Put the run's stops in the order the manager gives: every stop of the run, once each."""
    require(actor, "deliveries.plan")
    run = await _run_in_reach(actor, run_id)
    if actor.role == Role.MANAGER and run.canteen_id != actor.canteen_id:
        raise NotFound(f"No delivery run {run_id}.")
    stops = await values_of(DeliveryStop.filter(run_id=run.id), "id")
    if len(stop_ids) != len(set(stop_ids)) or set(stop_ids) != set(stops):
        raise InvalidInput.on("stop_ids", "every stop of this run, once each")
    async with in_transaction():
        for position, stop_id in enumerate(stop_ids, start=1):
            await DeliveryStop.filter(id=stop_id).update(position=position)
    return (await runs_out([run]))[0]


def _records(actor: Actor, run: DeliveryRun) -> bool:
    """The run's deliverer, the canteen's manager and an admin record what happened."""
    return (
        run.deliverer_id == actor.user_id
        or actor.role == Role.ADMIN
        or (actor.role == Role.MANAGER and run.canteen_id == actor.canteen_id)
    )


async def _stop(stop_id: int) -> DeliveryStop:
    return await DeliveryStop.get(id=stop_id).select_related("run", "order__diner")


def _same_or_refused(stop: DeliveryStop, outcome: str) -> StopOut:
    """A stop already recorded: the same outcome answers it as it is, another is refused."""
    if stop.outcome != outcome:
        raise StopAlreadyRecorded(
            f"This stop was already recorded as {stop.outcome}.", outcome=stop.outcome
        )
    return stop_out(stop)


async def _not_delivered(stop: DeliveryStop) -> None:
    """Nothing charged: the order, still placed, is missed (a cancelled one stays cancelled).
    Only its stop hands a delivery order over, and the stop was claimed, so none is fulfilled.
    An elder living alone whom no one answered for is an alert."""
    order = stop.order
    await Order.filter(id=order.id, status="placed").update(status="missed", closed_at=clock.now())
    if stop.outcome == "not_home" and LIVING_ALONE in order.diner.categories:
        await alerts.not_home(
            alerts.NotHome(
                diner_id=order.diner_id,
                canteen_id=order.diner.home_canteen_id or order.canteen_id,
                local_date=order.local_date,
                detail={
                    "order_id": order.id,
                    "run_id": stop.run_id,
                    "stop_id": stop.id,
                    "meal_type": order.meal_type,
                    "note": stop.note,
                },
            )
        )


async def record_outcome(
    actor: Actor, stop_id: int, report: Report, key: IdempotencyKey | None = None
) -> StopOut:
    """Record what happened at a door, once: see the module's docstring.

    ``delivered`` that the balance no longer covers is refused (``insufficient_balance``) and
    records nothing, unless paid in cash; a cancelled or missed order cannot be delivered
    (``order_not_open``).
    """
    require(actor, "deliveries.record")
    found = await DeliveryStop.get_or_none(id=stop_id).select_related("run")
    if found is None or not _records(actor, found.run):
        raise NotFound(f"No delivery stop {stop_id}.")
    if key is not None and (stored := await answer_of(key)) is not None:
        return StopOut.model_validate(stored[1])  # or idempotency_key_reused, for another report
    if found.outcome is not None:
        return _same_or_refused(await _stop(stop_id), report.outcome)

    async def effect() -> dict:
        async with in_transaction():
            claimed = await DeliveryStop.filter(id=stop_id, outcome=None).update(
                outcome=report.outcome,
                note=report.note,
                recorded_at=clock.now(),
                recorded_by_id=actor.recorded_user_id,
            )
            stop = await _stop(stop_id)
            if not claimed:
                return _same_or_refused(stop, report.outcome).model_dump(mode="json")
            if report.outcome == "delivered":
                meal = await service.hand_over(actor, stop.order_id, report.payment)
                await DeliveryStop.filter(id=stop_id).update(meal_id=meal.id)
                await points.credit_delivery(stop.run.deliverer_id, stop_id)
                stop = await _stop(stop_id)
            else:
                await _not_delivered(stop)
            return stop_out(stop).model_dump(mode="json")

    _, body = await once(key, 200, effect)
    return StopOut.model_validate(body)
