"""Six weeks of the demo canteens' life: meals, costs and grants, and last month's claims.

Made by the same services as everything else, each at a past moment (``clock.frozen_at``):
the counter sells every meal (card scans, a few manual sales, a few voids by the manager), the
managers record costs and grants, the civil-affairs office drafts, submits, approves and marks
paid last month's claims. So every report has real numbers, and the misuse report has a few
planted patterns to show: a card used at a canteen in another district 25 minutes after lunch
at home, a diner sold four meals without a card every month, and one eating three meals a day.

Who eats when is drawn from its own seeded generator (:func:`plan`, pure), so the rest of the
demo's sample does not change with it. Diners whose account the demo leaves empty or low pay
cash; the others pay from their account, topped up with 50 yuan at the counter whenever a meal
would not be covered. ``meals`` returns each account's balance afterwards, so the demo's final
top-ups can bring every account to its planned balance.

Regulars (who ate on most of the ten weekdays before the last day) also eat on the last day:
the missed-meal alert check that runs after that day's lunch must find only the one diner the
demo means it to find.
"""

import random
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from canteen import clock, periods
from canteen.accounts import service as accounts
from canteen.accounts.models import Account
from canteen.canteens.models import Canteen, Offering
from canteen.cards import service as cards_service
from canteen.cards.models import Card
from canteen.checkout import service as checkout
from canteen.checkout.models import Meal, SubsidyLine
from canteen.claims import service as claims
from canteen.diners import service as diner_service
from canteen.diners.models import Diner
from canteen.errors import InsufficientBalance, ManualSaleLimit
from canteen.finance import service as finance
from canteen.roles import Actor, Role
from reports import loaders

SEED = 20241023
DAYS = 42
"""Six weeks, ending on the last weekday whose lunch is over."""
REGULAR_WEEKDAYS, REGULAR_MIN_DAYS = 10, 8
"""As the missed-meal alert counts a regular (``canteen.alerts.detect``)."""
HABITS = ((0.9, 0.6), (0.65, 0.35), (0.35, 0.15))
"""(weekday, weekend) chance of lunch: most come daily, some often, a few now and then."""
HABIT_WEIGHTS = (5, 3, 2)
TOPUP_STEP_FEN = 5_000
VOID_REASONS = ("点错菜品", "重复刷卡", "长者改为现金支付")
BORROWED_AFTER = timedelta(minutes=25)

# Costs in fen, per canteen (in the demo's order): small canteens, a few dozen elders each.
INGREDIENTS_PER_MEAL = (650, 650, 600)
LABOR_PER_DAY = (9_000, 6_500, 7_000)
RENT_PER_MONTH = (120_000, 120_000, 90_000)
UTILITIES_PER_MONTH = (30_000, 36_000, 24_000)
OPERATING_GRANT_PER_MONTH = (150_000, 150_000, 100_000)


@dataclass(frozen=True)
class Visit:
    """One meal to sell: who (index into the diners), where (index into the canteens), when."""

    diner: int
    canteen: int
    meal_type: str
    at: datetime
    dish: float
    """Which of the canteen's dishes of that meal type, as a fraction of the list."""
    manual: bool = False
    void: bool = False


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _at(
    day: date, zone: ZoneInfo, start: time, spread_minutes: int, rng: random.Random
) -> datetime:
    moment = datetime.combine(day, start, zone)
    return moment + timedelta(minutes=rng.randrange(spread_minutes))


