"""The demo's menus, meals ordered ahead and a delivery run (issue 15), made by the services.

Called once from ``canteen.demo.fill`` after the meal history. Each canteen's manager publishes
its menus from this week's Monday to next week's Sunday (and back to the last lunch, on a Monday
morning) and sets a delivery fee. Orders are placed through ``orders.service.place`` by whoever
would place them (family1 for her parents, the counter for elders who telephone), each at a
moment before its meal's cut-off (``clock.frozen_at``), so they obey the same rules as real
ones:

- the last lunch that is over: up to five elders who had not come to lunch had it brought home,
  on a run walked by volunteer1; three were delivered (sold, charged through the ledger), one was
  not at home (a ``not_home`` alert if the elder lives alone) and one is left unreported (a
  shorter run keeps one door unreported and one not at home);
- today: lunches to eat in (unless today's lunch is the one delivered above) and dinners, one
  brought home;
- tomorrow: lunches, some to eat in and some brought home, family1's parents among them.

Who eats what is picked from the seeded sample by rule (home canteen, enough money, not the
couple whose lunches the portal's alert is about), so two demos look alike.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from canteen import clock
from canteen.accounts.models import Account
from canteen.canteens import service as canteens_service
from canteen.canteens.models import Canteen, Offering
from canteen.checkout.models import Meal
from canteen.columns import values_of
from canteen.diners.models import Diner
from canteen.errors import InsufficientBalance
from canteen.orders import menus, runs
from canteen.orders import service as orders
from canteen.orders.models import OPEN, Order
from canteen.orders.schemas import StopOut
from canteen.roles import Actor, Role

DELIVERY_FEES_FEN = (300, 200, 0)
"""Per demo canteen, in order: 北京街 charges ¥3 to bring a meal home, 南华西街 nothing."""
DISHES = {
    "breakfast": (
        ("艇仔粥", "肠粉"),
        ("白粥", "油条"),
        ("豆浆", "叉烧包", "菜包"),
        ("小米粥", "蒸饺"),
        ("皮蛋瘦肉粥", "馒头"),
    ),
    "lunch": (
        ("红烧鱼", "炒青菜", "米饭"),
        ("白切鸡", "蒜蓉菜心", "米饭"),
        ("番茄炒蛋", "清蒸排骨", "米饭"),
        ("宫保鸡丁", "炒豆角", "米饭"),
        ("土豆炖牛腩", "炒西兰花", "米饭"),
    ),
    "dinner": (
        ("香菇蒸鸡", "清炒时蔬", "米饭"),
        ("豆腐鱼头汤", "蒜蓉生菜", "米饭"),
        ("梅菜蒸肉饼", "上汤娃娃菜", "米饭"),
    ),
    "low_salt": (
        ("清蒸鲈鱼", "白灼菜心", "米饭"),
        ("冬瓜排骨汤", "清炒丝瓜", "米饭"),
        ("清蒸鸡", "蒸南瓜", "米饭"),
    ),
    "diabetic": (
        ("杂粮饭", "清蒸鱼", "凉拌苦瓜"),
        ("糙米饭", "西芹炒鸡丁", "清炒西兰花"),
        ("荞麦面", "番茄豆腐", "白灼生菜"),
    ),
    "soft_food": (
        ("肉末蒸蛋", "软米饭", "南瓜泥"),
        ("鱼片粥", "蒸水蛋"),
        ("豆腐羹", "烂面条", "蒸胡萝卜"),
    ),
}
"""What the kitchen cooks, in turns, by the dish's diet tag (else its meal): each dish of the
price list gets another set each day; a breakfast named for what it is keeps to that."""
ALLERGENS = {
    "红烧鱼": "鱼",
    "清蒸鲈鱼": "鱼",
    "鱼片粥": "鱼",
    "豆腐鱼头汤": "鱼",
    "宫保鸡丁": "花生",
    "番茄炒蛋": "鸡蛋",
    "蒸水蛋": "鸡蛋",
    "清蒸鱼": "鱼",
    "番茄豆腐": "大豆",
    "豆腐羹": "大豆",
    "荞麦面": "荞麦",
    "烂面条": "小麦",
    "肉末蒸蛋": "鸡蛋",
    "豆浆": "大豆",
    "肠粉": "小麦",
    "油条": "小麦",
    "叉烧包": "小麦",
    "菜包": "小麦",
    "蒸饺": "小麦",
    "馒头": "小麦",
}
RUN_STOPS = 5
DELIVERED, NOT_HOME = 3, 1
"""Of the run's stops, in walking order: delivered, then not at home; the rest unreported."""
COUPLE = (0, 1)
ORDERED_AT = time(8, 15)
"""When the morning's orders came in: before lunch closes at 09:00."""
RUN_MADE_AT, FIRST_DOOR_AT = time(10, 0), time(11, 10)
MIN_BALANCE_FEN = 3000
"""An elder ordered for has this much at least: two or three meals' estimates."""


