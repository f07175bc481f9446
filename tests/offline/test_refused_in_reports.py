"""Refused offline sales in the reports (docs/offline.md, "Who bears a difference"): the
sustainability report counts the cash the counter took as paid by diners and shows what the
operator bears apart, not as revenue; the claim report has nothing of them. On SQLite and
PostgreSQL, through ``POST /offline-sales`` as a counter sends them."""

import io
import re
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import openpyxl
import pytest

from canteen import clock
from canteen.canteens.models import Canteen
from canteen.cards import service as cards
from canteen.checkout.models import Meal
from canteen.offline.models import OfflineSale
from reports import loaders
from tests.checkout.conftest import Counter
from tests.conftest import make_user
from tests.offline.test_sync_api import made_offline, send, snapshot
from tests.web.conftest import log_in


async def refused_two(counter: Counter) -> None:
    """A 15.00 lunch on the account and one for cash (9.00 taken), sold offline with a card
    the server revoked meanwhile: the operator bears 15.00 and 6.00."""
    snap = await snapshot(counter)
    await cards.revoke(counter.admin.actor, counter.card_id, "lost")
    sales = [made_offline(counter, snap), made_offline(counter, snap, payment="cash")]
    results = await send(counter.cashier, counter.canteen_id, sales)
    assert [(r["outcome"], r["paid_fen"], r["operator_fen"]) for r in results] == [
        ("refused", 0, 1500),
        ("refused", 900, 600),
    ]


async def local_today(counter: Counter) -> str:
    canteen = await Canteen.get(id=counter.canteen_id)
    return clock.today(ZoneInfo(canteen.timezone)).isoformat()


async def test_refused_sales_show_in_the_sustainability_report(counter):
    await refused_two(counter)
    day = await local_today(counter)
    span = {"from": day, "to": day, "canteen_id": counter.canteen_id}
    r = await counter.admin.get("/reports/sustainability", params=span)
    assert r.status_code == 200, r.text
    report = r.json()
    assert await Meal.all().count() == 0
    assert (report["meals"], report["diner_paid_fen"], report["revenue_fen"]) == (0, 900, 900)
    assert (report["subsidy_fen"], report["operator_discount_fen"]) == (0, 0)
    assert (report["offline_refused_sales"], report["offline_refused_fen"]) == (2, 2100)
    assert report["days"][0]["diner_paid_fen"] == 900
    assert report["days"][0]["offline_refused_fen"] == 2100
    everywhere = (
        await counter.admin.get("/reports/sustainability", params={"from": day, "to": day})
    ).json()
    assert [(c["canteen_id"], c["offline_refused_fen"]) for c in everywhere["canteens"]] == [
        (counter.canteen_id, 2100)
    ]
    text = await counter.admin.get("/reports/sustainability", params={**span, "format": "csv"})
    header, first = text.text.removeprefix("\ufeff").splitlines()[:2]
    assert header.split(",")[-2:] == ["offline_refused_fen", "offline_refused_yuan"]
    assert first.split(",")[-2:] == ["2100", "21.00"]
    book = await counter.admin.get("/reports/sustainability", params={**span, "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(book.content)).worksheets[0]
    figures = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}
    assert figures["离线售出被拒（笔）"] == 2
    assert figures["离线售出被拒、由运营方承担（不计收入）"] == pytest.approx(21.0)


async def test_no_public_money_is_claimed_for_a_refused_sale(counter):
    await refused_two(counter)
    month = (await local_today(counter))[:7]
    r = await counter.admin.get(
        "/reports/subsidy-claims", params={"month": month, "canteen_id": counter.canteen_id}
    )
    assert r.status_code == 200, r.text
    claim = r.json()
    assert claim["rows"] == [] and claim["totals"]["subsidy_fen"] == 0
    assert claim["totals"]["meals"] == 0 and claim["totals"]["by_funder"] == {}


async def test_a_refused_sale_counts_on_its_canteens_local_day(counter):
    await refused_two(counter)
    canteen = await Canteen.get(id=counter.canteen_id)
    zone = ZoneInfo(canteen.timezone)
    # 00:30 on 1 December where the canteen is: another UTC day wherever it is east of UTC
    local = datetime.combine(datetime(2026, 12, 1).date(), time(0, 30), zone)
    await OfflineSale.filter(canteen_id=counter.canteen_id).update(made_at=local.astimezone(UTC))
    span = loaders.Span(local.date(), local.date(), counter.canteen_id)
    found = await loaders.refused_offline_days(span)
    assert found.to_dict("records") == [
        {
            "canteen_id": counter.canteen_id,
            "local_date": datetime(2026, 12, 1),
            "sales": 2,
            "cash_fen": 900,
            "operator_fen": 2100,
        }
    ]
    assert found.dtypes.astype(str).tolist() == [
        "int64", "datetime64[s]", "int64", "int64", "int64",
    ]  # fmt: skip
    before = loaders.Span(local.date() - timedelta(days=1), local.date() - timedelta(days=1))
    assert len(await loaders.refused_offline_days(before)) == 0
    other = loaders.Span(local.date(), local.date(), counter.canteen_id + 1)
    assert len(await loaders.refused_offline_days(other)) == 0


@pytest.fixture
async def page_client(app) -> Any:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


async def test_the_sustainability_page_shows_what_the_operator_bears(counter, page_client):
    await refused_two(counter)
    day = await local_today(counter)
    manager = await make_user("manager", counter.canteen_id)
    await log_in(page_client, manager.username)
    for lang, words in (
        ("zh", "离线售出被拒、由运营方承担（不计收入） · 2 笔"),
        ("en", "Borne by the operator for refused offline sales (not revenue) · 2 sales"),
    ):
        html = (
            await page_client.get(f"/staff/sustainability?from={day}&to={day}&lang={lang}")
        ).text
        row = re.search(r'<tr id="offline-refused">(.*?)</tr>', html, re.S).group(1)
        text = " ".join(re.sub(r"<[^>]+>", " ", row).split())
        assert text == f"{words} ¥21.00", text