def plan(
    homes: list[int | None], skip: set[int], last: date, zone: ZoneInfo, seed: int = SEED
) -> list[Visit]:
    """Every meal of the six weeks up to ``last``, in the order sold (pure).

    ``homes`` holds each diner's home canteen index (None: none); ``skip`` the diners another
    step feeds. Planted patterns for the misuse report use the first suitable diners.
    """
    rng = random.Random(seed)  # noqa: S311 (sample data, reproducible on purpose)
    first = last - timedelta(days=DAYS - 1)
    eaters = [i for i, home in enumerate(homes) if home is not None and i not in skip]
    habits = {i: rng.choices(HABITS, HABIT_WEIGHTS)[0] for i in eaters}
    dinner = {i: 0.5 if rng.random() < 0.25 else 0.0 for i in eaters}
    breakfast = {i: 0.4 if rng.random() < 0.1 else 0.0 for i in eaters}
    visits: list[Visit] = []
    for day in _days(first, last):
        for i in eaters:
            home = homes[i]
            assert home is not None
            weekday, weekend = habits[i]
            if rng.random() < breakfast[i]:
                visits.append(
                    Visit(i, home, "breakfast", _at(day, zone, time(7), 90, rng), rng.random())
                )
            if rng.random() < (weekday if day.weekday() < 5 else weekend):
                lunch = _at(day, zone, time(11), 105, rng)
                visits.append(Visit(i, home, "lunch", lunch, rng.random(), rng.random() < 0.01))
                if day < last and rng.random() < dinner[i]:
                    supper = _at(day, zone, time(16, 45), 105, rng)
                    visits.append(Visit(i, home, "dinner", supper, rng.random()))
    visits = _plant(visits, homes, eaters, last, zone)
    visits += _regulars_eat_on_the_last_day(visits, homes, eaters, last, zone, rng)
    # A few mistakes the manager voids; never on the last day, which the alert check reads.
    visits = [
        replace(v, void=True) if rng.random() < 0.004 and v.at.date() < last else v for v in visits
    ]
    return sorted(visits, key=lambda v: v.at)


def _weekdays_before(day: date, count: int) -> list[date]:
    found: list[date] = []
    while len(found) < count:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            found.append(day)
    return found


def _regulars_eat_on_the_last_day(
    visits: list[Visit],
    homes: list[int | None],
    eaters: list[int],
    last: date,
    zone: ZoneInfo,
    rng: random.Random,
) -> list[Visit]:
    window = set(_weekdays_before(last, REGULAR_WEEKDAYS))
    days = {i: {v.at.date() for v in visits if v.diner == i} for i in eaters}
    added = []
    for i in eaters:
        if len(days[i] & window) >= REGULAR_MIN_DAYS and last not in days[i]:
            at = _at(last, zone, time(11), 105, rng)
            added.append(Visit(i, homes[i], "lunch", at, rng.random()))  # type: ignore[arg-type]
    return added


def _plant(
    visits: list[Visit], homes: list[int | None], eaters: list[int], last: date, zone: ZoneInfo
) -> list[Visit]:
    """The patterns the misuse report should find (see the module docstring)."""
    by_home = {c: [i for i in eaters if homes[i] == c] for c in set(homes) if c is not None}
    planted = list(visits)
    # A card lent out: lunch at home, then the same card at the last canteen (another district).
    lender, day = by_home[0][0], last - timedelta(days=9)
    lunch = datetime.combine(day, time(11, 40), zone)
    planted = [v for v in planted if not (v.diner == lender and v.at.date() == day)]
    planted.append(Visit(lender, 0, "lunch", lunch, 0.0))
    planted.append(Visit(lender, max(by_home), "lunch", lunch + BORROWED_AFTER, 0.0))
    # Four sales without a card each month (the most allowed): nobody else's manual sales.
    forgetful = by_home[1][0]
    lunches: dict[str, list[int]] = {}
    for n, v in enumerate(planted):
        if v.diner == forgetful and v.meal_type == "lunch":
            lunches.setdefault(periods.month_of(v.at.date()), []).append(n)
    manual = {n for found in lunches.values() for n in found[:4]}
    planted = [
        replace(v, manual=n in manual) if v.diner == forgetful else v for n, v in enumerate(planted)
    ]
    # Three meals every day.
    hungry = by_home[max(by_home)][0]
    planted = [v for v in planted if v.diner != hungry]
    for day in _days(last - timedelta(days=DAYS - 1), last):
        times = (("breakfast", time(7, 50)), ("lunch", time(11, 50)), ("dinner", time(17, 20)))
        for meal_type, when in times if day < last else times[:2]:
            at = datetime.combine(day, when, zone)
            planted.append(Visit(hungry, max(by_home), meal_type, at, 0.5))
    return planted


# --- Selling the plan ---------------------------------------------------------------------


@dataclass
class Sold:
    """What six weeks of history sold, from ``first`` to ``last`` (local days)."""

    first: date
    last: date
    meals: int = 0
    voided: int = 0
    manual: int = 0
    topups: int = 0


