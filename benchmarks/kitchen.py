"""The kitchen count's walk-ins forecast, measured on the demo's six weeks of meals.

Fill a fresh SQLite database with ``canteen demo``, then forecast every canteen's breakfast,
lunch and dinner on each day that has four weeks of history behind it, as that morning would
have (``reports.kitchen.errors``), and compare with the walk-ins each day had. Printed per
share of the trend carried forward (``TREND_WEIGHT``): the weighted daily error
(sum of |forecast - actual| over the sum of actual, "WAPE"), the mean of each day's
|error| / actual ("MAPE"), and the bias (sum of errors over sum of actual).

Then the same days as the kitchen sees them, to cook against sold: the orders handed over are
known in the morning, so ``to cook - sold`` is the walk-ins' error, measured over every meal
sold (the measure published canteen forecasts report). And the waste the demo's kitchens
recorded (``canteen/demo_kitchen.py``: each dish's count rounded up to trays of 5), as the
sustainability report counts it.
"""

import time
from datetime import timedelta
from pathlib import Path

import pandas as pd

from benchmarks.harness import fresh_database
from canteen import clock, db, demo
from canteen.canteens.models import Canteen
from canteen.columns import values_of
from canteen.config import get_settings
from reports import kitchen, loaders, sustainability
from reports.loaders import Span

MEALS = ("breakfast", "lunch", "dinner")
WEIGHTS = (0.0, 0.25, 0.5, 1.0)


def _line(label: str, found: pd.DataFrame) -> str:
    days = found[found["actual"] > 0]
    actual, error = days["actual"], days["error"]
    wape = error.abs().sum() / actual.sum() * 100
    mape = (error.abs() / actual).mean() * 100
    bias = error.sum() / actual.sum() * 100
    return (
        f"  {label:34} {len(days):4} days, {actual.mean():5.1f} walk-ins a day:"
        f" WAPE {wape:5.1f}%  MAPE {mape:5.1f}%  bias {bias:+5.1f}%"
    )


async def main() -> None:
    print("kitchen forecast on the demo's history (canteen demo, SQLite)")
    async with fresh_database("sqlite") as url:
        folder = Path(url.removeprefix("sqlite://")).parent
        settings = get_settings().model_copy(
            update={"database_url": url, "var_dir": folder / "var"}
        )
        async with db.database(url):
            started = time.perf_counter()
            await demo.fill(settings)
            print(f"  demo filled in {time.perf_counter() - started:.0f} s")
            first = await loaders.first_meal_day(clock.today(settings.tz) - timedelta(weeks=8))
            last = clock.today(settings.tz) - timedelta(days=1)
            assert first is not None
            histories = {
                (c, meal): await loaders.kitchen_history(Span(first, last, c), meal)
                for c in await values_of(Canteen.all(), "id")
                for meal in MEALS
            }
            everywhere = Span(first, last)
            cooked = await loaders.kitchen_cooked(everywhere)
            meal_days, books = (
                await loaders.meal_days(everywhere),
                await loaders.finance(everywhere),
            )
    days = [first + timedelta(days=n) for n in range(28, (last - first).days + 1)]
    print(f"  forecast days {days[0]} to {days[-1]}, each from the 4 same weekdays before it")
    chosen = kitchen.TREND_WEIGHT
    for weight in WEIGHTS:
        kitchen.TREND_WEIGHT = weight
        found = pd.concat(
            [kitchen.errors(h, days).assign(meal=meal) for (_, meal), h in histories.items()]
        )
        mark = " (the one used)" if weight == chosen else ""
        print(_line(f"trend x{weight} lunch{mark}", found[found["meal"] == "lunch"]))
        print(_line(f"trend x{weight} every meal", found))
    kitchen.TREND_WEIGHT = chosen
    found = pd.concat(
        [
            kitchen.errors(h, days).merge(_handed_over(h), on="local_date").assign(meal=meal)
            for (_, meal), h in histories.items()
        ]
    )
    for meal in ("lunch", None):
        part = found if meal is None else found[found["meal"] == meal]
        part = part[part["actual"] + part["ordered"] > 0]
        sold = part["actual"] + part["ordered"]
        print(
            f"  to cook vs sold, {meal or 'every meal'}: {len(part)} days, {sold.mean():.1f} meals"
            f" a day: WAPE {part['error'].abs().sum() / sold.sum() * 100:.1f}%"
            f"  MAPE {(part['error'].abs() / sold).mean() * 100:.1f}%"
        )
    waste = sustainability.waste(first, last, cooked, meal_days, books)
    print(
        f"  waste the demo's kitchens recorded ({waste['days_recorded']} canteen-days):"
        f" {waste['portions_left_over']} of {waste['portions_cooked']} portions left over"
        f" ({waste['waste_rate_pct']}%), {waste['waste_cost_fen'] / 100:.2f} yuan of food"
    )


def _handed_over(history: pd.DataFrame) -> pd.DataFrame:
    """Meals handed over for an order, per day: known to the kitchen that morning."""
    return history.groupby("local_date", as_index=False)["ordered"].sum()
