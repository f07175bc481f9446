"""What a page shows to order a meal ahead for one elder: their home canteen's menu for the
coming week, each dish with what in it clashes with the elder's diet, whether ordering for that
meal is still open, and the elder's orders waiting to be handed over.

Read through the services the API calls (``orders.menus``, ``orders.service``); the order is
placed and cancelled by ``static/ordering.js`` through ``POST /orders`` and
``POST /orders/{id}/cancel``. The family portal and the office's elder page both show it
(``ordering_macros.html``).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from canteen import clock
from canteen.canteens.models import Canteen, Offering
from canteen.config import get_settings
from canteen.diners import diet
from canteen.diners.models import Diner
from canteen.orders import menus
from canteen.orders import service as orders
from canteen.orders.models import Order
from canteen.roles import Actor

DAYS_SHOWN = 7
"""Today and the six days after it: the week a family plans."""
ORDERS_SHOWN = 50
MEAL_ORDER = ("breakfast", "lunch", "dinner")
DIET_TAGS = ("diabetic", "low_salt", "soft_food")
"""Diet flags a dish's tag answers: a diabetic elder's dish should be tagged ``diabetic``."""


@dataclass(frozen=True)
class Clash:
    """Why a dish may not suit the elder: an allergen they have (``what`` is the allergen), or
    a diet the dish is not made for (``what`` is the flag)."""

    kind: str
    what: str


def clashes(dietary: list[str], tags: list[str], allergens: list[str]) -> list[Clash]:
    """The dish's clashes with an elder's diet flags. Pure.

    >>> clashes(["diabetic", "allergy:花生"], ["low_salt"], ["花生油", "鸡蛋"])
    [Clash(kind='allergen', what='花生油'), Clash(kind='diet', what='diabetic')]
    """
    allergies = [a.casefold() for flag in dietary if (a := diet.allergen(flag))]
    found = [
        Clash("allergen", allergen)
        for allergen in allergens
        if any(a in allergen.casefold() or allergen.casefold() in a for a in allergies)
    ]
    found += [Clash("diet", flag) for flag in dietary if flag in DIET_TAGS and flag not in tags]
    return found


@dataclass(frozen=True)
class Dish:
    offering_id: int
    name: str
    price_fen: int
    tags: list[str]
    dishes: list[str]
    allergens: list[str]
    clashes: list[Clash]


@dataclass(frozen=True)
class MealMenu:
    meal_type: str
    closes_at: datetime
    """Local time in the canteen's zone."""
    open: bool
    dishes: list[Dish]


@dataclass(frozen=True)
class DayMenu:
    on: date
    meals: list[MealMenu]

    @property
    def orderable(self) -> bool:
        """Some meal of the day can still be ordered."""
        return any(meal.open for meal in self.meals)


@dataclass(frozen=True)
class OpenOrder:
    order: Order
    offering: str
    closes_at: datetime
    """Local; cancelling is open before it."""
    cancellable: bool


@dataclass
class Ordering:
    """Everything the order section needs; ``canteen`` is None without a home canteen."""

    diner: Diner
    canteen: Canteen | None
    today: date
    days: list[DayMenu] = field(default_factory=list)
    orders: list[OpenOrder] = field(default_factory=list)

    @property
    def may_order(self) -> bool:
        return self.canteen is not None and self.diner.status == "active"


def _local(at: datetime, canteen: Canteen) -> datetime:
    return at.astimezone(ZoneInfo(canteen.timezone))


async def for_diner(actor: Actor, diner: Diner) -> Ordering:
    """The elder's home canteen's menu from today for ``DAYS_SHOWN`` days, and their orders
    still waiting (placed), soonest first. ``diner`` must already be in the actor's reach."""
    if diner.home_canteen_id is None:
        return Ordering(diner, None, clock.today(get_settings().tz))
    canteen = await Canteen.get(id=diner.home_canteen_id)
    now = clock.now()
    today = _local(now, canteen).date()
    served = await menus.menus(actor, canteen.id, today, today + timedelta(days=DAYS_SHOWN - 1))
    days = []
    for on, day in served.items():
        meals = []
        for meal_type in sorted(day, key=MEAL_ORDER.index):
            closes = orders.cutoff_of(canteen, on, meal_type)
            dishes = [
                Dish(
                    s.offering.id,
                    s.offering.name,
                    s.offering.price_fen,
                    s.offering.tags,
                    s.dishes,
                    s.allergens,
                    clashes(diner.dietary, s.offering.tags, s.allergens),
                )
                for s in day[meal_type]
            ]
            meals.append(MealMenu(meal_type, _local(closes, canteen), now < closes, dishes))
        days.append(DayMenu(on, meals))
    waiting = await orders.list_orders(
        actor, orders.OrderFilter(diner_id=diner.id, status="placed"), ORDERS_SHOWN, None
    )
    names = await _offering_names([o.offering_id for o in waiting.items])
    shown = [
        OpenOrder(o, names.get(o.offering_id, ""), _local(o.cutoff_at, canteen), now < o.cutoff_at)
        for o in sorted(waiting.items, key=lambda o: (o.local_date, MEAL_ORDER.index(o.meal_type)))
    ]
    return Ordering(diner, canteen, today, days, shown)


async def _offering_names(ids: list[int]) -> dict[int, str]:
    return dict(await Offering.filter(id__in=set(ids)).values_list("id", "name"))
