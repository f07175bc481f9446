"""The kitchen count: how many of each dish to cook for one canteen, day and meal.

Pure functions over the frame of ``reports.loaders.kitchen_history`` (live meals of one
canteen and meal type per day and offering, walk-ins apart from orders). The steps:

1. **Ordered**: the day's orders that are not cancelled, eat-in and delivery apart, per
   offering (a missed order was cooked too: it is missed only once the meal is over).
2. **Walk-ins forecast** (:func:`forecast_walk_ins`): a walk-in is a meal sold without an
   order. Take the same weekday in each of the :data:`LOOKBACK_WEEKS` weeks before the day,
   keep the latest :data:`WEEKS` of them that served this meal at all (a day without a single
   meal was a holiday, not a day of no walk-ins), and average their walk-ins. With at least
   :data:`TREND_MIN_WEEKS` of them, add the recent trend: the least-squares slope of walk-ins
   per week, carried from the middle of those weeks to the day, at :data:`TREND_WEIGHT`.
   Round to the nearest whole meal; never below 0. No such day: 0, and the basis says so.
3. **Per offering** (:func:`split`): the walk-ins are shared among the day's offerings (its
   menu; without a menu, what walk-ins bought in the lookback weeks) by their shares of the
   walk-ins of those weeks, in whole meals by largest remainder; an offering without history
   gets its even share when none has any.
4. **To cook** = ordered eat-in + ordered delivery + forecast walk-ins, per offering and in all.
5. **After the meal** (once the kitchen has recorded what it cooked): per offering, ``cooked``
   (as recorded), ``sold`` (live meals of it, walk-ins and orders handed over) and
   ``left_over = max(cooked - sold, 0)``; an offering cooked, or sold, that the count did not
   list gets its own row. What was sold beyond what was recorded as cooked is not negative
   waste: it was cooked, just not counted.

Only days before the one forecast count, so a past day's forecast is what it was that
morning, and :func:`errors` measures the method on a history.
"""

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

WEEKS = 4
"""Same weekdays averaged: a month of them, recent enough to follow the season."""
LOOKBACK_WEEKS = 8
"""How far back to look for them, so a holiday or two still leaves :data:`WEEKS`."""
TREND_MIN_WEEKS = 3
"""Two points make a slope of noise; three begin to make a trend."""
TREND_WEIGHT = 0.25
"""The share of the fitted trend carried forward: a damped trend, since a month's slope of a
few dozen elders is mostly noise. On the demo's lunches (drawn with no trend) the daily error
was 16.0% without it, 16.5% at 0.25, 18.1% at 0.5, 23.9% at 1 (``python -m benchmarks kitchen``)."""

Words = Callable[..., str]
"""``t(key, **values)``: the translation table's words (``canteen.web.i18n.translator``)."""


@dataclass(frozen=True)
class Forecast:
    """The walk-ins forecast for one day, and what it was made of."""

    on: date
    walk_ins: int
    weeks: list[tuple[date, int]]
    """The same weekdays used, oldest first, each with its walk-ins."""
    level: float
    """Their mean."""
    trend: float
    """Walk-ins gained per week (the damped slope); 0 without :data:`TREND_MIN_WEEKS`."""
    ahead: float = 0.0
    """Weeks from the middle of those weeks to the day: the trend adds ``trend * ahead``."""


@dataclass(frozen=True)
class OfferingCount:
    offering_id: int
    eat_in: int
    delivery: int
    walk_ins: int
    cooked: int | None = None
    """Portions cooked, as recorded after the meal; None until recorded."""
    sold: int = 0
    """Live meals of it sold that day and meal (walk-ins and orders handed over)."""

    @property
    def to_cook(self) -> int:
        return self.eat_in + self.delivery + self.walk_ins

    @property
    def left_over(self) -> int | None:
        """Portions cooked and not sold (step 5); None until the cooked count is recorded."""
        return None if self.cooked is None else max(self.cooked - self.sold, 0)


