"""What the delivery pages read beside the runs themselves: who may be named a run's deliverer,
a canteen's runs of a day, how many delivery orders still wait for a run, and what meal each
stop's box holds.

The API makes and reorders runs (``runs``); these answer the manager's planning page, which has
to offer a list of deliverers (a manager may not read the users) and say what is left to plan.
"""

from dataclasses import dataclass
from datetime import date

from canteen.auth.models import User
from canteen.canteens import service as canteens
from canteen.canteens.models import Canteen
from canteen.columns import values_of
from canteen.errors import NotFound
from canteen.orders import runs
from canteen.orders.models import DeliveryRun, DeliveryStop, Order
from canteen.orders.schemas import RunOut
from canteen.roles import Actor, Role, require


@dataclass(frozen=True)
class Deliverer:
    user_id: int
    name: str
    """The display name, else the username."""
    role: str


async def _canteen_in_reach(actor: Actor, canteen_id: int) -> Canteen:
    """The canteen, if the actor plans or reads its runs: a manager or cashier only their own
    (another's answers not found, as elsewhere)."""
    canteen = await canteens.get_canteen(actor, canteen_id)
    if actor.role in (Role.MANAGER, Role.CASHIER) and actor.canteen_id != canteen.id:
        raise NotFound(f"No canteen {canteen_id}.")
    return canteen


async def deliverers(actor: Actor, canteen_id: int) -> list[Deliverer]:
    """Everyone ``runs.create_run`` accepts as the canteen's deliverer: the active volunteers
    and office staff, and the canteen's own active manager and cashiers; by role, then name."""
    require(actor, "deliveries.plan")
    canteen = await _canteen_in_reach(actor, canteen_id)
    users = await User.filter(active=True, role__in=[str(r) for r in runs.DELIVERERS])
    own = await User.filter(
        active=True, canteen_id=canteen.id, role__in=[Role.MANAGER.value, Role.CASHIER.value]
    )
    order = {Role.VOLUNTEER: 0, Role.STAFF: 1, Role.MANAGER: 2, Role.CASHIER: 3}
    found = [Deliverer(u.id, u.display_name or u.username, u.role) for u in [*users, *own]]
    return sorted(found, key=lambda d: (order[Role(d.role)], d.name, d.user_id))


async def day_runs(actor: Actor, canteen_id: int, on: date, meal_type: str) -> list[RunOut]:
    """The canteen's runs of a day and meal, in the order they were made."""
    require(actor, "deliveries.read")
    canteen = await _canteen_in_reach(actor, canteen_id)
    found = DeliveryRun.filter(canteen_id=canteen.id, local_date=on, meal_type=meal_type)
    return await runs.runs_out(await found.order_by("id"))


async def waiting(actor: Actor, canteen_id: int, on: date, meal_type: str) -> int:
    """How many placed delivery orders of the day and meal are on no run yet: what the next
    run made would take."""
    require(actor, "deliveries.plan")
    canteen = await _canteen_in_reach(actor, canteen_id)
    meal = {"canteen_id": canteen.id, "local_date": on, "meal_type": meal_type}
    on_a_run = await values_of(
        DeliveryStop.filter(**{f"order__{k}": v for k, v in meal.items()}), "order_id"
    )
    placed = Order.filter(**meal, delivery=True, status="placed")
    return await (placed.exclude(id__in=on_a_run) if on_a_run else placed).count()


async def meals_of(run: RunOut) -> dict[int, str]:
    """The name of the meal each stop's order is for (order id -> offering name): what to take
    out of the box. The run was read through ``runs`` first, so the actor may see it."""
    orders = await Order.filter(id__in=[s.order_id for s in run.stops]).select_related("offering")
    return {o.id: o.offering.name for o in orders}


async def deliverer_name(user_id: int) -> str:
    """The name a run's deliverer goes by (display name, else username), for its printed list."""
    user = await User.get(id=user_id)
    return user.display_name or user.username