async def meals(
    diners: list[Diner],
    canteens: list[Canteen],
    actors: dict[str, Actor],
    *,
    cash_payers: set[int],
    skip: set[int],
    last: date,
) -> tuple[Sold, dict[int, int]]:
    """Sell the six weeks' meals; returns what was sold and each diner's balance afterwards."""
    index: dict[int | None, int] = {c.id: n for n, c in enumerate(canteens)}
    homes = [index.get(d.home_canteen_id) for d in diners]
    zone = ZoneInfo(canteens[0].timezone)
    visits = plan(homes, skip, last, zone)
    staff = {role: {a.canteen_id: a for a in actors.values() if a.role == role} for role in Role}
    dishes = await _dishes(canteens)
    payloads = {
        card.diner_id: cards_service.payload_of(card) for card in await Card.filter(revoked_at=None)
    }
    sold = Sold(first=last - timedelta(days=DAYS - 1), last=last)
    for visit in visits:
        diner, canteen = diners[visit.diner], canteens[visit.canteen]
        options = dishes[(canteen.id, visit.meal_type)]
        order = checkout.Order(canteen.id, offering_id=options[int(visit.dish * len(options))])
        cashier = staff[Role.CASHIER][canteen.id]
        with clock.frozen_at(visit.at):
            meal_id = await _sell(
                cashier,
                staff[Role.CASHIER][diner.home_canteen_id],
                diner,
                payloads[diner.id],
                order,
                visit,
                cash=visit.diner in cash_payers,
                sold=sold,
            )
        if visit.void:
            with clock.frozen_at(visit.at + timedelta(minutes=4)):
                reason = VOID_REASONS[meal_id % len(VOID_REASONS)]
                await checkout.void(staff[Role.MANAGER][canteen.id], meal_id, reason)
            sold.voided += 1
    balances = dict(await Account.all().values_list("diner_id", "balance_fen"))
    return sold, balances


async def _dishes(canteens: list[Canteen]) -> dict[tuple[int, str], list[int]]:
    found: dict[tuple[int, str], list[int]] = {}
    for offering in await Offering.filter(canteen_id__in=[c.id for c in canteens]).order_by("id"):
        found.setdefault((offering.canteen_id, offering.meal_type), []).append(offering.id)
    return found


async def _sell(
    cashier: Actor,
    home_cashier: Actor,
    diner: Diner,
    payload: str,
    order: checkout.Order,
    visit: Visit,
    *,
    cash: bool,
    sold: Sold,
) -> int:
    """Sell the visit's meal (topping the account up when it runs dry); the meal's id."""
    who = checkout.Who(card_payload=payload)
    if visit.manual:  # the elder tells the cashier the last 4 of their ID number
        answer = (await diner_service.id_number_of(diner))[-4:]
        who = checkout.Who(diner_id=diner.id, manual_reason="card_forgotten", answer=answer)
    for _ in range(3):
        try:
            sale = await checkout.sell(cashier, who, order, "cash" if cash else "account")
        except ManualSaleLimit:
            who = checkout.Who(card_payload=payload)
        except InsufficientBalance:  # the family tops the account up at the counter
            await accounts.top_up(home_cashier, diner.id, amount_fen=TOPUP_STEP_FEN, method="cash")
            sold.topups += 1
        else:
            sold.meals += 1
            sold.manual += who.manual_reason is not None
            return sale.meal_id
    raise AssertionError(f"could not sell {visit}")


# --- The books ----------------------------------------------------------------------------