@dataclass(frozen=True)
class KitchenCount:
    on: date
    forecast: Forecast
    by_offering: list[OfferingCount]
    eat_in: int
    delivery: int
    shared_by_history: bool
    """Whether the walk-ins were split by past shares (else evenly, or not at all)."""

    @property
    def to_cook(self) -> int:
        return self.eat_in + self.delivery + self.forecast.walk_ins

    @property
    def recorded(self) -> list[OfferingCount]:
        """The offerings whose cooked count is recorded."""
        return [row for row in self.by_offering if row.cooked is not None]

    @property
    def cooked(self) -> int | None:
        """Portions cooked in all; None while none is recorded."""
        rows = self.recorded
        return sum(row.cooked or 0 for row in rows) if rows else None

    @property
    def sold(self) -> int:
        return sum(row.sold for row in self.by_offering)

    @property
    def left_over(self) -> int | None:
        rows = self.recorded
        return sum(row.left_over or 0 for row in rows) if rows else None


def _before(history: pd.DataFrame, on: date) -> pd.DataFrame:
    start = pd.Timestamp(on - timedelta(weeks=LOOKBACK_WEEKS))
    days = history["local_date"]
    return history[(days >= start) & (days < pd.Timestamp(on))]


def _served_same_weekdays(history: pd.DataFrame, on: date) -> list[tuple[date, int]]:
    """The latest :data:`WEEKS` same weekdays before ``on`` that served the meal, oldest first."""
    per_day = history.groupby("local_date", as_index=False)[["walk_ins", "ordered"]].sum()
    served = {
        pd.Timestamp(day).date(): int(walk_ins)
        for day, walk_ins, ordered in per_day.itertuples(index=False, name=None)
        if walk_ins + ordered > 0
    }
    weeks = [on - timedelta(weeks=k) for k in range(1, LOOKBACK_WEEKS + 1)]
    return [(day, served[day]) for day in weeks if day in served][:WEEKS][::-1]


def _slope(weeks: list[tuple[date, int]], on: date) -> tuple[float, float]:
    """(least-squares walk-ins per week, weeks from the points' middle to ``on``)."""
    ts = [-(on - day).days / 7 for day, _ in weeks]
    ys = [n for _, n in weeks]
    t_mean, y_mean = sum(ts) / len(ts), sum(ys) / len(ys)
    spread = sum((t - t_mean) ** 2 for t in ts)
    slope = sum((t - t_mean) * (y - y_mean) for t, y in zip(ts, ys, strict=True)) / spread
    return slope, -t_mean


def forecast_walk_ins(history: pd.DataFrame, on: date) -> Forecast:
    """Step 2: the walk-ins expected on ``on``, from the same weekdays before it."""
    weeks = _served_same_weekdays(_before(history, on), on)
    if not weeks:
        return Forecast(on, 0, [], 0.0, 0.0)
    level = sum(n for _, n in weeks) / len(weeks)
    trend, ahead = 0.0, 0.0
    if len(weeks) >= TREND_MIN_WEEKS:
        slope, ahead = _slope(weeks, on)
        trend = slope * TREND_WEIGHT
    expected = max(0.0, level + trend * ahead)
    return Forecast(on, math.floor(expected + 0.5), weeks, level, trend, ahead)


