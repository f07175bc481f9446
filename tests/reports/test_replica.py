"""With ``CANTEEN_REPORTS_DATABASE_URL`` set, the office's reports read the replica and what
decides money reads the database. Here the "replica" is a second database that stays empty, so
whichever one a read went to shows in its answer. (The real streaming replica, made with
pg_basebackup, is exercised by ``make soak``.)"""

import shutil
from collections.abc import AsyncIterator

import pytest
from starlette.applications import Starlette

from canteen import clock, periods
from canteen.app import create_app
from canteen.config import get_settings
from reports import loaders
from tests.checkout.conftest import open_counter
from tests.conftest import settings_for


@pytest.fixture
async def app(tmp_path, sqlite_template) -> AsyncIterator[Starlette]:
    primary, replica = tmp_path / "primary.sqlite3", tmp_path / "replica.sqlite3"
    shutil.copy(sqlite_template, primary)
    shutil.copy(sqlite_template, replica)
    settings = settings_for(f"sqlite://{primary}").model_copy(
        update={"reports_database_url": f"sqlite://{replica}"}
    )
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


async def test_the_month_report_reads_the_replica_and_the_claim_the_database(admin, as_role):
    counter = await open_counter(admin, as_role)
    sold = await counter.cashier.post("/meals", counter.order())
    assert sold.status_code == 201, sold.text
    month = clock.today(get_settings().tz).strftime("%Y-%m")  # the sale's month where it was sold

    report = await admin.get(f"/reports/subsidy-claims?month={month}")
    assert report.status_code == 200
    assert report.json()["totals"]["meals"] == 0  # the replica has not got the sale

    span = loaders.Span(*periods.month_span(month))
    assert not (await loaders.claim_days(span)).empty  # a claim being drafted sees the sale
    with loaders.on_replica():
        assert (await loaders.claim_days(span)).empty