@dataclass
class Placed:
    eat_in: int = 0
    delivery: int = 0
    skipped: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.eat_in} to eat in, {self.delivery} brought home"


def _dishes(offering: Offering, on: date) -> list[str]:
    """``offering``'s dishes on ``on``: a set from its diet's (or meal's) turns, or the sets of
    the turn its name already says (``白粥油条``)."""
    kind = next((tag for tag in offering.tags if tag in DISHES), offering.meal_type)
    named = [d for d in DISHES[kind] if d[0][:2] in offering.name]
    choices = named or DISHES[kind]
    return list(choices[(on.toordinal() + offering.id) % len(choices)])


def _allergens(dishes: list[str]) -> list[str]:
    return sorted({ALLERGENS[d] for d in dishes if d in ALLERGENS})


async def _menus(
    canteens: list[Canteen], managers: dict[int, Actor], first: date, last: date
) -> int:
    """Every day from ``first`` to ``last``, each canteen's whole price list on its menu."""
    days = 0
    for canteen in canteens:
        offerings = await Offering.filter(canteen_id=canteen.id, active=True).order_by("id")
        canteen_actor = managers[canteen.id]
        await canteens_service.update_canteen(
            canteen_actor,
            canteen.id,
            {"delivery_fee_fen": DELIVERY_FEES_FEN[canteens.index(canteen) % 3]},
        )
        on = first
        while on <= last:
            meals: dict[str, list[dict]] = {}
            for offering in offerings:
                dishes = _dishes(offering, on)
                meals.setdefault(offering.meal_type, []).append(
                    {"offering_id": offering.id, "dishes": dishes, "allergens": _allergens(dishes)}
                )
            await menus.set_menu(canteen_actor, canteen.id, on, meals)
            on += timedelta(days=1)
            days += 1
    return days


async def _place(
    actor: Actor, diner: Diner, on: date, meal_type: str, delivery: bool, tally: Placed
) -> int | None:
    """One order of the canteen's first dish for that meal; an elder whose money no longer
    covers it is left out (the service refuses, as it would refuse their family)."""
    offering = (
        await Offering.filter(canteen_id=diner.home_canteen_id, meal_type=meal_type, active=True)
        .order_by("id")
        .first()
    )
    assert offering is not None and diner.home_canteen_id is not None
    placing = orders.Placing(diner.id, diner.home_canteen_id, on, meal_type, offering.id, delivery)
    try:
        order = await orders.place(actor, placing)
    except InsufficientBalance:
        tally.skipped.append(diner.name)
        return None
    if delivery:
        tally.delivery += 1
    else:
        tally.eat_in += 1
    return order.order_id


async def _candidates(
    diners: list[Diner], canteen: Canteen, ate_on: date | None = None
) -> list[Diner]:
    """Active elders of the canteen with money, living alone first; none who ate lunch on
    ``ate_on`` already, and not the couple (their lunches are the portal's missed-meal story)."""
    rich = set(await values_of(Account.filter(balance_fen__gte=MIN_BALANCE_FEN), "diner_id"))
    lunches = Meal.filter(local_date=ate_on, meal_type="lunch")
    ate: set[int] = set(await values_of(lunches, "diner_id")) if ate_on else set()
    couple = {diners[i].id for i in COUPLE}
    found = [
        d
        for d in diners
        if d.home_canteen_id == canteen.id
        and d.status == "active"
        and d.id in rich
        and d.id not in ate | couple
    ]
    return sorted(found, key=lambda d: ("living_alone" not in d.categories, d.id))


def _outcomes(stops: int) -> list[str]:
    """What the deliverer reported at the first doors of a run of ``stops``: one door is always
    left unreported; of those reported, the last was not at home (when two or more were).

    >>> _outcomes(5), _outcomes(3), _outcomes(1)
    (['delivered', 'delivered', 'delivered', 'not_home'], ['delivered', 'not_home'], [])
    """
    reported = min(stops - 1, DELIVERED + NOT_HOME)
    if reported < 2:
        return ["delivered"] * max(reported, 0)
    return ["delivered"] * (reported - NOT_HOME) + ["not_home"] * NOT_HOME


def _reported(stops: list[StopOut], alone: set[int]) -> list[tuple[StopOut, str]]:
    """The stops reported, in walking order, with what was found: the door no one answered is
    an elder's who lives alone when the run has one (their family and watchers are told)."""
    walked = _outcomes(len(stops))
    outcome_of: dict[int, str] = {}
    if "not_home" in walked:
        lonely = [s for s in stops if s.diner_id in alone][:1]
        for stop in lonely:
            outcome_of[stop.stop_id] = "not_home"
            walked.remove("not_home")
    for stop in stops:
        if stop.stop_id not in outcome_of and walked:
            outcome_of[stop.stop_id] = walked.pop(0)
    return [(s, outcome_of[s.stop_id]) for s in stops if s.stop_id in outcome_of]