def split(total: int, weights: dict[int, int]) -> dict[int, int]:
    """Step 3: ``total`` meals in whole numbers among the keys of ``weights``, in proportion to
    them (evenly when they are all 0), by largest remainder; the parts add up to ``total``.
    Ties go to the lower key, so the split is the same every time."""
    if not weights:
        return {}
    whole = sum(weights.values())
    shares = {k: (w if whole else 1) for k, w in weights.items()}
    base = sum(shares.values())
    parts = {k: total * s // base for k, s in shares.items()}
    left = total - sum(parts.values())
    by_remainder = sorted(shares, key=lambda k: (-(total * shares[k] % base), k))
    for k in by_remainder[:left]:
        parts[k] += 1
    return parts


def _ordered(orders: Sequence[tuple[int, bool]]) -> dict[int, tuple[int, int]]:
    counts: dict[int, tuple[int, int]] = {}
    for offering_id, delivery in orders:
        eat_in, brought = counts.get(offering_id, (0, 0))
        counts[offering_id] = (eat_in + (not delivery), brought + delivery)
    return counts


def count(
    on: date,
    menu: Sequence[int],
    orders: Sequence[tuple[int, bool]],
    history: pd.DataFrame,
    cooked: Mapping[int, int] | None = None,
    sold: Mapping[int, int] | None = None,
) -> KitchenCount:
    """The kitchen count of ``on``: ``menu`` lists the day's offerings in the menu's order,
    ``orders`` each order not cancelled as (offering, delivery), ``history`` the loader's frame
    of the meal (days on or after ``on`` are ignored); after the meal, ``cooked`` the portions
    recorded per offering and ``sold`` the meals sold per offering that day (step 5)."""
    cooked, sold = cooked or {}, sold or {}
    forecast = forecast_walk_ins(history, on)
    past = _before(history, on)
    by_dish = past[past["offering_id"].notna()].groupby("offering_id", as_index=False)["walk_ins"]
    bought = {int(o): int(n) for o, n in by_dish.sum().itertuples(index=False, name=None) if n > 0}
    offered = list(dict.fromkeys(menu)) or sorted(bought)
    weights = {o: bought.get(o, 0) for o in offered}
    walk_ins = split(forecast.walk_ins, weights)
    ordered = _ordered(orders)
    rows = list(dict.fromkeys([*offered, *sorted(ordered), *sorted(cooked), *sorted(sold)]))
    by_offering = [
        OfferingCount(o, *ordered.get(o, (0, 0)), walk_ins.get(o, 0), cooked.get(o), sold.get(o, 0))
        for o in rows
    ]
    return KitchenCount(
        on,
        forecast,
        by_offering,
        sum(e for e, _ in ordered.values()),
        sum(d for _, d in ordered.values()),
        any(weights.values()),
    )


def basis(found: KitchenCount, t: Words) -> str:
    """How the count was made, in words (the translation table's ``kitchen_basis_*``)."""
    f = found.forecast
    weekday = t(f"kitchen_weekday_{f.on.weekday()}")
    if not f.weeks:
        return t("kitchen_basis_none", weekday=weekday, weeks=LOOKBACK_WEEKS)
    days = t("kitchen_basis_list_sep").join(
        t("kitchen_basis_day", day=f"{d.month}/{d.day}", walk_ins=n) for d, n in f.weeks
    )
    words = [
        t("kitchen_basis_level", weeks=len(f.weeks), weekday=weekday, days=days, level=f.level)
    ]
    if len(f.weeks) >= TREND_MIN_WEEKS:
        added = f.trend * f.ahead + 0.0  # + 0.0: a flat trend reads +0.0, never -0.0
        words.append(t("kitchen_basis_trend", trend=f.trend + 0.0, added=added))
    else:
        words.append(t("kitchen_basis_no_trend", weeks=TREND_MIN_WEEKS))
    words.append(t("kitchen_basis_result", walk_ins=f.walk_ins))
    if len(found.by_offering) > 1 and f.walk_ins:
        key = "kitchen_basis_shares" if found.shared_by_history else "kitchen_basis_even"
        words.append(t(key, weeks=LOOKBACK_WEEKS))
    return t("kitchen_basis_join").join(words)


def errors(history: pd.DataFrame, days: Sequence[date]) -> pd.DataFrame:
    """Each day's forecast against the walk-ins it had: ``local_date``, ``forecast``,
    ``actual``, ``error`` (forecast less actual). How the method is measured on a history."""
    per_day = history.groupby("local_date")["walk_ins"].sum()
    rows = []
    for day in days:
        actual = int(per_day.get(pd.Timestamp(day), 0))
        predicted = forecast_walk_ins(history, day).walk_ins
        rows.append((pd.Timestamp(day), predicted, actual, predicted - actual))
    return pd.DataFrame(rows, columns=["local_date", "forecast", "actual", "error"])