async def books(canteens: list[Canteen], actors: dict[str, Actor], first: date, last: date) -> int:
    """Each canteen's costs (ingredients by the meals served, daily labour, monthly rent and
    utilities, one piece of equipment) and grants (a monthly operating grant, a donation),
    recorded by its manager on the day. Returns how many entries were made."""
    managers = {a.canteen_id: a for a in actors.values() if a.role == Role.MANAGER}
    served = await loaders.meal_days(loaders.Span(first, last))
    meals_on = {
        (int(c), d.date()): int(m)
        for c, d, m in zip(served["canteen_id"], served["local_date"], served["meals"], strict=True)
    }
    entries: list[tuple[int, date, str, str, int, str]] = []
    for n, canteen in enumerate(canteens):
        for day in _days(first, last):
            count = meals_on.get((canteen.id, day), 0)
            if count:
                wobble = 100 + (day.toordinal() * 7 + n * 13) % 21 - 10  # within ±10 %
                fen = INGREDIENTS_PER_MEAL[n] * count * wobble // 100
                entries.append((canteen.id, day, "cost", "ingredients", fen, "当日食材"))
            entries.append((canteen.id, day, "cost", "labor", LABOR_PER_DAY[n], "厨师及帮工工资"))
            if day.day == 1:
                entries.append((canteen.id, day, "cost", "rent", RENT_PER_MONTH[n], "场地租金"))
                entries.append(
                    (canteen.id, day, "cost", "utilities", UTILITIES_PER_MONTH[n], "上月水电燃气")
                )
            if day.day == 10:
                entries.append(
                    (
                        canteen.id,
                        day,
                        "grant",
                        "operating_grant",
                        OPERATING_GRANT_PER_MONTH[n],
                        "街道运营补贴",
                    )
                )
    entries.append(
        (canteens[1].id, first + timedelta(days=10), "cost", "equipment", 180_000, "消毒柜一台")
    )
    entries.append(
        (canteens[-1].id, first + timedelta(days=20), "grant", "donation", 50_000, "爱心企业捐赠")
    )
    for canteen_id, day, kind, category, fen, note in entries:
        with clock.frozen_at(datetime.combine(day, time(20), ZoneInfo(canteens[0].timezone))):
            await finance.record(
                managers[canteen_id], canteen_id, on=day, kind=kind, category=category,
                amount_fen=fen, note=note,
            )  # fmt: skip
    return len(entries)


# --- Last month's claims ------------------------------------------------------------------


async def last_months_claims(
    staff: Actor, managers: Iterable[Actor], now: datetime, zone: ZoneInfo, spare: set[int]
) -> str:
    """Last month's claim for each funder, at moments between this month's start and now:
    the city's paid (a little short), the district's approved, the street's submitted; then a
    meal of last month voided after the submission, which waits as an adjustment for each
    funder's next claim (a counter's meal, never one of the ``spare`` diners'). Returns the
    month claimed."""
    start = datetime.combine(
        periods.month_span(periods.month_of(now.astimezone(zone).date()))[0], time(), zone
    )
    month = periods.month_of((start - timedelta(days=1)).date())

    def moment(fraction: float) -> datetime:
        return start + (now - start) * fraction

    ids = {}
    with clock.frozen_at(moment(0.2)):
        for funder in ("city", "district", "street"):
            ids[funder] = (
                await claims.draft(staff, month=month, funder=funder, canteen_id=None)
            ).id
            await claims.submit(staff, ids[funder])
    with clock.frozen_at(moment(0.4)):
        await claims.approve(staff, ids["city"])
        await claims.approve(staff, ids["district"])
    paid_at = moment(0.6)
    with clock.frozen_at(paid_at):
        city = await claims.get(staff, ids["city"])
        short = min(city.figures.claimed_fen, 300)
        await claims.mark_paid(
            staff,
            ids["city"],
            amount_fen=city.figures.claimed_fen - short,
            paid_on=paid_at.astimezone(zone).date(),
            confirm=short > 0,  # the city paid short, and the office confirmed it
        )
    first, last = periods.month_span(month)
    lines = await SubsidyLine.filter(
        meal__local_date__gte=first,
        meal__local_date__lte=last,
        meal__voided_at=None,
        meal__diner_id__not_in=spare,
        meal__order_id=None,
        funder__in=ids,
    ).values_list("meal_id", "funder")
    funded: dict[int, set[str]] = {}
    for meal_id, funder in lines:
        funded.setdefault(meal_id, set()).add(funder)
    # The month's last counter meal that every claim paid for, so each claim shows the late
    # void: the last one with a district line may be paid by fewer funders (before lunch on the
    # 1st, the story's meals of the day before are last month's; the delivery run's stay).
    late = max((m for m, by in funded.items() if by == set(ids)), default=None)
    if late is not None:
        meal = await Meal.get(id=late)
        manager = next(m for m in managers if m.canteen_id == meal.canteen_id)
        with clock.frozen_at(moment(0.8)):
            await checkout.void(manager, meal.id, "月结后核查: 重复刷卡")
    return month