def _at(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at, zone)


async def _delivery_run(
    canteens: list[Canteen], diners: list[Diner], actors: dict[str, Actor], day: date
) -> tuple[Canteen, dict[str, int]]:
    """The last lunch that is over: up to five elders' lunches ordered that morning at the
    canteen with the most elders who had not come to lunch, put on a run for volunteer1 and
    walked. Returns the canteen and how many stops had each outcome (or were unreported)."""
    fed = [(await _candidates(diners, c, day), c) for c in canteens]
    chosen, canteen = max(fed, key=lambda pair: (len(pair[0]), -canteens.index(pair[1])))
    zone = ZoneInfo(canteen.timezone)
    by_role = {(a.role, a.canteen_id): a for a in actors.values()}
    cashier, manager = by_role[Role.CASHIER, canteen.id], by_role[Role.MANAGER, canteen.id]
    volunteer = actors["volunteer1"]
    tally = Placed()
    with clock.frozen_at(_at(day, ORDERED_AT, zone)):
        for diner in chosen[:RUN_STOPS]:
            await _place(cashier, diner, day, "lunch", True, tally)
    with clock.frozen_at(_at(day, RUN_MADE_AT, zone)):
        run = await runs.create_run(
            manager, canteen.id, runs.Planning(day, "lunch", volunteer.user_id)
        )
    alone = {d.id for d in diners if "living_alone" in d.categories}
    seen = {"unreported": len(run.stops)}
    for n, (stop, outcome) in enumerate(_reported(run.stops, alone)):
        door = _at(day, FIRST_DOOR_AT, zone) + timedelta(minutes=9 * n)
        with clock.frozen_at(door):
            await runs.record_outcome(volunteer, stop.stop_id, runs.Report(outcome))
        seen[outcome] = seen.get(outcome, 0) + 1
        seen["unreported"] -= 1
    return canteen, seen


async def fill(
    canteens: list[Canteen], diners: list[Diner], actors: dict[str, Actor], last_lunch: date
) -> tuple[str, ...]:
    """Menus, orders and the delivery run; returns the lines the demo's summary prints."""
    now = clock.now()
    zone = ZoneInfo(canteens[0].timezone)
    today = now.astimezone(zone).date()
    monday = today - timedelta(days=today.weekday())
    first, end = min(monday, last_lunch), monday + timedelta(days=13)
    managers = {a.canteen_id: a for a in actors.values() if a.role == Role.MANAGER and a.canteen_id}
    assert all(c.id in managers for c in canteens)
    menu_days = await _menus(canteens, managers, first, end)
    run_at, seen = await _delivery_run(canteens, diners, actors, last_lunch)

    morning = min(now, _at(today, ORDERED_AT, zone))
    today_orders, tomorrow_orders = Placed(), Placed()
    tomorrow = today + timedelta(days=1)
    family1 = actors["family1"]
    with clock.frozen_at(morning):
        for canteen in canteens:
            counter = managers[canteen.id]
            free = [
                d
                for d in await _candidates(diners, canteen)
                if not await _holds(d, today, "lunch")  # on the run, when it is today's lunch
            ][:6]
            if today != last_lunch:
                for diner in free[:3]:
                    await _place(counter, diner, today, "lunch", False, today_orders)
            for n, diner in enumerate(free[3:]):
                await _place(counter, diner, today, "dinner", n == 2, today_orders)
    for canteen in canteens:
        counter = managers[canteen.id]
        for n, diner in enumerate((await _candidates(diners, canteen))[:5]):
            if not await _holds(diner, tomorrow, "lunch"):
                await _place(counter, diner, tomorrow, "lunch", n < 2, tomorrow_orders)
    father, mother = (diners[i] for i in COUPLE)
    await _place(family1, father, tomorrow, "lunch", False, tomorrow_orders)
    await _place(family1, mother, tomorrow, "lunch", True, tomorrow_orders)
    left_out = today_orders.skipped + tomorrow_orders.skipped
    return (
        f"  menus {first} to {end} at every canteen ({menu_days} canteen-days); delivery fees"
        f" ¥3, ¥2 and none",
        f"  orders ahead: today {today_orders}, tomorrow {tomorrow_orders}"
        + (f" ({len(left_out)} left out: balance too low)" if left_out else ""),
        f"  a delivery run for {run_at.name}'s lunch on {last_lunch}, walked by volunteer1: "
        + ", ".join(f"{n} {outcome.replace('_', ' ')}" for outcome, n in sorted(seen.items())),
    )


async def _holds(diner: Diner, on: date, meal_type: str) -> bool:
    """The diner already has an open order for that meal (one each, ``order_exists``)."""
    return await Order.exists(
        diner_id=diner.id, local_date=on, meal_type=meal_type, status__in=OPEN
    )
