"""The office's and the operators' pages, rendered in process on both databases.

The figures come from the October 2025 scenario of the report tests (``tests/reports/
scenario.py``): October's live lines are 1,800 fen on 3 meals; district 1,100 (2 meals),
street 400 (2), the operator's own discount 300 (3); 1,200 lower the prices and 600 are paid to
the canteens on top. What a page shows is checked against those hand-computed numbers; the
real browser tests are in ``test_staff_browser.py``.
"""

import json
import re
from datetime import date, datetime, timedelta
from html import unescape
from typing import Any

import httpx
import pytest

from canteen import clock
from canteen.config import get_settings
from canteen.finance import service as finance
from canteen.roles import SYSTEM
from tests.conftest import make_user
from tests.reports import conftest as october_fixtures
from tests.reports.scenario import SHANGHAI
from tests.web.conftest import log_in

OCT = "2025-10"
oct_2025 = october_fixtures.oct_2025
"""October's meals and claim, on a database of the test's own."""
october_fill = october_fixtures.october_fill
"""October built once for this module, on each database."""
database_fill = october_fixtures.database_fill


def today() -> date:
    return clock.today(get_settings().tz)


@pytest.fixture
async def page_client(app) -> Any:
    """A browser of its own (its own cookies), beside the scenario's API clients."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


async def logged_in(page_client, role: str, canteen_id: int | None = None) -> httpx.AsyncClient:
    user = await make_user(role, canteen_id)
    await log_in(page_client, user.username)
    return page_client


def cells(html: str, table_id: str) -> list[list[str]]:
    """The text of each row's cells of one table, tags stripped, spaces collapsed."""
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S).group(0)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    found = [re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S) for row in rows]
    return [[" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in row] for row in found]


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


# --- Who may see what -----------------------------------------------------------------------


async def test_the_office_lands_on_the_claim_and_other_roles_are_turned_away(oct_2025, page_client):
    staff = await make_user("staff")
    assert await log_in(page_client, staff.username) == "/staff"
    assert (await page_client.get("/staff")).status_code == 200
    for role, canteen_id in (("cashier", oct_2025.counter.canteen_id), ("family", None)):
        page_client.cookies.clear()
        await logged_in(page_client, role, canteen_id)
        for path in ("/staff", "/staff/sustainability", "/staff/finance", "/staff/simulate"):
            r = await page_client.get(path)
            assert r.status_code == 403 and "您的账号不能使用此页面" in r.text, (role, path)
    page_client.cookies.clear()
    r = await page_client.get("/staff/sustainability")
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/staff/sustainability"


# --- The month's claim ----------------------------------------------------------------------


async def test_the_claim_page_shows_what_each_funder_owes_to_the_fen(oct_2025, page_client):
    await logged_in(page_client, "staff")
    html = (await page_client.get(f"/staff?month={OCT}")).text
    assert 'id="claim-total">¥18.00<' in html and 'id="claim-meals">3<' in html
    assert cells(html, "by-funder")[1:4] == [  # in the order money flows down: district first
        ["区级", "2", "¥11.00", "61.1%"],
        ["街道", "2", "¥4.00", "22.2%"],
        ["运营方 （自行让利，不申报）", "3", "¥3.00", "16.7%"],
    ]
    assert cells(html, "by-funder")[-1] == ["合计", "3", "¥18.00", "100.0%"]
    assert "减免餐价" in html and "¥12.00" in html and "¥6.00" in html  # by how it is paid
    for download in ("format=png", "format=xlsx", "format=csv&detail=diner"):
        assert f"/api/v1/reports/subsidy-claims?month={OCT}&{download}" in unescape(html)
    # October is over: district and street can be drafted; the operator's discount cannot.
    drafts = re.findall(r'name="funder" value="(\w+)"', html)
    assert drafts == ["district", "street"]


async def test_a_claims_lifecycle_shows_on_the_page(oct_2025, page_client):
    admin = oct_2025.admin
    claim = (await admin.post("/claims", {"month": OCT, "funder": "district"})).json()
    await logged_in(page_client, "staff")
    html = (await page_client.get(f"/staff?month={OCT}")).text
    assert f'data-api="/claims/{claim["id"]}/submit"' in html and "草稿" in html
    assert re.findall(r'name="funder" value="(\w+)"', html) == ["street"]
    await admin.post(f"/claims/{claim['id']}/submit")
    await admin.post(f"/claims/{claim['id']}/approve")
    html = (await page_client.get(f"/staff?month={OCT}")).text
    assert f'data-api="/claims/{claim["id"]}/paid"' in html and 'value="11.00"' in html
    paid = {"amount_fen": 1000, "paid_on": today().isoformat(), "confirm": True}
    assert (await admin.post(f"/claims/{claim['id']}/paid", paid)).status_code == 200
    html = (await page_client.get(f"/staff?month={OCT}")).text
    assert f"¥10.00 · {today().isoformat()}" in html
    outstanding = cells(html, "outstanding-table")
    assert outstanding[1][:4] == ["区级", "¥0.00", "¥10.00", "¥1.00"]  # paid one yuan short


async def test_a_manager_sees_their_own_canteen_and_cannot_draft(oct_2025, page_client):
    await logged_in(page_client, "manager", oct_2025.counter.canteen_id)
    html = (await page_client.get(f"/staff?month={OCT}&canteen={oct_2025.canteen_b}")).text
    # Canteen A only, whatever was asked: m1 (500 + 100 + 300) and m2 (200 + 100).
    assert 'id="claim-total">¥12.00<' in html and "南华西街长者饭堂" not in html
    assert 'name="funder"' not in html and "/submit" not in html
    assert "/staff/simulate" not in html and "/staff/misuse" not in html
    assert (await page_client.get("/staff/simulate")).status_code == 403


async def test_a_mistyped_month_or_canteen_is_told_not_shown_as_empty(oct_2025, page_client):
    await logged_in(page_client, "staff")
    r = await page_client.get("/staff?month=2025-13")
    assert r.status_code == 422 and "输入有误" in r.text and "<code>month</code>" in r.text
    r = await page_client.get("/staff?month=2025-10&canteen=99999")
    assert r.status_code == 404 and "找不到这个食堂" in r.text
    r = await page_client.get("/staff/sustainability?from=2025-10-31&to=2025-10-01")
    assert r.status_code == 422 and "<code>from</code>" in r.text


# --- Sustainability -------------------------------------------------------------------------


async def books_of_october(canteen_id: int) -> None:
    """Ingredients 10 yuan, rent 20, and a 5-yuan operating grant, all at canteen A."""
    for kind, category, fen in (
        ("cost", "ingredients", 1000),
        ("cost", "rent", 2000),
        ("grant", "operating_grant", 500),
    ):
        await finance.record(
            SYSTEM, canteen_id, on=date(2025, 10, 31), kind=kind, category=category, amount_fen=fen
        )


async def test_the_dashboard_shows_revenue_cost_margin_and_break_even(oct_2025, page_client):
    await books_of_october(oct_2025.counter.canteen_id)
    await logged_in(page_client, "staff")
    html = (await page_client.get("/staff/sustainability?from=2025-10-01&to=2025-10-31")).text
    # Diners paid 9 + 12 + 12 yuan; subsidies other than the operator's own 15; the grant 5.
    assert 'id="revenue">¥53.00<' in html and 'id="cost">¥30.00<' in html
    assert 'id="margin">¥23.00<' in html and "本期结余 ¥23.00（利润率 43.4%）" in html
    # Fixed (20 - 5) over 31 days, each meal bringing (48 - 10) / 3: one meal a day.
    assert 'id="break-even">1<' in html
    assert cells(html, "by-month")[1][:5] == ["2025-10", "3", "¥53.00", "¥30.00", "¥23.00 43.4%"]
    assert cells(html, "cost-parts")[:2] == [["食材", "¥10.00"], ["人工", "¥0.00"]]
    names = [row[0] for row in cells(html, "by-canteen")[1:]]
    assert names == ["北京街长者饭堂", "南华西街长者饭堂"]
    for chart in ("revenue_cost", "per_meal", "break_even"):
        assert f"from=2025-10-01&to=2025-10-31&format=png&chart={chart}" in unescape(html)


async def test_a_managers_dashboard_is_their_canteens(oct_2025, page_client):
    await books_of_october(oct_2025.counter.canteen_id)
    await logged_in(page_client, "manager", oct_2025.counter.canteen_id)
    html = (await page_client.get("/staff/sustainability?from=2025-10-01&to=2025-10-31")).text
    # m1 and m2: diners 9 + 12, subsidies 8 + 2, the grant 5; a deficit shows as one.
    assert 'id="revenue">¥36.00<' in html and 'id="margin">¥6.00<' in html
    assert 'id="by-canteen"' not in html and 'name="canteen"' not in html


async def test_the_dashboard_opens_on_the_canteens_own_days_with_meals_and_says_how_many(
    oct_2025, page_client
):
    # The scenario's meals are a year old: one more, ten days ago, is the first of the last
    # three months. The dashboard opens there, not on the weeks before it without meals.
    first = today() - timedelta(days=10)
    await oct_2025.sell(datetime(first.year, first.month, first.day, 12, tzinfo=SHANGHAI))
    await logged_in(page_client, "staff")
    html = (await page_client.get("/staff/sustainability")).text
    assert f'name="from" value="{first}"' in html
    assert f"数字覆盖 {first} 至 {today()}，共 11 天，其中 1 天有供餐。" in html
    english = (await page_client.get("/staff/sustainability?lang=en")).text
    assert f"The figures cover {first} to {today()}: 11 days, 1 of them with meals." in english


async def test_each_claim_downloads_as_its_paper_in_the_pages_language(oct_2025, page_client):
    s = oct_2025
    with clock.frozen_at(datetime(2025, 11, 5, 9, tzinfo=SHANGHAI)):
        claim = (await s.admin.post("/claims", {"month": OCT, "funder": "street"})).json()
    await logged_in(page_client, "staff")
    html = unescape((await page_client.get(f"/staff?month={OCT}&lang=en")).text)
    for format in ("pdf", "xlsx", "csv"):
        assert f"/api/v1/claims/{claim['id']}/export?format={format}&lang=en" in html
    assert "a submitted claim (its figures frozen) downloads from its row below" in html
    paper = await page_client.get(f"/api/v1/claims/{claim['id']}/export?format=pdf&lang=en")
    assert paper.status_code == 200 and paper.content.startswith(b"%PDF-")


# --- The books ------------------------------------------------------------------------------


async def test_the_books_list_a_canteens_entries_and_only_recorders_get_the_form(
    oct_2025, page_client
):
    cid = oct_2025.counter.canteen_id
    await books_of_october(cid)
    await logged_in(page_client, "staff")
    html = (
        await page_client.get(f"/staff/finance?canteen={cid}&from=2025-10-01&to=2025-10-31")
    ).text
    assert cells(html, "entries")[1:] == [
        ["2025-10-31", "补助收入", "运营补贴", "¥5.00", ""],  # newest first
        ["2025-10-31", "支出", "房租", "¥20.00", ""],
        ["2025-10-31", "支出", "食材", "¥10.00", ""],
    ]
    assert "支出合计 ¥30.00" in html and "补助合计 ¥5.00" in html
    assert 'id="entry-form"' not in html  # the office reads the books; operators keep them
    page_client.cookies.clear()
    await logged_in(page_client, "manager", cid)
    html = (await page_client.get("/staff/finance")).text
    assert f'data-api="/canteens/{cid}/finance" data-idempotent="1"' in html
    assert 'data-kind="yuan"' in html


# --- The simulator --------------------------------------------------------------------------

STREET_ONLY = """
name = "草案：只保留街道补贴 3 元"
effective_from = "2026-12-01"
stacking = "highest"

[[rules]]
code = "age60"
label = "60 岁及以上"
amount_fen = 300
funder = "street"
daily_limit = 2
[rules.when]
min_age = 60
"""


async def simulate(page_client, **form: str) -> httpx.Response:
    page = await page_client.get("/staff/simulate")
    fields = {"csrf": csrf_of(page.text), "from": "2025-10-01", "to": "2025-10-31", **form}
    return await page_client.post("/staff/simulate", data=fields)


async def test_the_simulator_reprices_october_under_a_toml_draft(oct_2025, page_client):
    await logged_in(page_client, "staff")
    page = await page_client.get("/staff/simulate")
    assert "&#34;name&#34;: &#34;test district policy&#34;" in page.text  # in force, to edit
    r = await simulate(page_client, policy=STREET_ONLY)
    assert r.status_code == 200, r.text
    # Three meals at 3 yuan from the street, instead of 18 yuan from three funders.
    assert 'id="sim-change">-¥9.00<' in r.text
    assert cells(r.text, "sim-funders")[1:] == [
        ["区级", "¥11.00", "¥0.00", "-¥11.00"],
        ["街道", "¥4.00", "¥9.00", "+¥5.00"],
        ["运营方", "¥3.00", "¥0.00", "-¥3.00"],
    ]
    assert "草案：只保留街道补贴 3 元" in r.text.split('id="simulation"')[0]  # kept in the form


async def test_a_json_draft_works_and_a_broken_one_is_explained(oct_2025, page_client):
    await logged_in(page_client, "staff")
    draft = json.loads(STREET_ONLY_JSON)
    r = await simulate(page_client, policy=json.dumps(draft, ensure_ascii=False))
    assert r.status_code == 200 and 'id="sim-change">-¥9.00<' in r.text
    r = await simulate(page_client, policy="{ not json")
    assert r.status_code == 422 and "is not valid JSON" in r.text
    r = await simulate(page_client, policy='name = "x"\nrules = []')
    assert r.status_code == 422 and "policy.effective_from" in r.text
    r = await simulate(page_client, policy=STREET_ONLY, to="2025-10-32")
    assert r.status_code == 422 and "<code>to</code>" in r.text


async def test_the_simulator_needs_the_pages_csrf_token(oct_2025, page_client):
    await logged_in(page_client, "staff")
    r = await simulate(page_client, policy=STREET_ONLY, csrf="forged")
    assert r.status_code == 403 and "页面已过期" in r.text
    assert 'id="simulation"' not in r.text


STREET_ONLY_JSON = json.dumps(
    {
        "name": "草案：只保留街道补贴 3 元",
        "effective_from": "2026-12-01",
        "stacking": "highest",
        "rules": [
            {
                "code": "age60",
                "label": "60 岁及以上",
                "when": {"min_age": 60},
                "amount_fen": 300,
                "funder": "street",
                "daily_limit": 2,
            }
        ],
    }
)


# --- Misuse ---------------------------------------------------------------------------------


async def test_the_misuse_page_counts_each_kind_of_signal(oct_2025, page_client):
    await logged_in(page_client, "staff")
    html = (await page_client.get("/staff/misuse?from=2025-10-01&to=2025-10-31")).text
    assert "一卡短时间内在两个食堂使用" in html and "同日在两个区享受补贴" in html
    assert "这段时间没有线索" in html  # October's three meals raise nothing
