"""The alert run on a district's worth of diners: how long the missed-meal check takes.

For each database and N diners (1,000 and 10,000) at one canteen, each with lunches on the
ten weekdays before a Monday and on it (80 % of them regulars; one in fifty of those did not come
today), time ``detect.missed_meals`` after lunch (the alerts are written too), then the whole
periodic run that reports them. Rows are written in bulk (the services' per-row checks are not
what is measured here).
"""

import logging
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from benchmarks.harness import fresh_database
from canteen import db, periodic
from canteen.accounts.models import Account
from canteen.alerts import detect
from canteen.alerts.models import Alert
from canteen.auth.models import User
from canteen.canteens.models import DEFAULT_MEAL_WINDOWS, Canteen
from canteen.checkout.models import Meal
from canteen.diners.models import Diner

MONDAY = date(2026, 11, 23)
SHANGHAI = ZoneInfo("Asia/Shanghai")


async def _fill(count: int) -> None:
    now = datetime.now(UTC)
    canteen = await Canteen.create(
        name="bench", timezone="Asia/Shanghai", meal_windows=DEFAULT_MEAL_WINDOWS, created_at=now
    )
    unusable = "!"  # no password logs in as this user
    user = await User.create(username="bench", password_hash=unusable, role="admin", created_at=now)
    await Diner.bulk_create(
        [
            Diner(
                name=f"老人{n}",
                id_number_cipher="x",
                id_number_hash=f"{n:064d}",
                id_last4="0000",
                region_code="440104",
                birth_date=date(1945, 1, 1),
                gender="female",
                home_canteen_id=canteen.id,
                created_at=now,
                updated_at=now,
            )
            for n in range(count)
        ],
        batch_size=1000,
    )
    ids = await Diner.all().order_by("id").values_list("id", flat=True)
    await Account.bulk_create([Account(diner_id=i, created_at=now) for i in ids], batch_size=1000)
    days = detect.weekdays_before(MONDAY, detect.REGULAR_WEEKDAYS)
    meals = []
    for n, diner_id in enumerate(ids):
        eaten = days if n % 5 else days[::3]  # 80 % are regulars ...
        if n % 50 != 1:
            eaten = [MONDAY, *eaten]  # ... and all but one in fifty came today
        meals += [
            Meal(
                canteen_id=canteen.id,
                diner_id=diner_id,
                meal_type="lunch",
                price_fen=1500,
                subsidy_fen=1000,
                pay_fen=500,
                payment="cash",
                local_date=day,
                at=datetime.combine(day, datetime.min.time(), SHANGHAI) + timedelta(hours=12),
                sold_by_id=user.id,
            )
            for day in eaten
        ]
    await Meal.bulk_create(meals, batch_size=2000)


async def main() -> None:
    after_lunch = datetime.combine(MONDAY, datetime.min.time(), SHANGHAI) + timedelta(
        hours=13, minutes=31
    )
    print("alerts: the missed-meal check after lunch, and the periodic run that reports it")
    logging.getLogger("canteen.alerts").setLevel(logging.ERROR)  # not one log line per alert
    for kind in ("sqlite", "postgres"):
        for count in (1_000, 10_000):
            async with fresh_database(kind) as url, db.database(url, pool_size=4):
                await _fill(count)
                started = time.perf_counter()
                raised = await detect.missed_meals(after_lunch)
                detect_s = time.perf_counter() - started
                started = time.perf_counter()
                run = await periodic.run_once(after_lunch)
                run_s = time.perf_counter() - started
                assert raised == await Alert.all().count()
                print(
                    f"  {kind:<8} {count:>6} diners ({await Meal.all().count():>6} meals): "
                    f"{raised:>5} alerts in {detect_s * 1000:7.1f} ms; "
                    f"report {run.notifications} notifications + deliver in {run_s * 1000:7.1f} ms"
                )
